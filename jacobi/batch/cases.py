"""Case files: reading a batch file (JSON Lines or TOML) into :class:`Case` objects.

Files are JSON Lines (one object per line: what a script generates) or TOML
(``[[case]]`` tables: what a person writes by hand). Reading only splits the
file into cases; a case whose *content* is wrong is still a case, and becomes
an error row when it runs (:mod:`jacobi.batch.run`).

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

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from jacobi.errors import InputError, LimitError
from jacobi.files import read_user_file

#: Keys a case may have.
CASE_KEYS = ("id", "command", "exprs", "vars", "params", "at", "options", "expect")
#: Batch files larger than this are refused (exit 4).
MAX_FILE_CHARS = 50_000_000


@dataclass(frozen=True)
class Case:
    """One case as read from the file: its number, line and raw content."""

    index: int
    line: int | None
    id: str | int
    data: Any

    @property
    def command(self) -> str:
        """The case's command name (``jac`` by default, ``?`` when unreadable)."""
        if isinstance(self.data, dict) and isinstance(self.data.get("command", "jac"), str):
            return str(self.data.get("command", "jac"))
        return "?"


def read_text(path: str, stdin: TextIO | None = None) -> tuple[str, str]:
    """The batch file's text and a display name; ``-`` reads stdin."""
    text = read_user_file(path, limit=MAX_FILE_CHARS, what="batch file", stdin=stdin)
    return text, "<stdin>" if path == "-" else str(Path(path))


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
