"""The ``mjac`` command: a matrix derivative as a :class:`~jacobi.model.Report`.

Labels, header lines, the LaTeX lead-in and the JSON keys for
:func:`jacobi.matrixcalc.matrix_derivative` results. No Click, no terminal here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from jacobi.matrix import nodes as mx
from jacobi.matrix.calculus import MatrixDerivative, matrix_derivative, tensor_dims
from jacobi.matrix.parse import plain_source
from jacobi.matrix.point import MatrixPoint, build_point, value_at
from jacobi.model import MatrixBlock, Report, VectorFunction

#: Tensor slices are listed in text output only up to this many entries in total.
SLICE_MAX_ENTRIES = 400
_LIST_MAX = 12


def _ascii(labels: Sequence[str]) -> list[str]:
    """Labels as the plain text writes them (``d/dx1``, not ``∂/∂x1``), for JSON."""
    return [label.replace("∂", "d") for label in labels]


def _times(shape: Sequence[int]) -> str:
    return "×".join(str(d) for d in shape)


def _list_text(names: Sequence[str]) -> str:
    if len(names) > _LIST_MAX:
        return f"[{names[0]}, {names[1]}, ..., {names[-1]}]"
    return "[" + ", ".join(names) + "]"


def symbol_line(sym: mx.Sym) -> str:
    """``W: 2×3 matrix [W11, W12, W13; W21, W22, W23]`` — the component naming.

    >>> symbol_line(mx.vector("x", 3))
    'x: 3×1 vector [x1, x2, x3]'
    >>> symbol_line(mx.matrix("A", 10, 10))
    'A: 10×10 matrix [A_1_1 ... A_10_10] (A_i_j is row i, column j)'
    """
    if sym.kind == "vector":
        return f"{sym.name}: {sym.rows}×1 vector {_list_text(sym.names)}"
    kind = "symmetric matrix" if sym.symmetric else "matrix"
    head = f"{sym.name}: {sym.rows}×{sym.cols} {kind}"
    if sym.size > _LIST_MAX:
        first, last = sym.names[0], sym.names[-1]
        sep = "_" if "_" in first[len(sym.name) :] else ""
        pattern = f"{sym.name}{sep}i{sep}j" if sep else f"{sym.name}ij"
        return f"{head} [{first} ... {last}] ({pattern} is row i, column j)"
    rows = [", ".join(sym.names[i * sym.cols : (i + 1) * sym.cols]) for i in range(sym.rows)]
    return f"{head} [{'; '.join(rows)}]"


def _lead(d: MatrixDerivative) -> str:
    """``∂f/∂x`` (``∂vec(K)/∂vec(R)`` for the flattened tensor)."""
    if d.kind == "tensor":
        return _lead_flat(d)
    return f"∂{d.name}/∂{d.wrt.name}"


def _lead_flat(d: MatrixDerivative) -> str:
    out = f" vec({d.name})" if len(tensor_dims(d.output_shape)) == 2 else d.name
    var = f" vec({d.wrt.name})" if len(tensor_dims(d.wrt.shape)) == 2 else d.wrt.name
    return f"∂{out}/∂{var}"


def _tensor_index_text(d: MatrixDerivative) -> str:
    """``[i, j, k, l] = ∂K_ij/∂R_kl``: what one tensor entry is."""
    k = len(tensor_dims(d.output_shape))
    letters = "ijkl"[: len(d.tensor_shape)]
    out, var = letters[:k], letters[k:]
    top = f"{d.name}_{out}" if out else d.name
    bottom = f"{d.wrt.name}_{var}" if var else d.wrt.name
    return f"[{', '.join(letters)}] = ∂{top}/∂{bottom}"


def header(d: MatrixDerivative) -> list[str]:
    """The text header: the expression, the symbols and their components, the result's shape."""
    expr = d.expression
    lines = [f"{d.name} = {plain_source(expr.body)}"]
    used = [s for s in d.symbols.values() if s.name in expr.node.free or s is d.wrt]
    lines += [symbol_line(s) for s in used]
    if expr.scalars:
        lines.append("scalars: " + ", ".join(expr.scalars))
    layout = f"{d.layout} layout"
    shape = _times(d.matrix.shape)
    lead = _lead(d)
    if d.kind == "jacobian":
        lines.append(f"{lead}: {shape} Jacobian, {layout}")
    elif d.kind == "gradient":
        ij = "(i, j)" if d.layout == "numerator" else "(j, i)"
        lines.append(f"{lead}: {shape}, entry {ij} = ∂{d.name}/∂{d.wrt.name}_ij, {layout}")
    elif d.kind == "by-scalar":
        ij = "(i, j)" if d.layout == "numerator" else "(j, i)"
        lines.append(f"{lead}: {shape}, entry {ij} = ∂{d.name}_ij/∂{d.wrt.name}, {layout}")
    else:
        tensor = f"{_times(d.tensor_shape)} tensor, entry {_tensor_index_text(d)}"
        lines.append(f"∂{d.name}/∂{d.wrt.name}: {tensor}")
        lines.append(f"{lead}: {shape} flattened Jacobian, {layout} (vec stacks columns)")
    if d.wrt.symmetric and d.wrt.rows > 1:
        w = d.wrt.name
        line = f"{w} is symmetric: {w}_ij and {w}_ji are one variable"
        if d.kind == "gradient":
            line += f", so this is G + G^T - G .* I for the gradient G by a general {w}"
        lines.append(line + " (Matrix Cookbook 2.8.2)")
    if d.compact is not None:
        lines.append(f"compact: {d.compact_text}")
        lines += [f"  where {note}" for note in d.notes()]
    else:
        lines.append("compact: none recognised (the components are exact)")
    return lines


def _latex_prefix(d: MatrixDerivative) -> str:
    def name_latex(name: str, shape: mx.Shape) -> str:
        return mx.symbol_latex(name, shape != (1, 1))

    out = name_latex(d.name, d.output_shape)
    var = name_latex(d.wrt.name, d.wrt.shape)
    if d.kind == "tensor":
        if len(tensor_dims(d.output_shape)) == 2:
            out = rf"\operatorname{{vec}} {out}"
        if len(tensor_dims(d.wrt.shape)) == 2:
            var = rf"\operatorname{{vec}} {var}"
    frac = rf"\frac{{\partial {out}}}{{\partial {var}}}"
    if d.layout == "denominator":
        frac = rf"\left({frac}\right)^\top"
    compact = f" = {d.compact_latex}" if d.compact is not None else ""
    return f"{frac}{compact} = "


def _strings(m: sympy.MatrixBase) -> list[list[str]]:
    from jacobi.lang.printing import to_text

    return [[to_text(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]


def _nested(value: Any) -> Any:
    from jacobi.lang.printing import to_text

    if isinstance(value, list):
        return [_nested(v) for v in value]
    return to_text(value)


def _ij_labels(rows: int, cols: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(f"i={i + 1}" for i in range(rows)), tuple(f"j={j + 1}" for j in range(cols))


def _slices(d: MatrixDerivative) -> list[MatrixBlock]:
    """The tensor cut into matrices: ∂f_k/∂X for a matrix X, else ∂F/∂x_k."""
    total = 1
    for n in d.tensor_shape:
        total *= n
    if total > SLICE_MAX_ENTRIES:
        return []
    flat = d.flat_numerator
    blocks = []
    if len(tensor_dims(d.wrt.shape)) == 2:
        p, q = d.wrt.shape
        for r, label in enumerate(d.output_labels):
            m = sympy.ImmutableMatrix(
                p, q, [flat[r, j * p + i] for i in range(p) for j in range(q)]
            )
            rows, cols = _ij_labels(p, q)
            title = f"∂{label}/∂{d.wrt.name} (entry (i, j) = ∂{label}/∂{d.wrt.name}_ij)"
            blocks.append(MatrixBlock(f"∂{label}/∂{d.wrt.name}", m, rows, cols, title))
    else:
        rows_, cols_ = d.output_shape
        for c, label in enumerate(d.variable_labels):
            entries = [flat[j * rows_ + i, c] for i in range(rows_) for j in range(cols_)]
            m = sympy.ImmutableMatrix(rows_, cols_, entries)
            rows, cols = _ij_labels(rows_, cols_)
            title = f"∂{d.name}/∂{label} (entry (i, j) = ∂{d.name}_ij/∂{label})"
            blocks.append(MatrixBlock(f"∂{d.name}/∂{label}", m, rows, cols, title))
    return blocks


def report(d: MatrixDerivative, at: MatrixPoint | None = None) -> Report:
    """The :class:`~jacobi.model.Report` for a matrix derivative (all four formats), and its
    value at the point ``at`` when there is one."""
    out_labels = tuple(d.output_labels)
    var_labels = tuple(d.variable_labels)
    dvars = tuple(f"∂/∂{v}" for v in var_labels)
    flat_rows, flat_cols = out_labels, dvars
    if d.layout == "denominator":
        flat_rows, flat_cols = flat_cols, flat_rows
    flat_block = MatrixBlock(
        "J", d.flattened, flat_rows, flat_cols, f"flattened {_lead_flat(d)} (vec stacks columns)"
    )
    blocks: list[MatrixBlock] = []
    if d.kind in ("jacobian", "tensor"):
        blocks.append(MatrixBlock("J", d.matrix, flat_rows, flat_cols, _lead(d)))
        if d.kind == "tensor":
            blocks += _slices(d)
    else:
        rows, cols = _ij_labels(*d.matrix.shape)
        blocks.append(MatrixBlock("J", d.matrix, rows, cols, _lead(d)))
        blocks.append(flat_block)
    f = d.value
    comps = tuple(f[i, j] for j in range(f.cols) for i in range(f.rows))
    function = VectorFunction(
        components=comps,
        variables=tuple(mx.symbol(v) for v in var_labels),
        texts=(d.expression.text,),
    )
    main = blocks[0]
    value = None
    if at is not None:
        value = value_at(d, at)
        blocks.insert(
            1,
            MatrixBlock(
                f"{main.name}(at)", value, main.row_labels, main.col_labels, f"at {at.text}"
            ),
        )
    data: dict[str, Any] = {
        "expression": d.expression.body,
        "name": d.name,
        "symbols": {
            s.name: {
                "kind": "symmetric matrix" if s.symmetric else s.kind,
                "shape": [s.rows, s.cols],
                "components": [list(s.names[i * s.cols : (i + 1) * s.cols]) for i in range(s.rows)],
            }
            for s in d.symbols.values()
        },
        "scalars": list(d.expression.scalars),
        "wrt": d.wrt.name,
        "kind": d.kind,
        "rows": _ascii(main.row_labels),
        "columns": _ascii(main.col_labels),
        "components": _strings(d.matrix),
        "compact": (
            {"text": d.compact_text, "latex": d.compact_latex, "notes": d.notes()}
            if d.compact is not None
            else None
        ),
    }
    if d.involves_matrix:
        data.update(
            {
                "tensor": _nested(d.tensor()),
                "tensor_shape": list(d.tensor_shape),
                "tensor_index": _tensor_index_text(d).replace("∂", "d"),
                "flattened": _strings(d.flattened),
                "flattened_shape": [d.flattened.rows, d.flattened.cols],
                "flattened_rows": _ascii(flat_rows),
                "flattened_columns": _ascii(flat_cols),
            }
        )
    if at is not None:
        from jacobi.lang.printing import to_text

        data["at_symbols"] = {
            s.name: to_text(v[0, 0]) if s.kind == "scalar" else _strings(v) for s, v in at.values
        }
    return Report(
        command="mjac",
        function=function,
        layout=d.layout,
        blocks=tuple(blocks),
        point=at.point if at is not None else None,
        value=value,
        data=data,
        header=tuple(header(d)),
        latex_prefix=_latex_prefix(d),
        latex_point=_latex_point(at) if at is not None else "",
    )


def _latex_point(at: MatrixPoint) -> str:
    r"""``\mathbf{x} = (1, 2)^\top, a = 2``: the point by symbol, small enough for a
    subscript (a matrix as a ``smallmatrix``)."""
    parts = []
    for s, v in at.values:
        name = mx.symbol_latex(s.name, s.kind != "scalar")
        if s.kind == "scalar":
            value = sympy.latex(v[0, 0])
        elif v.cols == 1:
            value = "(" + ", ".join(sympy.latex(e) for e in v) + r")^\top"
        else:
            rows = [" & ".join(sympy.latex(e) for e in v.row(i)) for i in range(v.rows)]
            value = r"\left[\begin{smallmatrix}" + r" \\ ".join(rows) + r"\end{smallmatrix}\right]"
        parts.append(f"{name} = {value}")
    return ", ".join(parts)


def mjac(
    expression: str,
    *,
    vectors: Sequence[str] = (),
    matrices: Sequence[str] = (),
    symmetric: Sequence[str] = (),
    wrt: str | None = None,
    layout: str = "numerator",
    at: str | None = None,
) -> Report:
    """The derivative of a matrix expression, as a report (the ``jacobi mjac`` command).

    >>> r = mjac("W x", vectors=["x:3"], matrices=["W:2x3"])
    >>> r.data["compact"]["text"], r.blocks[0].matrix.shape
    ('W', (2, 3))
    >>> mjac("tr(A S)", matrices=["A:2x2"], symmetric=["S:2"], wrt="S",
    ...      at="A=[[1, 2], [4, 7]], S=[[1, 0], [0, 1]]").value
    Matrix([
    [1, 6],
    [6, 7]])
    """
    d = matrix_derivative(
        expression, vectors=vectors, matrices=matrices, symmetric=symmetric, wrt=wrt, layout=layout
    )
    return report(d, build_point(d, at) if at is not None else None)
