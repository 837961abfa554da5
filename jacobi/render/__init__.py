"""Renderers: one module per output format, all taking a :class:`~jacobi.model.Report`.

``pretty`` (Rich, for terminals), ``plain`` (stable text for pipes), ``latex``
(mathematics only, or a whole document) and ``json`` (one object for scripts);
a report that is source files (``codegen``) is printed by ``source``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from jacobi.model import Report

FORMATS = ("pretty", "plain", "latex", "json")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the format, and the LaTeX choices."""

    format: str = "plain"
    latex_env: str = "bmatrix"
    standalone: bool = False
    #: LaTeX: write the left-hand sides (``J_f(x, y) = ...``); False: the result alone.
    lhs: bool = True
    color: bool = False


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write ``report`` to ``out`` in ``options.format``."""
    from jacobi.lang.printing import declared
    from jacobi.render.common import report_names

    with declared(report_names(report)):
        _render(report, options, out)


def _render(report: Report, options: RenderOptions, out: TextIO) -> None:
    from jacobi.render import source

    if source.is_source(report):  # source files (codegen): as they are, or JSON
        if options.format == "latex":
            source.refuse_latex(report)
        elif options.format == "json":
            from jacobi.render import json

            out.write(json.render(report))
        else:
            out.write(source.text(report))
    elif options.format == "pretty":
        from jacobi.render import pretty

        pretty.render(report, out, color=options.color)
    elif options.format == "latex":
        from jacobi.render import latex

        out.write(
            latex.render(
                report, env=options.latex_env, standalone=options.standalone, lhs=options.lhs
            )
        )
    elif options.format == "json":
        from jacobi.render import json

        out.write(json.render(report))
    else:
        from jacobi.render import plain

        out.write(plain.render(report))
