"""What the commands share: reading their inputs, labelling blocks, values at a point.

Each command module builds a :class:`~jacobi.model.Report` from the mathematics in
:mod:`jacobi.math`; the pieces every one of them needs live here.
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
from jacobi.math import derivatives, evaluate, sparse
from jacobi.math.simplify import TIDY_MAX_ENTRIES, matrix_entries, needs_too_much, untidied
from jacobi.model import MatrixBlock, Point, Report, VectorFunction

P = ParamSpec("P")


def prepare(
    exprs: Sequence[str],
    variables: str | Sequence[str] | None,
    params: Sequence[str],
    at: str | None,
    layout: str,
) -> tuple[VectorFunction, Point | None]:
    """The function written in ``exprs`` and the point ``at`` (if given), checked."""
    derivatives.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    return f, (build_point(f, at) if at is not None else None)


def one_function(
    body: Callable[..., Report],
) -> Callable[..., Report]:
    """The build function of a command of one function: the shared options read once.

    ``body(f, point, layout, **options)`` gets the function, the point (or None) and the
    layout; the build function made from it takes ``(exprs, *, variables, params, at,
    layout, **options)``, as :meth:`jacobi.commands.spec.Command.run` calls it.
    """

    @functools.wraps(body)
    def build(
        exprs: Sequence[str],
        *,
        variables: str | Sequence[str] | None = None,
        params: Sequence[str] = (),
        at: str | None = None,
        layout: str = "numerator",
        **options: object,
    ) -> Report:
        f, point = prepare(exprs, variables, params, at, layout)
        return body(f, point, layout, **options)

    return build


def _require_real(report: Report) -> None:
    """Refuse a result that SymPy has shown to be non-real for every real input.

    Every symbol is real, so ``I`` in a result means a square root or logarithm
    of a quantity that is negative everywhere (``sqrt(-1 - y^2)``).
    """
    for block in report.blocks:
        for (i, j), entry in sparse.nonzero(block.matrix):
            if entry.has(sympy.I):
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
            if report.function.n == 0:  # jac "2": a constant of no variables
                why = "f has no variables, so J has no columns: name them with --vars x,..."
                report = replace(report, facts=(*report.facts, ("note", why)))
            main = report.blocks[0].matrix
            skipped = untidied(main, limit)
            if not skipped:
                return report
            if len(matrix_entries(main)) > TIDY_MAX_ENTRIES:
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
    """Names entry (i, j) of a block as ``∂f2/∂x``, whatever the layout (for messages).

    Second derivatives (a Hessian, with variables on both sides) are ``∂²f/∂x∂y``.

    >>> from jacobi.commands import api
    >>> name = entry_namer(api.hessian(["x^2 y"]).blocks[0])
    >>> name(0, 0), name(0, 1)
    ('∂²f/∂x²', '∂²f/∂x∂y')
    >>> entry_namer(api.jac(["x+y, x*y"], layout="denominator").blocks[0])(0, 1)
    '∂f2/∂x'
    """

    return block.entry_label


def _exact_jacobian(f: VectorFunction, layout: str) -> sympy.ImmutableMatrix:
    """J with the delta terms of kinks kept, in ``layout``: what is evaluated at a point."""
    return derivatives.jacobian(f, layout=layout, simplify=False, keep_deltas=True)


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


def _transposed(block: MatrixBlock) -> MatrixBlock:
    return MatrixBlock(
        name=f"{block.name}ᵀ",
        matrix=block.matrix.T,
        row_labels=block.col_labels,
        col_labels=block.row_labels,
        title=f"{block.title} (transposed)" if block.title else "",
    )


def _jacobian_block(f: VectorFunction, layout: str, *, simplify: bool = True) -> MatrixBlock:
    matrix = derivatives.jacobian(f, layout=layout, simplify=simplify)
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


def _scalar(name: str, value: sympy.Expr, title: str = "") -> MatrixBlock:
    return MatrixBlock(
        name=name,
        matrix=sympy.ImmutableMatrix([[value]]),
        row_labels=(name,),
        col_labels=("",),
        title=title,
        scalar=True,
    )


def _strings(matrix: sympy.MatrixBase) -> list[list[str]]:
    return sparse.strings(matrix, to_text)


def components_text(f: VectorFunction, limit: int = 200) -> str:
    """``[x + y, x*y]`` (one component without brackets), cut short for very long systems."""
    parts, length = [], -2
    for c in f.components:  # print only what is shown
        parts.append(to_text(c))
        length += len(parts[-1]) + 2
        if length > limit:
            break
    body = ", ".join(parts)
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


def _parse_vector(text: str, f: VectorFunction, option: str) -> list[sympy.Expr]:
    from jacobi.lang import parse

    names = [*f.variable_names, *(p.name for p, _ in f.parameters)]
    values = [c.expr for c in parse.parse_components(text, variables=names)]
    if not values:
        raise InputError(f"{option} is empty", hint='give comma-separated values, e.g. "1, 2"')
    subs = {p: v for p, v in f.parameters if v is not None}
    return [v.xreplace(subs) for v in values] if subs else values
