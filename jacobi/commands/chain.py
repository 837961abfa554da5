"""``jacobi chain``: the chain rule J_g(h(x)) J_h(x), its factors, a check and the costs of
accumulation."""

from __future__ import annotations

from collections.abc import Sequence

from jacobi.commands.common import (
    _args,
    _notes_bounds,
    _strings,
    _transposed,
    _value_block,
    components_text,
    derivative_labels,
    entry_namer,
)
from jacobi.commands.inputs import build_function, build_point
from jacobi.errors import InputError
from jacobi.lang.printing import to_text
from jacobi.math import derivatives, evaluate
from jacobi.math.chain import chain as chain_rule
from jacobi.math.simplify import too_large
from jacobi.model import ChainCheck, MatrixBlock, Multiplications, Report, VectorFunction


def _layer_functions(
    texts: Sequence[str],
    variables: str | Sequence[str] | None,
    layer_vars: Sequence[str],
    params: Sequence[str],
) -> list[VectorFunction]:
    if len(texts) < 2:
        raise InputError(
            "chain needs at least two functions, outermost first: OUTER INNER",
            hint='e.g. jacobi chain "exp(x1*x2^2)" "t*cos(t), t*sin(t)"',
        )
    if layer_vars and len(layer_vars) != len(texts) - 1:
        raise InputError(
            f"--outer-vars was given {len(layer_vars)} time{'s' if len(layer_vars) != 1 else ''} "
            f"for {len(texts) - 1} outer function{'s' if len(texts) != 2 else ''}",
            hint="give it once per outer function, outermost first (the innermost uses --vars)",
        )
    layers = [
        build_function([text], variables=layer_vars[i] if layer_vars else None, params=params)
        for i, text in enumerate(texts[:-1])
    ]
    layers.append(build_function([texts[-1]], variables=variables, params=params))
    return layers


@_notes_bounds(too_large)
def chain(
    layers: Sequence[str],
    *,
    variables: str | Sequence[str] | None,
    layer_vars: Sequence[str],
    params: Sequence[str],
    at: str | None,
    layout: str,
) -> Report:
    """The chain rule for ``layers`` (outermost first): factors, product, and a check.

    ``variables`` are the innermost function's (the composition's) variables;
    ``layer_vars`` gives the variables of each outer function, outermost first.

    >>> from jacobi.commands import api
    >>> r = api.chain(["u*v", "x+y, x-y"])
    >>> r.blocks[0].matrix, r.data["verdict"]
    (Matrix([[2*x, -2*y]]), 'right')
    """
    derivatives.check_layout(layout)
    fs = _layer_functions(layers, variables, layer_vars, params)
    result = chain_rule(fs)
    comp = result.composition
    comp = VectorFunction(
        components=comp.components,
        variables=comp.variables,
        parameters=comp.parameters,
        texts=tuple(to_text(c) for c in comp.components),
    )
    point = build_point(comp, at) if at is not None else None
    names = ["g", "h"] if len(fs) == 2 else [f"f{len(fs) - i}" for i in range(len(fs))]
    # Name the variables in the titles when they are few; "x" stands for the vector otherwise.
    x = ", ".join(comp.variable_names) if comp.n <= 2 else "x"
    along = [
        "".join(f"{n}(" for n in names[i + 1 :]) + x + ")" * (len(names) - i - 1)
        for i in range(len(names))
    ]
    factor_names = [f"J_{n}({a})" for n, a in zip(names, along, strict=True)]

    def layer_labels(name: str, layer: VectorFunction) -> tuple[str, ...]:
        sep = "_" if name[-1].isdigit() else ""
        return (name,) if layer.m == 1 else tuple(f"{name}{sep}{i + 1}" for i in range(layer.m))

    product = MatrixBlock(
        name="J",
        matrix=result.product,
        row_labels=layer_labels(names[0], fs[0]),
        col_labels=derivative_labels(comp),
        title="chain rule " + " · ".join(factor_names),
    )
    blocks = [product]
    for name, fname, layer, factor in zip(names, factor_names, fs, result.factors, strict=True):
        rows = layer_labels(name, layer)
        blocks.append(
            MatrixBlock(
                name=fname,
                matrix=factor,
                row_labels=rows,
                col_labels=derivative_labels(layer),
                title=f"{fname}: {factor.rows}×{factor.cols}",
            )
        )
    value = None
    if point is not None:
        # The value of the product at the point is that of the composition's exact Jacobian.
        value_block, value = _value_block(result.direct, product, comp, point)
        values = [value_block]
        for block in blocks[1:]:
            v = evaluate.evaluate_matrix(block.matrix, point, entry_name=entry_namer(block))
            values.append(
                MatrixBlock(
                    name=f"{block.name} at {_args(point)}",
                    matrix=v,
                    row_labels=block.row_labels,
                    col_labels=block.col_labels,
                    title=f"{block.name.split('(')[0]} {value_block.title}",
                )
            )
        blocks += values
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
    # The header names every layer first: the composition alone hides what was composed.
    header = [
        f"{name}({', '.join(layer.variable_names)}) = {components_text(layer)}"
        for name, layer in zip(names, fs, strict=True)
    ]
    header.append(f"{names[0]}({along[0]}) = {components_text(comp)}")
    header.append(f"variables: {', '.join(comp.variable_names) or '(none)'}")
    if comp.parameters:
        header.append(
            "parameters: "
            + ", ".join(
                f"{p.name} = {to_text(v)}" if v is not None else p.name for p, v in comp.parameters
            )
        )
    shown = blocks[0].matrix  # transposed in denominator layout
    header.append(f"{blocks[0].title}: {shown.rows}×{shown.cols}, {layout} layout")
    facts: list[tuple[str, object]] = []
    shapes = " · ".join(
        f"J_{n} {m.rows}×{m.cols}" for n, m in zip(names, result.factors, strict=True)
    )
    facts.append(("shapes", f"{shapes} = {result.product.rows}×{result.product.cols}"))
    verified = result.verified in ("symbolically", "numerically")
    facts.append(("chain rule", ChainCheck(result.verified, "∘".join(names))))
    costs = result.costs
    if len(fs) > 2:
        facts += [
            ("forward accumulation (right to left)", Multiplications(costs.forward)),
            ("reverse accumulation (left to right)", Multiplications(costs.reverse)),
            ("cheapest order", Multiplications(costs.best, costs.best_order)),
        ]
    data: dict[str, object] = {
        "layers": [
            {
                "name": name,
                "function": [to_text(c) for c in layer.components],
                "variables": list(layer.variable_names),
                "jacobian": _strings(jac),
                "jacobian_along": _strings(factor),
                "shape": [factor.rows, factor.cols],
            }
            for name, layer, jac, factor in zip(
                names, fs, result.outer_jacobians, result.factors, strict=True
            )
        ],
        "verdict": "right" if verified else "wrong" if result.verified == "mismatch" else "unknown",
        "verified_by": result.verified,
        "direct": _strings(result.direct),
        "costs": {
            "forward": costs.forward,
            "reverse": costs.reverse,
            "best": costs.best,
            "best_order": costs.best_order,
        },
    }
    return Report(
        command="chain",
        function=comp,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value.T if value is not None and layout == "denominator" else value,
        facts=tuple(facts),
        data=data,
        header=tuple(header),
        source=result,
    )
