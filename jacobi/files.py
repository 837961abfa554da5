"""Reading a file a user named (``@FILE``, ``--points FILE``, a batch file), with one error each,
and writing the files ``--output`` names whole (:func:`write_whole`).

Every reader of user files goes through :func:`read_user_file`, so a missing file, a
directory, bytes that are not UTF-8 or an unreadable path give the same one-line
message (exit 2) wherever they are named, and no file is read past its limit.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from jacobi.errors import InputError


def read_limited(fh: TextIO, limit: int, chunk: int | None = None) -> str:
    """At most ``limit + 1`` characters of ``fh`` (so a caller can tell it was too long).

    With ``chunk``, the text is read a chunk at a time and ``limit`` is checked as it
    grows (the caller's ``too_long`` error is raised by :func:`read_user_file`).
    """
    if chunk is None:
        return fh.read(limit + 1)
    parts: list[str] = []
    total = 0
    while total <= limit:
        part = fh.read(chunk)
        if not part:
            break
        total += len(part)
        parts.append(part)
    return "".join(parts)


def read_user_file(
    arg: str,
    *,
    limit: int,
    what: str = "file",
    missing_hint: str | None = None,
    encoding: str = "utf-8",
    newline: str | None = None,
    chunk: int | None = None,
    stdin: TextIO | None = None,
    too_long: Callable[[], Exception] | None = None,
) -> str:
    """The text of the file ``arg`` names (``-``: stdin), read up to ``limit`` characters.

    ``what`` names the kind of file in the messages ("a directory, not a CSV file");
    ``too_long``, when given, is raised for a text over ``limit`` (otherwise the caller
    sees ``limit + 1`` characters and decides).

    >>> read_user_file("/no/such/file", limit=10)
    Traceback (most recent call last):
    ...
    jacobi.errors.InputError: no such file: /no/such/file
    """
    if arg == "-":
        text = read_limited(stdin or sys.stdin, limit, chunk)
    else:
        path = Path(arg)
        try:
            with path.open(encoding=encoding, newline=newline) as fh:
                text = read_limited(fh, limit, chunk)
        except FileNotFoundError:
            raise InputError(f"no such file: {path}", hint=missing_hint) from None
        except IsADirectoryError:
            raise InputError(f"{path} is a directory, not a {what}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path} is not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        except ValueError:  # a NUL byte in the name (only possible from Python, not argv)
            raise InputError(f"cannot read {arg!r}: the file name contains a NUL byte") from None
    if too_long is not None and len(text) > limit:
        raise too_long()
    return text


def write_whole(files: Mapping[str, bytes]) -> None:
    """Write each ``path: data`` of ``files`` whole: every file goes to a temporary file
    beside it first, and only when all of them are written are they renamed into place,
    so no reader ever sees a half-written file (a file that already holds its bytes is
    left alone).

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_whole({os.path.join(folder, "a.h"): b"h", os.path.join(folder, "a.c"): b"c"})
    >>> sorted(os.listdir(folder))
    ['a.c', 'a.h']
    """
    made: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            target = Path(path)
            try:
                if target.is_file() and target.read_bytes() == data:
                    continue
            except OSError:
                pass
            folder = target.parent if str(target.parent) else Path(".")
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
            except OSError as exc:
                raise InputError(f"--output {path}: cannot write there ({exc.strerror})") from None
            made.append((tmp, target))
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.chmod(tmp, 0o644)
            except OSError as exc:
                raise InputError(f"--output {path}: cannot write it ({exc.strerror})") from None
        for tmp, target in made:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise InputError(f"--output {target}: cannot write it ({exc.strerror})") from None
    finally:
        for tmp, _ in made:
            Path(tmp).unlink(missing_ok=True)
