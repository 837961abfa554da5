"""The package's shape: the import contracts in pyproject.toml, no import cycles, small modules.

The contracts are checked by import-linter (``.venv/bin/lint-imports``, as a developer runs it);
the cycle and size checks read grimp's import graph (the library import-linter is built on).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration

from conftest import ROOT

CONTRACTS = {
    c["id"]: c for c in read_configuration(str(ROOT / "pyproject.toml"))["contracts_options"]
}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")  # the same environment's script

# Contracts broken today, with the reason (none: add one only with the issue that fixes it).
BROKEN: dict[str, str] = {}
# Lower layer -> higher layer (or external package) imports allowed for now: none.
KNOWN_BREACHES: dict[tuple[str, str], str] = {}

# Import cycles known today, as the imports that close them.
KNOWN_CYCLE_IMPORTS: dict[tuple[str, str], str] = {
    **dict.fromkeys(
        [
            ("jacobi.matrix.nodes", "jacobi.matrix.algebra"),
            ("jacobi.matrix.nodes", "jacobi.matrix.operations"),
            ("jacobi.matrix.operations", "jacobi.matrix.algebra"),
        ],
        "the split of matrix/nodes.py (72c6408): node methods call the constructors of algebra"
        " and operations, imported at the bottom of the module (E402)",
    ),
}

MAX_LINES = 800
# Modules over MAX_LINES that are being split right now (xfail, not strict).
# Modules allowed over MAX_LINES, with the reason (none today).
OVERSIZED: dict[str, str] = {}


def _contract_params() -> list[object]:
    params: list[object] = []
    for cid in CONTRACTS:
        marks = [pytest.mark.xfail(reason=BROKEN[cid], strict=False)] if cid in BROKEN else []
        params.append(pytest.param(cid, marks=marks, id=cid))
    return params


@pytest.mark.parametrize("contract", _contract_params())
def test_import_contract(contract: str) -> None:
    assert LINT_IMPORTS.exists(), "import-linter is not installed (pip install -e '.[dev]')"
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--contract", contract],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


def test_every_layer_is_a_package_that_exists() -> None:
    # A misspelt layer would make the contract pass vacuously.
    modules = grimp.build_graph("jacobi").modules
    for layer in CONTRACTS["layers"]["layers"]:
        for name in layer.replace("|", ":").split(":"):
            assert name.strip() in modules


def _layer(text: str) -> grimp.Layer:
    if ":" in text:
        return grimp.Layer(*(n.strip() for n in text.split(":")), independent=False)
    return grimp.Layer(*(n.strip() for n in text.split("|")))


def test_no_layer_breach_besides_the_known_ones() -> None:
    graph = grimp.build_graph("jacobi")
    layers = [_layer(text) for text in CONTRACTS["layers"]["layers"]]
    found = graph.find_illegal_dependencies_for_layers(layers=layers)
    assert {(d.importer, d.imported) for d in found} <= set(KNOWN_BREACHES)


def test_no_click_or_rich_below_commands_besides_the_known_ones() -> None:
    graph = grimp.build_graph("jacobi", include_external_packages=True)
    contract = CONTRACTS["library-first"]
    found = {
        (source, external)
        for source in contract["source_modules"]
        for external in contract["forbidden_modules"]
        if graph.chain_exists(importer=source, imported=external, as_packages=True)
    }
    assert found <= set(KNOWN_BREACHES)


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    """jacobi's module graph: module -> the jacobi modules it imports (at any depth of code)."""
    graph = grimp.build_graph("jacobi")
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(imports[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
    ],
)
def test_cycles_finds_the_strongly_connected_groups(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert sorted(cycles(graph)) == expected


@pytest.mark.xfail(
    bool(KNOWN_CYCLE_IMPORTS), reason=f"known: {sorted(KNOWN_CYCLE_IMPORTS)}", strict=False
)
def test_no_import_cycle(imports: dict[str, set[str]]) -> None:
    assert cycles(imports) == []


def test_no_import_cycle_besides_the_known_ones(imports: dict[str, set[str]]) -> None:
    # The ratchet while the known cycles are being broken: no new cycle appears meanwhile.
    rest = {m: {n for n in ns if (m, n) not in KNOWN_CYCLE_IMPORTS} for m, ns in imports.items()}
    assert cycles(rest) == []


def _module_params() -> list[object]:
    params: list[object] = []
    for path in sorted((ROOT / "jacobi").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        marks = (
            [pytest.mark.xfail(reason=OVERSIZED[name], strict=False)] if name in OVERSIZED else []
        )
        params.append(pytest.param(path, marks=marks, id=name))
    return params


@pytest.mark.parametrize("path", _module_params())
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines; split it by responsibility"
