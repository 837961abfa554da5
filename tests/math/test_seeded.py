"""SymPy's random choices are the same on every run (jacobi.math.seeded)."""

from __future__ import annotations

import sympy
import sympy.polys.factortools  # noqa: E402
from sympy.core import random as sympy_random

import jacobi.math.seeded as seeded_module
from jacobi.commands import api

_ORIGINAL_RANDINT = sympy.polys.factortools._randint


def _draws_of_factor(monkeypatch: object, prior: int) -> list[int]:
    """The random integers multivariate factor draws, after the generator was left at ``prior``."""
    import sympy.polys.factortools as factortools

    drawn: list[int] = []
    real = _ORIGINAL_RANDINT

    def recording(seed: object = None) -> object:
        pick = real(seed)

        def randint(a: int, b: int) -> int:
            value = pick(a, b)
            drawn.append(value)
            return value

        return randint

    monkeypatch.setattr(factortools, "_randint", recording)  # type: ignore[attr-defined]
    x, y, z = sympy.symbols("x y z")
    sympy.core.cache.clear_cache()  # else the second factor is partly remembered
    sympy_random.seed(prior)  # whatever state an earlier computation left behind
    with seeded_module.reproducible():
        product = sympy.factor(((x * y + z + 1) * (x - y * z + 3) * (x + y + z**2)).expand())
    assert sympy.expand(product - (x * y + z + 1) * (x - y * z + 3) * (x + y + z**2)) == 0
    return drawn


def test_factor_draws_the_same_numbers_whatever_came_before(monkeypatch: object) -> None:
    first = _draws_of_factor(monkeypatch, prior=1)
    second = _draws_of_factor(monkeypatch, prior=987654)
    assert first, "Wang's algorithm drew no evaluation points: the test tests nothing"
    assert first == second


def test_without_the_seed_the_draws_differ(monkeypatch: object) -> None:
    """The control: unseeded, the generator's state changes what factor draws."""
    from contextlib import nullcontext

    monkeypatch.setattr(seeded_module, "reproducible", nullcontext)  # type: ignore[attr-defined]
    draws = {tuple(_draws_of_factor(monkeypatch, prior=p)) for p in range(4)}
    assert len(draws) > 1


def test_a_python_users_generator_state_is_given_back() -> None:
    sympy_random.seed(42)
    expected = [sympy_random.rng.random() for _ in range(3)]
    sympy_random.seed(42)
    api.det(["x^2 - y, x*y"])  # runs inside reproducible()
    assert [sympy_random.rng.random() for _ in range(3)] == expected


def test_every_command_runs_seeded() -> None:
    with seeded_module.reproducible():
        inside = sympy_random.rng.random()
    seen: list[float] = []
    import jacobi.commands.vector as vector

    real = vector.simplest

    def spy(expr: sympy.Expr) -> sympy.Expr:
        seen.append(sympy_random.rng.getstate()[1][0])
        return real(expr)

    try:
        vector.simplest = spy  # type: ignore[assignment]
        sympy_random.seed(7)
        api.div(["x*y, y*z, z*x"])
        sympy_random.seed(8)
        api.div(["x*y, y*z, z*x"])
    finally:
        vector.simplest = real
    assert len(seen) == 2 and seen[0] == seen[1]
    assert isinstance(inside, float)
