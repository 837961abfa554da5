"""SymPy objects from what the parser reads: names, numbers, operators and calls.

The third stage of :mod:`jacobi.lang.parse`. The parser (:mod:`jacobi.lang.parser`)
knows the grammar; an :class:`ExprBuilder` makes each value it reads, from Python ints,
validated names and the lexicon's function builders (:data:`jacobi.lang.lexicon.FUNCTIONS`),
never from text. It refuses what is not a real number (``acos(2)``, ``(-2)^x``), what
is undefined (``0^-1``, ``log(0)``), and arithmetic on literals whose exact result
would be huge, measured in digits beforehand (:mod:`jacobi.lang.sizes`). It also keeps
the domain guards of the component being built (see :attr:`jacobi.lang.parse.Component.guards`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import Any

import sympy

from jacobi.lang import lexicon
from jacobi.lang.lexicon import MAX_ROOT_DIGITS
from jacobi.lang.sizes import (
    digits_text,
    log10_abs,
    number_digits,
    power_digits,
    root_digits,
    short,
)
from jacobi.lang.tokens import Tokens

__all__ = [
    "MAX_GUARDS",
    "MAX_RESULT_DIGITS",
    "MAX_SYMBOLIC_EXPONENT",
    "ExprBuilder",
    "Product",
    "Sum",
    "symbol",
]

Expr = Any  # sympy is untyped; this alias documents intent.

MAX_RESULT_DIGITS = 10_000
"""Largest exact number that arithmetic on literals may produce, in digits."""
MAX_SYMBOLIC_EXPONENT = 100_000
"""Largest ``|n|`` accepted in ``expr^n`` when ``expr`` is not a plain rational."""
MAX_GUARDS = 100
"""Most domain guards kept for one component."""

_LOG10_MAX_RESULT = math.log10(MAX_RESULT_DIGITS)
_PAIRWISE_FACTORS = 16  # longer product chains are multiplied in one flat Mul
_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
_NOT_REAL_HINT = "jacobi works over the reals: every value must be a real number"


# --------------------------------------------------------------------------- symbols

_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SYMBOLS: dict[str, Any] = {}


def symbol(name: str) -> sympy.Symbol:
    """Return the real SymPy symbol called ``name``; the one way jacobi makes symbols.

    Parameters
    ----------
    name
        An ASCII identifier (letters, digits, underscores; not starting with a digit).

    Returns
    -------
    sympy.Symbol
        ``Symbol(name, real=True)``, cached so equal names give the same object.

    Raises
    ------
    ValueError
        If ``name`` is not an identifier.

    Examples
    --------
    >>> symbol("theta").is_real
    True
    >>> symbol("x") is symbol("x")
    True
    """
    sym = _SYMBOLS.get(name)
    if sym is None:
        if not _IDENT_RE.match(name):
            raise ValueError(f"not a valid jacobi name: {name!r}")
        sym = _SYMBOLS[name] = sympy.Symbol(name, real=True)
    return sym


# --------------------------------------------------------------------------- chains


class Sum:
    """A chain of additions, summed in one flat ``Add`` (linear, not quadratic)."""

    __slots__ = ("terms",)

    def __init__(self, first: Expr) -> None:
        self.terms = [first]


class Product:
    """A chain of products: pairwise like Python for short chains, then flat."""

    __slots__ = ("count", "rest", "rest_roots", "rest_size", "value")

    def __init__(self, first: Expr) -> None:
        self.value = first
        self.count = 1
        self.rest: list[Expr] = []
        self.rest_size = 0.0
        self.rest_roots = 0.0


# --------------------------------------------------------------------------- the builder


class ExprBuilder:
    """Builds the values of one input, reporting faults at token indices of ``tokens``.

    Parameters
    ----------
    tokens
        The tokens being parsed, for error positions.
    variables
        The declared names; ``"e"`` or ``"pi"`` among them stop those being constants.

    Attributes
    ----------
    declared
        The declared names.
    constants
        The names that are constants (``pi``, ``e``), with their values.
    guards
        Domain guards of the component being built; the parser sets a fresh list for
        each component.
    """

    def __init__(
        self, tokens: Tokens, variables: Collection[str], keep_derivatives: bool = False
    ) -> None:
        self.tokens = tokens
        self.declared = frozenset(variables)
        self.keep_derivatives = keep_derivatives
        self.constants: dict[str, Expr] = {}
        if "pi" not in variables:
            self.constants["pi"] = sympy.pi
        if "e" not in variables:
            self.constants["e"] = sympy.E
        if "EulerGamma" not in variables:
            # digamma(1) = -EulerGamma: printed so in results, it must read back as itself.
            self.constants["EulerGamma"] = sympy.EulerGamma
        self.guards: list[Expr] = []

    def guard(self, piece: Expr) -> None:
        """Remember ``piece`` as a domain guard of the current component."""
        if len(self.guards) < MAX_GUARDS and piece not in self.guards:
            self.guards.append(piece)

    # ---------------------------------------------------------------- names

    def name(self, name: str, index: int) -> Expr:
        """The value of the name at token ``index``: a constant or a real symbol."""
        constant = self.constants.get(name)
        if constant is not None:
            return constant
        if name.startswith("__"):
            self.tokens.fail_at(
                f"the name '{name}' is not allowed", index, "names may not start with '__'"
            )
        if name not in self.declared:
            meant = lexicon.glued(name)
            if meant is not None:
                self.tokens.fail_at(
                    f"'{name}' is one name, not {meant}",
                    index,
                    f"write {meant}; to use {name} as a name, declare it a variable (--vars)",
                )
        return symbol(name)

    # ---------------------------------------------------------------- sums and products

    def finish(self, v: Any, index: int) -> Expr:
        """The expression of ``v``: a :class:`Sum` or :class:`Product` chain is closed."""
        if isinstance(v, Sum):
            return self.add(v.terms, index)
        if isinstance(v, Product):
            if not v.rest:
                return v.value
            self.check_product(number_digits(v.value) + v.rest_size, index)
            self.check_roots(root_digits(v.value) + v.rest_roots, index)
            return sympy.Mul(v.value, *v.rest)
        return v

    def plus(self, a: Any, b: Expr, subtract: bool, index: int) -> Sum:
        """``a + b`` or ``a - b``, extending ``a`` when it is already a chain."""
        total = a if isinstance(a, Sum) else Sum(self.finish(a, index))
        total.terms.append(-b if subtract else b)
        return total

    def add(self, terms: list[Expr], index: int) -> Expr:
        """The sum of ``terms``, refused when its common denominator would be huge."""
        numerators = 0.0
        denominators: set[int] = set()
        for t in terms:
            c = t if t.is_Rational else (t.args[0] if t.is_Mul else None)
            if c is not None and c.is_Rational:
                numerators = max(numerators, log10_abs(c.p))
                if c.q != 1:
                    denominators.add(c.q)
        size = numerators + sum(log10_abs(q) for q in denominators)
        if size > MAX_RESULT_DIGITS:
            self.tokens.limit_at(
                f"adding these fractions would give a number with about "
                f"{digits_text(math.log10(size))} digits; jacobi refuses numbers over "
                f"{MAX_RESULT_DIGITS:,} digits",
                index,
            )
        return sympy.Add(*terms)

    def check_product(self, size: float, index: int) -> None:
        """Refuse a product of numbers with more than ``MAX_RESULT_DIGITS`` digits."""
        if size > MAX_RESULT_DIGITS:
            self.tokens.limit_at(
                f"multiplying these numbers would give about {digits_text(math.log10(size))}"
                f" digits; jacobi refuses numbers over {MAX_RESULT_DIGITS:,} digits",
                index,
            )

    def check_roots(self, size: float, index: int) -> None:
        """Refuse exact roots of numbers with more than ``MAX_ROOT_DIGITS`` digits."""
        if size > MAX_ROOT_DIGITS:
            self.tokens.limit_at(
                f"this needs the exact root of a number with about {digits_text(math.log10(size))}"
                f" digits; jacobi refuses roots of numbers over {MAX_ROOT_DIGITS} digits",
                index,
            )

    def multiply(self, a: Any, b: Expr, divide: bool, index: int) -> Product:
        """``a * b`` or ``a / b``, extending ``a`` when it is already a chain."""
        prod = a if isinstance(a, Product) else Product(self.finish(a, index))
        if divide and b is sympy.S.Zero:
            self.tokens.fail_at("division by zero", index)
        if divide and b.free_symbols:
            self.guard(sympy.Pow(b, -1, evaluate=False))
        if prod.count < _PAIRWISE_FACTORS:
            self.check_product(number_digits(prod.value) + number_digits(b), index)
            self.check_roots(root_digits(prod.value) + root_digits(b), index)
            prod.value = prod.value / b if divide else prod.value * b
        else:
            prod.rest_size += number_digits(b)
            prod.rest_roots += root_digits(b)
            self.check_product(prod.rest_size, index)
            prod.rest.append(sympy.Pow(b, -1) if divide else b)
        prod.count += 1
        return prod

    # ---------------------------------------------------------------- powers

    def power(self, base: Expr, exp: Expr, index: int) -> Expr:
        """``base ** exp``, refused when not real, undefined or too large."""
        if exp.free_symbols and not base.free_symbols:
            self._refuse_variable_power(base, exp, index)
        if exp.is_Rational and exp.p != 0:
            self._check_rational_power(base, exp, index)
        result = sympy.Pow(base, exp)
        if base.free_symbols and not (exp.is_Integer and exp >= 0):
            self.guard(sympy.Pow(base, exp, evaluate=False))
        if result in _UNDEFINED:
            self.tokens.fail_at(f"{short(base)}**{short(exp)} is undefined", index)
        if not result.free_symbols and (result.has(sympy.I) or lexicon.not_real(result)):
            self.tokens.fail_at(
                f"{short(base)}**{short(exp)} is not a real number", index, _NOT_REAL_HINT
            )
        return result

    def _refuse_variable_power(self, base: Expr, exp: Expr, index: int) -> None:
        """``0^x`` and ``(-2)^x``: a constant base whose power is not real for every x."""
        shown = f"{short(base)}**{short(exp)}"
        if base.is_zero:
            self.tokens.fail_at(
                f"{shown} is 0 where the exponent is positive and undefined elsewhere",
                index,
                "write 0 if the exponent is known to be positive",
            )
        if base.is_extended_negative:
            self.tokens.fail_at(
                f"{shown} is not a real number: a negative number to a variable power",
                index,
                f"jacobi works over the reals: write {short(-base)}**{short(exp)} or "
                f"-({short(-base)}**{short(exp)}), whichever you mean",
            )

    def _check_rational_power(self, base: Expr, exp: Expr, index: int) -> None:
        """A nonzero rational exponent: the size of the result, and real roots only."""
        m, q = abs(exp.p), exp.q
        if base is sympy.S.Zero and exp.p < 0:
            self.tokens.fail_at("division by zero (0 to a negative power)", index)
        if not base.is_Rational and m > MAX_SYMBOLIC_EXPONENT * q:
            self.tokens.limit_at(
                f"the exponent {short(exp)} is too large; jacobi refuses exponents over "
                f"{MAX_SYMBOLIC_EXPONENT:,}",
                index,
            )
        per_unit = power_digits(base)
        if per_unit > 0:
            log10_digits = log10_abs(m) - log10_abs(q) + math.log10(per_unit)
            if log10_digits > _LOG10_MAX_RESULT:
                what = f"the number {short(base)}**{short(exp)}"
                if not base.is_Rational:
                    what = f"{short(base)}**{short(exp)}"
                self.tokens.limit_at(
                    f"{what} would have about {digits_text(log10_digits)} digits; "
                    f"jacobi refuses numbers over {MAX_RESULT_DIGITS:,} digits",
                    index,
                )
        if q != 1:
            if base.is_Rational and base.p < 0:
                hint = "a negative number has no real even root"
                if q % 2:
                    sign = "-" if exp.p % 2 else ""
                    hint = f"for the real root write {sign}({short(-base)}**{short(exp)})"
                self.tokens.fail_at(
                    f"{short(base)}**{short(exp)} is not a real number", index, hint
                )
            if base.free_symbols and base.is_extended_nonpositive:
                self._refuse_negative_root(base, exp, index)
            coefficient = number_digits(base) if base.is_Rational or base.is_Mul else 0.0
            self.check_roots(coefficient + root_digits(base), index)

    def _refuse_negative_root(self, base: Expr, exp: Expr, index: int) -> None:
        """``(-exp(x))**(2/3)``: a base that is never positive to a fractional power is not
        real (for any x, or anywhere but where the base is 0)."""
        shown = f"{short(base)}**{short(exp)}"
        names = ", ".join(sorted(s.name for s in base.free_symbols if isinstance(s, sympy.Symbol)))
        where = (
            f"the base is negative for every real {names}"
            if base.is_extended_negative
            else "the base is negative wherever it is not 0"
        )
        hint = "a negative number has no real even root"
        if exp.q % 2:
            sign = "-" if exp.p % 2 else ""
            hint = f"for the real root write {sign}{short(-base)}**{short(exp)}"
        self.tokens.fail_at(f"{shown} is not a real number: {where}", index, hint)

    # ---------------------------------------------------------------- calls

    def call(self, name: str, args: list[Expr], index: int, close: int) -> Expr:
        """The call ``name(args)`` written from token ``index`` to its ``)`` at ``close``."""
        spec = lexicon.FUNCTIONS[name]
        usage = spec.usage or None
        self._check_arity(name, spec, len(args), index)
        if spec.order:
            self._check_order(name, spec.order, args, index, usage or "")
        for arg in args:
            if max(number_digits(arg), root_digits(arg)) > MAX_ROOT_DIGITS and not arg.free_symbols:
                self.tokens.limit_at(
                    f"a number over {MAX_ROOT_DIGITS} digits inside {name}(...); "
                    f"jacobi refuses such arguments",
                    index,
                )
        try:
            result = spec.build(args)
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.tokens.fail_at(f"invalid arguments for {name}: {str(exc)[:200]}", index)
        undefined = result in _UNDEFINED
        not_real = not undefined and (
            result.has(sympy.I) or (not result.free_symbols and lexicon.not_real(result))
        )
        if spec.restricted and any(a.free_symbols for a in args):
            self.guard(result)
        if undefined or not_real:
            text, _ = self.tokens.span(index, close + 1)
            if len(text) > 60:
                text = f"{name}(...)"
            problem = "is not a real number" if not_real else "is undefined"
            self.tokens.fail_at(f"{text} {problem}", index, _NOT_REAL_HINT if not_real else None)
        return result

    def derivative(self, args: list[Expr], index: int, starts: list[int]) -> Expr:
        """``diff(f, x)`` written from token ``index``, its arguments from tokens ``starts``.

        ``x`` must be a name (a variable or a parameter, not a constant or an expression).
        The derivative is built unevaluated, ``Derivative(f, x)``, and then evaluated,
        unless the parser keeps derivatives (reading back the lines of a derivation).
        """
        spec = lexicon.FUNCTIONS["diff"]
        self._check_arity("diff", spec, len(args), index)
        f, x = args
        if not isinstance(x, sympy.Symbol):
            where = starts[1] if len(starts) > 1 else index
            while self.tokens.toks[where][0] == "nl":
                where += 1
            what = "the constant" if not x.free_symbols else "the expression"
            shown = short(x).removeprefix("(").removesuffix(")")
            self.tokens.fail_at(
                f"diff differentiates by a variable name, not by {what} {shown}",
                where,
                f"write {spec.usage}",
            )
        unevaluated = sympy.Derivative(f, x, evaluate=False)
        return unevaluated if self.keep_derivatives else unevaluated.doit()

    def _check_arity(self, name: str, spec: lexicon.Function, count: int, index: int) -> None:
        low, high = spec.low, spec.high
        if count >= low and (high is None or count <= high):
            return
        if high is None:
            wanted = f"at least {low} arguments"
        elif low == high:
            wanted = f"{low} argument" + ("s" if low > 1 else "")
        else:
            wanted = f"{low} or {high} arguments"
        self.tokens.fail_at(
            f"{name} expects {wanted}, got {count}",
            index,
            f"write {spec.usage}" if spec.usage else None,
        )

    def _check_order(self, name: str, kind: str, args: list[Expr], index: int, usage: str) -> None:
        """The order of polygamma and Bessel functions, the branch of LambertW: numbers."""
        if kind == "branch":
            if len(args) == 2 and args[1] not in (sympy.S.Zero, sympy.S.NegativeOne):
                self.tokens.fail_at(
                    f"the branch of {name} must be 0 or -1 (the real branches)",
                    index,
                    f"write {usage}",
                )
            return
        order = args[0]
        if order.free_symbols:
            self.tokens.fail_at(
                f"the order of {name} must be a number, not {short(order)}",
                index,
                f"write {usage}; jacobi cannot differentiate with respect to the order",
            )
        if kind == "natural" and not (order.is_Integer and order >= 0):
            self.tokens.fail_at(
                f"the order of {name} must be 0, 1, 2, ..., not {short(order)}",
                index,
                f"write {usage}",
            )
        if kind == "number" and (not order.is_Rational or abs(order) > 1000):
            self.tokens.fail_at(
                f"the order of {name} must be a rational number up to 1000, not {short(order)}",
                index,
                f"write {usage}",
            )

    # ---------------------------------------------------------------- results

    def checked(self, expr: Expr, first: int) -> Expr:
        """Reject results that are not real numbers or undefined (``log(0)``, ``sqrt(-1)``)."""
        if expr.has(sympy.I, sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            problem = "is not real" if expr.has(sympy.I) else "is undefined"
            self.tokens.fail_at(
                f"this expression {problem} (it simplifies to {short(expr)})", first
            )
        return expr
