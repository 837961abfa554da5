"""jacobi: symbolic Jacobians, exact and readable.

The Python API mirrors the command line::

    >>> from jacobi import function, jacobian
    >>> f = function("x+y, x*y")
    >>> jacobian(f)
    Matrix([
    [1, 1],
    [y, x]])

Heavy modules load on first use, so importing :mod:`jacobi` (and running
``jacobi --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> module that defines it; resolved lazily by __getattr__.
_EXPORTS = {
    "JacobiError": "jacobi.errors",
    "InputError": "jacobi.errors",
    "ParseError": "jacobi.errors",
    "ShapeError": "jacobi.errors",
    "UndefinedError": "jacobi.errors",
    "LimitError": "jacobi.errors",
    "CheckFailed": "jacobi.errors",
    "VectorFunction": "jacobi.model",
    "Point": "jacobi.model",
    "Report": "jacobi.model",
    "parse_expression": "jacobi.lang.parse",
    "parse_components": "jacobi.lang.parse",
    "symbol": "jacobi.lang.parse",
    "to_text": "jacobi.lang.printing",
    "jacobian": "jacobi.api",
    "symbols": "jacobi.api",
    "expression": "jacobi.api",
    "Result": "jacobi.api",
    "differentiate": "jacobi.math.derivatives",
    "tidy": "jacobi.math.simplify",
    "substitute": "jacobi.math.evaluate",
    "value_at": "jacobi.math.evaluate",
    "evaluate_matrix": "jacobi.api",
    "build_function": "jacobi.commands.inputs",
    "build_point": "jacobi.commands.inputs",
    "function": "jacobi.api",
    "point": "jacobi.api",
    "compare_matrices": "jacobi.math.check",
    "gradient_check": "jacobi.commands.check",
    "load_cases": "jacobi.batch",
    "COMMANDS": "jacobi.commands.registry",
    "run_case": "jacobi.batch",
    "jac_points": "jacobi.commands.points",
    "compile_exprs": "jacobi.numeric.points",
    "matrix_derivative": "jacobi.matrix.calculus",
    "MatrixDerivative": "jacobi.matrix.calculus",
    "parse_matrix_expression": "jacobi.matrix.parse",
    "parse_declarations": "jacobi.matrix.declarations",
    "determinant": "jacobi.api",
    "jacobian_determinant": "jacobi.api",
    "volume_element": "jacobi.math.determinant",
    "orientation": "jacobi.math.determinant",
    "singular_set": "jacobi.math.singular",
    "compose": "jacobi.math.chain",
    "chain_costs": "jacobi.math.chain",
    "gradient": "jacobi.api",
    "inverse_jacobian": "jacobi.math.calculus",
}

# Every command is a function too (jacobi.api: ``jacobi.jac(...)``, ``jacobi.det(...)``),
# named as on the command line, read from the registry on first use. What mypy sees is
# __init__.pyi (py.typed is shipped).


def _exports() -> dict[str, str]:
    # Loaded like every export (the front is above the layers; see pyproject.toml).
    commands = importlib.import_module("jacobi.commands.registry").COMMANDS
    return {**dict.fromkeys(commands, "jacobi.api"), **_EXPORTS}


def _all() -> list[str]:
    return sorted([*_exports(), "__version__"])


def _version() -> str:
    # importlib.metadata costs ~30 ms to import: only pay it when asked.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jacobi-cli")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    if name == "__all__":
        return _all()
    module = _exports().get(name) if not name.startswith("__") else None
    if module is None:
        raise AttributeError(f"module 'jacobi' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return _all()
