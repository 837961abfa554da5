"""Errors a user can cause, each with its exit code and a one-line message.

Domain code raises these. :func:`classify` turns any exception into an exit status
and the lines to show, the one mapping both the CLI and batch use.

Exit codes
----------
0  success
1  a check failed (``jacobi check``, ``jacobi batch``)
2  invalid input: a parse error, a bad option, a wrong shape
3  the result is undefined at the given point
4  a resource limit (time, size, depth) was hit
5  internal error (a bug in jacobi)
130 interrupted (Ctrl-C)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_INPUT = 2
EXIT_UNDEFINED = 3
EXIT_LIMIT = 4
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_CHECK_FAILED: "a check failed",
    EXIT_INPUT: "invalid input (parse error, bad option, wrong shape)",
    EXIT_UNDEFINED: "undefined at the given point",
    EXIT_LIMIT: "a resource limit (time, size, depth) was hit",
    EXIT_INTERNAL: "internal error (a bug in jacobi: please report it)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}


class JacobiError(Exception):
    """Base of every error a user can cause.

    Parameters
    ----------
    message
        What is wrong, in one line, saying what was expected.
    hint
        What to do about it (optional, one line).
    source
        The offending text, shown under the message with a caret.
    column
        0-based index into ``source`` where the fault is.
    """

    exit_code: ClassVar[int] = EXIT_INPUT
    kind: ClassVar[str] = "input"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        source: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.source = source
        self.column = column

    def caret_lines(self) -> list[str]:
        """The offending line of ``source`` and a caret under ``column``.

        For multi-line sources only the line holding the column is shown,
        prefixed by its line number.

        >>> JacobiError("bad", source="x + * y", column=4).caret_lines()
        ['  x + * y', '      ^']
        """
        if self.source is None or self.column is None:
            return []
        text = self.source
        col = max(0, min(self.column, len(text)))
        start = text.rfind("\n", 0, col) + 1
        end = text.find("\n", col)
        line = text[start : end if end != -1 else len(text)]
        prefix = "  "
        if "\n" in text:
            prefix = f"  line {text.count(chr(10), 0, col) + 1}: "
        # Very long lines (a 1 MB input) are cut to a window around the caret.
        offset = col - start
        if len(line) > 100:
            lo = max(0, offset - 50)
            line = ("…" if lo else "") + line[lo : lo + 100] + ("…" if lo + 100 < len(line) else "")
            offset = offset - lo + (1 if lo else 0)
        return [prefix + line, " " * (len(prefix) + offset) + "^"]

    def lines(self) -> list[str]:
        """All lines of the user-facing report, without the ``jacobi: error:`` prefix."""
        head = self.message
        if self.hint:
            head = f"{head} ({self.hint})"
        return [head, *self.caret_lines()]

    def to_json(self) -> dict[str, object]:
        """The error as a JSON-ready object (used by ``--format json`` and batch rows)."""
        out: dict[str, object] = {
            "error": self.kind,
            "message": self.message,
            "exit_code": self.exit_code,
        }
        if self.hint:
            out["hint"] = self.hint
        if self.column is not None:
            out["column"] = self.column
        return out


class InputError(JacobiError):
    """Invalid input: bad option, unknown name, wrong number of values (exit 2)."""


class ParseError(InputError):
    """The expression text does not follow the grammar (exit 2)."""

    kind = "parse"


class ShapeError(InputError):
    """Shapes do not fit: non-square determinant, chain mismatch, vector length (exit 2)."""

    kind = "shape"


class UndefinedError(JacobiError):
    """A result is undefined at the requested point (exit 3)."""

    exit_code = EXIT_UNDEFINED
    kind = "undefined"


class LimitError(JacobiError):
    """A resource limit was hit: input size, nesting, number size, time (exit 4)."""

    exit_code = EXIT_LIMIT
    kind = "limit"


class CheckFailed(JacobiError):
    """A check ran and found a mismatch (exit 1)."""

    exit_code = EXIT_CHECK_FAILED
    kind = "check"


@dataclass(frozen=True)
class Failure:
    """How a run ended with an exception: the exit status, the error's kind and its lines.

    ``lines[0]`` is the message (shown after ``jacobi: error:``); further lines are the
    input with a caret. ``internal`` marks a bug in jacobi (worth a traceback).
    """

    exit_code: int
    kind: str
    lines: tuple[str, ...]
    error: JacobiError | None = None
    internal: bool = False

    def to_json(self) -> dict[str, object]:
        if self.error is not None:
            return self.error.to_json()
        return {"error": self.kind, "message": self.lines[0], "exit_code": self.exit_code}


def classify(
    exc: BaseException, *, advice: str = "rerun as jacobi --traceback COMMAND ... and report it"
) -> Failure:
    """The one mapping from an exception to an exit status (CLI and batch alike).

    >>> classify(UndefinedError("f is undefined at 0")).exit_code
    3
    >>> classify(RecursionError()).lines
    ('the expression is nested too deeply to process',)
    >>> f = classify(ZeroDivisionError("division by zero"), advice="report it")
    >>> f.exit_code, f.lines[0]
    (5, 'internal error: ZeroDivisionError: division by zero (this is a bug in jacobi; report it)')
    """
    if isinstance(exc, RecursionError):
        exc = LimitError("the expression is nested too deeply to process")
    elif isinstance(exc, MemoryError):
        exc = LimitError("the computation ran out of memory")
    if isinstance(exc, JacobiError):
        return Failure(exc.exit_code, exc.kind, tuple(exc.lines()), error=exc)
    if isinstance(exc, KeyboardInterrupt):
        return Failure(EXIT_INTERRUPTED, "interrupted", ("interrupted",))
    message = f"internal error: {type(exc).__name__}: {exc} (this is a bug in jacobi; {advice})"
    return Failure(EXIT_INTERNAL, "internal", (message,), internal=True)
