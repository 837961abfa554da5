"""``jacobi det``: the Jacobian determinant, its volume scale, orientation and singular set.

The mathematics is in :mod:`jacobi.math`; this module labels and arranges it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from jacobi.commands.common import (
    _args,
    _args_names,
    _exact_jacobian,
    _jacobian_block,
    _notes_bounds,
    _scalar,
    _value_block,
    _where,
)
from jacobi.commands.inputs import build_function, build_point
from jacobi.lang.printing import to_text
from jacobi.math import derivatives as core
from jacobi.math import evaluate
from jacobi.math.simplify import simplest, too_large
from jacobi.model import MatrixBlock, Report


def _number_words(value: sympy.Expr) -> str:
    text = to_text(value)
    num = evaluate.to_float(value)
    if not value.is_Integer and num is not None:
        text += f" (about {num:.6g})"
    return text


@_notes_bounds(too_large)
def det(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
    volume: bool = False,
    singular: bool = False,
) -> Report:
    """The Jacobian determinant: value, local volume scale and orientation.

    ``volume`` gives the volume element sqrt(det(JᵀJ)) instead (for m ≥ n:
    the area element of a parametrised surface); ``singular`` adds where the
    determinant vanishes (where f is not locally invertible).

    >>> from jacobi.commands import api
    >>> r = api.det(["x+y, x*y"], at="-1,2")   # seed 001
    >>> r.blocks[0].matrix[0, 0], r.value[0, 0], r.data["orientation"]
    (x - y, -3, 'reversed')
    """
    from jacobi.math import calculus

    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    data: dict[str, object] = {}
    if volume:
        gram = calculus.gram_determinant(f)
        value = calculus.volume_element(f)
        name = "|det J|" if f.m == f.n else "sqrt(det(Jᵀ J))"
        title = (
            "volume scale |det J|"
            if f.m == f.n
            else f"{f.n}-dimensional volume element sqrt(det(Jᵀ J))"
        )
        equation = gram.value
        data["method"] = gram.method
    else:
        d = calculus.jacobian_determinant(f)
        value, equation = d.value, d.value
        name, title = "det J", "determinant of the Jacobian"
        data["method"] = d.method
        data["entries"] = d.kind
    # Derivatives of polynomials are already in their canonical (expanded) form.
    polynomial = all(c.is_polynomial(*f.variables) for c in f.components)
    jac_block = _jacobian_block(f, layout, simplify=not polynomial)
    data["jacobian"] = [
        [to_text(jac_block.matrix[i, j]) for j in range(jac_block.matrix.cols)]
        for i in range(jac_block.matrix.rows)
    ]
    blocks = [_scalar(name, value, title), jac_block]
    facts: list[tuple[str, str]] = []
    report_value = None
    words = calculus.volume_words(f.n)
    if point is not None:
        value_block, j0 = _value_block(_exact_jacobian(f, layout), jac_block, f, point)
        blocks.append(
            MatrixBlock(
                name=value_block.name,
                matrix=value_block.matrix,
                row_labels=value_block.row_labels,
                col_labels=value_block.col_labels,
                title=f"Jacobian {value_block.title}",
            )
        )
        j0 = j0.T if layout == "denominator" else j0
        if volume:
            gram0 = calculus.determinant(j0 if f.m == f.n else j0.T * j0).value
            v0 = simplest(sympy.Abs(gram0) if f.m == f.n else sympy.sqrt(gram0))
        else:
            v0 = calculus.determinant(j0).value
        report_value = sympy.ImmutableMatrix([[v0]])
        blocks.append(_scalar(f"{name}({_args(point)})", v0))
        scale = simplest(sympy.Abs(v0))
        data["volume_scale"] = to_text(scale)
        facts.append(
            (
                "volume scale",
                f"{'|det J|' if not volume else name} = {_number_words(scale)}: "
                f"{words} near {_where(point)} are multiplied by {to_text(scale)}",
            )
        )
        if not volume:
            data["orientation"] = _orientation_fact(facts, v0)
    elif not value.free_symbols and not volume:
        scale = sympy.Abs(value)
        data["volume_scale"] = to_text(scale)
        facts.append(
            ("volume scale", f"|det J| = {_number_words(scale)} everywhere: f is affine-like")
        )
        data["orientation"] = _orientation_fact(facts, value)
    if singular:
        found = calculus.singular_set(equation, f.variables)
        data["singular"] = {
            "equation": f"{to_text(found.equation)} = 0",
            "solutions": list(found.solutions),
            "conditions": list(found.conditions),
            "complete": found.complete,
            "undefined": list(found.undefined),
        }
        words = _singular_words(found, name if not volume else "det(JᵀJ)", _args_names(f))
        facts.append(("singular", words))
    return Report(
        command="det",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=report_value,
        facts=tuple(facts),
        data=data,
    )


def _orientation_fact(facts: list[tuple[str, str]], value: sympy.Expr) -> str | None:
    from jacobi.math import calculus

    word = calculus.orientation(value)
    explain = {
        "preserved": "preserved (det J > 0)",
        "reversed": "reversed (det J < 0): the map flips orientation",
        "collapsed": "collapsed (det J = 0): f squashes a neighbourhood flat, no local inverse",
        None: "depends on the parameters (the sign of det J is not determined)",
    }
    facts.append(("orientation", explain[word]))
    return word


def _singular_words(found: object, name: str, variables: str) -> str:
    from jacobi.math.calculus import SingularSet

    assert isinstance(found, SingularSet)
    if found.everywhere:
        return f"{name} = 0 everywhere: f is nowhere locally invertible"
    undefined = f"; {name} is undefined where {'; '.join(found.undefined)}"
    if not found.undefined:
        undefined = ""
    if found.nowhere:
        return f"nowhere: {name} = {to_text(found.equation)} is never 0{undefined}"
    if not found.solutions:
        # det J depends on the parameters only: singular everywhere or nowhere.
        when = " or ".join(found.conditions)
        return (
            f"{name} = {to_text(found.equation)} does not depend on {variables}: "
            f"{name} = 0 everywhere when {when}, and nowhere otherwise{undefined}"
        )
    parts = list(found.solutions)
    parts += [f"{c} (a condition on the parameters)" for c in found.conditions]
    text = "; ".join(parts)
    if not found.complete:
        text += " (unsolved parts are shown as equations)"
    return f"{name} = 0 where {text}{undefined}"
