"""The grammar of the scalar language: an operator-precedence (shunting-yard) parser.

The fourth stage of :mod:`jacobi.lang.parse`. A :class:`Parser` walks the
:class:`~jacobi.lang.tokens.Tokens` of one input and hands every operand, operator and
call to its :class:`~jacobi.lang.build.ExprBuilder` as soon as it is complete, so there
is no tree between reading and building: the operator stack is the tree. The grammar
is described in :mod:`jacobi.lang.parse`. The list forms (components, matrices, names,
points) are read by :meth:`Parser.items` and :mod:`jacobi.lang.lists`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, NoReturn, TypeVar

from jacobi import progress
from jacobi.errors import LimitError
from jacobi.lang import lexicon
from jacobi.lang.build import ExprBuilder
from jacobi.lang.lexicon import MAX_DEPTH, SOFT_FUNCTIONS
from jacobi.lang.tokens import Token, Tokens

__all__ = ["Parser"]

Expr = Any  # sympy is untyped; this alias documents intent.
T = TypeVar("T")

_BINARY_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}
_UNARY_PREC = 3
_PRODUCT_PREC = _BINARY_PREC["*"]


class _Op:
    """An entry of the operator stack."""

    __slots__ = ("args", "kind", "op", "prec", "starts", "tok", "weight")

    def __init__(self, kind: str, op: str, prec: int, tok: int) -> None:
        self.kind = kind  # "bin", "unary", "paren" or "call"
        self.op = op  # operator symbol, or the function name for calls
        self.prec = prec
        self.tok = tok  # token index (for errors)
        self.args: list[Expr] = []
        self.starts: list[int] = []  # for calls: the first token of each argument
        self.weight = 1  # nesting levels this entry counts for


class _Frame:
    """The stacks of one expression being parsed."""

    __slots__ = ("floor", "groups", "ops", "vals")

    def __init__(self, floor: int) -> None:
        self.floor = floor  # its first token
        self.ops: list[_Op] = []
        self.vals: list[Any] = []
        self.groups = 0  # open parentheses and calls


class Parser:
    """Shunting-yard parser over the tokens of one input text.

    Parameters
    ----------
    source
        The text as the user gave it.
    variables
        The declared names (see :class:`~jacobi.lang.build.ExprBuilder`).

    Attributes
    ----------
    tokens
        The tokens, with their source columns; errors are raised through it.
    build
        Makes the SymPy values.
    i
        Index of the next token to read.
    """

    def __init__(
        self, source: str, variables: Collection[str], keep_derivatives: bool = False
    ) -> None:
        self.tokens = Tokens(source)
        self.toks: list[Token] = self.tokens.toks
        self.build = ExprBuilder(self.tokens, variables, keep_derivatives)
        self.i = 0
        #: The guards of each component, by its first token.
        self.component_guards: dict[int, list[Expr]] = {}
        self.depth = 0
        #: The hint for a stray "=" (set where a left-hand side is what the user meant).
        self.equals_hint: str | None = None

    # ---------------------------------------------------------------- cursor

    def peek(self) -> Token:
        """The next token."""
        return self.toks[self.i]

    def at_op(self, op: str) -> bool:
        """Whether the next token is the operator ``op``."""
        kind, value, _, _ = self.toks[self.i]
        return kind == "op" and value == op

    def at_close(self, closer: str | None) -> bool:
        """Whether the next token ends a list: the end of the input, or ``closer``."""
        kind, value, _, _ = self.toks[self.i]
        return kind == "eof" or (closer is not None and kind == "op" and value == closer)

    def skip_newlines(self) -> bool:
        """Step over newlines; return whether there were any."""
        skipped = False
        while self.toks[self.i][0] == "nl":
            self.i += 1
            skipped = True
        return skipped

    def next_significant(self, j: int) -> tuple[str, Any]:
        """Kind and value of the first token from index ``j`` that is not a newline."""
        while self.toks[j][0] == "nl":
            j += 1
        return self.toks[j][0], self.toks[j][1]

    def prev_significant(self, floor: int) -> int | None:
        """Index of the last non-newline token before ``self.i`` (not before ``floor``)."""
        j = self.i - 1
        while j >= floor and self.toks[j][0] == "nl":
            j -= 1
        return j if j >= floor else None

    def expect_end(self) -> None:
        """After newlines, the input must end."""
        self.skip_newlines()
        if self.peek()[0] != "eof":
            self.unexpected(self.i)

    # ---------------------------------------------------------------- errors

    def fail_at(self, message: str, index: int, hint: str | None = None) -> NoReturn:
        """Raise a :class:`~jacobi.errors.ParseError` at token ``index``."""
        self.tokens.fail_at(message, index, hint)

    def describe(self, index: int) -> str:
        """Token ``index`` for a message."""
        return self.tokens.describe(index)

    def unexpected(self, index: int) -> NoReturn:
        """Refuse token ``index``, saying why when jacobi knows."""
        kind, value, _, _ = self.toks[index]
        if kind == "op" and value == "=":
            self.fail_at("'=' is not allowed in an expression", index, self.equals_hint)
        if kind == "op" and value == ";":
            self.fail_at("unexpected ';'", index, "separate components with ',' or a newline")
        if kind == "op" and value in "[]":
            self.fail_at(
                f"unexpected '{value}'",
                index,
                "square brackets may only wrap the whole list; use ( ) for grouping",
            )
        self.fail_at(f"unexpected {self.describe(index)}", index)

    def check_depth(self, index: int, weight: int = 1) -> None:
        """Count ``weight`` more levels of nesting; refuse more than ``MAX_DEPTH``."""
        self.depth += weight
        if self.depth > MAX_DEPTH:
            self.tokens.limit_at(
                f"the expression is nested more than {MAX_DEPTH} levels deep",
                index,
                "nesting counts parentheses, function calls, signs and chained powers",
            )

    # ---------------------------------------------------------------- the operator stack

    def apply(self, op: _Op, vals: list[Any]) -> None:
        """Apply the unary or binary operator ``op`` to the values on top of ``vals``."""
        build = self.build
        if op.kind == "unary":
            v = build.finish(vals.pop(), op.tok)
            vals.append(-v if op.op == "-" else v)
            self.depth -= 1
            return
        b = build.finish(vals.pop(), op.tok)
        a = vals.pop()
        symbol = op.op
        if symbol == "+" or symbol == "-":
            vals.append(build.plus(a, b, symbol == "-", op.tok))
        elif symbol == "^":
            vals.append(build.power(build.finish(a, op.tok), b, op.tok))
            self.depth -= 1
        else:
            vals.append(build.multiply(a, b, symbol == "/", op.tok))

    def reduce(self, ops: list[_Op], vals: list[Any], prec: int, right: bool) -> None:
        """Apply the operators on the stack that bind tighter than ``prec``."""
        while ops:
            top = ops[-1]
            if top.kind == "paren" or top.kind == "call":
                return
            if top.prec > prec or (top.prec == prec and not right):
                ops.pop()
                self.apply(top, vals)
            else:
                return

    def call(self, op: _Op) -> Expr:
        """The value of the call ``op``, whose ``)`` is the current token."""
        if op.op == "diff":
            return self.build.derivative(op.args, op.tok, op.starts)
        return self.build.call(op.op, op.args, op.tok, self.i)

    # ---------------------------------------------------------------- expressions

    def expression(self) -> Expr:
        """Parse one expression at ``self.i``; stop before a token that cannot continue it."""
        frame = _Frame(self.i)
        base_depth = self.depth
        expect_operand = True
        while True:
            if expect_operand:
                expect_operand = not self._operand(frame)
                continue
            step = self._after_operand(frame)
            if step is None:
                break
            expect_operand = step
        self.reduce(frame.ops, frame.vals, -1, False)
        self.depth = base_depth
        return self.build.finish(frame.vals.pop(), max(self.i - 1, 0))

    def _operand(self, frame: _Frame) -> bool:
        """Read where an operand is due; return whether a whole operand was read."""
        kind, value, _, _ = self.toks[self.i]
        if kind == "num":
            frame.vals.append(value)
            self.i += 1
            return True
        if kind == "name":
            return self._name(frame, value)
        if kind == "op" and value == "(":
            self.check_depth(self.i)
            frame.ops.append(_Op("paren", "(", 0, self.i))
            frame.groups += 1
            self.i += 1
        elif kind == "op" and (value == "-" or value == "+"):
            self.check_depth(self.i)
            frame.ops.append(_Op("unary", value, _UNARY_PREC, self.i))
            self.i += 1
        elif kind == "nl" and frame.groups:
            self.i += 1
        else:
            self.missing_operand(frame.ops, frame.floor)
        return False

    def _name(self, frame: _Frame, value: str) -> bool:
        """A name where an operand is due: a call (``False``) or a value (``True``)."""
        nxt = self.toks[self.i + 1]
        paren = nxt[0] == "op" and nxt[1] == "("
        soft = value in SOFT_FUNCTIONS
        if (
            value in lexicon.FUNCTIONS
            and not (soft and value in self.build.declared)
            and (paren or not soft)
        ):
            if not paren:
                hint = None
                if nxt[0] == "op" and nxt[1] == "^":
                    hint = f"write {value}(x)^2 for a power of {value}"
                self.fail_at(f"{value} needs parentheses: {value}(x)", self.i, hint)
            call = _Op("call", value, 0, self.i)
            call.weight = lexicon.FUNCTIONS[value].depth
            call.starts.append(self.i + 2)
            self.check_depth(self.i, call.weight)
            frame.ops.append(call)
            frame.groups += 1
            self.i += 2
            return False
        if paren:
            self.check_not_a_call(self.i)
        frame.vals.append(self.build.name(value, self.i))
        self.i += 1
        return True

    def _after_operand(self, frame: _Frame) -> bool | None:
        """Read after an operand: ``True`` when an operand is due next, ``False`` when an
        operator still is, ``None`` when the expression ends before this token."""
        kind, value, _, _ = self.toks[self.i]
        if kind == "op":
            return self._operator(frame, value)
        if kind == "name":
            self._implicit_product(frame)
            return True
        if kind == "num":
            self.fail_at(
                f"missing operator before the number '{self.tokens.tok_text(self.i)}'",
                self.i,
                "write * between factors, e.g. 2*3",
            )
        if kind == "nl" and frame.groups:
            self.i += 1
            return False
        if frame.groups:
            self.unexpected_in_group(frame.ops)
        return None

    def _operator(self, frame: _Frame, value: str) -> bool | None:
        """An operator token after an operand (see :meth:`_after_operand`)."""
        prec = _BINARY_PREC.get(value)
        if prec is not None:
            self.reduce(frame.ops, frame.vals, prec, value == "^")
            if value == "^":
                self.check_depth(self.i)
            frame.ops.append(_Op("bin", value, prec, self.i))
            self.i += 1
            return True
        if value == "(":
            self.check_not_a_call(self.i - 1)
            self._implicit_product(frame)
            return True
        if value == ")" or value == ",":
            return self._close(frame, value) if frame.groups else None
        if frame.groups:
            self.unexpected_in_group(frame.ops)
        if value == "[":
            self.unexpected(self.i)
        return None

    def _implicit_product(self, frame: _Frame) -> None:
        """Push the ``*`` of ``2x`` or ``x(y + 1)`` before the current token."""
        self.check_implicit_after_divide(frame.ops)
        self.reduce(frame.ops, frame.vals, _PRODUCT_PREC, False)
        frame.ops.append(_Op("bin", "*", _PRODUCT_PREC, self.i))

    def _close(self, frame: _Frame, value: str) -> bool:
        """``,`` or ``)`` inside a group: the next argument is due, or the group is a value."""
        self.reduce(frame.ops, frame.vals, -1, False)
        top = frame.ops[-1]
        if top.kind == "call":
            top.args.append(self.build.finish(frame.vals.pop(), top.tok))
        elif value == ",":
            self.tuple_error(top)
        if value == ",":
            self.i += 1
            top.starts.append(self.i)
            return True
        frame.ops.pop()
        frame.groups -= 1
        self.depth -= top.weight
        if top.kind == "call":
            frame.vals.append(self.call(top))
        else:
            frame.vals.append(self.build.finish(frame.vals.pop(), top.tok))
        self.i += 1
        return False

    # ---------------------------------------------------------------- expression errors

    def missing_operand(self, ops: list[_Op], floor: int) -> NoReturn:
        """Refuse the current token where an operand is due."""
        here = self.i
        kind, value, _, _ = self.toks[here]
        prev = self.prev_significant(floor)
        if prev is None:
            if kind == "op" and value in _BINARY_PREC:
                self.fail_at(f"expected an expression before '{self.tokens.tok_text(here)}'", here)
            if kind in ("eof", "nl") or (kind == "op" and value == ","):
                self.fail_at("expected an expression", here)
            self.unexpected(here)
        if kind == "eof" and any(op.kind in ("paren", "call") for op in ops):
            self.unexpected_in_group(ops)
        pkind, pvalue, _, _ = self.toks[prev]
        if pkind == "op" and pvalue == "(" and kind == "op" and value == ")":
            if ops and ops[-1].kind == "call":
                self.call(ops[-1])  # reports the arity error
            self.fail_at("empty parentheses '()'", prev, "put an expression inside")
        found = "" if kind in ("eof", "nl") else f", found {self.describe(here)}"
        self.fail_at(f"expected an expression after '{self.tokens.tok_text(prev)}'{found}", prev)

    def check_implicit_after_divide(self, ops: list[_Op]) -> None:
        """Refuse ``x/2y`` and ``1/2x``: readers split them both ways, so say which."""
        for op in reversed(ops):
            if op.kind not in ("bin", "unary") or op.prec < 2:
                return
            if op.op == "/":
                self.fail_at(
                    "ambiguous implicit product after '/'",
                    self.i,
                    "add parentheses: a/(b*c) or (a/b)*c",
                )

    def used_alone(self, name: str) -> bool:
        """Whether ``name`` occurs somewhere not directly followed by ``(``."""
        for k, (kind, text, _, end) in enumerate(self.toks):
            if kind == "name" and text == name:
                following = self.toks[k + 1] if k + 1 < len(self.toks) else None
                if following is None or following[1] != "(" or following[2] != end:
                    return True
        return False

    def check_not_a_call(self, index: int) -> None:
        """``gamma(x)``, ``log10(x)``: a name of two or more letters directly before ``(``
        is a call, so a function jacobi lacks is an error, never a silent product.

        Declared names and the constants stay products (``pi(1 + x)``); so do names
        followed by a blank (``ab (x + 1)``) unless jacobi knows a better spelling.
        """
        kind, name, _, end = self.toks[index]
        if kind != "name" or name in self.build.declared or name in self.build.constants:
            return
        if name in lexicon.FUNCTIONS:
            return
        adjacent = self.toks[index + 1][2] == end
        if len(name) < 2:
            # x(1+x) is x*(1+x); but f(x), where f occurs nowhere except before "(", is a
            # function jacobi does not have (it would be read as the product f*x).
            if adjacent and not self.used_alone(name):
                self.fail_at(
                    f"unknown function '{name}'",
                    index,
                    f"jacobi has no function {name}: write the function itself, or "
                    f"{name}*(...) for a product",
                )
            return
        hint = lexicon.unknown_function_hint(name)
        specific = name in lexicon.MISSING_FUNCTIONS or not hint.startswith(
            ("for a product", "did you mean")
        )
        if adjacent or specific:
            self.fail_at(f"unknown function '{name}'", index, hint)

    def tuple_error(self, op: _Op) -> NoReturn:
        """Refuse ``(a, b)`` inside an expression, or ``name(a, b)`` for an unknown name."""
        before = op.tok - 1
        if before >= 0 and self.toks[before][0] == "name":
            name = self.toks[before][1]
            self.fail_at(
                f"unknown function '{name}'",
                before,
                f"{name}(...) with one argument means {name}*(...); "
                "see the list of functions in the documentation",
            )
        self.fail_at(
            "a parenthesised list like (a, b) is not a value",
            self.i,
            "separate components only at the top level",
        )

    def unexpected_in_group(self, ops: list[_Op]) -> NoReturn:
        """Refuse the current token inside an open parenthesis or call."""
        opener = next(op for op in reversed(ops) if op.kind in ("paren", "call"))
        open_index = opener.tok + (1 if opener.kind == "call" else 0)
        kind, value, _, _ = self.toks[self.i]
        if kind == "eof":
            self.fail_at("unclosed '(' opened here", open_index, "add the missing ')'")
        if kind == "op" and value == "=":
            self.unexpected(self.i)
        self.fail_at(
            f"unexpected {self.describe(self.i)}",
            self.i,
            f"the '(' at column {self.tokens.tok_col(open_index)} is not closed",
        )

    # ---------------------------------------------------------------- lists

    def wrapper(self) -> str | None:
        """Consume an opening ``[`` or list-wrapping ``(``; return the closing bracket."""
        self.skip_newlines()
        if self.at_op("["):
            self.i += 1
            return "]"
        if self.at_op("(") and self.paren_wraps_list():
            self.i += 1
            return ")"
        return None

    def paren_wraps_list(self) -> bool:
        """Whether the ``(`` here wraps the whole input and holds a top-level comma."""
        depth = 0
        comma = False
        j = self.i
        toks = self.toks
        while True:
            kind, value, _, _ = toks[j]
            if kind == "eof":
                return False
            if kind == "op":
                if value == "(":
                    depth += 1
                elif value == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif value == "," and depth == 1:
                    comma = True
            j += 1
        return comma and self.next_significant(j + 1)[0] == "eof"

    def items(
        self, item: Callable[[], T], what: str = "expression", part: str = "component"
    ) -> list[tuple[T, int, int, int | None]]:
        """Parse a separated list; return (value, first token, stop token, separator).

        Items are separated by commas or newlines; the list may be wrapped (see
        :meth:`wrapper`) and must be the whole input. ``what`` names an item in
        messages, ``part`` an empty one.
        """
        opener = self.i
        closer = self.wrapper()
        if closer is not None:
            opener = self.i - 1
        self.skip_newlines()
        out: list[tuple[T, int, int, int | None]] = []
        separator: int | None = None
        while True:
            if self.at_close(closer):
                self._end_items(what, opener, closer, bool(out), separator)
                return out
            if self.at_op(","):
                if out or separator is not None:
                    self.fail_at(f"empty {part} between commas", self.i)
                self.fail_at(f"empty {part} before ','", self.i)
            first = self.i
            result = item()
            out.append((result, first, self.i, separator))
            separator = None
            newline = self.skip_newlines()
            if self.at_op(","):
                separator = self.i
                self.i += 1
                self.skip_newlines()
            elif newline:
                separator = self.i - 1
            elif not self.at_close(closer):
                self.unexpected(self.i)

    def _end_items(
        self, what: str, opener: int, closer: str | None, any_item: bool, separator: int | None
    ) -> None:
        """At the end of a list of :meth:`items`: refuse a trailing comma, an empty or
        unclosed list, and anything after the closing bracket."""
        if not any_item and separator is None:
            self.fail_at(f"expected at least one {what}", self.i)
        if separator is not None and self.toks[separator][1] == ",":
            an = ("an " if what[0] in "aeiou" else "a ") + what
            self.fail_at(f"expected {an} after ','", separator, "remove the trailing comma")
        if closer is not None:
            if self.peek()[0] == "eof":
                self.fail_at(f"unclosed '{self.toks[opener][1]}' opened here", opener)
            self.i += 1
            self.expect_end()

    def component(self) -> Expr:
        """One expression of a list, with its own domain guards."""
        first = self.i
        self.build.guards = self.component_guards.setdefault(first, [])
        expr = self.build.checked(self.expression(), first)
        progress.tick()
        return expr

    def lost_guards(self, expr: Expr, first: int) -> tuple[Expr, ...]:
        """The guards of the component starting at token ``first`` that ``expr`` no longer
        shows (those it still contains are checked with it anyway)."""
        return tuple(g for g in self.component_guards.get(first, ()) if not expr.has(g))


def run(
    text: str,
    variables: Collection[str],
    body: Callable[[Parser], T],
    keep_derivatives: bool = False,
) -> T:
    """Build a parser for ``text`` and run ``body``; turn runaway recursion into LimitError.

    ``keep_derivatives`` keeps ``diff(f, x)`` as the unevaluated ``Derivative(f, x)``.
    """
    try:
        return body(Parser(text, variables, keep_derivatives))
    except RecursionError:
        raise LimitError(
            "the expression is too deeply nested for jacobi to handle",
            hint=f"nesting is limited to {MAX_DEPTH} levels, less for nested functions",
        ) from None
    except MemoryError:
        raise LimitError("the expression needs too much memory") from None
