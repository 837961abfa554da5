"""What a command is, as data: its inputs, its options and the function that builds its result.

A :class:`Command` is declared once, in :mod:`jacobi.commands.registry`; the Click
command (:mod:`jacobi.cli.build`), the validation of a batch case
(:mod:`jacobi.batch`), the Python function (``jacobi.commands.<name>``) and the
docs test all read that declaration. The function that builds the result is
named by a dotted path and imported on first use, so that ``jacobi --help``
never imports SymPy.

This module is pure data and validation: no SymPy, no Click.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jacobi.errors import InputError

if TYPE_CHECKING:
    from jacobi.model import Report

#: Option kinds: how a value is typed on the command line and checked in a batch case.
KINDS = ("text", "texts", "names", "flag", "int", "choice")


@dataclass(frozen=True)
class Option:
    """One option of a command.

    ``name`` is the keyword of the build function and the key in a batch case's
    ``options``; ``flag`` is its long spelling on the command line (default:
    ``--name`` with dashes) and ``short`` its one-letter alias. ``kind`` is one of
    :data:`KINDS`: ``text`` (one string), ``texts`` (repeatable; a list),
    ``names`` (a comma list or a list of names, such as ``--vars``), ``flag``,
    ``int`` or ``choice`` (one of ``choices``).
    """

    name: str
    help: str
    kind: str = "text"
    default: Any = None
    flag: str = ""
    short: str = ""
    aliases: tuple[str, ...] = ()
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    show_default: bool = False
    #: A comma list given in one shell word (``--at 1,2``): a stray value after it is refused.
    comma_list: str = ""

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind

    @property
    def long(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def check(self, value: Any, command: str) -> Any:
        """``value`` from a batch case or a Python call, checked against the kind.

        >>> Option("samples", "", kind="int").check(3, "check")
        3
        >>> Option("params", "", kind="texts").check("a=1", "jac")
        ['a=1']
        >>> Option("layout", "", kind="choice", choices=("numerator", "denominator")).check(
        ...     "rows", "jac")
        Traceback (most recent call last):
        ...
        jacobi.errors.InputError: layout must be one of numerator, denominator, not 'rows'
        """
        where = f"{self.name}"
        if self.kind == "flag":
            if not isinstance(value, bool):
                raise InputError(f"{where} must be true or false, not {value!r}")
            return value
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(f"{where} must be a whole number, not {value!r}")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise InputError(f"{where} must be one of {', '.join(self.choices)}, not {value!r}")
            return value
        if value is None and self.kind in ("text", "names") and not self.required:
            return None
        if self.kind in ("texts", "names"):
            if isinstance(value, str):
                return value if self.kind == "names" else [value]
            if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
                return list(value)
            raise InputError(f"{where} must be a string or a list of strings")
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where} must be a string, not {value!r}")
        return value


@dataclass(frozen=True)
class Inputs:
    """The positional input of a command: what ``exprs`` holds in a batch case.

    ``many``: one or more texts (``EXPRS...``, a list in Python); otherwise one text.
    """

    name: str = "exprs"
    metavar: str = "EXPRS..."
    many: bool = True


#: The inputs of most commands: the components of one function.
EXPRS = Inputs()

# ---------------------------------------------------------------------- shared options
VARIABLES = Option(
    "variables",
    "Variables in column order; other names are parameters. "
    "Default: every name, in natural order (x2 before x10).",
    kind="names",
    flag="--vars",
    short="-v",
    metavar="X,Y,...",
)
PARAMS = Option(
    "params",
    "Substitute a parameter, e.g. --param a=2 (repeatable, or a=2,b=1/3).",
    kind="texts",
    default=(),
    flag="--param",
    short="-p",
    metavar="NAME=VALUE",
    comma_list="parameters",
)
AT = Option(
    "at",
    "Evaluate at a point, given as one argument: values in variable order "
    "(--at -1,2) or named (--at x=-1,y=2), not --at -1 2. Values are exact: 1/3, pi/4, "
    "sqrt(2).",
    short="-a",
    metavar="POINT",
    comma_list="point",
)
LAYOUT = Option(
    "layout",
    "numerator: m×n, row i is f_i; denominator: the n×m transpose.",
    kind="choice",
    choices=("numerator", "denominator"),
    default="numerator",
    show_default=True,
)
STEPS = Option(
    "steps",
    "Also show how each entry was obtained: the derivation rule by rule (sum, product, "
    "chain rule with the inner function named, ...), then the simplification and, with "
    "--at, the substitution. At most 12 entries unless --entry picks one.",
    kind="flag",
    default=False,
)
ENTRY = Option(
    "entry",
    "With --steps: the steps of this entry only, 1-based as the labels are: I,J is "
    "∂f_I/∂x_J (a gradient also takes J alone; a vector function's Hessian I,J,K).",
    metavar="I,J",
    comma_list="entry",
)
#: The options every command of one function takes, in their --help order.
FUNCTION_OPTIONS = (VARIABLES, PARAMS)
POINT_OPTIONS = (AT, LAYOUT)
#: ``--steps`` and ``--entry``: the derivations (:mod:`jacobi.commands.steps`).
STEP_OPTIONS = (STEPS, ENTRY)


@dataclass(frozen=True)
class Points:
    """``--points FILE``: the command at every CSV row (see :mod:`jacobi.commands.points`).

    ``job`` names the function that builds the job; ``passes`` are the options it
    takes too; every other option of the command cannot be combined with ``--points``.
    """

    job: str
    passes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    """One command, declared once.

    Parameters
    ----------
    name, summary, description
        ``jacobi NAME``; the first line of its help, and the rest.
    build
        ``"module:function"``: called as ``function(inputs, **options)``, returns a
        :class:`~jacobi.model.Report`. Every option (with its default filled in)
        is passed by keyword.
    inputs, options
        The positional input and the options, in ``--help`` order.
    examples
        Command lines shown in the help and run by the docs test.
    points
        Whether ``--points FILE`` is offered (and how it is built).
    latex
        False for a command whose result is not mathematics (source code): ``--format
        latex`` is refused before anything is computed.
    """

    name: str
    summary: str
    description: str
    build: str
    options: tuple[Option, ...]
    inputs: Inputs = EXPRS
    examples: tuple[str, ...] = ()
    points: Points | None = None
    latex: bool = True
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    @property
    def help(self) -> str:
        return f"{self.summary}\n\n{self.description}" if self.description else self.summary

    def builder(self) -> Callable[..., Report]:
        """The build function (imported on first use)."""
        if "build" not in self._cache:
            module, _, attr = self.build.partition(":")
            self._cache["build"] = getattr(importlib.import_module(module), attr)
        fn: Callable[..., Report] = self._cache["build"]
        return fn

    def bind(self, inputs: Any, options: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Check ``inputs`` and ``options`` (from Python or a batch case); fill in defaults.

        Unknown options, values of the wrong kind and missing required options are
        an :class:`~jacobi.errors.InputError` naming what the command does take.
        """
        texts = _input_texts(inputs, self)
        known = {o.name: o for o in self.options}
        kwargs: dict[str, Any] = {}
        for key, value in options.items():
            name = str(key).replace("-", "_")
            opt = known.get(name)
            if opt is None:
                usable = ", ".join(known) or "none"
                raise InputError(
                    f"{self.name} has no option {key!r}", hint=f"its options: {usable}"
                )
            kwargs[name] = opt.check(value, self.name)
        for opt in self.options:
            if opt.name not in kwargs:
                if opt.required:
                    raise InputError(
                        f"{self.name} needs {opt.name!r} ({opt.long} on the command line)"
                    )
                kwargs[opt.name] = opt.default
        return texts, kwargs

    def call(self, inputs: Any, /, **options: Any) -> Report:
        """Run the command from Python: ``COMMANDS["jac"].call(["x+y, x*y"], at="-1,2")``."""
        texts, kwargs = self.bind(inputs, options)
        return self.run(texts, kwargs)

    def run(self, inputs: Any, options: Mapping[str, Any]) -> Report:
        """Build the report from checked ``inputs`` and ``options`` (see :meth:`bind`), with
        its numbers computed (:func:`jacobi.commands.numbers.with_numbers`), SymPy's random
        choices seeded (:func:`jacobi.math.seeded.reproducible`)."""
        from jacobi.commands.numbers import with_numbers  # SymPy: not at start-up
        from jacobi.math.seeded import reproducible

        options = dict(options)
        steps, entry = options.pop("steps", False), options.pop("entry", None)
        if entry is not None and not steps:
            raise InputError(
                "--entry picks the entry whose steps --steps shows", hint="add --steps"
            )
        with reproducible():
            report = with_numbers(self.builder()(inputs, **options))
            if not steps:
                return report
            from jacobi.commands.steps import with_steps

            return with_steps(report, entry)


def _input_texts(inputs: Any, command: Command) -> Any:
    if command.inputs.many:
        if isinstance(inputs, str):
            return [inputs]
        if isinstance(inputs, Sequence) and inputs and all(isinstance(t, str) for t in inputs):
            return list(inputs)
        raise InputError(f"'{command.inputs.name}' must be a string or a list of strings")
    if isinstance(inputs, Sequence) and not isinstance(inputs, str) and len(inputs) == 1:
        inputs = inputs[0]
    if not isinstance(inputs, str):
        raise InputError(f"'{command.inputs.name}' must be one string for {command.name}")
    return inputs


def number_text(value: Any, key: str) -> str:
    """A value of ``at`` or ``params`` given as a number in a batch file or from Python.

    >>> number_text(0.5, "at"), number_text("1/3", "at"), number_text(2, "params")
    ('0.5', '1/3', '2')
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        kinds: dict[type, str] = {dict: "a table", list: "a list", bool: "true/false"}
        kind = kinds.get(type(value), type(value).__name__)
        raise InputError(f"'{key}' values must be numbers or strings, not {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"'{key}' values must be finite numbers")
    return str(value) if not isinstance(value, float) else repr(value)
