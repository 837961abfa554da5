"""``jacobi batch``: every case gets its row, bad cases stay contained, exit codes are right."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLDEN, ROOT, SAMPLES, Result
from jacobi.batch import run as batch_run
from jacobi.batch import workers as batch_workers
from jacobi.batch.cases import Case, detect_format, load_cases
from jacobi.batch.run import run_case
from jacobi.batch.workers import Runner
from jacobi.errors import InputError

# id -> (status, exit code the single command gives) for samples/robustness.jsonl
ROBUSTNESS = {
    "good-seed001": ("pass", 0),
    "good-seed001-at": ("pass", 0),
    "good-polar": ("pass", 0),
    "good-params": ("pass", 0),
    "good-at-list": ("pass", 0),
    "good-at-table": ("pass", 0),
    "good-denominator": ("pass", 0),
    "good-tanh": ("pass", 0),
    "good-check-against": ("pass", 0),
    "good-check-fd": ("pass", 0),
    "good-no-expect": ("pass", 0),
    "good-expected-undefined": ("pass", 3),
    "good-eval-is-a-name": ("pass", 0),
    "fail-wrong-answer": ("fail", 1),
    "fail-wrong-value": ("fail", 1),
    "fail-check-against": ("fail", 1),
    "undefined-seed000": ("error", 3),
    "undefined-log": ("error", 3),
    "undefined-sqrt": ("error", 3),
    "undefined-kink": ("error", 3),
    "undefined-pole": ("error", 3),
    "hostile-import": ("error", 2),
    "hostile-attribute": ("error", 2),
    "hostile-lambda": ("error", 2),
    "hostile-string": ("error", 2),
    "hostile-power": ("error", 4),
    "hostile-tower": ("error", 4),
    "hostile-nesting": ("error", 4),
    "hostile-in-at": ("error", 2),
    "hostile-in-expect": ("error", 2),
    "malformed-no-exprs": ("error", 2),
    "malformed-unknown-key": ("error", 2),
    "malformed-unknown-command": ("error", 2),
    "malformed-exprs-type": ("error", 2),
    "malformed-option": ("error", 2),
    "malformed-parse": ("error", 2),
    "malformed-paren": ("error", 2),
    "malformed-at-count": ("error", 2),
    "malformed-at-name": ("error", 2),
    "malformed-expect-shape": ("error", 2),
    "malformed-expect-key": ("error", 2),
    "case 42": ("error", 2),
}


def json_rows(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def robustness(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, list[dict[str, Any]]]:
    from conftest import run_cli

    res = run_cli(
        [
            "batch",
            str(SAMPLES / "robustness.jsonl"),
            "-f",
            "json",
            "-j",
            "2",
            "--case-timeout",
            "10",
        ]
    )
    return res, json_rows(res.out)


def test_robustness_every_case_has_its_row(robustness: tuple[Result, list[dict[str, Any]]]) -> None:
    res, rows = robustness
    assert len(ROBUSTNESS) >= 30
    assert sorted(r["id"] for r in rows) == sorted(ROBUSTNESS)
    assert res.code == 1
    assert "Traceback" not in res.out + res.err
    assert res.err == "jacobi: error: 29 of 42 cases did not pass (3 failed, 26 with errors)\n"
    assert not Path("/tmp/jacobi-pwned").exists()


@pytest.mark.parametrize("case_id", sorted(ROBUSTNESS))
def test_robustness_row(robustness: tuple[Result, list[dict[str, Any]]], case_id: str) -> None:
    rows = {r["id"]: r for r in robustness[1]}
    row = rows[case_id]
    status, code = ROBUSTNESS[case_id]
    assert (row["status"], row["exit_code"]) == (status, code), row["message"]
    assert row["message"]
    assert "Traceback" not in row["message"]


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["jac", "x*y/(x^2 + y^2)", "--at", "0,0"], 3),
        (["jac", "9**9**9"], 4),
        (["jac", "__import__('os')"], 2),
        (["jac", "x + y", "--at", "1"], 2),
        (["jac", "x + * y"], 2),
    ],
)
def test_error_row_matches_single_command(
    run: Callable[..., Result], tmp_path: Path, args: list[str], exit_code: int
) -> None:
    single = run(args)
    case: dict[str, Any] = {"command": args[0], "exprs": args[1]}
    if "--at" in args:
        case["at"] = args[args.index("--at") + 1]
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(case) + "\n")
    res = run(["batch", str(path), "-f", "json"])
    (row,) = json_rows(res.out)
    assert single.code == exit_code
    assert row["exit_code"] == exit_code
    assert "jacobi: error: " + row["message"] == single.err.splitlines()[0]


@pytest.mark.parametrize(
    ("case", "args"),
    [
        ({"exprs": "x + y, x*y", "at": "-1,2"}, ["jac", "x + y, x*y", "--at", "-1,2"]),
        (
            {"exprs": "a x^2", "vars": "x", "params": "a=3"},
            ["jac", "a x^2", "-v", "x", "-p", "a=3"],
        ),
        (
            {"command": "check", "exprs": "x*y", "options": {"against": "[y, x]"}},
            ["check", "x*y", "--against", "[y, x]"],
        ),
    ],
)
def test_pass_row_is_the_single_commands_object(
    run: Callable[..., Result], tmp_path: Path, case: dict[str, Any], args: list[str]
) -> None:
    single = json.loads(run([*args, "--format", "json"]).out)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(case) + "\n")
    res = run(["batch", str(path), "-f", "json"])
    (row,) = json_rows(res.out)
    assert res.code == 0
    assert {k: row[k] for k in single} == single
    assert set(row) - set(single) == {"id", "status", "message", "exit_code", "case", "line"}


@pytest.mark.parametrize(
    ("sample", "exit_code", "counts"),
    [
        ("seeds.jsonl", 0, "20 cases: 20 passed, 0 failed, 0 errors"),
        ("problems.toml", 1, "14 cases: 13 passed, 1 failed, 0 errors"),
    ],
)
def test_samples(run: Callable[..., Result], sample: str, exit_code: int, counts: str) -> None:
    res = run(["batch", str(SAMPLES / sample)])
    assert res.code == exit_code
    assert res.out.splitlines()[-1] == counts
    assert res.out.splitlines()[0].split() == ["status", "id", "command", "message"]


def test_problem_set_names_the_wrong_answer(run: Callable[..., Result]) -> None:
    res = run(["batch", str(SAMPLES / "problems.toml")])
    fails = [line for line in res.out.splitlines() if line.startswith("FAIL")]
    assert len(fails) == 1
    assert fails[0].split()[1] == "product-rule"
    assert "expected 2*x*sin(x)" in fails[0]
    assert res.err == "jacobi: error: 1 of 14 cases did not pass (1 failed, 0 with errors)\n"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.jsonl", '{"exprs": "x"}\n\n{"exprs": "y"\n', "bad.jsonl, line 3: not valid JSON"),
        ("bad.toml", '[[case]]\nexprs = "x"\nexprs = \n', "bad.toml: not valid TOML"),
        ("empty.jsonl", "# nothing\n", "empty.jsonl has no cases"),
        ("top.toml", 'exprs = "x"\n', "top.toml: unknown top-level key 'exprs'"),
        ("cases.toml", '[case]\nexprs = "x"\n', "'case' must be an array of tables"),
    ],
)
def test_unreadable_file_exit_2(
    run: Callable[..., Result], tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    res = run(["batch", str(path)])
    assert res.code == 2
    assert res.out == ""
    assert message in res.err
    assert len(res.err.splitlines()) == 1


def test_missing_file(run: Callable[..., Result]) -> None:
    res = run(["batch", "no/such/file.toml"])
    assert (res.code, res.out) == (2, "")
    assert res.err == "jacobi: error: no such file: no/such/file.toml\n"


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ('{"exprs": "x*y", "expect": "[y, x]"}\n', "1 case: 1 passed, 0 failed, 0 errors"),
        ('[[case]]\nexprs = "x^2"\nexpect = "2x"\n', "1 case: 1 passed, 0 failed, 0 errors"),
    ],
)
def test_stdin(run: Callable[..., Result], stdin: str, expected: str) -> None:
    res = run(["batch", "-"], stdin=stdin)
    assert res.code == 0
    assert res.out.splitlines()[-1] == expected


def test_parallel_jobs_give_the_same_rows(run: Callable[..., Result]) -> None:
    one = json_rows(run(["batch", str(SAMPLES / "problems.toml"), "-f", "json"]).out)
    two = json_rows(run(["batch", str(SAMPLES / "problems.toml"), "-f", "json", "-j", "3"]).out)
    key = lambda r: r["case"]  # noqa: E731
    assert sorted(one, key=key) == sorted(two, key=key)
    assert [r["case"] for r in one] == list(range(1, 15))  # one job: file order


def test_output_file_is_written_whole(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    res = run(["batch", str(SAMPLES / "seeds.jsonl"), "-f", "json", "-o", str(out)])
    assert res.code == 0
    assert res.out == "20 cases: 20 passed, 0 failed, 0 errors\n"
    assert len(json_rows(out.read_text())) == 20
    assert not (tmp_path / "results.jsonl.partial").exists()


def test_slow_case_times_out_and_the_rest_run(run: Callable[..., Result], tmp_path: Path) -> None:
    slow = " + ".join(f"sin(x{i} y) cos(x{i})" for i in range(400))
    path = tmp_path / "slow.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {"id": "a", "exprs": "x"},
                {"id": "slow", "exprs": slow},
                {"id": "b", "exprs": "y^2"},
            ]
        )
    )
    res = run(["batch", str(path), "-f", "json", "--case-timeout", "0.5"])
    rows = {r["id"]: r for r in json_rows(res.out)}
    assert res.code == 1
    assert (rows["a"]["status"], rows["b"]["status"]) == ("pass", "pass")
    assert rows["slow"]["exit_code"] == 4
    assert rows["slow"]["message"] == (
        "the computation took longer than 0.5 s (raise the limit with --case-timeout)"
    )


def _stuck(data: Any) -> dict[str, Any]:
    """A case stuck in a sleep (like SymPy deep in C code), or one that kills its worker."""
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    if data.get("exprs") == "stuck":
        time.sleep(60)
    if data.get("exprs") == "crash":
        os._exit(7)
    return {"status": "pass", "message": "ok", "exit_code": 0}


def test_stuck_worker_is_killed_and_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_workers, "run_case", _stuck)  # what the worker calls
    cases = [
        Case(k + 1, k + 1, str(k + 1), {"exprs": e})
        for k, e in enumerate(["x", "stuck", "crash", "y"])
    ]
    t0 = time.monotonic()
    rows = {case.id: row for case, row in Runner(jobs=1, timeout=0.2).run(cases)}
    assert time.monotonic() - t0 < 10
    assert [rows[k]["status"] for k in "1234"] == ["pass", "error", "error", "pass"]
    assert rows["2"]["exit_code"] == rows["3"]["exit_code"] == 4
    assert "took longer than 0.2 s" in rows["2"]["message"]
    assert rows["3"]["message"] == "the worker process running the case died (exit status 7)"


def _killed_run(tmp_path: Path, extra: list[str]) -> tuple[str, Path]:
    """Start a batch of 3 quick and 3 slow cases, SIGKILL it once 3 rows are out."""
    slow = " + ".join(f"sin(x{i} y) cos(x{i})" for i in range(400))
    cases = [{"id": f"quick{k}", "exprs": f"x^{k}"} for k in range(1, 4)]
    cases += [{"id": f"slow{k}", "exprs": slow} for k in range(3)]
    path = tmp_path / "kill.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jacobi", "batch", str(path), "-f", "json", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out = ""
    partial = tmp_path / "out.jsonl.partial"
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        if extra:
            if partial.exists() and partial.read_text().count("\n") >= 3:
                break
            time.sleep(0.05)
        else:
            out += proc.stdout.readline()
            if out.count("\n") >= 3:
                break
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    return out + rest, partial


def test_killed_run_keeps_streamed_rows(tmp_path: Path) -> None:
    out, _ = _killed_run(tmp_path, [])
    rows = json_rows(out)
    assert [r["id"] for r in rows[:3]] == ["quick1", "quick2", "quick3"]
    assert all(r["status"] == "pass" for r in rows[:3])


def test_killed_run_keeps_partial_output_file(tmp_path: Path) -> None:
    _, partial = _killed_run(tmp_path, ["-o", str(tmp_path / "out.jsonl")])
    rows = json_rows(partial.read_text())
    assert [r["id"] for r in rows[:3]] == ["quick1", "quick2", "quick3"]
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ('{"exprs": "x"}', "<stdin>", "jsonl"),
        ('# comment\n{"exprs": "x"}', "cases", "jsonl"),
        ('[[case]]\nexprs = "x"', "<stdin>", "toml"),
        ('[[case]]\nexprs = "x"', "cases.jsonl", "jsonl"),
        ('{"exprs": "x"}', "cases.toml", "toml"),
    ],
)
def test_detect_format(text: str, name: str, expected: str) -> None:
    assert detect_format(text, name) == expected


def test_toml_cases_know_their_lines() -> None:
    cases = load_cases(str(SAMPLES / "problems.toml"))
    lines = (SAMPLES / "problems.toml").read_text().splitlines()
    assert all(lines[c.line - 1].strip() == "[[case]]" for c in cases if c.line)
    assert [c.id for c in cases][:2] == ["power", "chain"]


def test_batch_json_golden(run: Callable[..., Result]) -> None:
    lines = (SAMPLES / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    res = run(["batch", "-", "--format", "json"], stdin="\n".join(lines[:4]) + "\n")
    assert res.code == 0
    assert res.out == (GOLDEN / "batch_seed_cases.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "status", "message"),
    [
        ({"exprs": "x*y", "expect": "[y, x]"}, "pass", "result [[y, x]]"),
        (
            {"command": "check", "exprs": "x*y", "options": {"against": "[y, y]"}},
            "fail",
            "failed: 1 of 2 entries is wrong",
        ),
        (
            {"command": "mjac", "exprs": "x^T x", "options": {"vectors": "x:2"}},
            "pass",
            "result [[2*x1, 2*x2]]",
        ),
        (
            {"command": "mjac", "exprs": ["x", "y"], "options": {"vectors": "x:2"}},
            "error",
            "'exprs' must be one string for mjac",
        ),
        (
            {"command": "jac", "exprs": "x", "options": {"at": "1"}},
            "error",
            "give 'at' as the case key 'at', not as an option",
        ),
    ],
)
def test_dispatch_through_the_command_registry(
    case: dict[str, Any], status: str, message: str
) -> None:
    row = run_case(case)
    assert (row["status"], row["message"]) == (status, message)


def test_pretty_table_keeps_brackets(run: Callable[..., Result]) -> None:
    res = run(["batch", "-", "-f", "pretty"], stdin='{"id": "s", "exprs": "x+y, x*y"}\n')
    assert res.code == 0
    assert "result [[1, 1], [y, x]]" in res.out
    assert "PASS" in res.out
    assert res.out.rstrip().endswith("1 case: 1 passed, 0 failed, 0 errors")


def _alarm_state(*args: Any, **kwargs: Any) -> None:
    raise InputError(
        f"itimer={signal.getitimer(signal.ITIMER_REAL)[0]} "
        f"handler={signal.getsignal(signal.SIGALRM) is signal.SIG_DFL}"
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_alarm_inside_workers(monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    # A signal interrupt could land in code that is not jacobi's (it once did, in a gc
    # callback); the case's only time limit is the parent killing the worker.
    class Alarm:  # a command whose build reports the alarm state of its worker
        name = "jac"

        def run(self, inputs: Any, options: Any) -> Any:
            return _alarm_state()

    monkeypatch.setattr(batch_run, "command_call", lambda data: (Alarm(), ["x"], {}))
    cases = [Case(k, k, str(k), {"exprs": "x"}) for k in (1, 2, 3)]
    rows = [row for _, row in Runner(jobs=jobs, timeout=5).run(cases)]
    assert [r["message"] for r in rows] == ["itimer=0.0 handler=True"] * 3


def test_case_deadline_is_the_case_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    # Killed at --case-timeout itself, not after an extra grace period; with -j 1 too,
    # and the cases after it still run.
    monkeypatch.setattr(batch_workers, "run_case", _stuck)  # what the worker calls
    cases = [Case(k + 1, k + 1, str(k + 1), {"exprs": e}) for k, e in enumerate(["stuck", "y"])]
    t0 = time.monotonic()
    runs = Runner(jobs=1, timeout=0.3).run(cases)
    case, row = next(runs)
    elapsed = time.monotonic() - t0
    assert (case.id, row["exit_code"]) == ("1", 4)
    assert (
        row["message"]
        == "the computation took longer than 0.3 s (raise the limit with --case-timeout)"
    )
    assert 0.3 <= elapsed < 1.2
    assert [(c.id, r["status"]) for c, r in runs] == [("2", "pass")]


def test_a_sparse_case_is_compared_and_summarised() -> None:
    """--sparse drops the dense result from the JSON; expect still compares the matrix."""
    case = {"exprs": "x*y, y+z", "options": {"sparse": True}}
    right = run_case({**case, "expect": "[[y, x, 0], [0, 1, 1]]"})
    assert right["status"] == "pass" and right["message"] == "4 non-zero entries of 2x3"
    wrong = run_case({**case, "expect": "[[y, y, 0], [0, 1, 1]]"})
    assert wrong["status"] == "fail" and "df1/dy is x, expected y" in wrong["message"]


def test_a_vector_hessian_is_compared_slice_by_slice() -> None:
    """Hand-derived: H(x1^2) = [[2, 0], [0, 0]], H(x2^2) = [[0, 0], [0, 2]]. A single matrix
    used to be compared with the first slice only, and passed."""
    case = {"command": "hessian", "exprs": "x1^2, x2^2"}
    one = run_case({**case, "expect": "[[2, 0], [0, 0]]"})
    assert one["status"] == "error" and "one matrix per component (2 here)" in one["message"]
    right = run_case({**case, "expect": ["[[2, 0], [0, 0]]", "[[0, 0], [0, 2]]"]})
    assert right["status"] == "pass"
    wrong = run_case({**case, "expect": ["[[2, 0], [0, 0]]", "[[0, 0], [0, 3]]"]})
    assert wrong["status"] == "fail" and wrong["message"].startswith("H_f2 entry (2, 2)")
    at = run_case(
        {**case, "at": "1,2", "expect": {"value": ["[[2, 0], [0, 0]]", "[[0, 0], [0, 1]]"]}}
    )
    assert at["status"] == "fail" and "is 2, expected 1" in at["message"]
