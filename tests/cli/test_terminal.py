"""The terminal (issue 11, section 3): bare ``jacobi``, unknown commands, ``--help``'s
order and whole one-liners, examples at the end of every command's help, shell
completion, and hints that point the right way. All in process (``run_cli``)."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_bare_jacobi_is_the_short_usage_and_the_command_list() -> None:
    # Choice: bare `jacobi` is not an error (Click 8.1's no_args_is_help and pip exit 0;
    # git exits 1): the usage, the one-line summary and the commands on stdout, exit 0.
    from jacobi.commands.registry import COMMANDS

    result = run_cli([])
    assert result.code == 0
    assert result.err == ""
    assert result.out.startswith("Usage: jacobi [OPTIONS] COMMAND [ARGS]...\n")
    assert "error" not in result.out
    assert "Exit codes" not in result.out  # the short usage, not the whole help
    for name in COMMANDS:
        assert f"\n  {name} " in result.out
    assert result.out.rstrip().endswith("'jacobi --help' for everything.")


def test_unknown_command_suggests_the_one_meant() -> None:
    cases = {
        "jacobian": "jac",
        "determinant": "det",
        "gradient": "grad",
        "jacobian-det": "det",
        "dte": "det",
        "hesian": "hessian",
    }
    for typed, meant in cases.items():
        result = run_cli([typed, "x"])
        assert result.code == 2
        assert result.out == ""
        assert result.err == (
            f"jacobi: error: No such command '{typed}'. Did you mean '{meant}'? "
            "(see 'jacobi --help')\n"
        )
    nothing = run_cli(["frobnicate"])
    assert nothing.err == "jacobi: error: No such command 'frobnicate'. (see 'jacobi --help')\n"


def test_help_lists_commands_in_registry_order_with_whole_one_liners() -> None:
    from jacobi.commands.registry import COMMANDS

    out = run_cli(["--help"]).out
    commands = out[out.index("Commands:") :]
    assert "..." not in commands.replace("(sin, exp, log, sqrt, abs, atan2, sigmoid, ...)", "")
    flat = " ".join(commands.split())
    positions = [flat.index(f" {name} {COMMANDS[name].summary}") for name in COMMANDS]
    assert positions == sorted(positions)  # jac, det, chain, ... as a user meets them
    assert flat.index(" batch ") > positions[-1]


def test_every_command_help_ends_with_its_examples() -> None:
    from jacobi.commands.registry import COMMANDS

    for name, command in COMMANDS.items():
        assert 2 <= len(command.examples) <= 3, name
        result = run_cli([name, "--help"])
        assert result.code == 0
        tail = result.out.rstrip().splitlines()[-len(command.examples) - 1 :]
        assert [line.strip() for line in tail] == ["Examples:", *command.examples], name


def test_completion_prints_the_script_and_refuses_unknown_shells() -> None:
    bash = run_cli(["completion", "bash"])
    assert bash.code == 0
    assert "_jacobi_completion()" in bash.out
    assert "_JACOBI_COMPLETE=bash_complete" in bash.out
    assert "compdef _jacobi_completion jacobi" in run_cli(["completion", "zsh"]).out
    assert "complete --no-files --command jacobi" in run_cli(["completion", "fish"]).out
    bad = run_cli(["completion", "tcsh"])
    assert bad.code == 2
    assert bad.out == ""
    assert len(bad.err.splitlines()) == 1
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in bad.err


def test_a_repeated_point_is_refused_not_silently_the_last() -> None:
    result = run_cli(["jac", "x+y, x*y", "--at", "1,2", "--at", "3,4"])
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "jacobi: error: --at is given twice (--at 1,2 and --at 3,4): give it once "
        "(see 'jacobi jac --help')\n"
    )
    once = run_cli(["jac", "x+y, x*y", "--at", "1,2"])
    assert once.code == 0


def test_an_unquoted_expression_says_to_quote_it() -> None:
    result = run_cli(["jac", "x^2", "+", "y^2"])
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "jacobi: error: the arguments 'x^2' '+' 'y^2' look like pieces of one expression split "
        "by the shell: quote the expression, jacobi jac \"x^2 + y^2\" (see 'jacobi jac --help')\n"
    )
    # Whole components in separate arguments are still components.
    assert run_cli(["jac", "x+y", "x*y"]).code == 0


def test_a_parameter_without_a_value_says_name_equals_value() -> None:
    result = run_cli(["jac", "a*x", "--param", "a"])
    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines()[0] == (
        "jacobi: error: a parameter needs a value: write NAME=VALUE, e.g. a=2"
    )
    # A value that is a symbol is still that message.
    other = run_cli(["jac", "a*x", "--param", "a=b"])
    assert "parameter values must be numbers; found symbol b" in other.err


def test_a_point_with_spaces_says_separate_with_commas() -> None:
    result = run_cli(["jac", "x+y, x*y", "--at", "1 2"])
    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines()[0] == (
        "jacobi: error: the values of a point are separated by commas, not spaces (e.g. --at 1,2)"
    )
    assert "write * between factors" not in result.err


def test_a_list_split_by_the_shell_says_to_write_it_in_one_argument() -> None:
    cases = {
        ("--vars", "x,", "y"): "the value of --vars ends with ',' and 'y' follows: the shell "
        "split it at a space; write it in one argument, --vars x,y",
        ("--param", "a=2,", "b=3"): "write the parameters in one argument, --param a=2,b=3",
        ("--at", "1,", "2"): "write the point in one argument, --at 1,2",
    }
    for args, message in cases.items():
        result = run_cli(["jac", "a*x + b*y", *args])
        assert result.code == 2, args
        assert result.out == ""
        assert len(result.err.splitlines()) == 1
        assert message in result.err, result.err
        assert "trailing comma" not in result.err and "'=' is not allowed" not in result.err


def test_a_prime_points_to_mjac_not_to_strings() -> None:
    result = run_cli(["jac", "x'"])
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "jacobi: error: unknown character \"'\" (a prime or transpose belongs to 'jacobi mjac' "
        "(x^T there); jac computes the derivatives itself)"
    )


def test_a_constant_of_no_variables_says_how_to_name_them() -> None:
    bare = run_cli(["jac", "2", "-f", "plain"])
    assert bare.code == 0 and "1x0" in bare.out
    assert "note: f has no variables" in bare.out and "--vars" in bare.out
    named = run_cli(["jac", "2", "--vars", "x", "-f", "json"])
    assert json.loads(named.out)["result"] == [["0"]]  # d2/dx = 0
