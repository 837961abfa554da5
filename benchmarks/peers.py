"""Whole-process time of jacobi against its peers on the workloads of issue 10, in one run.

Every command is a separate process (what a user waits for): jacobi itself, a bare SymPy
script, the fastest SymPy route we know (where there is a better one than the bare
script), SymEngine and Maxima. In each repetition all commands of a workload run one
after the other, in an order rotated from one repetition to the next. The table shows
medians of the CPU seconds (user + sys of the child, from ``os.wait4``), jacobi's ratios
to the fastest peer, to SymPy and to Maxima as medians of the ratios paired within a
repetition, and jacobi's peak RSS. A second table shows wall seconds.

Every peer computes and prints the full result (to a file that is then checked for size):

=============  ===============================================================
SymPy          ``Matrix(exprs).jacobian(vars)``, non-zero entries with ``str``;
               det: ``det(method='berkowitz')`` then ``trigsimp(factor(...))``
               (``expand(...)`` for the polynomial maps)
SymPy best     the fastest SymPy route we know: ``diff`` of each component by its
               own free symbols only; det of a polynomial map: Berkowitz over
               ZZ[x1..xn] (``DomainMatrix.charpoly``); none for the others
SymEngine      ``Matrix.jacobian``, ``print(J)``; det: ``expand(J.det())``
               (trigonometric determinants stay unsimplified: no ``trigsimp``)
Maxima         ``jacobian``, ``print(J)``; ``trigsimp(determinant(J))``, or
               ``ratsimp(determinant(J))`` for the polynomial maps
=============  ===============================================================

Parsing the input text with ``parse_expr`` is fine here: it is our own generated text.
jacobi's own output is checked once (the number of non-zeros, the positions and values
against SymPy's, the determinant against SymPy's). Peers are killed after ``--cap``
CPU seconds and reported as ">cap"; a peer past the cap is not run again in later
repetitions. jacobi runs with ``--timeout 0`` and is killed only after ten caps.
SymEngine and Maxima columns are skipped with a note when they are not installed.

Run from the repository root::

    python benchmarks/peers.py                    # everything, 3 repetitions
    python benchmarks/peers.py --quick            # 1 repetition, no N = 10,000
    python benchmarks/peers.py --only bratu --reps 5 --cap 30
    python benchmarks/peers.py --list             # the workload names
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import workloads  # noqa: E402

SYMPY_PRELUDE = """
import sys, sympy
from sympy.parsing.sympy_parser import parse_expr
comps = open(sys.argv[1]).read().splitlines()
names = open(sys.argv[2]).read().split()
syms = {n: sympy.Symbol(n, real=True) for n in names}
exprs = [parse_expr(c, local_dict=syms) for c in comps]
V = [syms[n] for n in names]
"""

SYMPY_JAC = (
    SYMPY_PRELUDE
    + """
J = sympy.Matrix(exprs).jacobian(V)
print("\\n".join(f"{i + 1} {j + 1} {v}" for (i, j), v in sorted(J.todok().items())))
"""
)

SYMPY_POLY = (
    SYMPY_PRELUDE
    + """
from sympy.polys.matrices import DomainMatrix
dm = DomainMatrix.from_Matrix(sympy.Matrix(exprs).jacobian(V))
print(dm.domain.to_sympy(dm.charpoly()[-1] * (-1) ** dm.shape[0]))
"""
)

SYMPY_SPARSE = (
    SYMPY_PRELUDE
    + """
index = {s: j for j, s in enumerate(V)}
out = []
for i, e in enumerate(exprs):
    for j in sorted(index[s] for s in e.free_symbols if s in index):
        d = e.diff(V[j])
        if d != 0:
            out.append(f"{i + 1} {j + 1} {d}")
print("\\n".join(out))
"""
)

SYMPY_DET = (
    SYMPY_PRELUDE
    + """
d = sympy.Matrix(exprs).jacobian(V).det(method="berkowitz")
print(sympy.expand(d) if sys.argv[3] == "poly" else sympy.trigsimp(sympy.factor(d)))
"""
)

SYMPY_SEED = """
import sympy
x, y = sympy.symbols("x y", real=True)
J = sympy.Matrix([x + y, x*y]).jacobian([x, y])
print(J)
print(J.subs({x: -1, y: 2}))
"""

SYMENGINE_PRELUDE = """
import sys, symengine as se
comps = open(sys.argv[1]).read().splitlines()
names = open(sys.argv[2]).read().split()
exprs = [se.sympify(c) for c in comps]
J = se.Matrix(exprs).jacobian(se.Matrix([se.Symbol(n) for n in names]))
"""

SYMENGINE_JAC = SYMENGINE_PRELUDE + "print(J)\n"
SYMENGINE_DET = SYMENGINE_PRELUDE + "print(se.expand(J.det()))\n"
SYMENGINE_SEED = """
import symengine as se
x, y = se.symbols("x y")
J = se.Matrix([x + y, x*y]).jacobian(se.Matrix([x, y]))
print(J)
print(J.subs({x: -1, y: 2}))
"""

MAXIMA_SEED = (
    "display2d:false$ J: jacobian([x+y, x*y], [x, y])$ print(J)$ print(subst([x=-1, y=2], J))$"
)


def maxima_program(kind: str, comps: list[str], names: list[str]) -> str:
    """The Maxima batch file for a Jacobian (``jac``) or a determinant (``trig``, ``poly``)."""
    head = (
        "display2d:false$\nlinel:1000000$\n"
        f"J: jacobian([{', '.join(comps)}], [{', '.join(names)}])$\n"
    )
    if kind == "jac":
        return head + "print(J)$\n"
    simplify = "trigsimp" if kind == "trig" else "ratsimp"
    return head + f"print({simplify}(determinant(J)))$\n"


@dataclass
class Workload:
    """One group of commands timed together: jacobi's variants (rows) and the peers."""

    name: str
    label: str
    kind: str  # jac, trig, poly or seed
    comps: list[str]
    jacobi_input: str | None = None  # an existing file (samples/); else the comps
    jacobi_options: list[str] = field(default_factory=list)
    formats: tuple[str, ...] = ("plain",)
    nonzeros: int | None = None
    peers: bool = True
    note: str = ""

    @property
    def names(self) -> list[str]:
        return workloads.natural_variables(self.comps)


def catalogue(quick: bool) -> list[Workload]:
    sizes = (1000, 3000) if quick else (1000, 3000, 10000)
    every = ("plain", "json", "latex")
    spherical_vars = ["--vars", "r,theta,phi"]
    items = [
        Workload("bratu", "Bratu N=1000 Jacobian", "jac", workloads.bratu(1000), formats=every,
                 nonzeros=3 * 1000 - 2),
        Workload("brusselator", "Brusselator N=1000", "jac", workloads.brusselator(1000),
                 formats=every, nonzeros=4 * 1000 - 4),
        Workload("arm", "40-link arm (80x40)", "jac", workloads.arm(40), nonzeros=40 * 41),
        Workload("polar", "det, polar coordinates", "trig", workloads.POLAR,
                 jacobi_input="samples/polar.txt", jacobi_options=["--vars", "r,t"]),
        Workload("spherical", "det, spherical coordinates", "trig", workloads.SPHERICAL,
                 jacobi_input="samples/spherical.txt", jacobi_options=spherical_vars),
        Workload("quad7", "det, dense quadratic map n=7", "poly", workloads.quadratic(7)),
        Workload("quad8", "det, dense quadratic map n=8", "poly", workloads.quadratic(8)),
        Workload("seed", "seed example one-shot", "seed", workloads.SEED),
    ]  # fmt: skip
    for n in sizes[1:]:
        dense = n > 3000
        items.append(
            Workload(f"bratu{n}", f"Bratu N={n} Jacobian", "jac", workloads.bratu(n),
                     nonzeros=3 * n - 2, peers=not dense,
                     note="peers skipped: dense 10^8-entry matrices" if dense else "")
        )  # fmt: skip
    return items


@dataclass
class Sample:
    cpu: float
    wall: float
    rss_mb: float
    code: int | None  # None: killed at the cap
    out: Path
    err: Path


def measure(cmd: list[str], out: Path, err: Path, cap: float) -> Sample:
    """Run ``cmd`` once; CPU and peak RSS of the child (and its descendants) from wait4.

    The cap is on CPU seconds (RLIMIT_CPU: SIGXCPU at ``cap``, SIGKILL 5 s later), with a
    wall-clock safety net at three caps, so that a loaded machine does not count as slow.
    """
    limit = math.ceil(cap)

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))

    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
            preexec_fn=limited,
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(3 * cap + 10, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    over = signalled == signal.SIGXCPU or (signalled == signal.SIGKILL and cpu >= limit - 1)
    code = None if killed.is_set() or over else proc.returncode
    return Sample(cpu, wall, usage.ru_maxrss / 1024, code, out, err)


def jacobi_source() -> str:
    """Which jacobi the runs import: this checkout's commit (and whether jacobi/ is edited)."""
    found = subprocess.run(
        [sys.executable, "-c", "import jacobi; print(jacobi.__file__)"],
        cwd="/",  # as the console script imports it: not from the current directory
        capture_output=True,
        text=True,
    ).stdout.strip()
    package = Path(found).parent
    git = ["git", "-C", str(package.parent)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if package != ROOT / "jacobi" or commit.returncode:
        return f"imported from {package}"
    status = [*git, "status", "--porcelain", "--untracked-files=no", "jacobi"]
    dirty = subprocess.run(status, capture_output=True, text=True).stdout.strip()
    return commit.stdout.strip() + (" with uncommitted changes in jacobi/" if dirty else "")


def jacobi_exe() -> list[str]:
    exe = os.path.join(sysconfig.get_path("scripts"), "jacobi")
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "jacobi"]


def commands(w: Workload, work: Path, tools: set[str]) -> dict[str, tuple[list[str], bool]]:
    """Name -> (argv, is_jacobi) for every command of the workload."""
    comps_file, vars_file = work / f"{w.name}.comps", work / f"{w.name}.vars"
    comps_file.write_text("\n".join(w.comps) + "\n")
    vars_file.write_text("\n".join(w.names) + "\n")
    verb = "jac" if w.kind in ("jac", "seed") else "det"
    cmds: dict[str, tuple[list[str], bool]] = {}
    for fmt in w.formats:
        if w.kind == "seed":
            args = [verb, "x+y, x*y", "--at", "-1,2"]
        else:
            source = str(ROOT / w.jacobi_input) if w.jacobi_input else str(comps_file)
            args = [verb, f"@{source}", *w.jacobi_options, "--timeout", "0"]
        cmds[f"jacobi {fmt}"] = ([*jacobi_exe(), *args, "--format", fmt], True)
    if not w.peers:
        return cmds

    def script(name: str, text: str, *extra: str) -> list[str]:
        path = work / f"{w.name}.{name}.py"
        path.write_text(text)
        return [sys.executable, str(path), *extra]

    files = (str(comps_file), str(vars_file))
    if w.kind == "seed":
        cmds["SymPy"] = (script("sympy", SYMPY_SEED), False)
    elif w.kind == "jac":
        cmds["SymPy"] = (script("sympy", SYMPY_JAC, *files), False)
        cmds["SymPy best"] = (script("sparse", SYMPY_SPARSE, *files), False)
    else:
        cmds["SymPy"] = (script("sympy", SYMPY_DET, *files, w.kind), False)
    if w.kind == "poly":
        cmds["SymPy best"] = (script("charpoly", SYMPY_POLY, *files), False)
    if "SymEngine" in tools:
        text = {"seed": SYMENGINE_SEED, "jac": SYMENGINE_JAC}.get(w.kind, SYMENGINE_DET)
        cmds["SymEngine"] = (script("symengine", text, *files), False)
    if "Maxima" in tools:
        if w.kind == "seed":
            batch = MAXIMA_SEED
        else:
            mac = work / f"{w.name}.mac"
            mac.write_text(maxima_program(w.kind, w.comps, w.names))
            batch = f'batchload("{mac}")$'
        cmds["Maxima"] = (["maxima", "--very-quiet", f"--batch-string={batch}"], False)
    return cmds


JAC_LINE = re.compile(r"^\s*\[(\d+), (\d+)\] \S+ \S+: (.*)$")


def jacobi_entries(text: str) -> dict[tuple[int, int], str]:
    """The non-zero entries of jacobi's plain listing ``[i, j] fi d/dxj: value``."""
    found = {}
    for line in text.splitlines():
        m = JAC_LINE.match(line)
        if m:
            found[int(m[1]), int(m[2])] = m[3]
    return found


def peer_entries(text: str) -> dict[tuple[int, int], str]:
    found = {}
    for line in text.splitlines():
        i, j, value = line.split(" ", 2)
        found[int(i), int(j)] = value
    return found


def parse_sum(text: str, syms: dict[str, object]) -> object:
    """Parse a long sum term by term (a 10^4-term sum in one ``parse_expr`` is too deep)."""
    import sympy
    from sympy.parsing.sympy_parser import parse_expr

    terms, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if depth == 0 and k > start and text[k - 1 : k + 2] in (" + ", " - "):
            terms.append(text[start : k - 1])
            start = k
    terms.append(text[start:])
    return sympy.Add(*(parse_expr(t.replace(" ", ""), local_dict=syms) for t in terms))


def same_value(a: str, b: str, names: list[str]) -> bool:
    """Whether two SymPy-syntax strings denote the same expression (real symbols)."""
    import sympy

    syms: dict[str, object] = {n: sympy.Symbol(n, real=True) for n in names}
    diff = parse_sum(a, syms) - parse_sum(b, syms)  # type: ignore[operator]
    return sympy.expand(diff) == 0 or sympy.simplify(diff) == 0


def check(w: Workload, fmt: str, s: Sample, sympy_out: Path | None) -> str:
    """One line on jacobi's output: sizes, non-zeros, agreement with SymPy's result."""
    text = s.out.read_text()
    if fmt == "json":
        result = json.loads(text)["result"]
        nnz = sum(v != "0" for row in result for v in row)
        return f"{w.name} json: {nnz} non-zero entries (expected {w.nonzeros})"
    if fmt == "latex":
        amps = text.count("&")
        rows, cols = len(w.comps), len(w.names)
        return f"{w.name} latex: {amps} '&' (a full {rows}x{cols} matrix has {rows * (cols - 1)})"
    if w.kind == "jac":
        ours = jacobi_entries(text)
        line = f"{w.name} plain: {len(ours)} non-zero entries (expected {w.nonzeros})"
        if sympy_out is not None and sympy_out.exists():
            theirs = peer_entries(sympy_out.read_text())
            differ = [k for k in ours if ours[k] != theirs.get(k)]
            shown = [k for k in differ[:20] if k in theirs]
            equal = sum(same_value(ours[k], theirs[k], w.names) for k in shown)
            line += (
                f"; positions {'equal' if ours.keys() == theirs.keys() else 'DIFFER'} to SymPy's;"
                f" {len(ours) - len(differ)} values textually equal,"
                f" {equal} of {len(shown)} others checked equal"
            )
        return line
    if w.kind == "seed":
        return f"seed plain: {'ok' if '2    -1' in text else 'UNEXPECTED'} value block"
    m = re.search(r"^det J = (.*)$", text, re.M)
    if not m:
        return f"{w.name}: no 'det J = ' line in jacobi's output"
    det = m[1]
    line = f"{w.name}: det J has {det.count(' + ') + det.count(' - ') + 1} terms"
    if sympy_out is not None and sympy_out.exists() and sympy_out.stat().st_size:
        theirs = sympy_out.read_text().strip()
        verdict = "equal" if same_value(det, theirs, w.names) else "DIFFERENT"
        line += f", {verdict} to SymPy's ({'same text' if det == theirs else theirs[:40]})"
    return line


def outputs(w: Workload, res: Result) -> str:
    """What each peer printed in its first repetition: bytes and how it begins."""
    parts = []
    for name in PEERS:
        if res.samples.get(name):
            out = res.samples[name][0].out
            with open(out) as f:
                text = f.read(4096)
            if name == "Maxima":  # --batch-string echoes the batchload(...) line first
                text = text.split("\n", 2)[-1]
            start = " ".join(text.split())[:24]
            parts.append(f"{name} {out.stat().st_size:,} bytes ({start!r}...)")
    return f"{w.name} peers printed: " + "; ".join(parts) if parts else f"{w.name}: no peer output"


def verify(w: Workload, res: Result) -> list[str]:
    """The checks of jacobi's outputs (first repetition) and what the peers printed."""
    theirs = res.samples.get("SymPy best") or res.samples.get("SymPy")
    lines = []
    for fmt in w.formats:
        if res.samples.get(f"jacobi {fmt}"):
            try:
                lines.append(
                    check(
                        w, fmt, res.samples[f"jacobi {fmt}"][0], theirs[0].out if theirs else None
                    )
                )
            except Exception as error:  # a check that cannot run is a finding too
                lines.append(f"{w.name} {fmt}: check failed ({error!r:.120})")
    return [*lines, outputs(w, res)]


def tools_available() -> tuple[set[str], list[str]]:
    tools, notes = {"SymPy"}, []
    if importlib.util.find_spec("symengine"):
        tools.add("SymEngine")
    else:
        notes.append("SymEngine not installed (pip install symengine): column skipped")
    if shutil.which("maxima"):
        tools.add("Maxima")
    else:
        notes.append("Maxima not found on PATH: column skipped")
    return tools, notes


@dataclass
class Result:
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)


def run_workload(w: Workload, reps: int, cap: float, work: Path, tools: set[str]) -> Result:
    cmds = commands(w, work, tools)
    res = Result({name: [] for name in cmds})
    order = list(cmds)
    for rep in range(reps):
        shift = rep % len(order)
        for name in order[shift:] + order[:shift]:
            argv, ours = cmds[name]
            if name in res.capped or name in res.failed:
                continue
            tag = f"{w.name}.{name.replace(' ', '_')}.{rep}"
            s = measure(argv, work / f"{tag}.out", work / f"{tag}.err", cap * 10 if ours else cap)
            if s.code is None:
                res.capped.add(name)
            elif s.code != 0:
                res.failed[name] = f"exit {s.code}: " + s.err.read_text().strip()[-200:]
            else:
                res.samples[name].append(s)
            shown = "killed" if s.code is None else f"{s.cpu:.2f} s CPU"
            print(f"  [{rep + 1}/{reps}] {w.name:<11} {name:<14} {shown}", file=sys.stderr)
    return res


PEERS = ("SymPy", "SymPy best", "SymEngine", "Maxima")


def cell(res: Result, name: str, what: str, cap: float) -> str:
    if name in res.failed:
        return "failed"
    if name in res.capped:
        return f">{cap:.0f}"
    got = res.samples.get(name)
    if not got:
        return ""
    return f"{statistics.median(getattr(s, what) for s in got):.2f}"


def paired(res: Result, ours: str, peers: list[str], what: str, cap: float) -> str:
    """Median over repetitions of ours / min(peers) in the same repetition."""
    mine = res.samples.get(ours, [])
    lists = [res.samples.get(p, []) for p in peers if p in res.samples]
    if not mine or not lists:
        return ""
    if any(p in res.capped for p in peers) and all(not x for x in lists):
        return f"<{statistics.median(getattr(s, what) for s in mine) / cap:.2f}x"
    ratios = []
    for k, s in enumerate(mine):
        there = [getattr(x[k], what) for x in lists if k < len(x)]
        if there:
            ratios.append(getattr(s, what) / min(there))
    return f"{statistics.median(ratios):.2f}x" if ratios else ""


def table(items: list[tuple[Workload, Result]], what: str, cap: float) -> list[str]:
    head = ["workload", "jacobi s", *(f"{p} s" for p in PEERS)]
    head += ["jacobi/fastest", "jacobi/SymPy best", "jacobi/Maxima"]
    if what == "cpu":
        head.append("jacobi RSS MB")
    rows = [head, ["---"] * len(head)]
    for w, res in items:
        for fmt in w.formats:
            ours = f"jacobi {fmt}"
            label = w.label + ("" if fmt == "plain" else f", --format {fmt}")
            peers = [p for p in PEERS if p in res.samples or p in res.capped]
            row = [label, cell(res, ours, what, cap * 10)]
            row += [cell(res, p, what, cap) for p in PEERS]
            row += [paired(res, ours, peers, what, cap)]
            row += [paired(res, ours, ["SymPy", "SymPy best"], what, cap)]
            row += [paired(res, ours, ["Maxima"], what, cap)]
            if what == "cpu":
                rss = [s.rss_mb for s in res.samples.get(ours, [])]
                row.append(f"{max(rss):.0f}" if rss else "")
            rows.append(row)
    return ["| " + " | ".join(r) + " |" for r in rows]


def growth(items: list[tuple[Workload, Result]]) -> list[str]:
    """jacobi's CPU per equation on Bratu, plain output, against N = 1000."""
    lines, base = [], None
    for w, res in items:
        if not w.name.startswith("bratu") or not res.samples.get("jacobi plain"):
            continue
        n = len(w.comps)
        t = statistics.median(s.cpu for s in res.samples["jacobi plain"])
        per = t / n * 1000
        base = base if base is not None else (per if n == 1000 else None)
        ratio = f", {per / base:.2f}x the per-equation cost at N=1000" if base else ""
        lines.append(f"  N = {n:>6,}: {t:7.2f} s CPU, {per:6.2f} ms per equation{ratio}")
    return lines


def formats(items: list[tuple[Workload, Result]]) -> list[str]:
    """jacobi's JSON and LaTeX output against plain, paired within a repetition."""
    lines = []
    for w, res in items:
        for fmt in w.formats[1:]:
            got = paired(res, f"jacobi {fmt}", ["jacobi plain"], "cpu", 0)
            lines.append(f"  {w.label}: --format {fmt} / plain = {got}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 repetition, no N = 10,000")
    parser.add_argument("--only", action="append", help="workload name (repeatable)")
    parser.add_argument("--reps", type=int, help="repetitions (default 3; 1 with --quick)")
    parser.add_argument(
        "--cap", type=float, default=60.0, help="CPU seconds before a peer is killed"
    )
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    args = parser.parse_args()
    reps = args.reps or (1 if args.quick else 3)
    chosen = catalogue(args.quick)
    if args.list:
        for w in chosen:
            print(f"{w.name:<12} {w.label}")
        return
    if args.only:
        unknown = set(args.only) - {w.name for w in chosen}
        if unknown:
            parser.error(f"unknown workload {', '.join(sorted(unknown))} (see --list)")
        chosen = [w for w in chosen if w.name in args.only]
    tools, notes = tools_available()
    source = jacobi_source()
    with tempfile.TemporaryDirectory(prefix="jacobi-peers-") as tmp:
        work = Path(tmp)
        warm = [[*jacobi_exe(), "--version"], [sys.executable, "-c", "import sympy"]]
        warm += [["maxima", "--very-quiet", "--batch-string=1+1;"]] if "Maxima" in tools else []
        for argv in warm:
            measure(argv, work / "warm.out", work / "warm.err", 60)
        items = [(w, run_workload(w, reps, args.cap, work, tools)) for w in chosen]
        # Only now read the outputs (and import SymPy here): a child's ru_maxrss starts at
        # its parent's RSS when forked, so the harness stays small while it measures.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        notes.append(f"the harness's own peak RSS while measuring: {own:.0f} MB")
        checks = [line for w, res in items for line in verify(w, res)]
        for w, res in items:
            notes += [f"{w.name}: {name} failed ({why})" for name, why in res.failed.items()]
            notes += [f"{w.name}: {w.note}"] if w.note else []
    cpus = os.cpu_count()
    print(f"jacobi {source}; {reps} repetition(s); cap {args.cap:.0f} s; {cpus} CPUs")
    print("\nCPU seconds (user + sys), medians; ratios: medians of ratios paired per repetition\n")
    print("\n".join(table(items, "cpu", args.cap)))
    print("\nWall seconds\n")
    print("\n".join(table(items, "wall", args.cap)))
    for title, lines in (
        ("Bratu, plain output: growth in N (jacobi)", growth(items)),
        ("Output formats (jacobi, CPU)", formats(items)),
        ("Checks of jacobi's output (first repetition)", [f"  {c}" for c in checks]),
        ("Notes", [f"  {n}" for n in notes]),
    ):
        if lines:
            print(f"\n{title}\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
