"""Input generators for the benchmarks: large sparse systems and dense maps, as text.

Every component is written in a syntax that jacobi, SymPy's ``parse_expr``,
SymEngine's ``sympify`` and Maxima all read (``*`` for products, ``**``, ``exp``,
``sin``, ``cos``), so every tool gets the very same input. Print one::

    python benchmarks/workloads.py bratu 1000        # one component per line
    python benchmarks/workloads.py brusselator 1000
    python benchmarks/workloads.py arm 40
    python benchmarks/workloads.py quadratic 8
"""

from __future__ import annotations

import re
import sys

from calculus import bratu_text, quadratic_text


def bratu(n: int) -> list[str]:
    """u_(i-1) - 2 u_i + u_(i+1) + h^2 exp(u_i), u_0 = u_(n+1) = 0: n equations, tridiagonal."""
    return bratu_text(n).split(",\n")


def brusselator(n: int) -> list[str]:
    """The 1-D Brusselator (A = 1, B = 3) on n/2 grid points: u_1..u_m, then v_1..v_m.

    u' = 1 + u^2 v - 4u + a (u_(i-1) - 2u_i + u_(i+1)), v' = 3u - u^2 v + a (v_(i-1) - 2v_i +
    v_(i+1)) with a = (m+1)^2/50 and the boundary values u = 1, v = 3.
    """
    m = n // 2
    a = f"{(m + 1) ** 2}/50"
    comps = []
    for i in range(1, m + 1):
        ul = f"u{i - 1}" if i > 1 else "1"
        ur = f"u{i + 1}" if i < m else "1"
        vl = f"v{i - 1}" if i > 1 else "3"
        vr = f"v{i + 1}" if i < m else "3"
        comps.append(f"1 + u{i}**2*v{i} - 4*u{i} + {a}*({ul} - 2*u{i} + {ur})")
        comps.append(f"3*u{i} - u{i}**2*v{i} + {a}*({vl} - 2*v{i} + {vr})")
    return comps


def arm(links: int) -> list[str]:
    """End points of a planar arm of unit links: x_k, y_k for k = 1..links (2·links × links).

    x_k = sum_(i <= k) cos(t1 + ... + t_i), and y_k with sin.
    """
    xs, ys, comps = [], [], []
    for i in range(1, links + 1):
        angle = " + ".join(f"t{j}" for j in range(1, i + 1))
        xs.append(f"cos({angle})")
        ys.append(f"sin({angle})")
        comps.append(" + ".join(xs))
        comps.append(" + ".join(ys))
    return comps


def quadratic(n: int) -> list[str]:
    """A dense quadratic map in x1..xn (every x_j x_k and x_j, small random coefficients)."""
    return quadratic_text(n).split(",\n")


POLAR = ["r*cos(t)", "r*sin(t)"]
SPHERICAL = ["r*sin(theta)*cos(phi)", "r*sin(theta)*sin(phi)", "r*cos(theta)"]
SEED = ["x + y", "x*y"]

_FUNCTIONS = {"exp", "sin", "cos"}


def natural_variables(comps: list[str]) -> list[str]:
    """The names in ``comps`` in jacobi's default order: letters, then number (x2 before x10)."""
    names = set(re.findall(r"[A-Za-z_]\w*", " ".join(comps))) - _FUNCTIONS

    def key(name: str) -> tuple[str, int]:
        stem = name.rstrip("0123456789")
        return (stem, int(name[len(stem) :] or -1))

    return sorted(names, key=key)


GENERATORS = {"bratu": bratu, "brusselator": brusselator, "arm": arm, "quadratic": quadratic}

if __name__ == "__main__":
    print("\n".join(GENERATORS[sys.argv[1]](int(sys.argv[2]))))
