r"""A whole document (``--standalone``) whose formulas fit the page.

Each equation is one display. An equation estimated wider than the text is written one
relation per line (``J = A \\ = B``) and, if a line still is, the page gets narrow
margins, then turns to landscape. Whatever is still wider than the text (or taller than
the page) when TeX measures it is scaled down to fit (``\jacobifit``): the last resort,
so that no document has an overfull box. Only ``amsmath``, ``graphicx`` and
``geometry`` are used (all in Debian's ``texlive-latex-base``).
"""

from __future__ import annotations

import re

from jacobi.render.latex_equations import Equation

#: Text widths in pt: article's default (10pt, letter paper), 2 cm margins, landscape.
_PORTRAIT, _NARROW, _LANDSCAPE = 345.0, 500.0, 680.0

_FIT = r"""\newsavebox{\jacobibox}
% A formula at its natural size, or scaled down to the text width (and page height).
\newcommand{\jacobifit}[1]{%
  \sbox{\jacobibox}{$\displaystyle #1$}%
  \ifdim\wd\jacobibox>\linewidth
    \sbox{\jacobibox}{\resizebox{\linewidth}{!}{\usebox{\jacobibox}}}\fi
  \ifdim\dimexpr\ht\jacobibox+\dp\jacobibox\relax>0.8\textheight
    \sbox{\jacobibox}{\resizebox*{!}{0.8\textheight}{\usebox{\jacobibox}}}\fi
  \par\noindent\hfil\usebox{\jacobibox}\hfil\par\medskip}
"""

_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")


def width(tex: str) -> float:
    r"""A rough width in pt of a formula (10pt Computer Modern), erring on the wide side.

    Commands count as one glyph (``\sin`` as three), super- and subscripts as smaller, a
    fraction as its wider half, a matrix as its widest entry per column.

    >>> 20 < width("x + y") < 40
    True
    """
    total = 0.0
    for row_width in _matrix_widths(tex):
        total += row_width
    return total


def _matrix_widths(tex: str) -> list[float]:
    out = []
    rest = tex
    while True:
        m = re.search(r"\\begin\{(bmatrix|pmatrix|array|aligned)\}", rest)
        if m is None:
            out.append(_flat(rest))
            return out
        out.append(_flat(rest[: m.start()]))
        body, after = _environment(rest[m.end() :], m.group(1))
        out.append(_matrix(body))
        rest = after


def _environment(text: str, name: str) -> tuple[str, str]:
    """The body of an environment that started just before ``text``, and what follows it."""
    depth, i = 1, 0
    pattern = re.compile(r"\\(begin|end)\{" + name + r"\}")
    for m in pattern.finditer(text):
        depth += 1 if m.group(1) == "begin" else -1
        if depth == 0:
            return text[: m.start()], text[m.end() :]
        i = m.end()
    return text[i:], ""


def _matrix(body: str) -> float:
    body = re.sub(r"^\{[^}]*\}\}?", "", body.strip())  # an array's column spec
    columns: list[float] = []
    for row in _split(body, r"\\"):
        for j, cell in enumerate(_split(row, "&")):
            w = width(cell)
            if j < len(columns):
                columns[j] = max(columns[j], w)
            else:
                columns.append(w)
    return sum(columns) + 11.0 * max(len(columns) - 1, 0) + 12.0


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside braces and nested environments."""
    parts, depth, env, start, i = [], 0, 0, 0, 0
    while i < len(text):
        if text.startswith(r"\begin", i):
            env += 1
        elif text.startswith(r"\end", i):
            env -= 1
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and env == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 2 if c == "\\" else 1
    parts.append(text[start:])
    return parts


def _flat(tex: str) -> float:
    """Width of math without environments: glyphs, with scripts at 0.7 and fractions halved."""
    tex = re.sub(r"\\(left|right)(?![A-Za-z])", "", tex)
    tex = re.sub(r"\\frac\{", "{", tex)
    w = 0.0
    scale = [1.0]
    i = 0
    pending_script = False
    while i < len(tex):
        c = tex[i]
        if c in "^_":
            pending_script = True
            i += 1
            continue
        if c == "{":
            scale.append(scale[-1] * (0.7 if pending_script else 1.0))
            pending_script = False
            i += 1
            continue
        if c == "}":
            if len(scale) > 1:
                scale.pop()
            i += 1
            continue
        s = scale[-1] * (0.7 if pending_script else 1.0)
        pending_script = False
        if c == "\\":
            m = _COMMAND.match(tex, i)
            assert m is not None
            name = m.group()[1:]
            i = m.end()
            if name in ("sin", "cos", "tan", "log", "exp", "det", "operatorname", "text"):
                w += 13.0 * s
            elif name in (",", ";", ":", "!"):
                w += 2.5 * s
            elif name in ("quad",):
                w += 10.0
            elif name in ("qquad",):
                w += 20.0
            else:
                w += 8.0 * s
            continue
        if c in "+-=<>":
            w += 12.5 * s
        elif c in " \n":
            pass
        elif c in "()[]|,.":
            w += 4.0 * s
        else:
            w += 6.0 * s
        i += 1
    return w


def _rows(eq: Equation, limit: float) -> str:
    """The equation on one line, or one relation per line when it is wider than ``limit``."""
    if width(eq.text()) <= limit or len(eq.parts) <= 2:
        return eq.text()
    lines = [f"{eq.parts[0]} &{eq.rels[0]} {eq.parts[1]}"]
    lines += [f"&{rel} {part}" for rel, part in zip(eq.rels[1:], eq.parts[2:], strict=True)]
    return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"


def _line_width(rows: str) -> float:
    if rows.startswith(r"\begin{aligned}"):
        body = rows[len(r"\begin{aligned}") : -len(r"\end{aligned}")]
        return max(width(line.replace("&", "")) for line in _split(body, r"\\"))
    return width(rows)


def document(eqs: list[Equation], after: str = "") -> str:
    """A complete LaTeX document showing each equation in display math, fitted to the page,
    then ``after`` (LaTeX for the body: the ``align*`` blocks of ``--steps``)."""
    page = _PORTRAIT
    for limit in (_PORTRAIT, _NARROW, _LANDSCAPE):
        page = limit
        if all(_line_width(_rows(eq, limit)) <= limit for eq in eqs):
            break
    shown = [_rows(eq, page) for eq in eqs]
    geometry = ""
    if page == _NARROW:
        geometry = "\\usepackage[margin=2cm]{geometry}\n"
    elif page == _LANDSCAPE:
        geometry = "\\usepackage[landscape, margin=2cm]{geometry}\n"
    body = "".join(f"\\jacobifit{{{rows}}}\n" for rows in shown)
    return (
        "\\documentclass{article}\n"
        "\\usepackage{amsmath}\n"
        "\\usepackage{graphicx}\n"
        f"{geometry}"
        f"{_FIT}"
        "\\begin{document}\n"
        f"{body}"
        f"{after}"
        "\\end{document}\n"
    )
