"""Every command's JSON, success and error, validates against the shipped JSON Schema."""

from __future__ import annotations

import json
import shlex
from importlib import resources
from typing import Any

import jsonschema
import pytest

from conftest import run_cli
from jacobi.commands.registry import COMMANDS


def _schema() -> dict[str, Any]:
    text = resources.files("jacobi").joinpath("render/jacobi.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


SCHEMA = _schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

#: Beyond each command's own examples: the options that add keys.
EXTRA = [
    'jac "x+y, x*y" --at -1,2',
    'jac "x+y, x*y" --at -1,2 --inverse',
    'jac "a x^2" --param a=2 --at 1',
    'jac "a x^2" --vars x',
    'det "x+y, x*y" --at -1,2',
    'det "r cos(t), r sin(t)" --singular',
    'det "cos(u) sin(v), sin(u) sin(v), cos(v)" --volume',
    'grad "x^2+y^2" --at 1,2',
    'hessian "x^2 y" --at 1,2',
    'hessian "x1^2, x2^2" --at 1,2',
    'jvp "x+y, x*y" --vector 1,0 --at 1,2',
    'vjp "x+y, x*y" --vector 1,0',
    'linearize "x+y, x*y" --at 1,2',
    'div "x*y, y*z, z*x" --at 1,2,3',
    'chain "exp(x1*x2^2)" "t*cos(t), t*sin(t)" --at 1',
    'check "x^2" --against "3x"',
    'check "x y/(x^2 + y^2)" --samples 3',
    'mjac "W x" --wrt x',
    'mjac "x^T B x" --vector x:3 --matrix B:3x3',
    'jac "x*y, y + z, z^2" --sparse --at 1,2,3/2',
    'jac "x*y, y + z, z^2" --sparse --inverse',
    'codegen "x+y, x*y" --lang c --sparse --what f,jac,jvp',
    'codegen "a x^2 y" --vars x,y --lang rust --what f,jac,hessian --sparse',
    'codegen "a x^2" --param a=2 --lang numpy --layout denominator',
    'codegen "x+y, x*y" --lang fortran --what jac,vjp --sparse',
    'jac "x+y, x*y" --steps',
    'jac "sin(x y) + abs(x), x^x" --steps --at 1,2',
    'grad "x1^2 + x2^2 + x3^2" --steps --entry 2',
    'hessian "x^2 y" --steps --at 1,2',
    'hessian "x1^2 x2, x2^3" --steps --entry 1,1,2',
    'jvp "x+y, x*y" --vector 1,2 --steps --at -1,2',
    'vjp "x+y, x*y" --vector 1,2 --steps',
    'linearize "exp(x) y" --at 0,1 --steps',
    'det "r cos(t), r sin(t)" --steps --at 1,0',
    'det "x y z, x + y, z" --steps',
    'chain "exp(x1*x2^2)" "t*cos(t), t*sin(t)" --steps --at 1',
]


def _success_cases() -> list[list[str]]:
    cases = [shlex.split(ex)[1:] for c in COMMANDS.values() for ex in c.examples]
    cases += [shlex.split(text) for text in EXTRA]
    return [c for c in cases if "--points" not in c and "--output" not in c and "-o" not in c]


def _errors(obj: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(obj)]


@pytest.mark.parametrize("args", _success_cases(), ids=" ".join)
def test_every_report_validates(args: list[str]) -> None:
    result = run_cli([*args, "--format", "json"])
    assert result.code in (0, 1), result.err
    obj = json.loads(result.out)
    assert obj["schema"] == "jacobi/1" and "status" not in obj
    assert _errors(obj) == []


def _bad_inputs(name: str) -> list[str]:
    if name == "chain":
        return ["x + * y", "t"]
    if name == "mjac":
        return ["W x +"]
    if name == "batch":
        return ["/nonexistent/cases.toml"]
    return ["x + * y"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_error_is_a_json_object_with_the_exit_status(name: str) -> None:
    result = run_cli([name, *_bad_inputs(name), "--format", "json"])
    assert result.code == 2
    obj = json.loads(result.out)  # stdout holds the error too: jq sees it
    assert _errors(obj) == []
    assert obj["status"] == "error" and obj["exit_code"] == result.code
    assert obj["command"] == name
    assert result.err.startswith("jacobi: error: " + obj["message"])


def test_an_error_has_its_column_into_its_source() -> None:
    obj = json.loads(run_cli(["jac", "x + * y", "-f", "json"]).out)
    assert obj["error"] == "parse" and obj["source"] == "x + * y"
    assert obj["source"][obj["column"]] in "+*"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["jac", "1/x", "--at", "0", "-f", "json"], 3),
        (["jac", "x", "--no-such-option", "-f", "json"], 2),
        (["--format=json", "nosuchcommand"], 2),
    ],
)
def test_other_failures_are_json_objects_too(args: list[str], code: int) -> None:
    result = run_cli(args)
    assert result.code == code
    obj = json.loads(result.out)
    assert _errors(obj) == [] and obj["exit_code"] == code


def test_without_json_nothing_goes_to_stdout_on_error() -> None:
    result = run_cli(["jac", "x + * y"])
    assert result.code == 2 and result.out == ""


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"result": "x"}, "result"),
        ({"entry_kind": "cubic"}, "entry_kind"),
        ({"made_up_key": 1}, ""),
        ({"numeric": [["1.0"]]}, "numeric"),
    ],
)
def test_the_schema_rejects_what_it_should(change: dict[str, Any], where: str) -> None:
    """The control: the schema is not a check that cannot fail."""
    obj = json.loads(run_cli(["det", "x+y, x*y", "--at", "-1,2", "-f", "json"]).out)
    assert _errors(obj) == []
    assert _errors({**obj, **change})


def test_same_name_same_meaning_across_commands() -> None:
    """Indices are 0-based; points are exact strings with a numeric twin; a check says
    `passed` and `verdict`, never `verified` or `ok`."""
    check = json.loads(run_cli(["check", "x^2", "--against", "3x", "-f", "json"]).out)
    (entry,) = check["entries"]
    assert entry["entry"] == [0, 0]
    assert isinstance(entry["at"]["x"], str) and isinstance(entry["at_numeric"]["x"], float)
    assert check["passed"] is False and check["verdict"] == "wrong"
    fd = json.loads(run_cli(["check", "x*y", "--samples", "2", "-f", "json"]).out)
    assert all(isinstance(p["passed"], bool) and "ok" not in p for p in fd["points"])
    chain = json.loads(run_cli(["chain", "u*v", "x+y, x-y", "-f", "json"]).out)
    assert chain["verdict"] == "right" and "verified" not in chain
    det = json.loads(run_cli(["det", "x+y, x*y", "-f", "json"]).out)
    assert "layout" not in det and det["entry_kind"] == "polynomial"
    for args in (["jvp", "x+y, x*y", "--vector", "1,0"], ["vjp", "x+y, x*y", "--vector", "1,0"]):
        assert json.loads(run_cli([*args, "-f", "json"]).out)["jacobian"] == [
            ["1", "1"],
            ["y", "x"],
        ]
    inverse = json.loads(run_cli(["jac", "x+y, x*y", "--inverse", "-f", "json"]).out)
    assert inverse["jacobian"] == [["1", "1"], ["y", "x"]]
    lin = json.loads(run_cli(["linearize", "x+y, x*y", "--at", "1,2", "-f", "json"]).out)
    assert lin["f_at"] == [["3"], ["2"]] and lin["jacobian_at"] == [["1", "1"], ["2", "1"]]


#: What a batch row adds to the command's own object (jacobi/batch/run.py).
BATCH_KEYS = {"id", "status", "message", "case", "line", "exit_code", "detail", "expected"}


def test_batch_rows_are_the_commands_objects_plus_the_row_keys() -> None:
    from conftest import SAMPLES

    result = run_cli(["batch", str(SAMPLES / "problems.toml"), "-f", "json"])
    rows = [json.loads(line) for line in result.out.splitlines() if line.strip()]
    assert rows
    for row in rows:
        if row["status"] == "error":
            continue
        own = {k: v for k, v in row.items() if k not in BATCH_KEYS}
        assert _errors(own) == [], row["id"]
