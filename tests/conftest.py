"""Shared test helpers: run the real entry point in-process and capture everything."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


@dataclass
class Result:
    code: int
    out: str
    err: str
    output: str  # stdout and stderr interleaved, as a terminal shows them


def run_cli(args: list[str], stdin: str | None = None) -> Result:
    """Run ``jacobi ARGS`` through :func:`jacobi.cli.main` (the real error mapping)."""
    from jacobi.cli.app import main

    runner = CliRunner()
    with runner.isolation(input=stdin) as (out, err, mixed):
        import sys

        code = main(args)
        sys.stdout.flush()
        sys.stderr.flush()
    return Result(
        code,
        out.getvalue().decode(),
        err.getvalue().decode(),
        mixed.getvalue().decode(),
    )


@pytest.fixture
def run() -> Callable[..., Result]:
    """The :func:`run_cli` helper as a fixture."""
    return run_cli


def require_pdflatex() -> None:
    """Skip the calling test without pdflatex; fail instead when ``JACOBI_REQUIRE_PDFLATEX`` is set.

    CI sets ``JACOBI_REQUIRE_PDFLATEX=1``, so a missing TeX installation cannot pass silently.
    """
    if shutil.which("pdflatex") is None:
        if os.environ.get("JACOBI_REQUIRE_PDFLATEX"):
            pytest.fail("pdflatex is required here (JACOBI_REQUIRE_PDFLATEX is set)")
        pytest.skip("pdflatex is not installed")


def compile_latex(source: str, directory: Path, name: str = "doc") -> Path:
    """Compile the LaTeX document ``source`` with pdflatex in ``directory``; return the PDF.

    Asserts that pdflatex exits 0, that the PDF exists and is not empty, and that the log
    reports no error (TeX marks every error with a line starting ``!``).
    """
    require_pdflatex()
    tex = directory / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    proc = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log_path = directory / f"{name}.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    assert proc.returncode == 0, (log or proc.stdout)[-2000:]
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert errors == [], log[-2000:]
    pdf = directory / f"{name}.pdf"
    assert pdf.is_file()
    assert pdf.stat().st_size > 1000  # a page with content, not an empty shell
    return pdf


@pytest.fixture
def latex_pdf(tmp_path: Path) -> Callable[[str], Path]:
    """:func:`compile_latex` into the test's own ``tmp_path``: ``latex_pdf(source) -> pdf``.

    Skips (or fails, see :func:`require_pdflatex`) before the test body runs.
    """
    require_pdflatex()

    def compile_here(source: str) -> Path:
        return compile_latex(source, tmp_path)

    return compile_here


@dataclass
class PrettyMatrix:
    """One matrix as ``--format pretty`` draws it, read back into its parts."""

    title: str | None  # the line right above the column labels, when there is one
    columns: list[str]
    rows: list[str]
    cells: list[list[str]]


_ROW = re.compile(r"^(?P<label>\S.*?)\s{2,}[⎡⎢⎣\[]\s{2,}(?P<cells>.*?)\s{2,}[⎤⎥⎦\]]\s*$")


def pretty_matrices(out: str) -> list[PrettyMatrix]:
    """The matrices drawn in pretty output ``out``, top to bottom.

    A matrix is a run of lines ``label  ⎡  cell  cell  ⎤`` (``[ ... ]`` for one row) under
    a line of column labels; cells and labels are separated by two or more spaces.
    """
    lines = out.splitlines()
    found: list[PrettyMatrix] = []
    k = 0
    while k < len(lines):
        if not _ROW.match(lines[k]) or k == 0:
            k += 1
            continue
        header = lines[k - 1]
        title = lines[k - 2] if k >= 2 and lines[k - 2].strip() else None
        rows: list[str] = []
        cells: list[list[str]] = []
        while k < len(lines) and (match := _ROW.match(lines[k])):
            rows.append(match["label"])
            cells.append(re.split(r"\s{2,}", match["cells"]))
            k += 1
        found.append(PrettyMatrix(title, re.split(r"\s{2,}", header.strip()), rows, cells))
    return found
