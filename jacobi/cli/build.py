"""Click commands made from the command declarations (:mod:`jacobi.commands.registry`).

Every declared option becomes a Click option of the right kind, with its help;
every command gets the output options; the callback reads the inputs, runs the
command's build function and renders the report (:mod:`jacobi.cli.run`).
"""

from __future__ import annotations

from typing import Any

import click

from jacobi.cli.arguments import ExpressionCommand
from jacobi.cli.run import DEFAULT_TIMEOUT, read_exprs, run_command, run_points
from jacobi.commands.spec import Command, Option
from jacobi.errors import EXIT_CODES

EXIT_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {code}  {text}" for code, text in EXIT_CODES.items()
)


def examples_help(examples: tuple[str, ...]) -> str:
    """The end of a command's ``--help``: its examples from the declaration, as typed."""
    if not examples:
        return ""
    return "\n\n\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)


#: The output options every command takes (they are not passed to the build function).
OUTPUT_KEYS = ("fmt", "latex_env", "standalone", "no_lhs", "timeout")


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # NaN slips through FloatRange's comparisons
        raise click.BadParameter("must be a number of seconds (0: no limit)")
    return value


def output_options() -> list[click.Parameter]:
    """``--format``, the LaTeX choices and ``--timeout``: shared by every command."""
    return [
        click.Option(
            ["--format", "-f", "fmt"],
            type=click.Choice(["pretty", "plain", "latex", "json"]),
            help="Output format. Default: pretty on a terminal, plain when piped.",
        ),
        click.Option(
            ["--latex-env"],
            type=click.Choice(["bmatrix", "pmatrix"]),
            default="bmatrix",
            show_default=True,
            help="LaTeX matrix environment.",
        ),
        click.Option(
            ["--standalone"], is_flag=True, help="With --format latex: a complete document."
        ),
        click.Option(
            ["--no-lhs", "no_lhs"],
            is_flag=True,
            help="With --format latex: the result alone, without its left-hand side "
            "(J_f(x, y) = ...).",
        ),
        click.Option(
            ["--timeout"],
            type=click.FloatRange(min=0, max=1e6),
            callback=_finite,
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="Give up (exit 4, nothing printed on stdout) when computing and rendering the "
            "result takes longer than this many seconds (0: no limit).",
        ),
    ]


def click_option(opt: Option) -> click.Option:
    """The Click option for one declared option."""
    decls = [opt.long, *opt.aliases, *([opt.short] if opt.short else []), opt.name]
    common: dict[str, Any] = {"help": opt.help, "metavar": opt.metavar}
    if opt.kind == "flag":
        return click.Option(decls, is_flag=True, default=bool(opt.default), help=opt.help)
    if opt.kind == "texts":
        return click.Option(decls, multiple=True, **common)
    if opt.kind == "int":
        return click.Option(
            decls, type=int, default=opt.default, show_default=opt.show_default, **common
        )
    if opt.kind == "choice":
        return click.Option(
            decls,
            type=click.Choice(list(opt.choices)),
            show_default=opt.show_default,
            required=opt.required,
            help=opt.help,
            **({"default": opt.default} if opt.default is not None else {}),
        )
    if opt.default is not None:  # Click 8.5: an explicit default=None skips `required`
        common.update(default=opt.default, show_default=opt.show_default)
    return click.Option(decls, required=opt.required, **common)


POINTS_HELP = (
    "Evaluate at every row of a CSV file (header: the variable names; - for stdin). "
    "Writes CSV (JSON Lines with --format json), one row per point with a status column."
)


_OPERATORS = "+-*/^="


def _refuse_split_expression(name: str, args: tuple[str, ...]) -> None:
    """``jacobi jac x^2 + y^2``: the shell split one expression at its spaces; say to quote it.

    Separate arguments are separate components, so a piece that starts or ends with an
    operator (``+``, ``*y``, ``x^``) cannot be one."""
    if len(args) < 2 or any(a.startswith(("-", "@")) for a in args):
        return
    pieces = [a.strip() for a in args]
    if not any(p and (p[0] in _OPERATORS or p[-1] in _OPERATORS) for p in pieces):
        return
    joined = " ".join(pieces)
    raise click.UsageError(
        f"the arguments {' '.join(repr(a) for a in args)} look like pieces of one expression "
        f'split by the shell: quote the expression, jacobi {name} "{joined}"'
    )


def click_command(command: Command) -> click.Command:
    """The Click command of a declaration."""
    params: list[click.Parameter] = [
        click.Argument(
            [command.inputs.name],
            nargs=-1 if command.inputs.many else 1,
            required=True,
            metavar=command.inputs.metavar,
        )
    ]
    params += [click_option(o) for o in command.options]
    if command.points is not None:
        params.append(click.Option(["--points"], metavar="FILE", help=POINTS_HELP))
    params += output_options()

    def callback(**values: Any) -> None:
        out = {k: values.pop(k) for k in OUTPUT_KEYS}
        raw = values.pop(command.inputs.name)
        if command.inputs.many:
            _refuse_split_expression(command.name, raw)
        texts = read_exprs(raw if command.inputs.many else [raw])
        points = values.pop("points", None)
        options = values
        if points is not None:
            run_points(command, texts, {**options, "points": points}, out)
            return
        run_command(command, texts if command.inputs.many else texts[0], options, out)

    cls = type(
        f"{command.name.capitalize()}Command",
        (ExpressionCommand,),
        {"list_options": {o.name: o.comma_list for o in command.options if o.comma_list}},
    )
    made: click.Command = cls(
        command.name,
        params=params,
        callback=callback,
        help=command.help,
        epilog=EXIT_HELP + examples_help(command.examples),
    )
    return made
