"""From the user's texts (expressions, ``--vars``, ``--param``, ``--at``) to model objects.

This is the one place that decides which names are variables and which are
parameters, and in what order the variables go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

import sympy

from jacobi.errors import InputError, JacobiError, LimitError
from jacobi.files import read_user_file
from jacobi.lang import parse
from jacobi.model import Point, VectorFunction, natural_key


def read_source(arg: str, stdin: TextIO | None = None) -> str:
    """The expression text an argument stands for: ``-`` is stdin, ``@FILE`` a file.

    Anything else is the text itself.
    """
    if arg == "-":
        text = read_user_file("-", limit=parse.MAX_INPUT_CHARS, stdin=stdin)
        return text.removeprefix("\ufeff")
    if arg.startswith("@") and len(arg) > 1:
        # utf-8-sig drops the byte-order mark some editors put at the start.
        return read_user_file(
            arg[1:],
            limit=parse.MAX_INPUT_CHARS,
            encoding="utf-8-sig",
            missing_hint="check the path after '@'",
        )
    return arg


def order_variables(symbols: Iterable[sympy.Symbol]) -> tuple[sympy.Symbol, ...]:
    """Variables in natural order of their names (``x2`` before ``x10``).

    >>> from jacobi.lang.parse import symbol
    >>> [s.name for s in order_variables([symbol("y"), symbol("x10"), symbol("x2")])]
    ['x2', 'x10', 'y']
    """
    return tuple(sorted(set(symbols), key=lambda s: natural_key(s.name)))


def _params(texts: Sequence[str], declared: Sequence[str]) -> dict[str, sympy.Expr]:
    out: dict[str, sympy.Expr] = {}
    for text in texts:
        for name, value in parse.parse_assignments(text, variables=declared):
            if name in out:
                raise InputError(f"parameter {name} is given twice", hint="give each once")
            out[name] = value
    return out


def _param_names(texts: Sequence[str]) -> list[str]:
    names: list[str] = []
    for text in texts:
        for part in text.split(","):
            if "=" in part:
                names.append(part.split("=", 1)[0].strip())
    return names


def _check_params(expr: sympy.Expr, subs: dict[sympy.Symbol, sympy.Expr]) -> None:
    """Refuse parameter values that leave a piece of ``expr`` undefined or not real.

    Checked like typed input: ``x/a`` with a = 0 is as meaningless as ``x/0``.
    """
    from jacobi.math.substitute import undefined_reason

    reason = undefined_reason(expr, subs)
    if reason is not None:
        given = ", ".join(f"{s.name}={v}" for s, v in subs.items() if s in expr.free_symbols)
        raise InputError(
            f"with --param {given} the function is undefined everywhere: {reason}",
            hint="choose other parameter values",
        )


def _substituted(expr: sympy.Expr, subs: dict[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """``expr`` with the parameter values put in, with the size limits of typed input.

    ``(3/2 - y)^a`` with a = 10^20 is refused as ``(3/2 - y)^(10^20)`` typed is: a
    polynomial of that degree would hang every later step.
    """
    from jacobi.math.substitute import substitute

    out = substitute(expr, subs)
    for p in sorted(out.atoms(sympy.Pow), key=sympy.default_sort_key):
        exp = p.exp
        too_large = exp.is_Rational and abs(exp.p) > parse.MAX_SYMBOLIC_EXPONENT * exp.q
        if too_large and not p.base.is_Rational:
            raise LimitError(
                f"with these --param values the exponent {exp} is too large; jacobi "
                f"refuses exponents over {parse.MAX_SYMBOLIC_EXPONENT:,}",
                hint="choose smaller parameter values",
            )
    return out


def _defined_variables(
    definition: parse.Definition, var_names: list[str] | None
) -> list[str] | None:
    """The variables of ``f(x, y) = ...``: they are the variable order, as --vars would be."""
    if definition.variables is None:
        return var_names
    if var_names is not None and var_names != definition.variables:
        how = "in another order" if sorted(var_names) == sorted(definition.variables) else ""
        raise InputError(
            f"{definition.name}({', '.join(definition.variables)}) = ... and --vars "
            f"{','.join(var_names)} give the variables {how or 'differently'}",
            hint="give the variables once: in the definition or with --vars",
        )
    return definition.variables


def build_function(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
) -> VectorFunction:
    """Parse component texts into a :class:`VectorFunction`.

    Parameters
    ----------
    exprs
        One or more texts, each holding one or more comma/newline-separated
        components (already read from stdin or a file if needed).
    variables
        The variable order, as text (``"x,y"``) or names. Without it, every free
        name that is not a parameter is a variable, in natural order.
    params
        ``"a=2"``-style texts: parameters substituted by exact values.

    Examples
    --------
    >>> f = build_function(["a*x + y, x*y"], variables="x,y", params=["a=2"])
    >>> f.components, f.variables
    ((2*x + y, x*y), (x, y))
    >>> build_function(["x10 + x2 + y"]).variable_names
    ('x2', 'x10', 'y')

    A definition's left-hand side gives the variable order (others are parameters):

    >>> build_function(["f(y, x) = a*x*y"]).variable_names
    ('y', 'x')
    """
    if isinstance(variables, str):
        var_names: list[str] | None = parse.parse_name_list(variables)
    elif variables is not None:
        # Names from Python get the same checks as --vars (no duplicates, no 'sin').
        var_names = parse.parse_name_list(",".join(variables))
    else:
        var_names = None
    declared = [*(var_names or []), *_param_names(params)]
    components: list[sympy.Expr] = []
    texts: list[str] = []
    guards: list[tuple[sympy.Expr, ...]] = []
    for k, text in enumerate(exprs):
        definition = parse.split_definition(text) if k == 0 else None
        typed = text
        if definition is not None:
            var_names = _defined_variables(definition, var_names)
            declared = [*(var_names or []), *_param_names(params)]
            # Blanked, not cut: columns in errors stay those of the text typed.
            lhs = "".join(c if c == "\n" else " " for c in text[: definition.length])
            text = lhs + text[definition.length :]
        if len(text) > parse.MAX_INPUT_CHARS:
            raise LimitError(
                f"the input has more than {parse.MAX_INPUT_CHARS:,} characters",
                hint="split the system into smaller files",
            )
        try:
            parsed = parse.parse_components(text, variables=declared)
        except JacobiError as error:
            if error.source == text:
                error.source = typed  # the caret is under the same column
            raise
        for comp in parsed:
            components.append(comp.expr)
            texts.append(comp.text)
            guards.append(comp.guards)
    values = _params(params, declared)
    if values:
        subs = {parse.symbol(k): v for k, v in values.items()}
        for c in components + [g for gs in guards for g in gs]:
            _check_params(c, subs)
        components = [_substituted(c, subs) for c in components]
        guards = [tuple(_substituted(g, subs) for g in gs) for gs in guards]
    free: set[sympy.Symbol] = set()
    for c in components:
        free |= c.free_symbols
    if var_names is None:
        var_syms = order_variables(free)
    else:
        var_syms = tuple(parse.symbol(n) for n in var_names)
        clash = [n for n in var_names if n in values]
        if clash:
            raise InputError(
                f"{clash[0]} is both a variable (--vars, or a definition f(...) = ) and a "
                "parameter (--param)",
                hint="a name is one or the other",
            )
    param_list: list[tuple[sympy.Symbol, sympy.Expr | None]] = [
        (parse.symbol(k), v) for k, v in values.items()
    ]
    rest = order_variables(free - set(var_syms))
    param_list += [(s, None) for s in rest]
    return VectorFunction(
        components=tuple(components),
        variables=var_syms,
        parameters=tuple(param_list),
        texts=tuple(texts),
        guards=tuple(guards) if any(guards) else (),
    )


def _point_hint(names: Sequence[str], given: int) -> str:
    """What to write instead: one value per variable of *this* function, named; and, when
    fewer values than variables were given, how to keep the others as parameters.

    >>> hint = _point_hint(("a", "x"), 1)
    >>> hint.split(": ")[1].split(";")[0], hint.split("; ")[1]
    ('a=1,x=2', 'or keep some as parameters: --vars x')
    """
    named = ",".join(f"{n}={k + 1}" for k, n in enumerate(names[:3]))
    hint = f"give one value per variable, in that order, or name them: {named}"
    if 0 < given < len(names):
        hint += f"; or keep some as parameters: --vars {','.join(names[len(names) - given :])}"
    return hint


def build_point(f: VectorFunction, text: str) -> Point:
    """Parse ``--at`` for ``f``: values in variable order, or ``name=value`` pairs.

    >>> f = build_function(["x+y, x*y"])
    >>> build_point(f, "-1,2").values
    (-1, 2)
    >>> build_point(f, "y=1/3, x=pi").values
    (pi, 1/3)
    """
    names = f.variable_names
    pairs = parse.parse_point(text, variables=[*names, *(p.name for p, _ in f.parameters)])
    if all(name is None for name, _ in pairs):
        if len(pairs) != len(names):
            raise InputError(
                f"--at has {len(pairs)} value{'s' if len(pairs) != 1 else ''} "
                f"but there {'are' if len(names) != 1 else 'is'} {len(names)} "
                f"variable{'s' if len(names) != 1 else ''} ({', '.join(names)})",
                hint=_point_hint(names, len(pairs)),
            )
        return Point(f.variables, tuple(v for _, v in pairs))
    given: dict[str, sympy.Expr] = {}
    for name, value in pairs:
        assert name is not None
        if name in given:
            raise InputError(f"--at gives {name} twice")
        if name not in names:
            raise InputError(
                f"--at names {name}, which is not a variable",
                hint=f"the variables are {', '.join(names) or 'none'}",
            )
        given[name] = value
    missing = [n for n in names if n not in given]
    if missing:
        raise InputError(
            f"--at gives no value for {', '.join(missing)}",
            hint="give a value for every variable",
        )
    return Point(f.variables, tuple(given[n] for n in names))
