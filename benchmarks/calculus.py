"""Speed of jacobi's Jacobian and determinant against plain SymPy, measured in one run.

1. The Jacobian of a 1000-equation Bratu-type system (tridiagonal): jacobi
   differentiates each component only with respect to the variables in it;
   SymPy's ``Matrix.jacobian`` differentiates all 10^6 entries.
2. The determinant of the Jacobian of a dense quadratic map in n variables:
   jacobi chooses a division-free expansion over ZZ[x1..xn]; SymPy's default
   ``Matrix.det()`` is Bareiss on expressions; ``DomainMatrix.charpoly`` is the
   Berkowitz route the issue measured.

Baselines run in a subprocess that is killed after ``--cap`` seconds (reported as
">cap s"). Run from the repository root::

    python benchmarks/calculus.py            # all
    python benchmarks/calculus.py --cap 30   # a shorter cap for the baselines
"""

from __future__ import annotations

import argparse
import pickle
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bratu_text(n: int) -> str:
    """u_(i-1) - 2 u_i + u_(i+1) + h^2 exp(u_i) = 0, u_0 = u_(n+1) = 0, h = 1/(n+1)."""
    h2 = f"1/{(n + 1) ** 2}"
    comps = []
    for i in range(1, n + 1):
        left = f"u{i - 1} - " if i > 1 else "-"
        right = f" + u{i + 1}" if i < n else ""
        comps.append(f"{left}2*u{i}{right} + {h2}*exp(u{i})")
    return ",\n".join(comps)


def quadratic_text(n: int, seed: int = 1) -> str:
    """A dense quadratic map: every component has every x_j x_k and x_j, small coefficients."""
    rng = random.Random(seed)
    comps = []
    for _ in range(n):
        terms = []
        for j in range(1, n + 1):
            for k in range(j, n + 1):
                terms.append(f"{rng.choice([-3, -2, -1, 1, 2, 3])}*x{j}*x{k}")
            terms.append(f"{rng.choice([-3, -2, -1, 1, 2, 3])}*x{j}")
        comps.append(" + ".join(terms))
    return ",\n".join(comps)


# The baselines get the very same SymPy expressions (built by jacobi's parser), pickled.
BASELINE = """
import pickle, sys, time, sympy
exprs, variables = pickle.loads(sys.stdin.buffer.read())
work = sys.argv[1]
t = time.perf_counter()
if work == "jacobian":
    sympy.Matrix(exprs).jacobian(variables)
elif work == "det":
    sympy.Matrix(exprs).jacobian(variables).det()
elif work == "charpoly":
    from sympy.polys.matrices import DomainMatrix
    J = sympy.Matrix(exprs).jacobian(variables)
    t = time.perf_counter()
    dm = DomainMatrix.from_list_sympy(J.rows, J.cols, J.tolist())
    det = dm.charpoly()[-1] * (-1) ** J.rows
    dm.domain.to_sympy(det)
print(time.perf_counter() - t)
"""


def baseline(work: str, text: str, cap: float) -> float | None:
    """Seconds SymPy needs for ``work`` on the function in ``text``; None past ``cap``."""
    from jacobi import function

    f = function(text)
    payload = pickle.dumps((list(f.components), list(f.variables)))
    try:
        done = subprocess.run(
            [sys.executable, "-c", BASELINE, work],
            input=payload,
            capture_output=True,
            timeout=cap,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.decode().strip().splitlines()[-1])


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def show(label: str, ours: float, theirs: float | None, cap: float) -> None:
    if theirs is None:
        print(
            f"  {label:<44} jacobi {ours:7.3f} s   SymPy >{cap:.0f} s   ratio >{cap / ours:,.0f}x"
        )
    else:
        print(
            f"  {label:<44} jacobi {ours:7.3f} s   SymPy {theirs:7.3f} s   "
            f"ratio {theirs / ours:,.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--cap", type=float, default=60.0, help="seconds before a baseline is killed"
    )
    parser.add_argument("--equations", type=int, default=1000)
    args = parser.parse_args()

    from jacobi import function
    from jacobi.math import derivatives as core
    from jacobi.math import determinant

    print(f"Jacobian of a {args.equations}-equation Bratu-type system (tridiagonal)")
    text = bratu_text(args.equations)
    start = time.perf_counter()
    f = function(text)
    parse_time = time.perf_counter() - start
    ours = timed(lambda: core.differentiate(f.components, f.variables))
    tidy = timed(lambda: core.jacobian(f))
    print(f"  parsing the {len(text):,} characters of input: {parse_time:.3f} s (jacobi only)")
    show(
        "sparse differentiation vs Matrix.jacobian",
        ours,
        baseline("jacobian", text, args.cap),
        args.cap,
    )
    print(f"  (jacobi's Jacobian with its bounded tidying: {tidy:.3f} s)")

    print("Determinant of the Jacobian of a dense quadratic map")
    for n in (6, 8):
        text = quadratic_text(n)
        f = function(text)
        ours = timed(lambda f=f: determinant.jacobian_determinant(f))  # type: ignore[misc]
        det = determinant.jacobian_determinant(f)
        terms = len(det.value.args)
        print(f"  n = {n}: {terms} terms, {det.method}")
        show(
            f"n = {n}: det vs DomainMatrix.charpoly (Berkowitz)",
            ours,
            baseline("charpoly", text, args.cap),
            args.cap,
        )
        if n == 6:
            show(
                f"n = {n}: det vs Matrix.det() (Bareiss)",
                ours,
                baseline("det", text, args.cap),
                args.cap,
            )


if __name__ == "__main__":
    main()
