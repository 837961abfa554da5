"""Matrix calculus: the matrix language's nodes, its parser and derivatives."""
