"""Running one command: read its inputs, compute and render under the time limit, then write.

Output is rendered whole before anything is written, so a result is printed
entirely or not at all (the hard ``--timeout`` ends the process in between).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

import click

from jacobi.errors import CheckFailed, InputError

if TYPE_CHECKING:
    from jacobi.commands.spec import Command
    from jacobi.model import Report

#: The default of ``--timeout``, in seconds.
DEFAULT_TIMEOUT = 60.0


def read_exprs(args: Sequence[str]) -> list[str]:
    """Expression arguments as texts: ``-`` reads stdin, ``@FILE`` reads a file."""
    from jacobi.commands.inputs import read_source

    if list(args).count("-") > 1:
        raise InputError("stdin ('-') can be read only once")
    return [read_source(a) for a in args]


def owns_process() -> bool:
    """Whether this run may end its process (the ``jacobi`` command, not ``main([...])``)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return bool(isinstance(obj, dict) and obj.get("owns_process"))


@contextmanager
def time_limit(timeout: float | None) -> Iterator[None]:
    """The hard ``--timeout`` around computing *and* rendering (0 or None: no limit).

    When time is up the watchdog ends the process (exit 4) with one line on
    stderr; nothing is interrupted, so no exception can land in SymPy or any
    other library. It is armed only when jacobi owns the process: called from
    Python (``main([...])``, a notebook, the tests) nothing is ever ended.
    """
    from jacobi.cli.watchdog import Watchdog

    with Watchdog(timeout if owns_process() else None):
        yield


def progress_on_terminal() -> AbstractContextManager[None]:
    """The progress line on stderr (:mod:`jacobi.cli.progress`) where it can be seen: jacobi
    owns the process and stderr is a terminal, unless ``JACOBI_NO_PROGRESS`` is set (as
    for ``jacobi batch``). Elsewhere nothing (not even Rich's import)."""
    if not (owns_process() and sys.stderr.isatty()) or os.environ.get("JACOBI_NO_PROGRESS"):
        return nullcontext()
    from jacobi.cli.progress import on_terminal

    return on_terminal()


class _Buffer(io.StringIO):
    """Collects the rendered output; says it is a terminal when stdout is one."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def render_text(
    report: Report, fmt: str | None, latex_env: str, standalone: bool, lhs: bool = True
) -> str:
    """The whole output of ``report`` as one string (nothing is written yet)."""
    from jacobi.render import RenderOptions, render

    tty = sys.stdout.isatty()
    options = RenderOptions(
        format=fmt or ("pretty" if tty else "plain"),
        latex_env=latex_env,
        standalone=standalone,
        lhs=lhs,
        color=tty and "NO_COLOR" not in os.environ,
    )
    buffer = _Buffer(tty)
    render(report, options, buffer)
    return buffer.getvalue()


def write_out(text: str) -> None:
    """Write the finished output in one piece."""
    sys.stdout.write(text)
    sys.stdout.flush()


def run_command(
    command: Command, inputs: Any, options: Mapping[str, Any], out: Mapping[str, Any]
) -> None:
    """Compute ``command`` and render it under one time limit, print it whole, then say
    whether a check failed (exit 1)."""
    if out["standalone"] and out["fmt"] != "latex":
        raise InputError("--standalone needs --format latex")
    if out["no_lhs"] and out["fmt"] != "latex":
        raise InputError("--no-lhs needs --format latex")
    if out["fmt"] == "latex" and not command.latex:
        raise InputError(
            f"{command.name} writes source code, not LaTeX",
            hint="use --format plain or json",
        )
    from jacobi import progress

    with time_limit(out["timeout"]), progress_on_terminal():
        report = command.run(inputs, options)
        progress.stage("printing")
        text = render_text(
            report, out["fmt"], out["latex_env"], out["standalone"], not out["no_lhs"]
        )
    write_out(text)
    if report.passed is False:
        summary = report.data.get("summary", "failed")
        raise CheckFailed(f"{command.name} {summary}")


def run_points(
    command: Command, texts: list[str], options: Mapping[str, Any], out: Mapping[str, Any]
) -> None:
    """The ``--points`` branch: the command at every CSV row, as CSV or JSON Lines."""
    import importlib

    from jacobi.numeric.points import read_points_source

    assert command.points is not None
    points = options["points"]
    if options.get("at") is not None:
        raise InputError("--points and --at cannot be combined", hint="give one or the other")
    for opt in command.options:
        if opt.kind == "flag" and options.get(opt.name) and opt.name not in command.points.passes:
            raise InputError(f"--points and {opt.long} cannot be combined")
    if options.get("entry") is not None:
        raise InputError(
            "--points and --entry cannot be combined", hint="--entry goes with --steps"
        )
    if out["fmt"] == "latex":
        raise InputError("--points writes CSV or JSON Lines", hint="use --format plain or json")
    if points == "-" and "-" in texts:
        raise InputError("stdin ('-') can be read only once", hint="put the points in a file")
    text = read_points_source(points)
    module, _, attr = command.points.job.partition(":")
    job_of = getattr(importlib.import_module(module), attr)
    passes = {k: options[k] for k in command.points.passes if k in options}
    buffer = io.StringIO()
    from jacobi.math.seeded import reproducible

    with time_limit(out["timeout"]), reproducible():
        job = job_of(
            texts,
            text,
            variables=options.get("variables"),
            params=options.get("params", ()),
            **passes,
        )
        job.write(buffer, "json" if out["fmt"] == "json" else "csv")
    write_out(buffer.getvalue())
