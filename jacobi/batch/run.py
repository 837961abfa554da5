"""One case in this process: its command call, its run and its row.

A case is checked by its command's declaration
(:meth:`jacobi.commands.spec.Command.bind`, as a Python call would be), run by
the command's ``build()``, and turned into a row: the object
``jacobi COMMAND --format json`` prints, plus ``status``, ``message`` and
``exit_code``. Every failure is a row, with the single command's message and
exit code (:func:`jacobi.errors.classify`).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from jacobi.batch.cases import CASE_KEYS, Case
from jacobi.batch.expect import compare, expectation
from jacobi.commands.registry import COMMANDS
from jacobi.commands.spec import Command, number_text
from jacobi.errors import EXIT_CHECK_FAILED, Failure, InputError, classify

if TYPE_CHECKING:
    from jacobi.model import Report


def _text_list(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise InputError(f"'{key}' must be a string or a list of strings")


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


#: Case keys that hold a shared option of the command, by the option's name.
_CASE_OPTIONS = {"vars": "variables", "params": "params", "at": "at"}


def _case_value(key: str, value: Any) -> Any:
    """A case's ``vars``, ``params`` or ``at`` as the option's text (numbers allowed)."""
    if key == "vars":
        return value if isinstance(value, str) else _text_list(value, "vars")
    if key == "params":
        if isinstance(value, dict):
            return [f"{k}={number_text(x, 'params')}" for k, x in value.items()]
        return _text_list(value, "params")
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return ",".join(number_text(x, "at") for x in value)
    if isinstance(value, dict) and value:
        return ",".join(f"{k}={number_text(x, 'at')}" for k, x in value.items())
    raise InputError("'at' must be a string, a list or a table of values")


def command_call(data: Any) -> tuple[Command, Any, dict[str, Any]]:
    """The declared command, its inputs and its options for a case (checked by the
    declaration, as a Python call would be: :meth:`jacobi.commands.spec.Command.bind`)."""
    if not isinstance(data, dict):
        raise InputError(f"a case must be a table/object, not {_kind(data)}")
    unknown = [k for k in data if k not in CASE_KEYS]
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r} in the case", hint=f"keys: {', '.join(CASE_KEYS)}"
        )
    name = data.get("command", "jac")
    if not isinstance(name, str) or name not in COMMANDS:
        raise InputError(
            f"unknown command {name!r}", hint=f"commands: {', '.join(sorted(COMMANDS))}"
        )
    command = COMMANDS[name]
    if "exprs" not in data:
        raise InputError("the case has no 'exprs'", hint='e.g. exprs = "x+y, x*y"')
    texts = _text_list(data["exprs"], "exprs")
    if not command.inputs.many and len(texts) != 1:
        raise InputError(f"'exprs' must be one string for {name}")
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise InputError("'options' must be a table/object of option names and values")
    given: dict[str, Any] = {}
    for key, value in options.items():
        k = str(key).replace("-", "_")
        case_key = next((c for c, o in _CASE_OPTIONS.items() if o == k), None)
        if case_key is not None:
            raise InputError(f"give {k!r} as the case key {case_key!r}, not as an option")
        given[k] = value
    for key, option in _CASE_OPTIONS.items():
        if key in data:
            if command.option(option) is None:
                raise InputError(f"{name} does not take {key!r}")
            given[option] = _case_value(key, data[key])
    inputs, kwargs = command.bind(texts if command.inputs.many else texts[0], given)
    return command, inputs, kwargs


#: A tiny case run by :func:`warm_up`: it loads what SymPy and the renderers import lazily.
_WARM_CASE = {"exprs": "x*y, x + y", "at": "1,2"}


def warm_up(commands: Iterable[str] = ()) -> None:
    """Import what the cases need once, so that forked workers start warm.

    Loads the build modules of ``commands`` (names of
    :data:`jacobi.commands.registry.COMMANDS`; others are ignored) and runs one
    tiny case, which loads what SymPy and the renderers import on first use.
    Every worker, and every replacement of a killed one, is a fork of this state.
    """
    import jacobi.commands.common  # noqa: F401

    for name in sorted(set(commands)):
        command = COMMANDS.get(name)
        if command is not None:
            command.builder()
    run_case(dict(_WARM_CASE))


def _short(rows: list[Any]) -> str:
    """``[[1, 1], [y, x]]``; a 1×1 matrix as its entry; nested lists (a tensor) alike."""
    one = len(rows) == 1 and isinstance(rows[0], list) and len(rows[0]) == 1
    if one and isinstance(rows[0][0], str):  # a 1×1 matrix
        return str(rows[0][0])

    def item(x: Any) -> str:
        return x if isinstance(x, str) else "[" + ", ".join(item(y) for y in x) + "]"

    return item(rows)


def result_text(obj: Mapping[str, Any]) -> str:
    """A one-line summary of a command's JSON object: its value, or its result."""
    if "summary" in obj:
        return str(obj["summary"])
    if "value" in obj and isinstance(obj["value"], list):
        return "value " + _short(obj["value"])
    if "result" in obj and isinstance(obj["result"], list):
        return "result " + _short(obj["result"])
    if "nnz" in obj:  # jac --sparse, --sparsity
        return f"{obj['nnz']} non-zero entries of {obj['shape'][0]}x{obj['shape'][1]}"
    if "files" in obj and isinstance(obj["files"], dict):
        return "files " + ", ".join(obj["files"])
    return "done"


def run_case(data: Any) -> dict[str, Any]:
    """Run one case in this process and return its row (a JSON-ready dict).

    The row is the object ``jacobi COMMAND --format json`` would print, plus
    ``status`` (``pass``, ``fail`` or ``error``), ``message`` and ``exit_code``;
    an error row has the error's ``message`` and ``exit_code`` instead.

    There is no time limit here: :class:`Runner` runs each case in a worker
    process and kills the worker at the case's deadline, so nothing is ever
    interrupted inside SymPy (or any other code).
    """
    row: dict[str, Any] = {}
    expect: dict[str, Any] = {}
    try:
        command, inputs, kwargs = command_call(data)
        if "expect" in data:
            expect = expectation(data["expect"])
        report = command.run(inputs, kwargs)
        row = _success_row(command.name, report, expect)
    except Exception as exc:  # every failure is a row; the batch goes on
        failure = classify(exc, advice="report it")
        row = error_row(failure)
        wanted = expect.get("exit_code")
        if wanted is not None and wanted == failure.exit_code and not failure.internal:
            row["status"] = "pass"
            row["message"] = f"failed as expected (exit {failure.exit_code}): {row['message']}"
        if failure.internal:
            row["traceback"] = traceback.format_exc(limit=-8)
    return row


def _success_row(name: str, report: Report, expect: Mapping[str, Any]) -> dict[str, Any]:
    from jacobi.render.json import report_object

    obj = report_object(report)
    status, code, message = "pass", 0, result_text(obj)
    if report.passed is False:
        status, code = "fail", EXIT_CHECK_FAILED
    if "exit_code" in expect and expect["exit_code"] != code:
        status, code = "fail", EXIT_CHECK_FAILED
        message = f"expected exit {expect['exit_code']}, but the command succeeded: {message}"
    elif status == "pass":
        problem = compare(report, expect)
        if problem is not None:
            status, code, message = "fail", EXIT_CHECK_FAILED, problem
    return {"status": status, "message": message, "exit_code": code, **obj}


def error_row(failure: Failure) -> dict[str, Any]:
    """The row for a case that failed: the single command's message and exit code."""
    row: dict[str, Any] = {
        "status": "error",
        "message": failure.lines[0],
        "exit_code": failure.exit_code,
        "error": failure.kind,
    }
    if len(failure.lines) > 1:
        row["detail"] = list(failure.lines[1:])
    return row


def finish_row(case: Case, row: Mapping[str, Any]) -> dict[str, Any]:
    """``id``, ``status`` and ``message`` first, then the case number, line and the rest."""
    out: dict[str, Any] = {
        "id": case.id,
        "status": row.get("status", "error"),
        "message": row.get("message", ""),
        "case": case.index,
    }
    if case.line is not None:
        out["line"] = case.line
    if "command" not in row:
        out["command"] = case.command
    for k, v in row.items():
        out.setdefault(k, v)
    return out
