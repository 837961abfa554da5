"""SymPy's random choices, made the same on every run.

Some of SymPy's algorithms draw random numbers: multivariate ``factor`` (Wang's
algorithm picks random evaluation points) and ``factorint`` through
``sympy.core.random.rng``, and the assumptions system shuffles its facts with a
second generator. Both are seeded from the operating system when SymPy is
imported, so the same input could take a different path, and a different time, on
each run: one run within ``--timeout``, the next one not. Every command runs
inside :func:`reproducible`, which starts both generators from the same seed and
gives a Python user's own state back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

#: The seed every command starts SymPy's generators from.
SEED = 20261202


@contextmanager
def reproducible(seed: int = SEED) -> Iterator[None]:
    """Run the block with SymPy's random generators seeded; restore their states after.

    >>> from sympy.core.random import rng
    >>> with reproducible():
    ...     a = rng.random()
    >>> with reproducible():
    ...     b = rng.random()
    >>> a == b
    True
    """
    from sympy.core import random as sympy_random

    generators = (sympy_random.rng, sympy_random._assumptions_rng)
    states = [g.getstate() for g in generators]
    sympy_random.seed(seed)
    try:
        yield
    finally:
        for g, state in zip(generators, states, strict=True):
            g.setstate(state)
