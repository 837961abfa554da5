"""jacobi from Python: SymPy objects in, SymPy objects (or displayable results) out.

Two kinds of functions:

* every command of the command line, by its name and with its options as keywords
  (``jac``, ``det``, ``grad``, ``hessian``, ... made from
  :data:`jacobi.commands.registry.COMMANDS`), returning a :class:`Result`: the fields of
  the command's JSON as attributes, ``.to_json()``, the SymPy ``.matrix``, and LaTeX that
  Jupyter shows as mathematics;
* :func:`function`, :func:`point`, :func:`jacobian`, :func:`gradient`,
  :func:`determinant`, :func:`evaluate_matrix`, ... returning SymPy objects.

Everything takes what a SymPy user has at hand: strings in jacobi's language (read by
jacobi's parser, never by SymPy), SymPy expressions, matrices and symbols, numbers,
lists, tuples and dicts (:mod:`jacobi.commands.python`). Symbols are matched by name;
jacobi's own are real (``Symbol("x", real=True)``: :func:`symbols`), and a result is
given back in the symbols you passed, so ``J.subs(x, 1)`` works with your ``x``.

>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> J = jacobian([x + y, x * y])
>>> J.subs(x, -1)
Matrix([
[1,  1],
[y, -1]])
>>> jac("x+y, x*y", at=[-1, 2]).value
[['1', '1'], ['2', '-1']]
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import sympy

from jacobi.commands import api as _commands
from jacobi.commands import python
from jacobi.commands.inputs import build_function, build_point
from jacobi.commands.registry import COMMANDS
from jacobi.lang.parse import parse_expression, parse_name_list, symbol
from jacobi.lang.printing import to_text
from jacobi.model import Point, Report, VectorFunction

if TYPE_CHECKING:
    from jacobi.math.determinant import Determinant

#: What :func:`function` reads: a text, an expression, a column or row, a function, or
#: a list or tuple of those.
FunctionLike = Any


@dataclass(frozen=True)
class Function(VectorFunction):
    """A :class:`~jacobi.model.VectorFunction` made from SymPy objects: it remembers the
    user's symbols, so that results are given back in them (see :func:`function`)."""

    given: tuple[sympy.Symbol, ...] = ()


def _given(symbols: Mapping[str, sympy.Symbol]) -> tuple[sympy.Symbol, ...]:
    """The user's symbols that are not jacobi's own (those need mapping back)."""
    return tuple(s for name, s in sorted(symbols.items()) if s != symbol(name))


def _back(obj: Any, given: Sequence[sympy.Symbol]) -> Any:
    """``obj`` in the user's symbols instead of jacobi's real ones of the same names."""
    if not given or obj is None:
        return obj
    return obj.xreplace({symbol(s.name): s for s in given})


def _ours(obj: Any) -> tuple[Any, tuple[sympy.Symbol, ...]]:
    """``obj`` (a SymPy expression or matrix) in jacobi's real symbols, and the user's."""
    given = _given(python.given_symbols(obj))
    if not given:
        return obj, ()
    return obj.xreplace({s: symbol(s.name) for s in given}), given


def function(
    f: FunctionLike,
    *,
    variables: Any = None,
    params: Any = (),
) -> VectorFunction:
    """A vector function from text, SymPy objects or a list of either.

    ``variables`` orders the columns (``"x,y"``, names or symbols); ``params`` gives
    parameter values (``"a=2"``, ``{"a": 2}``, ``{a: 2}``).

    >>> f = function("r*cos(t), r*sin(t)")
    >>> f.variable_names, f.m
    (('r', 't'), 2)
    >>> function("a*x", variables="x").parameters
    ((a, None),)
    >>> x, y = sympy.symbols("x y")
    >>> function(sympy.Matrix([x + y, x * y]), variables=[y, x]).variable_names
    ('y', 'x')
    >>> function({x: 1})
    Traceback (most recent call last):
    ...
    TypeError: function: the components must be in order: give a list, not a dict
    """
    if isinstance(f, VectorFunction) and variables is None and not params:
        return f
    texts = python.component_texts(f, "function")
    names = python.names(variables, "variables")
    param_texts = python.param_texts(params, "params")
    if isinstance(f, VectorFunction):
        names = list(f.variable_names) if names is None else names
        valued = [f"{s.name}={to_text(v)}" for s, v in f.parameters if v is not None]
        param_texts = param_texts or valued
    out = build_function(texts, variables=names, params=param_texts)
    given = _given(python.given_symbols(f, variables, params))
    if isinstance(f, Function):
        given = tuple(dict.fromkeys((*f.given, *given)))
    if not given:
        return out
    return Function(**{fl.name: getattr(out, fl.name) for fl in fields(out)}, given=given)


def point(f: FunctionLike, at: Any) -> Point:
    """A point for ``f``: ``"-1,2"``, ``"x=-1,y=2"``, ``[-1, 2]``, ``{"x": -1, "y": 2}`` or
    ``{x: -1, y: 2}``; values are exact (``0.5`` is 1/2, ``sympy.pi/4`` is pi/4).

    >>> point(function("x+y, x*y"), "x=1/3, y=pi").values
    (1/3, pi)
    >>> point("x+y, x*y", [-1, 0.5]).values
    (-1, 1/2)
    """
    return build_point(function(f), python.point_text(at, "point"))


def symbols(names: str) -> Any:
    """jacobi's symbols: real, as every variable and parameter jacobi reads.

    The same as ``sympy.symbols(names, real=True)``: one symbol for one name, else a
    tuple. Use them to work with results made from strings (``J.subs(x, 1)``).

    >>> x, y = symbols("x, y")
    >>> jacobian("x*y").subs(x, 2), x.is_real
    (Matrix([[y, 2]]), True)
    """
    listed = parse_name_list(",".join(names.replace(",", " ").split()))
    out = tuple(symbol(n) for n in listed)
    return out[0] if len(out) == 1 else out


def _mapped(f: VectorFunction) -> tuple[sympy.Symbol, ...]:
    return f.given if isinstance(f, Function) else ()


def jacobian(
    f: FunctionLike,
    *,
    variables: Any = None,
    params: Any = (),
    layout: str = "numerator",
    simplify: bool = True,
) -> sympy.ImmutableMatrix:
    """The Jacobian matrix: entry (i, j) is ∂f_i/∂x_j (the n×m transpose with
    ``layout="denominator"``).

    >>> jacobian("x+y, x*y")
    Matrix([
    [1, 1],
    [y, x]])
    """
    from jacobi.math.derivatives import jacobian as _jacobian

    g = function(f, variables=variables, params=params)
    return _back(_jacobian(g, layout=layout, simplify=simplify), _mapped(g))


def gradient(
    f: FunctionLike, *, variables: Any = None, params: Any = (), layout: str = "numerator"
) -> sympy.ImmutableMatrix:
    """∇fᵀ of a scalar function, as a 1×n row (a column with ``layout="denominator"``).

    >>> gradient("x^2 + y^2")
    Matrix([[2*x, 2*y]])
    """
    from jacobi.math.calculus import gradient as _gradient

    g = function(f, variables=variables, params=params)
    return _back(_gradient(g, layout=layout), _mapped(g))


def determinant(m: Any, *, variables: Any = None, params: Any = ()) -> sympy.Expr:
    """det J of a function (given as :func:`function` takes it, a column or a row too), or
    the determinant of a square SymPy matrix.

    >>> determinant("r*cos(t), r*sin(t)")
    r
    >>> x, y = sympy.symbols("x y")
    >>> determinant(sympy.Matrix([[x, 1], [y, 2]]))
    2*x - y
    """
    from jacobi.math.determinant import determinant as _determinant
    from jacobi.math.determinant import jacobian_determinant

    if isinstance(m, sympy.MatrixBase) and m.rows == m.cols:
        ours, given = _ours(sympy.ImmutableMatrix(m))
        return _back(_determinant(ours).value, given)
    g = function(m, variables=variables, params=params)
    return _back(jacobian_determinant(g).value, _mapped(g))


def jacobian_determinant(f: FunctionLike, *, simplify: bool = True) -> Determinant:
    """det J with how it was computed (``.value``, ``.kind``, ``.method``).

    >>> jacobian_determinant("x+y, x*y").value
    x - y
    """
    from jacobi.math.determinant import jacobian_determinant as _jacobian_determinant

    return _jacobian_determinant(function(f), simplify=simplify)


def evaluate_matrix(matrix: Any, at: Any, *, variables: Any = None) -> sympy.ImmutableMatrix:
    """Every entry of ``matrix`` at a point, exactly (an undefined entry is an error).

    ``at`` is a :class:`~jacobi.model.Point` (from :func:`point`), a dict keyed by names
    or symbols, or values in the order of ``variables`` (default: the matrix's names in
    natural order).

    >>> x, y = sympy.symbols("x y")
    >>> J = jacobian([x + y, x * y])
    >>> evaluate_matrix(J, {x: -1, y: 2})
    Matrix([
    [1,  1],
    [2, -1]])
    >>> evaluate_matrix(J, point([x + y, x * y], [-1, 2])) == evaluate_matrix(J, "-1, 2")
    True
    """
    from jacobi.math.evaluate import evaluate_matrix as _evaluate

    if not isinstance(matrix, sympy.MatrixBase):
        raise TypeError(f"evaluate_matrix: expected a SymPy matrix, not {type(matrix).__name__}")
    ours, given = _ours(sympy.ImmutableMatrix(matrix))
    if not isinstance(at, Point):
        names = python.names(variables, "variables")
        if names is None and isinstance(at, Mapping):
            names = [python.name_of(k, "at") for k in at]
        if names is None:
            from jacobi.commands.inputs import order_variables

            names = [s.name for s in order_variables(ours.free_symbols)]
        listed = parse_name_list(names) if isinstance(names, str) else names
        frame = VectorFunction(components=(), variables=tuple(symbol(n) for n in listed))
        at = build_point(frame, python.point_text(at, "at"))
    return _back(_evaluate(ours, at), given)


def expression(value: Any) -> sympy.Expr:
    """One expression in jacobi's language (or a SymPy one, in jacobi's symbols).

    >>> expression("2 x y") == 2 * symbols("x") * symbols("y")
    True
    """
    return parse_expression(python.value_text(value, "expression"))


# ---------------------------------------------------------------------- command results
class Result:
    """What a command gave: the fields of its JSON object as attributes (``.result``,
    ``.value``, ``.at``, ... exactly as ``--format json`` writes them), with

    * ``.to_json()``: the text ``--format json`` prints, ``.to_dict()`` the object;
    * ``.matrix`` and ``.matrix_at``: the result and its value at the point as SymPy
      matrices (in the symbols you passed);
    * ``.report``: the :class:`~jacobi.model.Report` every format is rendered from;
    * ``repr()`` the plain text output, and LaTeX (``_repr_latex_``) and Markdown
      (``_repr_markdown_``) that Jupyter shows as mathematics.
    """

    __slots__ = ("_given", "_object", "report")

    def __init__(self, report: Report, given: Sequence[sympy.Symbol] = ()) -> None:
        self.report = report
        self._given = tuple(given)
        self._object: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, as Python values (a copy)."""
        import copy

        if self._object is None:
            from jacobi.render.json import report_object

            self._object = report_object(self.report)
        return copy.deepcopy(self._object)

    def to_json(self) -> str:
        """The JSON text, exactly what ``jacobi COMMAND ... --format json`` prints."""
        return self._render("json")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        obj = self.to_dict()
        if name in obj:
            return obj[name]
        raise AttributeError(
            f"a {self.report.command} result has no field {name!r}; its fields: {', '.join(obj)}"
        )

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), *self.to_dict()})

    @property
    def matrix(self) -> sympy.ImmutableMatrix:
        """The result (the first matrix the command shows), as a SymPy matrix."""
        return _back(self.report.blocks[0].matrix, self._given)

    @property
    def matrix_at(self) -> sympy.ImmutableMatrix | None:
        """The result's value at the point (``at=``), or ``None``."""
        return _back(self.report.value, self._given)

    def _render(self, fmt: str) -> str:
        from jacobi.render import RenderOptions, render

        out = io.StringIO()
        render(self.report, RenderOptions(format=fmt), out)
        return out.getvalue()

    def _latex(self) -> str:
        """The LaTeX formula ``--format latex`` prints (without math delimiters; without the
        ``align*`` blocks of ``steps=True``, which :meth:`_repr_markdown_` shows)."""
        from dataclasses import replace

        out = io.StringIO()
        from jacobi.render import RenderOptions, render

        render(replace(self.report, steps=None), RenderOptions(format="latex"), out)
        return out.getvalue().strip()

    def _steps_markdown(self) -> list[str]:
        """``steps=True``: each entry's label, then its derivation as display mathematics."""
        steps = self.report.steps
        if steps is None:
            return []
        from jacobi.lang.printing import declared
        from jacobi.render import words
        from jacobi.render.common import report_names
        from jacobi.render.latex import latex
        from jacobi.render.steps import derivation_latex

        lines = [""]
        with declared(report_names(self.report)):
            for entry in steps.entries:
                lines.append(f"**{entry.label}**")
                for block in derivation_latex(entry.derivation, latex):
                    body = block.replace("align*", "aligned").replace("\n", " ")
                    lines += ["", f"$$ {body} $$", ""]
        note = words.steps_note(steps)
        if note is not None:
            lines.append(f"*{note}*")
        return lines

    def __repr__(self) -> str:
        return self._render("plain").rstrip("\n")

    def _source(self) -> bool:
        from jacobi.render.source import is_source

        return is_source(self.report)

    def _repr_latex_(self) -> str | None:
        if self._source():  # source code (codegen) has no LaTeX: Jupyter shows the text
            return None
        return f"$$ {self._latex()} $$"

    def _repr_markdown_(self) -> str | None:
        from jacobi.render import words

        if self._source():
            return None

        lines = [f"$$ {self._latex()} $$"]
        if self.report.facts:
            lines.append("")
        lines += [f"- **{label}**: {words.say(fact)}" for label, fact in self.report.facts]
        lines += self._steps_markdown()
        return "\n".join(lines) + "\n"


def command_function(name: str) -> Callable[..., Result]:
    """The Python function of command ``name``: ``f(inputs, **options) -> Result``."""
    command = COMMANDS[name]

    def call(inputs: Any, /, **options: Any) -> Result:
        known = {o.name for o in command.options}
        for key in options:
            if key not in known:
                raise TypeError(
                    f"{name}() got an unexpected keyword argument {key!r}; "
                    f"its options: {', '.join(sorted(known)) or 'none'}"
                )
        report = _commands.run(command, inputs, options)
        return Result(report, _given(python.given_symbols(inputs, *options.values())))

    call.__name__ = call.__qualname__ = name
    call.__module__ = __name__
    call.__doc__ = command.help
    call.__signature__ = _commands.signature(command)  # type: ignore[attr-defined]
    return call


def __getattr__(name: str) -> Callable[..., Result]:
    if name not in COMMANDS:
        raise AttributeError(f"module 'jacobi.api' has no attribute {name!r}")
    fn = command_function(name)
    globals()[name] = fn
    return fn


__all__ = sorted(
    [
        "Function",
        "Result",
        "determinant",
        "evaluate_matrix",
        "expression",
        "function",
        "gradient",
        "jacobian",
        "jacobian_determinant",
        "point",
        "symbols",
        *COMMANDS,
    ]
)


def __dir__() -> list[str]:
    return __all__
