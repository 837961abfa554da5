"""Evaluation at many points: a Jacobian (or any list of expressions) over arrays.

``jacobi jac EXPRS --points FILE`` reads a CSV whose header names the variables
and writes the Jacobian at every row. The work is vectorised with NumPy through
code that SymPy generates from the *SymPy result* (``sympy.lambdify`` on
expressions jacobi built itself, never on user text), with common subexpressions
shared (``cse``) so that, for spherical coordinates, ``sin(theta)`` is computed
once per row rather than once per entry.

Two pitfalls of plain ``lambdify`` are handled here:

* constant entries (``0``, ``1``) come back as Python scalars, so a matrix of
  arrays and scalars cannot be stacked; every output is broadcast to the row
  shape (:func:`numpy.broadcast_to`);
* ``sign`` and ``Heaviside`` (derivatives of ``|x|``, ``max``) evaluate to a
  number where the derivative may not exist; where their argument is 0 the
  entry is evaluated exactly by :func:`jacobi.math.evaluate.value_at`, which tries
  both sides and reports a kink only if they differ (``x*|x|`` at 0 is 0).
  ``DiracDelta`` is 0 away from its argument's zero and undefined there.

An entry is blank only if it is undefined itself or its component of ``f`` is
(f2 undefined does not blank the entries of f1); the status names them.

NumPy is imported lazily: the rest of jacobi does not need it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

import sympy

from jacobi.errors import InputError, LimitError
from jacobi.files import read_user_file

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

#: Rows evaluated (and formatted) per chunk: bounds memory on huge files.
CHUNK_ROWS = 100_000
#: Refuse files larger than this many characters (200 MB of CSV: evaluating it takes
#: several times that in memory).
MAX_POINTS_CHARS = 200_000_000
#: Characters read at a time, so that an over-long input is refused without being held.
_READ_CHUNK = 1 << 20

_KINKS = (sympy.sign, sympy.Heaviside)


def _special_functions() -> dict[str, Any]:
    """Functions NumPy lacks, vectorised from :mod:`math` (slow but correct)."""
    import numpy as np

    table = {
        "erf": math.erf,
        "erfc": math.erfc,
        "gamma": math.gamma,
        "loggamma": math.lgamma,
    }
    out: dict[str, Any] = {name: np.vectorize(fn, otypes=[float]) for name, fn in table.items()}
    out["DiracDelta"] = _dirac_delta
    return out


def _dirac_delta(x: Any, *order: Any) -> Any:
    """DiracDelta (and its derivatives) over arrays: 0 away from 0, infinite (undefined) at 0."""
    import numpy as np

    return np.where(np.asarray(x) == 0, np.inf, 0.0)


def compile_exprs(
    exprs: Sequence[sympy.Expr], symbols: Sequence[sympy.Symbol]
) -> Callable[..., list[FloatArray]]:
    """A NumPy function computing every expression in ``exprs`` over arrays.

    The generated code comes from the SymPy expressions (which jacobi built), with
    common subexpressions shared. The returned function takes one array per
    symbol (all of one shape) and returns one float array of that shape per
    expression; constants are broadcast, values that are not finite real
    numbers are ``nan`` or ``inf``.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = sympy.symbols("x y", real=True)
    >>> fn = compile_exprs([x * y, sympy.Integer(2), sympy.log(x)], [x, y])
    >>> [a.tolist() for a in fn(np.array([1.0, -1.0]), np.array([3.0, 4.0]))]
    [[3.0, -4.0], [2.0, 2.0], [0.0, nan]]
    """
    import numpy as np

    exprs = list(exprs)
    _check_float_range(exprs)
    # Integers beyond int64 would make NumPy compute with Python objects (no log, no
    # power ufunc): give them as floats, which is what the arithmetic does anyway.
    exprs = [
        e.xreplace(
            {n: sympy.Float(n, 17) for n in e.atoms(sympy.Rational) if max(abs(n.p), n.q) > 2**53}
        )
        for e in exprs
    ]
    code = sympy.lambdify(
        list(symbols),
        exprs,
        modules=[_special_functions(), "numpy"],
        cse=True,
        dummify=True,
    )

    def run(*arrays: FloatArray) -> list[FloatArray]:
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        with np.errstate(all="ignore"):
            values = code(*arrays)
            out = []
            for v in values:
                arr = np.asarray(v)
                if np.iscomplexobj(arr):
                    # A complex result is not a real value: nan where the imaginary part is not 0.
                    arr = np.where(arr.imag == 0, arr.real, np.nan)
                out.append(np.broadcast_to(arr.astype(np.float64, copy=False), shape))
        return out

    return run


#: Numbers in an expression must lie within float64's range (10**-300 .. 10**300).
_FLOAT_LOG10 = 300.0


def _check_float_range(exprs: Sequence[sympy.Expr]) -> None:
    """Refuse numbers the float64 arithmetic of ``--points`` cannot hold (``1e400*x``).

    >>> x = sympy.Symbol("x", real=True)
    >>> _check_float_range([10**300 * x])
    >>> try:
    ...     _check_float_range([sympy.Integer(10) ** 400 * x])
    ... except LimitError as exc:
    ...     print(exc.message[:40])
    the number 1.0e+400 is outside the range
    """
    for e in exprs:
        for n in e.atoms(sympy.Rational, sympy.Float):
            if n == 0:
                continue
            if isinstance(n, sympy.Rational):
                log10 = (abs(n.p).bit_length() - n.q.bit_length()) * 0.30103
            else:
                _, man, exp, bc = n._mpf_
                log10 = (exp + bc) * 0.30103 if man else 0.0
            if abs(log10) > _FLOAT_LOG10 + 1:
                shown = format(sympy.Float(n, 2), ".1e")
                raise LimitError(
                    f"the number {shown} is outside the range of float64 "
                    "(about 1e-300 to 1e300) that --points computes with",
                    hint="rescale the problem, or evaluate at single points with --at",
                )


@dataclass(frozen=True)
class Column:
    """One output column: a label (``df1/dx``) and its expression."""

    label: str
    expr: sympy.Expr


@dataclass(frozen=True)
class PointsTable:
    """Rows read from a points CSV: the header, the raw lines and the numeric columns."""

    header: str
    names: tuple[str, ...]
    lines: tuple[str, ...]
    line_numbers: tuple[int, ...]
    columns: dict[str, FloatArray]

    @property
    def rows(self) -> int:
        return len(self.lines)


def _split_header(header: str) -> list[str]:
    import csv

    return [h.strip() for h in next(csv.reader([header]))]


def read_points(text: str, needed: Sequence[str], optional: Sequence[str] = ()) -> PointsTable:
    """Parse a points CSV: a header naming the variables, then one point per row.

    Columns named in ``needed`` must exist; columns in ``optional`` (parameters
    without a value) are used when present; every other column is carried
    through unchanged. Blank lines and lines starting with ``#`` are skipped.
    Values are plain decimal numbers (``1.5``, ``-2e-3``), read as float64.

    Raises :class:`~jacobi.errors.InputError` naming the line of a bad value.

    >>> t = read_points("x,y\\n1,2\\n# note\\n3.5,-4e-1\\n", ["x", "y"])
    >>> t.rows, t.columns["y"].tolist(), t.line_numbers
    (2, [2.0, -0.4], (2, 4))
    """
    import numpy as np

    if len(text) > MAX_POINTS_CHARS:
        raise LimitError(f"the points file has more than {MAX_POINTS_CHARS:,} characters")
    all_lines = text.splitlines()
    start = 0
    while start < len(all_lines) and (
        not all_lines[start].strip() or all_lines[start].lstrip().startswith("#")
    ):
        start += 1
    if start == len(all_lines):
        raise InputError(
            "the points file is empty",
            hint="the first line names the variables, e.g. x,y; then one point per line",
        )
    header = all_lines[start]
    names = _split_header(header)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"line {start + 1}: column {name!r} appears twice in the header")
        seen.add(name)
    missing = [n for n in needed if n not in seen]
    if missing:
        raise InputError(
            f"line {start + 1}: the header has no column for "
            f"{', '.join(missing)} (it names {', '.join(names) or 'nothing'})",
            hint=f"the first line must name the variables: {','.join(needed)}",
        )
    used = [n for n in names if n in needed or n in optional]
    lines: list[str] = []
    numbers: list[int] = []
    for k in range(start + 1, len(all_lines)):
        line = all_lines[k]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lines.append(line)
        numbers.append(k + 1)
    columns: dict[str, FloatArray] = {}
    if lines and used:
        index = [names.index(n) for n in used]
        try:
            data = np.loadtxt(
                lines,
                delimiter=",",
                usecols=index,
                ndmin=2,
                dtype=np.float64,
                comments=None,
                quotechar='"',
            )
        except ValueError as exc:
            raise _cell_error(str(exc), lines, numbers, names) from None
        bad = ~np.isfinite(data)
        if bad.any():
            r, c = (int(v) for v in np.argwhere(bad)[0])
            raise InputError(
                f"line {numbers[r]}: the value of {used[c]} is not a finite number",
                hint="give plain numbers such as 1.5 or -2e-3",
            )
        for j, name in enumerate(used):
            columns[name] = np.ascontiguousarray(data[:, j])
    elif used:
        columns = {n: np.zeros(0) for n in used}
    return PointsTable(header, tuple(names), tuple(lines), tuple(numbers), columns)


def _cell_error(
    message: str, lines: Sequence[str], numbers: Sequence[int], names: Sequence[str]
) -> InputError:
    """Turn NumPy's parse error into one line naming the file line and the column."""
    found = re.search(r"string '(.*)' to float64 at row (\d+), column (\d+)", message)
    if found:
        value, row, col = found.group(1), int(found.group(2)), int(found.group(3))
        name = names[col - 1] if 0 < col <= len(names) else f"column {col}"
        line = numbers[row] if row < len(numbers) else "?"
        return InputError(
            f"line {line}: {value!r} in column {name} is not a number",
            hint="give plain numbers such as 1.5 or -2e-3",
        )
    found = re.search(r"at row (\d+)", message)
    line = numbers[int(found.group(1))] if found and int(found.group(1)) < len(numbers) else "?"
    return InputError(
        f"line {line}: the row does not have a number in every column named in the header",
        hint="every row needs one value per column, separated by commas",
    )


#: At most this many pieces of one component are checked row by row.
MAX_GUARDS_PER_COMPONENT = 200


def domain_guards(expr: sympy.Expr) -> list[sympy.Expr]:
    """``expr`` and its pieces that can be undefined: each must be finite at a row.

    Powers other than non-negative integer ones and functions that are not
    defined everywhere (``log``, ``acos``, ...) are guards; ``atan2(y, x)``
    is guarded by ``1/(|y| + |x|)`` (undefined where both are 0).

    >>> x, y = sympy.symbols("x y", real=True)
    >>> domain_guards(x * sympy.atan2(y, x) + sympy.sqrt(x))
    [sqrt(x) + x*atan2(y, x), sqrt(x), 1/x, 1/(Abs(x) + Abs(y))]

    ``1/x`` is the edge of sqrt's domain: at x = 0 f is defined on one side only, so it
    has no derivative there (as with ``--at``, see :func:`jacobi.math.domain.domain_edge`).
    """
    from jacobi.math.domain import known_within
    from jacobi.math.substitute import TOTAL_FUNCTIONS

    found: dict[sympy.Expr, None] = {expr: None}
    for sub in sympy.postorder_traversal(expr, keys=True):
        if len(found) > MAX_GUARDS_PER_COMPONENT:
            break
        if not sub.args or not sub.free_symbols or sub == expr:
            continue
        if isinstance(sub, sympy.atan2):
            found.setdefault(1 / (sympy.Abs(sub.args[0]) + sympy.Abs(sub.args[1])), None)
        elif isinstance(sub, sympy.Pow):
            if not (sub.exp.is_Integer and sub.exp >= 0):
                found.setdefault(sub, None)
            # The edge of the domain (x**pi at x = 0) has no derivative, as with --at
            # (jacobi.math.domain.domain_edge): guarded by 1/x.
            if sub.exp.is_number and not sub.exp.is_integer and not known_within(sub.base, 0, None):
                found.setdefault(1 / sub.base, None)
        elif isinstance(sub, sympy.Function) and not isinstance(sub, TOTAL_FUNCTIONS):
            found.setdefault(sub, None)
            if isinstance(sub, (sympy.asin, sympy.acos, sympy.acosh)):
                arg = sub.args[0]
                if isinstance(sub, sympy.acosh):
                    if not known_within(arg, 1, None):
                        found.setdefault(1 / (arg - 1), None)
                elif not known_within(arg, -1, 1):
                    found.setdefault(1 / (1 - arg**2), None)
    return list(found)


def kink_arguments(exprs: Iterable[sympy.Expr]) -> list[sympy.Expr]:
    """Arguments of ``sign``, ``Heaviside`` and ``DiracDelta``: where one is 0, no derivative.

    >>> x = sympy.Symbol("x", real=True)
    >>> kink_arguments([sympy.sign(x - 1) * x])
    [x - 1]
    """
    found: dict[sympy.Expr, None] = {}
    for e in exprs:
        for atom in sorted(e.atoms(*_KINKS, sympy.DiracDelta), key=sympy.default_sort_key):
            if atom.args and atom.args[0].free_symbols:
                found.setdefault(atom.args[0], None)
    return list(found)


def _uses(expr: sympy.Expr, arg: sympy.Expr, kinds: tuple[type, ...]) -> bool:
    return any(a.args and a.args[0] == arg for a in expr.atoms(*kinds))


@dataclass(frozen=True)
class Evaluator:
    """Compiled columns plus the checks that make an entry undefined."""

    symbols: tuple[sympy.Symbol, ...]
    columns: tuple[Column, ...]
    guards: tuple[Column, ...]
    kinks: int
    code: Callable[..., list[FloatArray]]
    #: For each column, the indices of the sign/Heaviside arguments it contains.
    kink_uses: tuple[tuple[int, ...], ...] = ()
    #: For each column, the indices of the DiracDelta arguments it contains.
    delta_uses: tuple[tuple[int, ...], ...] = ()
    #: For each column, the guards (components of f) it needs; empty: all of them.
    column_guards: tuple[tuple[int, ...], ...] = ()

    @classmethod
    def build(
        cls,
        columns: Sequence[Column],
        symbols: Sequence[sympy.Symbol],
        guards: Sequence[Column] = (),
        column_guards: Sequence[Sequence[int]] = (),
    ) -> Evaluator:
        """Compile ``columns`` (the output) and ``guards`` (must be finite, e.g. f itself).

        ``column_guards[c]`` lists the guards column ``c`` depends on (entries of
        row i of a Jacobian need only f_i); without it every column needs all.
        """
        kinks = kink_arguments([c.expr for c in columns])
        exprs = [c.expr for c in columns] + [g.expr for g in guards] + kinks
        uses = tuple(
            tuple(k for k, a in enumerate(kinks) if _uses(c.expr, a, _KINKS)) for c in columns
        )
        deltas = tuple(
            tuple(k for k, a in enumerate(kinks) if _uses(c.expr, a, (sympy.DiracDelta,)))
            for c in columns
        )
        return cls(
            tuple(symbols),
            tuple(columns),
            tuple(guards),
            len(kinks),
            compile_exprs(exprs, symbols),
            uses,
            deltas,
            tuple(tuple(g) for g in column_guards),
        )

    def _row_point(self, arrays: Sequence[FloatArray], row: int) -> dict[sympy.Symbol, sympy.Expr]:
        # Exact rationals of the floats: the same point the numeric code saw.
        return {s: sympy.Rational(float(a[row])) for s, a in zip(self.symbols, arrays, strict=True)}

    def _detail(
        self, arrays: Sequence[FloatArray], rows: int | None = None
    ) -> tuple[list[FloatArray], list[str | None]]:
        """Column values, and per row ``None`` (all defined) or why some entries are not.

        ``rows`` is the number of rows (needed when there are no arrays: no variables).
        """
        import numpy as np

        from jacobi.errors import UndefinedError
        from jacobi.lang.printing import to_text
        from jacobi.math.evaluate import value_at
        from jacobi.math.magnitude import to_float

        values = self.code(*arrays)
        n_out = len(self.columns)
        n_guard = len(self.guards)
        n = len(arrays[0]) if arrays else (1 if rows is None else rows)
        # "+ 0.0" turns -0.0 into 0.0: an exact zero has no sign.
        outputs = [
            np.array(np.broadcast_to(v, (n,)), dtype=np.float64) + 0.0 for v in values[:n_out]
        ]
        guard_bad = [
            np.broadcast_to(~np.isfinite(v), (n,)) for v in values[n_out : n_out + n_guard]
        ]
        at_zero = [np.broadcast_to(v == 0, (n,)) for v in values[n_out + n_guard :]]
        kinks = kink_arguments([c.expr for c in self.columns])
        reasons: dict[int, dict[str, list[str]]] = {}

        def note(r: int, kind: str, text: str) -> None:
            bucket = reasons.setdefault(r, {}).setdefault(kind, [])
            if text not in bucket:
                bucket.append(text)

        for c, v in enumerate(outputs):
            col = self.columns[c]
            needs = (
                self.column_guards[c]
                if self.column_guards and self.column_guards[c]
                else range(n_guard)
            )
            outside = np.zeros(n, dtype=bool)
            for g in needs:
                outside |= guard_bad[g]
                for r in guard_bad[g].nonzero()[0].tolist():
                    note(r, "fn", self.guards[g].label)
            delta = np.zeros(n, dtype=bool)
            for k in self.delta_uses[c] if self.delta_uses else ():
                delta |= at_zero[k]
                for r in at_zero[k].nonzero()[0].tolist():
                    note(r, "delta", f"{to_text(kinks[k])} = 0 is a jump (no derivative)")
            kink = np.zeros(n, dtype=bool)
            for k in self.kink_uses[c] if self.kink_uses else ():
                kink |= at_zero[k]
            kink &= ~(outside | delta)
            # At a sign/Heaviside argument of 0, the exact value from both sides, as --at does.
            for r in kink.nonzero()[0].tolist():
                try:
                    exact = value_at(
                        col.expr,
                        self._row_point(arrays, r),
                        where=col.label,
                        strict=False,
                        directions=self.symbols,
                    )
                    got = to_float(exact)
                except UndefinedError as exc:
                    got = None
                    note(r, "kink", exc.message.split(": ", 1)[-1])
                v[r] = np.nan if got is None else got + 0.0
            bad = ~np.isfinite(v) | outside | delta
            v[bad] = np.nan
            for r in (bad & ~outside).nonzero()[0].tolist():
                note(r, "entry", col.label)
        texts: list[str | None] = [None] * n
        for r, parts in reasons.items():
            out = []
            if parts.get("fn"):
                out.append(f"the function ({', '.join(parts['fn'])}) is undefined")
            entries = parts.get("entry", [])
            if entries:
                out.append(f"{', '.join(entries[:4])}{' …' if len(entries) > 4 else ''} undefined")
            for kind in ("kink", "delta"):
                if parts.get(kind):
                    out.append(parts[kind][0])
            if not (parts.get("entry") or parts.get("kink") or parts.get("delta")) and not any(
                np.isnan(o[r]) for o in outputs
            ):
                continue  # the function is undefined but no output column needs it
            texts[r] = "undefined: " + "; ".join(out or ["not a finite real number"])
        return outputs, texts

    def evaluate(
        self, arrays: Sequence[FloatArray], rows: int | None = None
    ) -> tuple[list[FloatArray], FloatArray]:
        """The column values (nan where undefined) and a boolean mask of rows with a nan."""
        import numpy as np

        outputs, texts = self._detail(arrays, rows)
        return outputs, np.array([t is not None for t in texts], dtype=bool)

    def reason(self, arrays: Sequence[FloatArray], row: int) -> str:
        """Why row ``row`` is undefined: the undefined entries (or the function) by label."""
        _, texts = self._detail([a[row : row + 1] for a in arrays], 1)
        return texts[0] or "undefined: not a finite real number"


def _format_column(values: FloatArray) -> list[str]:
    """Shortest round-trip text of each float; empty for undefined."""
    import numpy as np

    if not np.isnan(values).any():
        return list(map(repr, values.tolist()))
    return ["" if v != v else repr(v) for v in values.tolist()]


def write_csv(
    table: PointsTable,
    evaluator: Evaluator,
    arrays: Sequence[FloatArray],
    out: TextIO,
) -> int:
    """Write the input line, the column values and a status per row; return undefined rows.

    Formatting floats as text is most of the cost (about a microsecond per number
    in CPython); rows are joined a chunk at a time and written with one call.
    """
    labels = [c.label for c in evaluator.columns]
    out.write(",".join([table.header, *labels, "status"]) + "\n")
    undefined = 0
    for lo in range(0, table.rows, CHUNK_ROWS):
        hi = min(lo + CHUNK_ROWS, table.rows)
        chunk = [a[lo:hi] for a in arrays]
        values, bad = evaluator.evaluate(chunk, hi - lo)
        texts = [_format_column(v) for v in values]
        statuses = ["ok"] * (hi - lo)
        for r in bad.nonzero()[0].tolist():
            statuses[r] = _csv_quote(evaluator.reason(chunk, r))
            undefined += 1
        out.write(
            "\n".join(map(",".join, zip(table.lines[lo:hi], *texts, statuses, strict=True))) + "\n"
        )
        out.flush()
    return undefined


def _csv_quote(text: str) -> str:
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def json_rows(
    table: PointsTable,
    evaluator: Evaluator,
    arrays: Sequence[FloatArray],
    names: Sequence[str],
    shape: tuple[int, int],
    extra: Sequence[str] = (),
) -> Iterator[dict[str, Any]]:
    """One JSON-ready object per row: the point, the matrix (``numeric``) and a status.

    ``extra`` names columns after the matrix entries (e.g. ``det``) written as
    their own keys.
    """
    rows, cols = shape
    for lo in range(0, table.rows, CHUNK_ROWS):
        hi = min(lo + CHUNK_ROWS, table.rows)
        chunk = [a[lo:hi] for a in arrays]
        values, bad = evaluator.evaluate(chunk, hi - lo)
        lists = [v.tolist() for v in values]
        inputs = [table.columns[n][lo:hi].tolist() for n in names]
        for r in range(hi - lo):
            cells = [None if lists[k][r] != lists[k][r] else lists[k][r] for k in range(len(lists))]
            obj: dict[str, Any] = {
                "line": table.line_numbers[lo + r],
                "at": {n: inputs[k][r] for k, n in enumerate(names)},
            }
            if rows:
                obj["numeric"] = [cells[i * cols : (i + 1) * cols] for i in range(rows)]
            for k, name in enumerate(extra):
                obj[name] = cells[rows * cols + k]
            obj["status"] = "ok" if not bad[r] else evaluator.reason(chunk, r)
            yield obj


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    undefined = 0
    for obj in rows:
        if obj["status"] != "ok":
            undefined += 1
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()
    return undefined


@dataclass(frozen=True)
class PointsJob:
    """Everything needed to write a points result: the table, the code and the inputs."""

    table: PointsTable
    evaluator: Evaluator
    arrays: tuple[FloatArray, ...]
    names: tuple[str, ...]
    shape: tuple[int, int]
    extra: tuple[str, ...] = ()

    def write(self, out: TextIO, fmt: str = "csv") -> int:
        """Write CSV (``fmt="csv"``) or JSON Lines (``"json"``); return the undefined rows."""
        if fmt == "json":
            return write_json(
                json_rows(
                    self.table, self.evaluator, self.arrays, self.names, self.shape, self.extra
                ),
                out,
            )
        return write_csv(self.table, self.evaluator, self.arrays, out)


def entry_label(row: str, col: str) -> str:
    """``df1/dx``: the ASCII name of an entry, used as a CSV column.

    >>> entry_label("f2", "y")
    'df2/dy'
    """
    return f"d{row}/d{col}"


def jacobian_job(
    f: Any,
    matrix: sympy.MatrixBase,
    text: str,
    *,
    layout: str = "numerator",
    extra: Sequence[Column] = (),
) -> PointsJob:
    """Prepare the Jacobian ``matrix`` of ``f`` (a VectorFunction) for the rows in ``text``.

    Parameters without a value may be given per row by a column of that name.

    >>> from jacobi import function, jacobian
    >>> f = function("x*y, a*x", variables="x,y")
    >>> job = jacobian_job(f, jacobian(f), "x,y,a\\n1,2,10\\n")
    >>> import io
    >>> out = io.StringIO(); job.write(out)
    0
    >>> print(out.getvalue(), end="")
    x,y,a,df1/dx,df1/dy,df2/dx,df2/dy,status
    1,2,10,2.0,1.0,10.0,0.0,ok
    """
    comps = ("f",) if f.m == 1 else tuple(f"f{i + 1}" for i in range(f.m))
    names = f.variable_names
    rows, cols = (comps, names) if layout == "numerator" else (names, comps)
    columns = [
        Column(
            entry_label(rows[i], cols[j])
            if layout == "numerator"
            else entry_label(cols[j], rows[i]),
            matrix[i, j],
        )
        for i in range(matrix.rows)
        for j in range(matrix.cols)
    ]
    free = [p for p, v in f.parameters if v is None]
    table = read_points(text, names, [p.name for p in free])
    missing = [p.name for p in free if p.name not in table.columns]
    if missing:
        raise InputError(
            f"the parameter{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"{'have' if len(missing) > 1 else 'has'} no value",
            hint=f"give --param {missing[0]}=VALUE, or a column named {missing[0]}",
        )
    symbols = [*f.variables, *free]
    # f_i must be defined, and so must every piece of it (as --at checks): NumPy's
    # arctan2(0, 0) = 0 or exp(-1/0) = 0 would otherwise pass an undefined f as defined.
    guards: list[Column] = []
    owned: list[tuple[int, ...]] = []
    for i, (label, comp) in enumerate(zip(comps, f.components, strict=True)):
        first = len(guards)
        guards += [Column(label, piece) for piece in domain_guards(comp)]
        # Pieces SymPy simplified away (log(x) of exp(log(x))) guard the row too.
        for lost in f.guards_of(i):
            guards += [Column(label, piece) for piece in domain_guards(lost)]
        owned.append(tuple(range(first, len(guards))))
    # Entry (i, j) needs only component i (numerator layout; j in denominator layout).
    needs = [
        owned[k // matrix.cols if layout == "numerator" else k % matrix.cols]
        for k in range(len(columns))
    ]
    evaluator = Evaluator.build([*columns, *extra], symbols, guards, [*needs, *([()] * len(extra))])
    arrays = tuple(table.columns[s.name] for s in symbols)
    return PointsJob(
        table,
        evaluator,
        arrays,
        tuple(s.name for s in symbols),
        (matrix.rows, matrix.cols),
        tuple(c.label for c in extra),
    )


def read_points_source(arg: str, stdin: TextIO | None = None) -> str:
    """The text of ``--points``: a CSV file, or ``-`` for stdin (read a chunk at a time,
    so at most ``MAX_POINTS_CHARS`` plus one chunk is ever held)."""
    return read_user_file(
        arg,
        limit=MAX_POINTS_CHARS,
        what="CSV file",
        missing_hint="--points takes a CSV file or -",
        newline="",
        chunk=_READ_CHUNK,
        stdin=stdin,
        too_long=lambda: LimitError(
            f"the points file has more than {MAX_POINTS_CHARS:,} characters",
            hint="split it into smaller files",
        ),
    )
