"""NumPy: one Python module, each function vectorised over points.

``jac(x, p=())`` takes ``x`` of shape ``(..., n)`` (one point, or a point per row) and
returns shape ``(..., m, n)`` (``(..., nnz)`` with ``--sparse``); ``p`` broadcasts the same
way. With several outputs, ``evaluate`` returns them all with their common
subexpressions shared. The module needs only NumPy.
"""

from __future__ import annotations

from typing import Any

from sympy.printing.numpy import NumPyPrinter

from jacobi.numeric.codegen.program import Output, Program
from jacobi.numeric.codegen.shared import (
    COMMON_FUNCTIONS,
    Body,
    Printing,
    Syntax,
    Text,
    body,
    check_functions,
    statements,
)

FUNCTIONS = COMMON_FUNCTIONS | {"erf", "erfc", "gamma"}

#: Functions NumPy lacks: vectorised from :mod:`math` in the module (slow but correct).
_HELPERS = {"erf": "math.erf", "erfc": "math.erfc", "gamma": "math.gamma"}


class _Printer(Printing, NumPyPrinter):  # type: ignore[misc]  # sympy is untyped
    max_min = {"Max": "numpy.maximum({a}, {b})", "Min": "numpy.minimum({a}, {b})"}

    def _helper(self, expr: Any) -> str:
        return f"_{type(expr).__name__}({self._print(expr.args[0])})"

    _print_erf = _print_erfc = _print_gamma = _helper


def _args(o: Output | None, outputs: tuple[Output, ...] = ()) -> str:
    extras = [o.extra[0] for o in ([o] if o is not None else outputs) if o.extra is not None]
    if o is None:
        return ", ".join(["x", "p=()", *(f"{e}=None" for e in extras)])
    return ", ".join(["x", *extras, "p=()"])


def _extra_call(extra: tuple[str, int]) -> tuple[str, str]:
    name, size = extra
    return f", {name}", f", ({name}, {size}, {name!r})"


def _make(out: str, o: Output, fill: bool) -> list[str]:
    return [f"{out} = numpy.{'zeros' if fill else 'empty'}(shape + ({o.size},))"]


SYNTAX = Syntax(
    temp="{t} = {e}",
    flag="ok{c} = {cond}",
    conj=" & ",
    finite="numpy.isfinite({g})",
    kink="({k} != 0)",
    value="{v}",
    choose="numpy.where({cond}, {v}, numpy.nan)",
    assign="{out}[..., {i}] = {v}",
    begin=_make,
)


def _statements(b: Body, indent: str, targets: dict[str, str], pr: Text) -> list[str]:
    return statements(b, targets, indent, pr, SYNTAX)


def _docstring(o: Output, n: int) -> str:
    shape = ", ".join(str(s) for s in o.shape)
    what = {"f": "f", "jac": "J", "det": "det J", "hessian": "the Hessian", "jvp": "J v"}.get(
        o.name, "w^T J"
    )
    extra = f" and {o.extra[0]} of shape (..., {o.extra[1]})" if o.extra else ""
    comma = ", " if shape else ""
    return (
        f'    """{what} at the points x of shape (..., {n}){extra}: shape (...{comma}'
        f'{shape}); NaN where undefined."""'
    )


def generate(program: Program, version: str) -> dict[str, str]:
    """``{NAME.py: ...}`` for ``program``."""
    from jacobi.numeric.codegen.shared import header

    check_functions(program, FUNCTIONS, "NumPy", "neither NumPy nor math has it")
    lines = ['"""' + header(program, "numpy", version)[0]]
    lines += [f"{line}".rstrip() for line in header(program, "numpy", version)[1:]]
    lines += [
        "",
        "Each function takes points x of shape (..., n) and parameters p of shape (..., k),",
        "which broadcast, and returns an array of shape (..., <the output's shape>).",
        '"""',
        "",
    ]
    text_all: list[str] = []
    functions: list[list[str]] = []
    pr = Text(_Printer({"order": "none"}))
    for o in program.outputs:
        fn = [f"def {o.name}({_args(o)}):", _docstring(o, program.n)]
        extra, call = ("", "") if o.extra is None else _extra_call(o.extra)
        fn.append(f"    x, p, shape{extra} = _inputs(x, p{call})")
        fn.append('    with numpy.errstate(all="ignore"):')
        fn += _statements(body(program, [o]), "        ", {o.name: "out"}, pr)
        fn.append("    return _finish(out, shape, " + repr(o.shape) + ")")
        functions.append(fn)
    if len(program.outputs) > 1:
        names = ", ".join(o.name for o in program.outputs)
        fn = [f"def evaluate({_args(None, program.outputs)}):"]
        fn.append(f'    """({names}) at the points x, sharing their common subexpressions."""')
        pairs = [_extra_call(o.extra) for o in program.outputs if o.extra is not None]
        extra, call = "".join(a for a, _ in pairs), "".join(b for _, b in pairs)
        fn.append(f"    x, p, shape{extra} = _inputs(x, p{call})")
        fn.append('    with numpy.errstate(all="ignore"):')
        targets = {o.name: f"{o.name}_out" for o in program.outputs}
        fn += _statements(body(program, program.outputs), "        ", targets, pr)
        fn.append("    return (")
        fn += [f"        _finish({o.name}_out, shape, {o.shape!r})," for o in program.outputs]
        fn.append("    )")
        functions.append(fn)
    text_all = [line for fn in functions for line in fn]
    joined = "\n".join(text_all)
    used = [name for name in _HELPERS if f"_{name}(" in joined]
    lines += [*(["import math", ""] if used else []), "import numpy", ""]
    lines.append(f"VARIABLES = {tuple(program.variables)!r}")
    lines.append(f"PARAMETERS = {tuple(program.parameters)!r}")
    for o in program.outputs:
        if o.pattern is not None:
            up = o.name.upper()
            lines.append(f"{up}_SHAPE = {o.pattern.shape!r}")
            lines.append(f"{up}_ROWS = {o.pattern.rows!r}")
            lines.append(f"{up}_COLS = {o.pattern.cols!r}")
            lines.append(f"{up}_COLPTR = {o.pattern.colptr!r}")
    for name in used:
        lines.append(f"_{name} = numpy.vectorize({_HELPERS[name]}, otypes=[float])")
    lines += ["", ""]
    lines += _INPUTS.format(n=program.n, k=len(program.parameters)).splitlines()
    for fn in functions:
        lines += ["", "", *fn]
    return {f"{program.name}.py": "\n".join(lines) + "\n"}


_INPUTS = """def _vector(a, size, what):
    a = numpy.asarray(a, dtype=numpy.float64)
    if a.ndim == 0 or a.shape[-1] != size:
        raise ValueError(f"{{what}} needs {{size}} entries in its last axis, not shape {{a.shape}}")
    return a


def _inputs(x, p, *vectors):
    x = _vector(x, {n}, "x")
    p = _vector(p, {k}, "p")
    extra = [_vector(a, size, what) for a, size, what in vectors]
    shape = numpy.broadcast_shapes(x.shape[:-1], p.shape[:-1], *(a.shape[:-1] for a in extra))
    moved = [numpy.ascontiguousarray(numpy.moveaxis(a, -1, 0)) for a in (x, p, *extra)]
    return (moved[0], moved[1], shape, *moved[2:])


def _finish(out, shape, size):
    out[~numpy.isfinite(out)] = numpy.nan
    return out.reshape(shape + size)"""
