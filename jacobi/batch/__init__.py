"""Many checks, one command: ``jacobi batch FILE``."""
