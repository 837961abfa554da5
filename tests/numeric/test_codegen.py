"""Generated code (jacobi.numeric.codegen) against jacobi's exact Jacobian evaluated with mpmath.

Every generated C file is compiled in one gcc call, every Rust file in one rustc call (a
cdylib with a small extern "C" wrapper per function), and the NumPy modules are imported;
each is called at random points and compared with the exact entries (relative error
<= 1e-12).
"""

from __future__ import annotations

import ctypes
import importlib.util
import random
import shutil
import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy

from jacobi import function
from jacobi.math import derivatives, sparse
from jacobi.numeric.codegen import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

CASES = {
    "seed001": ("x + y, x*y", None),
    "seed000": ("2*x1 - x2 + 3*x3, x1 + 4*x3", None),
    "quotient": ("x*y/(x^2 + y^2)", None),
    "linear_layer": ("w11 x1 + w12 x2, w21 x1 + w22 x2", "x1,x2"),
    "seed5_10": ("exp(t cos(t) (t sin(t))^2)", None),
    "polar": ("r*cos(t), r*sin(t)", "r,t"),
    "spherical": (
        "r*sin(theta)*cos(phi), r*sin(theta)*sin(phi), r*cos(theta)",
        "r,theta,phi",
    ),
    "mixed": ("sqrt(x)*a + abs(y) + sec(x), atan2(y, x) + max(x, y)/3 + 2^x + log(x + y)", "x,y"),
    "banded": (
        ",".join(
            f"x{i - 1 if i > 1 else 1}*x{i} - 2*sin(x{i}) + x{i + 1 if i < 200 else 200}^2/3"
            for i in range(1, 201)
        ),
        None,
    ),
}


def _random_case(seed: int) -> str:
    rng = random.Random(seed)
    atoms = ["x", "y", "z", "2", "1/3", "a"]
    fns = ["sin", "cos", "exp", "atan", "tanh", "sqrt(1 + ({})^2)"]

    def expr(depth: int) -> str:
        if depth == 0:
            return rng.choice(atoms)
        kind = rng.randrange(4)
        if kind == 0:
            fn = rng.choice(fns)
            inner = expr(depth - 1)
            return fn.format(inner) if "{}" in fn else f"{fn}({inner})"
        op = rng.choice(["+", "-", "*"])
        return f"({expr(depth - 1)} {op} {expr(depth - 1)})"

    return ", ".join(expr(3) for _ in range(2))


for _k in range(4):
    CASES[f"random{_k}"] = (_random_case(_k), "x,y,z")


def _exact(f, x, p):
    """J and f at a point, from jacobi's own exact Jacobian, with mpmath at 30 digits."""
    jac = derivatives.jacobian(f, simplify=False, keep_deltas=True)
    free = [s for s, v in f.parameters if v is None]
    subs = dict(zip([*f.variables, *free], [*x, *p], strict=True))
    mpmath.mp.dps = 30
    fn = sympy.lambdify(list(subs), list(f.components) + sparse.flat(jac), modules="mpmath")
    values = [float(mpmath.re(v)) for v in fn(*(mpmath.mpf(v) for v in subs.values()))]
    return np.array(values[: f.m]), np.array(values[f.m :]).reshape(f.m, f.n)


def _close(got, want):
    scale = np.maximum(np.abs(want), 1.0)
    assert np.all(np.abs(got - want) <= 1e-12 * scale), (got, want)


def _points(f, k, seed):
    rng = np.random.default_rng(seed)
    free = [s for s, v in f.parameters if v is None]
    return rng.uniform(0.3, 1.7, (k, f.n)), rng.uniform(0.5, 1.5, len(free))


@pytest.fixture(scope="module")
def functions():
    return {name: function(text, variables=v) for name, (text, v) in CASES.items()}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc")
def test_c(tmp_path, functions):
    sources = []
    patterns = {}
    for name, f in functions.items():
        # The 200-equation system only sparse (a dense 200×200 J is 40,000 lines to compile).
        for sp in (False, True) if name != "banded" else (True,):
            g = generate(f, "c", "f,jac,jvp", sparse=sp, name=f"{name}{'_s' if sp else ''}")
            if sp:
                patterns[name] = g.patterns["jac"]
            for fname, text in g.files.items():
                (tmp_path / fname).write_text(text)
                if fname.endswith(".c"):
                    sources.append(str(tmp_path / fname))
    lib = tmp_path / "all.so"
    cmd = ["gcc", "-std=c99", "-Wall", "-Werror", "-O2", "-shared", "-fPIC", *sources]
    subprocess.run([*cmd, "-o", str(lib), "-lm"], check=True)
    dll = ctypes.CDLL(str(lib))
    dp = ctypes.POINTER(ctypes.c_double)
    for name, f in functions.items():
        dense_too = name != "banded"
        xs, p = _points(f, 2 if dense_too else 1, 1)
        pattern = patterns[name]
        base = name if dense_too else f"{name}_s"
        for x in xs:
            fx, jx = _exact(f, x, p)
            xa, pa = np.ascontiguousarray(x), np.ascontiguousarray(p)
            out = np.zeros(f.m)
            getattr(dll, f"{base}_f")(
                xa.ctypes.data_as(dp), pa.ctypes.data_as(dp), out.ctypes.data_as(dp)
            )
            _close(out, fx)
            if dense_too:
                out = np.zeros(f.m * f.n)
                getattr(dll, f"{name}_jac")(
                    xa.ctypes.data_as(dp), pa.ctypes.data_as(dp), out.ctypes.data_as(dp)
                )
                _close(out.reshape(f.m, f.n), jx)
            v = np.linspace(1.0, 2.0, f.n)
            out = np.zeros(f.m)
            getattr(dll, f"{base}_jvp")(
                xa.ctypes.data_as(dp),
                pa.ctypes.data_as(dp),
                v.ctypes.data_as(dp),
                out.ctypes.data_as(dp),
            )
            _close(out, jx @ v)
            out = np.zeros(max(pattern.nnz, 1))
            getattr(dll, f"{name}_s_jac")(
                xa.ctypes.data_as(dp), pa.ctypes.data_as(dp), out.ctypes.data_as(dp)
            )
            dense = np.zeros((f.m, f.n))
            dense[list(pattern.rows), list(pattern.cols)] = out[: pattern.nnz]
            _close(dense, jx)


def _small(functions):
    """The cases without the 200-equation system, which the C test covers (the suite's budget)."""
    return {k: f for k, f in functions.items() if k != "banded"}


def test_numpy(tmp_path, functions):
    for name, f in _small(functions).items():
        g = generate(f, "numpy", "f,jac,vjp", sparse=False, name=name)
        path = tmp_path / f"{name}.py"
        path.write_text(g.files[f"{name}.py"])
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        xs, p = _points(f, 3, 2)
        jac = mod.jac(xs, p)
        fv = mod.f(xs, p)
        for k, x in enumerate(xs):
            fx, jx = _exact(f, x, p)
            _close(fv[k], fx)
            _close(jac[k], jx)
            w = np.linspace(1.0, 2.0, f.m)
            _close(mod.vjp(x, w, p), w @ jx)


def test_undefined_points_are_nan(tmp_path):
    g = generate(function("sqrt(x), log(y)", variables="x,y"), "numpy", "f,jac", name="u")
    path = tmp_path / "u.py"
    path.write_text(g.files["u.py"])
    spec = importlib.util.spec_from_file_location("u", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    jac = mod.jac([[-1.0, 1.0], [0.0, 1.0], [4.0, -1.0]])
    assert np.isnan(jac[0, 0, 0]) and np.isnan(jac[1, 0, 0])  # sqrt: outside, at its edge
    assert jac[0, 1, 1] == 1.0 and np.isnan(jac[2, 1, 1])
    assert mod.f([0.0, 1.0])[0] == 0.0  # sqrt(0) itself is defined


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc")
def test_rust(tmp_path, functions):
    lines = []
    for name, f in _small(functions).items():
        g = generate(f, "rust", "f,jac", name=name)
        (tmp_path / f"{name}.rs").write_text(g.files[f"{name}.rs"])
        k = len([s for s, v in f.parameters if v is None])
        lines.append(f'#[path = "{tmp_path / (name + ".rs")}"] mod {name};')
        lines.append(
            f'#[no_mangle] pub unsafe extern "C" fn {name}_jac(x: *const f64, p: *const f64, '
            f"out: *mut f64) {{ {name}::jac(&*(x as *const [f64; {f.n}]), "
            f"&*(p as *const [f64; {k}]), &mut *(out as *mut [f64; {f.m * f.n}])) }}"
        )
    (tmp_path / "lib.rs").write_text("\n".join(lines) + "\n")
    lib = tmp_path / "librs.so"
    subprocess.run(
        [
            "rustc",
            "--edition",
            "2021",
            "-O",
            "--crate-type",
            "cdylib",
            str(tmp_path / "lib.rs"),
            "-o",
            str(lib),
        ],
        check=True,
    )
    dll = ctypes.CDLL(str(lib))
    dp = ctypes.POINTER(ctypes.c_double)
    for name, f in _small(functions).items():
        xs, p = _points(f, 2, 3)
        pa = np.ascontiguousarray(p) if len(p) else np.zeros(1)
        for x in xs:
            _, jx = _exact(f, x, p)
            out = np.zeros(f.m * f.n)
            xa = np.ascontiguousarray(x)
            getattr(dll, f"{name}_jac")(
                xa.ctypes.data_as(dp), pa.ctypes.data_as(dp), out.ctypes.data_as(dp)
            )
            _close(out.reshape(f.m, f.n), jx)


@pytest.mark.skipif(shutil.which("gfortran") is None, reason="gfortran")
def test_fortran(tmp_path, functions):
    """Every case in one gfortran call, called via bind(C) like the C code: f, J (dense and
    sparse), J v and, through NAME_eval, J alone. The banded system has 40 equations here
    (continuation lines, index arrays over several lines): the 200 are the C test's, whose
    Jacobian alone takes 4 s to build (the suite's budget)."""
    banded = ",".join(
        f"x{i - 1 if i > 1 else 1}*x{i} - 2*sin(x{i}) + x{i + 1 if i < 40 else 40}^2/3"
        for i in range(1, 41)
    )
    functions = {**_small(functions), "banded": function(banded)}
    sources, patterns = [], {}
    for name, f in functions.items():
        for sp in (False, True) if name != "banded" else (True,):
            mod = f"{name}{'_s' if sp else ''}"
            what = "f,jac,jvp" if name != "banded" else "jac"
            g = generate(f, "fortran", what, sparse=sp, name=mod)
            if sp:
                patterns[name] = g.patterns["jac"]
            (tmp_path / f"{mod}.f90").write_text(g.files[f"{mod}.f90"])
            sources.append(str(tmp_path / f"{mod}.f90"))
    undefined = generate(function("sqrt(x), log(y)", variables="x,y"), "fortran", name="undef")
    (tmp_path / "undef.f90").write_text(undefined.files["undef.f90"])
    sources.append(str(tmp_path / "undef.f90"))
    lib = tmp_path / "fortran.so"
    cmd = ["gfortran", "-Wall", "-Werror", "-O2", "-shared", "-fPIC", "-J", str(tmp_path)]
    subprocess.run([*cmd, *sources, "-o", str(lib)], check=True, cwd=tmp_path)
    dll = ctypes.CDLL(str(lib))
    dp = ctypes.POINTER(ctypes.c_double)
    for x, nans in (([-1.0, 1.0], [0]), ([0.0, 1.0], [0]), ([4.0, -1.0], [3])):
        out, xa = np.zeros(4), np.array(x)
        dll.undef_jac(xa.ctypes.data_as(dp), None, out.ctypes.data_as(dp))
        assert list(np.flatnonzero(np.isnan(out))) == nans, (x, out)
    for name, f in functions.items():
        dense_too = name != "banded"
        xs, p = _points(f, 2 if dense_too else 1, 4)
        pattern = patterns[name]
        pa = np.ascontiguousarray(p) if len(p) else None
        for x in xs:
            fx, jx = _exact(f, x, p)
            xa = np.ascontiguousarray(x)
            ptr = pa.ctypes.data_as(dp) if pa is not None else None
            if dense_too:
                out = np.zeros(f.m)
                getattr(dll, f"{name}_f")(xa.ctypes.data_as(dp), ptr, out.ctypes.data_as(dp))
                _close(out, fx)
                out = np.zeros(f.m * f.n)
                getattr(dll, f"{name}_jac")(xa.ctypes.data_as(dp), ptr, out.ctypes.data_as(dp))
                _close(out.reshape(f.m, f.n), jx)
                # eval with only J asked for (the other outputs absent: NULL)
                out = np.zeros(f.m * f.n)
                v = np.linspace(1.0, 2.0, f.n)
                getattr(dll, f"{name}_eval")(
                    xa.ctypes.data_as(dp), ptr, v.ctypes.data_as(dp), None,
                    out.ctypes.data_as(dp), None,
                )  # fmt: skip
                _close(out.reshape(f.m, f.n), jx)
                out = np.zeros(f.m)
                getattr(dll, f"{name}_jvp")(
                    xa.ctypes.data_as(dp), ptr, v.ctypes.data_as(dp), out.ctypes.data_as(dp)
                )
                _close(out, jx @ v)
            out = np.zeros(max(pattern.nnz, 1))
            getattr(dll, f"{name}_s_jac")(xa.ctypes.data_as(dp), ptr, out.ctypes.data_as(dp))
            dense = np.zeros((f.m, f.n))
            dense[list(pattern.rows), list(pattern.cols)] = out[: pattern.nnz]
            _close(dense, jx)


def test_same_code_twice():
    f = function("r*cos(t), r*sin(t)", variables="r,t")
    for lang in ("c", "numpy", "rust", "fortran"):
        assert generate(f, lang, "f,jac,det").files == generate(f, lang, "f,jac,det").files
