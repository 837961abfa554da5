"""``jacobi det``: the Jacobian determinant, its volume scale, orientation and singular set.

The mathematics is in :mod:`jacobi.math`; this module labels and arranges it.
"""

from __future__ import annotations

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
    one_function,
)
from jacobi.lang.printing import to_text
from jacobi.math import sparse
from jacobi.math.simplify import simplest, too_large
from jacobi.model import MatrixBlock, Point, Report, SingularFact, VectorFunction, VolumeScale


@one_function
@_notes_bounds(too_large)
def det(
    f: VectorFunction, point: Point | None, layout: str, volume: bool, singular: bool
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
    from jacobi.math.determinant import (
        determinant,
        gram_determinant,
        jacobian_determinant,
        volume_element,
    )
    from jacobi.math.singular import singular_set

    data: dict[str, object] = {}
    if volume:
        gram = gram_determinant(f)
        value = volume_element(f)
        name = "|det J|" if f.m == f.n else "sqrt(det(Jᵀ J))"
        title = (
            "volume scale |det J|"
            if f.m == f.n
            else f"{f.n}-dimensional volume element sqrt(det(Jᵀ J))"
        )
        equation = gram.value
        data["method"] = gram.method
    else:
        d = jacobian_determinant(f)
        value, equation = d.value, d.value
        name, title = "det J", "determinant of the Jacobian"
        data["method"] = d.method
        data["entry_kind"] = d.kind
    # Derivatives of polynomials are already in their canonical (expanded) form.
    polynomial = all(c.is_polynomial(*f.variables) for c in f.components)
    jac_block = _jacobian_block(f, layout, simplify=not polynomial)
    data["jacobian"] = sparse.strings(jac_block.matrix, to_text)
    blocks = [_scalar(name, value, title), jac_block]
    facts: list[tuple[str, object]] = []
    report_value = None
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
            gram0 = determinant(j0 if f.m == f.n else j0.T * j0).value
            v0 = simplest(sympy.Abs(gram0) if f.m == f.n else sympy.sqrt(gram0))
        else:
            v0 = determinant(j0).value
        report_value = sympy.ImmutableMatrix([[v0]])
        blocks.append(_scalar(f"{name}({_args(point)})", v0))
        scale = simplest(sympy.Abs(v0))
        data["volume_scale"] = to_text(scale)
        shown = "|det J|" if not volume else name
        facts.append(("volume scale", VolumeScale(shown, scale, f.n, _where(point))))
        if not volume:
            data["orientation"] = _orientation_fact(facts, v0)
    elif not value.free_symbols and not volume:
        scale = sympy.Abs(value)
        data["volume_scale"] = to_text(scale)
        facts.append(("volume scale", VolumeScale("|det J|", scale, f.n)))
        data["orientation"] = _orientation_fact(facts, value)
    if singular:
        found = singular_set(equation, f.variables)
        data["singular"] = found  # typed: the JSON renderer writes it out
        said = SingularFact(found, name if not volume else "det(JᵀJ)", _args_names(f))
        facts.append(("singular", said))
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


def _orientation_fact(facts: list[tuple[str, object]], value: sympy.Expr) -> str | None:
    """Append the orientation of det J = ``value`` (typed); return its JSON word (None if the
    sign is not determined)."""
    from jacobi.math.determinant import orientation

    found = orientation(value)
    facts.append(("orientation", found))
    return found.known
