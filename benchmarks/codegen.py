"""Generated code (``jacobi codegen``) against SymPy, measured in one run.

The Jacobian of the 1000-equation Brusselator (``workloads.brusselator``: 4 non-zeros
per row, 3,998 in all) at 10^5 random points, one core:

* generated C, ``--sparse`` (the non-zeros, what a sparse solver takes) and dense
  (row-major 1000x1000, zero-filled at every point), compiled with ``gcc -O2``; the loop
  over points is in C (a small driver calls ``model_jac`` once per point) and ctypes is
  called once per batch of points, so no Python runs per point;
* the generated NumPy module, ``--sparse``, vectorised: one call per batch;
* jacobi's own ``--points`` evaluator (``jacobian_job(...).evaluator``: the code behind
  ``jac --points``, without reading or writing the CSV), one call per batch;
* SymPy ``lambdify`` of the dense Jacobian matrix. Vectorised it fails (constant
  entries make a ragged array, see ``benchmarks/points.py``), so it is called once per
  point, on a subset of points, and extrapolated.

And the time to generate the code: ``jacobi.numeric.codegen.generate`` from the parsed
function (its exact Jacobian and the common subexpressions included) against
``sympy.utilities.codegen.codegen`` of the dense matrix (``Matrix.jacobian`` included),
and the time to ``lambdify`` it. The SymPy baselines run in a subprocess killed after
``--cap`` seconds (reported as ">cap s").

Every variant is checked against the generated C at the first points (largest
difference printed). Run from the repository root::

    python benchmarks/codegen.py                  # 1000 equations, 10^5 points
    python benchmarks/codegen.py --quick          # 200 equations, 10^4 points
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from workloads import brusselator  # noqa: E402

DRIVER = """#include "{name}.h"
void {name}_points(const double *x, const double *p, long points, double *out)
{{
    for (long k = 0; k < points; ++k)
        {name}_jac(x + k * {up}_N_X, p, out + k * {up}_JAC_SIZE);
}}
"""


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def _function(n: int) -> Any:
    from jacobi import function

    return function(", ".join(brusselator(n)))


def _sympy_jacobian(n: int) -> tuple[Any, Any]:
    """SymPy's own dense Jacobian of the same components (jacobi's parse of the text)."""
    import sympy

    f = _function(n)
    return sympy.Matrix(list(f.components)).jacobian(list(f.variables)), f.variables


def baseline(kind: str, n: int, points_file: str, out_file: str) -> None:
    """In the subprocess: one SymPy baseline, its times written as JSON to ``out_file``."""
    if kind == "points":
        from jacobi import jacobian
        from jacobi.numeric.points import jacobian_job

        f = _function(n)
        header = ",".join(f.variable_names) + "\n" + ",".join(["1"] * f.n) + "\n"
        t_build, job = _timed(lambda: jacobian_job(f, jacobian(f), header))
        pts = np.load(points_file)
        cols = [np.ascontiguousarray(pts[:, j]) for j in range(f.n)]
        t_call, (values, _) = _timed(lambda: job.evaluator.evaluate(cols))
        k = len(pts)
        got = np.array([np.broadcast_to(v, (k,)) for v in values]).T.reshape(k, f.m, f.n)
        np.save(out_file + ".npy", got[:4])
        Path(out_file).write_text(json.dumps({"build": t_build, "call": t_call / k}))
        return
    t_jac, (J, xs) = _timed(lambda: _sympy_jacobian(n))
    result: dict[str, Any] = {"jacobian": t_jac}
    if kind == "codegen":
        from sympy.utilities.codegen import codegen

        t, files = _timed(lambda: codegen(("jac", J), "C99", "sympy_jac", header=False))
        result["codegen"] = t
        result["chars"] = sum(len(text) for _, text in files)
    else:
        import sympy

        t, fn = _timed(lambda: sympy.lambdify(list(xs), J, modules="numpy"))
        result["lambdify"] = t
        pts = np.load(points_file)
        t_call, values = _timed(lambda: [np.asarray(fn(*row), dtype=float) for row in pts])
        result["call"] = t_call / len(pts)
        np.save(out_file + ".npy", np.array(values))
    Path(out_file).write_text(json.dumps(result))


def _run_baseline(kind: str, n: int, pts: np.ndarray, cap: float, tmp: Path) -> dict[str, Any]:
    points_file, out_file = str(tmp / f"{kind}_points.npy"), str(tmp / f"{kind}.json")
    np.save(points_file, pts)
    cmd = [sys.executable, __file__, "--baseline", kind, "--equations", str(n)]
    cmd += ["--points-file", points_file, "--out-file", out_file]
    try:
        subprocess.run(cmd, check=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"capped": cap}
    found: dict[str, Any] = json.loads(Path(out_file).read_text())
    if kind in ("lambdify", "points"):
        found["values"] = np.load(out_file + ".npy")
    return found


def _compile_c(files: dict[str, str], name: str, tmp: Path) -> tuple[float, Any]:
    for fname, text in files.items():
        (tmp / fname).write_text(text)
    (tmp / f"{name}_driver.c").write_text(DRIVER.format(name=name, up=name.upper()))
    lib = tmp / f"{name}.so"
    cmd = ["gcc", "-std=c99", "-O2", "-shared", "-fPIC", f"{name}.c", f"{name}_driver.c"]
    t, _ = _timed(lambda: subprocess.run([*cmd, "-o", str(lib), "-lm"], check=True, cwd=tmp))
    return t, ctypes.CDLL(str(lib))


def _batches(total: int, batch: int) -> list[tuple[int, int]]:
    return [(k, min(k + batch, total)) for k in range(0, total, batch)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--equations", type=int, default=1000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000, help="points per call")
    parser.add_argument("--dense-points", type=int, default=2000, help="dense C: on a subset")
    parser.add_argument("--lambdify-points", type=int, default=20, help="on a subset")
    parser.add_argument("--cap", type=float, default=600.0, help="seconds per SymPy baseline")
    parser.add_argument("--quick", action="store_true", help="200 equations, 10^4 points")
    parser.add_argument("--points-subset", type=int, default=2000, help="jac --points: on a subset")
    parser.add_argument(
        "--baseline", choices=("codegen", "lambdify", "points"), help=argparse.SUPPRESS
    )
    parser.add_argument("--points-file", help=argparse.SUPPRESS)
    parser.add_argument("--out-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline, args.equations, args.points_file, args.out_file)
        return
    if args.quick:
        args.equations, args.points = 200, 10_000
    n, total, batch = args.equations, args.points, args.batch

    from jacobi.numeric.codegen import generate

    f = _function(n)
    rng = np.random.default_rng(0)
    pts = np.ascontiguousarray(rng.uniform(0.5, 1.5, (total, f.n)))
    dp = ctypes.POINTER(ctypes.c_double)

    # Generation: jacobi (from the parsed function: its Jacobian and cse included).
    t_gen_sparse, sparse = _timed(lambda: generate(f, "c", "jac", sparse=True, name="bs"))
    t_gen_dense, dense = _timed(lambda: generate(_function(n), "c", "jac", name="bd"))
    t_gen_numpy, numpy_mod = _timed(
        lambda: generate(_function(n), "numpy", "jac", sparse=True, name="bn")
    )
    pattern = sparse.patterns["jac"]
    nnz = pattern.nnz

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        t_cc_sparse, lib_s = _compile_c(sparse.files, "bs", tmp)
        t_cc_dense, lib_d = _compile_c(dense.files, "bd", tmp)
        (tmp / "bn.py").write_text(numpy_mod.files["bn.py"])
        spec = importlib.util.spec_from_file_location("bn", tmp / "bn.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)

        # Generated C, sparse: the loop over points in C, one call per batch.
        out = np.empty((batch, nnz))

        def c_sparse() -> None:
            for a, b in _batches(total, batch):
                lib_s.bs_points(pts[a:].ctypes.data_as(dp), None, b - a, out.ctypes.data_as(dp))

        t_c_sparse, _ = _timed(c_sparse)
        lib_s.bs_points(pts.ctypes.data_as(dp), None, 4, out.ctypes.data_as(dp))
        reference = np.zeros((4, f.m, f.n))
        for k in range(4):
            reference[k][list(pattern.rows), list(pattern.cols)] = out[k]

        # Generated C, dense (zero-fills 10^6 doubles per point): on a subset.
        k_dense = min(args.dense_points, total)
        out_d = np.empty((max(4, min(batch, k_dense, 2**23 // (f.m * f.n))), f.m * f.n))

        def c_dense() -> None:
            for a, b in _batches(k_dense, len(out_d)):
                lib_d.bd_points(pts[a:].ctypes.data_as(dp), None, b - a, out_d.ctypes.data_as(dp))

        t_c_dense = _timed(c_dense)[0] * total / k_dense
        lib_d.bd_points(pts.ctypes.data_as(dp), None, 4, out_d.ctypes.data_as(dp))
        worst = {"C dense": float(np.max(np.abs(out_d[:4].reshape(4, f.m, f.n) - reference)))}

        # Generated NumPy, sparse, vectorised.
        def numpy_sparse() -> None:
            for a, b in _batches(total, batch):
                mod.jac(pts[a:b])

        t_numpy, _ = _timed(numpy_sparse)
        got = np.zeros((4, f.m, f.n))
        got[:, list(pattern.rows), list(pattern.cols)] = mod.jac(pts[:4])
        worst["NumPy"] = float(np.max(np.abs(got - reference)))

    with tempfile.TemporaryDirectory() as folder:
        k_lam = min(args.lambdify_points, total)
        lam = _run_baseline("lambdify", n, pts[:k_lam], args.cap, Path(folder))
        gen = _run_baseline("codegen", n, pts[:1], args.cap, Path(folder))
        k_pts = min(args.points_subset, total)
        job = _run_baseline("points", n, pts[:k_pts], args.cap, Path(folder))
    for key, found in (("lambdify", lam), ("jac --points", job)):
        if "values" in found:
            k = min(4, len(found["values"]))
            worst[key] = float(np.max(np.abs(found["values"][:k] - reference[:k])))

    print(
        f"Brusselator, {n} equations ({nnz:,} non-zeros of {f.m * f.n:,}), Jacobian at "
        f"{total:,} points, one core; batches of {batch:,} points per call (dense C: "
        f"{len(out_d)})"
    )
    rows: list[tuple[str, float | None]] = [
        ("generated C --sparse (loop over points in C)", t_c_sparse),
        (f"generated C dense (x{total // k_dense} from {k_dense:,} points)", t_c_dense),
        ("generated NumPy --sparse (vectorised)", t_numpy),
        (
            f"jacobi jac --points evaluator, vectorised (x{total // k_pts} from {k_pts:,} "
            "points; CSV not read or written)",
            job["call"] * total if "call" in job else None,
        ),
        (
            f"SymPy lambdify of the dense matrix, per point (x{total // k_lam:,} from {k_lam})",
            lam["call"] * total if "call" in lam else None,
        ),
    ]
    for name, t in rows:
        if t is None:
            print(f"  {'>' + str(int(args.cap)) + ' s':>11}  {'':>9}  {name} (capped)")
        else:
            print(f"  {t:9.3f} s  {t / t_c_sparse:8.1f}x C  {name}")
    print("  largest difference from the generated C: " + ", ".join(
        f"{k} {v:.1e}" for k, v in worst.items()
    ))  # fmt: skip

    print(f"\nGenerating the code ({n} equations)")
    gen_rows: list[tuple[str, float | None]] = [
        ("jacobi: C --sparse (J, cse and printing)", t_gen_sparse),
        ("jacobi: C dense", t_gen_dense),
        ("jacobi: NumPy --sparse", t_gen_numpy),
        (
            "SymPy: Matrix.jacobian + codegen (C99) of the dense matrix",
            gen["jacobian"] + gen["codegen"] if "codegen" in gen else None,
        ),
        (
            "SymPy: Matrix.jacobian + lambdify of the dense matrix",
            lam["jacobian"] + lam["lambdify"] if "lambdify" in lam else None,
        ),
        ("gcc -O2 of jacobi's C --sparse", t_cc_sparse),
        ("gcc -O2 of jacobi's C dense", t_cc_dense),
        ("jacobi --points evaluator built (jacobian_job)", job.get("build")),
    ]
    for name, t in gen_rows:
        if t is None:
            print(f"  {'>' + str(int(args.cap)) + ' s':>11}  {'':>14}  {name} (capped)")
        else:
            print(f"  {t:9.2f} s  {t / t_gen_sparse:8.1f}x jacobi  {name}")
    if "chars" in gen:
        print(f"  (SymPy's C is {gen['chars'] / 1e6:.1f} MB; jacobi's sparse C "
              f"{sum(map(len, sparse.files.values())) / 1e6:.2f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
