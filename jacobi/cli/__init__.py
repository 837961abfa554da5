"""The ``jacobi`` command line, made from the command declarations.

``app`` (the group and :func:`main`, where errors become exit statuses), ``build``
(Click commands from declarations), ``arguments`` (expressions that start with
``-``), ``run`` (compute, render, write under the time limit), ``batch`` and
``watchdog`` (the hard ``--timeout``).
"""

from jacobi.cli.app import cli, entry, main

__all__ = ["cli", "entry", "main"]
