"""Index evidence that two plausible spellings are two different names.

Letters cannot tell some name clashes apart («رافايل/رافال», «ماتيس/ماتياس»,
«مورينيو/مورينو»): each pair passes ``search.query.spelling.plausible_spelling``.
The articles can: one article keeps to one spelling of a name (its outlet has
a convention: «ترامب» or «ترمب»), while two different people of one field are
named side by side (a football report names both players). So two spellings
that share many articles, far more than chance would put together, are two
names, not one.

``clash(a, b, vocab)`` answers that from the document sets of the two words
(the exact forms and their proclitic forms, ``Vocabulary.doc_ids``): at least
``MIN_SHARED`` articles hold both, and the shared articles are at least
``MIN_SHARE`` of the rarer word's articles. A vocabulary without document
sets (``Vocabulary.from_counts``) gives no evidence (False). Verdicts are
cached on the vocabulary (one per searcher generation); the cost is one
postings lookup per indexed form, paid once per accepted candidate.
"""
from __future__ import annotations

import numpy as np

from search.analysis.clitics import CLITICS

MIN_SHARED = 3  # articles holding both spellings
MIN_SHARE = 0.2  # of the rarer spelling's articles
_CACHE_ATTR = "_variant_evidence"
_MAX_CACHED = 4096


def _docs(word: str, vocab):
    """Sorted unique docnums holding ``word`` or a proclitic form of it, or None."""
    parts = []
    for form in (word,) + tuple(p + word for p in CLITICS):
        if vocab.df(form):
            ids = vocab.doc_ids(form)
            if ids is None:
                return None
            parts.append(ids)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(parts)) if len(parts) > 1 else np.unique(parts[0])


def shared_articles(a: str, b: str, vocab) -> tuple[int, int, int] | None:
    """(articles of a, articles of b, articles holding both), or None when
    ``vocab`` has no document sets."""
    if getattr(vocab, "doc_ids", None) is None:
        return None
    da = _docs(a, vocab)
    db = _docs(b, vocab) if da is not None else None
    if db is None:
        return None
    both = np.intersect1d(da, db, assume_unique=True).size
    return int(da.size), int(db.size), int(both)


def clash(a: str, b: str, vocab) -> bool:
    """True when the index shows ``a`` and ``b`` as two names (see the module docstring)."""
    cache = getattr(vocab, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        try:
            setattr(vocab, _CACHE_ATTR, cache)
        except AttributeError:
            pass
    key = (a, b) if a <= b else (b, a)
    found = cache.get(key)
    if found is None:
        counts = shared_articles(a, b, vocab)
        if counts is None:
            found = False
        else:
            na, nb, both = counts
            found = both >= MIN_SHARED and both >= MIN_SHARE * max(1, min(na, nb))
        if len(cache) > _MAX_CACHED:
            cache.clear()
        cache[key] = found
    return found
