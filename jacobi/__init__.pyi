"""What mypy sees of ``jacobi`` (the module loads these lazily)."""

from collections.abc import Callable

from jacobi.api import Result
from jacobi.api import determinant as determinant
from jacobi.api import evaluate_matrix as evaluate_matrix
from jacobi.api import expression as expression
from jacobi.api import function as function
from jacobi.api import gradient as gradient
from jacobi.api import jacobian as jacobian
from jacobi.api import jacobian_determinant as jacobian_determinant
from jacobi.api import point as point
from jacobi.api import symbols as symbols
from jacobi.batch import load_cases as load_cases
from jacobi.batch import run_case as run_case
from jacobi.commands.check import gradient_check as gradient_check
from jacobi.commands.inputs import build_function as build_function
from jacobi.commands.inputs import build_point as build_point
from jacobi.commands.points import jac_points as jac_points
from jacobi.commands.registry import COMMANDS as COMMANDS
from jacobi.errors import CheckFailed as CheckFailed
from jacobi.errors import InputError as InputError
from jacobi.errors import JacobiError as JacobiError
from jacobi.errors import LimitError as LimitError
from jacobi.errors import ParseError as ParseError
from jacobi.errors import ShapeError as ShapeError
from jacobi.errors import UndefinedError as UndefinedError
from jacobi.lang.parse import parse_components as parse_components
from jacobi.lang.parse import parse_expression as parse_expression
from jacobi.lang.parse import symbol as symbol
from jacobi.lang.printing import to_text as to_text
from jacobi.math.calculus import inverse_jacobian as inverse_jacobian
from jacobi.math.chain import chain_costs as chain_costs
from jacobi.math.chain import compose as compose
from jacobi.math.check import compare_matrices as compare_matrices
from jacobi.math.derivatives import differentiate as differentiate
from jacobi.math.determinant import orientation as orientation
from jacobi.math.determinant import volume_element as volume_element
from jacobi.math.evaluate import substitute as substitute
from jacobi.math.evaluate import value_at as value_at
from jacobi.math.simplify import tidy as tidy
from jacobi.math.singular import singular_set as singular_set
from jacobi.matrix.calculus import MatrixDerivative as MatrixDerivative
from jacobi.matrix.calculus import matrix_derivative as matrix_derivative
from jacobi.matrix.declarations import parse_declarations as parse_declarations
from jacobi.matrix.parse import parse_matrix_expression as parse_matrix_expression
from jacobi.model import Point as Point
from jacobi.model import Report as Report
from jacobi.model import VectorFunction as VectorFunction
from jacobi.numeric.points import compile_exprs as compile_exprs

__version__: str
__all__: list[str]

# Every command of the registry: jacobi.jac(...), jacobi.det(...), ...
def __getattr__(name: str) -> Callable[..., Result]: ...
