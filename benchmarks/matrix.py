"""``jacobi mjac`` against bare SymPy on the seeds' matrix examples, measured in one run.

Baseline: build the same components with SymPy matrices and call ``Matrix.jacobian``
(no compact form, no checking, no tidying). jacobi additionally parses, shape-checks,
tidies the entries, derives the compact form and verifies it entry by entry; the
ratio says what that costs.

Run: python benchmarks/matrix.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import sympy

from jacobi.matrix.calculus import matrix_derivative


def sym_matrix(name: str, rows: int, cols: int) -> sympy.Matrix:
    return sympy.Matrix(rows, cols, lambda i, j: sympy.Symbol(f"{name}{i + 1}{j + 1}", real=True))


def sym_vector(name: str, n: int) -> sympy.Matrix:
    return sympy.Matrix(n, 1, [sympy.Symbol(f"{name}{i + 1}", real=True) for i in range(n)])


def vec(m: sympy.Matrix) -> list[sympy.Expr]:
    return [m[i, j] for j in range(m.cols) for i in range(m.rows)]


def baseline_wx() -> None:
    W, x = sym_matrix("W", 8, 9), sym_vector("x", 9)
    (W * x).jacobian(list(x))


def baseline_xbx() -> None:
    B, x = sym_matrix("B", 9, 9), sym_vector("x", 9)
    (x.T * B * x).jacobian(list(x))


def baseline_lsq() -> None:
    P, t, y = sym_matrix("P", 6, 3), sym_vector("t", 3), sym_vector("y", 6)
    e = y - P * t
    (e.T * e).jacobian(list(t))


def baseline_rtr() -> None:
    R = sym_matrix("R", 4, 3)
    sympy.Matrix(vec(R.T * R)).jacobian(vec(R))


def baseline_inv() -> None:
    a, b, X = sym_vector("a", 2), sym_vector("b", 2), sym_matrix("X", 2, 2)
    (a.T * X.inv() * b).jacobian(vec(X))


CASES: list[tuple[str, Callable[[], None], Callable[[], object]]] = [
    (
        "W x, W 8×9",
        baseline_wx,
        lambda: matrix_derivative("W x", vectors="x:9", matrices="W:8x9"),
    ),
    (
        "x^T B x, B 9×9",
        baseline_xbx,
        lambda: matrix_derivative("x^T B x", vectors="x:9", matrices="B:9x9"),
    ),
    (
        "||y - P t||^2, P 6×3",
        baseline_lsq,
        lambda: matrix_derivative("norm(y - P t)^2", vectors="t:3,y:6", matrices="P:6x3", wrt="t"),
    ),
    (
        "K = R^T R, R 4×3",
        baseline_rtr,
        lambda: matrix_derivative("K = R^T R", matrices="R:4x3"),
    ),
    (
        "a^T X^-1 b, X 2×2",
        baseline_inv,
        lambda: matrix_derivative("a^T X^-1 b", vectors="a:2,b:2", matrices="X:2x2", wrt="X"),
    ),
]


def timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        sympy.core.cache.clear_cache()
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'case':28} {'sympy':>9} {'jacobi':>9} {'ratio':>7}")
    for name, base, ours in CASES:
        b, o = timed(base, args.repeat), timed(ours, args.repeat)
        print(f"{name:28} {b * 1000:7.1f}ms {o * 1000:7.1f}ms {o / b:7.1f}")


if __name__ == "__main__":
    main()
