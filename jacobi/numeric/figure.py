"""Pictures of what a Jacobian does: Matplotlib figures drawn from :mod:`jacobi.numeric.geometry`.

This module only places what the geometry computed (the tests check the geometry); it picks
styles that read in black and white (line styles, hatching, a colour map whose lightness
rises monotonically) and labels axes with the variable and component names. Matplotlib is an
optional extra (``pip install "jacobi-cli[plot]"``), imported on first use, with the Agg
canvas and no pyplot (no global state, no display). :func:`picture_bytes` writes PNG, SVG or
PDF files that are the same bytes for the same input: no dates, no version strings, a fixed
SVG hash salt and the bundled DejaVu fonts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from jacobi.errors import InputError
from jacobi.lang.printing import to_text
from jacobi.model import Point, VectorFunction
from jacobi.numeric import geometry as geo

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Pixels per inch of every figure (PNG pixels = size; SVG and PDF points = size × 0.72).
DPI = 100
#: The file formats, by suffix.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: Default sizes in pixels, by kind (``plane`` with a point has four panels).
SIZES = {
    "plane": (1500, 520),
    "plane-at": (1200, 1040),
    "scalar": (800, 640),
    "graph": (800, 560),
    "curve": (800, 640),
    "surface": (800, 680),
}
#: Largest accepted size in pixels, each way.
MAX_SIDE = 6000
#: Components longer than this are named f1, f2 ... alone on the axes and in the title.
LABEL_CHARS = 40
INSTALL_HINT = 'pip install "jacobi-cli[plot]"'
_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.hashsalt": "jacobi",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "axes.titlesize": 11,
    "image.cmap": "cividis",
}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": "jacobi"},
    "pdf": {"CreationDate": None, "Creator": "jacobi", "Producer": None},
}
_GRID_COLOUR = "0.45"


def require_matplotlib() -> None:
    """Import Matplotlib, or say how to install it (exit 2)."""
    try:
        import matplotlib  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    except ImportError:
        raise InputError(
            "jacobi plot needs Matplotlib, which is not installed", hint=INSTALL_HINT
        ) from None


def file_format(path: str) -> str:
    """``png``, ``svg`` or ``pdf`` from the file's suffix.

    >>> file_format("seed.PNG"), file_format("a/b.pdf")
    ('png', 'pdf')
    """
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(
            f"--output {path}: the file name must end in .png, .svg or .pdf",
            hint="e.g. --output plot.png",
        )
    return fmt


def parse_size(text: str) -> tuple[int, int]:
    """``--size 1200x800``: width and height in pixels.

    >>> parse_size("1200x800"), parse_size(" 640 × 480 ")
    ((1200, 800), (640, 480))
    """
    parts = text.replace("×", "x").lower().split("x")
    try:
        w, h = (int(p.strip()) for p in parts)
    except ValueError:
        raise InputError(
            f"--size {text!r} is not WIDTHxHEIGHT in pixels", hint="e.g. --size 1200x800"
        ) from None
    if not (100 <= w <= MAX_SIDE and 100 <= h <= MAX_SIDE):
        raise InputError(f"--size must be between 100 and {MAX_SIDE} pixels each way, not {w}x{h}")
    return w, h


# ---------------------------------------------------------------------- what is drawn
@dataclass(frozen=True)
class Picture:
    """A function's picture before it is drawn: its kind, region and geometry."""

    function: VectorFunction
    kind: str
    region: geo.Region
    at: geo.AtPoint | None
    geometry: geo.PlaneMap | geo.ScalarField | geo.Curve | geo.Surface

    @property
    def default_size(self) -> tuple[int, int]:
        key = "plane-at" if self.kind == "plane" and self.at is not None else self.kind
        return SIZES[key]

    @property
    def shape(self) -> str:
        """``f: R^2 -> R^2`` (ASCII: plain text says it)."""
        dims = ["R" if k == 1 else f"R^{k}" for k in (self.function.n, self.function.m)]
        return f"f: {dims[0]} -> {dims[1]}"

    def panels(self) -> tuple[str, ...]:
        """What the figure shows, panel by panel, in words."""
        if isinstance(self.geometry, geo.PlaneMap):
            names = ["the grid of the region and its image under f"]
            if self.geometry.square is not None:
                names.append("the square at the point and its images under f and J(x0)")
            names.append("det J over the region")
            return tuple(names)
        if isinstance(self.geometry, geo.ScalarField):
            return ("contours of f with gradient arrows",)
        if isinstance(self.geometry, geo.Curve):
            what = "the graph" if self.kind == "graph" else "the curve"
            return (f"{what} with tangent vectors",)
        return ("the surface shaded by its area element",)


def picture(
    f: VectorFunction,
    *,
    at: Point | None = None,
    region: geo.Region | None = None,
    side: float | None = None,
) -> Picture:
    """The geometry of f's picture (see :mod:`jacobi.numeric.geometry`).

    >>> from jacobi import function, point
    >>> f = function("x+y, x*y")
    >>> p = picture(f, at=point(f, "-1,2"))
    >>> p.kind, p.region.text(), p.geometry.square.area
    ('plane', 'x = -2..0, y = 1..3', 0.1875)
    """
    kind = geo.kind_of(f)
    sampler = geo.Sampler(f)
    here = geo.at_point(f, at) if at is not None else None
    if region is None:
        region = geo.default_region(f, None if here is None else tuple(here.x0.tolist()))
    shape: geo.PlaneMap | geo.ScalarField | geo.Curve | geo.Surface
    if kind == "plane":
        shape = geo.plane_map(f, region, here, side=side, sampler=sampler)
    elif kind == "scalar":
        shape = geo.scalar_field(f, region, sampler)
    elif kind in ("graph", "curve"):
        shape = geo.curve(f, region, here, sampler)
    else:
        shape = geo.surface(f, region, sampler)
    return Picture(f, kind, region, here, shape)


# ---------------------------------------------------------------------- drawing
@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    style: Any = _STYLE
    with matplotlib.rc_context(style):
        yield


def component_names(f: VectorFunction) -> tuple[str, ...]:
    return ("f",) if f.m == 1 else tuple(f"f{i + 1}" for i in range(f.m))


def _axis_label(f: VectorFunction, i: int) -> str:
    name = component_names(f)[i]
    text = to_text(f.components[i])
    return f"{name} = {text}" if len(text) <= LABEL_CHARS else name


def title(f: VectorFunction, at: geo.AtPoint | None = None) -> str:
    """``f(x, y) = (x + y, x*y) near (x, y) = (-1, 2)``."""
    args = ", ".join(f.variable_names)
    texts = [to_text(c) for c in f.components]
    body = ", ".join(texts)
    if len(body) > 3 * LABEL_CHARS:
        body = ", ".join(component_names(f))
    line = f"f({args}) = {body}" if f.m == 1 else f"f({args}) = ({body})"
    if at is not None:
        values = ", ".join(to_text(v) for v in at.point.values)
        line += f",  at ({args}) = ({values})" if f.n > 1 else f",  at {args} = {values}"
    return line


def figure(pic: Picture, size: tuple[int, int] | None = None) -> Figure:
    """A Matplotlib :class:`~matplotlib.figure.Figure` of ``pic`` (``size`` in pixels)."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w, h = size or pic.default_size
    with _style():
        fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        fig.suptitle(title(pic.function, pic.at))
        g = pic.geometry
        if isinstance(g, geo.PlaneMap):
            _draw_plane(fig, pic, g)
        elif isinstance(g, geo.ScalarField):
            _draw_scalar(fig, pic, g)
        elif isinstance(g, geo.Curve):
            _draw_curve(fig, pic, g)
        else:
            _draw_surface(fig, pic, g)
    return fig


def picture_bytes(fig: Figure, fmt: str) -> bytes:
    """The file of ``fig`` in ``fmt`` (png, svg, pdf): the same bytes for the same figure."""
    import io

    buffer = io.BytesIO()
    with _style():
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buffer.getvalue()


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole (a temporary file renamed into place); a file that
    already holds these bytes is left alone (:func:`jacobi.files.write_whole`)."""
    from jacobi.files import write_whole

    write_whole({path: data})


def _equal_if_sensible(ax: Axes, spans: Sequence[float], limit: float = 2.0) -> None:
    """Equal scales on both axes (areas compare truly) unless one span dwarfs the other."""
    lo, hi = min(spans), max(spans)
    if lo > 0 and hi / lo <= limit:
        ax.set_aspect("equal", adjustable="box")


def _lines(ax: Axes, lines: np.ndarray, count: int) -> None:
    """Grid lines: the first ``count`` solid (constant first variable), the rest dashed."""
    from matplotlib.collections import LineCollection

    ax.add_collection(
        LineCollection(list(lines[:count]), colors=_GRID_COLOUR, linewidths=0.8, linestyles="-")
    )
    ax.add_collection(
        LineCollection(list(lines[count:]), colors=_GRID_COLOUR, linewidths=0.8, linestyles="--")
    )
    finite = lines[np.isfinite(lines).all(axis=-1)]
    if len(finite):
        lo, hi = finite.min(0), finite.max(0)
        pad = 0.04 * np.maximum(hi - lo, 1e-9)
        ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
        ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])


def _singular(ax: Axes, segments: np.ndarray, label: str, *, dots: bool = False) -> None:
    """The singular set (or its image) as thick black lines; ``dots`` also marks the segments'
    ends, so that a set f squashes to a point still shows."""
    from matplotlib.collections import LineCollection

    if len(segments):
        ax.add_collection(
            LineCollection(list(segments), colors="black", linewidths=2.4, zorder=2.5)
        )
        ax.plot([], [], color="black", linewidth=2.4, label=label)
        if dots:
            ends = segments.reshape(-1, 2)
            ax.plot(*ends.T, "o", color="black", markersize=3, zorder=2.5)


def _draw_plane(fig: Figure, pic: Picture, g: geo.PlaneMap) -> None:
    f = pic.function
    x, y = f.variable_names
    if g.square is None:
        axes = fig.subplots(1, 3)
        dom, img, det = axes
        zoom = None
    else:
        grid = fig.subplots(2, 2)
        dom, img, det, zoom = grid[0, 0], grid[0, 1], grid[1, 0], grid[1, 1]
    count = geo.GRID_LINES
    spans = [h - lo for lo, h in zip(g.region.lows, g.region.highs, strict=True)]
    # the region
    _lines(dom, g.grid, count)
    dom.set_title(f"the region: {x} lines solid, {y} lines dashed")
    dom.set_xlabel(x)
    dom.set_ylabel(y)
    _equal_if_sensible(dom, spans)
    _singular(dom, g.det.singular.segments, "det J = 0")
    # its image
    _lines(img, g.image, count)
    img.set_title("its image under f")
    img.set_xlabel(_axis_label(f, 0))
    img.set_ylabel(_axis_label(f, 1))
    finite = g.image[np.isfinite(g.image).all(axis=-1)]
    if len(finite):
        _equal_if_sensible(img, list(np.ptp(finite, axis=0)), 4.0)
    _singular(img, g.det.singular.image, "image of det J = 0", dots=True)
    if g.square is not None and zoom is not None:
        sq = g.square
        dom.fill(*sq.corners.T, facecolor="0.8", edgecolor="black", linewidth=1.5, zorder=3)
        dom.plot(*sq.x0, "o", color="black", markersize=4, zorder=4)
        _square_images(img, sq, f.variable_names, small=True)
        img.plot(*sq.base, "o", color="black", markersize=3, zorder=5)
        _square_images(zoom, sq, f.variable_names, small=False)
        zoom.set_title(f"near f(x0): the square's images, side h = {sq.side:g}")
        zoom.set_xlabel(_axis_label(f, 0))
        zoom.set_ylabel(_axis_label(f, 1))
        zoom.set_aspect("equal", adjustable="box")
        fig.legend(*zoom.get_legend_handles_labels(), loc="outside lower center", ncol=2)
    for ax in (dom, img):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize=8, framealpha=0.9)
    _draw_det(fig, det, pic, g)


def _square_images(ax: Axes, sq: geo.Square, variables: Sequence[str], *, small: bool) -> None:
    """f(square) (solid, grey) and the parallelogram f(x0) + J(x0)·(c − x0) (dashed, hatched)
    with side·J's columns as arrows and |det J| and the orientation written on it."""
    from matplotlib.patches import Polygon

    ax.add_patch(
        Polygon(
            sq.image,
            closed=True,
            facecolor="0.8",
            edgecolor="black",
            linewidth=1.5,
            zorder=3,
            label=None if small else "f(square): the square's image under f",
        )
    )
    ax.add_patch(
        Polygon(
            sq.parallelogram,
            closed=True,
            fill=False,
            hatch="///",
            edgecolor="black",
            linestyle="--",
            linewidth=1.2,
            zorder=4,
            label=None if small else "f(x0) + J(x0)·(square − x0): its image under J(x0)",
        )
    )
    if small:
        return
    centre = sq.parallelogram.mean(axis=0)
    for k, name in enumerate(variables):
        d = sq.parallelogram[1 if k == 0 else 3] - sq.base
        ax.annotate(
            "",
            xy=tuple(sq.base + d),
            xytext=tuple(sq.base),
            arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.6},
            zorder=5,
        )
        tip = sq.base + d
        away = tip - centre
        away = away / (np.linalg.norm(away) or 1.0)
        ax.annotate(
            f"h·∂f/∂{name}",
            xy=tuple(tip),
            xytext=tuple(18 * away),
            textcoords="offset points",
            fontsize=9,
            ha="center",
            va="center",
            zorder=6,
        )
    scale = to_text(abs(sq.det))
    ax.text(
        float(centre[0]),
        float(centre[1]),
        f"|det J| = {scale}\n{sq.orientation}",
        ha="center",
        va="center",
        fontsize=9,
        zorder=6,
        bbox={"facecolor": "white", "edgecolor": "black", "boxstyle": "round", "alpha": 0.9},
    )
    pts = np.vstack([sq.image, sq.parallelogram])
    pts = pts[np.isfinite(pts).all(axis=1)]
    lo, hi = pts.min(0), pts.max(0)
    pad = 0.22 * max(float(np.max(hi - lo)), 1e-9)
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)


def _draw_det(fig: Figure, ax: Axes, pic: Picture, g: geo.PlaneMap) -> None:
    f = pic.function
    x, y = f.variable_names
    d = g.det
    values = np.ma.masked_invalid(d.values)
    finite = d.values[np.isfinite(d.values)]
    title_text = f"det J = {to_text(g.det_expr)}"
    if len(title_text) > 2 * LABEL_CHARS:
        title_text = "det J"
    ax.set_title(title_text + ("; det J < 0 hatched" if (finite < 0).any() else ""))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if len(finite) and np.ptp(finite) > 0:
        mesh = ax.pcolormesh(
            d.xs, d.ys, values, shading="auto", cmap="cividis", alpha=0.7, rasterized=True
        )
        fig.colorbar(mesh, ax=ax, label="det J")
        if (finite < 0).any():
            low = float(finite.min()) - 1.0
            ax.contourf(d.xs, d.ys, values, levels=[low, 0], colors="none", hatches=["//"])
        lines = ax.contour(d.xs, d.ys, values, levels=7, colors="black", linewidths=0.5)
        for label in ax.clabel(lines, fontsize=7, fmt="%.3g"):
            label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    elif len(finite):
        words = f"det J = {finite[0]:.6g} everywhere"
        if d.singular.everywhere:
            words = "det J = 0 everywhere: f squashes the plane"
        ax.text(0.5, 0.5, words, transform=ax.transAxes, ha="center")
    _singular(ax, d.singular.segments, "det J = 0")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    # a little room, so that det J = 0 along the region's edge (r = 0 in polar coordinates) shows
    (x0, y0), (x1, y1) = g.region.lows, g.region.highs
    px, py = 0.015 * (x1 - x0), 0.015 * (y1 - y0)
    ax.set_xlim(x0 - px, x1 + px)
    ax.set_ylim(y0 - py, y1 + py)


def _draw_scalar(fig: Figure, pic: Picture, g: geo.ScalarField) -> None:
    f = pic.function
    x, y = f.variable_names
    ax = fig.subplots()
    values = np.ma.masked_invalid(g.values)
    filled = ax.contourf(g.xs, g.ys, values, levels=12, cmap="Greys", alpha=0.55)
    fig.colorbar(filled, ax=ax, label=_axis_label(f, 0))
    lines = ax.contour(g.xs, g.ys, values, levels=12, colors="black", linewidths=0.6)
    ax.clabel(lines, fontsize=7, fmt="%.3g")
    # one scale for every arrow: the longest reaches 0.9 of the way to the next arrow
    spans = [h - lo for lo, h in zip(g.region.lows, g.region.highs, strict=True)]
    lengths = np.linalg.norm(g.gradients, axis=1)
    longest = float(np.max(lengths[np.isfinite(lengths)], initial=0.0))
    if pic.at is not None:
        longest = max(longest, float(np.linalg.norm(pic.at.jacobian[0])))
    factor = 0.9 * min(spans) / (geo.ARROWS + 1) / longest if longest > 0 else 1.0
    arrows: dict[str, Any] = {
        "angles": "xy",
        "scale_units": "xy",
        "scale": 1.0,
        "color": "black",
        "zorder": 3,
    }
    ax.quiver(*g.arrows.T, *(factor * g.gradients).T, width=0.004, **arrows)
    ax.set_title(f"contours of f and the gradient ∇f (arrows: ∇f × {factor:.3g})")
    if pic.at is not None:
        grad = pic.at.jacobian[0]
        ax.quiver(*pic.at.x0, *(factor * grad), width=0.008, **arrows)
        ax.plot(*pic.at.x0, "o", color="black", markersize=5)
        ax.annotate(
            f"∇f = ({grad[0]:.4g}, {grad[1]:.4g})",
            xy=tuple(pic.at.x0),
            xytext=(8, -14),
            textcoords="offset points",
            fontsize=9,
            bbox={"facecolor": "white", "edgecolor": "black", "boxstyle": "round"},
        )
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    _equal_if_sensible(ax, spans)


def _arrow_scale(points: np.ndarray, vectors: np.ndarray) -> float:
    """One factor for every tangent arrow: the longest is a quarter of the curve's extent."""
    finite_p = points[np.isfinite(points).all(axis=1)]
    lengths = np.linalg.norm(vectors, axis=1)
    lengths = lengths[np.isfinite(lengths)]
    if not len(finite_p) or not len(lengths) or lengths.max() == 0:
        return 1.0
    extent = float(np.max(np.ptp(finite_p, axis=0))) or 1.0
    return extent / 4 / float(lengths.max())


def _draw_curve(fig: Figure, pic: Picture, g: geo.Curve) -> None:
    f = pic.function
    (t,) = f.variable_names
    s = _arrow_scale(g.points, g.tangents)
    m = g.points.shape[1]
    label = f"tangents {'(1, f′)' if pic.kind == 'graph' else 'f′(' + t + ')'} × {s:.3g}"
    if m == 3:
        ax = fig.add_subplot(projection="3d")
        ax.plot(*g.points.T, color="black", linewidth=1.5, label="f")
        ax.quiver(*g.tangent_points.T, *(s * g.tangents).T, color="0.35", linewidth=1.4)
        ax.plot([], [], color="0.3", label=label)
        ax.set_xlabel(_axis_label(f, 0))
        ax.set_ylabel(_axis_label(f, 1))
        ax.set_zlabel(_axis_label(f, 2))
        if pic.at is not None:
            ax.scatter(*pic.at.value, color="black", s=20)
    else:
        ax = fig.add_subplot()
        ax.plot(*g.points.T, color="black", linewidth=1.5, label="f" if m == 2 else "graph of f")
        ax.quiver(
            *g.tangent_points.T,
            *(s * g.tangents).T,
            angles="xy",
            scale_units="xy",
            scale=1,
            color="0.35",
            width=0.006,
            zorder=3,
        )
        ax.plot([], [], color="0.3", label=label)
        if pic.kind == "graph":
            ax.set_xlabel(t)
            ax.set_ylabel(_axis_label(f, 0))
        else:
            ax.set_xlabel(_axis_label(f, 0))
            ax.set_ylabel(_axis_label(f, 1))
            ax.set_aspect("equal", adjustable="box")
        if pic.at is not None:
            base = (
                pic.at.value if pic.kind != "graph" else np.array([pic.at.x0[0], pic.at.value[0]])
            )
            ax.plot(*base, "o", color="black", markersize=5)
            column = pic.at.jacobian[:, 0]
            text = ", ".join(f"{c:.4g}" for c in column)
            ax.annotate(
                f"J = f′ = ({text})" if pic.kind != "graph" else f"f′ = {text}",
                xy=tuple(base),
                xytext=(8, -16),
                textcoords="offset points",
                fontsize=9,
                bbox={"facecolor": "white", "edgecolor": "black", "boxstyle": "round"},
            )
    ax.set_title(f"{'the graph' if pic.kind == 'graph' else 'the curve'}, {g.region.text()}")
    ax.legend(loc="best", fontsize=8, framealpha=0.9)


def _draw_surface(fig: Figure, pic: Picture, g: geo.Surface) -> None:
    import matplotlib
    from matplotlib.colors import Normalize

    f = pic.function
    ax = fig.add_subplot(projection="3d")
    area = np.ma.masked_invalid(g.area)
    finite = g.area[np.isfinite(g.area)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    norm = Normalize(lo, hi if hi > lo else lo + 1)
    cmap = matplotlib.colormaps["cividis"]
    colours = cmap(norm(area.filled(lo)))
    ax.plot_surface(
        *g.points,
        facecolors=colours,
        edgecolor="0.25",
        linewidth=0.2,
        rstride=1,
        cstride=1,
        shade=False,
    )
    from matplotlib.cm import ScalarMappable

    fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7, label="area element sqrt(det(JᵀJ))"
    )
    ax.set_xlabel(_axis_label(f, 0))
    ax.set_ylabel(_axis_label(f, 1))
    ax.set_zlabel(_axis_label(f, 2))
    ax.set_title(f"the surface over {g.region.text()}, shaded by its area element")
    finite_points = g.points.reshape(3, -1)
    finite_points = finite_points[:, np.isfinite(finite_points).all(axis=0)]
    if finite_points.size:
        extent = np.ptp(finite_points, axis=1)
        ax.set_box_aspect(tuple(np.maximum(extent, 0.05 * extent.max()).tolist()))
    if pic.at is not None:
        ax.scatter(*pic.at.value, color="black", s=20)
