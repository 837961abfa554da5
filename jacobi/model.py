"""Small frozen dataclasses shared by every layer: what was asked, and what came out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SymPy is heavy; the CLI imports this module before it needs SymPy.
    import sympy

Layout = str  # "numerator" | "denominator"
LAYOUTS = ("numerator", "denominator")


def natural_key(name: str) -> tuple[Any, ...]:
    """Sort key putting ``x2`` before ``x10`` and ignoring case first.

    >>> sorted(["x10", "x2", "y", "X1", "a"], key=natural_key)
    ['a', 'X1', 'x2', 'x10', 'y']
    """
    parts = re.split(r"(\d+)", name)
    key = tuple((0, int(p), p) if p.isdigit() else (1, p.lower(), p) for p in parts if p)
    return (key, name)


@dataclass(frozen=True)
class VectorFunction:
    """A function f: R^n -> R^m given by its components, in a fixed variable order.

    ``parameters`` maps each symbol that is not a variable to its value, or to
    ``None`` when it stays symbolic (a constant of the problem).
    """

    components: tuple[sympy.Expr, ...]
    variables: tuple[sympy.Symbol, ...]
    parameters: tuple[tuple[sympy.Symbol, sympy.Expr | None], ...] = ()
    texts: tuple[str, ...] = ()
    #: Per component (or empty): pieces with a restricted domain that SymPy simplified
    #: away (``log(x)`` of ``exp(log(x))``); f_i is defined only where they are.
    guards: tuple[tuple[sympy.Expr, ...], ...] = ()

    def guards_of(self, i: int) -> tuple[sympy.Expr, ...]:
        """The domain guards of component ``i`` (see :attr:`guards`)."""
        return self.guards[i] if i < len(self.guards) else ()

    @property
    def m(self) -> int:
        """Number of components (rows of the Jacobian)."""
        return len(self.components)

    @property
    def n(self) -> int:
        """Number of variables (columns of the Jacobian)."""
        return len(self.variables)

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)


@dataclass(frozen=True)
class Point:
    """A point in variable order: ``values[i]`` is the exact value of ``variables[i]``."""

    variables: tuple[sympy.Symbol, ...]
    values: tuple[sympy.Expr, ...]

    def mapping(self) -> dict[sympy.Symbol, sympy.Expr]:
        return dict(zip(self.variables, self.values, strict=True))


#: The prefix of a derivative label: ``∂/∂x`` labels the column (or row) of x.
D = "∂/∂"


def entry_name(row: str, col: str, *, ascii: bool = False) -> str | None:
    """The name of a derivative entry from its row and column labels, in either layout.

    ``None`` when neither label is a derivative (a determinant, a product J v).

    >>> entry_name("f2", "∂/∂x"), entry_name("∂/∂x", "f2")  # numerator, denominator layout
    ('∂f2/∂x', '∂f2/∂x')
    >>> entry_name("∂/∂x", "∂/∂y"), entry_name("∂/∂x", "∂/∂x")  # a Hessian
    ('∂²f/∂x∂y', '∂²f/∂x²')
    >>> entry_name("∂/∂x", "∂/∂x", ascii=True), entry_name("x", "∂/∂f1", ascii=True)
    ('d^2f/dx^2', 'dx/df1')
    >>> entry_name("det J", "") is None
    True
    """
    d, two, sq = ("d", "d^2", "^2") if ascii else ("∂", "∂²", "²")
    if row.startswith(D) and col.startswith(D):
        a, b = row.removeprefix(D), col.removeprefix(D)
        return f"{two}f/{d}{a}{sq}" if a == b else f"{two}f/{d}{a}{d}{b}"
    if row.startswith(D):  # denominator layout: rows are the variables
        row, col = col, row
    if col.startswith(D):
        return f"{d}{row}/{d}{col.removeprefix(D)}"
    return None


@dataclass(frozen=True)
class MatrixBlock:
    """One labelled matrix of a report: a Jacobian, its value at a point, a product, ...

    A ``scalar`` block holds a 1×1 matrix that is shown as ``name = value`` (a
    determinant, a volume element) rather than as a matrix.
    """

    name: str
    matrix: sympy.ImmutableMatrix
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    title: str = ""
    scalar: bool = False
    #: The entries as floats, row by row (:func:`jacobi.math.evaluate.float_text`), where
    #: that adds something (a numeric matrix with an entry that is not an integer); filled
    #: in by the command (:func:`jacobi.commands.numbers.with_numbers`), never by a renderer.
    floats: tuple[tuple[str, ...], ...] | None = None
    #: List the non-zero entries (COO: row, column, entry) whatever the size (``--sparse``).
    sparse: bool = False

    def entry_label(self, i: int, j: int) -> str:
        """A name for entry ``(i, j)``: ``∂f2/∂x`` (:func:`entry_name`), else from the labels
        (``f1 J v``), else ``J[1, 2]``."""
        row, col = self.row_labels[i], self.col_labels[j]
        name = entry_name(row, col)
        if name is not None:
            return name
        return " ".join(x for x in (row, col) if x) or f"{self.name}[{i + 1}, {j + 1}]"


@dataclass(frozen=True)
class SparsityPattern:
    """Where a matrix's entries are not identically 0: its structural sparsity pattern
    (:func:`jacobi.math.sparse.pattern`), what sparse solvers take.

    ``keys`` are the ``(row, column)`` positions of the non-zero entries, 0-based, row by
    row; ``lower`` and ``upper`` are the bandwidths (the farthest non-zero below and
    above the diagonal; 0 for a diagonal matrix).
    """

    rows: int
    cols: int
    keys: tuple[tuple[int, int], ...]
    lower: int
    upper: int

    @property
    def nnz(self) -> int:
        """The number of non-zero entries."""
        return len(self.keys)

    @property
    def density(self) -> float:
        """The share of entries that are not zero (0 for an empty matrix)."""
        return len(self.keys) / (self.rows * self.cols) if self.rows and self.cols else 0.0


@dataclass(frozen=True)
class VolumeScale:
    """How much f scales lengths, areas or volumes: ``|det J| = scale`` near ``near``
    (``None``: everywhere, for a constant determinant)."""

    name: str
    scale: sympy.Expr
    dimension: int
    near: str | None = None


@dataclass(frozen=True)
class SingularFact:
    """Where ``name`` (det J, or det(JᵀJ)) vanishes: a :class:`jacobi.math.singular.SingularSet`
    for a function of ``variables`` (their names, for the words)."""

    found: Any
    name: str
    variables: str


@dataclass(frozen=True)
class ChainCheck:
    """How the chain rule's product was checked against the Jacobian of the composition
    ``composed`` (``g∘h``): ``"symbolically"``, ``"numerically"``, ``"mismatch"`` or not at all."""

    verified_by: str
    composed: str


@dataclass(frozen=True)
class Multiplications:
    """A cost in scalar multiplications, for the accumulation ``order`` if one is named."""

    count: int
    order: str = ""


@dataclass(frozen=True)
class EntrySteps:
    """The derivation of one entry of a result (``--steps``).

    ``label`` names the entry as the text does (``∂f2/∂x``); ``index`` is its position,
    0-based (``(i, j)``: component i, variable j; one more index for the Hessians of a
    vector function); ``derivation`` is a :class:`jacobi.math.steps.Derivation`.
    """

    label: str
    index: tuple[int, ...]
    derivation: Any


@dataclass(frozen=True)
class Steps:
    """What ``--steps`` shows: the derivations of some entries, and what it left out.

    ``more`` counts the non-trivial entries not shown (beyond the count bound),
    ``constant`` the constant non-zero entries not shown; ``entry`` is how ``--entry``
    spells an entry (``I,J``) and ``example`` one left out (``2,1``), for the words
    saying how to pick one.
    """

    entries: tuple[EntrySteps, ...]
    more: int = 0
    constant: int = 0
    entry: str = "I,J"
    example: str = ""


@dataclass(frozen=True)
class Report:
    """Everything a command produced, ready for any renderer.

    ``blocks`` are shown in order; ``facts`` are short ``(label, text)`` lines such as
    the orientation of a map; ``data`` holds the command-specific JSON keys.
    ``header``, when given, replaces the text renderers' default header lines, and
    ``latex_prefix`` is written before the result's matrix in LaTeX (e.g. a compact
    form: ``\\frac{\\partial f}{\\partial x} = W =``).
    """

    command: str
    function: VectorFunction
    layout: Layout
    blocks: tuple[MatrixBlock, ...]
    point: Point | None = None
    value: sympy.ImmutableMatrix | None = None
    #: ``(label, fact)``: the fact is text, or a typed result (an orientation, a
    #: :class:`VolumeScale`, a :class:`SingularFact`) that :mod:`jacobi.render.words` says.
    facts: tuple[tuple[str, Any], ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    header: tuple[str, ...] = ()
    latex_prefix: str = ""
    #: The point in LaTeX, where a command names it itself (``mjac``: by declared symbol,
    #: ``\mathbf{x} = ...``) rather than by the components of ``point``.
    latex_point: str = ""
    #: ``value`` as floats (None where it is not a real float), filled in with ``floats``.
    numeric: tuple[tuple[float | None, ...], ...] | None = None
    #: For a check: whether it passed (the CLI and batch exit 1 when it is False);
    #: ``None`` for a command that computes rather than checks.
    passed: bool | None = None
    #: ``jac --sparsity``: the pattern of the first block, shown instead of its entries.
    pattern: SparsityPattern | None = None
    #: ``--steps``: the derivations of the entries (None without ``--steps``).
    steps: Steps | None = None
    #: The mathematical object the result was read from, where ``--steps`` needs more than
    #: the blocks (a :class:`jacobi.math.chain.Chain`); never rendered.
    source: Any = field(default=None, compare=False, repr=False)
