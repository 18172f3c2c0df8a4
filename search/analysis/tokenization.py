"""Surface tokenization with exact character offsets.

A token is either

- a *word*: a run of letters (any script, Python's ``[^\\W\\d_]``) that may
  contain combining marks, tatweel and invisible joiners (Python's ``\\w``
  does not match harakat/shadda, so «محمّد» or «يُكرِّم» would otherwise be
  split), or
- a *number*: a run of decimal digits (ASCII, Arabic-Indic, Persian...),
  optionally with internal «. , ٫ ٬» separators followed by more digits
  («3.5», «1,000», «٣٫٥»).

Letters and digits never share a token («٢٠٢٣م» → «٢٠٢٣», «م»;
«كوفيد-19» → «كوفيد», «19»). Everything else (spaces, punctuation such as
«، ؛ ؟ « » “ ” - _») separates tokens. A word starts at a letter, so a
stray leading mark or tatweel is not part of it, and a run of tatweel alone
is no token.

``tokenize`` yields ``(surface, start, end)`` with
``text[start:end] == surface``; it never raises on ``str`` input.
"""
from __future__ import annotations

import re
from typing import Iterator

from .normalization import DIACRITICS, FORMAT_CHARS

__all__ = ["tokenize", "TOKEN_RE"]


def _cls(chars: str) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


# Characters that may continue a word but are not letters themselves:
# Arabic marks (tatweel is a letter in Unicode already), general combining
# marks for decomposed Latin/other scripts, and in-word invisible joiners
# (zero-width space U+200B is a separator, not a joiner).
_MARKS = (
    _cls(DIACRITICS.replace("\u0640", "") + FORMAT_CHARS.replace("\u200b", "").replace("\ufeff", ""))
    + "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)

TOKEN_RE = re.compile(
    r"\d+(?:[.,\u066b\u066c]\d+)*"  # number
    # a word starts at a letter that normalize() keeps (not tatweel or the
    # small waw/yeh/high hamza it strips), then letters and in-word marks
    r"|[^\W\d_\u0640\u0674\u06e5\u06e6][^\W\d_]*(?:[" + _MARKS + r"]+[^\W\d_]*)*"
)


def tokenize(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(surface_token, start, end)`` for each token of ``text``."""
    if not text:
        return
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        yield m.group(), start, end
