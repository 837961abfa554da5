"""Many checks, one command: ``jacobi batch FILE``.

A batch file lists cases, each naming a command of :data:`jacobi.commands.COMMANDS`
with its inputs and, optionally, the expected result. Every case runs in a
worker process with a time limit, so a malformed, hostile or slow case yields
one error row, with the message and exit code the single command would give,
and the other cases still run.

The modules, each importing only the ones above it:

``cases``    reading JSON Lines or TOML into :class:`Case` objects (the case schema)
``expect``   a case's ``expect`` normalised, and a report compared with it
``run``      one case in this process: the command call, its run, its row
``workers``  the worker processes and :class:`Runner`
``output``   the plain table, JSON lines, totals and the ``--output`` file
"""

from jacobi.batch.cases import Case, load_cases
from jacobi.batch.output import STATUS_WORD, PartialFile, PlainTable, Totals, json_line, row_message
from jacobi.batch.run import run_case, warm_up
from jacobi.batch.workers import Runner

__all__ = [
    "STATUS_WORD",
    "Case",
    "PartialFile",
    "PlainTable",
    "Runner",
    "Totals",
    "json_line",
    "load_cases",
    "row_message",
    "run_case",
    "warm_up",
]
