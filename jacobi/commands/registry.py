"""Every command, declared once: the table the CLI, batch, the Python API and the docs read.

Adding a command is one module with its build function and one entry here.
Nothing here imports SymPy: ``jacobi --help`` reads this table only.
"""

from __future__ import annotations

from jacobi.commands.spec import (
    AT,
    FUNCTION_OPTIONS,
    LAYOUT,
    POINT_OPTIONS,
    STEP_OPTIONS,
    Command,
    Inputs,
    Option,
    Points,
)

_ONE_FUNCTION = (
    'EXPRS are the components, separated by commas or newlines ("x+y, x*y");\n'
    'several arguments add components. "-" reads stdin, "@FILE" reads a file.\n'
    "An expression may start with a minus sign, as typed in a textbook\n"
    '("-2*x1 + x2, x1 + x2"); a lone dashed name such as -q is taken for an\n'
    "option (write (-q))."
)


def _vector(length: str) -> Option:
    return Option(
        "vector",
        f"The vector, comma-separated ({length}); exact values or symbols (dx, dy).",
        required=True,
        metavar="V1,V2,...",
        comma_list="vector",
    )


_DECLARATIONS = (
    Command(
        name="jac",
        summary="The Jacobian matrix of a vector function (entry i,j = ∂f_i/∂x_j).",
        description=_ONE_FUNCTION,
        build="jacobi.commands.jac:jac",
        options=(
            *FUNCTION_OPTIONS,
            *POINT_OPTIONS,
            Option(
                "inverse",
                "Show J⁻¹ instead: the Jacobian of the local inverse (square J, det J ≠ 0).",
                kind="flag",
                default=False,
            ),
            Option(
                "rank",
                "Also the generic rank of J, where it drops and, with --at, the rank there and "
                "what the inverse function theorem says (locally invertible or not, and why).",
                kind="flag",
                default=False,
            ),
            Option(
                "sparse",
                "List only the non-zero entries, as (row, column, entry) triples (COO; JSON: "
                "coo with 0-based rows and cols), whatever the size: for large systems.",
                kind="flag",
                default=False,
            ),
            Option(
                "sparsity",
                "Show the sparsity pattern of J instead of its entries: a picture (* an entry "
                "that is not identically 0), nnz, the bandwidths, and COO indices in JSON.",
                kind="flag",
                default=False,
            ),
            *STEP_OPTIONS,
        ),
        examples=(
            'jacobi jac "x+y, x*y" --at -1,2',
            'jacobi jac "r*cos(t), r*sin(t)" -f latex',
            'jacobi jac "x1^2 - x2, x2^2 - x3, x3^2" --sparsity',
        ),
        points=Points("jacobi.commands.points:jac_points", passes=("layout",)),
    ),
    Command(
        name="det",
        summary="The Jacobian determinant det J: local volume scale and orientation.",
        description=(
            "With --at: the exact value, |det J| (how much areas/volumes are multiplied\n"
            "near the point) and the orientation (preserved, reversed or collapsed).\n"
            "J must be square; --volume handles parametrised curves and surfaces."
        ),
        build="jacobi.commands.det:det",
        options=(
            *FUNCTION_OPTIONS,
            *POINT_OPTIONS,
            Option(
                "volume",
                "The volume element sqrt(det(JᵀJ)) instead, for m ≥ n (e.g. the area element "
                "of a parametrised surface); |det J| when square.",
                kind="flag",
                default=False,
            ),
            Option(
                "singular",
                "Also solve det J = 0: where f is not invertible.",
                kind="flag",
                default=False,
            ),
            *STEP_OPTIONS,
        ),
        examples=(
            'jacobi det "x+y, x*y" --at -1,2',
            'jacobi det "r*cos(t), r*sin(t)" --singular',
            'jacobi det "r*cos(t), r*sin(t)" --steps -f latex',
        ),
        points=Points("jacobi.commands.points:det_points", passes=("volume",)),
    ),
    Command(
        name="chain",
        summary="The chain rule: J of g∘h as J_g(h(x)) · J_h(x), checked against J of g∘h.",
        description=(
            "Give the functions outermost first, as they are written in g(h(x)) or\n"
            "f3(f2(f1(x))); each argument is one function (comma-separated components).\n"
            "--vars names the innermost function's variables (those of the composition),\n"
            "--outer-vars the variables of each outer function. With three or more\n"
            "functions it also counts the scalar multiplications of forward (right to\n"
            "left) and reverse (left to right) accumulation and finds the cheapest order."
        ),
        build="jacobi.commands.chain:chain",
        inputs=Inputs("layers", "OUTER ... INNER"),
        options=(
            Option(
                "layer_vars",
                "Variables of an outer function, in order; repeat once per outer function, "
                "outermost first. Default: its names in natural order.",
                kind="texts",
                default=(),
                flag="--outer-vars",
                aliases=("--layer-vars",),
                metavar="U,V,...",
            ),
            *FUNCTION_OPTIONS,
            *POINT_OPTIONS,
            *STEP_OPTIONS,
        ),
        examples=(
            'jacobi chain "exp(x1*x2^2)" "t*cos(t), t*sin(t)"',
            'jacobi chain "u*v, u+v" "x*y, x-y" --at 1,2',
        ),
    ),
    Command(
        name="grad",
        summary="The gradient of a scalar function: the row ∇fᵀ (a column with --layout "
        "denominator).",
        description="EXPR is one expression; for a vector function use 'jacobi jac'.",
        build="jacobi.commands.scalar:grad",
        options=(*FUNCTION_OPTIONS, *POINT_OPTIONS, *STEP_OPTIONS),
        examples=(
            'jacobi grad "x^2 + y^2" --at 1,2',
            'jacobi grad "a*x*y^2" --param a=3',
            'jacobi grad "x^2 y" --steps',
        ),
    ),
    Command(
        name="hessian",
        summary="The Hessian: the n×n matrix of second derivatives ∂²f/∂x_i∂x_j (one per "
        "component of a vector function, an m×n×n tensor).",
        description="EXPRS is one expression, or the components of a vector function (one "
        "Hessian each);\neach is symmetric wherever f is smooth.",
        build="jacobi.commands.scalar:hessian",
        options=(*FUNCTION_OPTIONS, *POINT_OPTIONS, *STEP_OPTIONS),
        examples=('jacobi hessian "x^2*y"', 'jacobi hessian "x1^2, x2^2"'),
    ),
    Command(
        name="jvp",
        summary="The Jacobian-vector product J v: how f changes along the direction v.",
        description="Forward-mode differentiation in one step: J v without forming more "
        "than needed.",
        build="jacobi.commands.products:jvp",
        options=(
            _vector("one entry per variable"),
            *FUNCTION_OPTIONS,
            *POINT_OPTIONS,
            *STEP_OPTIONS,
        ),
        examples=(
            'jacobi jvp "x+y, x*y" --vector 1,2 --at -1,2',
            'jacobi jvp "x*y, x^2" --vector dx,dy',
        ),
    ),
    Command(
        name="vjp",
        summary="The vector-Jacobian product wᵀ J: one step of reverse mode (backpropagation).",
        description="w weights the components of f; the result is a row with one entry per "
        "variable.",
        build="jacobi.commands.products:vjp",
        options=(
            _vector("one entry per component"),
            *FUNCTION_OPTIONS,
            *POINT_OPTIONS,
            *STEP_OPTIONS,
        ),
        examples=(
            'jacobi vjp "x+y, x*y" --vector 1,2 --at -1,2',
            'jacobi vjp "x*y, x^2" --vector w1,w2',
        ),
    ),
    Command(
        name="linearize",
        summary="The linearisation f(x0) + J(x0)(x − x0) at the point --at, as expressions in x.",
        description="The best affine approximation of f near x0 (the tangent plane for a "
        "scalar f).",
        build="jacobi.commands.scalar:linearize",
        options=(
            *FUNCTION_OPTIONS,
            *POINT_OPTIONS,
            Option(
                "order",
                "2: the second-order Taylor polynomial f(x0) + J dx + ½ dxᵀ H dx of each "
                "component instead (dx = x − x0).",
                kind="int",
                default=1,
                show_default=True,
            ),
            *STEP_OPTIONS,
        ),
        examples=(
            'jacobi linearize "x*y" --at 1,2',
            'jacobi linearize "exp(x)*y" --at 0,1 --order 2',
        ),
    ),
    Command(
        name="div",
        summary="The divergence ∇·f = tr J of a vector field f: Rⁿ → Rⁿ.",
        description="How much f spreads out from a point: the sum of ∂f_i/∂x_i "
        "(as many components as variables).",
        build="jacobi.commands.vector:div",
        options=(*FUNCTION_OPTIONS, AT),
        examples=('jacobi div "x*y, y*z, z*x"', 'jacobi div "x^2, x*y" --at 1,2'),
    ),
    Command(
        name="curl",
        summary="The curl ∇×f of a vector field f: R³ → R³, read off J − Jᵀ.",
        description="How much f rotates about each axis: (∂f3/∂y − ∂f2/∂z, ∂f1/∂z − ∂f3/∂x, "
        "∂f2/∂x − ∂f1/∂y).\nFor a plane field f: R² → R², the scalar ∂f2/∂x − ∂f1/∂y.",
        build="jacobi.commands.vector:curl",
        options=(*FUNCTION_OPTIONS, AT),
        examples=('jacobi curl "-y, x, z"', 'jacobi curl "y*z, x*z, x*y" --at 1,2,3'),
    ),
    Command(
        name="laplacian",
        summary="The Laplacian Δf = Σ ∂²f/∂x_i², the trace of the Hessian.",
        description="Of a scalar function, or of each component of a vector function.",
        build="jacobi.commands.vector:laplacian",
        options=(*FUNCTION_OPTIONS, AT),
        examples=('jacobi laplacian "x^2*y + y^3"', 'jacobi laplacian "exp(x)*sin(y)" --at 0,0'),
    ),
    Command(
        name="wronskian",
        summary="The Wronskian det [f_j^(i)] of n functions of one variable.",
        description="EXPRS are the functions f1, ..., fn (of one variable; other names are\n"
        "parameters with --vars). W is not identically 0 for linearly independent functions.",
        build="jacobi.commands.vector:wronskian",
        options=(*FUNCTION_OPTIONS, AT),
        examples=('jacobi wronskian "sin(x), cos(x)"', 'jacobi wronskian "1, x, x^2" --at 2'),
    ),
    Command(
        name="implicit",
        summary="Implicit differentiation: dy/dx = −F_y⁻¹ F_x where F(x, y) = 0.",
        description=(
            "EXPRS are the equations F = 0 (one per variable solved for); --solve-for names\n"
            "the dependent variables y, every other variable is an independent x. The\n"
            "result holds where det F_y ≠ 0. With --at (every variable, the solved-for ones\n"
            "too) the point must be on the curve: F = 0 there, checked exactly."
        ),
        build="jacobi.commands.implicit:implicit",
        options=(
            Option(
                "solve_for",
                "The variables F = 0 determines, comma-separated (y, or y1,y2 for a system).",
                kind="names",
                required=True,
                metavar="Y1,Y2,...",
            ),
            *FUNCTION_OPTIONS,
            AT,
            Option(
                "order",
                "Also the derivatives up to this order (d²y/dx², ...; one independent variable).",
                kind="int",
                default=1,
                show_default=True,
            ),
        ),
        examples=(
            'jacobi implicit "x^2 + y^2 - 1" --solve-for y',
            'jacobi implicit "x^2 + y^2 - 1" --solve-for y --at 3/5,4/5 --order 2',
        ),
    ),
    Command(
        name="mjac",
        summary="Derivatives of vector and matrix expressions, in components and compact form.",
        description=(
            "\b\n"
            '  jacobi mjac "W x" --vector x:3 --matrix W:2x3\n'
            '  jacobi mjac "x^T B x" --vector x:3 --matrix B:3x3\n'
            '  jacobi mjac "K = R^T R" --matrix R:3x2 --wrt R\n\n'
            "EXPR uses the declared symbols: products W x (or W*x, W@x), transposes x^T (x',\n"
            "transpose(x)), norm(x)^2 or ||x||^2, x .* c, sin(x) entrywise, tr, det, inv or "
            "X^-1,\nnumbers [[1, 2], [4, 7]] (rows; [1, 2] is a column). Other names are real "
            "scalars.\nThe compact form is shown only after it has been expanded and checked "
            "against\nthe components."
        ),
        build="jacobi.commands.mjac:mjac",
        inputs=Inputs("expression", "EXPR", many=False),
        options=(
            Option(
                "vectors",
                "Declare a column vector, e.g. x:3 (components x1, x2, x3). Repeatable, or "
                "x:3,y:2.",
                kind="texts",
                default=(),
                flag="--vector",
                metavar="NAME:N",
            ),
            Option(
                "matrices",
                "Declare a matrix, e.g. W:2x3 (components W11 … W23; W_1_1 … once a size is "
                "10 or more). Repeatable, or W:2x3,A:3x3.",
                kind="texts",
                default=(),
                flag="--matrix",
                metavar="NAME:MxN",
            ),
            Option(
                "symmetric",
                "Declare a symmetric N×N matrix, e.g. S:3 (S21 is S12). By it (--wrt S), S_ij "
                "and S_ji move together (Matrix Cookbook 2.8.2).",
                kind="texts",
                default=(),
                metavar="NAME:N",
            ),
            Option(
                "wrt",
                "Differentiate with respect to this vector or matrix. "
                "Default: the only declared vector (or the only matrix if there is no vector; "
                "the only symmetric one if there is neither).",
                metavar="NAME",
            ),
            Option(
                "layout",
                "numerator: rows follow the function (the seeds' layout); denominator: the "
                "transpose.",
                kind="choice",
                choices=LAYOUT.choices,
                default="numerator",
                show_default=True,
            ),
            Option(
                "at",
                'Evaluate at given values, in one argument: --at "x=[1,2], W=[[1,2],[3,4]], '
                'a=1/3" (a matrix is its rows; every vector and matrix needs a value, scalars '
                "may stay symbolic). Values are exact: 1/3, pi/4, sqrt(2).",
                short="-a",
                metavar="VALUES",
                comma_list="point",
            ),
        ),
        examples=(
            'jacobi mjac "x^T B x" --vector x:3 --matrix B:3x3',
            'jacobi mjac "tr(A X)" --matrix A:2x2 --symmetric X:2 --wrt X',
        ),
    ),
    Command(
        name="check",
        summary="Is this Jacobian right? Exit 0 if it is, 1 if it is not.",
        description=(
            "\b\n"
            "With --against MATRIX: compare a claimed Jacobian entry by entry,\n"
            "symbolically and at random points (so sech(x)^2 passes for 1 - tanh(x)^2),\n"
            "naming every wrong entry and its correct value.\n"
            "\b\n"
            "Without --against: the gradient check of MML §5.2: central finite\n"
            "differences against the symbolic Jacobian at --at or at --samples random\n"
            "points, relative error sqrt(Σ(dh−df)²/Σ(dh+df)²) < 1e-6 at each point, step\n"
            "h = cbrt(eps)·max(1, |x|). Exit 1 if they disagree somewhere; exit 3 if\n"
            "the function has no derivative at the --at point."
        ),
        build="jacobi.commands.check:check",
        options=(
            *FUNCTION_OPTIONS,
            Option(
                "against",
                'The claimed Jacobian, e.g. "[[1, 1], [y, x]]" (a gradient may be one row). '
                "Without it: finite differences against the symbolic Jacobian.",
                metavar="MATRIX",
            ),
            *POINT_OPTIONS,
            Option(
                "samples",
                "Random points to compare at (without --at).",
                kind="int",
                default=5,
                show_default=True,
            ),
            Option("seed", "Seed for the random points.", kind="int", default=0, show_default=True),
        ),
        examples=(
            'jacobi check "x+y, x*y" --against "[[1, 1], [y, x]]"',
            'jacobi check "x^2*y" --against "[[2*x*y, x^2]]" --at 1,2',
        ),
    ),
    Command(
        name="codegen",
        summary="Source code computing f, its Jacobian and more, fast: NumPy, C99, Rust or "
        "Fortran.",
        description=(
            "\b\n"
            "The exact derivatives, their common subexpressions shared (SymPy's cse),\n"
            "constants folded to float64. Every function takes the point x, the parameters\n"
            "p (names not in --vars, in order; --param a=2 bakes a value in) and writes\n"
            "out; the header comment names every index. Undefined points give NaN.\n"
            "\b\n"
            "numpy: one module, each function vectorised over points (x of shape (..., n)).\n"
            "c: NAME.h and NAME.c, no allocation, void NAME_jac(const double *x,\n"
            "const double *p, double *out); gcc -std=c99 -O2 -c NAME.c, link with -lm.\n"
            "rust: one module of safe functions over fixed-size arrays.\n"
            "fortran: one module of pure subroutines, bind(C) (callable as the C ones).\n"
            "\b\n"
            "Without --output the files go to stdout (each after a one-line comment naming\n"
            "it when there are several); --format json gives them as {name: text}."
        ),
        build="jacobi.commands.codegen:codegen",
        options=(
            *FUNCTION_OPTIONS,
            Option(
                "lang",
                "The language of the code.",
                kind="choice",
                choices=("numpy", "c", "rust", "fortran"),
                required=True,
            ),
            Option(
                "what",
                "What to compute, comma-separated: f, jac, det, hessian (scalar f), jvp (J v), "
                "vjp (wᵀ J). With several, one more function computes them all at once.",
                kind="names",
                default="f,jac",
                show_default=True,
                metavar="ITEMS",
            ),
            Option(
                "sparse",
                "Write only the structural non-zeros of J (and the Hessian), in column order, "
                "with their row and column index arrays (COO and CSC).",
                kind="flag",
                default=False,
            ),
            LAYOUT,
            Option(
                "name",
                "The module's name and the C functions' prefix (NAME_jac). Default: the stem of "
                "--output when it is a usable name, else model.",
                metavar="NAME",
            ),
            Option(
                "output",
                "Write the files instead of printing them: FILE for one file (.py, .rs, .f90), "
                "STEM.h and STEM.c for --lang c (FILE = STEM.c, STEM.h or STEM).",
                short="-o",
                metavar="FILE",
            ),
        ),
        examples=(
            'jacobi codegen "x+y, x*y" --lang c',
            'jacobi codegen "a*x^2 + y, x*y" --vars x,y --lang numpy --what jac --sparse',
        ),
        latex=False,
    ),
    Command(
        name="plot",
        summary="A picture of what J does to space, written to a PNG, SVG or PDF file.",
        description=(
            "\b\n"
            "f: R² → R²: a grid of the region and its image under f; with --at the small\n"
            "square at the point, its image under f and under J(x0) (the parallelogram\n"
            "spanned by J's columns, with |det J| and the orientation written on it); det J\n"
            "over the region with det J = 0 drawn as curves.\n"
            "f: R² → R: contours and gradient arrows. f: R → R, R², R³: the curve (or graph)\n"
            "with tangent vectors. f: R² → R³: the surface shaded by its area element.\n"
            "\b\n"
            'Needs Matplotlib: pip install "jacobi-cli[plot]". The same input gives the\n'
            "same file, byte for byte."
        ),
        build="jacobi.commands.plot:plot",
        options=(
            *FUNCTION_OPTIONS,
            AT,
            Option(
                "region",
                "The region drawn, e.g. x=-1:1,y=0:2pi (named or in variable order; bounds are "
                "exact numbers). Default: x0 ± 1 around --at (± 2 for a curve), else -2..2.",
                metavar="X=A:B,...",
                comma_list="region",
            ),
            Option(
                "output",
                "The file to write; .png, .svg or .pdf. Default: plot.png.",
                short="-o",
                metavar="FILE",
            ),
            Option(
                "size",
                "The picture's size in pixels, WIDTHxHEIGHT (PNG pixels; SVG and PDF at 100 "
                "pixels per inch). Default: by picture, e.g. 1200x1040 for f: R² → R² at a point.",
                metavar="WxH",
            ),
        ),
        examples=(
            'jacobi plot "x+y, x*y" --at -1,2 --output docs/plot-seed.png',
            'jacobi plot "r cos(t), r sin(t)" --at 1,pi/2 --region r=0:2,t=0:2pi '
            "--output docs/plot-polar.png",
        ),
    ),
)

#: Every command by name, in the order ``jacobi --help`` lists them.
COMMANDS: dict[str, Command] = {c.name: c for c in _DECLARATIONS}
