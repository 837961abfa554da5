"""Each command declared once, and the function that builds its result.

``registry`` holds the declarations (:class:`~jacobi.commands.spec.Command`); the
CLI, batch, the Python functions of :mod:`jacobi.commands.api` and the docs test
all read them. One module per command family builds the
:class:`~jacobi.model.Report`: ``jac``, ``det``, ``chain``,
``scalar`` (grad, hessian, linearize), ``products`` (jvp, vjp), ``check``,
``mjac``, and ``points`` for ``--points``; ``common`` and ``inputs`` are shared.
Adding a command: one module with its build function, one entry in ``registry``.
"""
