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
    "jacobian": "jacobi.math.derivatives",
    "differentiate": "jacobi.math.derivatives",
    "tidy": "jacobi.math.simplify",
    "substitute": "jacobi.math.evaluate",
    "value_at": "jacobi.math.evaluate",
    "evaluate_matrix": "jacobi.math.evaluate",
    "build_function": "jacobi.commands.inputs",
    "build_point": "jacobi.commands.inputs",
    "function": "jacobi.api",
    "point": "jacobi.api",
    "jac": "jacobi.commands.api",
    "compare_matrices": "jacobi.math.check",
    "gradient_check": "jacobi.commands.check",
    "load_cases": "jacobi.batch",
    "COMMANDS": "jacobi.commands.registry",
    "run_case": "jacobi.batch",
    "jac_points": "jacobi.commands.points",
    "compile_exprs": "jacobi.numeric.points",
    "mjac": "jacobi.commands.api",
    "matrix_derivative": "jacobi.matrix.calculus",
    "MatrixDerivative": "jacobi.matrix.calculus",
    "parse_matrix_expression": "jacobi.matrix.parse",
    "parse_declarations": "jacobi.matrix.declarations",
    "determinant": "jacobi.math.determinant",
    "jacobian_determinant": "jacobi.math.determinant",
    "volume_element": "jacobi.math.determinant",
    "orientation": "jacobi.math.determinant",
    "singular_set": "jacobi.math.singular",
    "compose": "jacobi.math.chain",
    "chain": "jacobi.math.chain",
    "chain_costs": "jacobi.math.chain",
    "gradient": "jacobi.math.calculus",
    "hessian": "jacobi.math.calculus",
    "jvp": "jacobi.math.calculus",
    "vjp": "jacobi.math.calculus",
    "linearize": "jacobi.math.calculus",
    "inverse_jacobian": "jacobi.math.calculus",
}

__all__ = sorted([*_EXPORTS, "__version__"])


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
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'jacobi' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
