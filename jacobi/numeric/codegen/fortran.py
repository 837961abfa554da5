"""Fortran 2008: one module of pure subroutines, each callable from C (``bind(C)``).

``NAME_jac(x, p, out)`` takes ``real(c_double)`` arrays indexed from 0, as the header
comment names them (``x(0:n-1)``, ``p(0:*)``, ``out(0:size-1)``), so a C caller (or
ctypes) passes the same pointers as to the C code; with several outputs, ``NAME_eval``
computes them all with their common subexpressions shared, its outputs ``optional`` (a
NULL pointer from C: not computed). NaN is written as its bit pattern. Compiles cleanly
with ``gfortran -Wall -Werror -O2``.
"""

from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.printing.fortran import FCodePrinter

from jacobi.errors import InputError
from jacobi.numeric.codegen.program import Output, Program
from jacobi.numeric.codegen.shared import (
    COMMON_FUNCTIONS,
    Body,
    Syntax,
    Text,
    body,
    check_functions,
    header,
    literal,
    statements,
)

FUNCTIONS = COMMON_FUNCTIONS | {"erf", "erfc", "gamma"}

#: Fortran 2008 intrinsics SymPy's printer does not list.
_INTRINSICS = {name: name for name in ("asinh", "acosh", "atanh", "erfc", "gamma")}

#: Fortran names are at most 63 characters; the longest suffix is ``_hessian``.
_MAX_NAME = 63 - len("_hessian")

_INDEXED = re.compile(r"([a-z]+)\[(\d+)\]")

#: The width free-form lines are wrapped at (the standard allows 132).
_WIDTH = 100


class _Printer(FCodePrinter):  # type: ignore[misc]  # sympy is untyped
    def __init__(self) -> None:
        super().__init__(
            {
                "standard": 2008,
                "source_format": "free",
                "strict": True,
                "user_functions": _INTRINSICS,
                "order": "none",
            }
        )

    def _format_code(self, lines: list[str]) -> list[str]:
        return lines  # one statement per line: wrapped by :func:`_split`, after the target

    def _print_Symbol(self, expr: Any) -> str:
        return _INDEXED.sub(r"\1(\2)", expr.name)

    def _print_Float(self, expr: Any) -> str:
        text = literal(expr)
        return text.replace("e", "d") if "e" in text else text + "d0"

    def _real_args(self, fn: str, args: Any) -> str:
        # max and min take arguments of one kind: 2 is written 2.0d0 beside reals
        texts = [self._print(sympy.Float(a) if a.is_Integer else a) for a in args]
        return f"{fn}({', '.join(texts)})"

    def _print_Max(self, expr: Any) -> str:
        return self._real_args("max", expr.args)

    def _print_Min(self, expr: Any) -> str:
        return self._real_args("min", expr.args)


def _declarations(program: Program, o: Output | None, b: Body) -> list[str]:
    lines = [f"    real(c_double), intent(in) :: x(0:{program.n - 1})"]
    lines.append("    real(c_double), intent(in) :: p(0:*)")
    outs = [o] if o is not None else list(program.outputs)
    for each in outs:
        if each.extra is not None:
            lines.append(
                f"    real(c_double), intent(in) :: {each.extra[0]}(0:{each.extra[1] - 1})"
            )
    for each in outs:
        target = "out" if o is not None else f"{each.name}_out"
        optional = ", optional" if o is None else ""
        lines.append(f"    real(c_double), intent(out){optional} :: {target}(0:{each.size - 1})")
    temps = [str(t) for t, _ in b.temps]
    for k in range(0, len(temps), 10):
        lines.append(f"    real(c_double) :: {', '.join(temps[k : k + 10])}")
    if b.flags:
        lines.append(f"    logical :: {', '.join(f'ok{c}' for c in b.flags)}")
    return lines


def _zeros(out: str, o: Output, fill: bool) -> list[str]:
    # a zero-size intent(out) array must still be set (gfortran -Wall)
    return [f"{out} = 0.0_c_double"] if fill or o.size == 0 else []


SYNTAX = Syntax(
    temp="{t} = {e}",
    flag="ok{c} = {cond}",
    conj=" .and. ",
    finite="abs({g}) <= huge(1.0_c_double)",
    kink="{k} /= 0.0_c_double",
    value="jacobi_finite({v})",
    choose="merge({v}, jacobi_nan, {cond})",
    assign="{out}({i}) = {v}",
    begin=_zeros,
    optional=("if (present({out})) then", "end if"),
)


def _statements(b: Body, targets: dict[str, str], pr: Text) -> list[str]:
    return statements(b, targets, "", pr, SYNTAX)


def _unused(program: Program, inputs: list[str], text: str) -> list[str]:
    """A dead statement naming the inputs ``text`` never reads (gfortran -Wall warns)."""
    idle = [a for a in inputs if not re.search(rf"\b{a}\(", text)]
    if program.n == 0 and "x" in idle:
        idle.remove("x")
    if not idle:
        return []
    return [
        "    real(c_double) :: unused",
        f"    if (.false.) unused = {' + '.join(f'{a}(0)' for a in idle)}  ! not needed here",
    ]


def _wrap(pr: Text, lines: list[str], indent: str) -> list[str]:
    out: list[str] = []
    for line in lines:
        text = indent + line
        if len(text) <= _WIDTH:
            out.append(text)
            continue
        out += _split(text, indent)
    return out


def _split(text: str, indent: str) -> list[str]:
    """A long statement over continuation lines, broken after an operator or a comma."""
    pieces: list[str] = []
    while len(text) > _WIDTH:
        cut = max(text.rfind(ch, len(indent) + 20, _WIDTH - 2) for ch in " ,")
        if cut <= len(indent) + 20:
            cut = _WIDTH - 2
        pieces.append(text[: cut + 1].rstrip() + " &")
        text = indent + "    &" + text[cut + 1 :]
    pieces.append(text)
    return pieces


def _subroutine(program: Program, o: Output | None, pr: Text) -> list[str]:
    outputs = [o] if o is not None else list(program.outputs)
    b = body(program, outputs)
    extras = [e.extra[0] for e in outputs if e.extra is not None]
    if o is not None:
        name = f"{program.name}_{o.name}"
        args = ["x", "p", *extras, "out"]
        targets = {o.name: "out"}
    else:
        name = f"{program.name}_eval"
        args = ["x", "p", *extras, *(f"{e.name}_out" for e in outputs)]
        targets = {e.name: f"{e.name}_out" for e in outputs}
    statements = _wrap(pr, _statements(b, targets, pr), "    ")
    text = "\n".join(statements)
    lines = [f'  pure subroutine {name}({", ".join(args)}) bind(C, name="{name}")']
    lines += _declarations(program, o, b)
    lines += _unused(program, ["x", "p", *extras], text)
    lines += statements
    lines.append(f"  end subroutine {name}")
    return lines


#: The module's private helpers, each written only when the code calls it. NaN is a bit
#: pattern and "finite" a comparison: ieee_arithmetic's functions cost gfortran -O2 about
#: 10 ms of compile time per use (6 s for a 600-entry Jacobian).
_HELPERS = (
    """  pure function jacobi_finite(v) result(r)
    real(c_double), intent(in) :: v
    real(c_double) :: r
    if (abs(v) <= huge(v)) then
      r = v
    else
      r = jacobi_nan
    end if
  end function jacobi_finite""",
)

_NAN = (
    "  real(c_double), parameter :: jacobi_nan = "
    "transfer(9221120237041090560_c_int64_t, 1.0_c_double)  ! a quiet NaN"
)


def generate(program: Program, version: str) -> dict[str, str]:
    """``{NAME.f90: ...}`` for ``program``."""
    check_functions(program, FUNCTIONS, "Fortran", "not a Fortran 2008 intrinsic")
    if len(program.name) > _MAX_NAME:
        raise InputError(
            f"--name {program.name!r} is too long for Fortran",
            hint=f"at most {_MAX_NAME} characters",
        )
    name = program.name
    lines = [f"! {line}".rstrip() for line in header(program, "fortran", version)]
    lines += [
        "!",
        "! Arrays are indexed from 0 as above; every subroutine is bind(C): from C, call",
        f"! {name}_jac(x, p, out) with double pointers (p may be NULL without parameters).",
        f"module {name}",
        "@USE@",
        "  implicit none",
        "  private",
    ]
    public = [f"{name}_{o.name}" for o in program.outputs]
    if len(program.outputs) > 1:
        public.append(f"{name}_eval")
    lines += _wrap_list("  public :: ", public)
    lines.append(f"  integer(c_int), parameter, public :: {name}_n_x = {program.n}")
    lines.append(f"  integer(c_int), parameter, public :: {name}_n_p = {len(program.parameters)}")
    for o in program.outputs:
        lines.append(f"  integer(c_int), parameter, public :: {name}_{o.name}_size = {o.size}")
        if o.pattern is None:
            continue
        pat = o.pattern
        lines.append(f"  integer(c_int), parameter, public :: {name}_{o.name}_nnz = {pat.nnz}")
        for key, values in (("rows", pat.rows), ("cols", pat.cols), ("colptr", pat.colptr)):
            if not values:
                continue
            decl = (
                f"  integer(c_int), parameter, public :: {name}_{o.name}_{key}"
                f"(0:{len(values) - 1}) = ["
            )
            lines += _wrap_list(decl, [str(v) for v in values], close="]")
    lines += ["", "contains", ""]
    pr = Text(_Printer())
    for o in program.outputs:
        lines += [*_subroutine(program, o, pr), ""]
    if len(program.outputs) > 1:
        lines += [*_subroutine(program, None, pr), ""]
    code = "\n".join(lines)
    helpers = [h for h in _HELPERS if f"{h.split('(')[0].split()[-1]}(" in code]
    lines += [*(line for h in helpers for line in (h, "")), f"end module {name}"]
    text = "\n".join(lines) + "\n"
    kinds = "c_double, c_int, c_int64_t" if "jacobi_nan" in text else "c_double, c_int"
    use = f"  use, intrinsic :: iso_c_binding, only: {kinds}"
    if "jacobi_nan" in text:
        text = text.replace("  private\n", f"  private\n{_NAN}\n", 1)
    text = text.replace("@USE@", use, 1)
    return {f"{name}.f90": text}


def _wrap_list(start: str, items: list[str], close: str = "") -> list[str]:
    """``start`` then ``items`` comma-separated over continuation lines, then ``close``."""
    lines: list[str] = []
    line = start
    for k, item in enumerate(items):
        piece = item + (", " if k < len(items) - 1 else close)
        if len(line) + len(piece) > _WIDTH - 2 and line.strip():
            lines.append(line.rstrip() + " &")
            line = "      & "
        line += piece
    lines.append(line)
    return lines


def print_expr(expr: sympy.Expr) -> str:
    """One expression as Fortran (for tests and docs)."""
    return Text(_Printer())(expr)
