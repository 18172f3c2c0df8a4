"""A faithful Python port of Lucene's Arabic analysis (the "Light10" baseline).

Lucene's ``ArabicAnalyzer`` is ``StandardTokenizer | LowerCaseFilter |
DecimalDigitFilter | StopFilter | ArabicNormalizationFilter |
ArabicStemFilter``. The two Arabic steps are ported rule for rule from
``org.apache.lucene.analysis.ar.ArabicNormalizer`` and ``ArabicStemmer``
(Larkey, Ballesteros & Connell, "Light Stemming for Arabic Information
Retrieval", the Light10 stemmer):

``lucene_normalize``
    «آ أ إ» → «ا», «ى» → «ي», «ة» → «ه»; the harakat (fathatan, dammatan,
    kasratan, fatha, damma, kasra, shadda, sukun) and tatweel are deleted.
    Nothing else is touched (no NFKC, no «ؤ/ئ» folding, no dagger alef).

``light10_stem`` (on a normalized token)
    1. **One prefix**, the first that matches in Lucene's order
       «ال وال بال كال فال لل و»: a two/three-letter prefix needs at least
       2 letters left; the lone «و» needs a word of at least 4 letters.
    2. **Suffixes**, each tried once in Lucene's order
       «ها ان ات ون ين يه ية ه ة ي», every one that matches at the current
       end is removed as long as 2 letters remain (so «وزارات» → «زار»,
       «بوتين» → «بوت»). «ية»/«ة» never match after normalization; they are
       kept for fidelity.

Differences from Lucene, on purpose and small: tokens come from a Unicode
regex close to UAX#29 for Arabic (letters plus in-word marks/tatweel, or
digit runs), and the stopword list is the project's
(``search/analysis/data/stopwords_ar.txt``, Lucene-normalized) so that the
baselines differ in stemming only.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "lucene_normalize",
    "light10_stem",
    "light10_terms",
    "LUCENE_PREFIXES",
    "LUCENE_SUFFIXES",
]

ALEF = "\u0627"
_NORM_TABLE = {ord("\u0622"): ALEF, ord("\u0623"): ALEF, ord("\u0625"): ALEF,
               ord("\u0649"): "\u064a", ord("\u0629"): "\u0647"}
for _c in "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652":
    _NORM_TABLE[ord(_c)] = None

LUCENE_PREFIXES: tuple[str, ...] = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
LUCENE_SUFFIXES: tuple[str, ...] = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")

# Digits of any script → ASCII (Lucene's DecimalDigitFilter).
_DIGITS = {}
for _base in (0x0660, 0x06F0):
    for _i in range(10):
        _DIGITS[_base + _i] = str(_i)

# Letters (plus in-word Arabic marks and tatweel) or digit runs.
_TOKEN_RE = re.compile(r"[^\W\d_][^\W\d_\u064b-\u065f\u0670\u0640]*(?:[\u064b-\u065f\u0670\u0640]+[^\W\d_]*)*|\d+")


def lucene_normalize(token: str) -> str:
    """``ArabicNormalizer.normalize`` on one token."""
    return token.translate(_NORM_TABLE)


def _stem_prefix(w: str) -> str:
    n = len(w)
    for p in LUCENE_PREFIXES:
        if len(p) == 1 and n < 4:
            continue
        if n < len(p) + 2:
            continue
        if w.startswith(p):
            return w[len(p):]
    return w


def _stem_suffix(w: str) -> str:
    for s in LUCENE_SUFFIXES:
        if len(w) >= len(s) + 2 and w.endswith(s):
            w = w[: -len(s)]
    return w


@lru_cache(maxsize=2**18)
def light10_stem(word: str) -> str:
    """``ArabicStemmer.stem`` on a (Lucene-normalized) token."""
    return _stem_suffix(_stem_prefix(word))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset:
    from search.analysis.resources import DATA_DIR

    words = set()
    with open(DATA_DIR / "stopwords_ar.txt", encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(lucene_normalize(line.lower()))
    return frozenset(words)


def light10_terms(text: str, *, stem: bool = True):
    """Yield ``(term, position, start, end)`` as Lucene's ArabicAnalyzer would
    index ``text`` (positions keep the gaps of removed stopwords)."""
    stops = _stopwords()
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        tok = m.group().lower().translate(_DIGITS)
        if tok in stops:
            pos += 1
            continue
        norm = lucene_normalize(tok)
        if norm and norm not in stops:
            yield (light10_stem(norm) if stem else norm), pos, m.start(), m.end()
        pos += 1
