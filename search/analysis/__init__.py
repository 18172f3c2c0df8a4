"""Arabic text analysis for the news archive (plain Python, no Django).

One pipeline serves documents, queries and highlights, built like Whoosh's
``analysis`` module from small steps that can be tested word by word:

- ``tokenize``   surface tokens with exact offsets       (tokenization.py)
- ``normalize``  orthographic normalization               (normalization.py)
- ``STOPWORDS``  normalized stopword list                 (stopwords.py)
- ``light_stem`` conservative light stemmer               (stemming.py)
- ``strip_proclitics`` vocabulary-guarded proclitic split (stemming.py)
- ``variant_key`` spelling-variant key for names, ``skeleton`` (variants.py)
- ``nisba_table`` country names ↔ nisba adjectives from gazetteer rows (nisba.py)
- Latin-letter names → Arabic candidates and costs         (latin.py)
- ``CLITICS``, ``ARTICLES`` the proclitic and article lists (clitics.py)
- ``one_edit``   strings one edit away from a word       (edits.py)
- ``analyze``    the whole pipeline as a list of ``Token`` (pipeline.py)
- ``ArabicAnalyzer`` / ``ArabicExactAnalyzer`` Whoosh analyzers
  (whoosh_glue.py, imported lazily so the rest does not need Whoosh).
"""
from __future__ import annotations

from .normalization import normalize
from .pipeline import Token, analyze
from .stemming import (
    is_protected,
    light_stem,
    protected_words,
    set_extra_protected,
    strip_proclitics,
)
from .stopwords import STOPWORDS
from .tokenization import tokenize
from .variants import variant_key

__all__ = [
    "normalize",
    "tokenize",
    "STOPWORDS",
    "light_stem",
    "set_extra_protected",
    "protected_words",
    "is_protected",
    "strip_proclitics",
    "variant_key",
    "Token",
    "analyze",
    "ArabicAnalyzer",
    "ArabicExactAnalyzer",
]

_WHOOSH_NAMES = frozenset({"ArabicAnalyzer", "ArabicExactAnalyzer"})


def __getattr__(name: str):
    if name in _WHOOSH_NAMES:
        from . import whoosh_glue

        return getattr(whoosh_glue, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
