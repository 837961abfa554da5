"""``--steps`` rendered: the LaTeX compiles, the text lines up, the words say the rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy

from conftest import run_cli
from jacobi.commands import api
from jacobi.lang.parse import parse_expression, symbol
from jacobi.math.steps import derivative_steps
from jacobi.render import steps as rs
from jacobi.render import words

#: Every kind of line: constant multiples, chain rules, kinks, a quotient, a logarithmic
#: differentiation, a first derivative with its own steps, a substitution.
DOCUMENTS = [
    ["jac", "x+y, x*y", "--entry", "1,1"],
    ["grad", "x1^2 + x2^2 + x3^2"],
    ["jac", "sin(x y) + abs(x), x^y/(1 + y^2), atan2(y, x) - 50%"],
    ["hessian", "x^2 y + exp(x y)", "--at", "1,2"],
    ["det", "r cos(t), r sin(t)"],
    ["det", "r sin(p) cos(t), r sin(p) sin(t), r cos(p)", "--at", "1,pi/2,0"],
    ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"],
]


@pytest.mark.parametrize("args", DOCUMENTS, ids=" ".join)
def test_the_standalone_document_compiles(
    args: list[str], latex_pdf: Callable[[str], Path]
) -> None:
    args = [a.replace(" - 50%", "") for a in args]
    result = run_cli([*args, "--steps", "-f", "latex", "--standalone"])
    assert result.code == 0, result.err
    # each derivation an aligned block that \jacobifit scales to the page: no overfull box
    assert r"\jacobifit{\begin{aligned}" in result.out and r"\text{" in result.out
    assert r"\begin{align*}" not in result.out
    pdf = latex_pdf(result.out)
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull" not in log


def test_the_align_blocks_paste_into_a_handout(latex_pdf: Callable[[str], Path]) -> None:
    """Without --standalone: the formula, a blank line, then align* blocks to paste."""
    out = run_cli(["jac", "sin(x y), x^x", "--steps", "-f", "latex"]).out
    formula, _, blocks = out.partition("\n\n")
    assert "\n" not in formula and blocks.startswith("% ")
    handout = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        f"Here is how: \\[ {formula} \\]\n{blocks}\\end{{document}}\n"
    )
    latex_pdf(handout)


def test_latex_rules_are_text_annotations() -> None:
    out = run_cli(["jac", "sin(x y)", "--steps", "--entry", "1,1", "-f", "latex"]).out
    assert (
        r"&= \cos{\left(x y \right)} \frac{\partial}{\partial x} \left(x y\right) "
        r"&& \text{chain rule with } u = x y \text{: } "
        r"\frac{\partial}{\partial u} \sin{\left(u \right)} = \cos{\left(u \right)}" in out
    )


def test_text_is_escaped_for_latex() -> None:
    assert rs.tex_text("a_b & {c} ^ 100% #1 $ ~ \\") == (
        r"a\_b \& \{c\} \textasciicircum{} 100\% \#1 \$ \textasciitilde{} \textbackslash{}"
    )


def test_plain_rules_line_up_and_children_are_indented() -> None:
    out = run_cli(["hessian", "x^2 y", "--steps", "--entry", "1,2", "-f", "plain"]).out
    steps = out[out.index("steps:") :].splitlines()
    assert steps[2:] == [
        "d^2f/dxdy = diff(diff(x**2*y, x), y)",
        "          = diff(2*x*y, y)             "
        "first derivative (derived on its own): d/dx (x**2*y) = 2*x*y",
        "              diff(x**2*y, x)",
        "                = y*diff(x**2, x)      constant multiple rule",
        "                = 2*x*y                power rule: d/dx (x**2) = 2*x",
        "          = 2*x*diff(y, y)             constant multiple rule",
        "          = 2*x                        variable rule",
    ]
    assert all(line.isascii() for line in steps)


def test_pretty_shows_the_same_derivation() -> None:
    out = run_cli(["jac", "x^2 y", "--steps", "--entry", "1,1", "-f", "pretty"]).out
    steps = out[out.index("steps\n") :].splitlines()
    assert steps[2:] == [
        "∂f/∂x = diff(x^2·y, x)",
        "      = y·diff(x^2, x)   constant multiple rule",
        "      = 2·x·y            power rule: d/dx (x^2) = 2·x",
    ]


def test_a_long_line_does_not_push_the_rule_column() -> None:
    found = [
        rs.Row(0, "d = ", "x", ""),
        rs.Row(0, "= ", "y" * 80, "sum rule"),
        rs.Row(0, "= ", "z", "variable rule"),
    ]
    lines = rs.format_rows(found)
    assert lines[1] == "  = " + "y" * 80 + "   sum rule"
    assert lines[2] == "  = z   variable rule"


@pytest.mark.parametrize(
    ("text", "rule", "said"),
    [
        ("x*y", "constant multiple", "constant multiple rule"),
        ("x*sin(x)", "product rule", "product rule"),
        ("x*sin(x)*exp(x)", "product rule (3 factors)", "product rule (3 factors)"),
        ("sin(x)/x", "quotient rule", "quotient rule"),
        ("x^x", "logarithmic differentiation", "logarithmic differentiation"),
        ("exp(x)", "exp", "exponential function: d/dx exp(x) = exp(x)"),
        ("sqrt(x y)", "chain rule", "chain rule with u = x*y: d/du sqrt(u) = 1/(2*sqrt(u))"),
        ("abs(x)", "abs", "absolute value: d/dx Abs(x) = sign(x); kink at x = 0"),
        (
            "max(x, y)",
            "max",
            "max (piecewise): d/dx Max(x, y) = Heaviside(x - y); kink at x - y = 0",
        ),
    ],
)
def test_the_words_of_the_first_rule(text: str, rule: str, said: str) -> None:
    d = derivative_steps(parse_expression(text), symbol("x"))
    line = d.lines[1]
    assert line.rule == rule and words.step_text(line) == said


def test_the_substitution_names_the_point() -> None:
    r = api.grad(["x^2 y"], at="1,2", steps=True)
    assert r.steps is not None
    last = r.steps.entries[0].derivation
    assert words.step_text(last.lines[-1], last.point) == "at x = 1, y = 2"


def test_what_was_left_out_is_said_once() -> None:
    small = api.jac(["x+y, x*y"], steps=True)  # at most 12 non-zero entries: every one
    assert small.steps is not None and len(small.steps.entries) == 4
    assert words.steps_note(small.steps) is None
    # f_i = x_i^2 + x_(i+1), i = 1..7: 14 non-zero entries, 7 of them the constant 1.
    r = api.jac([", ".join(f"x{i}^2 + x{i + 1}" for i in range(1, 8))], steps=True)
    assert r.steps is not None and len(r.steps.entries) == 7
    note = words.steps_note(r.steps)
    assert note == "7 constant entries were left out: see one with --entry I,J (e.g. --entry 1,2)"
    linear = api.jac([", ".join(f"2 x{i} + x{i + 1}" for i in range(1, 8))], steps=True)
    assert linear.steps is not None and linear.steps.entries == ()
    assert words.steps_note(linear.steps) == (
        "every non-zero entry is a constant (14): see one with --entry I,J (e.g. --entry 1,1)"
    )


def test_the_json_lines_keep_the_rule_data() -> None:
    d = derivative_steps(parse_expression("abs(x y)"), symbol("x"))
    lines = rs.line_objects(d)
    assert lines[0] == {"expr": "diff(Abs(x*y), x)", "rule": "derivative"}
    chain = lines[1]
    assert chain["inner"] == {"name": "u", "expr": "x*y"} and chain["kink"] == "x*y"
    assert chain["formula"] == ["diff(Abs(u), u)", "sign(u)"]
    assert all(re.fullmatch(r"[ -~]+", line["expr"]) for line in lines)  # jacobi text
    assert sympy.Symbol("u") not in parse_expression(lines[-1]["expr"]).free_symbols


def test_a_notebook_shows_the_steps_in_markdown_and_the_formula_alone_in_latex() -> None:
    import jacobi

    with_steps = jacobi.grad("x^2 y", steps=True, at="1,2")
    assert with_steps._repr_latex_() == jacobi.grad("x^2 y", at="1,2")._repr_latex_()
    markdown = with_steps._repr_markdown_()
    assert "**∂f/∂x**" in markdown and "align*" not in markdown
    assert r"&= 4 && \text{at } x = 1 \text{, } y = 2 \end{aligned} $$" in markdown


def test_a_2x2_determinant_names_its_entries() -> None:
    """Polar coordinates: J = [[cos t, -r sin t], [sin t, r cos t]], named a, b, c, d."""
    r = api.det(["r cos(t), r sin(t)"], steps=True)
    assert r.steps is not None
    first = r.steps.entries[0].derivation.lines[0]
    assert words.step_text(first) == (
        "2x2 determinant: a*d - b*c with a = cos(t), b = -r*sin(t), c = sin(t), d = r*cos(t)"
    )
