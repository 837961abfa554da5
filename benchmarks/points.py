"""Throughput of ``jac --points``: the spherical-coordinates Jacobian at 10^6 points.

Measured in one run, on one core:

* jacobi's evaluator (``jacobi.numeric.points.Evaluator``: code SymPy generates from the
  Jacobian, common subexpressions shared, constants broadcast, undefined rows found);
* plain ``sympy.lambdify`` of the Jacobian matrix with NumPy, vectorised. It fails
  outright here, because the constant 0 entry makes a ragged array (the known
  pitfall), so the working variant is timed too: one plain lambdify per entry,
  each broadcast (no shared subexpressions, no undefined-row checks);
* plain ``sympy.lambdify`` (math module) called once per point in a Python loop,
  on a subset, extrapolated;
* a per-point substitution loop (``J.subs(point).evalf()``), on a small subset,
  extrapolated.

Also the whole command, CSV in and CSV out, on ``--cli-rows`` rows (formatting
17-digit floats as text dominates that: it is reported per row).

Run: python benchmarks/points.py [--rows 1000000] [--cli-rows 100000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy

# Measure this source tree, not whatever copy of jacobi happens to be installed.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from jacobi import function, jacobian  # noqa: E402
from jacobi.numeric.points import jacobian_job  # noqa: E402

SPHERICAL = "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)"


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cli-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.rows

    f = function(SPHERICAL, variables="r,theta,phi")
    J = jacobian(f)
    r, theta, phi = f.variables
    rng = np.random.default_rng(0)
    cols = [rng.uniform(0.1, 2.0, n), rng.uniform(0.0, np.pi, n), rng.uniform(0.0, 2 * np.pi, n)]

    # jacobi: the evaluator behind --points (values and undefined-row mask).
    header = "r,theta,phi\n1,1,1\n"
    job = jacobian_job(f, J, header)
    t_jacobi = best_of(args.repeat, lambda: job.evaluator.evaluate(cols))
    values, _ = job.evaluator.evaluate(cols)

    # Plain lambdify of the whole matrix: the constant 0 entry breaks it.
    plain = sympy.lambdify([r, theta, phi], J, modules="numpy")
    try:
        plain(*cols)
        plain_matrix = "works"
    except Exception as exc:  # noqa: BLE001 - we report whatever it raises
        plain_matrix = f"fails: {type(exc).__name__}: {str(exc).splitlines()[0][:70]}"

    # The working plain variant: one lambdify per entry, broadcast by hand.
    entries = [sympy.lambdify([r, theta, phi], e, modules="numpy") for e in J]

    def per_entry() -> list[Any]:
        return [np.broadcast_to(np.asarray(fn(*cols), dtype=float), (n,)) for fn in entries]

    t_entries = best_of(args.repeat, per_entry)
    check = per_entry()
    worst = max(float(np.max(np.abs(a - b))) for a, b in zip(values, check, strict=True))

    # Per-point loops, on subsets, extrapolated to n points.
    scalar = sympy.lambdify([r, theta, phi], list(J), modules="math")
    k_loop = 20_000
    sub = [c[:k_loop].tolist() for c in cols]

    def loop() -> None:
        for a, b, c in zip(*sub, strict=True):
            scalar(a, b, c)

    t_loop = best_of(1, loop) * n / k_loop
    k_subs = 200

    def subs() -> None:
        for i in range(k_subs):
            J.subs({r: cols[0][i], theta: cols[1][i], phi: cols[2][i]}).evalf()

    t_subs = best_of(1, subs) * n / k_subs

    print(f"spherical 3x3 Jacobian at {n:,} points, one core (best of {args.repeat})")
    print(f"  plain lambdify of the matrix (numpy): {plain_matrix}")
    rows = [
        ("jacobi evaluator (cse, broadcast, undefined rows)", t_jacobi),
        ("plain lambdify, one per entry, broadcast", t_entries),
        (f"plain lambdify (math), per-point loop (x{n // k_loop} from {k_loop:,})", t_loop),
        (f"subs + evalf per point (x{n // k_subs:,} from {k_subs})", t_subs),
    ]
    for name, t in rows:
        print(f"  {t:10.3f} s  {t / t_jacobi:8.1f}x jacobi  {name}")
    print(f"  largest difference jacobi vs per-entry lambdify: {worst:.1e}")

    if args.cli_rows:
        m = args.cli_rows
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "points.csv")
            with open(path, "w") as fh:
                fh.write("r,theta,phi\n")
                for a, b, c in zip(*(x[:m].tolist() for x in cols), strict=True):
                    fh.write(f"{a!r},{b!r},{c!r}\n")
            cmd = [sys.executable, "-m", "jacobi", "jac", SPHERICAL, "-v", "r,theta,phi"]
            t0 = time.perf_counter()
            subprocess.run(
                [*cmd, "--points", path], check=True, stdout=subprocess.DEVNULL, cwd=ROOT
            )
            t_cli = time.perf_counter() - t0
        print(
            f"\nwhole command, CSV in and out, {m:,} rows: {t_cli:.2f} s "
            f"({t_cli / m * 1e6:.1f} µs per row, most of it formatting 9 floats as text)"
        )


if __name__ == "__main__":
    main()
