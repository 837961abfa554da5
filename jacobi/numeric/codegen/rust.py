"""Rust: one module file of safe functions over fixed-size arrays, no allocation.

``pub fn jac(x: &[f64; N], p: &[f64; K], out: &mut [f64; S])``, one function per output,
and ``eval`` (outputs as ``Option<&mut [f64; S]>``) sharing their common
subexpressions. Uses only ``core`` floating-point methods: Rust's standard library has
no ``erf`` or ``gamma``, so functions using them are refused.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy.printing.codeprinter import CodePrinter
from sympy.printing.rust import RustCodePrinter

from jacobi.numeric.codegen.program import Output, Program
from jacobi.numeric.codegen.shared import (
    COMMON_FUNCTIONS,
    Body,
    Printing,
    Syntax,
    Text,
    body,
    check_functions,
    literal,
    statements,
)


class _Printer(Printing, RustCodePrinter):  # type: ignore[misc]  # sympy is untyped
    max_min = {"Max": "{a}.max({b})", "Min": "{a}.min({b})"}

    def _print_Integer(self, expr: Any, _type: bool = False) -> str:
        return literal(expr)

    # SymPy 1.14's Rust printer casts the factors of a product to float and then loses
    # the parentheses of a sum (v*(a + b) comes out as v*a + b): integers print as float
    # literals here, so the generic C-like printing is right and needs no casts.
    def _print_Mul(self, expr: Any) -> str:
        return str(CodePrinter._print_Mul(self, expr))

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        return str(CodePrinter._print_Add(self, expr, order))

    def _receiver(self, expr: Any) -> str:
        """``expr`` as the receiver of a method call (``(a + b).sqrt()``, ``2.0_f64.ln()``)."""
        if expr.is_number:
            text = literal(expr) + "_f64"
            return f"({text})" if text.startswith("-") else text
        text = str(self._print(expr))
        if isinstance(expr, sympy.Symbol | sympy.Function):
            return text
        return f"({text})"

    def _print_Pow(self, expr: Any) -> str:
        base, exp = expr.base, expr.exp
        b = self._receiver(base)
        if exp == -1:
            return f"{b}.recip()"
        if exp == sympy.S.Half:
            return f"{b}.sqrt()"
        if exp == -sympy.S.Half:
            return f"{b}.sqrt().recip()"
        if exp.is_Integer:
            return f"{b}.powi({int(exp)})"
        return f"{b}.powf({self._print(exp)})"

    def _first(self, expr: Any) -> str:
        return self._receiver(expr)

    def _print_sign(self, expr: Any) -> str:
        return f"sign({self._print(expr.args[0])})"

    def _print_Abs(self, expr: Any) -> str:
        return f"{self._receiver(expr.args[0])}.abs()"


def _type(size: int) -> str:
    return f"[f64; {size}]"


def _signature(program: Program, o: Output) -> str:
    extra = f", {o.extra[0]}: &{_type(o.extra[1])}" if o.extra is not None else ""
    return (
        f"pub fn {o.name}(x: &{_type(program.n)}, p: &{_type(len(program.parameters))}{extra}, "
        f"out: &mut {_type(o.size)})"
    )


def _eval_signature(program: Program) -> str:
    extras = "".join(
        f", {o.extra[0]}: &{_type(o.extra[1])}" for o in program.outputs if o.extra is not None
    )
    outs = "".join(f", {o.name}_out: Option<&mut {_type(o.size)}>" for o in program.outputs)
    return (
        f"pub fn eval(x: &{_type(program.n)}, p: &{_type(len(program.parameters))}{extras}{outs})"
    )


def _fill(out: str, o: Output, fill: bool) -> list[str]:
    return [f"{out}.fill(0.0);"] if fill else []


SYNTAX = Syntax(
    temp="let {t} = {e};",
    flag="let ok{c} = {cond};",
    conj=" && ",
    finite="{g}.is_finite()",
    kink="{k} != 0.0",
    value="finite({v})",
    choose="if {cond} {{ {v} }} else {{ f64::NAN }}",
    assign="{out}[{i}] = {v};",
    begin=_fill,
    optional=("if let Some(out) = {out} {{", "}"),
    optional_name="out",
    receiver=True,
)


def _statements(b: Body, targets: dict[str, str], indent: str, pr: Text) -> list[str]:
    return statements(b, targets, indent, pr, SYNTAX)


_HELPERS = {
    "finite(": [
        "#[inline]",
        "fn finite(v: f64) -> f64 {",
        "    if v.is_finite() { v } else { f64::NAN }",
        "}",
    ],
    "sign(": [
        "#[inline]",
        "fn sign(v: f64) -> f64 {",
        "    if v > 0.0 { 1.0 } else if v < 0.0 { -1.0 } else { v }",
        "}",
    ],
}


def generate(program: Program, version: str) -> dict[str, str]:
    """``{NAME.rs: ...}`` for ``program``."""
    from jacobi.numeric.codegen.shared import header

    check_functions(program, COMMON_FUNCTIONS, "Rust", "not in Rust's standard library")
    lines = [f"//! {line}".rstrip() for line in header(program, "rust", version)]
    lines += ["", f"pub const N_X: usize = {program.n};"]
    lines.append(f"pub const N_P: usize = {len(program.parameters)};")
    for o in program.outputs:
        up = o.name.upper()
        lines.append(f"pub const {up}_SIZE: usize = {o.size};")
        if o.pattern is not None:
            pat = o.pattern
            lines.append(f"pub const {up}_SHAPE: (usize, usize) = {pat.shape!r};")
            for key, values in (("ROWS", pat.rows), ("COLS", pat.cols), ("COLPTR", pat.colptr)):
                lines.append(
                    f"pub const {up}_{key}: [usize; {len(values)}] = "
                    f"[{', '.join(map(str, values))}];"
                )
    allow = "#[allow(unused_variables, unused_parens, clippy::all)]"
    functions: list[list[str]] = []
    pr = Text(_Printer({"strict": True, "order": "none"}))
    for o in program.outputs:
        fn = [allow, f"{_signature(program, o)} {{", "    let _ = (x, p);"]
        fn += _statements(body(program, [o]), {o.name: "out"}, "    ", pr)
        functions.append([*fn, "}"])
    if len(program.outputs) > 1:
        fn = [allow, f"{_eval_signature(program)} {{", "    let _ = (x, p);"]
        targets = {o.name: f"{o.name}_out" for o in program.outputs}
        fn += _statements(body(program, program.outputs), targets, "    ", pr)
        functions.append([*fn, "}"])
    joined = "\n".join(line for fn in functions for line in fn)
    for needle, helper in _HELPERS.items():
        if needle in joined.replace("is_finite(", "").replace("fn finite(", ""):
            lines += ["", *helper]
    for fn in functions:
        lines += ["", *fn]
    return {f"{program.name}.rs": "\n".join(lines) + "\n"}
