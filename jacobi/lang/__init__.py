"""The expression languages: one lexicon, and the scalar language read by stages.

:mod:`~jacobi.lang.lexicon` (functions, Greek letters, operators, limits) is shared
with the matrix language. The scalar language reads text in stages:
:mod:`~jacobi.lang.unicode` → :mod:`~jacobi.lang.tokens` → :mod:`~jacobi.lang.parser`
(with :mod:`~jacobi.lang.lists`) → :mod:`~jacobi.lang.build` (sizes measured by
:mod:`~jacobi.lang.sizes`), fronted by :mod:`~jacobi.lang.parse`;
:mod:`~jacobi.lang.printing` prints expressions back to text that reads back.
"""
