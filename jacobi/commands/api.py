"""The commands as Python functions, made from their declarations.

``api.jac(["x+y, x*y"], at="-1,2")`` is ``jacobi jac "x+y, x*y" --at -1,2``: the
same options (by their Python names), the same defaults, the same checks and the
same :class:`~jacobi.model.Report`. Each function is made on first use from
:data:`jacobi.commands.registry.COMMANDS`. Besides texts, the inputs and options take
what a Python user has at hand (:mod:`jacobi.commands.python`): SymPy expressions,
matrices and symbols, numbers, lists, tuples and dicts (``at=[-1, 2]``,
``params={"a": 2}``, ``variables=[x, y]``); :mod:`jacobi.api` wraps these reports in
results for notebooks.

>>> import sympy
>>> from jacobi.commands import api
>>> api.det(["x+y, x*y"], at="-1,2").value
Matrix([[-3]])
>>> x, y = sympy.symbols("x y")
>>> api.det([x + y, x * y], at={x: -1, y: 2}).value
Matrix([[-3]])
>>> api.jac(["x"], colour=True)
Traceback (most recent call last):
...
jacobi.errors.InputError: jac has no option 'colour'
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from jacobi.commands.registry import COMMANDS
from jacobi.commands.spec import Command, Option

if TYPE_CHECKING:
    from jacobi.model import Report

__all__ = sorted(COMMANDS)


def _input_texts(command: Command, inputs: Any) -> Any:
    from jacobi.commands import python
    from jacobi.model import VectorFunction

    what = command.inputs.name
    if not command.inputs.many:
        if isinstance(inputs, str) or (
            isinstance(inputs, list | tuple) and len(inputs) == 1 and isinstance(inputs[0], str)
        ):
            return inputs
        raise TypeError(
            f"{command.name}: {what} is one string of its own language "
            f"({command.inputs.metavar}), not {type(inputs).__name__}"
        )
    if isinstance(inputs, str):
        return [inputs]
    if isinstance(inputs, list | tuple):
        if not inputs:
            raise TypeError(f"{command.name}: {what} is empty")
        out = []
        for item in inputs:
            if isinstance(item, str):
                out.append(item)
            else:  # one argument: an expression, or a whole function (a vector)
                out.append(", ".join(python.component_texts(item, f"{command.name}: {what}")))
        return out
    if isinstance(inputs, VectorFunction):
        return python.component_texts(inputs, what)
    return [", ".join(python.component_texts(inputs, f"{command.name}: {what}"))]


def _texts_value(value: Any, what: str) -> Any:
    from jacobi.commands import python

    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return python.param_texts(value, what)
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, Mapping):
                out += python.param_texts(item, what)
            else:  # one comma list of names (--outer-vars u,v)
                listed = python.names(item, what)
                out.append(listed if isinstance(listed, str) else ",".join(listed or ()))
        return out
    raise TypeError(f"{what}: expected a string, a dict or a list, not {type(value).__name__}")


def _region_text(value: Any, what: str) -> str:
    from jacobi.commands import python

    if isinstance(value, Mapping):
        parts = []
        for k, v in value.items():
            if not isinstance(v, list | tuple) or len(v) != 2:
                raise TypeError(f"{what}: each bound is a pair (low, high), not {v!r}")
            lo, hi = (python.value_text(b, what) for b in v)
            parts.append(f"{python.name_of(k, what)}={lo}:{hi}")
        return ", ".join(parts)
    return python.point_text(value, what)


def convert(option: Option, value: Any, command: str) -> Any:
    """A Python value of ``option`` as the value the command line would give it.

    >>> from jacobi.commands.spec import AT, PARAMS, VARIABLES
    >>> convert(AT, (1, "1/2"), "jac"), convert(PARAMS, {"a": 2}, "jac")
    ('1, 1/2', ['a=2'])
    >>> convert(VARIABLES, "y,x", "jac")
    'y,x'
    """
    from jacobi.commands import python

    what = f"{command}: {option.name}"
    if option.kind in ("flag", "choice", "int") or value is None:
        return value  # checked by Option.check, as in a batch case
    if option.kind == "names":
        return python.names(value, what)
    if option.kind == "texts":
        return _texts_value(value, what)
    if isinstance(value, str):
        return value
    if option.comma_list == "region":
        return _region_text(value, what)
    if option.comma_list:
        return python.point_text(value, what, nested=True)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    import sympy

    if isinstance(value, sympy.Symbol):
        return str(value.name)
    return python.matrix_text(value, what)


def arguments(
    command: Command, inputs: Any, options: Mapping[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """``inputs`` and ``options`` from Python as the texts and values of a command line.

    A :class:`~jacobi.model.VectorFunction` given as the input brings its variables and
    parameter values with it (unless given too). Keys the command does not know are
    passed on for :meth:`Command.bind` to name.
    """
    from jacobi.lang.printing import to_text
    from jacobi.model import VectorFunction

    out: dict[str, Any] = {}
    for key, value in options.items():
        opt = command.option(str(key).replace("-", "_"))
        out[key] = value if opt is None else convert(opt, value, command.name)
    if isinstance(inputs, VectorFunction):
        if command.option("variables") is not None and out.get("variables") is None:
            out["variables"] = list(inputs.variable_names)
        valued = [f"{s.name}={to_text(v)}" for s, v in inputs.parameters if v is not None]
        if valued and command.option("params") is not None and not out.get("params"):
            out["params"] = valued
    return _input_texts(command, inputs), out


def run(command: Command, inputs: Any, options: Mapping[str, Any]) -> Report:
    """``command`` on Python values (see :func:`arguments`)."""
    texts, converted = arguments(command, inputs, options)
    return command.call(texts, **converted)


def signature(command: Command) -> inspect.Signature:
    """``(inputs, /, *, option=default, ...)``: what ``help()`` and IPython show."""
    params = [inspect.Parameter(command.inputs.name, inspect.Parameter.POSITIONAL_ONLY)]
    params += [
        inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default)
        for o in command.options
    ]
    return inspect.Signature(params)


def function(command: Command) -> Callable[..., Report]:
    """The Python function of ``command``: ``f(inputs, **options) -> Report``."""

    def call(inputs: Any, /, **options: Any) -> Report:
        return run(command, inputs, options)

    call.__name__ = call.__qualname__ = command.name
    call.__doc__ = command.help
    call.__signature__ = signature(command)  # type: ignore[attr-defined]
    return call


def __getattr__(name: str) -> Callable[..., Report]:
    command = COMMANDS.get(name)
    if command is None:
        raise AttributeError(f"module 'jacobi.commands.api' has no attribute {name!r}")
    fn = function(command)
    globals()[name] = fn
    return fn


def __dir__() -> list[str]:
    return __all__
