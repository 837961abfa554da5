"""JSON: one object per result, for scripts. The schema is documented in the README."""

from __future__ import annotations

import json
from typing import Any

import sympy

from jacobi.lang.printing import to_text
from jacobi.math import sparse
from jacobi.model import Report
from jacobi.render import pattern, words
from jacobi.render.latex import report_latex, shown_latex


def matrix_strings(matrix: sympy.MatrixBase) -> list[list[str]]:
    return sparse.strings(matrix, to_text)


def report_object(report: Report) -> dict[str, Any]:
    """The JSON-ready object for ``report`` (also used by batch rows)."""
    from jacobi.lang.printing import declared
    from jacobi.render import source
    from jacobi.render.common import report_names

    with declared(report_names(report)):
        if source.is_source(report):
            return {"schema": SCHEMA, **source.report_fields(report)}
        return _report_object(report)


#: The version of the JSON schema every object carries (``jacobi/schema/report.schema.json``).
SCHEMA = "jacobi/1"


def _report_object(report: Report) -> dict[str, Any]:
    f = report.function
    first = report.blocks[0]
    obj: dict[str, Any] = {
        "schema": SCHEMA,
        "command": report.command,
        "function": [to_text(c) for c in f.components],
        "variables": list(f.variable_names),
        "parameters": {s.name: (to_text(v) if v is not None else None) for s, v in f.parameters},
    }
    if not first.scalar:  # a determinant or a divergence has no layout
        obj["layout"] = report.layout
    obj["shape"] = [first.matrix.rows, first.matrix.cols]
    if report.pattern is not None:  # jac --sparsity: the pattern, not the entries
        obj["latex"] = pattern.pattern_latex(report.pattern)
        obj.update(pattern.pattern_object(report.pattern))
        return obj
    sparse_only = first.sparse and not first.scalar  # --sparse: no dense matrices
    if sparse_only:
        obj["nnz"] = len(sparse.nonzero(first.matrix))
        obj["coo"] = pattern.coo(first.matrix)
    else:
        obj["result"] = matrix_strings(first.matrix)
    obj["latex"] = shown_latex(first)
    if report.point is not None and report.value is not None:
        obj["at"] = {
            v.name: to_text(x)
            for v, x in zip(report.point.variables, report.point.values, strict=True)
        }
        if sparse_only:
            obj["coo_at"] = pattern.coo(report.value, report.numeric)
        else:
            obj["value"] = matrix_strings(report.value)
            obj["numeric"] = [list(row) for row in report.numeric or ()]
        obj["latex_at"] = report_latex(report)
    obj.update(_companions(report))
    if report.passed is not None:
        obj["passed"] = report.passed
    obj.update({k: words.json_value(v) for k, v in report.data.items()})
    if report.steps is not None:
        from jacobi.render.steps import steps_data

        obj.update(steps_data(report.steps))
    return obj


#: Blocks that the text prints beside the result, by name, and their JSON keys.
_COMPANIONS = {"J": "jacobian", "J(x0)": "jacobian_at", "f(x0)": "f_at"}


def _companions(report: Report) -> dict[str, Any]:
    """The Jacobian (and, for ``linearize``, f and J at the point) that a product, a
    divergence or a linearisation prints beside its result: ``jacobian``, ``jacobian_at``,
    ``f_at``; a command whose own data carries them keeps its own."""
    out: dict[str, Any] = {}
    for block in report.blocks[1:]:
        key = _COMPANIONS.get(block.name)
        if key is not None and key not in report.data and report.blocks[0].name != "J":
            out[key] = matrix_strings(block.matrix)
    return out


def error_object(command: str | None, failure: Any) -> dict[str, Any]:
    """A failed command as JSON (``--format json``): the fields of a batch error row.

    ``failure`` is a :class:`jacobi.errors.Failure`; ``message`` is the line printed on
    stderr, and ``hint`` and ``column`` (0-based, into the text shown as ``source``)
    are given where the error has them.

    >>> from jacobi.errors import ParseError, classify
    >>> err = ParseError("expected an expression", source="x + * y", column=4)
    >>> error_object("jac", classify(err))["column"]
    4
    """
    obj: dict[str, Any] = {
        "schema": SCHEMA,
        "command": command,
        "status": "error",
        "error": failure.kind,
        "message": failure.lines[0],
        "exit_code": failure.exit_code,
    }
    error = failure.error
    if error is not None:
        if error.hint:
            obj["hint"] = error.hint
        if error.source is not None and error.column is not None:
            obj["source"] = error.source
            obj["column"] = error.column
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
      "schema": "jacobi/1",
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
