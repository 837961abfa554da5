"""``jacobi grad``, ``jacobi hessian`` and ``jacobi linearize``: one scalar or vector function and
the shared options only."""

from __future__ import annotations

from dataclasses import replace

from jacobi.commands.common import (
    _notes_bounds,
    _simple_report,
    _strings,
    _transposed,
    _value_block,
    _where,
    component_labels,
    components_text,
    derivative_labels,
    entry_namer,
    one_function,
)
from jacobi.errors import InputError
from jacobi.lang.printing import to_text
from jacobi.math import calculus, derivatives, evaluate
from jacobi.math.magnitude import to_float
from jacobi.model import MatrixBlock, Point, Report, VectorFunction


@_notes_bounds()
@one_function
def grad(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The gradient of a scalar function: the 1×n row ∇fᵀ (a column in denominator layout).

    >>> from jacobi.commands import api
    >>> api.grad(["x^2 + y^2"]).blocks[0].matrix
    Matrix([[2*x, 2*y]])
    """
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
@one_function
def hessian(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The n×n Hessian of a scalar function: entry (i, j) is ∂²f/∂x_i∂x_j.

    >>> from jacobi.commands import api
    >>> api.hessian(["x^2*y"]).blocks[0].matrix
    Matrix([
    [2*y, 2*x],
    [2*x,   0]])
    """
    if f.m > 1:
        return _vector_hessian(f, point, layout)
    h = calculus.hessian(f)
    labels = derivative_labels(f)
    block = MatrixBlock(name="H", matrix=h, row_labels=labels, col_labels=labels, title="Hessian")
    exact = calculus.exact_hessian(f) if point is not None else None
    return _simple_report("hessian", f, block, point, layout, exact=exact)


def _component(f: VectorFunction, i: int) -> VectorFunction:
    """Component ``i`` of ``f`` as a scalar function of the same variables."""
    return replace(
        f,
        components=(f.components[i],),
        texts=(f.texts[i],) if i < len(f.texts) else (),
        guards=(f.guards_of(i),) if f.guards else (),
    )


def _vector_hessian(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The Hessians of the m components of f, an m×n×n tensor (as JAX's ``hessian`` returns):
    one block per component (and its value at the point after it); in JSON ``shape`` is
    ``[m, n, n]`` and ``result[i][j][k]`` is ∂²f_i/∂x_j∂x_k."""
    labels = derivative_labels(f)
    names = component_labels(f)
    blocks: list[MatrixBlock] = []
    slices, values, numbers = [], [], []
    for i, label in enumerate(names):
        fi = _component(f, i)
        block = MatrixBlock(
            name=f"H_{label}",
            matrix=calculus.hessian(fi),
            row_labels=labels,
            col_labels=labels,
            title=f"Hessian of {label} = {to_text(f.components[i])}",
        )
        blocks.append(block)
        slices.append(block.matrix)
        if point is not None:
            # f itself is checked at the point once, naming the component that fails.
            checked = f if i == 0 else fi
            value_block, value = _value_block(calculus.exact_hessian(fi), block, checked, point)
            blocks.append(replace(value_block, title=f"{label} {value_block.title}"))
            values.append(value)
    if layout == "denominator":  # each slice transposed, as a Hessian is in that layout
        blocks = [_transposed(b) for b in blocks]
        slices = [h.T for h in slices]
        values = [v.T for v in values]
    n = f.n
    data: dict[str, object] = {
        "shape": [f.m, n, n],
        "result": [_strings(h) for h in slices],
        # As mjac's tensors: what the index means (one n×n Hessian per component, as JAX's).
        "tensor_index": "[i, j, k] = ∂²f_i/∂x_j∂x_k",
    }
    if point is not None:
        data["at"] = {
            v.name: to_text(x) for v, x in zip(point.variables, point.values, strict=True)
        }
        data["value"] = [_strings(v) for v in values]
        for v in values:
            numbers.append([[to_float(v[j, k]) for k in range(n)] for j in range(n)])
        data["numeric"] = numbers
    return Report(
        command="hessian",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        data=data,
        header=(
            f"f({', '.join(f.variable_names)}) = {components_text(f)}",
            f"variables: {', '.join(f.variable_names)}",
            f"Hessian of each of the {f.m} components: {f.m}x{n}x{n}, {layout} layout",
            "",
            f"{blocks[0].title}:",
        ),
        latex_prefix=r"H_{f_{1}} = ",
    )


@_notes_bounds()
@one_function
def linearize(f: VectorFunction, point: Point | None, layout: str, order: int = 1) -> Report:
    """The linearisation f(x0) + J(x0)(x − x0) at the point ``at``, as expressions in x;
    with ``order=2`` the second-order Taylor polynomial, + ½ dxᵀ H(x0) dx per component.

    >>> from jacobi.commands import api
    >>> api.linearize(["x*y"], at="1,2").blocks[0].matrix
    Matrix([[2*x + y - 2]])
    >>> api.linearize(["exp(x)*y"], at="0,1", order=2).blocks[0].matrix
    Matrix([[x**2/2 + x*y + y]])
    """
    if order not in (1, 2):
        raise InputError(
            f"--order must be 1 (the linearisation) or 2 (the second-order Taylor "
            f"polynomial), not {order}"
        )
    if point is None:  # errors in the input itself were reported first
        raise InputError(
            "linearize needs the point to linearise at", hint="give it with --at, e.g. --at 1,2"
        )
    if order == 2:
        return _taylor2(f, point, layout)
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
    jac = derivatives.differentiate(f.components, f.variables)
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


def _taylor2(f: VectorFunction, point: Point, layout: str) -> Report:
    """``linearize --order 2``: f(x0) + J(x0) dx + ½ dxᵀ H_i(x0) dx for each component i,
    with f(x0), J(x0) and each H_i(x0) shown."""
    taylor, *hessians = calculus.taylor2(f, point)
    f0 = calculus.values_at(f, point)
    labels = component_labels(f)
    x0 = _where(point)
    jac = derivatives.differentiate(f.components, f.variables)
    jac_block = MatrixBlock(
        name="J", matrix=jac, row_labels=labels, col_labels=derivative_labels(f)
    )
    j0 = evaluate.evaluate_matrix(jac, point, entry_name=entry_namer(jac_block))
    d = derivative_labels(f)
    blocks = [
        MatrixBlock(
            name="T2",
            matrix=taylor,
            row_labels=labels,
            col_labels=("f(x0) + J(x0) dx + 1/2 dxᵀ H(x0) dx",),
            title=f"second-order Taylor polynomial at {x0} (dx = x - x0)",
        ),
        MatrixBlock(
            name="f(x0)", matrix=f0, row_labels=labels, col_labels=("f",), title=f"f at {x0}"
        ),
        MatrixBlock(
            name="J(x0)", matrix=j0, row_labels=labels, col_labels=d, title=f"Jacobian at {x0}"
        ),
        *(
            MatrixBlock(
                name=f"H_{label}(x0)",
                matrix=h,
                row_labels=d,
                col_labels=d,
                title=f"Hessian of {label} at {x0}",
            )
            for label, h in zip(labels, hessians, strict=True)
        ),
    ]
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
    return Report(
        command="linearize",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=f0.T if layout == "denominator" else f0,
        data={"order": 2, "hessians_at": [_strings(h) for h in hessians]},
    )
