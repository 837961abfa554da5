"""Declarations of the matrix language: ``--vector x:3``, ``--matrix W:2x3``, ``--symmetric S:3``.

Each declared name becomes a :class:`jacobi.matrix.nodes.Sym` of its shape; names
that clash with functions or with each other's components are refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from jacobi.errors import InputError, LimitError
from jacobi.matrix import nodes as mx
from jacobi.matrix.parse import MAX_DIM, MAX_ENTRIES, RESERVED, name_of

_DECL = re.compile(r"^\s*(?P<name>[^:\s]+)\s*:\s*(?P<dims>.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _decl_name(raw: str, option: str) -> str:
    name = name_of(unicodedata.normalize("NFKC", raw))
    if not _NAME.match(name):
        raise InputError(f"{option}: {raw!r} is not a name", hint="use letters, digits and _")
    if name in RESERVED or name in ("T",):
        raise InputError(f"{option}: {name} is a function name and cannot be declared")
    return name


def _dim(raw: str, option: str, example: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise InputError(f"{option}: {raw!r} is not a size", hint=f"write e.g. {example}")
    n = int(raw)
    if n < 1:
        raise InputError(f"{option}: sizes start at 1, not {n}")
    if n > MAX_DIM:
        raise LimitError(f"{option}: size {n} is over the limit of {MAX_DIM}")
    return n


def parse_declarations(
    vectors: Sequence[str] = (),
    matrices: Sequence[str] = (),
    symmetric: Sequence[str] = (),
) -> dict[str, mx.Sym]:
    """Symbols from ``--vector x:3``, ``--matrix W:2x3`` and ``--symmetric S:3`` texts.

    Each text may hold several comma-separated declarations.

    >>> syms = parse_declarations(["x:3,y:2"], ["W:2x3"])
    >>> [(s.name, s.shape) for s in syms.values()]
    [('x', (3, 1)), ('y', (2, 1)), ('W', (2, 3))]
    >>> syms["W"].names
    ('W11', 'W12', 'W13', 'W21', 'W22', 'W23')
    """
    out: dict[str, mx.Sym] = {}
    items = [("--vector", t) for t in vectors]
    items += [("--matrix", t) for t in matrices] + [("--symmetric", t) for t in symmetric]
    for option, text in items:
        for part in text.split(","):
            example = {"--vector": "x:3", "--matrix": "W:2x3", "--symmetric": "S:3"}[option]
            m = _DECL.match(part)
            if not part.strip() or m is None:
                raise InputError(
                    f"{option} expects NAME:SIZE, got {part.strip()!r}",
                    hint=f"e.g. {option} {example}",
                )
            name = _decl_name(m.group("name"), option)
            dims = m.group("dims").replace("×", "x").replace("X", "x").replace("*", "x")
            if name in out:
                raise InputError(f"{name} is declared twice", hint="declare each name once")
            if option == "--matrix":
                rc = dims.split("x")
                if len(rc) != 2:
                    raise InputError(
                        f"--matrix expects NAME:ROWSxCOLS, got {part.strip()!r}", hint="e.g. W:2x3"
                    )
                rows, cols = (
                    _dim(rc[0].strip(), option, example),
                    _dim(rc[1].strip(), option, example),
                )
                sym = mx.matrix(name, rows, cols)
            elif option == "--symmetric":
                n = _dim(dims, option, example)
                sym = mx.matrix(name, n, n, symmetric=True)
            else:
                sym = mx.vector(name, _dim(dims, option, example))
            if sym.size > MAX_ENTRIES:
                raise LimitError(f"{name} has {sym.size:,} entries; the limit is {MAX_ENTRIES:,}")
            out[name] = sym
    _check_clashes(out)
    return out


def _check_clashes(symbols: Mapping[str, mx.Sym]) -> None:
    seen: dict[str, str] = {name: name for name in symbols}
    for sym in symbols.values():
        for comp in sym.names:
            owner = seen.get(comp)
            if owner is not None and owner != sym.name:
                raise InputError(
                    f"the component {comp} of {sym.name} has the same name as "
                    f"{'the declared ' + owner if owner == comp else 'a component of ' + owner}",
                    hint="rename one of them",
                )
            seen[comp] = sym.name
