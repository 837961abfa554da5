"""Output: the streamed plain table, JSON lines, totals and the ``--output`` file.

Rows arrive as cases finish; each is written (and flushed) at once, so a run
that is killed keeps every row already finished.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from jacobi.batch.cases import Case
from jacobi.errors import InputError

#: Longest message shown in the plain table (JSON rows keep the whole message).
MESSAGE_WIDTH = 100


@dataclass
class Totals:
    """How many cases passed, failed and ended in an error."""

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
    """One row as a line of JSON Lines (non-ASCII kept as is)."""
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
