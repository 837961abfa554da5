"""Matrix calculus: the matrix language's nodes, its parser and derivatives."""

# The nodes, their operations and the constructors refer to each other: importing the
# nodes first, whichever module of the package is asked for, is the order in which
# each of them finds what it needs (see the end of jacobi/matrix/nodes.py).
from jacobi.matrix import nodes as _nodes  # noqa: F401
