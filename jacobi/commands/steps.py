"""``--steps`` and ``--entry``: the derivations of a result's entries (issue 12).

:func:`with_steps` adds to a command's :class:`~jacobi.model.Report` the derivation
(:mod:`jacobi.math.steps`) of each entry it shows: the entries ∂f_i/∂x_j of the
Jacobian for ``jac``, ``grad``, ``jvp``, ``vjp`` and ``linearize`` (the products and
the linearisation are made of them), the second derivatives of ``hessian`` (the
derivative of a gradient entry), det J and then J's entries for ``det``
(:func:`jacobi.math.steps_matrix.determinant_steps`), the product's entries for ``chain``
(:func:`jacobi.math.steps_matrix.chain_steps`, from the report's
:attr:`~jacobi.model.Report.source`). Each derivation ends with the result's own entry
as the report holds it (``linearize`` shows only J(x0): there J is
:func:`jacobi.math.derivatives.jacobian`, as ``jac`` computes it), and with ``--at`` its
value at the point.

Without ``--entry`` at most :data:`MAX_ENTRIES` entries are shown, in row order, and
only the non-trivial ones: an entry that is 0, or a constant number, is left out (and
counted) unless ``--entry`` asks for it. The bound is a count, so the same input gives
the same output everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import sympy

from jacobi.commands.common import component_labels
from jacobi.errors import InputError
from jacobi.math import derivatives, evaluate, sparse
from jacobi.math.steps import Derivation, Line, at_point, derivative_steps, entry_derivative
from jacobi.math.steps_matrix import chain_steps, determinant_steps
from jacobi.model import EntrySteps, Report, Steps, entry_name

__all__ = ["MAX_ENTRIES", "parse_entry", "with_steps"]

MAX_ENTRIES = 12
"""Most entries whose steps are shown without ``--entry``."""

#: The commands whose steps are those of the Jacobian's entries.
_JACOBIAN_COMMANDS = ("jac", "rank", "grad", "jvp", "vjp", "linearize")

_INDEX = re.compile(r"\s*\d+\s*(,\s*\d+\s*)*")

Index = tuple[int, ...]


def parse_entry(text: str, shape: Sequence[int], what: str, names: Sequence[str]) -> Index:
    """``--entry I,J`` (1-based) as a 0-based index into a result of ``shape``.

    ``what`` names the result in messages (``"the 2×2 Jacobian"``) and ``names`` what
    each index counts (``"the component"``, ``"the variable: x, y"``). A gradient
    (shape ``(1, n)``) also takes ``J`` alone.

    >>> parse_entry("2,1", (2, 3), "the Jacobian", ["the component", "the variable"])
    (1, 0)
    >>> parse_entry("3", (1, 3), "the gradient", ["the row", "the variable"])
    (0, 2)
    >>> parse_entry("3,1", (2, 2), "the 2×2 Jacobian", ["the component", "the variable"])
    Traceback (most recent call last):
    ...
    jacobi.errors.InputError: --entry 3,1 is outside the 2×2 Jacobian: I is 3 but must be 1 to 2
    """
    letters = "IJK"
    spelled = ",".join(letters[k] for k in range(len(shape)))
    example = ",".join("1" for _ in shape)
    counted = list(enumerate(zip(names, shape, strict=True)))
    if len(shape) == 2 and shape[0] == 1:
        counted = counted[1:]  # a gradient's one row goes without saying
        example = "1"
    ranges = "; ".join(_range(letters[k], noun, n) for k, (noun, n) in counted)
    shown = text.strip()
    if not _INDEX.fullmatch(text):
        raise InputError(
            f"--entry must be {spelled}, whole numbers from 1, not {text!r}",
            hint=f"e.g. --entry {example}: {ranges}",
        )
    values = [int(part) for part in text.split(",")]
    if len(values) == 1 and len(shape) == 2 and shape[0] == 1:
        values = [1, values[0]]  # a gradient: the variable alone
    if len(values) != len(shape):
        plural = "s" if len(values) != 1 else ""
        raise InputError(
            f"--entry {shown} has {len(values)} number{plural}, but an entry of {what} has "
            f"{len(shape)} ({spelled})",
            hint=f"e.g. --entry {example}: {ranges}",
        )
    for k, (v, n) in enumerate(zip(values, shape, strict=True)):
        if not 1 <= v <= n:
            raise InputError(
                f"--entry {shown} is outside {what}: {letters[k]} is {v} but must be 1 to {n}",
                hint=f"entries are numbered from 1: {ranges}",
            )
    return tuple(v - 1 for v in values)


def _range(letter: str, noun: str, n: int) -> str:
    """``J is the variable, 1 to 2: x, y`` (``noun`` is ``"the variable: x, y"``)."""
    what, colon, listed = noun.partition(":")
    return f"{letter} is {what}, 1 to {n}{colon}{listed}"


def _listing(names: Sequence[str], most: int = 6) -> str:
    """``x, y, z``, or ``u1, u2, ..., u200`` for many names."""
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:2])}, ..., {names[-1]}"


def _spell(index: Index, gradient: bool = False) -> str:
    """The ``--entry`` value of a 0-based index."""
    if gradient:
        return str(index[1] + 1)
    return ",".join(str(k + 1) for k in index)


def _numerator(matrix: sympy.ImmutableMatrix, layout: str) -> sympy.ImmutableMatrix:
    return matrix.T if layout == "denominator" else matrix


def _block(report: Report, *names: str) -> sympy.ImmutableMatrix | None:
    """The matrix of the block named one of ``names`` (or its transpose, ``name`` + ``ᵀ``),
    in numerator layout."""
    for block in report.blocks:
        if block.name in names:
            return block.matrix
        if block.name.endswith("ᵀ") and block.name[:-1] in names:
            return block.matrix.T
    return None


def _point(report: Report) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    assert report.point is not None
    return list(zip(report.point.variables, report.point.values, strict=True))


def _pick(
    matrix: sympy.ImmutableMatrix,
    entry: Index | None,
) -> tuple[list[Index], int, int]:
    """The entries to show: ``entry``; every non-zero one when there are at most
    :data:`MAX_ENTRIES` (``x + y`` by the sum rule too: a student asks how each entry came
    about); else the first :data:`MAX_ENTRIES` non-constant ones in row order. And how many
    non-constant and constant non-zero entries are left out."""
    if entry is not None:
        return [entry], 0, 0
    entries = sparse.nonzero(matrix)
    if len(entries) <= MAX_ENTRIES:
        return [key for key, _ in entries], 0, 0
    shown: list[Index] = []
    more = constant = 0
    for key, value in entries:
        if not value.free_symbols:
            constant += 1
        elif len(shown) < MAX_ENTRIES:
            shown.append(key)
        else:
            more += 1
    return shown, more, constant


def _example(
    matrices: Sequence[sympy.ImmutableMatrix], shown: Sequence[Index], gradient: bool = False
) -> str:
    """An ``--entry`` value for the words on what was left out: the first entry not shown
    that has steps, else the first constant one. ``matrices`` has one matrix, or one per
    component (then the component is the first index)."""
    seen = set(shown)
    constant = ""
    for c, matrix in enumerate(matrices):
        prefix: Index = (c,) if len(matrices) > 1 else ()
        for key, value in sparse.nonzero(matrix):
            index = (*prefix, *key)
            if index in seen:
                continue
            if value.free_symbols:
                return _spell(index, gradient)
            constant = constant or _spell(index, gradient)
    return constant


# --------------------------------------------------------------------------- Jacobians


def _jacobian_steps(report: Report, entry: str | None) -> Steps:
    f = report.function
    command = report.command
    layout = report.layout
    if command == "det":
        jac = _numerator(report.blocks[1].matrix, layout)  # the Jacobian block, after det J
    elif command in ("jac", "rank", "grad"):
        jac = _numerator(report.blocks[0].matrix, layout)
    else:
        found = _block(report, "J")
        jac = found if found is not None else derivatives.jacobian(f)
    values: sympy.ImmutableMatrix | None = None
    if report.point is not None:
        if command in ("jac", "rank", "grad") and report.value is not None:
            values = _numerator(report.value, layout)
        elif command == "det":
            values = _numerator(report.blocks[2].matrix, layout)  # J at the point
        else:
            values = _block(report, "J(x0)")
    gradient = command == "grad"
    what = (
        f"the gradient of {f.n} entr{'y' if f.n == 1 else 'ies'}"
        if gradient
        else f"the {f.m}×{f.n} Jacobian"
        + (" (of the products)" if command in ("jvp", "vjp") else "")
    )
    index = None
    if entry is not None:
        component = "the component" if not gradient else "the row"
        variables = f"the variable: {_listing(f.variable_names)}"
        index = parse_entry(entry, (f.m, f.n), what, [component, variables])
    picked, more, constant = _pick(jac, index)
    labels = component_labels(f)
    exact = derivatives.differentiate(f.components, f.variables) if report.point else None
    out = []
    for i, j in picked:
        d = derivative_steps(f.components[i], f.variables[j], result=jac[i, j])
        if report.point is not None:
            if values is not None:
                value = values[i, j]
            else:
                assert exact is not None
                value = evaluate.value_at(
                    exact[i, j],
                    report.point.mapping(),
                    where=f"entry ({i + 1}, {j + 1})",
                    strict=False,
                    directions=report.point.variables,
                )
            d = at_point(d, _point(report), value)
        label = entry_name(labels[i], f"∂/∂{f.variables[j].name}")
        out.append(EntrySteps(label or f"J[{i + 1}, {j + 1}]", (i, j), d))
    return Steps(
        tuple(out),
        more=more,
        constant=constant,
        entry="J" if gradient else "I,J",
        example=_example([jac], picked, gradient) if more or constant else "",
    )


# --------------------------------------------------------------------------- Hessians


def second_steps(
    f: sympy.Expr, xi: sympy.Symbol, xj: sympy.Symbol, result: sympy.Expr
) -> Derivation:
    """∂²f/∂x_i∂x_j as the derivative by x_j of the gradient entry ∂f/∂x_i: the first
    derivative's own derivation is the child of the line that uses it."""
    first = entry_derivative(f, xi)
    inner = derivative_steps(f, xi, result=first)
    outer = derivative_steps(first, xj, result=result)
    start = sympy.Derivative(sympy.Derivative(f, xi, evaluate=False), xj, evaluate=False)
    lines = (
        Line(start, "derivative"),
        Line(outer.first, "first derivative", children=(inner,)),
        *outer.lines[1:],
    )
    return Derivation(lines)


def _hessian_steps(report: Report, entry: str | None) -> Steps:
    f = report.function
    n = f.n
    names = f.variable_names
    layout = report.layout
    variable = f"the variable: {_listing(names)}"
    if f.m == 1:
        hessians = [_numerator(report.blocks[0].matrix, layout)]
        values = [_numerator(report.value, layout)] if report.value is not None else []
        shape: tuple[int, ...] = (n, n)
        kinds = [variable.replace("the", "the first", 1), variable.replace("the", "the second", 1)]
        what = f"the {n}×{n} Hessian"
    else:
        # one block per component, each followed by its value at the point when there is one
        step = 2 if report.point is not None else 1
        blocks = report.blocks
        hessians = [_numerator(blocks[k * step].matrix, layout) for k in range(f.m)]
        values = (
            [_numerator(blocks[k * step + 1].matrix, layout) for k in range(f.m)]
            if step == 2
            else []
        )
        shape = (f.m, n, n)
        kinds = [
            "the component",
            variable.replace("the", "the first", 1),
            variable.replace("the", "the second", 1),
        ]
        what = f"the {f.m}×{n}×{n} Hessians"
    picked: list[Index] = []
    more = constant = 0
    if entry is not None:
        picked = [parse_entry(entry, shape, what, kinds)]
    else:
        for c, h in enumerate(hessians):
            got, m_, k_ = _pick(h, None)
            prefix: Index = (c,) if f.m > 1 else ()
            for key in got:
                if len(picked) < MAX_ENTRIES:
                    picked.append((*prefix, *key))
                else:
                    more += 1
            more += m_
            constant += k_
    labels = component_labels(f)
    out = []
    for index in picked:
        c, (i, j) = (index[0], index[1:]) if f.m > 1 else (0, index)
        d = second_steps(f.components[c], f.variables[i], f.variables[j], hessians[c][i, j])
        if report.point is not None and values:
            d = at_point(d, _point(report), values[c][i, j])
        label = entry_name(f"∂/∂{names[i]}", f"∂/∂{names[j]}") or ""
        if f.m > 1:
            label = label.replace("f", labels[c], 1)
        out.append(EntrySteps(label, index, d))
    example = _example(hessians, picked) if more or constant else ""
    spelled = "I,J" if f.m == 1 else "I,J,K"
    return Steps(tuple(out), more=more, constant=constant, entry=spelled, example=example)


# --------------------------------------------------------------------------- det and chain


def _det_steps(report: Report, entry: str | None) -> Steps:
    """det J: its derivation (the 2×2 formula or a cofactor expansion, then the
    simplification) first, then those of J's entries; ``--entry`` picks one entry of J."""
    if report.blocks[0].name != "det J":
        raise InputError(
            "--steps shows how det J is derived, not the volume element",
            hint="leave out --volume to see the steps of det J",
        )
    entries = _jacobian_steps(report, entry)
    if entry is not None:
        return entries
    jac = _numerator(report.blocks[1].matrix, report.layout)
    d = determinant_steps(jac, result=report.blocks[0].matrix[0, 0])
    if report.point is not None and report.value is not None:
        d = at_point(d, _point(report), report.value[0, 0])
    first = EntrySteps("det J", (), d)
    return replace(entries, entries=(first, *entries.entries))


def _chain_steps(report: Report, entry: str | None) -> Steps:
    """The entries of the chain rule's product, each as Σ_k ∂g_i/∂u_k ∂h_k/∂x_j with the
    factors' derivations as its children, then simplified."""
    chain = report.source
    product = chain.product
    m, n = product.shape
    names = report.function.variable_names
    rows = (
        report.blocks[0].row_labels if report.layout == "numerator" else report.blocks[0].col_labels
    )
    index = None
    if entry is not None:
        kinds = ["the component", f"the variable: {_listing(names)}"]
        index = parse_entry(entry, (m, n), f"the {m}×{n} chain rule product", kinds)
    picked, more, constant = _pick(product, index)
    values = _numerator(report.value, report.layout) if report.value is not None else None
    out = []
    for i, j in picked:
        d = chain_steps(chain, i, j)
        if report.point is not None and values is not None:
            d = at_point(d, _point(report), values[i, j])
        label = entry_name(rows[i], f"∂/∂{names[j]}") or f"J[{i + 1}, {j + 1}]"
        out.append(EntrySteps(label, (i, j), d))
    example = _example([product], picked) if more or constant else ""
    return Steps(tuple(out), more=more, constant=constant, entry="I,J", example=example)


# --------------------------------------------------------------------------- the entry point


def with_steps(report: Report, entry: str | None) -> Report:
    """``report`` with the derivations ``--steps`` shows (``entry``: ``--entry``'s text).

    >>> from jacobi.commands import api
    >>> r = api.jac(["x+y, x*y"], steps=True)
    >>> [(e.label, e.derivation.last) for e in r.steps.entries]
    [('∂f1/∂x', 1), ('∂f1/∂y', 1), ('∂f2/∂x', y), ('∂f2/∂y', x)]
    >>> r.steps.constant, r.steps.example
    (0, '')
    """
    if report.command in _JACOBIAN_COMMANDS:
        steps = _jacobian_steps(report, entry)
    elif report.command == "det":
        steps = _det_steps(report, entry)
    elif report.command == "chain" and report.source is not None:
        steps = _chain_steps(report, entry)
    elif report.command == "hessian":
        steps = _hessian_steps(report, entry)
    elif report.command == "inverse":
        raise InputError(
            "--steps shows how the entries of J are derived, not those of J⁻¹",
            hint="leave out --inverse to see the steps of J",
        )
    elif report.command == "sparsity":
        raise InputError(
            "--steps shows how the entries of J are derived, and --sparsity only where they "
            "are not 0",
            hint="ask for one, then the other",
        )
    else:
        raise InputError(f"--steps is not available for {report.command}")
    return replace(report, steps=steps)
