"""A report that is source files (``jacobi codegen``): the files themselves, or JSON.

Such a report has no matrix blocks; its ``data["files"]`` maps file names to their texts
(:mod:`jacobi.commands.codegen`). Plain and pretty print the files as they are, each after
a one-line comment naming it when there are several (``/* file: model.h */``), so that
the output can be cut back into files; after ``--output`` they say what was written.
JSON carries the texts under ``files``. There is no LaTeX of source code.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from jacobi.errors import InputError
from jacobi.lang.printing import to_text
from jacobi.model import Report

#: The one-line comment naming a file, by the file's suffix.
_FILE_COMMENT = {
    ".c": "/* file: {} */",
    ".h": "/* file: {} */",
    ".py": "# file: {}",
    ".rs": "// file: {}",
    ".f90": "! file: {}",
}


def is_source(report: Report) -> bool:
    """Whether ``report`` is source files rather than mathematics."""
    return not report.blocks and isinstance(report.data.get("files"), dict)


def text(report: Report) -> str:
    """The files one after another (plain and pretty), or what ``--output`` wrote.

    >>> from jacobi.commands import api
    >>> out = text(api.codegen(["x*y"], lang="c", what="f"))
    >>> [line for line in out.splitlines() if line.startswith("/* file")]
    ['/* file: model.h */', '/* file: model.c */']
    """
    files: dict[str, str] = report.data["files"]
    wrote = report.data.get("wrote")
    if wrote is not None:
        return "".join(
            f"wrote {path} ({files[PurePath(path).name].count(chr(10))} lines)\n" for path in wrote
        )
    if len(files) == 1:
        return next(iter(files.values()))
    parts = []
    for name, body in files.items():
        comment = _FILE_COMMENT.get(PurePath(name).suffix, "# file: {}")
        parts.append(comment.format(name) + "\n" + body)
    return "\n".join(parts)


def report_fields(report: Report) -> dict[str, Any]:
    """The JSON object after its ``schema``: the function, then the language, the files and
    the patterns (:func:`jacobi.render.json.report_object`)."""
    f = report.function
    obj: dict[str, Any] = {
        "command": report.command,
        "function": [to_text(c) for c in f.components],
        "variables": list(f.variable_names),
        "parameters": {s.name: (to_text(v) if v is not None else None) for s, v in f.parameters},
        "layout": report.layout,
    }
    obj.update(report.data)
    return obj


def refuse_latex(report: Report) -> None:
    raise InputError(
        f"{report.command} writes source code, not LaTeX", hint="use --format plain or json"
    )
