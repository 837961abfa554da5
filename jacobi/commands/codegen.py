"""``jacobi codegen``: f, its Jacobian and more as source code (NumPy, C, Rust).

The code is :mod:`jacobi.numeric.codegen`'s; this module chooses the file names, writes
them with ``--output`` (whole: :func:`jacobi.files.write_whole`) and returns a report
whose ``data["files"]`` holds the source texts, which :mod:`jacobi.render.source` prints.
"""

from __future__ import annotations

from pathlib import Path

from jacobi.commands.common import one_function
from jacobi.errors import InputError
from jacobi.model import Point, Report, VectorFunction

#: The function prefix (C) and module name without ``--name`` or a usable ``--output`` stem.
DEFAULT_NAME = "model"


def output_stem(output: str, language: str) -> Path:
    """``--output FILE`` as the path without its suffix (``out/robot.c`` → ``out/robot``).

    FILE ends in the language's suffix (``.c`` or ``.h`` for C) or has none.

    >>> str(output_stem("out/robot.h", "c")), str(output_stem("arm", "numpy"))
    ('out/robot', 'arm')
    """
    from jacobi.numeric.codegen import SUFFIXES

    path = Path(output)
    if not path.name or path.name.startswith(".") or output.endswith(("/", "\\")):
        raise InputError(f"--output {output!r} names no file", hint="e.g. --output robot.c")
    allowed = (".c", ".h") if language == "c" else (SUFFIXES[language],)
    if path.suffix and path.suffix not in allowed:
        raise InputError(
            f"--output {output}: --lang {language} writes {' or '.join(allowed)} files",
            hint=f"e.g. --output {path.stem}{allowed[0]}",
        )
    return path.with_suffix("") if path.suffix else path


def _name(name: str | None, stem: Path | None) -> str:
    from jacobi.numeric.codegen import check_name

    if name is not None:
        return check_name(name)
    if stem is not None:
        try:
            return check_name(stem.name)
        except InputError:
            pass
    return DEFAULT_NAME


@one_function
def codegen(
    f: VectorFunction,
    point: Point | None,
    layout: str,
    lang: str,
    what: str,
    sparse: bool,
    name: str | None,
    output: str | None,
) -> Report:
    """The source files computing ``what`` for ``f`` in ``lang`` (written to ``output``).

    >>> from jacobi.commands import api
    >>> r = api.codegen(["x+y, x*y"], lang="c", what="jac", sparse=True)
    >>> sorted(r.data["files"]), r.data["pattern"]["jac"]["coo"]
    (['model.c', 'model.h'], {'rows': [0, 1, 0, 1], 'cols': [0, 0, 1, 1]})
    """
    from jacobi.numeric.codegen import LANGUAGES, generate

    if lang not in LANGUAGES:
        raise InputError(f"--lang has no {lang!r}", hint=f"choose {', '.join(LANGUAGES)}")
    stem = output_stem(output, lang) if output is not None else None
    chosen = _name(name, stem)
    made = generate(
        f,
        lang,
        what,
        sparse=sparse,
        layout=layout,
        name=chosen,
        stem=stem.name if stem is not None else None,
    )
    data: dict[str, object] = {"language": lang, "name": chosen, "files": dict(made.files)}
    if made.patterns:
        data["pattern"] = {key: p.as_dict() for key, p in made.patterns.items()}
    if stem is not None:
        from jacobi.files import write_whole

        paths = {str(stem.parent / key): text for key, text in made.files.items()}
        write_whole({path: text.encode("utf-8") for path, text in paths.items()})
        data["wrote"] = list(paths)
    return Report(
        command="codegen",
        function=f,
        layout=layout,
        blocks=(),
        data=data,
    )
