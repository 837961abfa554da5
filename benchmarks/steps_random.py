"""Property run of the derivative derivations (issue 12) over random expressions.

Each case is a random expression built directly as a SymPy tree (never text) from a
grammar of jacobi's language: its operators, and every function of
:data:`jacobi.lang.lexicon.FUNCTIONS` built by the lexicon's own builders (so
``sigmoid``, ``relu``, Bessel functions, ... are the trees jacobi's parser makes).
For each variable of the expression, :func:`jacobi.math.steps.derivative_steps` must
give a derivation whose

1. lines all agree with the first at random rational points where every piece of the
   expression is real (unevaluated derivatives replaced by SymPy's own ``diff``,
   evaluated with mpmath at 30 digits; the lines may not be undefined there);
2. last line is jacobi's entry, ``jacobian(f)[0, j]``;
3. length is bounded by its line count: at most ``MAX_LINES + 3`` lines (the first,
   the rule lines, ``"remaining derivatives"`` and ``"simplify"``);
4. lines read back: ``to_text`` parsed by jacobi's parser is the line (or equal in
   value); a failure of jacobi's entry itself is counted apart (``entry read back``).

Points where a root in the expression has the argument 0 (``sqrt(u)`` with u = 0, where
the chain rule's sqrt'(u) does not exist even if f is differentiable) are skipped and
counted, as are derivatives whose jacobi entry is not a number (``1/DiracDelta(x)**2``).

Expressions over :data:`MAX_OPS` operations (SymPy's ``count_ops``) are drawn again:
sizes are bounded by counts, never by seconds, so the run is the same on any machine.

Run: python benchmarks/steps_random.py [--cases 5000] [--seed 1] [--case K]
Prints the counts: expressions, derivations, lines, values compared, failures, and
the longest derivation (by line count).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mpmath
import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent))

import differential  # noqa: E402  (the mpmath evaluator)
from differential import Unsupported, evaluate  # noqa: E402

from jacobi.errors import JacobiError  # noqa: E402
from jacobi.lang import lexicon  # noqa: E402
from jacobi.lang.parse import parse_expression, symbol  # noqa: E402
from jacobi.lang.printing import to_text  # noqa: E402
from jacobi.math.derivatives import jacobian  # noqa: E402
from jacobi.math.steps import MAX_LINES, Derivation, derivative_steps, pending  # noqa: E402
from jacobi.model import VectorFunction  # noqa: E402

#: Expressions with more operations than this are drawn again.
MAX_OPS = 60
#: Draws per case before the case takes a leaf.
MAX_DRAWS = 20

VARIABLES = (symbol("x"), symbol("y"), symbol("z"))
PARAMETER = symbol("a")

# The special functions of one argument, evaluated by mpmath too: SymPy's evalf of
# Si((x*y)**x) at a point with x*y < 0 does not finish.
differential._MP1.update(
    {
        sympy.Si: mpmath.si, sympy.Ci: mpmath.ci, sympy.Ei: mpmath.ei, sympy.li: mpmath.li,
        sympy.gamma: mpmath.gamma, sympy.loggamma: mpmath.loggamma,
        sympy.digamma: mpmath.digamma, sympy.erfinv: mpmath.erfinv,
        sympy.erfcinv: lambda v: mpmath.erfinv(1 - v), sympy.LambertW: mpmath.lambertw,
    }
)  # fmt: skip

#: Function name -> weight; the smooth core is drawn most often.
WEIGHTS: dict[str, int] = {
    **dict.fromkeys(("sin", "cos", "exp", "log", "sqrt"), 6),
    **dict.fromkeys(("tan", "atan", "abs", "sinh", "cosh", "tanh", "asin", "acos"), 3),
    **dict.fromkeys(("sigmoid", "softplus", "relu", "max", "min", "atan2", "erf"), 2),
}
_NAMES = sorted(n for n in lexicon.FUNCTIONS if n == lexicon.canonical(n) and n != "diff")
_WEIGHTS = [WEIGHTS.get(n, 1) for n in _NAMES]
_EXPONENTS = (2, 2, 3, 3, 4, -1, -2, -3, sympy.Rational(1, 2), sympy.Rational(3, 2),
              sympy.Rational(1, 3), sympy.Rational(-1, 2), sympy.Rational(2, 3))  # fmt: skip
_NUMBERS = (*(sympy.Integer(k) for k in range(1, 10)), sympy.Rational(1, 2),
            sympy.Rational(5, 4), sympy.pi, sympy.E)  # fmt: skip


def leaf(rng: random.Random, names: Sequence[sympy.Symbol]) -> sympy.Expr:
    r = rng.random()
    if r < 0.62:
        return rng.choice(names)
    if r < 0.68:
        return PARAMETER
    return rng.choice(_NUMBERS)


def call(rng: random.Random, name: str, args: Callable[[], sympy.Expr]) -> sympy.Expr:
    """A call of ``name`` on random arguments, built by the lexicon's builder."""
    spec = lexicon.FUNCTIONS[name]
    if spec.order == "natural":
        values = [sympy.Integer(rng.choice((0, 1, 2))), args()]
    elif spec.order == "number":
        values = [rng.choice((sympy.S.Zero, sympy.S.One, sympy.S.Half, sympy.Integer(2))), args()]
    elif spec.order == "branch" or name in ("heaviside", "DiracDelta"):
        values = [args()]  # the principal branch; H(0) = 1/2; the delta itself
    else:
        high = spec.high if spec.high is not None else 3
        values = [args() for _ in range(rng.randint(spec.low, min(high, spec.low + 1)))]
    return spec.build(values)


def tree(rng: random.Random, names: Sequence[sympy.Symbol], depth: int) -> sympy.Expr:
    """A random expression of at most ``depth`` levels (SymPy's constructors evaluate)."""
    if depth <= 0 or rng.random() < 0.2:
        return leaf(rng, names)

    def sub() -> sympy.Expr:
        return tree(rng, names, depth - 1)

    r = rng.random()
    if r < 0.15:
        return sympy.Add(sub(), sub())
    if r < 0.22:
        return sympy.Add(sub(), sympy.Mul(-1, sub()))
    if r < 0.37:
        return sympy.Mul(sub(), sub())
    if r < 0.45:
        return sympy.Mul(sub(), sympy.Pow(sub(), -1))
    if r < 0.48:
        return sympy.Mul(-1, sub())
    if r < 0.60:
        if rng.random() < 0.8:
            return sympy.Pow(sub(), rng.choice(_EXPONENTS))
        return sympy.Pow(sub(), tree(rng, names, max(0, depth - 2)))
    name = rng.choices(_NAMES, _WEIGHTS)[0]
    return call(rng, name, sub)


def acceptable(f: sympy.Expr, names: Sequence[sympy.Symbol]) -> bool:
    """Whether ``f`` is jacobi input: small, and its own text reads back to it.

    That refuses what jacobi refuses (``acoth(1/9)``, ``(-7)**x``: not real) and the
    constants SymPy makes that jacobi's language cannot write (``digamma(1)`` is
    ``-EulerGamma``, ``polygamma(2, 1)`` is ``-2*zeta(3)``).
    """
    if not (f.free_symbols & set(names)):
        return False
    if f.has(sympy.I, sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return False
    if int(sympy.count_ops(f)) > MAX_OPS:
        return False
    known = [s.name for s in (*names, PARAMETER)]
    try:
        return bool(parse_expression(to_text(f), variables=known) == f)
    except JacobiError:
        return False


def draw(rng: random.Random) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    """One random expression and the variables it is differentiated by."""
    names = VARIABLES[: rng.choice((1, 2, 3))]
    depth = rng.choice((3, 3, 3, 4))
    for _ in range(MAX_DRAWS):
        try:
            f = tree(rng, names, depth)
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            continue
        if acceptable(f, names):
            return f, tuple(v for v in names if v in f.free_symbols)
    return names[0], (names[0],)


# --------------------------------------------------------------------------- the checks


def number(e: sympy.Expr, env: dict[sympy.Symbol, Any], strict: bool = False) -> Any:
    """``e`` at ``env`` (mpmath, 30 digits), or None where undefined, on a kink, or (strict)
    where a piece of it is not real."""
    with mpmath.workdps(30):
        try:
            value, flags = evaluate(e, env)
        except Unsupported:
            # Floats, not Rationals: evalf substitutes exactly where it falls back, and
            # an exact rational to a rational power can have millions of digits
            point = {s: sympy.Float(str(v), 30) for s, v in env.items()}
            pieces = [p for p in sympy.preorder_traversal(e) if p.args] if strict else [e]
            for piece in reversed(pieces):  # e last; with strict, each piece real
                v = _evalf(piece, point)
                if v is None or (strict and not real(v)):
                    return None
            return v
    if value is None or flags.kink or (strict and flags.nonreal):
        return None
    return value


def _evalf(e: sympy.Expr, point: dict[sympy.Symbol, sympy.Float]) -> Any:
    try:
        v = e.evalf(30, subs=point)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    re, im = v.as_real_imag()
    if not (re.is_Number and im.is_Number):
        return None
    return mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im))


def real(v: Any) -> bool:
    if v is None or not mpmath.isfinite(v):
        return False
    return bool(abs(mpmath.im(v)) <= 1e-20 * max(1, abs(mpmath.re(v))))


def done(line: sympy.Expr, memo: dict[sympy.Basic, sympy.Expr]) -> sympy.Expr:
    """The line with each unevaluated derivative replaced by SymPy's ``diff`` of it."""
    for d in pending(line):
        if d not in memo:
            memo[d] = d.expr.diff(*d.variables).replace(sympy.DiracDelta, lambda *a: sympy.S.Zero)
    return line.xreplace(memo)


_NUMERATORS = [n for n in range(-29, 30) if n]
_DENOMINATORS = (7, 11, 13)


def random_point(rng: random.Random, symbols: Sequence[sympy.Symbol]) -> dict[sympy.Symbol, Any]:
    """Random rationals, never integers: not 0 (a removable 0/0) nor ±1 (the edges of
    asin, acos, atanh, ...)."""
    env = {}
    for s in symbols:
        q = rng.choice(_DENOMINATORS)
        env[s] = mpmath.mpf(rng.choice([n for n in _NUMERATORS if n % q])) / q
    return env


@dataclass
class Tally:
    expressions: int = 0
    derivations: int = 0
    lines: int = 0
    compared: int = 0
    readback: int = 0
    edges: int = 0  # points skipped: a root of 0 in f, not differentiable there
    undefined: int = 0  # derivatives whose jacobi entry is not a number (1/DiracDelta(x))
    failures: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    longest: tuple[int, str, str] = (0, "", "")

    def fail(self, kind: str, detail: str) -> None:
        self.kinds[kind] += 1
        self.failures.append(f"{kind}: {detail}")


def check(
    f: sympy.Expr, v: sympy.Symbol, d: Derivation, entry: sympy.Expr, rng: random.Random, t: Tally
) -> None:
    where = f"d/d{v} {to_text(f)}"
    t.derivations += 1
    t.lines += len(d.lines)
    t.rules.update(line.rule for line in d.lines)
    if len(d.lines) > t.longest[0]:
        t.longest = (len(d.lines), to_text(f), str(v))
    if len(d.lines) > MAX_LINES + 3:
        t.fail("unbounded", f"{where}: {len(d.lines)} lines")
    if d.last != entry:
        t.fail("last line", f"{where}: last {to_text(d.last)} is not jacobi's {to_text(entry)}")
    names = sorted({s.name for s in f.free_symbols | {v}})
    for line in d.lines:
        text = to_text(line.expr)
        # jacobi's entry itself may not read back (abs(y^y): SymPy's derivative has arg(y))
        kind = "entry read back" if line.expr == entry else "read back"
        try:
            back = parse_expression(text, variables=names, keep_derivatives=True)
        except JacobiError as exc:
            t.fail(kind, f"{where}: {text} does not read back ({exc.message})")
            continue
        t.readback += 1
        if back != line.expr and not same(back, line.expr, rng):
            t.fail(kind, f"{where}: {text} reads back as {to_text(back)}")
    memo: dict[sympy.Basic, sympy.Expr] = {}
    symbols = sorted(f.free_symbols | {v}, key=str)
    roots = [p.base for p in sympy.preorder_traversal(f) if p.is_Pow and not p.exp.is_integer]
    for _ in range(3):
        env = random_point(rng, symbols)
        if not real(number(f, env, strict=True)):
            continue
        if any(number(b, env) == 0 for b in roots):
            # sqrt(tanh(x)*heaviside(x)) for x < 0: the chain rule needs sqrt'(0)
            t.edges += 1
            continue
        first = number(done(d.first, memo), env)
        if not real(first):
            continue
        for k, line in enumerate(d.lines[1:], start=1):
            got = number(done(line.expr, memo), env)
            if got is None or abs(got - first) > 1e-15 * max(1, abs(first)):
                t.fail("disagrees", f"{where}: line {k} ({line.rule}) {to_text(line.expr)}")
                return
            t.compared += 1


def same(a: sympy.Expr, b: sympy.Expr, rng: random.Random) -> bool:
    memo: dict[sympy.Basic, sympy.Expr] = {}
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    for _ in range(2):
        env = random_point(rng, symbols)
        va, vb = number(done(a, memo), env), number(done(b, memo), env)
        if (va is None) != (vb is None):
            return False
        if va is not None and vb is not None and abs(va - vb) > 1e-15 * max(1, abs(va)):
            return False
    return True


def run_case(k: int, seed: int, t: Tally) -> None:
    rng = random.Random(f"{seed}:{k}")
    f, variables = draw(rng)
    t.expressions += 1
    jac = jacobian(VectorFunction(components=(f,), variables=variables))
    for j, v in enumerate(variables):
        if jac[0, j].has(sympy.nan, sympy.zoo):
            t.undefined += 1
            continue
        d = derivative_steps(f, v)
        check(f, v, d, jac[0, j], rng, t)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=int, default=None, help="run this case only (and show it)")
    ap.add_argument("--progress", type=int, default=0, help="print a line every N cases")
    args = ap.parse_args(argv)
    t = Tally()
    ks = [args.case] if args.case is not None else range(args.cases)
    for k in ks:
        if args.case is not None:
            f, _ = draw(random.Random(f"{args.seed}:{k}"))
            print(f"case {k}: {to_text(f)}")
        before = len(t.failures)
        run_case(k, args.seed, t)
        for failure in t.failures[before:]:
            print(f"  case {k}: {failure[:400]}", flush=True)
        if args.progress and (k + 1) % args.progress == 0:
            print(f"  {k + 1} cases, {t.lines} lines, {len(t.failures)} failures", flush=True)
    print(f"seed {args.seed}: {t.expressions} expressions, {t.derivations} derivations")
    print(f"  lines {t.lines}, values compared {t.compared}, read back {t.readback}")
    print(f"  skipped: {t.edges} points on a root's edge, {t.undefined} entries not a number")
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(t.kinds.items()))
    print(f"  failures {len(t.failures)}" + (f" ({kinds})" if kinds else ""))
    lines, text, v = t.longest
    print(f"  longest derivation: {lines} lines, d/d{v} {text}")
    print("  rules: " + ", ".join(f"{rule} {n}" for rule, n in t.rules.most_common()))
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
