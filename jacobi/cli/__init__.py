"""The ``jacobi`` command line."""
