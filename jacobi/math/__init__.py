"""Pure SymPy mathematics: derivatives, count-bounded simplification, determinants,
singular sets, the chain rule, evaluation at points and checks. No Click, no Rich."""
