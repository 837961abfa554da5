"""The ``jacobi`` group: commands made from their declarations, loaded lazily, and
:func:`main`, the one place where errors become exit statuses.

``jacobi --help`` reads only the declarations (no SymPy, no Rich).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from jacobi.cli.arguments import _DASHED_NAME
from jacobi.cli.build import EXIT_HELP
from jacobi.errors import EXIT_CHECK_FAILED, EXIT_INPUT, classify


class LazyGroup(click.Group):
    """A group whose commands are built on first use (Click's "LazyGroup" recipe):
    the declared commands from :data:`jacobi.commands.registry.COMMANDS`, and ``batch``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from jacobi.commands.registry import COMMANDS

        return [*COMMANDS, "batch"]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        from jacobi.commands.registry import COMMANDS

        made: click.Command
        if cmd_name == "batch":
            from jacobi.cli.batch import batch

            made = batch
        elif cmd_name in COMMANDS:
            from jacobi.cli.build import click_command

            made = click_command(COMMANDS[cmd_name])
        else:
            return None
        self.commands[cmd_name] = made
        return made


@click.group(
    cls=LazyGroup,
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


def _report_error(lines: Sequence[str], args: Sequence[str] = (), failure: Any = None) -> None:
    """One line on stderr (plus the caret lines); with ``--format json``, the error object
    on stdout too (:func:`jacobi.render.json.error_object`), so that ``jq`` sees it."""
    click.echo("jacobi: error: " + lines[0], err=True)
    for line in lines[1:]:
        click.echo(line, err=True)
    if _wants_json(args) and (failure is None or failure.exit_code != EXIT_CHECK_FAILED):
        # (a failed check has printed its report, with "passed": false, already)
        from jacobi.errors import Failure
        from jacobi.render.json import dumps, error_object

        if failure is None:
            failure = Failure(EXIT_INPUT, "input", tuple(lines))
        click.echo(dumps(error_object(_command_name(args), failure)), nl=False)


def _wants_json(args: Sequence[str]) -> bool:
    """Whether the command line asks for ``--format json`` (read before Click parses it)."""
    for k, arg in enumerate(args):
        if arg == "--":
            return False
        if arg in ("-f", "--format") and k + 1 < len(args) and args[k + 1] == "json":
            return True
        if arg in ("--format=json", "-fjson"):
            return True
    return False


def _command_name(args: Sequence[str]) -> str | None:
    from jacobi.commands.registry import COMMANDS

    return next((a for a in args if a in COMMANDS), None)


def _usage_hint(exc: click.UsageError, args: Sequence[str]) -> str:
    """Where to look after a usage error: the command's help, or the right command."""
    name = exc.ctx.info_name if exc.ctx else None
    where = f" (see 'jacobi {name} --help')" if exc.ctx else ""
    if name == "jacobi":
        where = " (see 'jacobi --help')"
    if name == "jac" and {"--vector", "--matrix"} & set(args):
        where = " (vectors and matrices belong to 'jacobi mjac': see 'jacobi mjac --help')"
    if isinstance(exc, click.NoSuchOption) and _DASHED_NAME.fullmatch(exc.option_name):
        where = (
            f" (to give the expression {exc.option_name}, write '({exc.option_name})' or "
            f"put '--' before it; see 'jacobi {name or ''} --help')"
        )
    return where


def main(argv: Sequence[str] | None = None, *, owns_process: bool = False) -> int:
    """Run the CLI and turn every failure into a documented exit code (see
    :func:`jacobi.errors.classify`).

    ``owns_process`` is set only by the ``jacobi`` command itself: then ``--timeout``
    may end the process. Called from Python, nothing outlives the call.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    show_tb = "--traceback" in args or os.environ.get("JACOBI_TRACEBACK") == "1"
    try:
        cli.main(
            args=args,
            prog_name="jacobi",
            standalone_mode=False,
            obj={"owns_process": owns_process},
        )
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("jacobi: interrupted", err=True)
        return 130
    except click.UsageError as exc:
        _report_error([exc.format_message() + _usage_hint(exc, args)], args)
        return EXIT_INPUT
    except click.ClickException as exc:
        _report_error([exc.format_message()], args)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        click.echo("jacobi: interrupted", err=True)
        return 130
    except Exception as exc:  # every other failure: one line and its exit status
        failure = classify(exc)
        if show_tb and (failure.internal or failure.error is not None):
            traceback.print_exc()
        _report_error(failure.lines, args, failure)
        return failure.exit_code
    return 0


def entry() -> None:
    """The ``jacobi`` console script (and ``python -m jacobi``)."""
    sys.exit(main(owns_process=True))
