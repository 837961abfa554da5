"""The fast ``label = value`` listing draws exactly what Rich's grid table draws."""

from __future__ import annotations

import io
import random

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table

from jacobi.render.pretty import labelled_lines


def grid(pairs: list[tuple[str, str]]) -> Table:
    """The reference: the three-column grid the listing was drawn with before."""
    label_width = max(cell_len(label) for label, _ in pairs)
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold cyan", no_wrap=True, min_width=label_width)
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in pairs:
        table.add_row(label, "=", value)
    return table


def drawn(thing: RenderableType, width: int, color: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out, width=width, force_terminal=color, color_system="truecolor" if color else None
    )
    console.print(thing)
    return out.getvalue()


def random_pairs(rng: random.Random) -> list[tuple[str, str]]:
    alphabet = "abxy +*()-^·∂/12"
    pairs = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.7:
            label = f"∂f{rng.randint(1, 20)}/∂x{rng.randint(1, 200)}"
        else:
            label = f"[{rng.randint(1, 999)}, {rng.randint(1, 999)}] ∂f/∂u"
        size = rng.choice([1, 5, 20, 60, 150, 400])
        pairs.append((label, "".join(rng.choice(alphabet) for _ in range(size))))
    return pairs


@pytest.mark.parametrize("color", [False, True])
def test_same_as_the_grid_table(color: bool) -> None:
    rng = random.Random(7)
    compared = 0
    while compared < 120:
        pairs = random_pairs(rng)
        width = rng.choice([30, 40, 80, 100, 200])
        if max(cell_len(label) for label, _ in pairs) + len(" = ") + 12 > width:
            continue  # too narrow for a column of values: the listing wraps at the edge
        assert drawn(labelled_lines(pairs, width), width, color) == drawn(
            grid(pairs), width, color
        ), (pairs, width)
        compared += 1


def test_long_values_fold_under_themselves() -> None:
    text = drawn(labelled_lines([("a", "x" * 50), ("bb", "y")], 30), 30, False)
    assert text.splitlines() == [
        "a  = " + "x" * 25,
        "     " + "x" * 25,
        "bb = y" + " " * 24,
    ]
