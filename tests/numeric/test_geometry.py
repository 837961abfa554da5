"""The geometry behind ``jacobi plot``, held to facts computed here by hand (plain NumPy)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jacobi.commands.inputs import build_function, build_point
from jacobi.errors import InputError, ShapeError, UndefinedError
from jacobi.numeric import geometry as g


def seed() -> tuple[object, g.PlaneMap]:
    f = build_function(["x+y, x*y"])
    at = g.at_point(f, build_point(f, "-1,2"))
    return f, g.plane_map(f, g.default_region(f, at.x0), at)


def test_seed_grid_image_is_f_at_the_grid_points() -> None:
    _, pm = seed()
    assert pm.region.text() == "x = -2..0, y = 1..3"
    x, y = pm.grid[..., 0], pm.grid[..., 1]
    # f(x, y) = (x + y, xy), written out by hand
    assert np.allclose(pm.image[..., 0], x + y, rtol=0, atol=1e-12)
    assert np.allclose(pm.image[..., 1], x * y, rtol=0, atol=1e-12)
    lines = g.GRID_LINES
    assert pm.grid.shape == (2 * lines, g.LINE_SAMPLES, 2)
    # lines of constant x, then of constant y, spanning the region
    assert np.allclose(pm.grid[:lines, :, 0], np.linspace(-2, 0, lines)[:, None])
    assert np.allclose(pm.grid[lines:, :, 1], np.linspace(1, 3, lines)[:, None])
    assert pm.grid[..., 1].min() == 1 and pm.grid[..., 1].max() == 3


def test_seed_square_parallelogram_and_area() -> None:
    _, pm = seed()
    sq = pm.square
    assert sq is not None
    h = sq.side
    assert h == pytest.approx(2 / 8)
    x0 = np.array([-1.0, 2.0])
    corners = x0 + h * np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    assert np.allclose(sq.corners, corners)
    J0 = np.array([[1.0, 1.0], [2.0, -1.0]])  # [[1, 1], [y, x]] at (-1, 2)
    f0 = np.array([-1.0 + 2.0, -1.0 * 2.0])
    assert np.allclose(sq.base, f0)
    assert np.allclose(sq.parallelogram, f0 + (corners - x0) @ J0.T)
    # spanned by h times J's columns
    assert np.allclose(sq.parallelogram[1] - sq.parallelogram[0], h * J0[:, 0])
    assert np.allclose(sq.parallelogram[3] - sq.parallelogram[0], h * J0[:, 1])
    assert sq.area == pytest.approx(3 * h * h)  # |det J(x0)| = |x - y| = 3
    assert sq.signed_area < 0 and sq.orientation == "reversed"
    assert sq.det == -3
    # the image under f: f at points of the square's outline
    out = sq.outline
    assert np.allclose(sq.image, np.stack([out[:, 0] + out[:, 1], out[:, 0] * out[:, 1]], 1))
    # the outline runs round the square
    assert np.allclose(out[0], out[-1]) and np.allclose(out.min(0), x0)
    assert np.allclose(out.max(0), x0 + h)
    # det J = x - y < 0 on the whole region: no singular curve
    assert pm.det.singular.points.shape == (0, 2)
    xx, yy = np.meshgrid(pm.det.xs, pm.det.ys)
    assert np.allclose(pm.det.values, xx - yy)


def test_the_square_of_an_orientation_preserving_map() -> None:
    f = build_function(["2x + y, x + 3y"])
    at = g.at_point(f, build_point(f, "0,0"))
    sq = g.plane_map(f, g.default_region(f, at.x0), at, side=0.5).square
    assert sq is not None
    assert sq.area == pytest.approx(5 * 0.25) and sq.signed_area > 0
    assert sq.orientation == "preserved"
    # a linear map's image of the square is the parallelogram itself
    assert np.allclose(sq.image[:: g.SQUARE_SAMPLES - 1], sq.parallelogram[[0, 1, 2, 3, 0]])


def test_polar_singular_set_is_r_0() -> None:
    f = build_function(["r cos(t), r sin(t)"])
    pm = g.plane_map(f, g.Region(("r", "t"), (0.0, 0.0), (2.0, 2 * math.pi)))
    s = pm.det.singular
    assert len(s.points) >= g.MAP_SAMPLES // 2
    assert np.abs(s.points[:, 0]).max() < 1e-12  # det J = r
    # r = 0 maps to the origin
    assert np.abs(s.image).max() < 1e-12


@pytest.mark.parametrize(("l1", "l2"), [(1, 1), (2, 1)])
def test_two_link_arm_singular_set_is_sin_b_0(l1: int, l2: int) -> None:
    f = build_function(
        ["l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)"],
        variables="a,b",
        params=[f"l1={l1}", f"l2={l2}"],
    )
    pm = g.plane_map(f, g.Region(("a", "b"), (-3.0, -3.0), (3.0, 3.0)))
    s = pm.det.singular
    a, b = s.points[:, 0], s.points[:, 1]
    assert len(s.points) > 50
    assert np.abs(l1 * l2 * np.sin(b)).max() < 1e-9  # det J = l1 l2 sin(b)
    assert np.allclose(b, 0, atol=1e-9)  # only b = 0 lies in -3..3
    # the image of the straight arm: the circle of radius l1 + l2
    ends = s.image.reshape(-1, 2)
    assert np.allclose(np.hypot(ends[:, 0], ends[:, 1]), l1 + l2)
    assert a.min() == pytest.approx(-3) and a.max() == pytest.approx(3)


def test_singular_curve_points_of_a_circle() -> None:
    # det J of (x^2 + y^2, x y) is 2(x^2 - y^2): zero on the diagonals, a saddle at 0.
    f = build_function(["x^2 + y^2, x y"])
    pm = g.plane_map(f, g.Region(("x", "y"), (-1.0, -0.9), (1.1, 1.0)))
    p = pm.det.singular.points
    assert len(p) > 100
    assert np.abs(p[:, 0] ** 2 - p[:, 1] ** 2).max() < 1e-9
    segs = pm.det.singular.segments
    # each segment stays on one diagonal (no segment jumps between them)
    mids = segs.mean(axis=1)
    assert np.abs(np.abs(mids[:, 0]) - np.abs(mids[:, 1])).max() < 0.02


def test_a_pole_is_not_a_zero() -> None:
    f = build_function(["log(x^2), y"])  # det J = 2/x changes sign at x = 0 through a pole
    pm = g.plane_map(f, g.Region(("x", "y"), (-1.05, -1.0), (1.0, 1.0)))
    assert len(pm.det.singular.points) == 0
    f = build_function(["x + 1/x, y"])  # det J = 1 - 1/x^2: zero at x = ±1, pole at 0
    pm = g.plane_map(f, g.Region(("x", "y"), (-2.05, -1.0), (2.0, 1.0)))
    p = pm.det.singular.points
    assert len(p) > 0 and np.allclose(np.abs(p[:, 0]), 1)


def test_det_identically_zero_is_said() -> None:
    f = build_function(["x + y, 2x + 2y"])
    pm = g.plane_map(f, g.Region(("x", "y"), (0.0, 0.0), (1.0, 1.0)))
    assert pm.det.singular.everywhere


def test_scalar_field_gradients() -> None:
    f = build_function(["x^2 y + sin(y)"])
    field = g.scalar_field(f, g.Region(("x", "y"), (-1.0, 0.0), (1.0, 2.0)))
    x, y = field.arrows[:, 0], field.arrows[:, 1]
    assert len(x) == g.ARROWS**2
    assert np.allclose(field.gradients, np.stack([2 * x * y, x**2 + np.cos(y)], 1))
    xx, yy = np.meshgrid(field.xs, field.ys)
    assert np.allclose(field.values, xx**2 * yy + np.sin(yy))


def test_curves_and_tangents() -> None:
    f = build_function(["cos(t), sin(t), t/2"])
    at = g.at_point(f, build_point(f, "pi/3"))
    c = g.curve(f, g.Region(("t",), (0.0,), (6.0,)), at)
    t = c.ts
    assert np.allclose(c.points, np.stack([np.cos(t), np.sin(t), t / 2], 1))
    s = c.tangent_ts
    assert np.any(np.isclose(s, math.pi / 3))
    assert np.allclose(c.tangent_points, np.stack([np.cos(s), np.sin(s), s / 2], 1))
    assert np.allclose(c.tangents, np.stack([-np.sin(s), np.cos(s), 0.5 + 0 * s], 1))
    graph = g.curve(build_function(["x^3"]), g.Region(("x",), (-1.0,), (1.0,)))
    s = graph.tangent_ts
    assert np.allclose(graph.points[:, 1], graph.ts**3)
    assert np.allclose(graph.tangents, np.stack([np.ones_like(s), 3 * s**2], 1))


def test_surface_area_element() -> None:
    f = build_function(
        ["sin(theta) cos(phi), sin(theta) sin(phi), cos(theta)"], variables="theta,phi"
    )
    s = g.surface(f, g.Region(("theta", "phi"), (0.0, 0.0), (math.pi, 2 * math.pi)))
    th, ph = np.meshgrid(s.us, s.vs)
    assert np.allclose(s.points[0], np.sin(th) * np.cos(ph))
    assert np.allclose(s.area, np.abs(np.sin(th)))  # the sphere's area element |sin θ|


def test_refusals() -> None:
    with pytest.raises(ShapeError, match="plot draws"):
        g.kind_of(build_function(["x, y, z"]))
    with pytest.raises(InputError, match="l1, l2 have none"):
        g.Sampler(build_function(["l1 cos(a), l2 sin(b)"], variables="a,b"))
    with pytest.raises(InputError, match="region of x"):
        g.Region(("x",), (1.0,), (0.0,))
    f = build_function(["log(x), y"])
    with pytest.raises(UndefinedError):
        g.at_point(f, build_point(f, "-1,0"))


def test_undefined_samples_are_nan() -> None:
    f = build_function(["sqrt(x), y"])
    values, jac, det = g.Sampler(f)(np.array([-1.0, 4.0]), np.array([0.0, 0.0]))
    assert np.isnan(values[:, 0]).all() and values[0, 1] == 2
    assert np.isnan(det[0]) and det[1] == pytest.approx(0.25)
