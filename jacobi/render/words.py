"""Words for typed mathematical results: the one place their English lives.

The mathematics (:mod:`jacobi.math`) returns values: :class:`~jacobi.math.singular.Roots`,
:class:`~jacobi.math.determinant.Orientation` and the like. This module turns them
into the sentences the formats print and the strings the JSON holds. It reads
:mod:`jacobi.math`, :mod:`jacobi.lang` and :mod:`jacobi.model` only, never the
commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import sympy

from jacobi.lang.printing import to_text
from jacobi.math.determinant import Orientation
from jacobi.math.magnitude import to_float
from jacobi.math.singular import AllZero, Equation, Periodic, Roots, SingularSet, Solution
from jacobi.math.steps import MAX_LINES, Line
from jacobi.model import ChainCheck, Multiplications, SingularFact, Steps, VolumeScale

__all__ = [
    "number_words",
    "orientation_name",
    "orientation_words",
    "singular_data",
    "singular_words",
    "solution_text",
    "solution_texts",
    "step_parts",
    "step_text",
    "steps_note",
    "volume_words",
]


def solution_text(item: Solution) -> str:
    """One solution of det J = 0 (or condition, or place where det J is undefined) as text.

    >>> x, y, t = (sympy.Symbol(n, real=True) for n in "x y t".split())
    >>> solution_text(Roots(x, (0, 1)))
    'x = 0 or x = 1'
    >>> solution_text(Periodic(t, ((sympy.pi, sympy.pi / 2),)))
    't = pi*n + pi/2 (n any integer)'
    >>> solution_text(AllZero((x, y)))
    'x = 0 and y = 0'
    >>> solution_text(Equation(x + sympy.sin(x)))
    'x + sin(x) = 0'
    """
    if isinstance(item, Roots):
        return " or ".join(f"{item.variable.name} = {to_text(v)}" for v in item.values)
    if isinstance(item, Periodic):
        name = item.variable.name
        texts = [f"{name} = {to_text(v)}" for v in item.values]
        texts += [f"{name} = {to_text(e)}" for e in item.families()]
        return " or ".join(texts) + f" ({item.integer} any integer)"
    if isinstance(item, AllZero):
        return " and ".join(f"{v.name} = 0" for v in item.variables)
    if isinstance(item, Equation):
        return f"{to_text(item.expr)} = 0"
    raise TypeError(f"not a solution: {item!r}")


def solution_texts(items: Iterable[Solution]) -> list[str]:
    """:func:`solution_text` of each item, in order."""
    return [solution_text(item) for item in items]


def singular_data(found: SingularSet) -> dict[str, object]:
    """The JSON object of a singular set: equation, solutions, conditions, complete, undefined.

    >>> r = sympy.Symbol("r", real=True)
    >>> from jacobi.math.singular import singular_set
    >>> data = singular_data(singular_set(r, [r]))
    >>> data["equation"], data["solutions"], data["conditions"], data["complete"]
    ('r = 0', ['r = 0'], [], True)
    """
    return {
        "equation": f"{to_text(found.equation)} = 0",
        "solutions": solution_texts(found.solutions),
        "conditions": solution_texts(found.conditions),
        "complete": found.complete,
        "undefined": solution_texts(found.undefined),
    }


def singular_words(found: SingularSet, name: str, variables: str) -> str:
    """The sentence on where ``name`` (``det J``, ``det(JᵀJ)``) is 0.

    ``variables`` is how the function's variables are listed (``"x, y"``).

    >>> from jacobi.math.singular import singular_set
    >>> r, t = sympy.Symbol("r", real=True), sympy.Symbol("t", real=True)
    >>> singular_words(singular_set(r, [r, t]), "det J", "r, t")
    'det J = 0 where r = 0'
    >>> singular_words(singular_set(1 / r**2, [r, t]), "det J", "r, t")
    'nowhere: det J = r**(-2) is never 0; det J is undefined where r = 0'
    """
    if found.everywhere:
        return f"{name} = 0 everywhere: f is nowhere locally invertible"
    undefined = ""
    if found.undefined:
        undefined = f"; {name} is undefined where {'; '.join(solution_texts(found.undefined))}"
    if found.nowhere:
        return f"nowhere: {name} = {to_text(found.equation)} is never 0{undefined}"
    conditions = solution_texts(found.conditions)
    if not found.solutions:
        # det J depends on the parameters only: singular everywhere or nowhere.
        when = " or ".join(conditions)
        return (
            f"{name} = {to_text(found.equation)} does not depend on {variables}: "
            f"{name} = 0 everywhere when {when}, and nowhere otherwise{undefined}"
        )
    parts = solution_texts(found.solutions)
    parts += [f"{c} (a condition on the parameters)" for c in conditions]
    text = "; ".join(parts)
    if not found.complete:
        text += " (unsolved parts are shown as equations)"
    return f"{name} = 0 where {text}{undefined}"


_ORIENTATION_WORDS = {
    Orientation.PRESERVED: "preserved (det J > 0)",
    Orientation.REVERSED: "reversed (det J < 0): the map flips orientation",
    Orientation.COLLAPSED: (
        "collapsed (det J = 0): f squashes a neighbourhood flat, no local inverse"
    ),
    Orientation.UNKNOWN: "depends on the parameters (the sign of det J is not determined)",
}


def orientation_words(orientation: Orientation) -> str:
    """The orientation fact, explained.

    >>> orientation_words(Orientation.REVERSED)
    'reversed (det J < 0): the map flips orientation'
    """
    return _ORIENTATION_WORDS[orientation]


def orientation_name(orientation: Orientation) -> str | None:
    """The orientation as the JSON shows it: its word, or ``None`` when it is not determined.

    >>> orientation_name(Orientation.PRESERVED), orientation_name(Orientation.UNKNOWN)
    ('preserved', None)
    """
    return orientation.known


def volume_words(n: int) -> str:
    """What a Jacobian determinant scales, in words: lengths, areas, volumes, ...

    >>> volume_words(2), volume_words(4)
    ('areas', '4-dimensional volumes')
    """
    return {1: "lengths", 2: "areas", 3: "volumes"}.get(n, f"{n}-dimensional volumes")


def number_words(value: sympy.Expr) -> str:
    """An exact number as text, with its decimal value when it is not an integer.

    >>> number_words(sympy.Integer(3)), number_words(sympy.sqrt(2))
    ('3', 'sqrt(2) (about 1.41421)')
    """
    text = to_text(value)
    num = to_float(value)
    if not value.is_Integer and num is not None:
        text += f" (about {num:.6g})"
    return text


def volume_scale_words(fact: VolumeScale) -> str:
    """``|det J| = 3: areas near (x, y) = (-1, 2) are multiplied by 3``."""
    head = f"{fact.name} = {number_words(fact.scale)}"
    if fact.near is None:
        return f"{head} everywhere: f is affine-like"
    scaled = volume_words(fact.dimension)
    return f"{head}: {scaled} near {fact.near} are multiplied by {to_text(fact.scale)}"


def chain_check_words(fact: ChainCheck) -> str:
    """Whether the chain rule's product equals the Jacobian of the composition, in words.

    >>> chain_check_words(ChainCheck("symbolically", "g∘h"))
    'verified: the product equals the Jacobian of g∘h computed directly (symbolically)'
    """
    what = f"the Jacobian of {fact.composed}"
    if fact.verified_by in ("symbolically", "numerically"):
        how = "symbolically" if fact.verified_by == "symbolically" else "at 3 random points"
        return f"verified: the product equals {what} computed directly ({how})"
    if fact.verified_by == "mismatch":
        return f"MISMATCH: the product differs from {what} (please report)"
    return f"not verified: could not compare with {what} within its bounds"


def say(fact: object) -> str:
    """The words for one fact of a report: text as it is, typed results described.

    >>> import sympy
    >>> say(VolumeScale("|det J|", sympy.Integer(3), 2, "(x, y) = (-1, 2)"))
    '|det J| = 3: areas near (x, y) = (-1, 2) are multiplied by 3'
    >>> say(Orientation.REVERSED), say("any text")
    ('reversed (det J < 0): the map flips orientation', 'any text')
    """
    if isinstance(fact, str):
        return fact
    if isinstance(fact, VolumeScale):
        return volume_scale_words(fact)
    if isinstance(fact, Orientation):
        return orientation_words(fact)
    if isinstance(fact, SingularFact):
        return singular_words(fact.found, fact.name, fact.variables)
    if isinstance(fact, ChainCheck):
        return chain_check_words(fact)
    if isinstance(fact, Multiplications):
        cost = f"{fact.count} scalar multiplications"
        return f"{fact.order}: {cost}" if fact.order else cost
    raise TypeError(f"no words for {type(fact).__name__}")


def json_value(value: object) -> object:
    """A typed result inside a report's data, as JSON (a singular set as its texts)."""
    if isinstance(value, SingularSet):
        return singular_data(value)
    return value


# --------------------------------------------------------------------------- steps

#: A piece of the words for a step: text, or mathematics (``a = b = ...``, one or more
#: expressions joined by ``=``) that each format prints its own way.
Part = str | tuple[sympy.Basic, ...]

#: The rules' short names (:mod:`jacobi.math.steps`) as a textbook says them.
_RULE_WORDS = {
    "constant": "constant rule",
    "variable": "variable rule",
    "constant multiple": "constant multiple rule",
    "trig": "trigonometric function",
    "inverse trig": "inverse trigonometric function",
    "hyperbolic": "hyperbolic function",
    "inverse hyperbolic": "inverse hyperbolic function",
    "exp": "exponential function",
    "exponential": "exponential with a constant base",
    "log": "logarithm",
    "log (any base)": "logarithm to a base",
    "abs": "absolute value",
    "sign": "sign (piecewise constant)",
    "heaviside": "Heaviside step (piecewise constant)",
    "DiracDelta": "Dirac delta",
    "relu": "relu (piecewise)",
    "max": "max (piecewise)",
    "min": "min (piecewise)",
    "derivative (SymPy)": "SymPy's derivative (no textbook rule for this function)",
}


#: The rules of determinants and of the chain rule's entries (:mod:`jacobi.math.steps_matrix`).
_MATRIX_RULES = frozenset(
    {
        "1x1 determinant",
        "2x2 determinant",
        "cofactor expansion",
        "minors",
        "expand",
        "empty product",
        "fraction-free elimination",
        "Berkowitz",
        "chain rule sum",
    }
)


def _matrix_words(line: Line) -> str:
    rule = line.rule
    if rule == "1x1 determinant":
        return "1x1 determinant: the entry itself"
    if rule == "2x2 determinant":
        named = ", ".join(f"{k} = {to_text(e)}" for k, e in zip("abcd", line.entries, strict=False))
        return "2x2 determinant: a*d - b*c" + (f" with {named}" if named else "")
    if rule == "cofactor expansion":
        along = line.along
        where = f" along {along[0]} {along[1] + 1} (the most zeros)" if along else ""
        n = line.count
        return (
            f"cofactor expansion{where}: {n} minor{'s' if n != 1 else ''}, each derived on its own"
        )
    if rule == "minors":
        return "the minors' values"
    if rule == "empty product":
        return "the determinant of a 0x0 matrix is 1"
    if rule in ("fraction-free elimination", "Berkowitz"):
        return f"by {rule} (too many products to write out)"
    if rule == "chain rule sum":
        n = line.count
        return (
            f"chain rule: the sum over k of dg/du_k (at u = h) times dh_k/dx, "
            f"{n} term{'s' if n != 1 else ''}; each factor derived on its own"
        )
    return rule


def rule_words(rule: str) -> str:
    """A rule's short name as words: ``constant multiple`` is the constant multiple rule.

    >>> rule_words("constant multiple"), rule_words("product rule")
    ('constant multiple rule', 'product rule')
    """
    return _RULE_WORDS.get(rule, rule)


def step_parts(
    line: Line, point: Sequence[tuple[sympy.Symbol, sympy.Expr]] = ()
) -> tuple[Part, ...]:
    """The words for the rule of one line of a derivation (:class:`jacobi.math.steps.Line`),
    as text and mathematics; empty for the first line (the quantity derived). ``point`` is
    the derivation's point, for the substitution.

    >>> from jacobi.lang.parse import parse_expression, symbol
    >>> from jacobi.math.steps import derivative_steps
    >>> d = derivative_steps(parse_expression("sin(x y)"), symbol("x"))
    >>> step_text(d.lines[1])
    'chain rule with u = x*y: d/du sin(u) = cos(u)'
    >>> step_text(derivative_steps(parse_expression("abs(x)"), symbol("x")).lines[1])
    'absolute value: d/dx Abs(x) = sign(x); kink at x = 0'
    """
    rule = line.rule
    parts: list[Part] = []
    if rule == "derivative":
        return ()
    if rule == "first derivative" and line.children:
        first = line.children[0]
        return ("first derivative (derived on its own): ", (first.first, first.last))
    if rule == "substitute":
        parts.append("at ")
        for k, (sym, value) in enumerate(point):
            if k:
                parts.append(", ")
            parts.append((sym, value))
        return tuple(parts) if point else ("at the point",)
    if rule in _MATRIX_RULES:
        return (_matrix_words(line),)
    if rule == "remaining derivatives":
        return (
            f"the remaining {line.count} derivative{'s' if line.count != 1 else ''} at once "
            f"(a derivation shows at most {MAX_LINES} rules)",
        )
    if rule == "chain rule" and line.inner is None and line.children:
        return (_matrix_words(replace(line, rule="chain rule sum")),)
    if line.inner is not None and line.name is not None:
        parts += ["chain rule with ", (line.name, line.inner)]
    else:
        parts.append(rule_words(rule))
        if line.count > 1:
            parts.append(f", {line.count} times")
    if line.formula is not None:
        parts += [": ", line.formula]
    if line.kink is not None:
        parts += ["; kink at ", (line.kink, sympy.S.Zero)]
    return tuple(parts)


def derivative_text(expr: sympy.Basic, show: Callable[[sympy.Basic], str] = to_text) -> str:
    """``d/du sin(u)`` for a derivative by one name (else :func:`show`).

    >>> u = sympy.Symbol("u")
    >>> derivative_text(sympy.Derivative(sympy.sin(u), u)), derivative_text(u**2)
    ('d/du sin(u)', 'u**2')
    >>> derivative_text(sympy.Derivative(u**2, u, evaluate=False))
    'd/du (u**2)'
    """
    if isinstance(expr, sympy.Derivative) and len(expr.variables) == 1:
        inner = expr.expr
        body = show(inner)
        if not (inner.is_Atom or _is_call(body)):
            body = f"({body})"
        return f"d/d{show(expr.variables[0])} {body}"
    return show(expr)


def _is_call(text: str) -> bool:
    """Whether ``text`` is one call, ``name(...)`` (so ``d/du`` needs no brackets)."""
    head, bracket, _ = text.partition("(")
    if not (bracket and head.isidentifier() and text.endswith(")")):
        return False
    depth = 0
    for k, c in enumerate(text[len(head) :]):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            return k == len(text) - len(head) - 1
    return False


def parts_text(parts: Iterable[Part], show: Callable[[sympy.Basic], str] = to_text) -> str:
    """The parts as one line of text, mathematics printed by ``show``."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            out.append(" = ".join(derivative_text(e, show) for e in part))
    return "".join(out)


def step_text(
    line: Line,
    point: Sequence[tuple[sympy.Symbol, sympy.Expr]] = (),
    show: Callable[[sympy.Basic], str] = to_text,
) -> str:
    """:func:`step_parts` as one line of text."""
    return parts_text(step_parts(line, point), show)


def steps_note(steps: Steps) -> str | None:
    """What ``--steps`` left out, and how to see it; None when it showed everything.

    >>> steps_note(Steps((), more=3, constant=2, entry="I,J", example="4,1"))
    '3 more entries have steps, and 2 constant entries were left out: see one with --entry I,J \
(e.g. --entry 4,1)'
    """
    if not steps.more and not steps.constant:
        return None
    said = []
    if steps.more:
        said.append(f"{steps.more} more entr{'y has' if steps.more == 1 else 'ies have'} steps")
    if steps.constant:
        were = "entry was" if steps.constant == 1 else "entries were"
        said.append(f"{steps.constant} constant {were} left out")
    if not steps.entries and not steps.more:
        said = [f"every non-zero entry is a constant ({steps.constant})"]
    example = f" (e.g. --entry {steps.example})" if steps.example else ""
    return f"{', and '.join(said)}: see one with --entry {steps.entry}{example}"
