"""The expression languages: one lexicon, the scalar parser, printing back to text."""
