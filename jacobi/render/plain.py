"""Plain text: ASCII only, no colour, stable for grep and diff."""

from __future__ import annotations

from jacobi.lang.printing import to_text
from jacobi.model import MatrixBlock, Report
from jacobi.render import common, pattern, words

#: Non-ASCII characters used in labels and facts, and their plain-text spelling.
ASCII = {"∂": "d", "×": "x", "⁻¹": "^-1", "ᵀ": "^T", "∘": " o ", "∇": "grad ", "≠": "!=", "·": "*"}


def ascii_label(label: str) -> str:
    for char, text in ASCII.items():
        label = label.replace(char, text)
    return label


def matrix_lines(block: MatrixBlock, cells: list[list[str]] | None = None) -> list[str]:
    """The matrix with column headers and row labels, brackets on every row."""
    m = block.matrix
    if cells is None:
        cells = [[to_text(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]
    heads = [ascii_label(c) for c in block.col_labels]
    labels = [ascii_label(r) for r in block.row_labels]
    widths = [max([len(heads[j])] + [len(r[j]) for r in cells]) for j in range(m.cols)]
    lw = max((len(x) for x in labels), default=0)
    right = common.is_numeric(m)

    def fmt(text: str, w: int) -> str:
        return text.rjust(w) if right else text.ljust(w)

    lines = [
        " " * (lw + 4) + "  ".join(fmt(h, w) for h, w in zip(heads, widths, strict=True)).rstrip()
    ]
    for label, row in zip(labels, cells, strict=True):
        body = "  ".join(fmt(c, w) for c, w in zip(row, widths, strict=True))
        lines.append(f"{label.ljust(lw)}  [ {body} ]")
    return lines


def sparse_lines(block: MatrixBlock) -> list[str]:
    m = block.matrix
    entries = common.nonzero_entries(block)
    total = m.rows * m.cols
    lines = [
        f"{common.shape_text(m, 'x')} matrix, {len(entries)} non-zero "
        f"entr{'y' if len(entries) == 1 else 'ies'} of {total} "
        f"({100 * len(entries) / total:.2f}%); all others are 0"
    ]
    for i, j, e in entries:
        lines.append(
            f"  [{i + 1}, {j + 1}] {ascii_label(block.row_labels[i])} "
            f"{ascii_label(block.col_labels[j])}: {to_text(e)}"
        )
    return lines


def scalar_line(block: MatrixBlock) -> str:
    """``det J = x - y``; a number that is not an integer also numerically."""
    value = block.matrix[0, 0]
    line = f"{ascii_label(block.name)} = {to_text(value)}"
    if block.floats is not None:
        line += f", numerically {block.floats[0][0]}"
    return line


def block_lines(block: MatrixBlock) -> list[str]:
    if block.scalar:
        return [scalar_line(block)]
    if block.matrix.rows == 0 or block.matrix.cols == 0:
        return [f"{common.shape_text(block.matrix, 'x')} matrix: no entries"]
    if block.sparse or common.is_large(block.matrix):
        return sparse_lines(block)
    lines = matrix_lines(block)
    if block.floats is not None:
        cells = [list(row) for row in block.floats]
        lines += ["", "numerically:", *matrix_lines(block, cells)]
    return lines


def pattern_lines(report: Report) -> list[str]:
    """``jac --sparsity``: nnz and the bandwidths, then the picture of the pattern."""
    p, block = report.pattern, report.blocks[0]
    assert p is not None
    lines = [pattern.summary(p), ""]
    if pattern.fits(p):
        return lines + matrix_lines(block, pattern.marks(p))
    return lines + pattern.picture(p)


def header_lines(report: Report) -> list[str]:
    if report.header:
        return [ascii_label(line) for line in report.header]
    f = report.function
    first = report.blocks[0]
    lines = [
        common.function_text(report),
        f"variables: {', '.join(f.variable_names) or '(none)'}",
    ]
    if f.parameters:
        lines.append(f"parameters: {common.parameter_text(report)}")
    if first.scalar:
        lines.append(ascii_label(first.title or first.name))
    else:
        lines.append(
            f"{ascii_label(first.title or first.name)}: {common.shape_text(first.matrix, 'x')}, "
            f"{report.layout} layout"
        )
    return lines


def render(report: Report) -> str:
    """The whole report as plain text, ending with a newline."""
    lines = header_lines(report)
    if report.pattern is not None:
        lines += ["", *pattern_lines(report)]
    for k, block in enumerate(() if report.pattern is not None else report.blocks):
        lines.append("")
        if k > 0 and block.title:
            lines += [f"{ascii_label(block.title)}:", ""]
        lines += block_lines(block)
    for label, fact in report.facts:
        text = words.say(fact)
        lines.append(f"{ascii_label(label)}: {ascii_label(text)}")
    if report.steps is not None:
        from jacobi.render.steps import text_lines

        lines += ["", *text_lines(report.steps, to_text, step_label)]
    return "\n".join(lines) + "\n"


def step_label(label: str) -> str:
    """An entry's label in ASCII (``d^2f/dxdy``)."""
    return ascii_label(label.replace("²", "^2"))
