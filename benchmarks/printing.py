"""Speed of printing large results, against SymPy's printers in the same run.

jacobi prints text with ``jacobi.lang.printing.to_text`` and LaTeX with
``jacobi.render.latex``; both must give the bytes SymPy's ``StrPrinter`` and
``LatexPrinter`` (with jacobi's settings) give. Each line times the fast path and the
reference path (``_reference_text`` / ``_reference_latex``: SymPy's printer called the plain
way, every matrix entry looked up), checks that the outputs are identical, and prints the
ratio. Workloads (issue 10):

1. ``to_text`` of the 1,640 entries of the 40-link arm's Jacobian, one call per entry (as
   the plain renderer prints them);
2. ``to_text`` and LaTeX of det J of the dense quadratic map in n = 8 variables
   (12,870 terms);
3. LaTeX of the 1000×1000 Bratu Jacobian (``matrix_latex``: 3,000 non-zeros, 10^6 cells).

SymPy's caches are cleared before each timing. Run from the repository root::

    python benchmarks/printing.py            # all (about a minute; the references dominate)
    python benchmarks/printing.py --links 20 --n 7 --equations 300   # smaller
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def arm_text(k: int) -> str:
    """A planar arm of ``k`` unit links: x and y of each joint (the issue's workload)."""
    xs, ys = [], []
    for i in range(1, k + 1):
        angle = "+".join(f"t{j}" for j in range(1, i + 1))
        xs.append(f"cos({angle})")
        ys.append(f"sin({angle})")
    comps = []
    for i in range(1, k + 1):
        comps += [" + ".join(xs[:i]), " + ".join(ys[:i])]
    return ",\n".join(comps)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``work()`` takes from cold SymPy and jacobi caches, and what it returned."""
    import sympy

    from jacobi.lang import printing

    sympy.core.cache.clear_cache()
    for table in printing._SHARED.values():
        table.clear()
    start = time.perf_counter()
    out = work()
    return time.perf_counter() - start, out


def compare(label: str, fast: Callable[[], Any], reference: Callable[[], Any]) -> None:
    ours, a = timed(fast)
    theirs, b = timed(reference)
    same = "identical" if a == b else "DIFFERENT"
    print(
        f"  {label:<46} jacobi {ours:7.3f} s   SymPy {theirs:7.3f} s   "
        f"ratio {theirs / ours:6.1f}x   {same}"
    )
    if a != b:
        raise SystemExit(f"{label}: the outputs differ")


def reference_matrix_latex(m: Any) -> str:
    """``matrix_latex`` as it was: SymPy's LaTeX of every ``m[i, j]``, zeros included."""
    from jacobi.render.latex import _reference_latex

    rows = [" & ".join(_reference_latex(m[i, j]) for j in range(m.cols)) for i in range(m.rows)]
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=40)
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--equations", type=int, default=1000)
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)

    from calculus import bratu_text, quadratic_text

    from jacobi import function
    from jacobi.lang.printing import _reference_text, to_text
    from jacobi.math import sparse
    from jacobi.math.derivatives import jacobian
    from jacobi.math.determinant import jacobian_determinant
    from jacobi.render.latex import _reference_latex, latex, matrix_latex

    print(f"{args.links}-link arm: the Jacobian's entries as text")
    arm = jacobian(function(arm_text(args.links)))
    entries = [e for _, e in sparse.nonzero(arm)]
    print(f"  {len(entries):,} non-zero entries")
    compare(
        "to_text of each entry",
        lambda: [to_text(e) for e in entries],
        lambda: [_reference_text(e) for e in entries],
    )

    print(f"Determinant of a dense quadratic map, n = {args.n}")
    det = jacobian_determinant(function(quadratic_text(args.n))).value
    print(f"  {len(det.args):,} terms")
    compare("to_text", lambda: to_text(det), lambda: _reference_text(det))
    compare("LaTeX", lambda: latex(det), lambda: _reference_latex(det))

    print(f"Bratu N = {args.equations}: the Jacobian as LaTeX")
    bratu = jacobian(function(bratu_text(args.equations)))
    print(f"  {bratu.rows}x{bratu.cols}, {len(sparse.nonzero(bratu)):,} non-zeros")
    compare("matrix_latex", lambda: matrix_latex(bratu), lambda: reference_matrix_latex(bratu))


if __name__ == "__main__":
    main()
