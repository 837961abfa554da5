"""JSON: one object per result, for scripts. The schema is documented in the README."""

from __future__ import annotations

import json
from typing import Any

import sympy

from jacobi.lang.printing import to_text
from jacobi.math import sparse
from jacobi.model import Report
from jacobi.render import words
from jacobi.render.latex import block_latex, report_latex


def matrix_strings(matrix: sympy.MatrixBase) -> list[list[str]]:
    return sparse.strings(matrix, to_text)


def report_object(report: Report) -> dict[str, Any]:
    """The JSON-ready object for ``report`` (also used by batch rows)."""
    from jacobi.lang.printing import declared
    from jacobi.render.common import report_names

    with declared(report_names(report)):
        return _report_object(report)


def _report_object(report: Report) -> dict[str, Any]:
    f = report.function
    first = report.blocks[0]
    obj: dict[str, Any] = {
        "command": report.command,
        "function": [to_text(c) for c in f.components],
        "variables": list(f.variable_names),
        "parameters": {s.name: (to_text(v) if v is not None else None) for s, v in f.parameters},
        "layout": report.layout,
        "shape": [first.matrix.rows, first.matrix.cols],
        "result": matrix_strings(first.matrix),
        "latex": block_latex(first.matrix, first.scalar),
    }
    if report.point is not None and report.value is not None:
        obj["at"] = {
            v.name: to_text(x)
            for v, x in zip(report.point.variables, report.point.values, strict=True)
        }
        obj["value"] = matrix_strings(report.value)
        obj["numeric"] = [list(row) for row in report.numeric or ()]
        obj["latex_at"] = report_latex(report)
    obj.update({k: words.json_value(v) for k, v in report.data.items()})
    return obj


def dumps(obj: dict[str, Any]) -> str:
    """One key per line, each value compact (matrices stay one line per key)."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in obj.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def render(report: Report) -> str:
    r"""The report as one JSON object (see the README for the schema).

    >>> from jacobi.commands.api import jac
    >>> print(render(jac(["x*y"])), end="")
    {
      "command": "jac",
      "function": ["x*y"],
      "variables": ["x", "y"],
      "parameters": {},
      "layout": "numerator",
      "shape": [1, 2],
      "result": [["y", "x"]],
      "latex": "\\begin{bmatrix} y & x \\end{bmatrix}"
    }
    """
    return dumps(report_object(report))
