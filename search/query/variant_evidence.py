"""Index evidence that two plausible spellings are two different names.

Letters cannot tell some pairs apart: «سلمان/سليمان», «محمد/محمود» pass
``search.query.spelling.plausible_spelling`` like «ترامب/ترمب». The articles
can, in one case. How two words share articles (the lift: shared articles
divided by what chance would give, ``shared * N / (a * b)``):

- two spellings of one name either keep apart (each outlet has its
  convention: «ترامب/ترمب» share 27 articles at 70k, lift 1.0) or come
  together far above chance (an article that mixes its spellings:
  «مانشستر/مانشيستر» lift 36, «بوتين/بوتن» 13);
- two common names of one field are named side by side in many articles, at
  a few times chance, like any two words of one subject
  («سلمان/سليمان» 115 articles, lift 2.9; «محمد/محمود» 361, lift 2.6).

``clash(a, b, vocab)``: at least ``MIN_SHARED`` shared articles (or
``MIN_SHARED_SHARE`` of the archive) with a lift within ``LIFT_BAND``. Rare clashes («رافايل/رافال», «ماتيس/ماتياس») share no
article, like most spellings of one name, and stay merged: neither shared
articles, nor outlets, nor sections tell them apart (docs/quality.md,
``scripts/variant_signals.py``).

The document sets are those of the exact forms (``Vocabulary.doc_ids``;
the proclitic forms change the figures above by a few per cent and cost
ten postings reads more); a vocabulary without them (``from_counts``) gives
no evidence. The document frequencies bound the shared count first, so only
pairs of two frequent words read postings, the same postings the query then
searches (the view caches them); verdicts are cached on the vocabulary (one
per searcher generation).
"""
from __future__ import annotations

import numpy as np

MIN_SHARED = 10  # articles holding both words
MIN_SHARED_SHARE = 0.001  # of the archive, when that is more
LIFT_BAND = (1.5, 5.0)  # shared / chance: below, the spellings keep apart; above, one article mixes them
_CACHE_ATTR = "_variant_evidence"
_MAX_CACHED = 4096


def shared_articles(a: str, b: str, vocab) -> tuple[int, int, int] | None:
    """(articles of a, articles of b, articles holding both), or None when
    ``vocab`` has no document sets."""
    if getattr(vocab, "doc_ids", None) is None:
        return None
    da = vocab.doc_ids(a)  # docnums holding the exact word, sorted (segments in docnum order)
    db = vocab.doc_ids(b) if da is not None else None
    if db is None:
        return None
    return int(da.size), int(db.size), int(np.intersect1d(da, db, assume_unique=True).size)


def _verdict(a: str, b: str, vocab) -> bool:
    n = getattr(vocab, "doc_count", None)
    if not n or getattr(vocab, "doc_ids", None) is None:
        return False
    floor = max(MIN_SHARED, n * MIN_SHARED_SHARE)
    if min(vocab.df(a), vocab.df(b)) < floor:
        return False  # cannot share enough articles: no postings read
    counts = shared_articles(a, b, vocab)
    if counts is None:
        return False
    na, nb, both = counts
    if both < floor:
        return False
    lift = both * n / (na * nb)
    return LIFT_BAND[0] <= lift <= LIFT_BAND[1]


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
        found = _verdict(a, b, vocab)
        if len(cache) > _MAX_CACHED:
            cache.clear()
        cache[key] = found
    return found
