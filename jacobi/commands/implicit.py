"""``jacobi implicit``: dy/dx = −F_y⁻¹ F_x from F(x, y) = 0 (one equation or a system).

This module and one entry in :mod:`jacobi.commands.registry` are the whole command; the
mathematics is :mod:`jacobi.math.implicit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sympy

from jacobi.commands.common import (
    _notes_bounds,
    _scalar,
    _strings,
    components_text,
    prepare,
)
from jacobi.lang.printing import to_text
from jacobi.math import implicit as imp
from jacobi.model import MatrixBlock, Report, VectorFunction

_ORDINALS = {1: "", 2: "^2", 3: "^3", 4: "^4", 5: "^5", 6: "^6"}


def _name(ys: Sequence[sympy.Symbol], xs: Sequence[sympy.Symbol], k: int) -> str:
    """``dy/dx``, ``d^2y/dx^2`` (one y and one x), ``dy/dx`` for the matrix of a system."""
    y = ys[0].name if len(ys) == 1 else "y"
    x = xs[0].name if len(xs) == 1 else "x"
    p = _ORDINALS[k]
    return f"d{p}{y}/d{x}{p}"


def _block(
    matrix: sympy.ImmutableMatrix,
    ys: Sequence[sympy.Symbol],
    xs: Sequence[sympy.Symbol],
    k: int,
    title: str,
) -> MatrixBlock:
    name = _name(ys, xs, k)
    if matrix.shape == (1, 1):
        return _scalar(name, matrix[0, 0], title)
    cols = (
        tuple(f"∂/∂{x.name}" for x in xs)
        if k == 1
        else (f"d{_ORDINALS[k]}/d{xs[0].name}{_ORDINALS[k]}",)
    )
    return MatrixBlock(
        name=name,
        matrix=matrix,
        row_labels=tuple(y.name for y in ys),
        col_labels=cols,
        title=title,
    )


def _labels(f: VectorFunction) -> tuple[str, ...]:
    return ("F",) if f.m == 1 else tuple(f"F{i + 1}" for i in range(f.m))


def _header(
    f: VectorFunction, ys: Sequence[sympy.Symbol], xs: Sequence[sympy.Symbol]
) -> tuple[str, ...]:
    names = ", ".join(f.variable_names)
    y_names = ", ".join(y.name for y in ys)
    x_names = ", ".join(x.name for x in xs)
    lines = [
        f"F({names}) = {components_text(f)} = 0",
        f"solved for {y_names} as {'a function' if len(ys) == 1 else 'functions'} of {x_names}",
    ]
    if f.parameters:
        params = ", ".join(
            f"{s.name} = {to_text(v)}" if v is not None else s.name for s, v in f.parameters
        )
        lines.append(f"parameters: {params}")
    lines.append("implicit derivative: " + ("-F_x/F_y" if f.m == 1 else "-F_y⁻¹ F_x"))
    return tuple(lines)


def _latex_prefix(ys: Sequence[sympy.Symbol], xs: Sequence[sympy.Symbol]) -> str:
    r"""``\frac{dy}{dx} = `` (one y, one x); else ``\frac{\partial (y_{1}, y_{2})}{\partial x} = ``
    and the like."""
    if len(ys) == 1 and len(xs) == 1:
        return rf"\frac{{d{sympy.latex(ys[0])}}}{{d{sympy.latex(xs[0])}}} = "

    def group(vs: Sequence[sympy.Symbol]) -> str:
        inner = ", ".join(sympy.latex(v) for v in vs)
        return inner if len(vs) == 1 else f"({inner})"

    return rf"\frac{{\partial {group(ys)}}}{{\partial {group(xs)}}} = "


def _locally(m: int) -> str:
    return (
        "is locally a differentiable function" if m == 1 else "are locally differentiable functions"
    )


def _condition(f: VectorFunction, result: imp.Implicit) -> str:
    name = f"∂F/∂{result.dependent[0].name}" if f.m == 1 else "det F_y"
    return f"{name} = {to_text(result.det_f_y)} ≠ 0 (the implicit function theorem)"


@_notes_bounds()
def implicit(
    exprs: Sequence[str],
    *,
    solve_for: str | Sequence[str],
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    order: int = 1,
) -> Report:
    """dy/dx of the curve (or manifold) F = 0, solved for ``solve_for``.

    >>> from jacobi.commands import api
    >>> api.implicit(["x^2 + y^2 - 1"], solve_for="y").blocks[0].matrix
    Matrix([[-x/y]])
    >>> api.implicit(["x^2 + y^2 - 1"], solve_for="y", at="3/5,4/5").value
    Matrix([[-3/4]])
    """
    from jacobi.lang import parse

    y_names = parse.parse_name_list(
        solve_for if isinstance(solve_for, str) else ",".join(solve_for)
    )
    if variables is not None:
        names = parse.parse_name_list(
            variables if isinstance(variables, str) else ",".join(variables)
        )
        variables = [*names, *(n for n in y_names if n not in names)]
    f, point = prepare(exprs, variables, params, at, "numerator")
    ys, xs = imp.split(f, y_names)
    result = imp.implicit(f, ys, order=order)
    blocks = [_block(result.derivative, ys, xs, 1, "implicit derivative")]
    for k, h in enumerate(result.higher, start=2):
        blocks.append(_block(h, ys, xs, k, f"derivative of order {k}"))
    value = None
    facts: list[tuple[str, str]] = [("holds where", _condition(f, result))]
    data: dict[str, object] = {
        "solve_for": [y.name for y in ys],
        "independent": [x.name for x in xs],
        "condition": f"{to_text(result.det_f_y)} != 0",
        "order": order,
    }
    data["F_y"], data["F_x"] = _strings(result.f_y), _strings(result.f_x)
    if result.higher:
        data["higher"] = [_strings(h) for h in result.higher]
    if point is not None:
        there = imp.at_point(f, result, point)
        where = ", ".join(
            f"{v.name} = {to_text(x)}" for v, x in zip(point.variables, point.values, strict=True)
        )
        values = [there.derivative, *there.higher]
        args = ", ".join(to_text(x) for x in point.values)
        at_blocks = []
        for k, v in enumerate(values, start=1):
            b = _block(v, ys, xs, k, f"at {where}" if k == 1 else "")
            at_blocks.append(replace(b, name=f"{b.name}({args})"))
        blocks[len(values) : len(values)] = at_blocks
        value = there.derivative
        name = f"∂F/∂{ys[0].name}" if f.m == 1 else "det F_y"
        facts.append(
            (
                "at the point",
                f"{'F = 0 numerically' if there.residual_note else 'F = 0'} there and "
                f"{name} = {to_text(there.det_f_y)} ≠ 0: "
                f"{', '.join(y.name for y in ys)} {_locally(f.m)} "
                f"of {', '.join(x.name for x in xs)}",
            )
        )
        if there.residual_note:
            facts.append(("note", there.residual_note))
        if there.higher:
            data["higher_at"] = [_strings(h) for h in there.higher]
    labels = _labels(f)
    blocks.append(
        MatrixBlock(
            name="F_y",
            matrix=result.f_y,
            row_labels=labels,
            col_labels=tuple(f"∂/∂{y.name}" for y in ys),
            title="F_y (must be invertible)",
        )
    )
    blocks.append(
        MatrixBlock(
            name="F_x",
            matrix=result.f_x,
            row_labels=labels,
            col_labels=tuple(f"∂/∂{x.name}" for x in xs),
            title="F_x",
        )
    )
    return Report(
        command="implicit",
        function=f,
        layout="numerator",
        blocks=tuple(blocks),
        point=point,
        value=value,
        facts=tuple(facts),
        data=data,
        header=_header(f, ys, xs),
        latex_prefix=_latex_prefix(ys, xs),
    )
