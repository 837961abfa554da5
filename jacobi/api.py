"""Short names for Python users: ``function("x+y, x*y")`` and ``point(f, "-1,2")``."""

from __future__ import annotations

from collections.abc import Sequence

from jacobi.commands.inputs import build_function, build_point
from jacobi.model import Point, VectorFunction


def function(
    text: str | Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: str | Sequence[str] = (),
) -> VectorFunction:
    """Parse a vector function written in jacobi's language.

    >>> f = function("r*cos(t), r*sin(t)")
    >>> f.variable_names, f.m
    (('r', 't'), 2)
    >>> function("a*x", variables="x").parameters
    ((a, None),)
    """
    texts = [text] if isinstance(text, str) else list(text)
    param_texts = [params] if isinstance(params, str) else list(params)
    return build_function(texts, variables=variables, params=param_texts)


def point(f: VectorFunction, text: str) -> Point:
    """Parse a point for ``f`` (``"-1,2"`` or ``"x=-1,y=2"``).

    >>> point(function("x+y, x*y"), "x=1/3, y=pi").values
    (1/3, pi)
    """
    return build_point(f, text)
