"""``--steps`` in every format: the derivations of a report's entries (issue 12).

The derivations are :class:`jacobi.math.steps.Derivation`\\ s in the report's
:class:`~jacobi.model.Steps`; the words for each rule come from
:func:`jacobi.render.words.step_parts`. Plain text and pretty print one equation a
line, the rule beside it, a line's own derivations (the first derivative of a second
derivative, the minors of a determinant) indented under it; LaTeX writes one
``align*`` per derivation with the rules as ``\\text{}`` annotations; JSON gives each
entry its list of lines, each with its expression in jacobi's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from jacobi.lang.printing import to_text
from jacobi.math.steps import Derivation
from jacobi.model import Steps
from jacobi.render import words

#: Expressions longer than this do not push the rule column further right.
_RULE_COLUMN_MAX = 60

Point = Sequence[tuple[sympy.Symbol, sympy.Expr]]


@dataclass(frozen=True)
class Row:
    """One printed line of a derivation: ``lead`` (the label and ``=``, or ``=``),
    the expression, the rule's words, and how deep it is indented."""

    depth: int
    lead: str
    expr: str
    rule: str


def rows(
    label: str, derivation: Derivation, show: Callable[[sympy.Basic], str], depth: int = 0
) -> list[Row]:
    """The rows of one derivation: ``label = first``, then ``= line`` with its rule; the
    derivations a line relies on follow it, one level deeper (labelled by their own
    first line)."""
    out: list[Row] = []
    point = derivation.point
    for k, line in enumerate(derivation.lines):
        rule = words.step_text(line, point, show)  # none for a derivative's first line
        if k == 0:
            out.append(Row(depth, f"{label} = " if label else "", show(line.expr), rule))
        else:
            out.append(Row(depth, "= ", show(line.expr), rule))
        for child in line.children:
            out += rows("", child, show, depth + 1)
    return out


def text_lines(
    steps: Steps, show: Callable[[sympy.Basic], str], label: Callable[[str], str]
) -> list[str]:
    """Plain text: each entry's derivation, the rules in a column, then what was left out."""
    lines = ["steps:"]
    for entry in steps.entries:
        lines.append("")
        lines += format_rows(rows(label(entry.label), entry.derivation, show))
    note = words.steps_note(steps)
    if note is not None:
        lines += ["", note]
    return lines


def layout_rows(found: list[Row]) -> list[tuple[str, str, str, str]]:
    """Each row as ``(indent and lead, expression, gap, rule)``: the ``=`` of a
    derivation under its first line's, the rules in one column (to the right of all but
    very long lines)."""
    heads = [" " * indent + r.lead for r, indent in zip(found, _indents(found), strict=True)]
    lengths = [len(h) + len(r.expr) for h, r in zip(heads, found, strict=True)]
    width = max((n for n in lengths if n <= _RULE_COLUMN_MAX), default=0)
    return [
        (head, r.expr, " " * (max(width - n, 0) + 3) if r.rule else "", r.rule)
        for head, r, n in zip(heads, found, lengths, strict=True)
    ]


def format_rows(found: list[Row]) -> list[str]:
    """Rows as aligned lines of text (see :func:`layout_rows`)."""
    return ["".join(parts) for parts in layout_rows(found)]


def _indents(found: list[Row]) -> list[int]:
    """Where each row starts: a derivation's ``=`` lines under the ``=`` of its first
    line; a child derivation 4 columns right of its parent's ``=``."""
    out = []
    starts: dict[int, int] = {}  # depth -> the column of that derivation's "="
    for r in found:
        if r.lead != "= ":  # a first line
            base = 0 if r.depth == 0 else starts.get(r.depth - 1, 0) + 4
            out.append(base)
            starts[r.depth] = base + len(r.lead) - 2 if r.lead else base + 2
        else:
            out.append(starts.get(r.depth, 0))
    return out


# --------------------------------------------------------------------------- LaTeX


_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex_text(text: str) -> str:
    r"""``text`` escaped for ``\text{}``.

    >>> tex_text("50% of a_b")
    '50\\% of a\\_b'
    """
    return "".join(_TEX_ESCAPES.get(c, c) for c in text)


def parts_latex(parts: Sequence[words.Part], latex: Callable[[Any], str]) -> str:
    r"""The words of a rule as LaTeX: text in ``\text{}``, mathematics as it is."""
    out = []
    for part in parts:
        if isinstance(part, str):
            if part:
                out.append(rf"\text{{{tex_text(part)}}}")
        else:
            out.append(" = ".join(latex(e) for e in part))
    return " ".join(out)


def derivation_latex(
    derivation: Derivation, latex: Callable[[Any], str], lhs: str = ""
) -> list[str]:
    """One ``align*`` per derivation (those a line relies on first, as a handout computes
    them first), each line ``&= expr && \\text{rule}``. A derivative's first line is its
    own left-hand side; a derivation that starts with a rule (a determinant written out)
    gets ``lhs`` (``\\det J``) before it."""
    blocks: list[str] = []
    body: list[str] = []
    bare = False  # whether the first row is a derivative alone, waiting for its "&="
    for k, line in enumerate(derivation.lines):
        for child in line.children:
            blocks += derivation_latex(child, latex)
        rule = parts_latex(words.step_parts(line, derivation.point), latex)
        if k == 0 and not rule:
            body.append(latex(line.expr))
            bare = True
            continue
        row = f"&= {latex(line.expr)}"
        if rule:
            row += f" && {rule}"
        if k == 0:
            body.append(f"{lhs} {row}" if lhs else row)
        elif k == 1 and bare:
            body[-1] += " " + row
        else:
            body.append(row)
    if len(body) == 1 and "&" not in body[0]:  # one line (never made, but valid LaTeX)
        body[0] += " &"
    blocks.append("\\begin{align*}\n" + " \\\\\n".join(body) + "\n\\end{align*}")
    return blocks


_PARTIAL = re.compile(r"∂([A-Za-z]+)_?(\d*)/∂([A-Za-z]+)(\d*)")


def label_latex(label: str) -> str:
    r"""An entry's label as LaTeX, for a derivation that does not start with a derivative.

    >>> label_latex("det J"), label_latex("∂g/∂t"), label_latex("∂f2/∂x1")
    ('\\det J', '\\frac{\\partial g}{\\partial t}', '\\frac{\\partial f_{2}}{\\partial x_{1}}')
    """
    if label == "det J":
        return r"\det J"
    m = _PARTIAL.fullmatch(label)
    if m is None:
        return rf"\text{{{tex_text(label)}}}"
    f, i, x, j = m.groups()
    top = f + (f"_{{{i}}}" if i else "")
    bottom = x + (f"_{{{j}}}" if j else "")
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def steps_latex(
    steps: Steps,
    latex: Callable[[Any], str],
    label: Callable[[str], str],
    *,
    standalone: bool = False,
) -> str:
    """Every entry's derivation as ``align*`` blocks, each after a comment naming it; in a
    ``--standalone`` document each is an ``aligned`` block in ``\\jacobifit`` instead (see
    :mod:`jacobi.render.latex_page`), scaled down to the text width if it is wider."""
    chunks = []
    for entry in steps.entries:
        chunks.append(f"% {label(entry.label)}")
        for block in derivation_latex(entry.derivation, latex, label_latex(entry.label)):
            if standalone:
                block = block.replace("\\begin{align*}", "\\jacobifit{\\begin{aligned}")
                block = block.replace("\\end{align*}", "\\end{aligned}}")
            chunks.append(block)
    note = words.steps_note(steps)
    if note is not None:
        chunks.append(f"% {note}")
    return "\n".join(chunks) + "\n"


# --------------------------------------------------------------------------- JSON


def line_objects(derivation: Derivation) -> list[dict[str, Any]]:
    """Each line as ``{"expr", "rule", "words", ...}``: ``expr`` in jacobi's language
    (unevaluated derivatives as ``diff(f, x)``), and where they apply the chain rule's
    inner function, the rule's formula, the kink, the count, the point and the
    derivations the line relies on (``children``)."""
    out = []
    for line in derivation.lines:
        obj: dict[str, Any] = {"expr": to_text(line.expr), "rule": line.rule}
        said = words.step_text(line, derivation.point)
        if said:
            obj["words"] = said
        if line.inner is not None and line.name is not None:
            obj["inner"] = {"name": to_text(line.name), "expr": to_text(line.inner)}
        if line.formula is not None:
            obj["formula"] = [to_text(e) for e in line.formula]
        if line.kink is not None:
            obj["kink"] = to_text(line.kink)
        if line.count != 1:
            obj["count"] = line.count
        if line.rule == "substitute" and derivation.point:
            obj["at"] = {s.name: to_text(v) for s, v in derivation.point}
        if line.children:
            obj["children"] = [line_objects(child) for child in line.children]
        out.append(obj)
    return out


def _ascii(label: str) -> str:
    """A label as the plain text writes it (``df1/dx``, ``d^2f/dxdy``), for JSON."""
    return label.replace("∂", "d").replace("²", "^2")


def steps_data(steps: Steps) -> dict[str, Any]:
    """The JSON keys of ``--steps``: ``steps`` (one object per entry) and, when entries were
    left out, ``steps_omitted``."""
    entries = [
        {"entry": list(e.index), "label": _ascii(e.label), "lines": line_objects(e.derivation)}
        for e in steps.entries
    ]
    out: dict[str, Any] = {"steps": entries}
    note = words.steps_note(steps)
    if note is not None:
        out["steps_omitted"] = {"more": steps.more, "constant": steps.constant, "note": note}
    return out
