"""Rich rendering for terminals: labelled matrices with bracket borders.

Nothing is ever cut short. A matrix is drawn as a bracketed table only when each of its
rows fits on one line; otherwise (and for large sparse matrices) its entries are listed
one per line with their labels (``∂f1/∂x = …``), wrapping at the terminal's edge.
"""

from __future__ import annotations

from typing import TextIO

import sympy
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from jacobi.lang.printing import to_text
from jacobi.model import MatrixBlock, Report
from jacobi.render import common, pattern, words

#: The narrowest column of values :func:`entry_list` indents under its labels.
_MIN_VALUE_WIDTH = 12
#: A width no table reaches: measuring with it gives a table's natural width.
_UNBOUNDED = 1 << 30


def entry_text(expr: sympy.Basic) -> str:
    """A compact one-line form: ``2·x^2`` rather than ``2*x**2``."""
    return to_text(expr).replace("**", "^").replace("*", "·")


def _brackets(rows: int) -> list[tuple[str, str]]:
    if rows == 1:
        return [("[", "]")]
    return [("⎡", "⎤")] + [("⎢", "⎥")] * (rows - 2) + [("⎣", "⎦")]


def matrix_table(block: MatrixBlock, cells: list[list[str]] | None = None) -> Table:
    """The matrix with its labels and bracket borders, one line per row when it fits.

    Every column folds rather than ends in ``…``, but a row that has to wrap breaks its
    brackets: :func:`matrix_view` uses this table only when it fits the console.
    """
    m = block.matrix
    if cells is None:
        cells = entry_cells(block)
    table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 1))
    justify = "right" if common.is_numeric(m) else "left"
    table.add_column("", style="bold cyan", justify="right", overflow="fold")
    table.add_column("", style="dim", width=1)
    for label in block.col_labels:
        table.add_column(label, header_style="bold cyan", justify=justify, overflow="fold")  # type: ignore[arg-type]
    table.add_column("", style="dim", width=1)
    for label, row, (left, right) in zip(block.row_labels, cells, _brackets(m.rows), strict=True):
        table.add_row(label, left, *row, right)
    return table


def entry_cells(block: MatrixBlock) -> list[list[str]]:
    m = block.matrix
    return [[entry_text(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]


def entry_list(block: MatrixBlock, cells: list[list[str]], width: int) -> Group:
    """Every entry on its own line, ``∂f1/∂x = …``, wrapped (never cut) at the console width."""
    m = block.matrix
    note = Text(
        f"{common.shape_text(m)} matrix, one entry per line (too wide for {width} columns):",
        style="italic",
    )
    pairs = [
        (common.entry_label(block, i, j), cells[i][j]) for i in range(m.rows) for j in range(m.cols)
    ]
    return Group(note, labelled_lines(pairs, width))


def labelled_lines(pairs: list[tuple[str, str]], width: int) -> RenderableType:
    """``label = value`` lines; a long value wraps under itself, or at the edge if need be."""
    label_width = max((cell_len(label) for label, _ in pairs), default=0)
    if label_width + len(" = ") + _MIN_VALUE_WIDTH > width:
        # No room for a column of values: each entry is one text that wraps at the edge.
        lines = [
            Text.assemble((label, "bold cyan"), (" = ", "dim"), value, overflow="fold")
            for label, value in pairs
        ]
        return Group(*lines)
    return _LabelledColumns(pairs, label_width)


class _LabelledColumns:
    """``label = value`` rows as a three-column grid draws them (labels, ``=``, values that
    fold under themselves), line by line: the same output as ``Table.grid`` at a small
    fraction of its cost per row, which matters for the thousands of rows of a large
    sparse matrix."""

    def __init__(self, pairs: list[tuple[str, str]], label_width: int) -> None:
        self.pairs = pairs
        self.label_width = label_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        labels, equals = console.get_style("bold cyan"), console.get_style("dim")
        widest = max((cell_len(value) for _, value in self.pairs), default=0)
        room = min(widest, options.max_width - self.label_width - 3)
        blank = [Segment(" " * (self.label_width + 1), labels), Segment("  ", equals)]
        new_line = Segment.line()
        for label, value in self.pairs:
            yield Segment(label + " " * (self.label_width - cell_len(label)), labels)
            yield Segment(" ", labels)
            yield Segment("=", equals)
            yield Segment(" ", equals)
            for k, line in enumerate(Text(value).wrap(console, room, overflow="fold")):
                if k:
                    yield from blank
                line.pad_right(room - line.cell_len)
                yield from line.render(console)
                yield new_line


def matrix_view(
    console: Console, block: MatrixBlock, cells: list[list[str]] | None = None
) -> RenderableType:
    """The bracketed table if it fits the console on one line per row, else :func:`entry_list`."""
    m = block.matrix
    if m.rows == 0 or m.cols == 0:
        return Text(f"{common.shape_text(m)} matrix: no entries", style="italic")
    if cells is None:
        cells = entry_cells(block)
    table = matrix_table(block, cells)
    natural = console.measure(table, options=console.options.update_width(_UNBOUNDED)).maximum
    return table if natural <= console.width else entry_list(block, cells, console.width)


def sparse_table(block: MatrixBlock, width: int) -> Group:
    m = block.matrix
    entries = common.nonzero_entries(block)
    total = m.rows * m.cols
    summary = Text(
        f"{common.shape_text(m)} matrix: {len(entries)} non-zero of {total} entries "
        f"({100 * len(entries) / total:.2f}%); all others are 0",
        style="italic",
    )
    pairs = [
        (f"[{i + 1}, {j + 1}] {common.entry_label(block, i, j)}", entry_text(e))
        for i, j, e in entries
    ]
    return Group(summary, labelled_lines(pairs, width))


def scalar_text(block: MatrixBlock) -> Text:
    """``det J = x - y`` (and ``≈ 0.707…`` for a number that is not an integer)."""
    value = block.matrix[0, 0]
    text = Text.assemble((f"{block.name} = ", "bold cyan"), entry_text(value))
    if block.floats is not None:
        text.append(f"  ≈ {block.floats[0][0]}", style="dim")
    return text


def render(report: Report, out: TextIO, *, color: bool, width: int | None = None) -> None:
    """Write ``report`` for a terminal ``width`` columns wide (its own width if ``None``).

    Nothing is ever cut short: a matrix too wide for the terminal is listed entry by
    entry, and long lines wrap.
    """
    console = Console(
        file=out,
        highlight=False,
        soft_wrap=False,
        force_terminal=color,
        no_color=not color,
        width=width if width is not None else (None if color else 200),
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


def _pattern(console: Console, report: Report) -> None:
    """``jac --sparsity``: nnz and the bandwidths, then the picture of the pattern."""
    p, block = report.pattern, report.blocks[0]
    assert p is not None
    console.print()
    console.print(Text(pattern.summary(p)))
    console.print()
    if pattern.fits(p):
        console.print(matrix_view(console, block, pattern.marks(p)))
    else:
        for line in pattern.picture(p):
            console.print(Text(line))


def _blocks(console: Console, report: Report) -> None:
    if report.pattern is not None:
        _pattern(console, report)
    for k, block in enumerate(() if report.pattern is not None else report.blocks):
        console.print()
        if k > 0 and block.title:
            console.print(Text(block.title, style="bold green"))
        if block.scalar:
            console.print(scalar_text(block))
            continue
        if block.sparse or common.is_large(block.matrix):
            console.print(sparse_table(block, console.width))
            continue
        console.print(matrix_view(console, block))
        if block.floats is not None:
            cells = [list(row) for row in block.floats]
            console.print(Text("≈", style="dim"))
            console.print(matrix_view(console, block, cells))
    for label, fact in report.facts:
        text = words.say(fact)
        console.print(Text.assemble((f"{label}: ", "bold"), text))
    if report.steps is not None:
        _steps(console, report)


def _steps(console: Console, report: Report) -> None:
    """The derivations (``--steps``): one equation a line, each with its rule."""
    from jacobi.render.steps import layout_rows, rows

    assert report.steps is not None
    console.print()
    console.print(Text("steps", style="bold green"))
    for entry in report.steps.entries:
        console.print()
        found = rows(entry.label, entry.derivation, entry_text)
        for (head, expr, gap, rule), row in zip(layout_rows(found), found, strict=True):
            style = "bold cyan" if row.lead not in ("", "= ") else "dim"
            console.print(Text.assemble((head, style), expr, gap, (rule, "green")))
    note = words.steps_note(report.steps)
    if note is not None:
        console.print()
        console.print(Text(note, style="italic"))
