"""``jacobi check``: is this Jacobian right? The report and its words.

Two checks, both computed in :mod:`jacobi.math`:

* with ``against``, :func:`jacobi.math.check.compare_matrices` compares the
  claimed matrix with the true Jacobian entry by entry (:func:`against_report`);
* without it, :func:`jacobi.math.gradcheck.gradient_check` compares central
  finite differences with the symbolic Jacobian (:func:`finite_difference_report`),
  in float64 code from :func:`jacobi.numeric.points.compile_exprs`.

This module builds the :class:`~jacobi.model.Report`: the fact lines, the
verdict and summary, and the JSON data. It never renders.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import sympy

from jacobi.commands import jac as jac_command
from jacobi.errors import InputError, LimitError, UndefinedError
from jacobi.lang import parse
from jacobi.lang.printing import to_text
from jacobi.math import evaluate, gradcheck, magnitude, sparse
from jacobi.math.check import DIGITS, SAMPLE_RANGE, EntryVerdict, compare_matrices, fit_shape
from jacobi.math.gradcheck import THRESHOLD, PointCheck
from jacobi.model import MatrixBlock, Report, VectorFunction, entry_name
from jacobi.numeric.points import compile_exprs

#: The most random points ``--samples`` may ask for.
MAX_SAMPLES = 1000


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
    """Check a Jacobian: a claimed one (``against``), or the symbolic one by finite differences.

    The report's ``data["verdict"]`` is ``"right"`` or ``"wrong"``, and ``passed``
    says the same; the CLI exits 1 when it is False.

    Examples
    --------
    >>> check(["x+y, x*y"], against="[[1, 1], [y, x]]").data["verdict"]
    'right'
    >>> r = check(["x+y, x*y"], against="[[1, 1], [x, x]]")
    >>> r.data["verdict"], r.data["summary"]
    ('wrong', 'failed: 1 of 4 entries is wrong')
    >>> check(["x*y, sin(x)"], samples=3).data["summary"]
    'passed: finite differences agree with the Jacobian at 3 points'
    """
    _check_samples(samples)
    try:
        base = jac_command.jac(
            exprs, variables=variables, params=params, at=at, layout=layout, inverse=False
        )
    except UndefinedError as exc:
        raise UndefinedError(
            f"no derivative at the point {at}: {exc.message}", hint=exc.hint
        ) from None
    if against is not None:
        return against_report(base, against, samples=samples, seed=seed)
    return finite_difference_report(base, samples=samples, seed=seed)


def _check_samples(samples: int) -> None:
    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(
            f"--samples must be between 1 and {MAX_SAMPLES}, not {samples}",
            hint="a handful of points (the default 5) is usually enough",
        )


def gradient_check(
    f: VectorFunction,
    matrix: sympy.MatrixBase,
    points: Sequence[Sequence[float]],
    params: Sequence[Sequence[float]] = (),
) -> list[PointCheck]:
    """:func:`jacobi.math.gradcheck.gradient_check` in jacobi's float64 code.

    The values of ``f`` and ``matrix`` come from
    :func:`jacobi.numeric.points.compile_exprs`, as in ``jacobi check``.

    >>> from jacobi import function, jacobian
    >>> f = function("x*y, sin(x)")
    >>> [c.ok for c in gradient_check(f, jacobian(f), [[0.5, 2.0], [1.0, -1.0]])]
    [True, True]
    """
    return gradcheck.gradient_check(f, matrix, points, params, compiler=compile_exprs)


# ------------------------------------------------------------------------------- labels


def declared_names(report: Report) -> list[str]:
    """The names the function uses, so that ``e`` in a claim means what it means in ``f``."""
    f = report.function
    return [*f.variable_names, *(p.name for p, _ in f.parameters)]


def entry_labels(report: Report) -> list[str]:
    """``entry (i, j) NAME`` for every entry of the report's first block, row by row.

    >>> entry_labels(check(["x+y, x*y"], against="[[1, 1], [y, x]]"))[2]
    'entry (2, 1) df2/dx'
    """
    block = report.blocks[0]
    return [
        f"entry ({i + 1}, {j + 1}){_suffix(_ascii(block.row_labels[i], block.col_labels[j]))}"
        for i in range(block.matrix.rows)
        for j in range(block.matrix.cols)
    ]


def _suffix(name: str) -> str:
    return f" {name}" if name else ""


def _ascii(row: str, col: str) -> str:
    """The entry's name in ASCII (:func:`jacobi.model.entry_name`); for a block that is not a
    derivative (a determinant, a linearisation) the row names it, if anything.

    >>> _ascii("f2", "∂/∂x"), _ascii("∂/∂x", "∂/∂x"), _ascii("det J", ""), _ascii("f", "L")
    ('df2/dx', 'd^2f/dx^2', 'det J', '')
    """
    name = entry_name(row, col, ascii=True)
    if name is not None:
        return name
    return row if not col else ""


# ------------------------------------------------------------------- --against MATRIX


def against_report(report: Report, against: str, *, samples: int = 5, seed: int = 0) -> Report:
    """Check the claimed matrix ``against`` (jacobi's language) against ``report``'s result.

    With a point in ``report``, the claim is compared with the value there (the
    claim may be written with the variables; they are substituted).
    """
    f = report.function
    rows = parse.parse_matrix(against, variables=declared_names(report))
    subs = {p: v for p, v in f.parameters if v is not None}
    correct = report.blocks[0].matrix
    given = fit_shape(
        [[e.xreplace(subs) for e in r] for r in rows], (correct.rows, correct.cols), "--against"
    )
    claimed_block = MatrixBlock(
        name="claimed",
        matrix=sympy.ImmutableMatrix(given),
        row_labels=report.blocks[0].row_labels,
        col_labels=report.blocks[0].col_labels,
        title="claimed",
    )
    if report.point is not None and report.value is not None:
        values = report.point.mapping()
        at_given = []
        for k, e in enumerate(given):
            where = entry_labels(report)[k].replace("entry", "claimed entry")
            at_given.append(evaluate.value_at(e, values, where=where))
        given = sympy.Matrix(correct.rows, correct.cols, at_given)
        correct = report.value
        claimed_block = MatrixBlock(
            name="claimed",
            matrix=sympy.ImmutableMatrix(given),
            row_labels=report.blocks[0].row_labels,
            col_labels=report.blocks[0].col_labels,
            title="claimed, at the point",
        )
    # Without a point, random points outside f's domain say nothing about f's derivative.
    domain = [] if report.point is not None else [c.xreplace(subs) for c in f.components]
    verdicts = compare_matrices(
        correct, given, entry_labels(report), samples=samples, seed=seed, domain=domain
    )
    facts, verdict, summary = verdict_facts(verdicts)
    return Report(
        command="check",
        function=f,
        layout=report.layout,
        blocks=(*report.blocks, claimed_block),
        point=report.point,
        value=report.value,
        facts=(*facts, ("check", summary)),
        passed=verdict == "right",
        data={
            "check": "against",
            "verdict": verdict,
            "summary": summary,
            "against": _strings(given),
            "entries": [_verdict_json(v) for v in verdicts],
        },
    )


def verdict_facts(verdicts: Sequence[EntryVerdict]) -> tuple[list[tuple[str, str]], str, str]:
    """The fact lines for a comparison, the verdict (``right``/``wrong``) and a summary."""
    facts = []
    for v in verdicts:
        if v.status == "wrong":
            at = ", ".join(f"{k} = {x:g}" for k, x in v.witness.items())
            given_text, correct_text = v.values_text
            where = f" (at {at}: {given_text} vs {correct_text})" if at else ""
            if not v.witness:
                where = f" (they differ by {to_text(sympy.simplify(v.given - v.correct))})"
            facts.append(
                (
                    "wrong",
                    f"{v.label}: given {to_text(v.given)}, correct {to_text(v.correct)}{where}",
                )
            )
        elif v.status == "unverified":
            facts.append(
                (
                    "unverified",
                    f"{v.label}: undefined, or not computable to {DIGITS} digits, at every "
                    "sample point: could not compare",
                )
            )
        elif v.status == "numeric" and v.given != v.correct:
            why = f" (not tried: {v.skipped})" if v.skipped else ""
            facts.append(
                (
                    "note",
                    f"{v.label}: {to_text(v.given)} equals {to_text(v.correct)} at "
                    f"{_at_points(v.points)}; not proved symbolically{why}",
                )
            )
    bad = [v for v in verdicts if not v.ok]
    n = len(verdicts)
    if bad:
        wrong = sum(v.status == "wrong" for v in verdicts)
        parts = []
        if wrong:
            verb = "is" if wrong == 1 else "are"
            parts.append(f"{wrong} of {n} entr{'y' if n == 1 else 'ies'} {verb} wrong")
        if len(bad) > wrong:
            parts.append(f"{len(bad) - wrong} could not be checked")
        return facts, "wrong", "failed: " + ", ".join(parts)
    numeric = [v.points for v in verdicts if v.status == "numeric" and v.given != v.correct]
    if numeric:
        what = "the entry is equal" if n == 1 else f"all {n} entries are equal"
        return (
            facts,
            "right",
            f"passed: {what} at {_at_points(min(numeric))}, not proved symbolically",
        )
    return (
        facts,
        "right",
        "passed: " + ("the entry is right" if n == 1 else f"all {n} entries are right"),
    )


def _at_points(n: int) -> str:
    return f"{n} random point{'s' if n != 1 else ''} in [-{SAMPLE_RANGE}, {SAMPLE_RANGE}]"


def _verdict_json(v: EntryVerdict) -> dict[str, Any]:
    """One entry of the JSON ``entries``: its position, status, both sides and any witness."""
    out: dict[str, Any] = {
        "entry": [v.row, v.col],  # 0-based, like the arrays
        "status": v.status,
        "given": to_text(v.given),
        "correct": to_text(v.correct),
    }
    if v.status == "numeric":
        out["points"] = v.points
    if v.skipped:
        out["symbolic"] = f"not tried: {v.skipped}"
    if v.witness:
        out["at"], out["at_numeric"] = _at_json(v.witness)
        out["given_value"] = _json_number(v.given_value, v.values_text[0])
        out["correct_value"] = _json_number(v.correct_value, v.values_text[1])
    return out


def _at_json(at: Mapping[str, float]) -> tuple[dict[str, str], dict[str, float]]:
    """A sampled point as everywhere in the JSON: exact strings (the decimals used), and
    their numeric twin."""
    return {k: repr(float(x)) for k, x in at.items()}, {k: float(x) for k, x in at.items()}


def _json_number(value: float | None, text: str) -> float | str | None:
    """A finite float as a JSON number; a value beyond float range as its text."""
    if value is not None and math.isfinite(value) and (value == 0 or abs(value) > 1e-300):
        return value
    return text or None


# ------------------------------------------------------------------ finite differences


def finite_difference_report(report: Report, *, samples: int = 5, seed: int = 0) -> Report:
    """The gradient check for ``report`` (a ``jac`` report): at its point, or random points.

    At a given point the Jacobian must exist exactly (else
    :class:`~jacobi.errors.UndefinedError`: the function is not differentiable
    there, exit 3); random points where it does not are skipped.
    """
    f = report.function
    matrix = report.blocks[0].matrix
    if report.layout == "denominator":
        matrix = matrix.T
    if report.point is not None:
        checks = _check_at_the_point(report, matrix)
    else:
        checks = _check_at_random_points(f, matrix, samples=samples, seed=seed)
    facts, points_json, verdict, summary = _finite_difference_facts(report, checks)
    return Report(
        command="check",
        function=f,
        layout=report.layout,
        blocks=report.blocks,
        point=report.point,
        value=report.value,
        facts=tuple(facts),
        passed=verdict == "right",
        data={
            "check": "finite-differences",
            "verdict": verdict,
            "summary": summary,
            "threshold": THRESHOLD,
            "points": points_json,
        },
    )


def _check_at_the_point(report: Report, matrix: sympy.MatrixBase) -> list[PointCheck]:
    """The gradient check at ``report``'s point, which must be a real point within float64."""
    assert report.point is not None
    f = report.function
    free = [p for p, v in f.parameters if v is None]
    if free:
        raise InputError(
            f"the parameter {free[0].name} has no value",
            hint=f"give it with --param {free[0].name}=VALUE",
        )
    x = [magnitude.to_float(v) for v in report.point.values]
    for value, as_float in zip(report.point.values, x, strict=True):
        if as_float is None and value.is_extended_real and value.is_finite:
            raise LimitError(
                f"cannot check the derivative at {to_text(value)}: the point is beyond "
                "float64 range",
                hint="finite differences are taken in float64 (up to about 1.8e308)",
            )
    if any(v is None for v in x):
        raise InputError("--at must be a real point for a finite-difference check")
    checks = gradient_check(f, matrix, [[float(v) for v in x if v is not None]])
    c = checks[0]
    if c.reason == "overflow":
        raise LimitError(
            f"cannot check the derivative at {_at_text(c.at)}: {c.note}",
            hint="finite differences are taken in float64 (up to about 1.8e308)",
        )
    if c.error is None:
        raise UndefinedError(
            f"cannot check the derivative at {_at_text(c.at)}: {c.note}",
            hint="central differences need the function on both sides of the point",
        )
    return checks


def _check_at_random_points(
    f: VectorFunction, matrix: sympy.MatrixBase, *, samples: int, seed: int
) -> list[PointCheck]:
    """The gradient check at ``samples`` seeded random points where it can be made.

    Points are drawn ``samples`` at a time, at most ``20·samples`` in all.
    """
    free = [p for p, v in f.parameters if v is None]
    rng = random.Random(seed)
    checks: list[PointCheck] = []
    tried = 0
    while len(checks) < samples and tried < 20 * samples:
        batch = [
            [round(rng.uniform(-2.0, 2.0), 4) or 0.5 for _ in f.variables] for _ in range(samples)
        ]
        extra = [[round(rng.uniform(0.5, 2.0), 4) for _ in free] for _ in range(samples)]
        tried += samples
        for c in gradient_check(f, matrix, batch, extra):
            if c.error is not None and len(checks) < samples:
                checks.append(c)
    if not checks:
        raise UndefinedError(
            "no random point where the function and its Jacobian are defined and within "
            f"float64 range (tried {tried})",
            hint="give a point in the domain with --at",
        )
    return checks


def _finite_difference_facts(
    report: Report, checks: Sequence[PointCheck]
) -> tuple[list[tuple[str, str]], list[dict[str, Any]], str, str]:
    """The fact lines, the JSON points, the verdict and the summary of a gradient check."""
    labels = entry_labels(report)
    facts: list[tuple[str, str]] = []
    points_json = []
    for k, c in enumerate(checks):
        line = _point_line(c, labels, report.layout == "denominator", report.function.n)
        facts.append((f"point {k + 1}", f"{_at_text(c.at)}: {line}"))
        at, at_numeric = _at_json(c.at)
        entry: dict[str, Any] = {
            "at": at,
            "at_numeric": at_numeric,
            "relative_error": c.error,
            "passed": c.ok,
        }
        if c.ok != (c.error is not None and c.error < THRESHOLD):
            entry["note"] = line.removesuffix(" ok").removesuffix(" FAILED")
        points_json.append(entry)
    bad = [c for c in checks if not c.ok]
    where = f"{len(checks)} point{'s' if len(checks) != 1 else ''}"
    if bad:
        verdict = "wrong"
        summary = (
            f"failed: finite differences disagree with the Jacobian at {len(bad)} of {where} "
            "(not differentiable there, or a kink within one step)"
        )
    else:
        verdict = "right"
        summary = f"passed: finite differences agree with the Jacobian at {where}"
    facts.append(("step", "h = cbrt(eps)*max(1, |x_j|), central differences"))
    facts.append(("check", summary))
    return facts, points_json, verdict, summary


def _at_text(at: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:.6g}" for k, v in at.items())


def _point_line(c: PointCheck, labels: Sequence[str], transposed: bool, n: int) -> str:
    """``relative error 2.9e-11 (< 1e-06) ok``, with the entrywise reason where it decides.

    The verdict is entrywise (:func:`entry_agrees`); the book's relative error is
    shown, and where the two disagree (a derivative of 0: relative error 1, but
    within the absolute floor) the line says why.
    """
    assert c.error is not None
    rel = f"relative error {c.error:.1e}"
    below = c.error < THRESHOLD
    mark = "ok" if c.ok else "FAILED"
    if c.ok == below or c.worst is None:
        return f"{rel} ({'<' if below else '>='} {THRESHOLD:g}) {mark}"
    i, j, err, tol, extrapolated = c.worst
    label = labels[j * len(labels) // n + i] if transposed else labels[i * n + j]
    if c.ok:
        what = "extrapolated from steps h and 2h, " if extrapolated else ""
        return (
            f"{rel} (>= {THRESHOLD:g}), but every entry is within its absolute tolerance "
            f"(closest: {label}, {what}|dh - df| = {err:.1e} <= {tol:.1e}) ok"
        )
    return f"{rel} (< {THRESHOLD:g}), but {label}: |dh - df| = {err:.1e} > {tol:.1e} FAILED"


def _strings(matrix: sympy.MatrixBase) -> list[list[str]]:
    """Every entry printed by itself with :func:`~jacobi.lang.printing.to_text`, row by row."""
    return sparse.strings(matrix, to_text)
