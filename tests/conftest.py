"""Shared test helpers: run the real entry point in-process and capture everything."""

from __future__ import annotations

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
