"""The command declarations are the one source: CLI, batch, Python and docs agree with them."""

from __future__ import annotations

import inspect
import shlex
import subprocess
import sys

import click
import pytest

from conftest import ROOT, run_cli
from jacobi.batch import run_case
from jacobi.cli.app import cli
from jacobi.commands import api
from jacobi.commands.registry import COMMANDS
from jacobi.errors import InputError

README = (ROOT / "README.md").read_text(encoding="utf-8")
NAMES = sorted(COMMANDS)


@pytest.mark.parametrize("name", NAMES)
def test_click_options_are_the_declared_ones(name: str) -> None:
    command = COMMANDS[name]
    made = cli.get_command(click.Context(cli), name)
    assert made is not None
    given = {p.name for p in made.params}
    declared = {o.name for o in command.options} | {command.inputs.name}
    output = {"fmt", "latex_env", "standalone", "no_lhs", "timeout"}
    points = {"points"} if command.points else set()
    assert given == declared | output | points


@pytest.mark.parametrize("name", NAMES)
def test_python_function_has_the_declared_signature(name: str) -> None:
    command = COMMANDS[name]
    params = list(inspect.signature(getattr(api, name)).parameters.values())
    assert params[0].name == command.inputs.name
    assert [(p.name, p.default) for p in params[1:]] == [
        (o.name, o.default) for o in command.options
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_command_is_documented_and_its_examples_run(name: str) -> None:
    command = COMMANDS[name]
    assert command.summary and command.examples
    assert f"`jacobi {name}" in README
    for example in command.examples:
        words = shlex.split(example)
        assert words[:2] == ["jacobi", name]
        result = run_cli(words[1:])
        assert result.code == 0, (example, result.err)
        assert result.out


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"exprs": "x", "options": {"colour": True}}, "jac has no option 'colour'"),
        ({"exprs": "x", "options": {"inverse": "yes"}}, "inverse must be true or false"),
        (
            {"command": "check", "exprs": "x", "options": {"samples": 2.5}},
            "samples must be a whole",
        ),
        ({"command": "jac", "exprs": "x", "options": {"layout": "rows"}}, "layout must be one of"),
        ({"command": "jvp", "exprs": "x"}, "jvp needs 'vector'"),
        ({"command": "mjac", "exprs": ["x", "y"]}, "'exprs' must be one string for mjac"),
    ],
)
def test_batch_and_python_check_cases_alike(case: dict[str, object], message: str) -> None:
    row = run_case(case)
    assert row["status"] == "error" and row["exit_code"] == 2
    assert row["message"].startswith(message)
    options = dict(case.get("options", {}))  # type: ignore[call-overload]
    if "options" in case or case.get("command") == "jvp":
        with pytest.raises(InputError, match=message.split("'")[0]):
            getattr(api, str(case.get("command", "jac")))(case["exprs"], **options)


def test_a_batch_case_names_options_as_python_does() -> None:
    # List values for repeatable options, a string for one; vars/params/at as case keys.
    row = run_case(
        {"command": "chain", "exprs": ["u*v", "x+y, x-y"], "options": {"layer_vars": "u,v"}}
    )
    assert row["status"] == "pass"
    assert row["result"] == [["2*x", "-2*y"]]
    row = run_case({"command": "det", "exprs": "a*x, y", "params": {"a": 3}, "at": [1, 2]})
    assert row["value"] == [["3"]]


def test_help_needs_no_sympy() -> None:
    code = (
        "import sys\n"
        "from jacobi.cli import main\n"
        "for name in ['--help', 'jac --help', 'mjac --help', 'batch --help']:\n"
        "    assert main(name.split()) == 0\n"
        "print('sympy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_no_state_is_left_between_calls() -> None:
    # Two in-process runs with different options give what each gives alone.
    first = run_cli(["det", "x+y, x*y", "--at", "-1,2", "--timeout", "1"])
    second = run_cli(["det", "x+y, x*y", "--at", "-1,2", "--timeout", "0", "-f", "json"])
    alone = run_cli(["det", "x+y, x*y", "--at", "-1,2", "-f", "json"])
    assert first.code == second.code == 0
    assert second.out == alone.out


def test_batch_help_ends_with_examples_that_run() -> None:
    """batch is no declared command (it runs them), but its --help ends like theirs."""
    from jacobi.cli.batch import BATCH_EXAMPLES

    help_text = run_cli(["batch", "--help"]).out
    assert help_text.rstrip().endswith(BATCH_EXAMPLES[-1])
    for example in BATCH_EXAMPLES:
        words = shlex.split(example)
        result = run_cli(words[1:])
        assert result.code == 0, (example, result.err)
        assert "pass" in result.out
