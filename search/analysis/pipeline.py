"""The analysis pipeline as one function: tokenize → normalize → stop → stem.

``analyze`` is what the Whoosh analyzers in ``whoosh_glue`` compute, as a
plain list; use it anywhere the index terms of a text are needed.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .normalization import normalize_token
from .stemming import _cache_clear_hooks, light_stem
from .stopwords import STOPWORDS
from .tokenization import TOKEN_RE

__all__ = ["Token", "analyze"]


class Token(NamedTuple):
    """One analysed token.

    ``text`` is the normalized (and, if requested, stemmed) term; ``start``
    and ``end`` are offsets of the surface word in the original text;
    ``pos`` is the token's position (stopwords that were removed still
    consume a position, like Whoosh's ``StopFilter(renumber=False)``).
    """

    text: str
    start: int
    end: int
    pos: int


@lru_cache(maxsize=2**16)
def _terms(surface: str, stem: bool, stopwords: bool) -> tuple[str | None, ...]:
    """Terms of one surface token; ``None`` marks a removed stopword."""
    out = []
    for word in normalize_token(surface):
        if stopwords and word in STOPWORDS:
            out.append(None)
        else:
            out.append(light_stem(word) if stem else word)
    return tuple(out)


_cache_clear_hooks.append(_terms.cache_clear)


def analyze(text: str, *, stem: bool = True, stopwords: bool = True) -> list[Token]:
    """Analyse ``text`` into index/query terms with their original offsets."""
    if not text:
        return []
    result = []
    append = result.append
    terms = _terms
    new = tuple.__new__  # skips NamedTuple's Python-level __new__ (hot loop)
    cls = Token
    pos = 0
    for m in TOKEN_RE.finditer(text):
        # One position per surface token, as the Whoosh tokenizer counts them:
        # the words of an expanded ligature («ﷺ») share it, and a token that
        # normalizes to nothing still consumes it (whoosh_glue does the same).
        for term in terms(m.group(), stem, stopwords):
            if term is not None:
                start, end = m.span()
                append(new(cls, (term, start, end, pos)))
        pos += 1
    return result
