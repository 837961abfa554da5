"""Reading a command line of expressions: arguments that start with ``-`` may be expressions.

Click takes every such argument for an option; :class:`ExpressionCommand` decides,
from the command's own options, which are options and which are expressions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import click

#: A bare number: ``2``, ``-1.5``, ``1e-3``, ``1/3``.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?")
#: ``y=2``: a named value.
_NAMED_VALUE = re.compile(r"[^\W\d]\w*\s*=.*", re.DOTALL)
#: ``-q``: a lone name after a dash; taken for a mistyped option, not an expression.
_DASHED_NAME = re.compile(r"-[A-Za-z]\w*")
#: Characters that never occur in an option value glued to a short option (``-a-1,2``,
#: ``-fjson``, ``-pa=2``) but do in expressions (``-v*w + 1``, ``-a x``).
_EXPRESSION_CHARS = frozenset(" \t\n*^+()[]{}/")


class ExpressionCommand(click.Command):
    """A command whose arguments are expressions, typed as a textbook prints them.

    Click takes every argument that starts with ``-`` for an option, so
    ``jacobi det '-2*x1 + x2, x1 + x2'`` would fail with "No such option '-2'".
    Here an argument is an option only if it is one of this command's options
    (``-f json``, ``-a-1,2``, ``--at=1,2``, ``-h``), starts with ``--``, or is a lone
    dashed name such as ``-q`` (these two are reported as unknown options, the
    latter with a hint); anything else that starts with one ``-`` (``-2x``,
    ``-(x+y)``, ``-x^2 + y``, ``-sin(t)``) is an expression. Option values are
    never re-read: ``--at -1,2`` keeps working.

    It also refuses a stray value after an option that takes a whole list in one
    argument: ``--at 1 2`` (the shell splits it in two, and the ``2`` would
    silently become another component) is an error with the fix, ``--at 1,2``.
    """

    #: Options whose value is a comma list: a number or ``name=value`` right after
    #: the value is almost surely a piece of it that the shell split off (from the
    #: declaration's :attr:`~jacobi.commands.spec.Option.comma_list`, by option name).
    list_options: dict[str, str] = {}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.arrange(ctx, args))

    def _options(self, ctx: click.Context) -> dict[str, tuple[str, bool]]:
        """Every option string: the parameter's name and whether it takes a value."""
        table: dict[str, tuple[str, bool]] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                takes = not (param.is_flag or param.count)
                for opt in (*param.opts, *param.secondary_opts):
                    table[opt] = (param.name or "", takes)
        return table

    @staticmethod
    def _option_use(arg: str, table: dict[str, tuple[str, bool]]) -> tuple[str, bool, str] | None:
        """``(name, reads the next argument, glued value)`` if ``arg`` is an option, else None."""
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in table:
                param, takes = table[name]
                return param, takes and not eq, value
            return "", False, ""  # --bogus, --7layout: Click reports the unknown option
        if len(arg) < 2 or not arg[1].isascii() or not arg[1].isalpha():
            return None  # "-", "-2x", "-(x+y)", "-θ"
        if any(c.isspace() for c in arg):
            return None  # one shell word with spaces is an expression ("-a x + 1")
        # A cluster of short options, the last of which may take a (glued) value.
        for i, ch in enumerate(arg[1:], 1):
            entry = table.get("-" + ch)
            if entry is None:
                return ("", False, "") if _DASHED_NAME.fullmatch(arg) else None
            param, takes = entry
            if takes:
                glued = arg[i + 1 :]
                if glued and (
                    _EXPRESSION_CHARS.intersection(glued)
                    or (param == "params" and "=" not in glued)
                ):
                    return None  # "-v*w", "-pi/2", "-pi": expressions
                return param, not glued, glued
        return "", False, ""  # a cluster of flags, such as -h

    def arrange(self, ctx: click.Context, args: Sequence[str]) -> list[str]:
        """Options first, then ``--``, then the expressions in their order."""
        table = self._options(ctx)
        options: list[str] = []
        positional: list[str] = []
        args = list(args)
        k = 0
        last_list: tuple[str, str, str] | None = None  # (param, option as typed, value)
        # A point or vector given twice: refused, not silently the last (Click keeps the last).
        once = {
            p.name
            for p in self.get_params(ctx)
            if isinstance(p, click.Option) and not p.multiple and p.name in self.list_options
        }
        seen: dict[str, tuple[str, str]] = {}  # param -> (option as typed, value)
        last_value: tuple[str, str] | None = None  # (option as typed, value) just read
        while k < len(args):
            arg = args[k]
            k += 1
            if arg == "--":
                positional.extend(args[k:])
                break
            use = self._option_use(arg, table) if arg.startswith("-") else None
            if use is None:
                if last_list is not None:
                    self._refuse_stray(ctx, arg, *last_list)
                if last_value is not None and last_value[1].rstrip().endswith(","):
                    typed_, value_ = last_value
                    raise click.UsageError(
                        f"the value of {typed_} ends with ',' and '{arg}' follows: the shell "
                        f"split it at a space; write it in one argument, "
                        f"{typed_} {value_.rstrip()}{arg.strip()}",
                        ctx=ctx,
                    )
                positional.append(arg)
                last_list = last_value = None
                continue
            param, reads_next, glued = use
            options.append(arg)
            value = glued if not reads_next else (args[k] if k < len(args) else "")
            if reads_next and k < len(args):
                options.append(args[k])
                k += 1
            typed = arg.partition("=")[0] if arg.startswith("--") else arg[:2]
            if param in once:
                if param in seen:
                    first_typed, first = seen[param]
                    raise click.UsageError(
                        f"{typed} is given twice ({first_typed} {first} and {typed} {value}): "
                        "give it once",
                        ctx=ctx,
                    )
                seen[param] = (typed, value)
            last_list = (param, typed, value) if param in self.list_options else None
            last_value = (typed, value) if reads_next or glued else None
        return [*options, "--", *positional] if positional else options

    def _refuse_stray(
        self, ctx: click.Context, arg: str, param: str, typed: str, value: str
    ) -> None:
        what = self.list_options[param]
        if param == "params":
            if _NAMED_VALUE.fullmatch(arg.strip()):
                joined = f"{value.rstrip(',')},{arg.strip()}"
                raise click.UsageError(
                    f"'{arg}' after '{typed} {value}' looks like another parameter, not an "
                    f"expression: write the {what} in one argument, {typed} {joined}",
                    ctx=ctx,
                )
            return
        if _NUMBER.fullmatch(arg.strip()) or _NAMED_VALUE.fullmatch(arg.strip()):
            joined = f"{value.rstrip(',')},{arg.strip()}"
            raise click.UsageError(
                f"'{arg}' after '{typed} {value}' looks like part of the {what}, not an "
                f"expression: write the {what} in one argument, {typed} {joined}",
                ctx=ctx,
            )
