"""Whole-process time of the seed example against bare SymPy, measured in one run.

Baseline: a Python script that imports SymPy and computes the same Jacobian at the
same point (importing SymPy is the floor for any SymPy-based tool). The goal is a
ratio of at most 1.25. Also times ``jacobi --help`` and ``--version``, which must not
import SymPy at all.

Run: python benchmarks/startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import time

BASELINE = """
import sympy
x, y = sympy.symbols("x y", real=True)
J = sympy.Matrix([x + y, x*y]).jacobian([x, y])
print(J)
print(J.subs({x: -1, y: 2}))
"""


def jacobi_exe() -> list[str]:
    # The console script itself, not a version-manager shim that adds its own start-up.
    exe = os.path.join(sysconfig.get_path("scripts"), "jacobi")
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "jacobi"]


def timed(cmd: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    exe = jacobi_exe()
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "baseline: import sympy + jacobian + subs": [sys.executable, "-c", BASELINE],
        "jacobi jac 'x+y, x*y' --at -1,2 (plain)": [*exe, "jac", "x+y, x*y", "--at", "-1,2"],
        "jacobi jac ... --format json": [*exe, "jac", "x+y, x*y", "--at", "-1,2", "-f", "json"],
        "jacobi --help": [*exe, "--help"],
        "jacobi --version": [*exe, "--version"],
    }
    for cmd in cases.values():  # warm the file cache and byte-code
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times = {name: timed(cmd, args.repeat) for name, cmd in cases.items()}
    base = times["baseline: import sympy + jacobian + subs"]
    print(f"median of {args.repeat} runs each")
    for name, t in times.items():
        print(f"{t * 1000:8.1f} ms  {t / base:5.2f}x baseline  {name}")
    ratio = times["jacobi jac 'x+y, x*y' --at -1,2 (plain)"] / base
    print(f"\nseed example / baseline = {ratio:.2f} (goal <= 1.25)")


if __name__ == "__main__":
    main()
