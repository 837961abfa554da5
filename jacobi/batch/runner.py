"""Many checks, one command: ``jacobi batch FILE``.

A batch file lists cases, each naming a command of :data:`jacobi.commands.COMMANDS`
with its inputs and, optionally, the expected result. Files are JSON Lines (one
object per line: what a script generates) or TOML (``[[case]]`` tables: what a
person writes by hand). Every case runs in a worker process with a time limit,
so a malformed, hostile or slow case yields one error row, with the message and
exit code the single command would give, and the other cases still run.

The case schema (every key but ``exprs`` is optional)::

    id       a name for the row (default: the case number)
    command  a jacobi command: jac, check, det, grad, ... (default: jac)
    exprs    the components: "x+y, x*y", or a list of strings
    vars     the variable order: "x,y" or ["x", "y"]
    params   parameter values: "a=2,b=1/3", a list of such strings, or {a = 2}
    at       a point: "-1,2", [-1, 2] or {x = -1, y = "1/3"}
    options  other options of the command: {layout = "denominator"}, {against = "..."}
    expect   the expected result: a matrix in jacobi's language ("[[1, 1], [y, x]]"),
             or a table with one of
               result    = "..."  the symbolic result (compared like jacobi check)
               value     = "..."  the exact value at the point
               numeric   = [[1.0, 2.0]] (or a number) with tol = 1e-9 (relative)
               exit_code = 3      the command must fail with this exit code
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import os
import re
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from jacobi.commands.registry import COMMANDS
from jacobi.commands.spec import Command, number_text
from jacobi.errors import EXIT_CHECK_FAILED, Failure, InputError, LimitError, classify

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    import sympy

    from jacobi.model import Report

#: Keys a case may have.
CASE_KEYS = ("id", "command", "exprs", "vars", "params", "at", "options", "expect")
EXPECT_KEYS = ("result", "value", "numeric", "tol", "exit_code")
DEFAULT_CASE_TIMEOUT = 30.0
DEFAULT_TOL = 1e-9
#: Batch files larger than this are refused (exit 4).
MAX_FILE_CHARS = 50_000_000
#: Exit code of a case that crashed jacobi itself (as the single command would).
#: Longest message shown in the plain table (JSON rows keep the whole message).
MESSAGE_WIDTH = 100


@dataclass(frozen=True)
class Case:
    """One case as read from the file: its number, line and raw content."""

    index: int
    line: int | None
    id: str | int
    data: Any

    @property
    def command(self) -> str:
        if isinstance(self.data, dict) and isinstance(self.data.get("command", "jac"), str):
            return str(self.data.get("command", "jac"))
        return "?"


# ---------------------------------------------------------------------------- reading


def read_text(path: str, stdin: TextIO | None = None) -> tuple[str, str]:
    """The batch file's text and a display name; ``-`` reads stdin."""
    if path == "-":
        return (stdin or sys.stdin).read(MAX_FILE_CHARS + 1), "<stdin>"
    p = Path(path)
    try:
        with p.open(encoding="utf-8") as fh:
            text = fh.read(MAX_FILE_CHARS + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {p}") from None
    except IsADirectoryError:
        raise InputError(f"{p} is a directory, not a batch file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{p} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    return text, str(p)


def detect_format(text: str, name: str) -> str:
    """``"jsonl"`` or ``"toml"``: by the file's extension, else by its first line.

    >>> detect_format('{"exprs": "x"}', "<stdin>")
    'jsonl'
    >>> detect_format('[[case]]\\nexprs = "x"', "cases.txt")
    'toml'
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".toml":
        return "toml"
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith(("#", "//")):
            return "jsonl" if s.startswith("{") else "toml"
    return "toml"


def _default_id(index: int) -> str:
    return f"case {index}"


def _case_id(data: Any, index: int) -> str | int:
    if isinstance(data, dict) and "id" in data:
        raw = data["id"]
        if isinstance(raw, str | int) and not isinstance(raw, bool) and str(raw):
            return raw
        return str(raw)
    return _default_id(index)


def parse_jsonl(text: str, name: str) -> list[Case]:
    """Cases from JSON Lines: one object per line; blank and ``#``/``//`` lines skipped."""
    cases: list[Case] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith(("#", "//")):
            continue
        try:
            data = json.loads(s)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}, line {lineno}: not valid JSON: {exc.msg} (column {exc.colno})",
                hint="each line of a JSON Lines file is one JSON object",
            ) from None
        except RecursionError:
            raise LimitError(f"{name}, line {lineno}: the JSON is nested too deeply") from None
        index = len(cases) + 1
        cases.append(Case(index, lineno, _case_id(data, index), data))
    return cases


_TOML_CASE = re.compile(r"^\s*\[\[\s*case\s*\]\]")


def parse_toml(text: str, name: str) -> list[Case]:
    """Cases from TOML: an array of ``[[case]]`` tables."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"{name}: not valid TOML: {exc}",
            hint="cases are [[case]] tables; see 'jacobi batch --help'",
        ) from None
    except RecursionError:
        raise LimitError(f"{name}: the TOML is nested too deeply") from None
    extra = [k for k in doc if k != "case"]
    if extra:
        raise InputError(
            f"{name}: unknown top-level key {extra[0]!r}",
            hint="write each case as a [[case]] table",
        )
    tables = doc.get("case", [])
    if not isinstance(tables, list):
        raise InputError(f"{name}: 'case' must be an array of tables: write [[case]]")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if _TOML_CASE.match(line)]
    exact = len(lines) == len(tables)
    return [
        Case(k + 1, lines[k] if exact else None, _case_id(data, k + 1), data)
        for k, data in enumerate(tables)
    ]


def load_cases(path: str, stdin: TextIO | None = None, fmt: str | None = None) -> list[Case]:
    """Read and parse a batch file; an unreadable file raises InputError (exit 2).

    A case whose *content* is wrong (an unknown key, a bad expression) is still
    returned: it becomes an error row when it runs.
    """
    text, name = read_text(path, stdin)
    if len(text) > MAX_FILE_CHARS:
        raise LimitError(f"{name} has more than {MAX_FILE_CHARS:,} characters")
    kind = fmt or detect_format(text, name)
    cases = parse_jsonl(text, name) if kind == "jsonl" else parse_toml(text, name)
    if not cases:
        raise InputError(
            f"{name} has no cases",
            hint="JSON Lines: one object per line; TOML: [[case]] tables",
        )
    return cases


# ------------------------------------------------------------------------ one case


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


def warm_up() -> None:
    """Import what every case needs once, so that forked workers start warm."""
    import jacobi.commands.common  # noqa: F401


def _short(rows: list[list[str]]) -> str:
    text = "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
    if len(rows) == 1 and len(rows[0]) == 1:
        text = rows[0][0]
    return text


def result_text(obj: Mapping[str, Any]) -> str:
    """A one-line summary of a command's JSON object: its value, or its result."""
    if "summary" in obj:
        return str(obj["summary"])
    if "value" in obj and isinstance(obj["value"], list):
        return "value " + _short(obj["value"])
    if "result" in obj and isinstance(obj["result"], list):
        return "result " + _short(obj["result"])
    return "done"


def _labels(report: Report) -> list[str]:
    from jacobi.commands.check import entry_labels as _entry_labels

    return _entry_labels(report)


def _matrix(text: Any, key: str, report: Report) -> list[list[sympy.Expr]]:
    from jacobi.lang import parse
    from jacobi.commands.check import declared_names

    if not isinstance(text, str):
        raise InputError(f'expect.{key} must be a matrix written as text, e.g. "[[1, 1], [y, x]]"')
    rows: list[list[sympy.Expr]] = parse.parse_matrix(text, variables=declared_names(report))
    return rows


def _floats(value: Any) -> list[list[float]]:
    def num(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise InputError("expect.numeric must hold numbers")
        return float(v)

    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        return [[num(v) for v in r] for r in value]
    if isinstance(value, list):
        return [[num(v) for v in value]]
    return [[num(value)]]


def expectation(expect: Any) -> dict[str, Any]:
    """Normalise ``expect`` to a table of :data:`EXPECT_KEYS`."""
    if isinstance(expect, str):
        return {"result": expect}
    if isinstance(expect, int | float) and not isinstance(expect, bool):
        return {"numeric": expect}
    if not isinstance(expect, dict):
        raise InputError(
            "'expect' must be a matrix as text or a table (result, value, numeric, exit_code)"
        )
    unknown = [k for k in expect if k not in EXPECT_KEYS]
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r} in 'expect'", hint=f"keys: {', '.join(EXPECT_KEYS)}"
        )
    return dict(expect)


def compare(report: Report, expect: Mapping[str, Any], *, seed: int = 0) -> str | None:
    """Why ``report`` does not meet ``expect`` (None when it does)."""
    import sympy

    from jacobi.lang.printing import to_text
    from jacobi.math.check import compare_matrices, fit_shape
    from jacobi.math.evaluate import to_float

    subs = {p: v for p, v in report.function.parameters if v is not None}
    first = report.blocks[0].matrix
    for key in ("result", "value"):
        if key not in expect:
            continue
        actual = first if key == "result" else report.value
        if actual is None:
            raise InputError("expect.value needs a point: give 'at'")
        rows = [[e.xreplace(subs) for e in r] for r in _matrix(expect[key], key, report)]
        wanted = fit_shape(rows, (actual.rows, actual.cols), f"expect.{key}")
        # Points where f itself is undefined prove nothing about its derivative.
        domain = [c.xreplace(subs) for c in report.function.components]
        verdicts = compare_matrices(actual, wanted, _labels(report), seed=seed, domain=domain)
        bad = [v for v in verdicts if not v.ok]
        if bad:
            v = bad[0]
            more = f" ({len(bad)} entries differ)" if len(bad) > 1 else ""
            if v.status == "unverified":
                return f"{v.label} could not be compared with the expected {to_text(v.given)}{more}"
            return f"{v.label} is {to_text(v.correct)}, expected {to_text(v.given)}{more}"
    if "numeric" in expect:
        actual = report.value if report.value is not None else first
        tol = expect.get("tol", DEFAULT_TOL)
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
            raise InputError("expect.tol must be a non-negative number")
        wanted_m = fit_shape(
            [[sympy.Float(v) for v in r] for r in _floats(expect["numeric"])],
            (actual.rows, actual.cols),
            "expect.numeric",
        )
        labels = _labels(report)
        for k in range(len(actual)):
            got = to_float(actual[k])
            want = float(wanted_m[k])
            if got is None or abs(got - want) > tol * max(1.0, abs(want)):
                shown = "not a number" if got is None else f"{got:.12g}"
                return f"{labels[k]} is {shown}, expected {want:.12g} (tolerance {tol:g})"
    return None


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


# ------------------------------------------------------------------------- workers


def _worker_main(conn: Connection) -> None:
    """A worker process: run the cases it is sent until told to stop."""
    # Ctrl-C goes to the whole process group; the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _detach_output()
    _die_with_parent()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, data = msg
        row = run_case(data)
        try:
            conn.send((index, row))
        except (BrokenPipeError, OSError):
            return


def _detach_output() -> None:
    """Results go through the pipe: a worker must not hold the parent's stdout open
    (a reader waiting for end-of-file would wait for the worker too)."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when the batch process dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _context() -> Any:
    # fork starts workers warm (SymPy already imported); elsewhere spawn is the safe choice.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    case: Case | None = None
    deadline: float = math.inf


@dataclass
class Runner:
    """Run cases in ``jobs`` worker processes, each case under ``timeout`` seconds.

    Every case runs in a worker, also with ``jobs=1``: a case that overruns its
    deadline, crashes or exhausts memory takes only its worker with it. A worker
    still busy at the deadline is killed (the only time limit of a case: nothing
    is interrupted inside the worker) and replaced; its case gets an error row
    with exit code 4, and the other cases go on.
    """

    jobs: int = 1
    timeout: float | None = DEFAULT_CASE_TIMEOUT
    workers: list[_Worker] = field(default_factory=list)

    def _start(self) -> _Worker:
        ctx = _context()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        self.workers.append(w)
        return w

    def _retire(self, w: _Worker) -> None:
        with contextlib.suppress(OSError, AttributeError):
            w.process.kill()
        w.process.join(5)
        w.conn.close()
        self.workers.remove(w)

    def run(self, cases: Sequence[Case]) -> Iterator[tuple[Case, dict[str, Any]]]:
        """Yield ``(case, row)`` as each case finishes (in completion order)."""
        pending = deque(cases)
        try:
            for _ in range(min(self.jobs, len(cases))):
                self._start()
            while pending or any(w.case is not None for w in self.workers):
                for w in self.workers:
                    if w.case is None and pending:
                        case = pending.popleft()
                        w.case = case
                        w.deadline = time.monotonic() + self.timeout if self.timeout else math.inf
                        w.conn.send((case.index, case.data))
                busy = [w for w in self.workers if w.case is not None]
                soonest = min(w.deadline for w in busy)
                wait_for = None if soonest == math.inf else max(0.0, soonest - time.monotonic())
                ready = wait([w.conn for w in busy], timeout=wait_for)
                for w in busy:
                    current = w.case
                    assert current is not None
                    if w.conn in ready:
                        try:
                            _, row = w.conn.recv()
                        except (EOFError, OSError):
                            row = self._died(w)
                            self._retire(w)
                            if pending:
                                self._start()
                        else:
                            w.case, w.deadline = None, math.inf
                        yield current, finish_row(current, row)
                    elif time.monotonic() >= w.deadline:
                        self._retire(w)
                        if pending:
                            self._start()
                        yield current, finish_row(current, self._timed_out())
        finally:
            self.close()

    def _timed_out(self) -> dict[str, Any]:
        assert self.timeout is not None
        return error_row(
            classify(
                LimitError(
                    f"the computation took longer than {self.timeout:g} s",
                    hint="raise the limit with --case-timeout",
                )
            )
        )

    def _died(self, w: _Worker) -> dict[str, Any]:
        w.process.join(1)
        code = w.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return error_row(classify(LimitError(f"the worker process running the case died ({how})")))

    def close(self) -> None:
        for w in list(self.workers):
            if w.case is None:
                with contextlib.suppress(BrokenPipeError, OSError):
                    w.conn.send(None)
        for w in list(self.workers):
            w.process.join(0.5 if w.case is None else 0)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(5)
            w.conn.close()
        self.workers.clear()


# --------------------------------------------------------------------------- output


@dataclass
class Totals:
    passed: int = 0
    failed: int = 0
    errors: int = 0

    def add(self, status: str) -> None:
        if status == "pass":
            self.passed += 1
        elif status == "fail":
            self.failed += 1
        else:
            self.errors += 1

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors

    def text(self) -> str:
        """``31 cases: 25 passed, 1 failed, 5 errors``."""
        n = self.total
        errs = f"{self.errors} error{'s' if self.errors != 1 else ''}"
        return (
            f"{n} case{'s' if n != 1 else ''}: {self.passed} passed, {self.failed} failed, {errs}"
        )


STATUS_WORD = {"pass": "PASS", "fail": "FAIL", "error": "ERROR"}


def row_message(row: Mapping[str, Any]) -> str:
    """The message column: errors lead with the exit code the single command gives."""
    msg = str(row.get("message", "")).replace("\n", " ")
    if row.get("status") == "error":
        msg = f"exit {row.get('exit_code')}: {msg}"
    if len(msg) > MESSAGE_WIDTH:
        msg = msg[: MESSAGE_WIDTH - 1] + "…"
    return msg


class PlainTable:
    """The summary table, streamed: one line per case as it finishes, totals at the end."""

    def __init__(self, cases: Sequence[Case], out: TextIO) -> None:
        self.out = out
        self.id_width = min(30, max(len("id"), *(len(str(c.id)) for c in cases)))
        self.cmd_width = min(12, max(len("command"), *(len(c.command) for c in cases)))
        self.started = False

    def head(self) -> None:
        self.out.write(
            f"{'status':<6}  {'id':<{self.id_width}}  {'command':<{self.cmd_width}}  message\n"
        )
        self.out.flush()

    def row(self, row: Mapping[str, Any]) -> None:
        status = STATUS_WORD.get(str(row.get("status")), "ERROR")
        line = (
            f"{status:<6}  {str(row['id']):<{self.id_width}}  "
            f"{str(row.get('command', '?')):<{self.cmd_width}}  {row_message(row)}"
        )
        self.out.write(line.rstrip() + "\n")
        self.out.flush()

    def end(self, totals: Totals) -> None:
        self.out.write(f"\n{totals.text()}\n")
        self.out.flush()


def json_line(row: Mapping[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, default=str) + "\n"


class PartialFile:
    """Write rows to ``FILE.partial`` (flushed per row), renamed to ``FILE`` at the end.

    A run that is killed leaves ``FILE.partial`` holding every row already
    finished; ``FILE`` itself only ever appears complete.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        try:
            self.fh: TextIO = self.partial.open("w", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {self.partial}: {exc.strerror}") from None

    def write(self, text: str) -> None:
        self.fh.write(text)
        self.fh.flush()

    def flush(self) -> None:
        self.fh.flush()

    def commit(self) -> None:
        self.fh.close()
        os.replace(self.partial, self.path)
