"""``--points FILE``: a command's result at every row of a CSV file (see :mod:`jacobi.numeric`).

The declaration of ``jac`` and ``det`` names these job builders
(:class:`jacobi.commands.spec.Points`); the CLI writes the job as CSV or JSON Lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from jacobi.commands.inputs import build_function
from jacobi.math import derivatives
from jacobi.math.determinant import jacobian_determinant, volume_element
from jacobi.numeric.points import Column, PointsJob, jacobian_job


def jac_points(
    exprs: Sequence[str],
    text: str,
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    layout: str = "numerator",
) -> PointsJob:
    """The Jacobian of ``exprs`` ready to evaluate at every row of the CSV ``text``.

    >>> job = jac_points(["x+y, x*y"], "x,y\\n-1,2\\n0.5,4\\n")
    >>> import io
    >>> out = io.StringIO(); job.write(out)
    0
    >>> print(out.getvalue(), end="")
    x,y,df1/dx,df1/dy,df2/dx,df2/dy,status
    -1,2,1.0,1.0,2.0,-1.0,ok
    0.5,4,1.0,1.0,4.0,0.5,ok
    """
    derivatives.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    # With the delta terms of kinks kept: a row on a kink is undefined, as with --at.
    matrix = derivatives.jacobian(f, layout=layout, keep_deltas=True)
    return jacobian_job(f, matrix, text, layout=layout)


def det_points(
    exprs: Sequence[str],
    text: str,
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    volume: bool = False,
) -> PointsJob:
    """det J (or with ``volume`` the volume element) at every row of the CSV ``text``.

    >>> import io
    >>> job = det_points(["x+y, x*y"], "x,y\\n-1,2\\n3,3\\n")
    >>> out = io.StringIO(); job.write(out)
    0
    >>> print(out.getvalue(), end="")
    x,y,det,status
    -1,2,-3.0,ok
    3,3,0.0,ok
    """
    f = build_function(exprs, variables=variables, params=params)
    if volume:
        column = Column("volume", volume_element(f))
    else:
        column = Column("det", jacobian_determinant(f).value)
    return jacobian_job(f, sympy.zeros(0, 0), text, extra=[column])
