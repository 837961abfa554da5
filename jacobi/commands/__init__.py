"""Each command declared once."""
