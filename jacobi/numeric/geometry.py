"""What a Jacobian does to space, as coordinates: the geometry behind ``jacobi plot``.

Everything here is numbers, computed from jacobi's own expressions (the parsed function, its
Jacobian and det J) with :func:`jacobi.numeric.points.compile_exprs`; nothing is drawn. The
drawing (:mod:`jacobi.numeric.figure`) only places what this module computes, so the tests can
hold the picture's geometry to independent facts:

* f: R² → R² (:func:`plane_map`): a grid of the region and its image under f; the small square
  at x0 (a corner at x0, sides along the axes), its image under f and its image under the linear
  map J(x0), the parallelogram with vertices f(x0) + J(x0)·(c − x0) for the square's corners c,
  of area |det J(x0)|·side²; det J sampled over the region and the singular set det J = 0 as
  points on curves (marching squares on the samples, each point refined by bisection along its
  grid edge, a fixed number of steps);
* f: R² → R (:func:`scalar_field`): f on a grid (for contours) and gradient arrows;
* f: R → R, R² or R³ (:func:`curve`): the curve (a graph for R → R) and tangent vectors, J's
  column, at chosen parameters;
* f: R² → R³ (:func:`surface`): the surface on a grid and its area element sqrt(det(JᵀJ)).

All sizes are counts (grid lines, samples, bisection steps), so the same input gives the same
numbers on every machine. Exact values at the point (f(x0), J(x0), det J(x0)) come from
:mod:`jacobi.math.evaluate`, so an undefined point is the same error as for ``jacobi jac --at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sympy

from jacobi.errors import InputError, ShapeError
from jacobi.math import derivatives, evaluate
from jacobi.math.determinant import determinant, jacobian_determinant, orientation
from jacobi.math.magnitude import to_float
from jacobi.model import Point, VectorFunction
from jacobi.numeric.points import compile_exprs, domain_guards

FloatArray = npt.NDArray[np.float64]

#: Grid lines drawn in each direction of the region (f: R² → R²).
GRID_LINES = 11
#: Samples along each grid line, and along a curve.
LINE_SAMPLES = 121
#: Samples of det J (and of a scalar field) in each direction.
MAP_SAMPLES = 121
#: Gradient or tangent arrows in each direction (a field) or along a curve.
ARROWS = 9
#: Samples of a surface in each direction.
SURFACE_SAMPLES = 41
#: Bisection steps refining each point of det J = 0 along its grid edge (2⁻⁵⁰ of the edge).
BISECTION_STEPS = 50
#: Samples along each side of the small square (for its curved image under f).
SQUARE_SAMPLES = 25
#: The square's side as a fraction of the region's smaller width.
SQUARE_FRACTION = 1 / 8
#: Half the width of the default region around --at (and the default region without it).
HALF_WIDTH = 1.0
DEFAULT_LOW, DEFAULT_HIGH = -2.0, 2.0

#: The shapes that can be drawn, by (variables, components).
KINDS = {
    (2, 2): "plane",
    (2, 1): "scalar",
    (1, 1): "graph",
    (1, 2): "curve",
    (1, 3): "curve",
    (2, 3): "surface",
}


def kind_of(f: VectorFunction) -> str:
    """Which picture fits f: ``plane``, ``scalar``, ``graph``, ``curve`` or ``surface``.

    >>> from jacobi import function
    >>> kind_of(function("x+y, x*y")), kind_of(function("x^2 + y^2")), kind_of(function("t, t^2"))
    ('plane', 'scalar', 'curve')
    """
    kind = KINDS.get((f.n, f.m))
    if kind is None:
        raise ShapeError(
            f"plot draws f: R² → R², R² → R, R → R, R → R², R → R³ or R² → R³; f has "
            f"{f.m} component{'s' if f.m != 1 else ''} and {f.n} variable{'s' if f.n != 1 else ''}",
            hint="give --vars to choose one or two variables (others need --param values)",
        )
    return kind


@dataclass(frozen=True)
class Region:
    """A box of the domain: ``lows[i] ≤ variables[i] ≤ highs[i]``."""

    names: tuple[str, ...]
    lows: tuple[float, ...]
    highs: tuple[float, ...]

    def __post_init__(self) -> None:
        for name, lo, hi in zip(self.names, self.lows, self.highs, strict=True):
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise InputError(
                    f"the region of {name} must go from a smaller to a larger finite number, "
                    f"not {lo:g}:{hi:g}",
                    hint=f"e.g. --region {name}=-1:1",
                )

    def axis(self, i: int, count: int) -> FloatArray:
        """``count`` evenly spaced values of variable ``i``, ends included."""
        return np.linspace(self.lows[i], self.highs[i], count)

    def text(self) -> str:
        """``x = -2..0, y = 1..3``."""
        return ", ".join(
            f"{n} = {_num(lo)}..{_num(hi)}"
            for n, lo, hi in zip(self.names, self.lows, self.highs, strict=True)
        )


def _num(x: float) -> str:
    return f"{x:.6g}"


def default_region(f: VectorFunction, centre: Sequence[float] | None) -> Region:
    """x0 ± 1 in each variable around the point (x0 ± 2 for a curve); −2..2 without one."""
    if centre is None:
        lows = tuple(DEFAULT_LOW for _ in f.variables)
        highs = tuple(DEFAULT_HIGH for _ in f.variables)
    else:
        half = HALF_WIDTH if f.n > 1 else 2 * HALF_WIDTH
        lows = tuple(c - half for c in centre)
        highs = tuple(c + half for c in centre)
    return Region(f.variable_names, lows, highs)


class Sampler:
    """f, its Jacobian and (for a square J) det J of ``f``, compiled to NumPy together.

    A sample where f or a piece of it is undefined (its domain guards, as for ``--points``)
    is ``nan`` in every output.

    >>> from jacobi import function
    >>> s = Sampler(function("x+y, x*y"))
    >>> values, jac, det = s(np.array([-1.0]), np.array([2.0]))
    >>> values[:, 0].tolist(), jac[:, :, 0].tolist(), det.tolist()
    ([1.0, -2.0], [[1.0, 1.0], [2.0, -1.0]], [-3.0])
    """

    def __init__(self, f: VectorFunction) -> None:
        missing = [p.name for p, v in f.parameters if v is None]
        if missing:
            raise InputError(
                f"a picture needs a value for every parameter: {', '.join(missing)} "
                f"{'has' if len(missing) == 1 else 'have'} none",
                hint=f"give --param {missing[0]}=VALUE"
                + (", or name it in --vars" if f.n < 2 else ""),
            )
        self.f = f
        self.jacobian = derivatives.jacobian(f, simplify=False)
        self.det: sympy.Expr | None = jacobian_determinant(f).value if f.m == f.n else None
        entries = [self.jacobian[i, j] for i in range(f.m) for j in range(f.n)]
        guards: list[sympy.Expr] = []
        for i, comp in enumerate(f.components):
            guards += domain_guards(comp)
            for lost in f.guards_of(i):
                guards += domain_guards(lost)
        extra = [self.det] if self.det is not None else []
        self._outputs = f.m + len(entries) + len(extra)
        self._code = compile_exprs([*f.components, *entries, *extra, *guards], f.variables)

    def __call__(self, *arrays: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """f (m, ...), J (m, n, ...) and det J (...; ``nan`` when J is not square)."""
        f = self.f
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
        out = [np.array(v, dtype=np.float64) for v in self._code(*arrays)]
        bad = np.zeros(shape, dtype=bool)
        for guard in out[self._outputs :]:
            bad |= ~np.isfinite(guard)
        values = np.stack(out[: f.m]) if f.m else np.zeros((0, *shape))
        jac = np.stack(out[f.m : f.m + f.m * f.n]).reshape(f.m, f.n, *shape)
        det = out[f.m + f.m * f.n] if self.det is not None else np.full(shape, np.nan)
        values[:, bad] = np.nan
        jac[:, :, bad] = np.nan
        det = np.where(bad, np.nan, det)
        return values, jac, det

    def values(self, *arrays: FloatArray) -> FloatArray:
        return self(*arrays)[0]

    def determinant(self, *arrays: FloatArray) -> FloatArray:
        return self(*arrays)[2]


@dataclass(frozen=True)
class AtPoint:
    """f, J and (square J) det J at the point, exactly and as floats."""

    point: Point
    x0: FloatArray
    value: FloatArray
    jacobian: FloatArray
    exact_jacobian: sympy.ImmutableMatrix
    det: sympy.Expr | None


def at_point(f: VectorFunction, point: Point) -> AtPoint:
    """Exact f(x0), J(x0) and det J(x0), with the same errors as ``--at`` elsewhere."""
    values = point.mapping()
    names = ("f",) if f.m == 1 else tuple(f"f{i + 1}" for i in range(f.m))
    exact_f = []
    for i, (label, comp) in enumerate(zip(names, f.components, strict=True)):
        where = f"the function component {label}"
        exact_f.append(evaluate.value_at(comp, values, where=where))
        evaluate.require_guards(f.guards_of(i), values, where)
        evaluate.require_interior(comp, values, where=where)
    exact_j = derivatives.jacobian(f, simplify=False, keep_deltas=True)
    j0 = evaluate.evaluate_matrix(exact_j, point)
    det = determinant(j0).value if f.m == f.n else None
    return AtPoint(
        point,
        _floats(point.values, "the point"),
        _floats(exact_f, "f at the point"),
        _floats(list(j0), "J at the point").reshape(f.m, f.n),
        j0,
        det,
    )


def _floats(values: Sequence[sympy.Expr], what: str) -> FloatArray:
    out = []
    for v in values:
        x = to_float(v)
        if x is None:
            raise InputError(f"{what} is not a finite real number that a picture can show")
        out.append(x)
    return np.array(out, dtype=np.float64)


# ---------------------------------------------------------------------- f: R² → R²
@dataclass(frozen=True)
class Square:
    """The small square at x0, its image under f and under J(x0).

    ``corners`` are x0 + side·(0,0), (1,0), (1,1), (0,1), counter-clockwise;
    ``parallelogram`` is f(x0) + J(x0)·(corner − x0) for each (the square's image under the
    linearisation), spanned by side·(J's columns); ``area`` is its area from the vertices
    (shoelace), which is |det J(x0)|·side²; ``signed_area`` is negative when the vertices turn
    clockwise, i.e. when J(x0) reverses orientation.
    """

    x0: FloatArray
    side: float
    corners: FloatArray
    outline: FloatArray
    image: FloatArray
    base: FloatArray
    jacobian: FloatArray
    parallelogram: FloatArray
    signed_area: float
    det: sympy.Expr
    orientation: str

    @property
    def area(self) -> float:
        return abs(self.signed_area)


def shoelace(vertices: FloatArray) -> float:
    """The signed area of a polygon (positive when its vertices turn counter-clockwise).

    >>> shoelace(np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]]))
    2.0
    """
    x, y = vertices[:, 0], vertices[:, 1]
    return float(0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)))


def square(sampler: Sampler, at: AtPoint, side: float) -> Square:
    """The square of ``side`` with a corner at x0 and its images (see :class:`Square`)."""
    x0 = at.x0
    unit = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    corners = x0 + side * unit
    s = np.linspace(0.0, 1.0, SQUARE_SAMPLES)[:-1]
    nxt = np.roll(corners, -1, axis=0)
    edges = [a + np.outer(s, b - a) for a, b in zip(corners, nxt, strict=True)]
    outline = np.vstack([*edges, corners[:1]])
    image = sampler.values(outline[:, 0], outline[:, 1]).T
    parallelogram = at.value + (corners - x0) @ at.jacobian.T
    assert at.det is not None
    return Square(
        x0=x0,
        side=side,
        corners=corners,
        outline=outline,
        image=image,
        base=at.value,
        jacobian=at.jacobian,
        parallelogram=parallelogram,
        signed_area=shoelace(parallelogram),
        det=at.det,
        orientation=orientation(at.det).value,
    )


@dataclass(frozen=True)
class Singular:
    """The singular set det J = 0 found on a sampled grid.

    ``segments`` (k, 2, 2) are pieces of the curves in the domain, ``points`` (p, 2) every point
    found (segment ends: refined crossings and grid points where det J is 0), ``image`` (k, 2, 2)
    the segments' ends mapped by f. ``everywhere``: det J is identically 0 (f collapses the
    plane), so no curve is drawn.
    """

    segments: FloatArray
    points: FloatArray
    image: FloatArray
    everywhere: bool = False


@dataclass(frozen=True)
class DetMap:
    """det J sampled on ``xs`` × ``ys``: ``values[j, i]`` is det J at (xs[i], ys[j])."""

    xs: FloatArray
    ys: FloatArray
    values: FloatArray
    singular: Singular


@dataclass(frozen=True)
class PlaneMap:
    """f: R² → R² over a region: grid lines and their images, det J, the square at x0."""

    region: Region
    #: Lines of constant first variable, then of constant second variable: (k, samples, 2).
    grid: FloatArray
    image: FloatArray
    det: DetMap
    det_expr: sympy.Expr
    square: Square | None


def grid_lines(region: Region, lines: int = GRID_LINES, samples: int = LINE_SAMPLES) -> FloatArray:
    """``lines`` lines of constant x then ``lines`` of constant y, each at ``samples`` points.

    >>> g = grid_lines(Region(("x", "y"), (0.0, 0.0), (1.0, 2.0)), 3, 5)
    >>> g.shape, g[1, :, 0].tolist(), g[3, :, 1].tolist()
    ((6, 5, 2), [0.5, 0.5, 0.5, 0.5, 0.5], [0.0, 0.0, 0.0, 0.0, 0.0])
    """
    xs, ys = region.axis(0, lines), region.axis(1, lines)
    along_x, along_y = region.axis(0, samples), region.axis(1, samples)
    out = np.empty((2 * lines, samples, 2))
    out[:lines, :, 0] = xs[:, None]
    out[:lines, :, 1] = along_y[None, :]
    out[lines:, :, 0] = along_x[None, :]
    out[lines:, :, 1] = ys[:, None]
    return out


def plane_map(
    f: VectorFunction,
    region: Region,
    at: AtPoint | None = None,
    *,
    side: float | None = None,
    sampler: Sampler | None = None,
) -> PlaneMap:
    """Everything the picture of f: R² → R² shows (see the module's docstring)."""
    sampler = sampler or Sampler(f)
    assert sampler.det is not None
    grid = grid_lines(region)
    image = np.moveaxis(sampler.values(grid[..., 0], grid[..., 1]), 0, -1)
    xs, ys = region.axis(0, MAP_SAMPLES), region.axis(1, MAP_SAMPLES)
    values = sampler.determinant(*np.meshgrid(xs, ys))
    found = singular_set(sampler, xs, ys, values)
    sq = None
    if at is not None:
        width = min(h - lo for lo, h in zip(region.lows, region.highs, strict=True))
        sq = square(sampler, at, side if side is not None else width * SQUARE_FRACTION)
    return PlaneMap(region, grid, image, DetMap(xs, ys, values, found), sampler.det, sq)


def singular_set(sampler: Sampler, xs: FloatArray, ys: FloatArray, values: FloatArray) -> Singular:
    """det J = 0 on the grid ``xs`` × ``ys`` where det J is ``values`` (see :class:`Singular`).

    Marching squares: a cell edge whose ends have opposite signs holds a point of the curve,
    found by :data:`BISECTION_STEPS` bisection steps along the edge (kept only where det J is
    then close to 0: a sign change through a pole is not a zero); grid points where det J is 0
    are points too. In each cell the points are joined into segments, a saddle cell by the sign
    at its centre.
    """
    empty = np.zeros((0, 2, 2))
    if sampler.det is not None and sampler.det == 0:
        return Singular(empty, np.zeros((0, 2)), empty, everywhere=True)
    finite = np.isfinite(values)
    scale = float(np.max(np.abs(values[finite]))) if finite.any() else 0.0
    tol = 1e-12 * scale
    sign = np.where(finite, np.sign(values) * (np.abs(values) > tol), np.nan)
    ny, nx = values.shape
    # Crossings on horizontal edges (j, i)-(j, i+1) and vertical edges (j, i)-(j+1, i).
    h_cross = sign[:, :-1] * sign[:, 1:] < 0
    v_cross = sign[:-1, :] * sign[1:, :] < 0
    hj, hi = np.nonzero(h_cross)
    vj, vi = np.nonzero(v_cross)
    starts = np.concatenate([np.stack([xs[hi], ys[hj]], 1), np.stack([xs[vi], ys[vj]], 1)]).reshape(
        -1, 2
    )
    ends = np.concatenate(
        [np.stack([xs[hi + 1], ys[hj]], 1), np.stack([xs[vi], ys[vj + 1]], 1)]
    ).reshape(-1, 2)
    start_sign = np.concatenate([sign[hj, hi], sign[vj, vi]])
    crossing = _bisect(sampler, starts, ends, start_sign)
    kept = np.abs(sampler.determinant(crossing[:, 0], crossing[:, 1])) <= max(1e-6 * scale, 1e-12)
    h_point: dict[tuple[int, int], FloatArray] = {}
    v_point: dict[tuple[int, int], FloatArray] = {}
    for k, (j, i) in enumerate(zip(hj.tolist(), hi.tolist(), strict=True)):
        if kept[k]:
            h_point[j, i] = crossing[k]
    for k, (j, i) in enumerate(zip(vj.tolist(), vi.tolist(), strict=True)):
        if kept[len(hj) + k]:
            v_point[j, i] = crossing[len(hj) + k]
    zero = sign == 0
    cells: set[tuple[int, int]] = set()
    for j, i in [*h_point, *v_point]:
        cells.update({(j, i), (j - 1, i), (j, i - 1)})
    for j, i in zip(*(a.tolist() for a in np.nonzero(zero)), strict=True):
        cells.update({(j, i), (j - 1, i), (j, i - 1), (j - 1, i - 1)})
    segments: list[tuple[FloatArray, FloatArray]] = []
    for j, i in sorted(c for c in cells if 0 <= c[0] < ny - 1 and 0 <= c[1] < nx - 1):
        corners = [(j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i)]
        edges = [
            h_point.get((j, i)),
            v_point.get((j, i + 1)),
            h_point.get((j + 1, i)),
            v_point.get((j, i)),
        ]
        segments += _cell_segments(
            [np.array([xs[c[1]], ys[c[0]]]) if zero[c] else None for c in corners],
            edges,
            [sign[c] for c in corners],
        )
    if not segments:
        return Singular(empty, np.zeros((0, 2)), empty)
    seg = np.array([[a, b] for a, b in segments])
    points = np.unique(seg.reshape(-1, 2), axis=0)
    mapped = sampler.values(seg[..., 0], seg[..., 1])
    return Singular(seg, points, np.moveaxis(mapped, 0, -1))


def _bisect(
    sampler: Sampler, starts: FloatArray, ends: FloatArray, start_sign: FloatArray
) -> FloatArray:
    """The zero of det J on each segment start–end (det J has sign ``start_sign`` at start)."""
    lo: FloatArray = starts.copy()
    hi: FloatArray = ends.copy()
    if len(lo) == 0:
        return lo
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        v = sampler.determinant(mid[:, 0], mid[:, 1])
        same = (np.sign(v) == start_sign)[:, None]
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    out: FloatArray = 0.5 * (lo + hi)
    return out


def _cell_segments(
    zeros: list[FloatArray | None], edges: list[FloatArray | None], signs: list[float]
) -> list[tuple[FloatArray, FloatArray]]:
    """Join one cell's points into segments.

    ``zeros``: the corners (bottom-left, bottom-right, top-right, top-left) where det J is 0;
    ``edges``: the crossings on the bottom, right, top and left edges.
    """
    crossings = [p for p in edges if p is not None]
    zero_pts = [p for p in zeros if p is not None]
    if len(crossings) == 4:  # a saddle: the centre's sign decides which corners are cut off
        bottom, right, top, left = (p for p in edges if p is not None)
        centre = 0.25 * sum(signs)
        if centre * signs[0] > 0:
            return [(bottom, right), (top, left)]
        return [(left, bottom), (right, top)]
    out: list[tuple[FloatArray, FloatArray]] = []
    if len(crossings) == 2:
        out.append((crossings[0], crossings[1]))
    elif len(crossings) == 1 and zero_pts:
        out.append((crossings[0], zero_pts[0]))
    # Two corners of one edge where det J is 0: that edge lies on the set.
    for k in range(4):
        a, b = zeros[k], zeros[(k + 1) % 4]
        if a is not None and b is not None:
            out.append((a, b))
    return out


# ---------------------------------------------------------------------- f: R² → R
@dataclass(frozen=True)
class ScalarField:
    """f: R² → R on a grid (``values[j, i]`` at (xs[i], ys[j])) and gradient arrows."""

    region: Region
    xs: FloatArray
    ys: FloatArray
    values: FloatArray
    #: Arrow tails (k, 2) and the gradient there (k, 2).
    arrows: FloatArray
    gradients: FloatArray


def scalar_field(f: VectorFunction, region: Region, sampler: Sampler | None = None) -> ScalarField:
    """Contours come from ``values``; arrows are ∇f at an :data:`ARROWS` × :data:`ARROWS` grid."""
    sampler = sampler or Sampler(f)
    xs, ys = region.axis(0, MAP_SAMPLES), region.axis(1, MAP_SAMPLES)
    values = sampler.values(*np.meshgrid(xs, ys))[0]
    ax, ay = (region.axis(k, ARROWS + 2)[1:-1] for k in (0, 1))
    gx, gy = (a.ravel() for a in np.meshgrid(ax, ay))
    jac = sampler(gx, gy)[1]
    return ScalarField(region, xs, ys, values, np.stack([gx, gy], 1), jac[0].T.copy())


# ---------------------------------------------------------------------- f: R → R, R², R³
@dataclass(frozen=True)
class Curve:
    """f: R → Rᵐ: ``points[k]`` = f(ts[k]); tangents J(t) (f'(t)) at ``tangent_ts``."""

    region: Region
    ts: FloatArray
    points: FloatArray
    tangent_ts: FloatArray
    tangent_points: FloatArray
    tangents: FloatArray


def curve(
    f: VectorFunction, region: Region, at: AtPoint | None = None, sampler: Sampler | None = None
) -> Curve:
    """The curve (for m = 1 the graph (t, f(t))) and tangents at :data:`ARROWS` parameters
    inside the interval, plus the point's."""
    sampler = sampler or Sampler(f)
    ts = region.axis(0, LINE_SAMPLES)
    tt = region.axis(0, ARROWS + 2)[1:-1]
    if at is not None:
        tt = np.unique(np.append(tt, at.x0[0]))
    values, jac, _ = sampler(ts)
    tvalues, tjac, _ = sampler(tt)
    if f.m == 1:  # the graph: (t, f(t)) with tangent (1, f'(t))
        points = np.stack([ts, values[0]], 1)
        tangent_points = np.stack([tt, tvalues[0]], 1)
        tangents = np.stack([np.ones_like(tt), tjac[0, 0]], 1)
    else:
        points, tangent_points, tangents = values.T, tvalues.T, tjac[:, 0].T
    return Curve(region, ts, points.copy(), tt, tangent_points.copy(), tangents.copy())


# ---------------------------------------------------------------------- f: R² → R³
@dataclass(frozen=True)
class Surface:
    """f: R² → R³ on a grid: ``points[:, j, i]`` = f(us[i], vs[j]); ``area[j, i]`` is
    sqrt(det(JᵀJ)) = |∂f/∂u × ∂f/∂v| there."""

    region: Region
    us: FloatArray
    vs: FloatArray
    points: FloatArray
    area: FloatArray


def surface(f: VectorFunction, region: Region, sampler: Sampler | None = None) -> Surface:
    sampler = sampler or Sampler(f)
    us, vs = region.axis(0, SURFACE_SAMPLES), region.axis(1, SURFACE_SAMPLES)
    values, jac, _ = sampler(*np.meshgrid(us, vs))
    area = np.linalg.norm(np.cross(jac[:, 0], jac[:, 1], axis=0), axis=0)
    return Surface(region, us, vs, values, area)
