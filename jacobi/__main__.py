"""``python -m jacobi``."""

from jacobi.cli.app import entry

entry()
