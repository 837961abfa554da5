"""``jacobi plot``: the files it writes (valid, of the requested size, the same bytes twice), what
the drawn artists hold (the geometry, checked against hand-computed values), its summary and its
errors."""

from __future__ import annotations

import json
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from conftest import run_cli


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    w, h = struct.unpack(">II", data[16:24])
    return w, h


def test_seed_png_summary_size_and_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "seed.png"
    args = ["plot", "x+y, x*y", "--at", "-1,2", "--output", str(out)]
    first = run_cli(args)
    assert first.code == 0, first.err
    data = out.read_bytes()
    assert png_size(data) == (1200, 1040)  # the default for f: R² → R² at a point
    lines = first.out.splitlines()
    assert lines[0] == "f(x, y) = [x + y, x*y]"
    assert "region: x = -2..0, y = 1..3" in lines
    assert "det J: x - y; det J = 0 nowhere in the region" in lines
    assert (
        "square: side 0.25 with a corner at (x, y) = (-1, 2); its image under J(x0) has area "
        "0.1875 = |det J| * 0.25^2, |det J| = 3, orientation reversed"
    ) in lines
    assert lines[-1] == f"wrote: {out} (PNG, 1200x1040 pixels)"
    assert first.err == ""
    out.unlink()
    again = run_cli(args)
    assert again.code == 0 and again.out == first.out
    assert out.read_bytes() == data


def test_svg_and_pdf_of_the_requested_size(tmp_path: Path) -> None:
    svg, pdf = tmp_path / "polar.svg", tmp_path / "polar.pdf"
    for path in (svg, pdf):
        result = run_cli(
            [
                "plot",
                "r cos(t), r sin(t)",
                "--region",
                "r=0:2,t=0:2pi",
                "--size",
                "500x400",
                "-o",
                str(path),
            ]
        )
        assert result.code == 0, result.err
        assert "det J: r; det J = 0 drawn through" in result.out
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("360pt", "288pt")  # 100 px per inch
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text  # no date: the same bytes every time
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [ 0 0 360 288 ]" in data
    assert b"CreationDate" not in data


def test_the_figure_draws_the_geometry() -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    from jacobi.commands.plot import figure

    fig = figure("x+y, x*y", at="-1,2")
    region, image, det, zoom = fig.axes[:4]
    assert region.get_xlabel() == "x" and region.get_ylabel() == "y"
    assert image.get_xlabel() == "f1 = x + y" and image.get_ylabel() == "f2 = x*y"
    assert fig.get_suptitle() == "f(x, y) = (x + y, x*y),  at (x, y) = (-1, 2)"
    # the grid's image: every drawn point is f of the matching point of the region's grid
    grid = np.concatenate(
        [np.array(c.get_segments()) for c in region.collections if isinstance(c, LineCollection)]
    )
    mapped = np.concatenate(
        [np.array(c.get_segments()) for c in image.collections if isinstance(c, LineCollection)]
    )
    x, y = grid[..., 0], grid[..., 1]
    assert np.allclose(mapped[..., 0], x + y) and np.allclose(mapped[..., 1], x * y)
    assert x.min() == -2 and x.max() == 0 and y.min() == 1 and y.max() == 3
    # the parallelogram: f(x0) + J(x0)·(c − x0) for the square's corners c
    h = 0.25
    offsets = h * np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    J0 = np.array([[1, 1], [2, -1]])
    expected = np.array([1, -2]) + offsets @ J0.T
    polygons = [p for p in zoom.patches if isinstance(p, Polygon)]
    drawn = [p.get_xy()[:4] for p in polygons if p.get_hatch()]
    assert len(drawn) == 1 and np.allclose(drawn[0], expected)
    texts = [t.get_text() for t in zoom.texts]
    assert "|det J| = 3\nreversed" in texts
    square = [p.get_xy()[:4] for p in region.patches]
    assert np.allclose(square[0], np.array([-1, 2]) + offsets)


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["x^2 - y^2", "--at", "1,1/2"], "f(x, y) = x**2 - y**2,  at (x, y) = (1, 1/2)"),
        (["cos(t), sin(t), t/4", "--region", "t=0:4pi"], "f(t) = (cos(t), sin(t), t/4)"),
        (["t^2 - 1, t^3 - t", "--at", "1"], "f(t) = (t**2 - 1, t**3 - t),  at t = 1"),
        (["sin(u) cos(v), sin(u) sin(v), cos(u)", "--vars", "u,v"], None),
    ],
    ids=["gradient", "helix", "curve", "sphere"],
)
def test_other_pictures(tmp_path: Path, args: list[str], title: str | None) -> None:
    out = tmp_path / "p.png"
    result = run_cli(["plot", *args, "--size", "320x240", "-o", str(out)])
    assert result.code == 0, result.err
    assert png_size(out.read_bytes()) == (320, 240)
    if title is not None:
        from jacobi.commands.plot import figure

        rest = [a for a in args[1:]]
        options = dict(zip(rest[::2], rest[1::2], strict=True))
        fig = figure(
            args[0],
            at=options.get("--at"),
            region=options.get("--region"),
            size="320x240",
        )
        assert fig.get_suptitle() == title


def test_json_report(tmp_path: Path) -> None:
    out = tmp_path / "arm.svg"
    result = run_cli(
        [
            "plot",
            "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)",
            "--vars",
            "a,b",
            "--param",
            "l1=2,l2=1",
            "--region",
            "-pi:pi,-pi:pi",
            "--size",
            "600x240",
            "-o",
            str(out),
            "--format",
            "json",
        ]
    )
    assert result.code == 0, result.err
    obj = json.loads(result.out)
    assert obj["command"] == "plot" and obj["picture"] == "plane"
    assert obj["det"] == "2*sin(b)"
    assert obj["singular_points"] > 100
    assert obj["output"] == str(out) and obj["format"] == "svg" and obj["size"] == [600, 240]
    assert obj["region"] == "a = -3.14159..3.14159, b = -3.14159..3.14159"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["x+y, x*y", "-o", "a.jpg"], 2, "must end in .png, .svg or .pdf"),
        (["x+y, x*y", "--region", "x=1:0"], 2, "from a smaller to a larger"),
        (["x+y, x*y", "--region", "z=0:1"], 2, "names 'z', which is not a variable"),
        (["x+y, x*y", "--region", "x=0"], 2, "not LOW:HIGH"),
        (["x+y, x*y", "--region", "x=0:y"], 2, "not a real number"),
        (["x+y, x*y", "--size", "big"], 2, "not WIDTHxHEIGHT"),
        (["x, y, z"], 2, "plot draws"),
        (["a*x, y", "--vars", "x,y"], 2, "a picture needs a value for every parameter"),
        (["log(x), y", "--at", "-1,0"], 3, "undefined"),
    ],
)
def test_errors(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    output = [] if "-o" in args else ["-o", str(tmp_path / "p.png")]
    result = run_cli(["plot", *args, *output])
    assert result.code == code
    assert message in result.err and result.err.count("\n") == 1
    assert result.out == ""
    assert not (tmp_path / "p.png").exists()


def test_without_matplotlib_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    out = tmp_path / "p.png"
    result = run_cli(["plot", "x+y, x*y", "-o", str(out)])
    assert result.code == 2
    assert result.err == (
        "jacobi: error: jacobi plot needs Matplotlib, which is not installed "
        '(pip install "jacobi-cli[plot]")\n'
    )
    assert not out.exists()
