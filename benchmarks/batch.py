"""``jacobi batch`` on many small cases, against a process per case and a loop over the API.

Generates ``--cases`` small cases (1,000 by default; jac, det and grad of small functions of
two or three variables, each at a point; seeded, so every run times the same cases) and
measures, in one run:

1. ``jacobi batch FILE -f json`` with the default ``--jobs``, with ``--jobs 1`` and with one
   job per core: the whole process, start-up included, divided by the number of cases;
2. one ``jacobi COMMAND EXPRS --vars V --at P -f json`` process per case, on an evenly spread
   sample of ``--sample`` cases (100 by default; the per-case time is the sample's mean);
3. a Python loop over ``jacobi.commands.api`` (``api.jac([...], variables=..., at=...)``) in
   one process, SymPy imported once: the reports alone, and with each turned into the JSON
   object that batch writes (``jacobi.render.json.report_object``).

Wall time and CPU time (the process and its workers) are both shown: on a shared machine
CPU time is the steadier of the two. The run also checks that the outputs agree: the three
batch runs byte for byte, and every row (without batch's own keys) with the single process's
JSON and with the API loop's object for the same case.

Run: python benchmarks/batch.py [--cases 1000] [--sample 100]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Keys a batch row has that the single command's JSON object has not.
BATCH_KEYS = ("id", "status", "message", "case", "line", "exit_code")

#: (variables, commands, template): {a} and {b} are small integers.
FAMILIES: list[tuple[str, tuple[str, ...], str]] = [
    ("x,y", ("grad",), "x^{a} + {b}y"),
    ("x,y", ("grad",), "sin({a}x) cos(y)"),
    ("x,y", ("grad",), "exp({a}x - y) + x y"),
    ("x,y", ("grad",), "log(1 + x^2 + y^2) + {b}x"),
    ("x,y", ("grad",), "sqrt(1 + x^2 + {a}y^2)"),
    ("x,y,z", ("grad",), "x y z + z^{a}"),
    ("x,y", ("jac", "det"), "x^{a} - y, x y + {b}"),
    ("r,t", ("jac", "det"), "r cos(t), r sin(t)"),
    ("x,y", ("jac", "det"), "exp(x) cos({a}y), exp(x) sin({a}y)"),
    ("x,y", ("jac", "det"), "{a}x + {b}y, x - y^{a}"),
    ("x,y", ("jac", "det"), "sin(x y), x + y^{a}"),
    ("x,y,z", ("jac", "det"), "x y, y z, z x + {a}"),
    ("x,y,z", ("jac", "det"), "x + y + z, x y z, x^{a} - z"),
    ("x,y", ("jac",), "x, y, x^2 + {b}y^{a}"),
    ("x,y", ("jac",), "atan(x/{a}) + y, x/(1 + y^2)"),
]


def make_cases(count: int, seed: int = 10) -> list[dict[str, Any]]:
    """``count`` small cases, the same ones for the same ``seed``."""
    rnd = random.Random(seed)
    cases = []
    for k in range(count):
        names, commands, template = rnd.choice(FAMILIES)
        exprs = template.format(a=rnd.randint(2, 5), b=rnd.randint(1, 4))
        point = [rnd.randint(1, 3) if n == "r" else rnd.randint(-3, 3) for n in names.split(",")]
        cases.append(
            {
                "id": f"c{k + 1}",
                "command": rnd.choice(commands),
                "exprs": exprs,
                "vars": names,
                "at": ",".join(map(str, point)),
            }
        )
    return cases


def jacobi_exe() -> list[str]:
    # The console script itself, not a version-manager shim that adds its own start-up.
    exe = os.path.join(sysconfig.get_path("scripts"), "jacobi")
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "jacobi"]


def timed(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``cmd`` (with every process it waited for), and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(cmd[:4])} ... exited {proc.returncode}: {proc.stderr.strip()}")
    return wall, cpu, proc.stdout


API_LOOP = """
import json, sys, time
t0 = time.perf_counter()
from jacobi.commands import api
from jacobi.render.json import report_object
imported = time.perf_counter() - t0
cases = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
api_wall = api_cpu = obj_wall = obj_cpu = 0.0
objects = []
for c in cases:
    w, p = time.perf_counter(), time.process_time()
    report = getattr(api, c["command"])([c["exprs"]], variables=c["vars"], at=c["at"])
    w2, p2 = time.perf_counter(), time.process_time()
    objects.append(report_object(report))
    api_wall += w2 - w
    api_cpu += p2 - p
    obj_wall += time.perf_counter() - w2
    obj_cpu += time.process_time() - p2
json.dump({"import": imported, "api": [api_wall, api_cpu], "object": [obj_wall, obj_cpu],
           "objects": objects}, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def single_argv(case: dict[str, Any]) -> list[str]:
    return [case["command"], case["exprs"], "--vars", case["vars"], "--at", case["at"]]


def strip(row: dict[str, Any]) -> list[tuple[str, Any]]:
    """A batch row without batch's own keys, as ordered items (the single command's object)."""
    return [(k, v) for k, v in row.items() if k not in BATCH_KEYS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100, help="cases run as separate processes")
    args = parser.parse_args()
    cases = make_cases(args.cases)
    exe = jacobi_exe()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    tmp = Path(tempfile.mkdtemp(prefix="jacobi-batch-bench-"))
    path = tmp / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    n = len(cases)

    timed([*exe, "--version"])  # warm the file cache and byte-code
    runs: dict[str, tuple[float, float, str]] = {}
    for label, extra in [
        ("batch, default --jobs", []),
        ("batch --jobs 1", ["--jobs", "1"]),
        (f"batch --jobs {cores}", ["--jobs", str(cores)]),
    ]:
        runs[label] = timed([*exe, "batch", str(path), "-f", "json", *extra], ok=(0, 1))
    outputs = {out for _, _, out in runs.values()}
    rows = [json.loads(line) for line in runs["batch --jobs 1"][2].splitlines()]

    step = max(1, n // max(1, args.sample))
    sample = list(range(0, n, step))[: args.sample]
    single_wall = single_cpu = 0.0
    mismatched = 0
    for k in sample:
        wall, cpu, out = timed([*exe, *single_argv(cases[k]), "-f", "json"], ok=(0, 3))
        single_wall += wall
        single_cpu += cpu
        mismatched += list(json.loads(out).items()) != strip(rows[k])

    loop_out = tmp / "api.json"
    loop_wall, loop_cpu, _ = timed([sys.executable, "-c", API_LOOP, str(path), str(loop_out)])
    loop = json.loads(loop_out.read_text(encoding="utf-8"))
    pairs = zip(loop["objects"], rows, strict=True)
    api_mismatched = sum(list(o.items()) != strip(r) for o, r in pairs)

    per = {label: (w / n, c / n) for label, (w, c, _) in runs.items()}
    per["separate processes"] = (single_wall / len(sample), single_cpu / len(sample))
    per["API loop: reports"] = (loop["api"][0] / n, loop["api"][1] / n)
    per["API loop: reports + JSON objects"] = (
        (loop["api"][0] + loop["object"][0]) / n,
        (loop["api"][1] + loop["object"][1]) / n,
    )
    base_wall, base_cpu = per["API loop: reports + JSON objects"]
    print(f"{n} cases ({sum(r['status'] == 'pass' for r in rows)} pass), {cores} cores;")
    print(f"separate processes: a sample of {len(sample)}, scaled to {n} cases")
    print(f"{'per case':<36} {'wall ms':>9} {'cpu ms':>9} {'wall/API':>9} {'cpu/API':>9}")
    for label, (w, c) in per.items():
        print(
            f"{label:<36} {w * 1e3:9.2f} {c * 1e3:9.2f} {w / base_wall:8.2f}x {c / base_cpu:8.2f}x"
        )
    print(f"\n{'whole run of ' + str(n) + ' cases':<36} {'wall s':>9} {'cpu s':>9}")
    for label, (w, c) in per.items():
        print(f"{label:<36} {w * n:9.1f} {c * n:9.1f}")
    print(f"{'API loop: the whole process':<36} {loop_wall:9.1f} {loop_cpu:9.1f}")
    print("(separate processes: the sample's mean times the number of cases)")
    print(f"(the API loop's process spent {loop['import']:.2f} s importing jacobi and SymPy)")
    sep_wall, sep_cpu = per["separate processes"]
    w1, c1, _ = runs["batch --jobs 1"]
    print(
        f"batch --jobs 1 after its one start-up (a separate process's time): "
        f"{(w1 - sep_wall) / n * 1e3:.2f} ms wall, {(c1 - sep_cpu) / n * 1e3:.2f} ms cpu per case"
    )
    for label in runs:
        w, c = per[label]
        print(f"separate processes / {label}: {sep_wall / w:.0f}x wall, {sep_cpu / c:.0f}x cpu")
    print(
        "\nidentical: the batch runs byte for byte: "
        f"{'yes' if len(outputs) == 1 else 'NO'}; rows vs separate processes: "
        f"{len(sample) - mismatched}/{len(sample)}; rows vs the API loop: {n - api_mismatched}/{n}"
    )
    if len(outputs) != 1 or mismatched or api_mismatched:
        sys.exit(1)


if __name__ == "__main__":
    main()
