"""Division-free determinants of matrices of integer polynomials, by expansion in minors.

The polynomials are dicts from packed exponents (one integer per monomial, so
multiplying monomials is one addition) to integer coefficients. The expansion
keeps every non-zero minor of the first k rows (a dynamic programme over column
sets): O(n·2^n) ring operations for a dense matrix, far fewer for a sparse or
banded one.

Small levels run on Python dicts. A level with many term products runs on NumPy
arrays instead: exactly in int64 when a bound on every coefficient it meets
fits, otherwise modulo word-size primes, enough of them that the Chinese
remainder theorem gives the integers back. The choice is made by counts (term
products, the coefficient bound), and every route gives the same polynomial.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from jacobi.errors import LimitError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ARRAY_MIN_WORK", "PRIMES", "coefficient_bound", "expand"]

#: A level of the expansion with at least this many term products runs on arrays
#: (below it, importing NumPy would cost more than the arrays save).
ARRAY_MIN_WORK = 500_000
#: ... and only when its minors have this many term products each on average.
ARRAY_MIN_WORK_PER_MINOR = 2_000
#: Primes below 2^31 (so a product of two residues fits in int64), the largest first.
PRIMES = (
    2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549, 2147483543,
    2147483497, 2147483489, 2147483477, 2147483423, 2147483399, 2147483353, 2147483323,
    2147483269, 2147483249,
)  # fmt: skip
#: Coefficients up to this bound are computed exactly in int64 (products and sums included).
EXACT_BOUND = 2**62
#: Packed exponents must stay below this to be int64 keys.
KEY_BOUND = 2**62

Poly = dict[int, int]


def coefficient_bound(rows: list[list[Poly]], n: int, max_frontier: int) -> int | None:
    """A bound on the absolute value of every coefficient the expansion of ``rows`` meets.

    The same programme over column sets on the l1 norms of the entries (a
    permanent): a minor's l1 norm is at most the sum over its first row of
    entry norm times complementary minor norm, and so is every partial sum
    while it is accumulated. ``None`` when more than ``max_frontier`` column
    sets are structurally non-zero.
    """
    norms = [[sum(abs(c) for c in a.values()) for a in row] for row in rows]
    frontier = {0: 1}
    top = 1
    for k in range(n):
        nonzero = [(c, a) for c, a in enumerate(norms[k]) if a]
        new: dict[int, int] = {}
        for mask, value in frontier.items():
            for c, a in nonzero:
                bit = 1 << c
                if not mask & bit:
                    new[mask | bit] = new.get(mask | bit, 0) + a * value
        if not new or len(new) > max_frontier:
            return None if new else top
        frontier = new
        top = max(top, *frontier.values())
    return top


def expand(
    rows: list[list[Poly]],
    n: int,
    *,
    max_frontier: int,
    max_work: int,
    key_limit: int,
    max_alive: int | None = None,
) -> Poly | None:
    """det of an n×n matrix of packed-integer polynomials, without any division.

    Laplace expansion along the rows, remembering every non-zero minor of the
    first k rows. Returns ``None`` when more than ``max_frontier`` minors are
    alive at once (the caller then uses Berkowitz); raises :class:`LimitError`
    when the term products would exceed ``max_work``, or the minors alive hold
    more than ``max_alive`` terms together (memory grows with both).
    ``key_limit`` exceeds every packed exponent that can occur.
    """
    frontier: dict[int, Any] = {0: {0: 1}}
    work = 0
    arith: _Arithmetic | None = None
    decided = False
    for k in range(n):
        nonzero = [(c, a) for c, a in enumerate(rows[k]) if a]
        per_term = sum(len(a) for _, a in nonzero)
        level = per_term * sum(_length(p) for p in frontier.values())
        work += level
        if work > max_work:
            raise LimitError(
                f"the determinant is too large to expand (more than {max_work:,} term products)",
                hint="use fewer symbols, substitute parameters with --param, "
                "or evaluate the Jacobian at a point",
            )
        arrays = level >= ARRAY_MIN_WORK and level >= ARRAY_MIN_WORK_PER_MINOR * len(frontier)
        if arrays and not decided:
            arith, decided = _Arithmetic.choose(rows, n, max_frontier, key_limit), True
        if arrays and arith is not None:
            frontier = _array_level(frontier, nonzero, arith)
        else:
            frontier = _dict_level(frontier, nonzero, arith)
        if not frontier:
            return {}
        if len(frontier) > max_frontier:
            return None
        if max_alive is not None:
            alive = sum(_length(p) for p in frontier.values())
            if alive > max_alive:
                raise LimitError(
                    f"the determinant is too large to expand (the minors of its first {k + 1} "
                    f"rows have {alive:,} terms, more than {max_alive:,})",
                    hint="substitute parameters with --param, or evaluate the Jacobian at a point",
                )
    final = frontier.get((1 << n) - 1, {})
    return final if isinstance(final, dict) else _to_dict(final, arith)


def _length(poly: Any) -> int:
    return len(poly) if isinstance(poly, dict) else int(poly[0].shape[0])


def _sign(mask: int, c: int) -> bool:
    """Whether moving column c past the chosen columns to its right flips the sign (odd)."""
    return bool((mask >> (c + 1)).bit_count() & 1)


def _dict_level(
    frontier: dict[int, Any], nonzero: list[tuple[int, Poly]], arith: _Arithmetic | None
) -> dict[int, Any]:
    """The next level of minors, on Python dicts."""
    new: dict[int, Poly] = {}
    for mask, poly in frontier.items():
        minor = poly if isinstance(poly, dict) else _to_dict(poly, arith)
        for c, entry in nonzero:
            bit = 1 << c
            if mask & bit:
                continue
            negative = _sign(mask, c)
            acc = new.get(mask | bit)
            if acc is None:
                acc = new[mask | bit] = {}
            get = acc.get
            for ka, ca in entry.items():
                if negative:
                    ca = -ca
                for kb, cb in minor.items():
                    key = ka + kb
                    acc[key] = get(key, 0) + ca * cb
    out: dict[int, Any] = {}
    for mask, acc in new.items():
        acc = {key: c for key, c in acc.items() if c}
        if acc:
            out[mask] = acc
    return out


class _Arithmetic:
    """How array coefficients are held: exact int64, or residues modulo ``moduli``."""

    def __init__(self, moduli: tuple[int, ...]) -> None:
        import numpy

        self.np = numpy
        self.moduli = moduli
        self.width = max(1, len(moduli))
        self.column = numpy.array(moduli, dtype=numpy.int64)[:, None] if moduli else None

    @classmethod
    def choose(
        cls, rows: list[list[Poly]], n: int, max_frontier: int, key_limit: int
    ) -> _Arithmetic | None:
        """Exact int64 when the coefficient bound fits, else enough primes; ``None``: no arrays."""
        if key_limit >= KEY_BOUND:
            return None
        bound = coefficient_bound(rows, n, max_frontier)
        if bound is None:
            return None
        if bound < EXACT_BOUND:
            return cls(())
        moduli: list[int] = []
        product = 1
        for p in PRIMES:
            moduli.append(p)
            product *= p
            if product > 2 * bound:
                return cls(tuple(moduli))
        return None

    def values(self, coefficients: list[int]) -> np.ndarray:
        """A (width, len) array of coefficients (reduced modulo each prime)."""
        npy = self.np
        rows = (
            [coefficients]
            if not self.moduli
            else [[c % p for c in coefficients] for p in self.moduli]
        )
        out: np.ndarray = npy.array(rows, dtype=npy.int64)
        return out

    def integers(self, values: np.ndarray) -> list[int]:
        """The integers of a (width, len) array, by the Chinese remainder theorem if modular."""
        if not self.moduli:
            return [int(v) for v in values[0].tolist()]
        product = math.prod(self.moduli)
        weights = []
        for p in self.moduli:
            rest = product // p
            weights.append(rest * pow(rest, -1, p))
        columns = [row.tolist() for row in values]
        out = []
        half = product // 2
        for residues in zip(*columns, strict=True):
            v = sum(r * w for r, w in zip(residues, weights, strict=True)) % product
            out.append(v - product if v > half else v)
        return out


def _to_arrays(poly: Poly, arith: _Arithmetic) -> tuple[np.ndarray, np.ndarray]:
    npy = arith.np
    keys = npy.fromiter(poly.keys(), dtype=npy.int64, count=len(poly))
    return keys, arith.values(list(poly.values()))


def _to_dict(poly: tuple[np.ndarray, np.ndarray], arith: _Arithmetic | None) -> Poly:
    assert arith is not None
    keys, values = poly
    return dict(zip(keys.tolist(), arith.integers(values), strict=True))


def _array_level(
    frontier: dict[int, Any], nonzero: list[tuple[int, Poly]], arith: _Arithmetic
) -> dict[int, Any]:
    """The next level of minors, on arrays: each new minor gathered, sorted and summed at once."""
    npy = arith.np
    entries = {}
    for c, entry in nonzero:
        keys, values = _to_arrays(entry, arith)
        negated = -values if arith.column is None else (arith.column - values) % arith.column
        entries[c] = (keys, values, negated)
    minors = {
        mask: poly if not isinstance(poly, dict) else _to_arrays(poly, arith)
        for mask, poly in frontier.items()
    }
    groups: dict[int, list[tuple[int, int]]] = {}
    for mask in minors:
        for c, _ in nonzero:
            if not mask & (1 << c):
                groups.setdefault(mask | (1 << c), []).append((mask, c))
    out: dict[int, Any] = {}
    width = arith.width
    for new_mask, parts in groups.items():
        key_parts, value_parts = [], []
        for mask, c in parts:
            keys, values = minors[mask]
            ek, ev, negated = entries[c]
            factor = negated if _sign(mask, c) else ev
            key_parts.append((ek[:, None] + keys[None, :]).ravel())
            value_parts.append((factor[:, :, None] * values[:, None, :]).reshape(width, -1))
        keys = npy.concatenate(key_parts)
        values = npy.concatenate(value_parts, axis=1)
        if arith.column is not None:
            values %= arith.column
        order = npy.argsort(keys, kind="stable")  # runs of sorted keys: merged, not re-sorted
        keys = keys[order]
        values = values[:, order]
        starts = npy.flatnonzero(npy.concatenate(([True], keys[1:] != keys[:-1])))
        sums = npy.add.reduceat(values, starts, axis=1)
        if arith.column is not None:
            sums %= arith.column
        keep = npy.any(sums != 0, axis=0)
        if keep.any():
            out[new_mask] = (keys[starts][keep], sums[:, keep])
    return out
