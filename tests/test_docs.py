"""Docs that cannot drift: every README example runs, every command is documented."""

from __future__ import annotations

import re
import shlex

import click
import pytest

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str, str | None]]:
    """(command line, expected output, stdin) for each ``$ jacobi`` line in ```console blocks.

    A command may be fed stdin with ``printf '...' | jacobi ...`` or ``jacobi ... < FILE``.
    """
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        current: list[str] | None = None
        for line in block.splitlines(keepends=True):
            if line.startswith("$ "):
                current = [line[2:].rstrip("\n"), ""]
                examples.append(current)
            elif current is not None:
                current[1] += line
    out = []
    for cmd, expected in examples:
        out.append((cmd, expected, None))
    return out


EXAMPLES = console_examples()


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 8


def check_example(cmd: str, expected: str, stdin: str | None) -> None:
    """Run one README example and compare its output (and exit code) with the README."""
    words = shlex.split(cmd)
    if "|" in words:  # printf '...' | jacobi ...
        bar = words.index("|")
        assert words[0] == "printf"
        stdin = words[1].encode().decode("unicode_escape")
        words = words[bar + 1 :]
    if "<" in words:
        lt = words.index("<")
        stdin = (ROOT / words[lt + 1]).read_text(encoding="utf-8")
        words = words[:lt]
    assert words[0] == "jacobi"
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # examples name files relative to the repository root
    try:
        result = run_cli(words[1:], stdin=stdin)
    finally:
        os.chdir(cwd)
    if expected.rstrip().startswith("jacobi: error:") or "[exit " in expected:
        # error examples show stderr and end with "[exit N]"
        m = re.search(r"\[exit (\d+)\]\s*$", expected)
        assert m, "error examples end with [exit N]"
        assert result.code == int(m.group(1))
        assert result.output == expected[: m.start()]
    else:
        assert result.code == 0, result.err
        assert result.output == expected


@pytest.mark.parametrize(("cmd", "expected", "stdin"), EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_readme_example(cmd: str, expected: str, stdin: str | None) -> None:
    check_example(cmd, expected, stdin)


def commands() -> list[str]:
    from jacobi.cli.app import cli

    assert isinstance(cli, click.Group)
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_and_is_in_readme(name: str) -> None:
    from jacobi.cli.app import cli

    assert isinstance(cli, click.Group)
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20
    assert f"jacobi {name}" in README
    result = run_cli([name, "--help"])
    assert result.code == 0
    assert "Exit codes" in result.out


def test_exit_codes_documented() -> None:
    from jacobi.errors import EXIT_CODES

    for code in EXIT_CODES:
        assert re.search(rf"^\| {code} \|", README, flags=re.M), f"exit code {code} not in README"


def test_the_package_ships_its_type_hints() -> None:
    # PEP 561: without py.typed, users' mypy sees every jacobi function as Any.
    from importlib.resources import files

    assert files("jacobi").joinpath("py.typed").is_file()
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'jacobi = ["py.typed", "__init__.pyi", "render/*.json"]' in text  # and the JSON Schema
    assert files("jacobi").joinpath("__init__.pyi").is_file()  # the lazy exports, typed
