"""Generated code: f, its Jacobian and more as functions in NumPy, C, Rust and Fortran.

:func:`generate` builds the language-neutral :class:`~.program.Program` from a
:class:`~jacobi.model.VectorFunction` (with jacobi's own exact derivatives) and prints
it in one language. Nothing here reads user text: the expressions are the ones jacobi
built, printed by SymPy's code printers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jacobi.errors import InputError
from jacobi.lang.lexicon import FUNCTIONS
from jacobi.model import VectorFunction
from jacobi.numeric.codegen.program import ITEMS, Pattern, Program, build_program

__all__ = [
    "ITEMS",
    "LANGUAGES",
    "SUFFIXES",
    "Generated",
    "Pattern",
    "Program",
    "build_program",
    "generate",
]

#: ``--lang`` choices.
LANGUAGES = ("numpy", "c", "rust", "fortran")

#: The file suffix of each language (C: the source; its header is ``.h``).
SUFFIXES = {"numpy": ".py", "c": ".c", "rust": ".rs", "fortran": ".f90"}

_RESERVED = frozenset(
    # C99 and Rust keywords, Python's, and names the generated code uses itself.
    [
        "auto",
        "break",
        "case",
        "char",
        "const",
        "continue",
        "default",
        "do",
        "double",
        "else",
        "enum",
        "extern",
        "float",
        "for",
        "goto",
        "if",
        "inline",
        "int",
        "long",
        "register",
        "restrict",
        "return",
        "short",
        "signed",
        "sizeof",
        "static",
        "struct",
        "switch",
        "typedef",
        "union",
        "unsigned",
        "void",
        "volatile",
        "while",
        "as",
        "async",
        "await",
        "crate",
        "dyn",
        "false",
        "fn",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "self",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "yield",
        "and",
        "assert",
        "class",
        "def",
        "del",
        "elif",
        "except",
        "finally",
        "from",
        "global",
        "import",
        "is",
        "lambda",
        "nonlocal",
        "not",
        "or",
        "pass",
        "raise",
        "try",
        "with",
        "None",
        "True",
        "False",
        "numpy",
        "math",
    ]
)


#: Functions of the language and the math libraries' names for them, lower-case.
_FUNCTION_NAMES = frozenset(
    [name.lower() for name in FUNCTIONS]
    + ["abs", "sqrt", "exp", "log", "pow", "fabs", "cbrt", "max", "min", "merge", "sign"]
)


@dataclass(frozen=True)
class Generated:
    """The files of generated code (name → text) and the sparsity pattern of each matrix."""

    program: Program
    language: str
    files: dict[str, str]

    @property
    def patterns(self) -> dict[str, Pattern]:
        return {o.name: o.pattern for o in self.program.outputs if o.pattern is not None}


def check_name(name: str) -> str:
    """``--name``: an identifier every language accepts (it prefixes the C functions).

    >>> check_name("robot_arm")
    'robot_arm'
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", name) or name in _RESERVED:
        raise InputError(
            f"--name {name!r} is not a usable name",
            hint="give letters, digits and _ (starting with a letter, at most 64), not a keyword",
        )
    if name.lower() in _FUNCTION_NAMES or name.lower().startswith("jacobi_"):
        # Fortran's module of that name would hide the intrinsic its code calls (sin, exp).
        raise InputError(
            f"--name {name!r} is the name of a function the generated code may call",
            hint="choose another name, e.g. model or robot_arm",
        )
    return name


def generate(
    f: VectorFunction,
    language: str,
    what: Sequence[str] | str = ("f", "jac"),
    *,
    sparse: bool = False,
    layout: str = "numerator",
    name: str = "model",
    stem: str | None = None,
) -> Generated:
    """Code computing ``what`` (some of ``f, jac, det, hessian, jvp, vjp``) for ``f``.

    The files are named ``STEM.<suffix>`` (``stem`` defaults to ``name``, which prefixes
    the C functions and names the Fortran module).

    >>> from jacobi import function
    >>> out = generate(function("x*y, x + y"), "c", "jac", name="demo")
    >>> sorted(out.files)
    ['demo.c', 'demo.h']
    >>> print("\\n".join(ln for ln in out.files["demo.c"].splitlines() if "out[" in ln))
        out[0] = demo_finite(x[1]);
        out[1] = demo_finite(x[0]);
        out[2] = 1.0;
        out[3] = 1.0;
    """
    from jacobi import __version__

    check_name(name)
    if language not in LANGUAGES:
        raise InputError(f"--lang has no {language!r}", hint=f"choose {', '.join(LANGUAGES)}")
    program = build_program(f, what, sparse_out=sparse, layout=layout, name=name)
    if language == "c":
        from jacobi.numeric.codegen import c

        files = c.generate(program, __version__, stem)
    elif language == "rust":
        from jacobi.numeric.codegen import rust

        files = rust.generate(program, __version__)
    elif language == "fortran":
        from jacobi.numeric.codegen import fortran

        files = fortran.generate(program, __version__)
    else:
        from jacobi.numeric.codegen import python

        files = python.generate(program, __version__)
    if stem is not None and language != "c":
        files = {f"{stem}{Path(key).suffix}": text for key, text in files.items()}
    return Generated(program, language, files)
