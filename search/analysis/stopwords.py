"""The Arabic stopword list (``data/stopwords_ar.txt``), normalized."""
from __future__ import annotations

from .resources import load_wordlist

__all__ = ["STOPWORDS"]

#: Normalized Arabic stopwords (particles, pronouns, prepositions, ...).
STOPWORDS: frozenset[str] = load_wordlist("stopwords_ar.txt")
