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
    "parse_expression": "jacobi.parse",
    "parse_components": "jacobi.parse",
    "symbol": "jacobi.parse",
    "to_text": "jacobi.printing",
    "jacobian": "jacobi.core",
    "differentiate": "jacobi.core",
    "tidy": "jacobi.simplify",
    "substitute": "jacobi.evaluate",
    "value_at": "jacobi.evaluate",
    "evaluate_matrix": "jacobi.evaluate",
    "build_function": "jacobi.inputs",
    "build_point": "jacobi.inputs",
    "function": "jacobi.api",
    "point": "jacobi.api",
    "jac": "jacobi.commands",
    "compare_matrices": "jacobi.check",
    "gradient_check": "jacobi.check",
    "load_cases": "jacobi.batch",
    "run_case": "jacobi.batch",
    "jac_points": "jacobi.points",
    "compile_exprs": "jacobi.points",
    "mjac": "jacobi.matrixreport",
    "matrix_derivative": "jacobi.matrixcalc",
    "MatrixDerivative": "jacobi.matrixcalc",
    "parse_matrix_expression": "jacobi.matrixparse",
    "parse_declarations": "jacobi.matrixparse",
    "determinant": "jacobi.calculus",
    "jacobian_determinant": "jacobi.calculus",
    "volume_element": "jacobi.calculus",
    "orientation": "jacobi.calculus",
    "singular_set": "jacobi.calculus",
    "compose": "jacobi.calculus",
    "chain": "jacobi.calculus",
    "chain_costs": "jacobi.calculus",
    "gradient": "jacobi.calculus",
    "hessian": "jacobi.calculus",
    "jvp": "jacobi.calculus",
    "vjp": "jacobi.calculus",
    "linearize": "jacobi.calculus",
    "inverse_jacobian": "jacobi.calculus",
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
