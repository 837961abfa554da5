"""The commands as Python functions, made from their declarations.

``api.jac(["x+y, x*y"], at="-1,2")`` is ``jacobi jac "x+y, x*y" --at -1,2``: the
same options (by their Python names), the same defaults, the same checks and the
same :class:`~jacobi.model.Report`. Each function is made on first use from
:data:`jacobi.commands.registry.COMMANDS`.

>>> from jacobi.commands import api
>>> api.det(["x+y, x*y"], at="-1,2").value
Matrix([[-3]])
>>> api.jac(["x"], colour=True)
Traceback (most recent call last):
...
jacobi.errors.InputError: jac has no option 'colour'
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jacobi.commands.registry import COMMANDS
from jacobi.commands.spec import Command

if TYPE_CHECKING:
    from jacobi.model import Report

__all__ = sorted(COMMANDS)


def function(command: Command) -> Callable[..., Report]:
    """The Python function of ``command``: ``f(inputs, **options) -> Report``."""

    def run(inputs: Any, /, **options: Any) -> Report:
        return command.call(inputs, **options)

    params = [inspect.Parameter(command.inputs.name, inspect.Parameter.POSITIONAL_ONLY)]
    params += [
        inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default)
        for o in command.options
    ]
    run.__name__ = run.__qualname__ = command.name
    run.__doc__ = command.help
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return run


def __getattr__(name: str) -> Callable[..., Report]:
    command = COMMANDS.get(name)
    if command is None:
        raise AttributeError(f"module 'jacobi.commands.api' has no attribute {name!r}")
    fn = function(command)
    globals()[name] = fn
    return fn


def __dir__() -> list[str]:
    return __all__
