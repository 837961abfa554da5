"""``expr.diff(v)`` for the common node types, built the way SymPy builds it, without its overhead.

SymPy differentiates through ``Derivative(expr, v, evaluate=True)`` at every node of
the tree: each call sympifies, packs the variable into a ``Tuple``, walks the
node's free symbols, asks whether the result ``is_zero`` (on a sum such as
``-2 + exp(u)/10**6`` that query alone costs milliseconds) and walks the result
once more for unevaluated derivatives. The derivative itself is a handful of
constructor calls. :func:`derivative` makes the same constructor calls on the
same operands, in the same order, so the result is the same tree (``==`` and the
same ``.args``), and skips the rest:

* a node without ``v`` is ``0`` (as ``Derivative`` decides from the free
  symbols), found in one pass over the tree instead of one per node;
* ``Add``: the sum of the terms' derivatives (``Add._eval_derivative``);
* ``Mul``: the Leibniz terms ``Mul(a1, ..., d(ak), ..., an)``
  (``Mul._eval_derivative_n_times``); a term whose factor's derivative is 0 is
  left out when ``Mul.flatten`` would make it 0 (no other factor infinite or
  holding an infinite number), and built as SymPy builds it otherwise;
* ``Pow`` with an exponent free of ``v``: ``self*(0*log(b) + db*e/b)``
  (``Pow._eval_derivative``, with the exponent's derivative 0);
* the elementary functions of :data:`FAST_FUNCTIONS`: ``fdiff(i)*d(arg_i)``
  over the arguments whose derivative is not zero (``Function._eval_derivative``,
  which asks ``is_zero`` of each argument's derivative; so does this);
* everything else (``Abs``, ``sign``, ``Piecewise``, ``Max``, ``Heaviside``,
  special functions, a variable exponent, ``Derivative``, ...) is differentiated
  by SymPy itself, ``node.diff(v)``, and combined as above; a result holding an
  unevaluated ``Derivative`` or ``Subs`` sends the whole expression to
  ``expr.diff(v)``.

What is left out are only ``Derivative``'s own checks, whose answers never change
the tree: ``is_zero`` of each intermediate result (it returns the result either
way) and the canonical ordering of unevaluated derivatives (there are none here).
tests/math/test_diffrules.py checks the identity node for node on random trees.

>>> from sympy import Symbol, cos, exp
>>> u, w = Symbol("u", real=True), Symbol("w", real=True)
>>> e = u**2*w - 4*u + exp(u)/1002001 + cos(u + w)
>>> derivative(e, u)
2*u*w + exp(u)/1002001 - sin(u + w) - 4
>>> derivative(e, u) == e.diff(u) and derivative(e, u).args == e.diff(u).args
True
"""

from __future__ import annotations

import sympy
from sympy.calculus.accumulationbounds import AccumBounds
from sympy.core.function import ArgumentIndexError, Function

__all__ = ["FAST_FUNCTIONS", "derivative"]

_ELEMENTARY: tuple[type[Function], ...] = (
    sympy.exp,
    sympy.log,
    sympy.sin,
    sympy.cos,
    sympy.tan,
    sympy.cot,
    sympy.sec,
    sympy.csc,
    sympy.sinh,
    sympy.cosh,
    sympy.tanh,
    sympy.coth,
    sympy.sech,
    sympy.csch,
    sympy.asin,
    sympy.acos,
    sympy.atan,
    sympy.acot,
    sympy.asec,
    sympy.acsc,
    sympy.asinh,
    sympy.acosh,
    sympy.atanh,
    sympy.acoth,
    sympy.atan2,
    sympy.erf,
    sympy.erfc,
)

#: The function classes differentiated here: those among the elementary ones that
#: use SymPy's generic chain rule (``Function._eval_derivative`` and the default
#: ``_eval_derivative_n_times``); a SymPy that specialises one sends it back to ``diff``.
FAST_FUNCTIONS: frozenset[type[Function]] = frozenset(
    cls
    for cls in _ELEMENTARY
    if cls._eval_derivative is Function._eval_derivative
    and cls._eval_derivative_n_times is sympy.Basic._eval_derivative_n_times
    and cls.diff is sympy.Expr.diff
)

_UNEVALUATED = (sympy.Derivative, sympy.Subs)
_Symbol, _ONE = sympy.Symbol, sympy.S.One


class _Whole(Exception):
    """Raised when the whole expression is better left to ``expr.diff(v)``."""


def derivative(expr: sympy.Expr, v: sympy.Symbol) -> sympy.Expr:
    """``expr.diff(v)``: the same expression, with the same ``.args``, computed faster.

    Parameters
    ----------
    expr
        A commutative SymPy expression (anything else goes to ``expr.diff(v)``).
    v
        The symbol to differentiate by.

    Examples
    --------
    >>> from sympy import Symbol, sin, sqrt
    >>> x, y = Symbol("x", real=True), Symbol("y", real=True)
    >>> derivative(x*sin(x*y) + sqrt(x**2 + y**2), x)
    x*y*cos(x*y) + x/sqrt(x**2 + y**2) + sin(x*y)
    >>> derivative(abs(x)**3, x)  # d|u| = sign(u) du
    x**2*sign(x) + 2*x*Abs(x)
    >>> derivative(abs(x)**3, x) == (abs(x)**3).diff(x)
    True
    """
    if not isinstance(v, sympy.Symbol) or not isinstance(expr, sympy.Expr):
        return expr.diff(v)
    if not expr.is_commutative:
        return expr.diff(v)
    try:
        d = _Rules(v).diff(expr)
    except _Whole:
        return expr.diff(v)
    return sympy.S.Zero if d is None else d


class _Rules:
    """The derivatives by one symbol, memoised per node; ``None`` stands for "no ``v`` in it"."""

    def __init__(self, v: sympy.Symbol) -> None:
        self.v = v
        self.memo: dict[sympy.Basic, sympy.Expr | None] = {}

    def diff(self, e: sympy.Basic) -> sympy.Expr | None:
        if isinstance(e, _Symbol):
            # the name first: Basic.__eq__ is slow, and most symbols met are not v
            v = self.v
            return _ONE if e is v or (e.name == v.name and e == v) else None
        if e.is_Number:
            return None
        try:
            return self.memo[e]
        except KeyError:
            pass
        d = self._diff(e)
        self.memo[e] = d
        return d

    def _diff(self, e: sympy.Basic) -> sympy.Expr | None:
        cls = type(e)
        if cls is sympy.Add:
            return self._add(e)
        if cls is sympy.Mul:
            return self._mul(e)
        if cls is sympy.Pow:
            return self._pow(e)
        if cls in FAST_FUNCTIONS:
            return self._function(e)
        if cls is sympy.Abs:
            return self._abs(e)
        return None if self.v not in e.free_symbols else self._sympy(e)

    def _abs(self, e: sympy.Expr) -> sympy.Expr | None:
        """d|u| = sign(u) du: every value jacobi shows is real, so u is real wherever f is
        defined. SymPy writes the same for an argument it knows is real, and its complex
        form (``re``, ``im``, ``arg``) for one it cannot tell is (``y**y``)."""
        d = self.diff(e.args[0])
        return None if d is None else sympy.sign(e.args[0]) * d

    def _sympy(self, e: sympy.Basic) -> sympy.Expr:
        """SymPy's own derivative of a node of a kind not handled here."""
        d = e.diff(self.v)
        if d.has(*_UNEVALUATED):
            raise _Whole
        return d

    def _add(self, e: sympy.Expr) -> sympy.Expr | None:
        ds = [d for d in map(self.diff, e.args) if d is not None]
        return sympy.Add(*ds) if ds else None

    def _mul(self, e: sympy.Expr) -> sympy.Expr | None:
        args = list(e.args)
        ds = [self.diff(a) for a in args]
        if all(d is None for d in ds):
            return None
        terms = []
        for i, d in enumerate(ds):
            others = args[:i] + args[i + 1 :]
            if d is None:
                if all(_vanishes_next_to_zero(a) for a in others):
                    continue  # Mul(..., 0, ...) is 0
                d = sympy.S.Zero
            # the multinomial coefficient 1 times the product, as SymPy writes it
            terms.append(1 * sympy.Mul(*args[:i], d, *args[i + 1 :]))
        return sympy.Add(*terms)

    def _pow(self, e: sympy.Expr) -> sympy.Expr | None:
        base, exponent = e.args
        db = self.diff(base)
        if self.diff(exponent) is not None:
            return self._sympy(e)
        if db is None:
            return None
        return e * (_zero_times_log(base) + db * exponent / base)

    def _function(self, e: sympy.Expr) -> sympy.Expr | None:
        ds = [self.diff(a) for a in e.args]
        if all(d is None for d in ds):
            return None
        terms = []
        for i, d in enumerate(ds, start=1):
            if d is None or d.is_zero:
                continue
            try:
                df = e.fdiff(i)
            except ArgumentIndexError:
                raise _Whole from None
            if df.has(*_UNEVALUATED):
                raise _Whole
            terms.append(df * d)
        return sympy.Add(*terms)


def _zero_times_log(base: sympy.Expr) -> sympy.Expr:
    """``0*log(base)``, the exponent's term of ``Pow._eval_derivative``: ``0`` unless
    ``log(base)`` is known to be infinite, which for a symbol (``log`` leaves it as it
    is) means known to be zero or infinite itself."""
    if isinstance(base, sympy.Symbol) and base.is_zero is not True and base.is_finite is not False:
        return sympy.S.Zero
    return sympy.S.Zero * sympy.log(base)


_INFINITE_NUMBERS = (sympy.S.Infinity, sympy.S.NegativeInfinity, sympy.S.ComplexInfinity)


def _vanishes_next_to_zero(a: sympy.Basic) -> bool:
    """Whether ``Mul.flatten`` makes ``Mul(0, a, ...)`` zero whatever ``a``'s place:
    ``a`` is a finite number, or not known to be infinite and, for a sum, without an
    infinite term (``0*(x + oo)`` is ``nan``); anything unusual is left to ``Mul``."""
    if a.is_Number:
        return a.is_finite is True
    if a.is_Mul or a.is_Order or isinstance(a, AccumBounds) or a.is_finite is False:
        return False
    if a.is_Add:
        return not any(f in _INFINITE_NUMBERS for t in a.args for f in sympy.Mul.make_args(t))
    return True
