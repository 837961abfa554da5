"""Fuzz the command line: random and mutated argument vectors never crash jacobi.

Every case is a whole argv (the README's examples with characters inserted,
deleted or duplicated, random operators, unicode, huge numbers, deep nesting,
injection strings, empty strings, options with bad values, tokens dropped or
swapped) run through :func:`jacobi.cli.main`. Whatever it is, jacobi answers
with an exit code from the documented table (0-4), and never with a traceback
or an internal error (exit 5).

The cases run in-process in a child process (fast: SymPy is imported once);
each has a time cap, and a case that reaches it ends that child through the
watchdog (exit 4, as a user would see it), after which a new child goes on with
the next case. ``python tests/test_argv.py N [SEED]`` runs N cases and prints
every failure (for longer runs by hand).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CASES = 250
SEED = 20240608
#: Seconds a fuzz case may take before the watchdog ends it (counted as exit 4).
CASE_CAP = 4.0

EXAMPLES: list[list[str]] = [
    ["jac", "x+y, x*y", "--at", "-1,2"],
    ["jac", "r*cos(t), r*sin(t)"],
    ["jac", "x^2 + 2x y", "--layout", "denominator"],
    ["jac", "sin(x) y", "--at", "y=1/3, x=pi/4"],
    ["jac", "x*y/(x^2+y^2)", "--at", "0,0"],
    ["jac", f"@{SAMPLES / 'lorenz.txt'}", "--vars", "x,y,z", "--param", "sigma=10,beta=8/3"],
    ["jac", "x+y, x*y", "--format", "latex"],
    ["jac", "x+y, x*y", "--at", "-1,2", "--format", "json"],
    ["jac", "x^2 - y^2, 2x y", "--points", str(SAMPLES / "points.csv")],
    ["jac", "x+y, x*y", "--inverse", "--at", "1,2"],
    ["det", "x+y, x*y", "--at", "-1,2"],
    ["det", "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)", "--vars", "r,theta,phi"],
    ["det", "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)", "--vars", "a,b", "--singular"],
    [
        "det",
        "sin(theta) cos(phi), sin(theta) sin(phi), cos(theta)",
        "--vars",
        "theta,phi",
        "--volume",
    ],
    ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"],
    ["chain", "u*v, u+v", "x^2, x*y", "--outer-vars", "u,v"],
    ["grad", "x^2 y + y^3"],
    ["hessian", "x^3 y", "--at", "1,2"],
    ["jvp", "x*y, x+y", "--vector", "1,2"],
    ["vjp", "x*y, x+y", "--vector", "1,2"],
    ["linearize", "sin(x) cos(y)", "--at", "0,0"],
    ["mjac", "W x", "--vector", "x:3", "--matrix", "W:2x3"],
    ["mjac", "x^T B x", "--vector", "x:3", "--matrix", "B:3x3"],
    ["mjac", "K = R^T R", "--matrix", "R:3x2", "--wrt", "R"],
    ["check", "x*y", "--against", "[y, x]"],
    ["check", "sin(x) y", "--samples", "3"],
    ["batch", str(SAMPLES / "problems.toml"), "-f", "json"],
]

OPERATORS = list("+-*/^(),[]=.!@#$%&|~<>?;:'\"\\ ") + ["**", "²", "×", "·", "−", "√", "∂"]
#: No NUL: a real argv cannot hold one (in-process, see the report on inputs.read_source).
UNICODE = ["θ", "π", "é", "\u200b", "\ufeff", "𝑥", "ℯ", "∞", "½", "①", "\t", "\n", "٣", "ﬁ"]
HOSTILE = [
    "__import__('os').system('true')",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 0",
    "eval('1')",
    "x.__class__",
    "${HOME}",
    "$(true)",
    "; rm -rf /",
    "9**9**9",
    "10^10^10",
    "1" * 1200,
    "2^2^2^2^2^2",
    "(" * 150 + "x" + ")" * 150,
    "-" * 300 + "x",
    "sin(" * 120 + "x" + ")" * 120,
    "x^" * 60 + "2",
    "1e999999",
    "0.0000000000000000000000001",
    "@/dev/null",
    "@/etc/shadow",
    "@" + str(SAMPLES),
    "",
    " ",
    ",",
    ",,,",
    "[]",
    "[[]]",
    "x=",
    "-",
    "--",
    "nan",
    "inf",
    "zoo",
    "I",
    "oo",
]
BAD_OPTIONS = [
    ["--at", ""],
    ["--at", ",,"],
    ["--at", "x="],
    ["--at", "1e400"],
    ["--at", "nan"],
    ["--at", "1/0"],
    ["--vars", ""],
    ["--vars", "x,x"],
    ["--vars", "1x"],
    ["--vars", "pi,e"],
    ["--param", "a="],
    ["--param", "=1"],
    ["--param", "a=b=c"],
    ["--param", "x=1"],
    ["--layout", "diagonal"],
    ["--format", "xml"],
    ["-f", ""],
    ["--timeout", "-1"],
    ["--timeout", "abc"],
    ["--timeout", "nan"],
    ["--latex-env", "vmatrix"],
    ["--standalone"],
    ["--vector", ""],
    ["--vector", "x:0"],
    ["--vector", "x:-1"],
    ["--vector", "x:99999"],
    ["--matrix", "W:0x3"],
    ["--matrix", "W:3"],
    ["--symmetric", "S:2x2"],
    ["--wrt", "nothing"],
    ["--outer-vars", ""],
    ["--against", "[[1"],
    ["--against", ""],
    ["--samples", "-3"],
    ["--samples", "0"],
    ["--seed", "x"],
    ["--points", "/nonexistent.csv"],
    ["--points", str(SAMPLES / "problems.toml")],
    ["--jobs", "0"],
    ["--case-timeout", "0"],
    ["--input-format", "yaml"],
    ["--inverse"],
    ["--singular"],
    ["--volume"],
    ["--traceback"],
    ["-h"],
]


def _mutate_text(rng: random.Random, text: str) -> str:
    pos = rng.randrange(len(text) + 1)
    how = rng.randrange(8)
    if how == 0 and text:  # delete a character
        return text[:pos] + text[pos + 1 :]
    if how == 1 and text:  # duplicate a slice
        lo = rng.randrange(len(text))
        hi = min(len(text), lo + rng.randint(1, 6))
        return text[:hi] + text[lo:hi] + text[hi:]
    if how == 2:
        return text[:pos] + rng.choice(OPERATORS) + text[pos:]
    if how == 3:
        return text[:pos] + rng.choice(UNICODE) + text[pos:]
    if how == 4:
        return text[:pos] + str(rng.choice([10**40, 2**64, 7, 0, -1])) + text[pos:]
    if how == 5:
        return rng.choice(HOSTILE)
    if how == 6:
        return text[:pos] + rng.choice(HOSTILE)[:40] + text[pos:]
    return text[:pos] + rng.choice(text or "x") + text[pos:]  # insert a character of its own


def _option_names(command: str) -> set[str]:
    from jacobi.cli.app import cli

    found = cli.commands.get(command)
    if found is None:
        return set()
    return {o for p in found.params for o in p.opts}


FUNCTIONS = [
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "sqrt",
    "abs",
    "sign",
    "atan",
    "asin",
    "acos",
    "tanh",
    "acosh",
    "atanh",
    "erf",
    "sigmoid",
    "relu",
    "softplus",
    "heaviside",
    "cot",
    "sec",
]
FUNCTIONS2 = ["atan2", "max", "min", "log"]
ATOMS = ["x", "y", "x", "y", "0", "1", "2", "-1", "1/2", "pi", "e", "3/2", "10^30", "a"]
POINTS = ["0", "1", "-1", "1/2", "pi", "-pi/2", "2", "10^20", "1e-30", "sqrt(2)", "e"]
COMMANDS = ["jac", "jac", "det", "grad", "hessian", "linearize", "check", "jvp", "vjp", "chain"]


def random_expression(rng: random.Random, depth: int = 3) -> str:
    """A random expression in jacobi's language (functions, powers, quotients)."""
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(ATOMS)
    how = rng.randrange(6)
    a = random_expression(rng, depth - 1)
    if how == 0:
        return f"{rng.choice(FUNCTIONS)}({a})"
    if how == 1:
        return f"{rng.choice(FUNCTIONS2)}({a}, {random_expression(rng, depth - 1)})"
    if how == 2:
        return f"({a})^({random_expression(rng, depth - 2)})"
    op = rng.choice(["+", "-", "*", "/"])
    return f"({a}) {op} ({random_expression(rng, depth - 1)})"


def random_command(rng: random.Random) -> list[str]:
    """A well-formed command on random expressions, often at a point."""
    command = rng.choice(COMMANDS)
    m = 1 if command in ("grad", "hessian") else rng.choice([1, 2])
    exprs = ", ".join(random_expression(rng) for _ in range(m))
    argv = [command, exprs, "--vars", "x,y"]
    if command == "chain":
        argv = [command, random_expression(rng).replace("y", "u"), exprs, "--outer-vars", "u,x"]
    if command in ("jvp", "vjp"):
        argv += ["--vector", "1,2" if command == "jvp" or m == 2 else "3"]
    if command == "det" and m == 1:
        argv[1] += ", x*y"
    if command == "linearize" or rng.random() < 0.6:
        argv += ["--at", f"{rng.choice(POINTS)},{rng.choice(POINTS)}"]
    if rng.random() < 0.3:
        argv += ["--param", f"a={rng.choice(POINTS)}"]
    if command == "det" and rng.random() < 0.3:
        argv += [rng.choice(["--singular", "--volume"])]
    if rng.random() < 0.4:
        argv += ["--format", rng.choice(["json", "latex", "pretty", "plain"])]
    return argv


def make_case(rng: random.Random) -> list[str]:
    """One argv: a random well-formed command, or an example mutated one to three times."""
    if rng.random() < 0.4:
        return random_command(rng)
    argv = list(rng.choice(EXAMPLES))
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        how = rng.randrange(6)
        if how <= 2 and len(argv) > 1:  # mutate an argument's text, mostly the first
            k = 1 if rng.random() < 0.5 else rng.randrange(1, len(argv))
            if argv[k] not in ("batch",):
                argv[k] = _mutate_text(rng, argv[k])
        elif how == 3:  # an option with a bad value (one the command has, mostly)
            usable = [o for o in BAD_OPTIONS if o[0] in _option_names(argv[0])]
            argv += rng.choice(usable if usable and rng.random() < 0.8 else BAD_OPTIONS)
        elif how == 4 and len(argv) > 2:  # drop, duplicate or swap tokens
            k = rng.randrange(1, len(argv))
            choice = rng.randrange(3)
            if choice == 0:
                del argv[k]
            elif choice == 1:
                argv.insert(k, argv[k])
            else:
                j = rng.randrange(1, len(argv))
                argv[k], argv[j] = argv[j], argv[k]
        else:  # a random expression built from pieces
            pieces = [rng.choice(["x", "y", "2", "-", "sin(", ")", "^", "x1", "1e3", "(", "/"])]
            pieces += [rng.choice(OPERATORS + ["x", "y", "3", "log(", "abs("]) for _ in range(8)]
            argv.insert(min(2, len(argv)), "".join(pieces))
    if rng.random() < 0.05:
        argv = [rng.choice(["--traceback", "--version", "-V", "--bogus", ""]), *argv]
    return argv


def cases(n: int = CASES, seed: int = SEED) -> list[list[str]]:
    rng = random.Random(seed)
    return [make_case(rng) for _ in range(n)]


# --------------------------------------------------------------------------- the driver


def _drive(path: str, start: int) -> None:
    """In a child process: run cases from ``start``, one JSON line per finished case."""
    import jacobi.cli.watchdog
    from jacobi.cli.app import main

    real = jacobi.cli.watchdog.Watchdog.__init__

    def capped(self: Any, seconds: float | None, *args: Any, **kwargs: Any) -> None:
        real(self, min(seconds or CASE_CAP, CASE_CAP), *args, **kwargs)

    jacobi.cli.watchdog.Watchdog.__init__ = capped  # type: ignore[method-assign]
    sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/: conftest
    from click.testing import CliRunner

    todo = json.loads(Path(path).read_text())
    for k in range(start, len(todo)):
        print(json.dumps({"start": k}), flush=True)
        runner = CliRunner()
        with runner.isolation(input="") as (out, err, _):
            code = main(todo[k])
            sys.stdout.flush()
            sys.stderr.flush()
        print(json.dumps({"case": k, "code": code, "err": err.getvalue().decode()}), flush=True)


def run_cases(todo: list[list[str]], tmp: Path) -> list[dict[str, Any]]:
    """Every case's exit code and stderr.

    A case ended by the cap has code 4 and a "took longer than" message; a case
    during which the child stops making progress (stuck in C code that holds the
    GIL, where no watchdog thread can run) is killed and marked ``hung``.
    """
    path = tmp / "argv.json"
    path.write_text(json.dumps(todo))
    results: dict[int, dict[str, Any]] = {}
    start = 0
    while start < len(todo):
        log = tmp / f"drive{start}.out"
        with log.open("w") as out, (tmp / "drive.err").open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, __file__, "--drive", str(path), str(start)],
                stdout=out,
                stderr=err,
                cwd=ROOT,
            )
            running, seen, last = start, 0, time.monotonic()
            while proc.poll() is None:
                time.sleep(0.05)
                lines = log.read_text().splitlines()
                if len(lines) > seen:
                    seen, last = len(lines), time.monotonic()
                elif time.monotonic() - last > 2 * CASE_CAP + 10:
                    proc.kill()
                    proc.wait()
        hung = proc.returncode < 0
        for line in log.read_text().splitlines():
            obj = json.loads(line)
            if "start" in obj:
                running = obj["start"]
            else:
                results[obj["case"]] = obj
        if proc.returncode == 0 and len(results) == len(todo):
            break
        if running not in results:  # the child ended during this case
            err_text = (tmp / "drive.err").read_text()[-2000:]
            results[running] = {"case": running, "code": proc.returncode, "err": err_text}
            results[running]["died"] = True
            results[running]["hung"] = hung
        start = running + 1
    return [results[k] for k in range(len(todo))]


def problems(todo: list[list[str]], results: list[dict[str, Any]]) -> list[str]:
    bad = []
    for argv, res in zip(todo, results, strict=True):
        err = res["err"]
        capped = res.get("died") and res["code"] == 4 and "took longer than" in err
        if capped:
            continue
        if res.get("hung"):
            bad.append(f"hung (no watchdog could run): {argv!r}")
            continue
        traceback_shown = "Traceback" in err and "--traceback" not in argv
        if res["code"] not in (0, 1, 2, 3, 4) or "internal error" in err or traceback_shown:
            bad.append(f"exit {res['code']}: {argv!r}\n    {err.strip()[:300]}")
    return bad


def test_fuzzed_argv_never_crashes(tmp_path: Path) -> None:
    todo = cases()
    bad = problems(todo, run_cases(todo, tmp_path))
    assert not bad, "\n".join(bad)


def test_cases_are_reproducible() -> None:
    assert cases(20) == cases(20)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--drive"]:
        _drive(sys.argv[2], int(sys.argv[3]))
    else:
        import tempfile

        n = int(sys.argv[1]) if len(sys.argv) > 1 else CASES
        seed = int(sys.argv[2]) if len(sys.argv) > 2 else SEED
        todo = cases(n, seed)
        with tempfile.TemporaryDirectory() as tmp:
            found = problems(todo, run_cases(todo, Path(tmp)))
        print("\n".join(found) or f"{n} cases, no crash")
        sys.exit(1 if found else 0)
