"""``python -m jacobi``."""

from jacobi.cli import entry

entry()
