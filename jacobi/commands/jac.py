"""``jacobi jac``: the Jacobian matrix, at a point, or its inverse (``--inverse``)."""

from __future__ import annotations

from dataclasses import replace

import sympy

from jacobi.commands.common import (
    _args,
    _exact_jacobian,
    _notes_bounds,
    _transposed,
    _value_block,
    _where,
    component_labels,
    derivative_labels,
    one_function,
)
from jacobi.errors import InputError
from jacobi.lang.printing import to_text
from jacobi.math import calculus, derivatives, sparse
from jacobi.math import rank as rk
from jacobi.math.simplify import too_large
from jacobi.math.sparse import pattern as sparse_pattern
from jacobi.model import MatrixBlock, Point, Report, SingularFact, VectorFunction


@one_function
def jac(
    f: VectorFunction,
    point: Point | None,
    layout: str,
    inverse: bool,
    rank: bool = False,
    sparse: bool = False,
    sparsity: bool = False,
) -> Report:
    """The Jacobian of the function written in ``exprs`` (or its inverse), optionally at a point.

    >>> from jacobi.commands import api
    >>> r = api.jac(["x+y, x*y"], at="-1,2")
    >>> r.blocks[0].matrix, r.value
    (Matrix([
    [1, 1],
    [y, x]]), Matrix([
    [1,  1],
    [2, -1]]))
    >>> api.jac(["x+y, x*y"], at="-1,2", inverse=True).value
    Matrix([
    [1/3,  1/3],
    [2/3, -1/3]])
    """
    if inverse and rank:
        raise InputError(
            "--inverse and --rank cannot be combined", hint="ask for one, then the other"
        )
    if sparsity:
        given = [
            name
            for name, on in (
                ("--at", point),
                ("--inverse", inverse),
                ("--rank", rank),
                ("--sparse", sparse),
            )
            if on
        ]
        if given:
            raise InputError(
                f"--sparsity shows the pattern of J alone, not with {given[0]}",
                hint="ask for the pattern, then the rest",
            )
        return jac_sparsity(f, layout)
    build = jac_inverse if inverse else jac_rank if rank else jacobian
    report = build(f, point, layout)
    if not sparse:
        return report
    blocks = tuple(b if b.scalar else replace(b, sparse=True) for b in report.blocks)
    return replace(report, blocks=blocks)


def jac_sparsity(f: VectorFunction, layout: str) -> Report:
    """The structural sparsity pattern of J: where its entries are not identically 0.

    >>> from jacobi.commands import api
    >>> r = api.jac(["x*y, y + z, z^2"], sparsity=True)
    >>> r.pattern.keys, r.pattern.nnz, (r.pattern.lower, r.pattern.upper)
    (((0, 0), (0, 1), (1, 1), (1, 2), (2, 2)), 5, (0, 1))
    """
    report = jacobian(f, None, layout)
    block = replace(report.blocks[0], title="sparsity pattern of J")
    return replace(
        report, command="sparsity", blocks=(block,), pattern=sparse_pattern(block.matrix)
    )


@_notes_bounds()
def jacobian(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The Jacobian of ``f``, and its value at ``point`` when there is one.

    >>> from jacobi.commands import api
    >>> r = api.jac(["x+y, x*y"], at="-1,2")
    >>> r.blocks[0].matrix, r.value
    (Matrix([
    [1, 1],
    [y, x]]), Matrix([
    [1,  1],
    [2, -1]]))
    """
    matrix = derivatives.jacobian(f, layout=layout)
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


@_notes_bounds(too_large)
def jac_inverse(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """J⁻¹, the Jacobian of the local inverse of f (square J with det J ≠ 0).

    See :func:`jac` (``inverse=True``) for an example.
    """
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
    jacobian = derivatives.jacobian(f, layout=layout)
    return Report(
        command="inverse",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
        data={"jacobian": sparse.strings(jacobian, to_text)},  # J itself, for scripts
    )


def _rank_words(r: rk.Rank) -> str:
    """``2 of 2 (full)``, with what a deficient rank means."""
    m, n = r.rows, r.cols
    how = "" if r.proved else " (found at sample points; not proved within the bounds)"
    if r.full:
        return f"{r.rank}: full (J is {m}×{n}){how}"
    return (
        f"{r.rank} < {min(m, n)}: J is rank-deficient everywhere (J is {m}×{n}): the components "
        f"are functionally dependent{how}"
    )


def _piece(n: int) -> str:
    return {1: "a curve", 2: "a surface"}.get(n, f"an {n}-dimensional manifold")


def _theorem_words(
    f: VectorFunction, r0: int, j0: sympy.ImmutableMatrix
) -> tuple[str, bool | None]:
    """What the rank at a point says: the inverse function theorem (square J), a submersion
    (fewer components) or an immersion (fewer variables); and whether f is locally invertible
    with a differentiable inverse (None when J is not square)."""
    from jacobi.math.determinant import determinant

    m, n = f.m, f.n
    if m == n:
        d0 = determinant(j0).value
        if r0 == n:
            return (
                f"rank {r0} = {n}, det J = {to_text(d0)} ≠ 0: by the inverse function theorem f "
                f"is locally invertible near the point, with a differentiable inverse whose "
                f"Jacobian is J⁻¹ there",
                True,
            )
        return (
            f"rank {r0} < {n}, det J = 0: the inverse function theorem does not apply; f has no "
            f"differentiable local inverse there (it may still be one-to-one, as x^3 is at 0)",
            False,
        )
    if r0 == min(m, n) and m < n:
        return (
            f"rank {r0} = {m} (full, fewer components than variables): f is a submersion there, "
            f"not invertible; near the point the level set f = f(x0) is a manifold of dimension "
            f"{n - m} (implicit function theorem)",
            None,
        )
    if r0 == min(m, n):
        return (
            f"rank {r0} = {n} (full, more components than variables): f is an immersion there, "
            f"one-to-one near the point onto a piece of {_piece(n)} in R^{m}, "
            f"not onto a neighbourhood (not invertible as a map to R^{m})",
            None,
        )
    return (
        f"rank {r0} < {min(m, n)}: J is rank-deficient at the point: f is neither locally "
        f"invertible, a submersion nor an immersion there",
        None if m != n else False,
    )


@_notes_bounds()
def jac_rank(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The Jacobian with its generic rank, where the rank drops, and at a point what the
    rank says (the inverse function theorem for a square J).

    >>> from jacobi.commands import api
    >>> r = api.jac(["r*cos(t), r*sin(t)"], rank=True, at="2,0")
    >>> r.data["rank"], r.data["rank_at"], r.data["locally_invertible"]
    (2, 2, True)
    >>> api.jac(["x + y, (x + y)^2"], rank=True).data["rank"]
    1
    """
    from jacobi.math.singular import singular_set

    report = jacobian(f, point, layout)
    exact = derivatives.differentiate(f.components, f.variables)
    found = rk.generic_rank(exact, f.variables)
    facts: list[tuple[str, object]] = [("generic rank", _rank_words(found))]
    data: dict[str, object] = {
        "rank": found.rank,
        "full_rank": found.full,
        "rank_proved": found.proved,
    }
    if found.full and min(f.m, f.n) > 0:
        name, equation = rk.drop_equation(derivatives.jacobian(f))
        drops = singular_set(equation, f.variables)
        data["rank_drops"] = drops
        facts.append(("rank drops", SingularFact(drops, name, ", ".join(f.variable_names))))
    if point is not None and report.value is not None:
        j0 = report.value.T if layout == "denominator" else report.value
        r0 = rk.rank_at(j0)
        words, invertible = _theorem_words(f, r0, j0)
        data["rank_at"] = r0
        data["locally_invertible"] = invertible
        facts.append(("at the point", words))
    return replace(report, command="rank", facts=tuple(facts), data=data)
