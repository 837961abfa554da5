"""Expectations: a case's ``expect`` normalised, and a report compared with it.

``expect`` is a matrix in jacobi's language (the symbolic result), a number
(the numeric result), or a table of :data:`EXPECT_KEYS`. The comparison is
:func:`jacobi.math.check.compare_matrices`, the one ``jacobi check`` uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jacobi.errors import InputError

if TYPE_CHECKING:
    import sympy

    from jacobi.model import Report

#: Keys an ``expect`` table may have.
EXPECT_KEYS = ("result", "value", "numeric", "tol", "exit_code")
DEFAULT_TOL = 1e-9


def _labels(report: Report) -> list[str]:
    from jacobi.commands.check import entry_labels

    return entry_labels(report)


def _matrix(text: Any, key: str, report: Report) -> list[list[sympy.Expr]]:
    from jacobi.commands.check import declared_names
    from jacobi.lang import parse

    if not isinstance(text, str):
        raise InputError(f'expect.{key} must be a matrix written as text, e.g. "[[1, 1], [y, x]]"')
    rows: list[list[sympy.Expr]] = parse.parse_matrix(text, variables=declared_names(report))
    return rows


def _floats(value: Any) -> list[list[float]]:
    def num(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise InputError("expect.numeric must hold numbers")
        return float(v)

    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        return [[num(v) for v in r] for r in value]
    if isinstance(value, list):
        return [[num(v) for v in value]]
    return [[num(value)]]


def expectation(expect: Any) -> dict[str, Any]:
    """Normalise ``expect`` to a table of :data:`EXPECT_KEYS`."""
    if isinstance(expect, str):
        return {"result": expect}
    if isinstance(expect, int | float) and not isinstance(expect, bool):
        return {"numeric": expect}
    if isinstance(expect, list) and all(isinstance(e, str) for e in expect):
        return {"result": expect}  # one matrix per component (a vector function's Hessian)
    if not isinstance(expect, dict):
        raise InputError(
            "'expect' must be a matrix as text or a table (result, value, numeric, exit_code)"
        )
    unknown = [k for k in expect if k not in EXPECT_KEYS]
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r} in 'expect'", hint=f"keys: {', '.join(EXPECT_KEYS)}"
        )
    return dict(expect)


def _hessian_slices(report: Report) -> dict[str, list[sympy.MatrixBase]] | None:
    """The blocks of a vector function's Hessian (one per component, each followed by its
    value when there is a point), or None for any other report."""
    if report.command != "hessian" or report.function.m < 2:
        return None
    step = 2 if report.point is not None else 1
    blocks = [b.matrix for b in report.blocks]
    return {"result": blocks[::step], "value": blocks[1::step] if step == 2 else []}


def _differs(
    report: Report,
    actual: sympy.MatrixBase,
    text: Any,
    key: str,
    subs: Mapping[sympy.Symbol, sympy.Expr],
    seed: int,
) -> str | None:
    """Why the matrix ``actual`` is not the expected ``text`` (None when it is)."""
    from jacobi.lang.printing import to_text
    from jacobi.math.check import compare_matrices, fit_shape

    rows = [[e.xreplace(subs) for e in r] for r in _matrix(text, key, report)]
    wanted = fit_shape(rows, (actual.rows, actual.cols), f"expect.{key}")
    # Points where f itself is undefined prove nothing about its derivative.
    domain = [c.xreplace(subs) for c in report.function.components]
    labels = _labels(report)[: actual.rows * actual.cols]
    verdicts = compare_matrices(actual, wanted, labels, seed=seed, domain=domain)
    bad = [v for v in verdicts if not v.ok]
    if not bad:
        return None
    v = bad[0]
    more = f" ({len(bad)} entries differ)" if len(bad) > 1 else ""
    if v.status == "unverified":
        return f"{v.label} could not be compared with the expected {to_text(v.given)}{more}"
    return f"{v.label} is {to_text(v.correct)}, expected {to_text(v.given)}{more}"


def compare(report: Report, expect: Mapping[str, Any], *, seed: int = 0) -> str | None:
    """Why ``report`` does not meet ``expect`` (None when it does)."""
    import sympy

    from jacobi.math.check import fit_shape
    from jacobi.math.evaluate import to_float

    subs = {p: v for p, v in report.function.parameters if v is not None}
    first = report.blocks[0].matrix if report.blocks else None
    slices = _hessian_slices(report)
    for key in ("result", "value"):
        if key not in expect:
            continue
        if slices is not None:
            actuals = slices[key]
            texts = expect[key]
            if not isinstance(texts, list) or len(texts) != len(actuals):
                raise InputError(
                    f"expect.{key}: the Hessian of a vector function is one matrix per component "
                    f"({len(actuals)} here)",
                    hint='give a list of matrices, e.g. ["[[2, 0], [0, 0]]", "[[0, 0], [0, 2]]"]',
                )
            if key == "value" and not actuals:
                raise InputError("expect.value needs a point: give 'at'")
            pairs = [
                (a, t, f"H_f{k + 1} ") for k, (a, t) in enumerate(zip(actuals, texts, strict=True))
            ]
        else:
            actual = first if key == "result" else report.value
            if actual is None and key == "result":
                raise InputError(f"expect.result: {report.command} has no matrix to compare")
            if actual is None:
                raise InputError("expect.value needs a point: give 'at'")
            pairs = [(actual, expect[key], "")]
        for actual, text, prefix in pairs:
            why = _differs(report, actual, text, key, subs, seed)
            if why is not None:
                return prefix + why
    if "numeric" in expect:
        actual = report.value if report.value is not None else first
        if actual is None:
            raise InputError(f"expect.numeric: {report.command} has no matrix to compare")
        tol = expect.get("tol", DEFAULT_TOL)
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
            raise InputError("expect.tol must be a non-negative number")
        wanted_m = fit_shape(
            [[sympy.Float(v) for v in r] for r in _floats(expect["numeric"])],
            (actual.rows, actual.cols),
            "expect.numeric",
        )
        labels = _labels(report)
        for k in range(len(actual)):
            got = to_float(actual[k])
            want = float(wanted_m[k])
            if got is None or abs(got - want) > tol * max(1.0, abs(want)):
                shown = "not a number" if got is None else f"{got:.12g}"
                return f"{labels[k]} is {shown}, expected {want:.12g} (tolerance {tol:g})"
    return None
