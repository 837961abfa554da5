"""One function per command: plain values in, a :class:`~jacobi.model.Report` out.

The CLI and the batch runner both call these, so a command behaves the same
wherever it is run. No Click, no terminal here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import ParamSpec

import sympy

from jacobi.commands.inputs import build_function, build_point
from jacobi.errors import InputError
from jacobi.lang.printing import to_text
from jacobi.math import derivatives as core
from jacobi.math import evaluate
from jacobi.math.simplify import TIDY_MAX_ENTRIES, needs_too_much, simplest, too_large, untidied
from jacobi.model import MatrixBlock, Point, Report, VectorFunction

P = ParamSpec("P")


def _require_real(report: Report) -> None:
    """Refuse a result that SymPy has shown to be non-real for every real input.

    Every symbol is real, so ``I`` in a result means a square root or logarithm
    of a quantity that is negative everywhere (``sqrt(-1 - y^2)``).
    """
    for block in report.blocks:
        for k, entry in enumerate(block.matrix):
            if entry.has(sympy.I):
                i, j = divmod(k, block.matrix.cols)
                where = (
                    f"{block.name}" if block.scalar else f"entry ({i + 1}, {j + 1}) of {block.name}"
                )
                raise InputError(
                    f"{where} is {to_text(entry)}: not real for any real value of "
                    f"{', '.join(report.function.variable_names) or 'the variables'}",
                    hint="jacobi works over the reals: check the signs under square roots, "
                    "logarithms and inverse trigonometric functions",
                )


def _notes_bounds(
    limit: Callable[[sympy.Expr], bool] = needs_too_much,
) -> Callable[[Callable[P, Report]], Callable[P, Report]]:
    """Say (in ``facts`` and as JSON ``"simplified": "partial"``) where a count bound kept
    entries of the main result as they were differentiated.

    The count is a pure function of the result (see :func:`jacobi.simplify.untidied`),
    so every machine says the same.
    """

    def wrap(command: Callable[P, Report]) -> Callable[P, Report]:
        @functools.wraps(command)
        def noted(*args: P.args, **kwargs: P.kwargs) -> Report:
            report = command(*args, **kwargs)
            _require_real(report)
            main = report.blocks[0].matrix
            skipped = untidied(main, limit)
            if not skipped:
                return report
            if sum(1 for e in main if not e.is_Atom) > TIDY_MAX_ENTRIES:
                why = f"more than {TIDY_MAX_ENTRIES} non-trivial entries: none was simplified"
            else:
                plural = "entries are" if skipped != 1 else "entry is"
                why = f"{skipped} {plural} too large to simplify and shown as differentiated"
            return replace(
                report,
                facts=(*report.facts, ("note", why)),
                data={**report.data, "simplified": "partial"},
            )

        return noted

    return wrap


def component_labels(f: VectorFunction) -> tuple[str, ...]:
    """``f1 … fm`` (just ``f`` for a scalar function)."""
    return ("f",) if f.m == 1 else tuple(f"f{i + 1}" for i in range(f.m))


def derivative_labels(f: VectorFunction) -> tuple[str, ...]:
    return tuple(f"∂/∂{v.name}" for v in f.variables)


def entry_namer(block: MatrixBlock) -> Callable[[int, int], str]:
    """Names entry (i, j) of a derivative block as ``∂f2/∂x``, whatever the layout.

    Second derivatives (a Hessian, with variables on both sides) are ``∂²f/∂x∂y``.

    >>> from jacobi import function
    >>> f = function("x^2 y")
    >>> name = entry_namer(hessian(["x^2 y"]).blocks[0])
    >>> name(0, 0), name(0, 1)
    ('∂²f/∂x²', '∂²f/∂x∂y')
    >>> entry_namer(jac(["x+y, x*y"], layout="denominator").blocks[0])(0, 1)
    '∂f2/∂x'
    """

    def name(i: int, j: int) -> str:
        row, col = block.row_labels[i], block.col_labels[j]
        if row.startswith("∂/∂") and col.startswith("∂/∂"):
            a, b = row.removeprefix("∂/∂"), col.removeprefix("∂/∂")
            return f"∂²f/∂{a}²" if a == b else f"∂²f/∂{a}∂{b}"
        if row.startswith("∂/∂"):  # denominator layout: rows are variables
            row, col = col, row
        return f"∂{row}/{col.removeprefix('∂/')}"

    return name


def _exact_jacobian(f: VectorFunction, layout: str) -> sympy.ImmutableMatrix:
    """J with the delta terms of kinks kept, in ``layout``: what is evaluated at a point."""
    return core.jacobian(f, layout=layout, simplify=False, keep_deltas=True)


def _value_block(
    matrix: sympy.ImmutableMatrix, block: MatrixBlock, f: VectorFunction, point: Point
) -> tuple[MatrixBlock, sympy.ImmutableMatrix]:
    """Evaluate ``block`` at ``point`` after checking that ``f`` itself is defined there."""
    # The derivative of f at a point needs f itself to be defined there (log(x) at x = -1):
    # checked first, so the message names f's own fault rather than an entry of J.
    values = point.mapping()
    for i, (label, comp) in enumerate(zip(component_labels(f), f.components, strict=True)):
        evaluate.value_at(comp, values, where=f"the function component {label}")
        evaluate.require_guards(f.guards_of(i), values, f"the function component {label}")
        evaluate.require_interior(comp, values, where=f"the function component {label}")
    value = evaluate.evaluate_matrix(matrix, point, entry_name=entry_namer(block))
    at = ", ".join(
        f"{v.name} = {val}" for v, val in zip(point.variables, point.values, strict=True)
    )
    return (
        MatrixBlock(
            name=f"{block.name}({', '.join(str(v) for v in point.values)})",
            matrix=value,
            row_labels=block.row_labels,
            col_labels=block.col_labels,
            title=f"at {at}",
        ),
        value,
    )


@_notes_bounds()
def jac(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The Jacobian of the function written in ``exprs``, optionally at a point.

    >>> r = jac(["x+y, x*y"], at="-1,2")
    >>> r.blocks[0].matrix, r.value
    (Matrix([
    [1, 1],
    [y, x]]), Matrix([
    [1,  1],
    [2, -1]]))
    """
    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    matrix = core.jacobian(f, layout=layout)
    rows, cols = component_labels(f), derivative_labels(f)
    if layout == "denominator":
        rows, cols = cols, rows
    block = MatrixBlock(name="J", matrix=matrix, row_labels=rows, col_labels=cols, title="Jacobian")
    blocks = [block]
    value = None
    if point is not None:
        value_block, value = _value_block(_exact_jacobian(f, layout), block, f, point)
        blocks.append(value_block)
    return Report(
        command="jac",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
    )


#: Every command by name, for the batch runner and other callers that dispatch by name.
#: Each takes the texts of its inputs as keyword arguments and returns a Report.
COMMANDS: dict[str, Callable[..., Report]] = {"jac": jac}


def check(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    against: str | None = None,
    at: str | None = None,
    layout: str = "numerator",
    samples: int = 5,
    seed: int = 0,
) -> Report:
    """Is this Jacobian right? See :func:`jacobi.check.check` (imported on first use)."""
    from jacobi.math.check import check as run_check

    return run_check(
        exprs,
        variables=variables,
        params=params,
        against=against,
        at=at,
        layout=layout,
        samples=samples,
        seed=seed,
    )


COMMANDS["check"] = check


def mjac(*args: object, **kwargs: object) -> Report:
    """Matrix calculus (see :func:`jacobi.matrixreport.mjac`); imported on first use,
    because the matrix language costs start-up time that scalar commands need not pay."""
    from jacobi.commands.mjac import mjac as run_mjac

    return run_mjac(*args, **kwargs)  # type: ignore[arg-type]


COMMANDS["mjac"] = mjac


# --------------------------------------------------------------------------- calculus
# det, chain, grad, hessian, jvp, vjp, linearize and the inverse Jacobian: the
# mathematics is in jacobi.calculus; these functions only label and arrange it.


def _transposed(block: MatrixBlock) -> MatrixBlock:
    return MatrixBlock(
        name=f"{block.name}ᵀ",
        matrix=block.matrix.T,
        row_labels=block.col_labels,
        col_labels=block.row_labels,
        title=f"{block.title} (transposed)" if block.title else "",
    )


def _jacobian_block(f: VectorFunction, layout: str, *, simplify: bool = True) -> MatrixBlock:
    matrix = core.jacobian(f, layout=layout, simplify=simplify)
    rows, cols = component_labels(f), derivative_labels(f)
    if layout == "denominator":
        rows, cols = cols, rows
    return MatrixBlock(name="J", matrix=matrix, row_labels=rows, col_labels=cols, title="Jacobian")


def _args(point: Point) -> str:
    return ", ".join(to_text(v) for v in point.values)


def _args_names(f: VectorFunction) -> str:
    return ", ".join(f.variable_names)


def _where(point: Point) -> str:
    names = ", ".join(v.name for v in point.variables)
    if len(point.variables) == 1:
        return f"{names} = {_args(point)}"
    return f"({names}) = ({_args(point)})"


def _number_words(value: sympy.Expr) -> str:
    text = to_text(value)
    num = evaluate.to_float(value)
    if not value.is_Integer and num is not None:
        text += f" (about {num:.6g})"
    return text


def _scalar(name: str, value: sympy.Expr, title: str = "") -> MatrixBlock:
    return MatrixBlock(
        name=name,
        matrix=sympy.ImmutableMatrix([[value]]),
        row_labels=(name,),
        col_labels=("",),
        title=title,
        scalar=True,
    )


@_notes_bounds(too_large)
def det(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
    volume: bool = False,
    singular: bool = False,
) -> Report:
    """The Jacobian determinant: value, local volume scale and orientation.

    ``volume`` gives the volume element sqrt(det(JᵀJ)) instead (for m ≥ n:
    the area element of a parametrised surface); ``singular`` adds where the
    determinant vanishes (where f is not locally invertible).

    >>> r = det(["x+y, x*y"], at="-1,2")   # seed 001
    >>> r.blocks[0].matrix[0, 0], r.value[0, 0], r.data["orientation"]
    (x - y, -3, 'reversed')
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    data: dict[str, object] = {}
    if volume:
        gram = calculus.gram_determinant(f)
        value = calculus.volume_element(f)
        name = "|det J|" if f.m == f.n else "sqrt(det(Jᵀ J))"
        title = (
            "volume scale |det J|"
            if f.m == f.n
            else f"{f.n}-dimensional volume element sqrt(det(Jᵀ J))"
        )
        equation = gram.value
        data["method"] = gram.method
    else:
        d = calculus.jacobian_determinant(f)
        value, equation = d.value, d.value
        name, title = "det J", "determinant of the Jacobian"
        data["method"] = d.method
        data["entries"] = d.kind
    # Derivatives of polynomials are already in their canonical (expanded) form.
    polynomial = all(c.is_polynomial(*f.variables) for c in f.components)
    jac_block = _jacobian_block(f, layout, simplify=not polynomial)
    data["jacobian"] = [
        [to_text(jac_block.matrix[i, j]) for j in range(jac_block.matrix.cols)]
        for i in range(jac_block.matrix.rows)
    ]
    blocks = [_scalar(name, value, title), jac_block]
    facts: list[tuple[str, str]] = []
    report_value = None
    words = calculus.volume_words(f.n)
    if point is not None:
        value_block, j0 = _value_block(_exact_jacobian(f, layout), jac_block, f, point)
        blocks.append(
            MatrixBlock(
                name=value_block.name,
                matrix=value_block.matrix,
                row_labels=value_block.row_labels,
                col_labels=value_block.col_labels,
                title=f"Jacobian {value_block.title}",
            )
        )
        j0 = j0.T if layout == "denominator" else j0
        if volume:
            gram0 = calculus.determinant(j0 if f.m == f.n else j0.T * j0).value
            v0 = simplest(sympy.Abs(gram0) if f.m == f.n else sympy.sqrt(gram0))
        else:
            v0 = calculus.determinant(j0).value
        report_value = sympy.ImmutableMatrix([[v0]])
        blocks.append(_scalar(f"{name}({_args(point)})", v0))
        scale = simplest(sympy.Abs(v0))
        data["volume_scale"] = to_text(scale)
        facts.append(
            (
                "volume scale",
                f"{'|det J|' if not volume else name} = {_number_words(scale)}: "
                f"{words} near {_where(point)} are multiplied by {to_text(scale)}",
            )
        )
        if not volume:
            data["orientation"] = _orientation_fact(facts, v0)
    elif not value.free_symbols and not volume:
        scale = sympy.Abs(value)
        data["volume_scale"] = to_text(scale)
        facts.append(
            ("volume scale", f"|det J| = {_number_words(scale)} everywhere: f is affine-like")
        )
        data["orientation"] = _orientation_fact(facts, value)
    if singular:
        found = calculus.singular_set(equation, f.variables)
        data["singular"] = {
            "equation": f"{to_text(found.equation)} = 0",
            "solutions": list(found.solutions),
            "conditions": list(found.conditions),
            "complete": found.complete,
            "undefined": list(found.undefined),
        }
        words = _singular_words(found, name if not volume else "det(JᵀJ)", _args_names(f))
        facts.append(("singular", words))
    return Report(
        command="det",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=report_value,
        facts=tuple(facts),
        data=data,
    )


def _orientation_fact(facts: list[tuple[str, str]], value: sympy.Expr) -> str | None:
    from jacobi.math import calculus

    word = calculus.orientation(value)
    explain = {
        "preserved": "preserved (det J > 0)",
        "reversed": "reversed (det J < 0): the map flips orientation",
        "collapsed": "collapsed (det J = 0): f squashes a neighbourhood flat, no local inverse",
        None: "depends on the parameters (the sign of det J is not determined)",
    }
    facts.append(("orientation", explain[word]))
    return word


def _singular_words(found: object, name: str, variables: str) -> str:
    from jacobi.math.calculus import SingularSet

    assert isinstance(found, SingularSet)
    if found.everywhere:
        return f"{name} = 0 everywhere: f is nowhere locally invertible"
    undefined = f"; {name} is undefined where {'; '.join(found.undefined)}"
    if not found.undefined:
        undefined = ""
    if found.nowhere:
        return f"nowhere: {name} = {to_text(found.equation)} is never 0{undefined}"
    if not found.solutions:
        # det J depends on the parameters only: singular everywhere or nowhere.
        when = " or ".join(found.conditions)
        return (
            f"{name} = {to_text(found.equation)} does not depend on {variables}: "
            f"{name} = 0 everywhere when {when}, and nowhere otherwise{undefined}"
        )
    parts = list(found.solutions)
    parts += [f"{c} (a condition on the parameters)" for c in found.conditions]
    text = "; ".join(parts)
    if not found.complete:
        text += " (unsolved parts are shown as equations)"
    return f"{name} = 0 where {text}{undefined}"


def _layer_functions(
    texts: Sequence[str],
    variables: str | Sequence[str] | None,
    layer_vars: Sequence[str],
    params: Sequence[str],
) -> list[VectorFunction]:
    if len(texts) < 2:
        raise InputError(
            "chain needs at least two functions, outermost first: OUTER INNER",
            hint='e.g. jacobi chain "exp(x1*x2^2)" "t*cos(t), t*sin(t)"',
        )
    if layer_vars and len(layer_vars) != len(texts) - 1:
        raise InputError(
            f"--outer-vars was given {len(layer_vars)} time{'s' if len(layer_vars) != 1 else ''} "
            f"for {len(texts) - 1} outer function{'s' if len(texts) != 2 else ''}",
            hint="give it once per outer function, outermost first (the innermost uses --vars)",
        )
    layers = [
        build_function([text], variables=layer_vars[i] if layer_vars else None, params=params)
        for i, text in enumerate(texts[:-1])
    ]
    layers.append(build_function([texts[-1]], variables=variables, params=params))
    return layers


@_notes_bounds(too_large)
def chain(
    layers: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    layer_vars: Sequence[str] = (),
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The chain rule for ``layers`` (outermost first): factors, product, and a check.

    ``variables`` are the innermost function's (the composition's) variables;
    ``layer_vars`` gives the variables of each outer function, outermost first.

    >>> r = chain(["u*v", "x+y, x-y"])
    >>> r.blocks[0].matrix, r.data["verified"]
    (Matrix([[2*x, -2*y]]), True)
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    fs = _layer_functions(layers, variables, layer_vars, params)
    result = calculus.chain(fs)
    comp = result.composition
    comp = VectorFunction(
        components=comp.components,
        variables=comp.variables,
        parameters=comp.parameters,
        texts=tuple(to_text(c) for c in comp.components),
    )
    point = build_point(comp, at) if at is not None else None
    names = ["g", "h"] if len(fs) == 2 else [f"f{len(fs) - i}" for i in range(len(fs))]
    # Name the variables in the titles when they are few; "x" stands for the vector otherwise.
    x = ", ".join(comp.variable_names) if comp.n <= 2 else "x"
    along = [
        "".join(f"{n}(" for n in names[i + 1 :]) + x + ")" * (len(names) - i - 1)
        for i in range(len(names))
    ]
    factor_names = [f"J_{n}({a})" for n, a in zip(names, along, strict=True)]

    def layer_labels(name: str, layer: VectorFunction) -> tuple[str, ...]:
        sep = "_" if name[-1].isdigit() else ""
        return (name,) if layer.m == 1 else tuple(f"{name}{sep}{i + 1}" for i in range(layer.m))

    product = MatrixBlock(
        name="J",
        matrix=result.product,
        row_labels=layer_labels(names[0], fs[0]),
        col_labels=derivative_labels(comp),
        title="chain rule " + " · ".join(factor_names),
    )
    blocks = [product]
    for name, fname, layer, factor in zip(names, factor_names, fs, result.factors, strict=True):
        rows = layer_labels(name, layer)
        blocks.append(
            MatrixBlock(
                name=fname,
                matrix=factor,
                row_labels=rows,
                col_labels=derivative_labels(layer),
                title=f"{fname}: {factor.rows}×{factor.cols}",
            )
        )
    value = None
    if point is not None:
        # The value of the product at the point is that of the composition's exact Jacobian.
        value_block, value = _value_block(result.direct, product, comp, point)
        values = [value_block]
        for block in blocks[1:]:
            v = evaluate.evaluate_matrix(block.matrix, point, entry_name=entry_namer(block))
            values.append(
                MatrixBlock(
                    name=f"{block.name} at {_args(point)}",
                    matrix=v,
                    row_labels=block.row_labels,
                    col_labels=block.col_labels,
                    title=f"{block.name.split('(')[0]} {value_block.title}",
                )
            )
        blocks += values
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
    # The header names every layer first: the composition alone hides what was composed.
    header = [
        f"{name}({', '.join(layer.variable_names)}) = {_components_text(layer)}"
        for name, layer in zip(names, fs, strict=True)
    ]
    header.append(f"{names[0]}({along[0]}) = {_components_text(comp)}")
    header.append(f"variables: {', '.join(comp.variable_names) or '(none)'}")
    if comp.parameters:
        header.append(
            "parameters: "
            + ", ".join(
                f"{p.name} = {to_text(v)}" if v is not None else p.name for p, v in comp.parameters
            )
        )
    shown = blocks[0].matrix  # transposed in denominator layout
    header.append(f"{blocks[0].title}: {shown.rows}×{shown.cols}, {layout} layout")
    facts: list[tuple[str, str]] = []
    shapes = " · ".join(
        f"J_{n} {m.rows}×{m.cols}" for n, m in zip(names, result.factors, strict=True)
    )
    facts.append(("shapes", f"{shapes} = {result.product.rows}×{result.product.cols}"))
    verified = result.verified in ("symbolically", "numerically")
    composed = "∘".join(names)
    if verified:
        how = "symbolically" if result.verified == "symbolically" else "at 3 random points"
        check = f"verified: the product equals the Jacobian of {composed} computed directly ({how})"
    elif result.verified == "mismatch":
        check = f"MISMATCH: the product differs from the Jacobian of {composed} (please report)"
    else:
        check = f"not verified: could not compare with the Jacobian of {composed} within its bounds"
    facts.append(("chain rule", check))
    costs = result.costs
    if len(fs) > 2:
        facts += [
            ("forward accumulation (right to left)", f"{costs.forward} scalar multiplications"),
            ("reverse accumulation (left to right)", f"{costs.reverse} scalar multiplications"),
            ("cheapest order", f"{costs.best_order}: {costs.best} scalar multiplications"),
        ]
    data: dict[str, object] = {
        "layers": [
            {
                "name": name,
                "function": [to_text(c) for c in layer.components],
                "variables": list(layer.variable_names),
                "jacobian": _strings(jac),
                "jacobian_along": _strings(factor),
                "shape": [factor.rows, factor.cols],
            }
            for name, layer, jac, factor in zip(
                names, fs, result.outer_jacobians, result.factors, strict=True
            )
        ],
        "verified": verified,
        "verified_by": result.verified,
        "direct": _strings(result.direct),
        "costs": {
            "forward": costs.forward,
            "reverse": costs.reverse,
            "best": costs.best,
            "best_order": costs.best_order,
        },
    }
    return Report(
        command="chain",
        function=comp,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value.T if value is not None and layout == "denominator" else value,
        facts=tuple(facts),
        data=data,
        header=tuple(header),
    )


def _strings(matrix: sympy.MatrixBase) -> list[list[str]]:
    return [[to_text(matrix[i, j]) for j in range(matrix.cols)] for i in range(matrix.rows)]


def _components_text(f: VectorFunction, limit: int = 200) -> str:
    body = ", ".join(to_text(c) for c in f.components)
    if len(body) > limit:
        body = body[:limit] + f" … ({f.m} components)"
    return body if f.m == 1 else f"[{body}]"


def _simple_report(
    command: str,
    f: VectorFunction,
    block: MatrixBlock,
    point: Point | None,
    layout: str,
    *,
    extra: Sequence[MatrixBlock] = (),
    data: dict[str, object] | None = None,
    facts: Sequence[tuple[str, str]] = (),
    exact: sympy.ImmutableMatrix | None = None,
) -> Report:
    """A report of one result block (numerator layout), its value at the point, and extras.

    ``exact`` is the result with the delta terms of kinks kept (see :mod:`jacobi.kinks`),
    evaluated at the point instead of the block's matrix when given.
    """
    blocks = [block, *extra]
    value = None
    if point is not None:
        at = block.matrix if exact is None else exact
        value_block, value = _value_block(at, block, f, point)
        blocks.insert(1, value_block)
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
        value = value.T if value is not None else None
    return Report(
        command=command,
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
        facts=tuple(facts),
        data=data or {},
    )


@_notes_bounds()
def grad(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The gradient of a scalar function: the 1×n row ∇fᵀ (a column in denominator layout).

    >>> grad(["x^2 + y^2"]).blocks[0].matrix
    Matrix([[2*x, 2*y]])
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    row = calculus.gradient(f)
    block = MatrixBlock(
        name="∇f",
        matrix=row,
        row_labels=("f",),
        col_labels=derivative_labels(f),
        title="gradient",
    )
    report = _simple_report("grad", f, block, point, layout)
    if layout == "denominator":
        # The column is the gradient ∇f itself, not a "transposed" anything.
        first = replace(report.blocks[0], name="∇f", title="gradient")
        report = replace(report, blocks=(first, *report.blocks[1:]))
    return report


@_notes_bounds()
def hessian(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The n×n Hessian of a scalar function: entry (i, j) is ∂²f/∂x_i∂x_j.

    >>> hessian(["x^2*y"]).blocks[0].matrix
    Matrix([
    [2*y, 2*x],
    [2*x,   0]])
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    h = calculus.hessian(f)
    labels = derivative_labels(f)
    block = MatrixBlock(name="H", matrix=h, row_labels=labels, col_labels=labels, title="Hessian")
    exact = calculus.exact_hessian(f) if point is not None else None
    return _simple_report("hessian", f, block, point, layout, exact=exact)


def _parse_vector(text: str, f: VectorFunction, option: str) -> list[sympy.Expr]:
    from jacobi.lang import parse

    names = [*f.variable_names, *(p.name for p, _ in f.parameters)]
    values = [c.expr for c in parse.parse_components(text, variables=names)]
    if not values:
        raise InputError(f"{option} is empty", hint='give comma-separated values, e.g. "1, 2"')
    subs = {p: v for p, v in f.parameters if v is not None}
    return [v.xreplace(subs) for v in values] if subs else values


@_notes_bounds()
def jvp(
    exprs: Sequence[str],
    *,
    vector: str,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The Jacobian-vector product J v (m×1): the directional derivative of f along v.

    >>> jvp(["x+y, x*y"], vector="1, 2", at="-1,2").value.T
    Matrix([[3, 0]])
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    v = _parse_vector(vector, f, "--vector")
    out = calculus.jvp(f, v)
    shown = "[" + ", ".join(to_text(e) for e in v) + "]"
    block = MatrixBlock(
        name="J v",
        matrix=out,
        row_labels=component_labels(f),
        col_labels=("J v",),
        title=f"Jacobian-vector product J v, v = {shown}",
    )
    jac_block = _jacobian_block(f, "numerator")
    return _simple_report(
        "jvp", f, block, point, layout, extra=[jac_block], data={"vector": [to_text(e) for e in v]}
    )


@_notes_bounds()
def vjp(
    exprs: Sequence[str],
    *,
    vector: str,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The vector-Jacobian product wᵀ J (1×n): one step of reverse-mode differentiation.

    >>> vjp(["x+y, x*y"], vector="1, 2", at="-1,2").value
    Matrix([[5, -1]])
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    w = _parse_vector(vector, f, "--vector")
    out = calculus.vjp(f, w)
    shown = "[" + ", ".join(to_text(e) for e in w) + "]"
    block = MatrixBlock(
        name="wᵀ J",
        matrix=out,
        row_labels=("wᵀ J",),
        col_labels=derivative_labels(f),
        title=f"vector-Jacobian product wᵀ J, w = {shown}",
    )
    jac_block = _jacobian_block(f, "numerator")
    return _simple_report(
        "vjp", f, block, point, layout, extra=[jac_block], data={"vector": [to_text(e) for e in w]}
    )


@_notes_bounds()
def linearize(
    exprs: Sequence[str],
    *,
    at: str | None = None,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    layout: str = "numerator",
) -> Report:
    """The linearisation f(x0) + J(x0)(x − x0) at the point ``at``, as expressions in x.

    >>> linearize(["x*y"], at="1,2").blocks[0].matrix
    Matrix([[2*x + y - 2]])
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    if at is None:
        raise InputError(
            "linearize needs the point to linearise at", hint="give it with --at, e.g. --at 1,2"
        )
    point = build_point(f, at)
    lin = calculus.linearize(f, point)
    f0 = calculus.values_at(f, point)
    labels = component_labels(f)
    x0 = _where(point)
    block = MatrixBlock(
        name="L",
        matrix=lin,
        row_labels=labels,
        col_labels=("f(x0) + J(x0)(x - x0)",),
        title=f"linearisation at {x0}",
    )
    jac = core.differentiate(f.components, f.variables)
    jac_block = MatrixBlock(
        name="J", matrix=jac, row_labels=labels, col_labels=derivative_labels(f)
    )
    j0 = evaluate.evaluate_matrix(jac, point, entry_name=entry_namer(jac_block))
    extra = [
        MatrixBlock(
            name="f(x0)", matrix=f0, row_labels=labels, col_labels=("f",), title=f"f at {x0}"
        ),
        MatrixBlock(
            name="J(x0)",
            matrix=j0,
            row_labels=labels,
            col_labels=derivative_labels(f),
            title=f"Jacobian at {x0}",
        ),
    ]
    blocks = [block, *extra]
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
    return Report(
        command="linearize",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=f0.T if layout == "denominator" else f0,
    )


@_notes_bounds(too_large)
def jac_inverse(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """J⁻¹, the Jacobian of the local inverse of f (square J with det J ≠ 0).

    >>> jac_inverse(["x+y, x*y"], at="-1,2").value
    Matrix([
    [1/3,  1/3],
    [2/3, -1/3]])
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    inv = calculus.inverse_jacobian(f)
    rows = tuple(f.variable_names)
    cols = tuple(f"∂/∂{label}" for label in component_labels(f))
    block = MatrixBlock(
        name="J⁻¹",
        matrix=inv,
        row_labels=rows,
        col_labels=cols,
        title="inverse Jacobian J⁻¹ (the Jacobian of the local inverse)",
    )
    blocks = [block]
    value = None
    if point is not None:
        value = calculus.inverse_jacobian(f, point)
        image = calculus.values_at(f, point)
        fx0 = ", ".join(to_text(e) for e in image)
        blocks.append(
            MatrixBlock(
                name=f"J⁻¹({_args(point)})",
                matrix=value,
                row_labels=rows,
                col_labels=cols,
                title=f"at {_where(point)}: the Jacobian of f⁻¹ at f = ({fx0})",
            )
        )
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
        value = value.T if value is not None else None
    return Report(
        command="inverse",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
    )


COMMANDS.update(
    {
        "det": det,
        "chain": chain,
        "grad": grad,
        "hessian": hessian,
        "jvp": jvp,
        "vjp": vjp,
        "linearize": linearize,
        "inverse": jac_inverse,
    }
)
