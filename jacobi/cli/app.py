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

#: Words users type for a command, and the command they mean (``jacobi jacobian``).
ALIASES = {
    "jacobian": "jac",
    "jacobian-matrix": "jac",
    "determinant": "det",
    "jacobian-det": "det",
    "jacdet": "det",
    "gradient": "grad",
    "hess": "hessian",
    "linearise": "linearize",
    "linearization": "linearize",
    "linearisation": "linearize",
    "divergence": "div",
    "rot": "curl",
    "laplace": "laplacian",
    "matrix": "mjac",
    "verify": "check",
}

#: Shells ``jacobi completion SHELL`` writes a script for (Click's own completion classes).
SHELLS = ("bash", "zsh", "fish")

BARE_FOOTER = (
    "Run 'jacobi COMMAND --help' for a command's options and examples, "
    "'jacobi --help' for everything."
)


def suggestion(name: str, known: Sequence[str]) -> str | None:
    """The command ``name`` probably meant: a known alias, else the closest name.

    >>> suggestion("jacobian", ["jac", "det"]), suggestion("dte", ["jac", "det"])
    ('jac', 'det')
    """
    import difflib

    lowered = name.lower()
    if lowered in ALIASES:
        return ALIASES[lowered]
    close = difflib.get_close_matches(lowered, known, n=1, cutoff=0.6)
    return close[0] if close else None


class LazyGroup(click.Group):
    """A group whose commands are built on first use (Click's "LazyGroup" recipe):
    the declared commands from :data:`jacobi.commands.registry.COMMANDS`, ``batch``
    and ``completion``, listed in the registry's order (the order a user meets them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from jacobi.commands.registry import COMMANDS

        return [*COMMANDS, "batch", "completion"]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Bare ``jacobi``: the short usage and the command list on stdout, exit 0
        # (asking what there is is not an error; Click 8.1 and pip do the same).
        if not args:
            click.echo(ctx.get_usage() + "\n")
            click.echo((self.help or "").split("\n")[0] + "\n")
            formatter = ctx.make_formatter()
            self.format_commands(ctx, formatter)
            click.echo(formatter.getvalue())
            click.echo(BARE_FOOTER)
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command with its whole one-liner (Click cuts them at 45 characters)."""
        from jacobi.commands.registry import COMMANDS

        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                rows.append((name, COMMANDS[name].summary))
                continue
            command = self.get_command(ctx, name)
            if command is not None:
                rows.append((name, command.get_short_help_str(limit=1000)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            meant = suggestion(name, self.list_commands(ctx))
            hint = f" Did you mean '{meant}'?" if meant else ""
            ctx.fail(f"No such command '{name}'.{hint}")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        from jacobi.commands.registry import COMMANDS

        made: click.Command
        if cmd_name == "batch":
            from jacobi.cli.batch import batch

            made = batch
        elif cmd_name == "completion":
            made = completion
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


@click.command(
    "completion",
    help="The shell completion script for SHELL (bash, zsh or fish), to source at start-up.",
    epilog="\b\nExamples:\n"
    '  eval "$(jacobi completion bash)"          # in ~/.bashrc\n'
    '  eval "$(jacobi completion zsh)"           # in ~/.zshrc\n'
    "  jacobi completion fish > ~/.config/fish/completions/jacobi.fish",
)
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print Click's completion script: the same as ``_JACOBI_COMPLETE=SHELL_source jacobi``."""
    from click.shell_completion import get_completion_class

    made = get_completion_class(shell)
    assert made is not None
    click.echo(made(cli, {}, "jacobi", "_JACOBI_COMPLETE").source())


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


def _usage_line(exc: click.UsageError, args: Sequence[str]) -> str:
    """The usage error's message and its hint; where the hint names the right command,
    without Click's guess at a similar option (``jac --vector``: not ``--entry``)."""
    hint = _usage_hint(exc, args)
    if isinstance(exc, click.NoSuchOption) and "belong to 'jacobi mjac'" in hint:
        exc = click.NoSuchOption(exc.option_name, ctx=exc.ctx)
    message = exc.format_message()
    if isinstance(exc, click.MissingParameter):  # Click lists a choice's values on lines
        message = " ".join(message.split())
    return message + hint


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
        _report_error([_usage_line(exc, args)], args)
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
