"""Warm, reused workers: rows in the cases' order with any ``--jobs``, the same row for a case
alone or after others, and a killed or crashed worker replaced without touching its neighbours."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from conftest import SAMPLES, Result
from jacobi.batch import workers as batch_workers
from jacobi.batch.cases import Case, load_cases
from jacobi.batch.workers import Runner


def _fake(data: Any) -> dict[str, Any]:
    """What the worker runs instead of a case: report the worker's pid, hang or crash."""
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    if data.get("exprs") == "stuck":
        time.sleep(60)
    if data.get("exprs") == "crash":
        os._exit(7)
    if data.get("exprs") == "exit":
        raise SystemExit(3)  # not an Exception: escapes run_case's handler, ends the worker
    return {"status": "pass", "message": str(os.getpid()), "exit_code": 0}


def _cases(*exprs: str) -> list[Case]:
    return [Case(k + 1, k + 1, f"c{k + 1}", {"exprs": e}) for k, e in enumerate(exprs)]


def _run(cases: list[Case], jobs: int, timeout: float = 0.3) -> list[tuple[str, dict[str, Any]]]:
    return [(c.id, row) for c, row in Runner(jobs=jobs, timeout=timeout).run(cases)]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_rows_in_case_order_around_a_stuck_and_a_crashing_case(
    monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(batch_workers, "run_case", _fake)  # what the worker calls
    cases = _cases("x", "stuck", "y", "z", "crash", "exit", "w", "v")
    rows = _run(cases, jobs)
    assert [i for i, _ in rows] == [c.id for c in cases]
    statuses = [(r["status"], r["exit_code"]) for _, r in rows]
    assert statuses == [("pass", 0), ("error", 4), ("pass", 0), ("pass", 0)] + [
        ("error", 4),
        ("error", 4),
        ("pass", 0),
        ("pass", 0),
    ]
    messages = dict(rows)
    assert messages["c2"]["message"].startswith("the computation took longer than 0.3 s")
    assert messages["c5"]["message"] == "the worker process running the case died (exit status 7)"
    assert messages["c6"]["message"] == "the worker process running the case died (exit status 3)"


def test_one_worker_serves_case_after_case_and_is_replaced_only_when_killed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch_workers, "run_case", _fake)
    cases = _cases("a", "b", "stuck", "c", "d", "crash", "e", "f")
    pid = {i: r["message"] for i, r in _run(cases, jobs=1) if r["status"] == "pass"}
    assert str(os.getpid()) not in pid.values()  # every case ran in a worker
    assert pid["c1"] == pid["c2"]  # reused
    assert pid["c4"] == pid["c5"] != pid["c1"]  # the killed worker's replacement, reused
    assert pid["c7"] == pid["c8"] != pid["c4"]  # the crashed worker's replacement
    assert len(set(pid.values())) == 3


def test_workers_are_reused_with_several_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_workers, "run_case", _fake)
    rows = _run(_cases(*(f"x{k}" for k in range(12))), jobs=2)
    assert all(r["status"] == "pass" for _, r in rows)
    assert 1 <= len({r["message"] for _, r in rows}) <= 2


def test_a_worker_that_died_while_idle_is_replaced_and_the_case_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch_workers, "run_case", _fake)
    runner = Runner(jobs=1, timeout=5)
    runs = runner.run(_cases("a", "b", "c"))
    case, first = next(runs)  # the worker is idle now: kill it, as the OOM killer might
    (worker,) = runner.workers
    worker.process.kill()
    worker.process.join(5)
    rest = list(runs)
    assert [c.id for c, _ in rest] == ["c2", "c3"]
    assert [r["status"] for _, r in rest] == ["pass", "pass"]
    assert rest[0][1]["message"] == rest[1][1]["message"] != first["message"]
    assert runner.workers == []  # closed at the end


def _rows(cases: list[Case], jobs: int) -> list[dict[str, Any]]:
    return [row for _, row in Runner(jobs=jobs, timeout=30).run(cases)]


def test_a_case_gives_the_same_row_alone_and_after_other_cases() -> None:
    # The worker's history (SymPy's cache, jacobi's symbol table) never shows in a row:
    # each case alone in a fresh worker, all in one worker, and spread over two.
    cases = load_cases(str(SAMPLES / "seeds.jsonl"))
    alone = [_rows([c], 1)[0] for c in cases]
    assert _rows(cases, 1) == alone
    assert _rows(cases[::-1], 2) == alone[::-1]
    assert {r["status"] for r in alone} == {"pass"}


@pytest.mark.parametrize(("sample", "fmt"), [("seeds.jsonl", "json"), ("problems.toml", "plain")])
def test_output_is_byte_identical_with_any_jobs(
    run: Callable[..., Result], sample: str, fmt: str
) -> None:
    results = [
        run(["batch", str(SAMPLES / sample), "-f", fmt, "-j", str(jobs)]) for jobs in (1, 2, 3)
    ]
    assert len({(r.code, r.out, r.err) for r in results}) == 1
    if fmt == "json":
        assert results[0].out.count('"case": ') == len(load_cases(str(SAMPLES / sample)))
