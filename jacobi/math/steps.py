"""Step-by-step derivations of derivatives, as a textbook writes them (issue 12).

A :class:`Derivation` is a list of :class:`Line`\\ s. Each line is a SymPy expression
that may hold unevaluated ``Derivative`` nodes, and the short name of the rule that
made it from the line before; the first line is the derivative itself,
``Derivative(f, x)``, and every line equals it (where ``f`` is differentiable), so a
test can evaluate every line at random points and check that they agree. The last
line is jacobi's own entry (:func:`jacobi.math.derivatives.jacobian`): the rules give
the raw derivative, and ``"simplify"`` is a step of its own.

One line applies one rule to one unevaluated derivative, the first one in the tree
(``Derivative`` nodes are found in ``.args`` order, so the same input gives the same
lines); the trivial rules (``"constant"``, ``"variable"``) are applied to every
derivative they fit at once. A chain rule names its inner function (``u = x*y``, in
:attr:`Line.inner`) and states the outer rule in that name (:attr:`Line.formula`);
kinked functions (``abs``, ``sign``, ``max``, ``relu``, ...) state where the kink is
(:attr:`Line.kink`). The work is bounded by counts: at most ``max_lines`` rule lines,
after which the remaining derivatives are evaluated in one line that says so.

Nothing here is words for a reader: rules are short names, the renderers format them.

>>> from jacobi.lang.parse import parse_expression, symbol
>>> from jacobi.lang.printing import to_text
>>> x = symbol("x")
>>> d = derivative_steps(parse_expression("x^2 sin(x)"), x)
>>> for line in d.lines:
...     print(f"{to_text(line.expr):40} {line.rule}")
diff(x**2*sin(x), x)                     derivative
x**2*diff(sin(x), x) + sin(x)*diff(x**2, x) product rule
x**2*cos(x) + sin(x)*diff(x**2, x)       trig
x**2*cos(x) + 2*x*sin(x)                 power rule
x*(x*cos(x) + 2*sin(x))                  simplify
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import sympy
from sympy.core.function import ArgumentIndexError

from jacobi.lang.parse import symbol
from jacobi.math.derivatives import partial_derivative
from jacobi.math.kinks import clean_derivative
from jacobi.math.simplify import tidy

__all__ = [
    "MAX_LINES",
    "Derivation",
    "Line",
    "at_point",
    "derivative_steps",
    "entry_derivative",
    "pending",
    "unevaluated",
]

MAX_LINES = 60
"""Most rule lines of one derivative's derivation; the rest is evaluated in one line."""

#: The rules applied to every derivative they fit in one line.
_GROUPED = frozenset({"constant", "variable"})

_CATEGORIES: dict[type[sympy.Basic], str] = {}
for _cls in (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot):
    _CATEGORIES[_cls] = "trig"
for _cls in (sympy.asin, sympy.acos, sympy.atan, sympy.asec, sympy.acsc, sympy.acot):
    _CATEGORIES[_cls] = "inverse trig"
for _cls in (sympy.sinh, sympy.cosh, sympy.tanh, sympy.sech, sympy.csch, sympy.coth):
    _CATEGORIES[_cls] = "hyperbolic"
for _cls in (sympy.asinh, sympy.acosh, sympy.atanh, sympy.asech, sympy.acsch, sympy.acoth):
    _CATEGORIES[_cls] = "inverse hyperbolic"
for _cls in (sympy.erf, sympy.erfc, sympy.erfinv, sympy.erfcinv):
    _CATEGORIES[_cls] = "error function"
_CATEGORIES[sympy.exp] = "exp"
_CATEGORIES[sympy.log] = "log"
_CATEGORIES[sympy.Abs] = "abs"
_CATEGORIES[sympy.atan2] = "atan2"
#: Piecewise constant: the derivative is 0 away from the kink.
_STEPS = {sympy.sign: "sign", sympy.Heaviside: "heaviside", sympy.DiracDelta: "DiracDelta"}


@dataclass(frozen=True)
class Line:
    """One line of a derivation: ``expr``, obtained from the line before by ``rule``.

    Attributes
    ----------
    expr
        The whole expression at this step; unevaluated derivatives are ``Derivative``
        nodes (printed ``diff(f, x)`` by :func:`jacobi.lang.printing.to_text`).
    rule
        The short textbook name of the rule: ``"derivative"`` (the first line),
        ``"constant"``, ``"variable"``, ``"sum rule"``, ``"constant multiple"``,
        ``"product rule"``, ``"quotient rule"``, ``"power rule"``, ``"chain rule"``,
        ``"logarithmic differentiation"``, ``"simplify"``, ``"substitute"``, ...
    outer
        For a chain rule: the rule of the outer function (``"trig"``, ``"power rule"``).
    inner
        For a chain rule: the inner function, called :attr:`name`.
    name
        The symbol standing for the inner function in :attr:`formula` (``u``); the
        variable itself when there is no chain.
    formula
        The rule as an equation in :attr:`name`: ``(Derivative(sin(u), u), cos(u))``.
    kink
        For kinked functions: an expression that is 0 exactly at the kink.
    count
        How many derivatives the rule was applied to in this line (or, for
        ``"remaining derivatives"``, were left to evaluate in it).
    children
        Derivations this line relies on (the minors of a determinant, the entries of
        a product).
    along
        For a cofactor expansion: ``("row", i)`` or ``("column", j)``, 0-based.
    """

    expr: sympy.Expr
    rule: str
    outer: str = ""
    inner: sympy.Expr | None = None
    name: sympy.Symbol | None = None
    formula: tuple[sympy.Expr, sympy.Expr] | None = None
    kink: sympy.Expr | None = None
    count: int = 1
    children: tuple[Derivation, ...] = ()
    along: tuple[str, int] | None = None
    #: For a 2x2 determinant: the entries a, b, c, d of ``[[a, b], [c, d]]``, named in words.
    entries: tuple[sympy.Expr, ...] = ()


@dataclass(frozen=True)
class Derivation:
    """The lines of one derivation; every line equals the first.

    Attributes
    ----------
    lines
        The lines, the first one the quantity derived (``Derivative(f, x)``).
    point
        When the last line is the value at a point (:func:`at_point`): the point, as
        ``(symbol, value)`` pairs; the lines before it hold everywhere.
    """

    lines: tuple[Line, ...]
    point: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = field(default=())

    @property
    def first(self) -> sympy.Expr:
        """The quantity derived."""
        return self.lines[0].expr

    @property
    def last(self) -> sympy.Expr:
        """The result."""
        return self.lines[-1].expr


def unevaluated(f: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """``Derivative(f, x)``, not evaluated."""
    return sympy.Derivative(f, x, evaluate=False)


def pending(expr: sympy.Basic) -> list[sympy.Derivative]:
    """The distinct unevaluated derivatives of ``expr``, in ``.args`` order (preorder)."""
    found: dict[sympy.Basic, None] = {}

    def walk(e: sympy.Basic) -> None:
        if isinstance(e, sympy.Derivative):
            found.setdefault(e, None)
            return
        for a in e.args:
            walk(a)

    walk(expr)
    return list(found)


def entry_derivative(f: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """jacobi's entry ∂f/∂x, as :func:`jacobi.math.derivatives.jacobian` makes it
    (differentiated, kinks cleaned, tidied)."""
    d = clean_derivative(partial_derivative(f, x))
    return d if d.is_Atom else tidy(d)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Step:
    """What a rule makes of one derivative."""

    expr: sympy.Expr
    rule: str
    outer: str = ""
    inner: sympy.Expr | None = None
    formula: tuple[sympy.Expr, sympy.Expr] | None = None
    kink: sympy.Expr | None = None


def _negative_power(a: sympy.Expr) -> bool:
    return bool(a.is_Pow and a.exp.as_coeff_Mul()[0].is_negative)


def _sigmoid_inner(f: sympy.Expr) -> sympy.Expr | None:
    """``u`` when ``f`` is ``1/(1 + exp(-u))`` (jacobi's ``sigmoid(u)``), else None."""
    if not (f.is_Pow and f.exp == -1 and f.base.is_Add and len(f.base.args) == 2):
        return None
    one, other = f.base.args
    if one == 1 and isinstance(other, sympy.exp):
        return -other.args[0]
    return None


def _softplus_inner(f: sympy.Expr) -> sympy.Expr | None:
    """``u`` when ``f`` is ``log(1 + exp(u))`` (jacobi's ``softplus(u)``), else None."""
    if not (isinstance(f, sympy.log) and f.args[0].is_Add and len(f.args[0].args) == 2):
        return None
    one, other = f.args[0].args
    if one == 1 and isinstance(other, sympy.exp):
        return other.args[0]
    return None


def _sigmoid(u: sympy.Expr) -> sympy.Expr:
    return sympy.Pow(1 + sympy.exp(-u), -1)


class _Rules:
    """The rules for derivatives by ``x``; ``u`` names inner functions."""

    def __init__(self, x: sympy.Symbol, u: sympy.Symbol) -> None:
        self.x = x
        self.u = u

    def has_x(self, e: sympy.Basic) -> bool:
        return self.x in e.free_symbols

    def d(self, e: sympy.Expr) -> sympy.Expr:
        return unevaluated(e, self.x)

    def step(self, d: sympy.Derivative) -> _Step:
        """The rule for ``d = Derivative(f, x)`` and what it makes of it."""
        f = d.expr
        x = self.x
        if not self.has_x(f):
            return _Step(sympy.S.Zero, "variable" if f.is_Symbol else "constant")
        if f == x:
            return _Step(sympy.S.One, "variable")
        if f.is_Add:
            return _Step(sympy.Add(*[self.d(t) for t in f.args]), "sum rule")
        if f.is_Mul:
            return self.product(f)
        if f.is_Pow:
            return self.power(f)
        if isinstance(f, (sympy.Max, sympy.Min)):
            return self.extremum(f)
        cls = type(f)
        if cls in _STEPS:
            u = f.args[0]
            rest = f.args[1:]
            return self.chained(u, lambda w: (cls(w, *rest), sympy.S.Zero), _STEPS[cls], kink=u)
        if cls is sympy.log:
            inner = _softplus_inner(f)
            if inner is not None:
                return self.chained(
                    inner, lambda w: (sympy.log(1 + sympy.exp(w)), _sigmoid(w)), "softplus"
                )
        if cls is sympy.Abs:
            u = f.args[0]
            return self.chained(u, lambda w: (sympy.Abs(w), sympy.sign(w)), "abs", kink=u)
        if isinstance(f, sympy.Function) and not isinstance(f, sympy.Derivative):
            return self.function(f)
        return self.fallback(f)

    # ---------------------------------------------------------------- products

    def product(self, f: sympy.Expr) -> _Step:
        const = [a for a in f.args if not self.has_x(a)]
        var = [a for a in f.args if self.has_x(a)]
        base = self.log_base(const, var)
        if base is not None and len(const) == 1:
            inner = var[0].args[0]
            return self.chained(
                inner,
                lambda w: (sympy.log(w) / sympy.log(base), 1 / (w * sympy.log(base))),
                "log (any base)",
            )
        if base is not None:  # c*log(u, b): keep log(u)/log(b) together
            var = [*var, 1 / sympy.log(base)]
            const = [c for c in const if c != var[-1]]
        if const:
            return _Step(sympy.Mul(*const) * self.d(sympy.Mul(*var)), "constant multiple")
        num = [a for a in var if not _negative_power(a)]
        den = [sympy.Pow(a.base, -a.exp) for a in var if _negative_power(a)]
        if num and den:
            top, bottom = sympy.Mul(*num), sympy.Mul(*den)
            quotient = (bottom * self.d(top) - top * self.d(bottom)) / bottom**2
            return _Step(quotient, "quotient rule")
        terms = [sympy.Mul(*var[:i], self.d(v), *var[i + 1 :]) for i, v in enumerate(var)]
        rule = "product rule" if len(var) == 2 else f"product rule ({len(var)} factors)"
        return _Step(sympy.Add(*terms), rule)

    def log_base(self, const: Sequence[sympy.Expr], var: Sequence[sympy.Expr]) -> sympy.Expr | None:
        """``b`` when ``const``/``var`` are the factors of ``log(u)/log(b)`` (``log(u, b)``)."""
        if len(var) != 1 or not isinstance(var[0], sympy.log):
            return None
        for c in const:
            if c.is_Pow and c.exp == -1 and isinstance(c.base, sympy.log):
                return c.base.args[0]
        return None

    # ---------------------------------------------------------------- powers

    def power(self, f: sympy.Expr) -> _Step:
        b, e = f.args
        sig = _sigmoid_inner(f)
        if sig is not None and self.has_x(sig):
            return self.chained(
                sig, lambda w: (_sigmoid(w), _sigmoid(w) * (1 - _sigmoid(w))), "sigmoid"
            )
        if not self.has_x(e):
            if e == sympy.S.Half:
                return self.chained(
                    b, lambda w: (sympy.sqrt(w), 1 / (2 * sympy.sqrt(w))), "square root"
                )
            return self.chained(b, lambda w: (w**e, e * w ** (e - 1)), "power rule")
        if not self.has_x(b):
            return self.chained(e, lambda w: (b**w, b**w * sympy.log(b)), "exponential")
        return _Step(f * self.d(e * sympy.log(b)), "logarithmic differentiation")

    # ---------------------------------------------------------------- functions

    def chained(
        self,
        inner: sympy.Expr,
        make: Callable[[sympy.Expr], tuple[sympy.Expr, sympy.Expr]],
        rule: str,
        *,
        kink: sympy.Expr | None = None,
    ) -> _Step:
        """``F(inner)``: ``F'(inner)*Derivative(inner, x)``, a chain rule unless ``inner`` is x.

        ``make(w)`` is ``(F(w), F'(w))``; the formula is stated in the name ``u`` (or in
        ``x`` itself when there is no chain).
        """
        x = self.x
        outer_derivative = make(inner)[1]
        name = x if inner == x else self.u
        lhs, rhs = make(name)
        formula = (unevaluated(lhs, name), rhs)
        if inner == x:
            return _Step(outer_derivative, rule, formula=formula, kink=kink)
        return _Step(
            outer_derivative * self.d(inner),
            "chain rule",
            outer=rule,
            inner=inner,
            formula=formula,
            kink=kink,
        )

    def function(self, f: sympy.Function) -> _Step:
        """A function of one or more arguments: its partial derivatives times the
        arguments' derivatives (a chain rule when one argument holds x)."""
        rule = _CATEGORIES.get(type(f), "special function")
        args = f.args
        varying = [i for i, a in enumerate(args) if self.has_x(a)]

        def make(i: int) -> Callable[[sympy.Expr], tuple[sympy.Expr, sympy.Expr]]:
            def at(w: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
                if w == args[i]:
                    return f, f.fdiff(i + 1)
                # in the name u, F(u) may evaluate to another function: atan2(u, 10) is
                # atan(u/10), whose fdiff is by u/10
                g = f.func(*args[:i], w, *args[i + 1 :])
                return g, clean_derivative(partial_derivative(g, w))

            return at

        partials = []
        for i in varying:
            try:
                p = make(i)(args[i])[1]
            except (ArgumentIndexError, NotImplementedError, TypeError, ValueError):
                return self.fallback(f)
            if p.has(sympy.Derivative, sympy.Subs):
                return self.fallback(f)
            partials.append(p)
        if len(varying) == 1:
            (i,) = varying
            return self.chained(args[i], make(i), rule)
        total = sympy.Add(*[p * self.d(args[i]) for p, i in zip(partials, varying, strict=True)])
        return _Step(total, rule)

    def extremum(self, f: sympy.Expr) -> _Step:
        """``max``/``min``/``relu``: piecewise, each argument where it is the extremum."""
        name = "max" if isinstance(f, sympy.Max) else "min"
        args = f.args
        if name == "max" and len(args) == 2 and args[0] == 0:
            u = args[1]
            return self.chained(u, lambda w: (sympy.Max(0, w), sympy.Heaviside(w)), "relu", kink=u)
        kink = args[0] - args[1] if len(args) == 2 else None
        varying = [i for i, a in enumerate(args) if self.has_x(a)]
        if len(varying) == 1:
            (i,) = varying

            def at(w: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
                if w == args[i]:
                    return f, f.fdiff(i + 1)
                g = f.func(*args[:i], w, *args[i + 1 :])  # max and min sort their arguments
                return g, clean_derivative(partial_derivative(g, w))

            return self.chained(args[i], at, name, kink=kink)
        partials = [f.fdiff(i + 1) for i in varying]
        total = sympy.Add(*[p * self.d(args[i]) for p, i in zip(partials, varying, strict=True)])
        return _Step(total, name, kink=kink)

    def fallback(self, f: sympy.Expr) -> _Step:
        """SymPy's own derivative, for a node no rule here knows."""
        return _Step(clean_derivative(partial_derivative(f, self.x)), "derivative (SymPy)")


# --------------------------------------------------------------------------- derivations


def _free_name(symbols: set[sympy.Basic]) -> sympy.Symbol:
    """``u``, or the first of ``v``, ``w``, ``u1``, ``u2``, ... that ``symbols`` lacks."""
    names = {s.name for s in symbols if isinstance(s, sympy.Symbol)}
    for candidate in _candidates():
        if candidate not in names:
            return symbol(candidate)
    raise AssertionError("unreachable")  # pragma: no cover


def _candidates() -> Iterator[str]:
    yield from ("u", "v", "w")
    k = 1
    while True:
        yield f"u{k}"
        k += 1


def derivative_steps(
    f: sympy.Expr,
    x: sympy.Symbol,
    *,
    result: sympy.Expr | None = None,
    max_lines: int = MAX_LINES,
) -> Derivation:
    """The derivation of ∂f/∂x, rule by rule, ending with jacobi's entry.

    Parameters
    ----------
    f
        The expression (as jacobi's parser builds it).
    x
        The variable.
    result
        jacobi's entry ∂f/∂x, when the caller has it (:func:`entry_derivative` otherwise).
    max_lines
        Most rule lines; the derivatives still unevaluated then are evaluated in one
        line, ``"remaining derivatives"``, whose :attr:`Line.count` says how many.

    Examples
    --------
    >>> from jacobi.lang.parse import parse_expression, symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> d = derivative_steps(parse_expression("sin(x y)"), x)
    >>> [line.rule for line in d.lines], d.lines[1].inner, d.last
    (['derivative', 'chain rule', 'constant multiple', 'variable'], x*y, y*cos(x*y))
    """
    entry = entry_derivative(f, x) if result is None else result
    rules = _Rules(x, _free_name(f.free_symbols | {x}))
    current = unevaluated(f, x)
    lines = [Line(current, "derivative")]
    while True:
        todo = pending(current)
        if not todo:
            break
        if len(lines) > max_lines:
            done = {d: clean_derivative(partial_derivative(d.expr, x)) for d in todo}
            current = current.xreplace(done)
            lines.append(Line(current, "remaining derivatives", count=len(todo)))
            break
        step = rules.step(todo[0])
        mapping = {todo[0]: step.expr}
        if step.rule in _GROUPED:
            for other in todo[1:]:
                s = rules.step(other)
                if s.rule == step.rule:
                    mapping[other] = s.expr
        current = current.xreplace(mapping)
        lines.append(
            Line(
                current,
                step.rule,
                outer=step.outer,
                inner=step.inner,
                name=None if step.formula is None else rules.u if step.inner is not None else x,
                formula=step.formula,
                kink=step.kink,
                count=len(mapping),
            )
        )
    if current != entry:
        lines.append(Line(entry, "simplify"))
    return Derivation(tuple(lines))


def at_point(
    derivation: Derivation, point: Sequence[tuple[sympy.Symbol, sympy.Expr]], value: sympy.Expr
) -> Derivation:
    """``derivation`` with the substitution at ``point`` as its last line, giving ``value``
    (jacobi's value of the entry there, :func:`jacobi.math.evaluate.value_at`)."""
    line = Line(value, "substitute")
    return Derivation((*derivation.lines, line), tuple(point))
