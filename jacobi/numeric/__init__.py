"""Vectorised numerical evaluation of exact results (NumPy)."""
