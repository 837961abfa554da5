"""Words for typed results: each shape of solution, singular set and orientation."""

from __future__ import annotations

import pytest
import sympy
from sympy import Integer, pi, sin, sqrt

from jacobi.lang.parse import symbol
from jacobi.math.determinant import Orientation
from jacobi.math.singular import AllZero, Equation, Periodic, Roots, SingularSet, Solution
from jacobi.render import words

x, y, t, a = (symbol(n) for n in ("x", "y", "t", "a"))


@pytest.mark.parametrize(
    ("solution", "text"),
    [
        (Roots(x, (Integer(0),)), "x = 0"),
        (Roots(x, (sqrt(2), -sqrt(2))), "x = sqrt(2) or x = -sqrt(2)"),
        (Roots(x, (y,)), "x = y"),
        (Periodic(t, ((pi, Integer(0)),)), "t = pi*n (n any integer)"),
        (Periodic(t, ((pi, pi / 2),), integer="k"), "t = pi*k + pi/2 (k any integer)"),
        (
            Periodic(t, ((2 * pi, pi / 3),), values=(Integer(0),)),
            "t = 0 or t = 2*pi*n + pi/3 (n any integer)",
        ),
        (AllZero((x, y)), "x = 0 and y = 0"),
        (Equation(x + sin(x)), "x + sin(x) = 0"),
    ],
)
def test_solution_text(solution: Solution, text: str) -> None:
    assert words.solution_text(solution) == text


def test_singular_words_for_each_kind_of_set() -> None:
    det = x * (a - 1)
    assert (
        words.singular_words(SingularSet(sympy.S.Zero, (), True, everywhere=True), "det J", "x")
        == "det J = 0 everywhere: f is nowhere locally invertible"
    )
    never = SingularSet(1 / y, (), True, nowhere=True, undefined=(Roots(y, (Integer(0),)),))
    assert (
        words.singular_words(never, "det J", "x, y")
        == "nowhere: det J = 1/y is never 0; det J is undefined where y = 0"
    )
    only = SingularSet(a - 1, (), True, conditions=(Roots(a, (Integer(1),)),))
    assert words.singular_words(only, "det J", "x, y") == (
        "det J = a - 1 does not depend on x, y: det J = 0 everywhere when a = 1, "
        "and nowhere otherwise"
    )
    partly = SingularSet(
        det * (x + sin(x)),
        (Roots(x, (Integer(0),)), Equation(x + sin(x))),
        False,
        conditions=(Roots(a, (Integer(1),)),),
    )
    assert words.singular_words(partly, "det(JᵀJ)", "x") == (
        "det(JᵀJ) = 0 where x = 0; x + sin(x) = 0; a = 1 (a condition on the parameters)"
        " (unsolved parts are shown as equations)"
    )


def test_singular_data_keeps_the_json_keys() -> None:
    found = SingularSet(x, (Roots(x, (Integer(0),)),), True)
    assert words.singular_data(found) == {
        "equation": "x = 0",
        "solutions": ["x = 0"],
        "conditions": [],
        "complete": True,
        "undefined": [],
    }


def test_every_orientation_has_words_and_the_json_word() -> None:
    for o in Orientation:
        assert words.orientation_words(o)
    assert words.orientation_words(Orientation.REVERSED) == (
        "reversed (det J < 0): the map flips orientation"  # as the README shows it
    )
    assert [words.orientation_name(o) for o in Orientation] == [
        "preserved",
        "reversed",
        "collapsed",
        None,
    ]


@pytest.mark.parametrize(
    ("n", "text"), [(1, "lengths"), (2, "areas"), (3, "volumes"), (5, "5-dimensional volumes")]
)
def test_volume_words(n: int, text: str) -> None:
    assert words.volume_words(n) == text


def test_number_words() -> None:
    assert words.number_words(Integer(3)) == "3"
    assert words.number_words(sympy.Rational(1, 3)) == "1/3 (about 0.333333)"
    assert words.number_words(symbol("c")) == "c"
