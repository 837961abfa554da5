"""Comparing a claimed Jacobian with the true one (:mod:`jacobi.math.check`): symbolically
with count-bounded effort, then at seeded 30-digit points."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jacobi.errors import ShapeError
from jacobi.lang.parse import symbol
from jacobi.math.check import compare_matrices, fit_shape, real_value, sample_points

x, y = symbol("x"), symbol("y")


def test_compare_matrices_names_the_point_where_entries_differ() -> None:
    (v,) = compare_matrices(sympy.Matrix([[x * y]]), sympy.Matrix([[x + y]]))
    assert v.status == "wrong"
    assert set(v.witness) == {"x", "y"}
    px, py = v.witness["x"], v.witness["y"]
    assert v.correct_value == pytest.approx(px * py)
    assert v.given_value == pytest.approx(px + py)


def test_compare_matrices_skips_points_outside_the_domain() -> None:
    # sqrt(x)^2 = x only for x >= 0: random points with x < 0 are skipped, not failed.
    (v,) = compare_matrices(sympy.Matrix([[sympy.sqrt(x) ** 2]]), sympy.Matrix([[x]]))
    assert v.ok


polys = st.lists(st.integers(-5, 5), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None)
@given(polys)
def test_property_expanded_and_factored_derivatives_agree(a: list[int]) -> None:
    p = sum(c * (x + 1) ** k for k, c in enumerate(a))
    d = sympy.diff(p, x)
    verdicts = compare_matrices(sympy.Matrix([[sympy.expand(d)]]), sympy.Matrix([[d]]))
    assert all(v.ok for v in verdicts)
    off = compare_matrices(sympy.Matrix([[d]]), sympy.Matrix([[d + x / 7 + 1]]))
    assert not any(v.ok for v in off)


def test_symbolic_proof_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine 1000 times slower: every clock reading jumps by 100 s. The proof that
    # cos(x)^2 - sin(x)^2 = cos(2x) is bounded by counts, so it still goes through.
    import time

    now = [0.0]

    def slow_clock() -> float:
        now[0] += 100.0
        return now[0]

    monkeypatch.setattr(time, "monotonic", slow_clock)
    monkeypatch.setattr(time, "perf_counter", slow_clock)
    right = sympy.Matrix([[sympy.cos(x) ** 2 - sympy.sin(x) ** 2, 2 * x * y]])
    claim = sympy.Matrix([[sympy.cos(2 * x), y * (x + x)]])
    assert [v.status for v in compare_matrices(right, claim)] == ["proved", "proved"]


@pytest.mark.parametrize(
    "name", ["jacobi.math.check", "jacobi.math.gradcheck", "jacobi.commands.check"]
)
def test_check_has_no_time_budget(name: str) -> None:
    source = Path(importlib.import_module(name).__file__ or "").read_text(encoding="utf-8")
    for word in ("Deadline", "SYMBOLIC_BUDGET", "monotonic", "soft_limit", "jacobi.cli.watchdog"):
        assert word not in source


def test_the_entry_bound_says_which_entries_were_not_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    import jacobi.math.check as module

    monkeypatch.setattr(module, "SYMBOLIC_MAX_ENTRIES", 1)
    right = sympy.Matrix([[(x + 1) ** 2, (y + 1) ** 2]])
    claim = sympy.Matrix([[x**2 + 2 * x + 1, y**2 + 2 * y + 1]])
    first, second = compare_matrices(right, claim)
    assert (first.status, first.skipped) == ("proved", "")
    assert (second.status, second.skipped) == ("numeric", "more than 1 entries to prove")


# (difference, proved 0 by the bounded expansion?)
ZERO = [
    (sympy.cos(x) ** 2 - sympy.sin(x) ** 2 - sympy.cos(2 * x), True),
    (sympy.sin(x + y) - sympy.sin(x) * sympy.cos(y) - sympy.cos(x) * sympy.sin(y), True),
    (1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1), True),
    (30 * (x + 1) ** 29 * (sympy.sin(x) ** 2 + sympy.cos(x) ** 2 - 1), True),
    (sympy.cos(x) ** 2 - sympy.cos(2 * x), False),
    (sympy.cos(8 * x) - 2 * sympy.cos(4 * x) ** 2 + 1, False),  # beyond TRIG_MAX_MULTIPLE
]


@pytest.mark.parametrize(("diff", "zero"), ZERO)
def test_bounded_zero_test(diff: sympy.Expr, zero: bool) -> None:
    from jacobi.math.check import _is_zero

    assert _is_zero(diff)[0] is zero


def test_sample_points_are_seeded_exact_and_never_0() -> None:
    first, again = sample_points([x, y], 30, seed=3), sample_points([x, y], 30, seed=3)
    assert first == again != sample_points([x, y], 30, seed=4)
    values = [v for p in first for v in p.values()]
    assert all(isinstance(v, sympy.Rational) and abs(v) >= sympy.Rational(1, 1000) for v in values)
    # Both signs, and magnitudes up to 10^4 (a claim off only far from 0 is caught).
    assert min(values) < -1000 and max(values) > 1000
    assert max(abs(v) for v in values) <= 10_000


@pytest.mark.parametrize(
    ("expr", "at", "value"),
    [
        (sympy.sqrt(x), 4, sympy.Integer(2)),
        (1 / x, 8, sympy.Rational(1, 8)),
        (sympy.log(x), -1, None),  # not real
        (1 / (x - 2), 2, None),  # undefined
    ],
)
def test_real_value(expr: sympy.Expr, at: int, value: sympy.Expr | None) -> None:
    got = real_value(expr, {x: sympy.Integer(at)})
    assert got == value if value is None else abs(got - value) < sympy.Float(10) ** -29


@pytest.mark.parametrize(
    ("rows", "shape", "expected"),
    [
        ([[1, 2]], (2, 1), sympy.Matrix([[1], [2]])),  # a flat list fits a column
        ([[1], [2]], (1, 2), sympy.Matrix([[1, 2]])),
        ([[1, 2], [3, 4]], (2, 2), sympy.Matrix([[1, 2], [3, 4]])),
    ],
)
def test_fit_shape(rows: list[list[int]], shape: tuple[int, int], expected: sympy.Matrix) -> None:
    got = fit_shape([[sympy.Integer(v) for v in r] for r in rows], shape, "--against")
    assert got == expected


def test_fit_shape_names_the_transposed_shape() -> None:
    rows = [[sympy.Integer(v) for v in r] for r in ([1, 2, 3], [4, 5, 6])]
    with pytest.raises(ShapeError, match="is 2×3 but the result is 3×2") as info:
        fit_shape(rows, (3, 2), "--against")
    assert "transposed" in (info.value.hint or "")


def test_a_name_only_in_the_function_still_gets_sample_points() -> None:
    """f = tanh(x) + z has no z in J = [sech(x)^2, 1]; the domain test needs z too, or every
    point is skipped and a right claim (equal only numerically) is left unverified."""
    x, z = sympy.symbols("x z", real=True)
    correct = sympy.Matrix([[1 - sympy.tanh(x) ** 2, 1]])
    claim = sympy.Matrix([[sympy.sech(x) ** 2, 1]])
    verdicts = compare_matrices(correct, claim, domain=[sympy.tanh(x) + z])
    assert [v.status for v in verdicts] == ["numeric", "proved"]
    wrong = compare_matrices(
        correct, sympy.Matrix([[sympy.sech(x), 1]]), domain=[sympy.tanh(x) + z]
    )
    assert wrong[0].status == "wrong"
