"""``jacobi batch FILE``: the Click command over :mod:`jacobi.batch` (tables, progress, exit)."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from jacobi.cli.build import examples_help

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
            numeric = [[...]] with tol = 1e-9, exit_code = 3;
            a list of matrices for a vector function's Hessian

\b
Exit codes:
  0  every case passed
  1  some case failed or gave an error
  2  the file cannot be read (a line that is not JSON, bad TOML, no cases)
  4  the file is too large (or its JSON/TOML is nested too deeply)
"""

#: The end of ``jacobi batch --help``, run by the tests like every command's examples.
BATCH_EXAMPLES = (
    "jacobi batch samples/seeds.jsonl",
    "jacobi batch samples/seeds.jsonl --format json --jobs 2",
)


@click.command(epilog=BATCH_HELP + examples_help(BATCH_EXAMPLES))
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
    single command would give, and the others still run. Rows are written in the
    file's order as soon as every earlier case is done: the output is the same with
    any --jobs, and a killed run keeps every row already written.
    """
    from jacobi import batch as runner
    from jacobi.errors import CheckFailed

    cases = runner.load_cases(file, fmt=input_format)

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

    from jacobi.batch import STATUS_WORD, row_message

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
