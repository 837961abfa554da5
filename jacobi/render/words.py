"""Words for typed mathematical results: the one place their English lives.

The mathematics (:mod:`jacobi.math`) returns values: :class:`~jacobi.math.singular.Roots`,
:class:`~jacobi.math.determinant.Orientation` and the like. This module turns them
into the sentences the formats print and the strings the JSON holds. It reads
:mod:`jacobi.math`, :mod:`jacobi.lang` and :mod:`jacobi.model` only, never the
commands.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy

from jacobi.lang.printing import to_text
from jacobi.math.determinant import Orientation
from jacobi.math.magnitude import to_float
from jacobi.math.singular import AllZero, Equation, Periodic, Roots, SingularSet, Solution
from jacobi.model import ChainCheck, Multiplications, SingularFact, VolumeScale

__all__ = [
    "number_words",
    "orientation_name",
    "orientation_words",
    "singular_data",
    "singular_words",
    "solution_text",
    "solution_texts",
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
