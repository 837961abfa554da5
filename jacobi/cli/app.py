"""The ``jacobi`` command line: Click commands only (options in, command call, render out).

Heavy modules (SymPy, Rich) are imported inside the commands, so ``jacobi --help``
and ``jacobi --version`` answer at once. Errors become one line on stderr and an
exit code here, and nowhere else.
"""

from __future__ import annotations

import io
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from jacobi.errors import (
    EXIT_CODES,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_LIMIT,
    JacobiError,
    LimitError,
)

if TYPE_CHECKING:
    from jacobi.model import Report

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

#: Exit code for a bug in jacobi itself (never for bad input).
DEFAULT_TIMEOUT = 60.0

EXIT_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {code}  {text}" for code, text in EXIT_CODES.items()
)


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # NaN slips through FloatRange's comparisons
        raise click.BadParameter("must be a number of seconds (0: no limit)")
    return value


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
    #: the value is almost surely a piece of it that the shell split off.
    list_options = {"at": "point", "vector": "vector", "params": "parameters"}

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
                positional.append(arg)
                last_list = None
                continue
            param, reads_next, glued = use
            options.append(arg)
            value = glued if not reads_next else (args[k] if k < len(args) else "")
            if reads_next and k < len(args):
                options.append(args[k])
                k += 1
            typed = arg.partition("=")[0] if arg.startswith("--") else arg[:2]
            last_list = (param, typed, value) if param in self.list_options else None
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


def function_options(f: F) -> F:
    """``--vars`` and ``--param``: which names are variables, and parameter values."""
    f = click.option(
        "--param",
        "-p",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="Substitute a parameter, e.g. --param a=2 (repeatable, or a=2,b=1/3).",
    )(f)
    f = click.option(
        "--vars",
        "-v",
        "variables",
        metavar="X,Y,...",
        help="Variables in column order; other names are parameters. "
        "Default: every name, in natural order (x2 before x10).",
    )(f)
    return f


def output_options(f: F) -> F:
    """``--format`` and its LaTeX choices, shared by every command."""
    f = click.option(
        "--timeout",
        type=click.FloatRange(min=0, max=1e6),
        callback=_finite,
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="Give up (exit 4, nothing printed on stdout) when computing and rendering the "
        "result takes longer than this many seconds (0: no limit).",
    )(f)
    f = click.option(
        "--standalone", is_flag=True, help="With --format latex: a complete document."
    )(f)
    f = click.option(
        "--latex-env",
        type=click.Choice(["bmatrix", "pmatrix"]),
        default="bmatrix",
        show_default=True,
        help="LaTeX matrix environment.",
    )(f)
    f = click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(["pretty", "plain", "latex", "json"]),
        help="Output format. Default: pretty on a terminal, plain when piped.",
    )(f)
    return f


def point_options(f: F) -> F:
    f = click.option(
        "--layout",
        type=click.Choice(["numerator", "denominator"]),
        default="numerator",
        show_default=True,
        help="numerator: m×n, row i is f_i; denominator: the n×m transpose.",
    )(f)
    f = click.option(
        "--at",
        "-a",
        metavar="POINT",
        help="Evaluate at a point, given as one argument: values in variable order "
        "(--at -1,2) or named (--at x=-1,y=2), not --at -1 2. Values are exact: 1/3, pi/4, "
        "sqrt(2).",
    )(f)
    return f


def points_option(f: F) -> F:
    """``--points FILE``: evaluate at every row of a CSV instead of one point."""
    return click.option(
        "--points",
        metavar="FILE",
        help="Evaluate at every row of a CSV file (header: the variable names; - for stdin). "
        "Writes CSV (JSON Lines with --format json), one row per point with a status column.",
    )(f)


def read_exprs(args: Sequence[str]) -> list[str]:
    """Expression arguments as texts: ``-`` reads stdin, ``@FILE`` reads a file."""
    from jacobi.commands.inputs import read_source

    if list(args).count("-") > 1:
        raise JacobiError("stdin ('-') can be read only once")
    return [read_source(a) for a in args]


def render_text(report: Report, fmt: str | None, latex_env: str, standalone: bool) -> str:
    """The whole output of ``report`` as one string (nothing is written yet)."""
    from jacobi.render import RenderOptions, render

    if standalone and fmt != "latex":
        raise JacobiError("--standalone needs --format latex")
    tty = sys.stdout.isatty()
    options = RenderOptions(
        format=fmt or ("pretty" if tty else "plain"),
        latex_env=latex_env,
        standalone=standalone,
        color=tty and "NO_COLOR" not in os.environ,
    )
    buffer = _Buffer(tty)
    render(report, options, buffer)
    return buffer.getvalue()


class _Buffer(io.StringIO):
    """Collects the rendered output; says it is a terminal when stdout is one."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def write_out(text: str) -> None:
    """Write the finished output in one piece."""
    sys.stdout.write(text)
    sys.stdout.flush()


@contextmanager
def time_limit(timeout: float | None) -> Iterator[None]:
    """The hard ``--timeout`` around computing *and* rendering (0 or None: no limit).

    When time is up the watchdog ends the process (exit 4) with one line on
    stderr; nothing is interrupted, so no exception can land in SymPy or any
    other library. Output is written only after the block, so it is never cut
    short. Deep recursion and exhausted memory become exit 4 too.
    """
    from jacobi.cli.watchdog import Watchdog

    with Watchdog(timeout if _OWNS_PROCESS else None):
        try:
            yield
        except RecursionError:
            raise LimitError("the expression is nested too deeply to process") from None
        except MemoryError:
            raise LimitError("the computation ran out of memory") from None


def run(timeout: float | None, work: Callable[[], R]) -> R:
    """Run ``work`` under the time limit (see :func:`time_limit`)."""
    with time_limit(timeout):
        return work()


def finish(
    timeout: float | None,
    work: Callable[[], Report],
    fmt: str | None,
    latex_env: str,
    standalone: bool,
) -> Report:
    """Compute the report and render it under one time limit, then print it whole."""
    if standalone and fmt != "latex":
        raise JacobiError("--standalone needs --format latex")
    with time_limit(timeout):
        report = work()
        text = render_text(report, fmt, latex_env, standalone)
    write_out(text)
    return report


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_HELP,
)
@click.version_option(None, "--version", "-V", package_name="jacobi-cli", prog_name="jacobi")
@click.option("--traceback", is_flag=True, help="Show Python tracebacks (for debugging).")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """Symbolic Jacobians: exact, readable, scriptable.

    \b
      jacobi jac "x+y, x*y" --at -1,2
      jacobi jac "r*cos(t), r*sin(t)" --format latex
      jacobi jac @system.txt --format json
      jacobi mjac "x^T B x" --vector x:3 --matrix B:3x3

    Expressions use ^ or ** for powers, implicit products (2x, x y), and the usual
    functions (sin, exp, log, sqrt, abs, atan2, sigmoid, ...). Nothing you type is
    ever evaluated as Python.
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback


@cli.command(cls=ExpressionCommand, epilog=EXIT_HELP)
@click.argument("exprs", nargs=-1, required=True, metavar="EXPRS...")
@function_options
@point_options
@points_option
@click.option(
    "--inverse",
    is_flag=True,
    help="Show J⁻¹ instead: the Jacobian of the local inverse (square J, det J ≠ 0).",
)
@output_options
def jac(
    exprs: tuple[str, ...],
    variables: str | None,
    params: tuple[str, ...],
    at: str | None,
    layout: str,
    points: str | None,
    inverse: bool,
    fmt: str | None,
    latex_env: str,
    standalone: bool,
    timeout: float,
) -> None:
    """The Jacobian matrix of a vector function (entry i,j = ∂f_i/∂x_j).

    EXPRS are the components, separated by commas or newlines ("x+y, x*y");
    several arguments add components. "-" reads stdin, "@FILE" reads a file.
    An expression may start with a minus sign, as typed in a textbook
    ("-2*x1 + x2, x1 + x2"); a lone dashed name such as -q is taken for an
    option (write (-q)).
    """
    from jacobi.commands import calculus as commands

    texts = read_exprs(exprs)
    if points is not None:
        if inverse:
            raise JacobiError("--points and --inverse cannot be combined")
        write_points(texts, points, variables, params, at, layout, fmt, timeout)
        return
    command = commands.jac_inverse if inverse else commands.jac
    finish(
        timeout,
        lambda: command(texts, variables=variables, params=params, at=at, layout=layout),
        fmt,
        latex_env,
        standalone,
    )


def write_points(
    texts: list[str],
    points: str,
    variables: str | None,
    params: tuple[str, ...],
    at: str | None,
    layout: str,
    fmt: str | None,
    timeout: float,
    *,
    det: bool = False,
    volume: bool = False,
) -> None:
    """The ``--points`` branch: the Jacobian (or det J) at every CSV row, as CSV or JSON Lines."""
    from jacobi.numeric.points import det_points, jac_points, read_points_source

    if at is not None:
        raise JacobiError("--points and --at cannot be combined", hint="give one or the other")
    if fmt == "latex":
        raise JacobiError("--points writes CSV or JSON Lines", hint="use --format plain or json")
    if points == "-" and "-" in texts:
        raise JacobiError("stdin ('-') can be read only once", hint="put the points in a file")
    text = read_points_source(points)
    buffer = io.StringIO()
    with time_limit(timeout):
        if det:
            job = det_points(texts, text, variables=variables, params=params, volume=volume)
        else:
            job = jac_points(texts, text, variables=variables, params=params, layout=layout)
        job.write(buffer, "json" if fmt == "json" else "csv")
    write_out(buffer.getvalue())


@cli.command(cls=ExpressionCommand, epilog=EXIT_HELP)
@click.argument("exprs", nargs=-1, required=True, metavar="EXPRS...")
@function_options
@click.option(
    "--against",
    metavar="MATRIX",
    help='The claimed Jacobian, e.g. "[[1, 1], [y, x]]" (a gradient may be one row). '
    "Without it: finite differences against the symbolic Jacobian.",
)
@point_options
@click.option(
    "--samples",
    type=int,
    default=5,
    show_default=True,
    help="Random points to compare at (without --at).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the random points.")
@output_options
def check(
    exprs: tuple[str, ...],
    variables: str | None,
    params: tuple[str, ...],
    against: str | None,
    at: str | None,
    layout: str,
    samples: int,
    seed: int,
    fmt: str | None,
    latex_env: str,
    standalone: bool,
    timeout: float,
) -> None:
    """Is this Jacobian right? Exit 0 if it is, 1 if it is not.

    \b
    With --against MATRIX: compare a claimed Jacobian entry by entry,
    symbolically and at random points (so sech(x)^2 passes for 1 - tanh(x)^2),
    naming every wrong entry and its correct value.
    \b
    Without --against: the gradient check of MML §5.2: central finite
    differences against the symbolic Jacobian at --at or at --samples random
    points, relative error sqrt(Σ(dh−df)²/Σ(dh+df)²) < 1e-6 at each point, step
    h = cbrt(eps)·max(1, |x|). Exit 1 if they disagree somewhere; exit 3 if
    the function has no derivative at the --at point.
    """
    from jacobi.commands import calculus as commands
    from jacobi.errors import CheckFailed

    texts = read_exprs(exprs)
    report = finish(
        timeout,
        lambda: commands.COMMANDS["check"](
            texts,
            variables=variables,
            params=params,
            against=against,
            at=at,
            layout=layout,
            samples=samples,
            seed=seed,
        ),
        fmt,
        latex_env,
        standalone,
    )
    if report.data.get("verdict") != "right":
        raise CheckFailed(f"check {report.data.get('summary', 'failed')}")


BATCH_HELP = """\b
Case keys (JSON Lines: one object per line; TOML: [[case]] tables):
  id        a name for the row (default: case N)
  command   jac, check, ... any jacobi command (default: jac)
  exprs     the components: "x+y, x*y" or a list of strings (required)
  vars      variable order: "x,y" or ["x", "y"]
  params    "a=2,b=1/3", a list of such, or a table {a = 2}
  at        "-1,2", [-1, 2] or {x = -1, y = "1/3"}
  options   the command's other options: {layout = "denominator"}
  expect    a matrix as text (the expected result), or a table:
            result = "...", value = "..." (at the point),
            numeric = [[...]] with tol = 1e-9, exit_code = 3

\b
Exit codes:
  0  every case passed
  1  some case failed or gave an error
  2  the file cannot be read (a line that is not JSON, bad TOML, no cases)
  4  the file is too large (or its JSON/TOML is nested too deeply)
"""


@cli.command(epilog=BATCH_HELP)
@click.argument("file", metavar="FILE")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["pretty", "plain", "json"]),
    help="pretty/plain: a table of pass/fail/error per case; json: JSON Lines, one "
    "object per case. Default: pretty on a terminal, plain when piped.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write the results to FILE (via FILE.partial, renamed when the run ends).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Cases run in parallel worker processes.",
)
@click.option(
    "--case-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Time limit for each case; a case that overruns gets an error row (exit 4).",
)
@click.option(
    "--input-format",
    type=click.Choice(["jsonl", "toml"]),
    help="The file's format. Default: from the extension (.jsonl, .json, .toml) or the content.",
)
def batch(
    file: str,
    fmt: str | None,
    output: str | None,
    jobs: int,
    case_timeout: float,
    input_format: str | None,
) -> None:
    """Run the cases of FILE (JSON Lines or TOML; - for stdin), each in isolation.

    Every case runs in a worker process under --case-timeout: a malformed,
    hostile or slow case gives one error row with the message and exit code the
    single command would give, and the others still run. Results stream as
    cases finish, so a killed run keeps every row already written.
    """
    from jacobi.batch import runner
    from jacobi.errors import CheckFailed

    cases = runner.load_cases(file, fmt=input_format)
    import jacobi.commands.calculus  # noqa: F401  (loaded once here, so forked workers start warm)

    fmt = fmt or ("pretty" if sys.stdout.isatty() else "plain")
    sink = runner.PartialFile(output) if output else None
    out: Any = sink if sink is not None else sys.stdout
    table = runner.PlainTable(cases, out) if fmt == "plain" or (sink and fmt == "pretty") else None
    totals = runner.Totals()
    rows: list[dict[str, Any]] = []
    progress = _batch_progress(len(cases))
    if table is not None:
        table.head()
    try:
        for _case, row in runner.Runner(jobs=jobs, timeout=case_timeout).run(cases):
            totals.add(row["status"])
            if fmt == "json":
                out.write(runner.json_line(row))
                out.flush()
            elif table is not None:
                table.row(row)
            else:
                rows.append(row)
            if progress is not None:
                progress.advance(0)
                progress.refresh()
    finally:
        if progress is not None:
            progress.stop()
    if table is not None:
        table.end(totals)
    elif fmt == "pretty" and sink is None:
        _batch_pretty(rows, totals)
    if sink is not None:
        sink.commit()
        if table is None:
            click.echo(totals.text())
        else:
            click.echo(totals.text())
    bad = totals.failed + totals.errors
    if bad:
        raise CheckFailed(
            f"{bad} of {totals.total} case{'s' if totals.total != 1 else ''} did not pass "
            f"({totals.failed} failed, {totals.errors} with errors)"
        )


def _batch_progress(count: int) -> Any:
    """A Rich progress bar on stderr for long runs on a terminal (refreshed per case: no thread)."""
    if count < 5 or not sys.stderr.isatty() or os.environ.get("JACOBI_NO_PROGRESS"):
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(
        "[bold]cases",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    )
    progress.add_task("cases", total=count)
    progress.start()
    return progress


def _batch_pretty(rows: list[dict[str, Any]], totals: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from jacobi.batch.runner import STATUS_WORD, row_message

    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    console = Console(highlight=False, force_terminal=color, no_color=not color)
    styles = {"pass": "bold green", "fail": "bold red", "error": "bold yellow"}
    table = Table(show_edge=False, pad_edge=False)
    for name in ("#", "id", "command", "status", "message"):
        table.add_column(name, overflow="fold")
    for row in sorted(rows, key=lambda r: r["case"]):
        status = str(row["status"])
        # Text, not markup: messages hold brackets such as [[1, 1], [y, x]].
        table.add_row(
            Text(str(row["case"])),
            Text(str(row["id"])),
            Text(str(row.get("command", "?"))),
            Text(STATUS_WORD.get(status, status), style=styles.get(status, "")),
            Text(row_message(row)),
        )
    console.print(table)
    console.print(Text(totals.text()))


@cli.command(cls=ExpressionCommand, epilog=EXIT_HELP)
@click.argument("expression", metavar="EXPR")
@click.option(
    "--vector",
    "vectors",
    multiple=True,
    metavar="NAME:N",
    help="Declare a column vector, e.g. x:3 (components x1, x2, x3). Repeatable, or x:3,y:2.",
)
@click.option(
    "--matrix",
    "matrices",
    multiple=True,
    metavar="NAME:MxN",
    help="Declare a matrix, e.g. W:2x3 (components W11 … W23; W_1_1 … once a size is 10 "
    "or more). Repeatable, or W:2x3,A:3x3.",
)
@click.option(
    "--symmetric",
    multiple=True,
    metavar="NAME:N",
    help="Declare a symmetric N×N matrix, e.g. S:3 (S21 is S12).",
)
@click.option(
    "--wrt",
    metavar="NAME",
    help="Differentiate with respect to this vector or matrix. "
    "Default: the only declared vector (or the only matrix if there is no vector).",
)
@click.option(
    "--layout",
    type=click.Choice(["numerator", "denominator"]),
    default="numerator",
    show_default=True,
    help="numerator: rows follow the function (the seeds' layout); denominator: the transpose.",
)
@output_options
def mjac(
    expression: str,
    vectors: tuple[str, ...],
    matrices: tuple[str, ...],
    symmetric: tuple[str, ...],
    wrt: str | None,
    layout: str,
    fmt: str | None,
    latex_env: str,
    standalone: bool,
    timeout: float,
) -> None:
    """Derivatives of vector and matrix expressions, in components and compact form.

    \b
      jacobi mjac "W x" --vector x:3 --matrix W:2x3
      jacobi mjac "x^T B x" --vector x:3 --matrix B:3x3
      jacobi mjac "K = R^T R" --matrix R:3x2 --wrt R

    EXPR uses the declared symbols: products W x (or W*x, W@x), transposes x^T (x',
    transpose(x)), norm(x)^2 or ||x||^2, x .* c, sin(x) entrywise, tr, det, inv or X^-1.
    Other names are real scalars. The compact form is shown only after it has been
    expanded and checked against the components.
    """
    from jacobi.commands import calculus as commands

    (text,) = read_exprs([expression])
    finish(
        timeout,
        lambda: commands.mjac(
            text,
            vectors=vectors,
            matrices=matrices,
            symmetric=symmetric,
            wrt=wrt,
            layout=layout,
        ),
        fmt,
        latex_env,
        standalone,
    )


def _report_error(lines: list[str]) -> None:
    click.echo("jacobi: error: " + lines[0], err=True)
    for line in lines[1:]:
        click.echo(line, err=True)


#: Whether this run owns its process (the ``jacobi`` command, ``python -m jacobi``): only
#: then may ``--timeout`` end it. ``main([...])`` called from Python (a notebook, the
#: tests) runs without the watchdog, which would end the caller's whole process.
_OWNS_PROCESS = False


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the CLI and turn every failure into a documented exit code.

    With ``argv`` given (a call from Python), ``--timeout`` is not enforced: the hard
    limit ends the whole process, so only the ``jacobi`` command itself applies it.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    show_tb = "--traceback" in args or os.environ.get("JACOBI_TRACEBACK") == "1"
    try:
        cli.main(args=args, prog_name="jacobi", standalone_mode=False)
    except JacobiError as exc:
        if show_tb:
            traceback.print_exc()
        _report_error(exc.lines())
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("jacobi: interrupted", err=True)
        return 130
    except click.UsageError as exc:
        where = f" (see 'jacobi {exc.ctx.info_name} --help')" if exc.ctx else ""
        if exc.ctx and exc.ctx.info_name == "jacobi":
            where = " (see 'jacobi --help')"
        if exc.ctx and exc.ctx.info_name == "jac" and {"--vector", "--matrix"} & set(args):
            where = " (vectors and matrices belong to 'jacobi mjac': see 'jacobi mjac --help')"
        if isinstance(exc, click.NoSuchOption) and _DASHED_NAME.fullmatch(exc.option_name):
            where = (
                f" (to give the expression {exc.option_name}, write '({exc.option_name})' or "
                f"put '--' before it; see 'jacobi {exc.ctx.info_name if exc.ctx else ''} --help')"
            )
        _report_error([exc.format_message() + where])
        return EXIT_INPUT
    except click.ClickException as exc:
        _report_error([exc.format_message()])
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("jacobi: interrupted", err=True)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        sys.stderr.close()
        return 0
    except RecursionError:
        _report_error(["the input is nested too deeply to process"])
        return EXIT_LIMIT
    except Exception as exc:  # a bug in jacobi: say so, briefly
        if show_tb:
            traceback.print_exc()
        _report_error(
            [
                f"internal error: {type(exc).__name__}: {exc} "
                "(this is a bug in jacobi; rerun with --traceback and report it)"
            ]
        )
        return EXIT_INTERNAL
    return 0


def entry() -> None:
    global _OWNS_PROCESS
    _OWNS_PROCESS = True
    sys.exit(main())


# --------------------------------------------------------------------------- calculus commands


@cli.command(cls=ExpressionCommand, epilog=EXIT_HELP)
@click.argument("exprs", nargs=-1, required=True, metavar="EXPRS...")
@function_options
@point_options
@click.option(
    "--volume",
    is_flag=True,
    help="The volume element sqrt(det(JᵀJ)) instead, for m ≥ n (e.g. the area element "
    "of a parametrised surface); |det J| when square.",
)
@click.option("--singular", is_flag=True, help="Also solve det J = 0: where f is not invertible.")
@points_option
@output_options
def det(
    exprs: tuple[str, ...],
    variables: str | None,
    params: tuple[str, ...],
    at: str | None,
    layout: str,
    volume: bool,
    singular: bool,
    points: str | None,
    fmt: str | None,
    latex_env: str,
    standalone: bool,
    timeout: float,
) -> None:
    """The Jacobian determinant det J: local volume scale and orientation.

    With --at: the exact value, |det J| (how much areas/volumes are multiplied
    near the point) and the orientation (preserved, reversed or collapsed).
    J must be square; --volume handles parametrised curves and surfaces.
    """
    from jacobi.commands import calculus as commands

    texts = read_exprs(exprs)
    if points is not None:
        if singular:
            raise JacobiError("--points and --singular cannot be combined")
        write_points(
            texts, points, variables, params, at, layout, fmt, timeout, det=True, volume=volume
        )
        return
    finish(
        timeout,
        lambda: commands.det(
            texts,
            variables=variables,
            params=params,
            at=at,
            layout=layout,
            volume=volume,
            singular=singular,
        ),
        fmt,
        latex_env,
        standalone,
    )


@cli.command(cls=ExpressionCommand, epilog=EXIT_HELP)
@click.argument("layers", nargs=-1, required=True, metavar="OUTER ... INNER")
@click.option(
    "--outer-vars",
    "--layer-vars",
    "layer_vars",
    multiple=True,
    metavar="U,V,...",
    help="Variables of an outer function, in order; repeat once per outer function, "
    "outermost first. Default: its names in natural order.",
)
@function_options
@point_options
@output_options
def chain(
    layers: tuple[str, ...],
    layer_vars: tuple[str, ...],
    variables: str | None,
    params: tuple[str, ...],
    at: str | None,
    layout: str,
    fmt: str | None,
    latex_env: str,
    standalone: bool,
    timeout: float,
) -> None:
    """The chain rule: J of g∘h as J_g(h(x)) · J_h(x), checked against J of g∘h.

    Give the functions outermost first, as they are written in g(h(x)) or
    f3(f2(f1(x))); each argument is one function (comma-separated components).
    --vars names the innermost function's variables (those of the composition),
    --outer-vars the variables of each outer function. With three or more
    functions it also counts the scalar multiplications of forward (right to
    left) and reverse (left to right) accumulation and finds the cheapest order.
    """
    from jacobi.commands import calculus as commands

    texts = read_exprs(layers)
    finish(
        timeout,
        lambda: commands.chain(
            texts,
            variables=variables,
            layer_vars=layer_vars,
            params=params,
            at=at,
            layout=layout,
        ),
        fmt,
        latex_env,
        standalone,
    )


def _scalar_command(name: str, summary: str, doc: str) -> None:
    """Register ``jacobi NAME EXPRS`` for a command that takes just the shared options."""

    @click.argument("exprs", nargs=-1, required=True, metavar="EXPRS...")
    @function_options
    @point_options
    @output_options
    def command(
        exprs: tuple[str, ...],
        variables: str | None,
        params: tuple[str, ...],
        at: str | None,
        layout: str,
        fmt: str | None,
        latex_env: str,
        standalone: bool,
        timeout: float,
    ) -> None:
        from jacobi.commands import calculus as commands

        texts = read_exprs(exprs)
        work = commands.COMMANDS[name]
        finish(
            timeout,
            lambda: work(texts, variables=variables, params=params, at=at, layout=layout),
            fmt,
            latex_env,
            standalone,
        )

    command.__doc__ = f"{summary}\n\n{doc}"
    cli.command(name, cls=ExpressionCommand, epilog=EXIT_HELP)(command)


_scalar_command(
    "grad",
    "The gradient of a scalar function: the row ∇fᵀ (a column with --layout denominator).",
    "EXPR is one expression; for a vector function use 'jacobi jac'.",
)
_scalar_command(
    "hessian",
    "The Hessian of a scalar function: the n×n matrix of second derivatives ∂²f/∂x_i∂x_j.",
    "EXPR is one expression; the matrix is symmetric wherever f is smooth.",
)
_scalar_command(
    "linearize",
    "The linearisation f(x0) + J(x0)(x − x0) at the point --at, as expressions in x.",
    "The best affine approximation of f near x0 (the tangent plane for a scalar f).",
)


def _product_command(name: str, summary: str, doc: str, length: str) -> None:
    """Register ``jacobi jvp|vjp EXPRS --vector V``."""

    @click.argument("exprs", nargs=-1, required=True, metavar="EXPRS...")
    @click.option(
        "--vector",
        required=True,
        metavar="V1,V2,...",
        help=f"The vector, comma-separated ({length}); exact values or symbols (dx, dy).",
    )
    @function_options
    @point_options
    @output_options
    def command(
        exprs: tuple[str, ...],
        vector: str,
        variables: str | None,
        params: tuple[str, ...],
        at: str | None,
        layout: str,
        fmt: str | None,
        latex_env: str,
        standalone: bool,
        timeout: float,
    ) -> None:
        from jacobi.commands import calculus as commands

        texts = read_exprs(exprs)
        work = commands.COMMANDS[name]
        finish(
            timeout,
            lambda: work(
                texts, vector=vector, variables=variables, params=params, at=at, layout=layout
            ),
            fmt,
            latex_env,
            standalone,
        )

    command.__doc__ = f"{summary}\n\n{doc}"
    cli.command(name, cls=ExpressionCommand, epilog=EXIT_HELP)(command)


_product_command(
    "jvp",
    "The Jacobian-vector product J v: how f changes along the direction v.",
    "Forward-mode differentiation in one step: J v without forming more than needed.",
    "one entry per variable",
)
_product_command(
    "vjp",
    "The vector-Jacobian product wᵀ J: one step of reverse mode (backpropagation).",
    "w weights the components of f; the result is a row with one entry per variable.",
    "one entry per component",
)
