"""Rich rendering for terminals: labelled matrices with bracket borders."""

from __future__ import annotations

from typing import TextIO

import sympy
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from jacobi.evaluate import to_float
from jacobi.model import MatrixBlock, Report
from jacobi.printing import to_text
from jacobi.render import common


def entry_text(expr: sympy.Basic) -> str:
    """A compact one-line form: ``2·x^2`` rather than ``2*x**2``."""
    return to_text(expr).replace("**", "^").replace("*", "·")


def _brackets(rows: int) -> list[tuple[str, str]]:
    if rows == 1:
        return [("[", "]")]
    return [("⎡", "⎤")] + [("⎢", "⎥")] * (rows - 2) + [("⎣", "⎦")]


def matrix_table(block: MatrixBlock, cells: list[list[str]] | None = None) -> Table:
    m = block.matrix
    if cells is None:
        cells = [[entry_text(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]
    table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 1))
    justify = "right" if common.is_numeric(m) else "left"
    table.add_column("", style="bold cyan", justify="right")
    table.add_column("", style="dim", width=1)
    for label in block.col_labels:
        table.add_column(label, header_style="bold cyan", justify=justify)  # type: ignore[arg-type]
    table.add_column("", style="dim", width=1)
    for label, row, (left, right) in zip(block.row_labels, cells, _brackets(m.rows), strict=True):
        table.add_row(label, left, *row, right)
    return table


def sparse_table(block: MatrixBlock) -> Group:
    m = block.matrix
    entries = common.nonzero_entries(block)
    total = m.rows * m.cols
    summary = Text(
        f"{common.shape_text(m)} matrix: {len(entries)} non-zero of {total} entries "
        f"({100 * len(entries) / total:.2f}%); all others are 0",
        style="italic",
    )
    table = Table(box=None, pad_edge=False)
    table.add_column("entry", style="dim")
    table.add_column("", style="bold cyan")
    table.add_column("value")
    for i, j, e in entries:
        table.add_row(
            f"[{i + 1}, {j + 1}]", f"{block.row_labels[i]} {block.col_labels[j]}", entry_text(e)
        )
    return Group(summary, table)


def scalar_text(block: MatrixBlock) -> Text:
    """``det J = x - y`` (and ``≈ 0.707…`` for a number that is not an integer)."""
    value = block.matrix[0, 0]
    text = Text.assemble((f"{block.name} = ", "bold cyan"), entry_text(value))
    if common.needs_floats(block.matrix):
        v = to_float(value)
        text.append(f"  ≈ {'undefined' if v is None else f'{v:.12g}'}", style="dim")
    return text


def render(report: Report, out: TextIO, *, color: bool) -> None:
    console = Console(
        file=out,
        highlight=False,
        soft_wrap=False,
        force_terminal=color,
        no_color=not color,
        width=None if color else 200,
    )
    if report.header:
        console.print(Text(report.header[0], style="bold"))
        for line in report.header[1:]:
            console.print(Text(line))
    else:
        _default_header(console, report)
    _blocks(console, report)


def _default_header(console: Console, report: Report) -> None:
    f = report.function
    first = report.blocks[0]
    console.print(Text(common.function_text(report), style="bold"))
    info = Text()
    info.append(f"{first.title or first.name}", style="bold green")
    if not first.scalar:
        info.append(f" {common.shape_text(first.matrix)}", style="bold")
        info.append(f" · {report.layout} layout")
    info.append(f" · variables {', '.join(f.variable_names) or '—'}")
    if f.parameters:
        info.append(f" · parameters {common.parameter_text(report)}")
    console.print(info)


def _blocks(console: Console, report: Report) -> None:
    for k, block in enumerate(report.blocks):
        console.print()
        if k > 0 and block.title:
            console.print(Text(block.title, style="bold green"))
        if block.scalar:
            console.print(scalar_text(block))
            continue
        if common.is_large(block.matrix):
            console.print(sparse_table(block))
            continue
        console.print(matrix_table(block))
        if common.needs_floats(block.matrix):
            m = block.matrix
            cells = [
                [
                    "undefined" if (v := to_float(m[i, j])) is None else f"{v:.12g}"
                    for j in range(m.cols)
                ]
                for i in range(m.rows)
            ]
            console.print(Text("≈", style="dim"))
            console.print(matrix_table(block, cells))
    for label, text in report.facts:
        console.print(Text.assemble((f"{label}: ", "bold"), text))
