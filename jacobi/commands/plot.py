"""``jacobi plot``: a picture of what the Jacobian does to space, written to a PNG, SVG or PDF.

The geometry is :mod:`jacobi.numeric.geometry`, the drawing :mod:`jacobi.numeric.figure`
(Matplotlib, an optional extra). The command writes the file itself and returns a short
report: J (and J at the point), what was drawn, the region and where the file is.

From Python, :func:`figure` gives the Matplotlib figure without writing anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jacobi.commands.common import (
    _exact_jacobian,
    _jacobian_block,
    _value_block,
    _where,
    one_function,
    prepare,
)
from jacobi.errors import InputError
from jacobi.lang import parse
from jacobi.lang.printing import to_text
from jacobi.math.magnitude import to_float
from jacobi.model import Point, Report, VectorFunction

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from jacobi.numeric.figure import Picture
    from jacobi.numeric.geometry import Region

#: Where the picture goes without --output.
DEFAULT_OUTPUT = "plot.png"


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return parts


def _bound(text: str, what: str) -> float:
    if not text.strip():
        raise InputError(f"--region: {what} is empty", hint="e.g. --region x=-1:1,y=0:2pi")
    value = parse.parse_expression(text)
    number = to_float(value) if not value.free_symbols else None
    if number is None:
        raise InputError(
            f"--region: {what} is {text.strip()!r}, not a real number",
            hint="bounds are numbers such as -1, 2.5, pi/2 or 2pi",
        )
    return number


def parse_region(text: str, f: VectorFunction, centre: Sequence[float] | None) -> Region:
    """``--region x=a:b,y=c:d`` (named, any order, some left out) or ``a:b,c:d`` (in variable
    order); the variables not named keep the default range around the point.

    >>> from jacobi.commands.inputs import build_function
    >>> f = build_function(["r cos(t), r sin(t)"])
    >>> parse_region("r=0:2, t=0:2pi", f, None).text()
    'r = 0..2, t = 0..6.28319'
    >>> parse_region("t=-pi:pi", f, (1.0, 0.0)).text()
    'r = 0..2, t = -3.14159..3.14159'
    """
    from jacobi.numeric.geometry import Region, default_region

    names = f.variable_names
    base = default_region(f, centre)
    lows, highs = list(base.lows), list(base.highs)
    items = _split_top(text, ",")
    named: set[str] = set()
    positional = 0
    for k, item in enumerate(items):
        name, eq, rng = item.partition("=")
        if not eq:
            name, rng = "", item
            if named:
                raise InputError("--region: name every range or none", hint="x=-1:1,y=0:2")
            if k >= len(names):
                raise InputError(
                    f"--region gives {len(items)} ranges but f has {len(names)} "
                    f"variable{'s' if len(names) != 1 else ''} ({', '.join(names)})"
                )
            index = k
            positional += 1
        else:
            name = name.strip()
            if positional:
                raise InputError("--region: name every range or none", hint="x=-1:1,y=0:2")
            if name not in names:
                raise InputError(
                    f"--region names {name!r}, which is not a variable",
                    hint=f"the variables are {', '.join(names)}",
                )
            if name in named:
                raise InputError(f"--region gives {name} twice")
            named.add(name)
            index = names.index(name)
        ends = _split_top(rng, ":")
        label = name or names[index]
        if len(ends) != 2:
            raise InputError(
                f"--region: the range of {label} is {rng.strip()!r}, not LOW:HIGH",
                hint=f"e.g. {label}=-1:1",
            )
        lows[index] = _bound(ends[0], f"the low end of {label}")
        highs[index] = _bound(ends[1], f"the high end of {label}")
    return Region(names, tuple(lows), tuple(highs))


def _picture(f: VectorFunction, point: Point | None, region: str | None) -> Picture:
    from jacobi.numeric import figure as draw

    centre = None
    if point is not None:
        centre = tuple(to_float(v) or 0.0 for v in point.values)
    box = parse_region(region, f, centre) if region is not None else None
    return draw.picture(f, at=point, region=box)


@one_function
def plot(
    f: VectorFunction,
    point: Point | None,
    layout: str,
    region: str | None,
    output: str | None,
    size: str | None,
) -> Report:
    """Draw f's picture (see :mod:`jacobi.numeric.geometry`) into ``output`` and say what it shows.

    >>> import tempfile, os
    >>> from jacobi.commands import api
    >>> path = os.path.join(tempfile.mkdtemp(), "seed.svg")
    >>> report = api.plot(["x+y, x*y"], at="-1,2", output=path)
    >>> report.data["picture"], report.data["region"], report.data["square"]["area"]
    ('plane', 'x = -2..0, y = 1..3', 0.1875)
    """
    from jacobi.numeric import figure as draw

    path = output if output is not None else DEFAULT_OUTPUT
    fmt = draw.file_format(path)
    pixels = draw.parse_size(size) if size is not None else None
    draw.require_matplotlib()
    pic = _picture(f, point, region)
    w, h = pixels or pic.default_size
    data = draw.picture_bytes(draw.figure(pic, (w, h)), fmt)
    draw.write_file(path, data)
    return _report(f, point, pic, path, fmt, (w, h))


def _report(
    f: VectorFunction,
    point: Point | None,
    pic: Picture,
    path: str,
    fmt: str,
    size: tuple[int, int],
) -> Report:
    from jacobi.numeric import geometry as geo

    jac = _jacobian_block(f, "numerator")
    blocks = [jac]
    value = None
    if point is not None:
        block, value = _value_block(_exact_jacobian(f, "numerator"), jac, f, point)
        blocks.append(block)
    facts: list[tuple[str, object]] = [
        ("picture", f"{pic.shape}: {'; '.join(pic.panels())}"),
        ("region", pic.region.text()),
    ]
    data: dict[str, object] = {
        "picture": pic.kind,
        "panels": list(pic.panels()),
        "region": pic.region.text(),
    }
    g = pic.geometry
    if isinstance(g, geo.PlaneMap):
        s = g.det.singular
        if s.everywhere:
            said = "det J = 0 everywhere: f squashes the plane"
        elif len(s.points):
            said = f"det J = 0 drawn through {len(s.points)} points found in the region"
        else:
            said = "det J = 0 nowhere in the region"
        facts.append(("det J", f"{to_text(g.det_expr)}; {said}"))
        data["det"] = to_text(g.det_expr)
        data["singular_points"] = len(s.points)
        if g.square is not None and point is not None:
            sq = g.square
            scale = to_text(abs(sq.det))
            facts.append(
                (
                    "square",
                    f"side {sq.side:g} with a corner at {_where(point)}; its image under J(x0) "
                    f"has area {sq.area:.6g} = |det J| * {sq.side:g}^2, |det J| = {scale}, "
                    f"orientation {sq.orientation}",
                )
            )
            data["square"] = {
                "side": sq.side,
                "corners": sq.corners.tolist(),
                "parallelogram": sq.parallelogram.tolist(),
                "area": sq.area,
                "volume_scale": scale,
                "orientation": sq.orientation,
            }
    facts.append(("wrote", f"{path} ({fmt.upper()}, {size[0]}x{size[1]} pixels)"))
    data.update({"output": path, "format": fmt, "size": list(size)})
    return Report(
        command="plot",
        function=f,
        layout="numerator",
        blocks=tuple(blocks),
        point=point,
        value=value,
        facts=tuple(facts),
        data=data,
    )


def figure(
    exprs: str | Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    region: str | None = None,
    size: str | None = None,
) -> Figure:
    """The picture ``jacobi plot`` draws, as a Matplotlib figure (nothing is written).

    >>> fig = figure("x+y, x*y", at="-1,2")
    >>> [ax.get_xlabel() for ax in fig.axes[:2]]
    ['x', 'f1 = x + y']
    """
    from jacobi.numeric import figure as draw

    texts = [exprs] if isinstance(exprs, str) else list(exprs)
    f, point = prepare(texts, variables, params, at, "numerator")
    pixels = draw.parse_size(size) if size is not None else None
    draw.require_matplotlib()
    pic = _picture(f, point, region)
    return draw.figure(pic, pixels)
