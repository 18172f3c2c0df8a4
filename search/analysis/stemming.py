"""Conservative Arabic light stemming (Light10 family) and proclitic removal.

``light_stem(word)`` takes an already-normalized token and applies, in order:

1. **Protected words** (``data/protected_names.txt`` + ``data/stem_exceptions.txt``
   + ``set_extra_protected``) are returned whole.
2. **Definite article family**, longest first, removed only if enough letters
   remain: «وال بال كال فال» (≥ 3 letters left), «لل» and «ال» (≥ 2 left).
   If what remains is protected it is returned as is («الكرملين» is itself
   listed, so «والكرملين»/«للكرملين» return «الكرملين»).
   A bare word whose tail after a single proclitic (و ف ب ل ك, or a pair
   such as وب ول) is a protected name is returned unchanged: splitting the
   proclitic is the vocabulary-guarded ``strip_proclitics``'s job, and
   suffix-stripping «وبوتين» would mangle the name.
3. **One pronoun suffix** «ها» if ≥ 3 letters remain.
4. **One plural/dual suffix**: «ات ون ين» if ≥ 4 letters remain; «ان» only
   if ≥ 5 letters remain and the word does not end in «ستان» (country names).
5. **Final «ه»** (teh marbuta or pronoun) if ≥ 4 letters remain. A final «ي»
   is never removed: nisba adjectives keep their «ي», so «امريكي»,
   «امريكيه», «امريكيين», «امريكيون» all give «امريكي» while «امريكا»,
   «عسكر», «المسيح» or the name «صلاح» («صلاحيات» → «صلاحي») stay apart.

The length guards keep names and short words intact: «بوتين» (ين would
leave 3 letters) stays «بوتين»; «الجمعه» → «جمعه» (ه would leave 3) while
«الجامعه» → «جامع», so the two never share a stem; «وزاره» and «الوزاره»
both give «وزار» (a single-letter proclitic is never removed here, so
neither becomes «زار»); «مصري», «مصريه», «مصريين», «مصريون» all give «مصري».
The suffixes are Light10's (ها ان ات ون ين يه ه ي) except a bare final «ي»,
applied in three slots with at most one suffix per slot («يه» loses its «ه»
in step 5 and keeps the «ي»).

Everything is plain string work over fixed tuples, so the result is the same
in every process regardless of PYTHONHASHSEED.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from .clitics import AL, ARTICLES, PROCLITIC_PAIRS, PROCLITICS
from .normalization import normalize
from .resources import load_wordlist

__all__ = [
    "light_stem",
    "strip_proclitics",
    "set_extra_protected",
    "protected_words",
    "is_protected",
]

_BASE_PROTECTED: frozenset[str] = load_wordlist("protected_names.txt") | load_wordlist(
    "stem_exceptions.txt"
)
_protected: frozenset[str] = _BASE_PROTECTED

# (prefix, minimum letters that must remain: as many as the prefix has),
# longest prefixes first (the order among prefixes of one length is
# irrelevant: they differ in their first letter).
_ARTICLES: tuple[tuple[str, int], ...] = tuple(
    (prefix, len(prefix)) for prefix in sorted(ARTICLES, key=len, reverse=True)
)
_AL = AL
_PROCLITICS = PROCLITICS
_PROCLITIC_PAIRS = PROCLITIC_PAIRS

# Hooks run after the protected set changes (the analysis pipeline registers
# the clearing of its own caches here).
_cache_clear_hooks: list[Callable[[], None]] = []


def _is_arabic_letter(c: str) -> bool:
    return "\u0621" <= c <= "\u064a"


def _strip_suffixes(w: str) -> str:
    n = len(w)
    # 3. pronoun «ها»
    if n >= 5 and w.endswith("ها"):
        w = w[:-2]
        n -= 2
    # 4. plural / dual
    if n >= 6:
        end = w[-2:]
        if end == "ات" or end == "ون" or end == "ين":
            w = w[:-2]
            n -= 2
        elif end == "ان" and n >= 7 and not w.endswith("ستان"):
            w = w[:-2]
            n -= 2
    # 5. final «ه» (teh marbuta or pronoun); a final «ي» is kept
    if n >= 5 and w[-1] == "ه":
        w = w[:-1]
    return w


@lru_cache(maxsize=2**18)
def light_stem(word: str) -> str:
    """Return the light stem of a normalized token (see module docstring)."""
    if len(word) < 3 or not _is_arabic_letter(word[0]):
        return word
    prot = _protected
    if word in prot:
        return word
    for prefix, min_rest in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_rest:
            rest = word[len(prefix):]
            if rest in prot:
                return rest
            if prefix != _AL:
                with_article = _AL + rest
                if with_article in prot:
                    return with_article
            return _strip_suffixes(rest)
    if word[0] in _PROCLITICS and (
        word[1:] in prot or (word[:2] in _PROCLITIC_PAIRS and word[2:] in prot)
    ):
        return word
    return _strip_suffixes(word)


def strip_proclitics(word: str, is_known: Callable[[str], bool]) -> str:
    """Remove a leading proclitic when the vocabulary knows the remainder.

    ``word`` is a normalized token. The two-letter combinations
    (وب ول فب فل وك فك) are tried first, then the single letters
    (و ف ب ل ك); a remainder is returned only if it has at least 3 letters
    and ``is_known(remainder)`` is true. The word is returned unchanged
    otherwise, and a split never cuts into a protected name
    («بريطانيا» keeps its «ب», «ولبنان» can only become «لبنان»).
    """
    if len(word) < 4 or word[0] not in _PROCLITICS:
        return word
    prot = _protected
    if word in prot:
        return word
    if word[1:] in prot:
        limit = 1
    else:
        limit = 2
    if limit == 2 and word[:2] in _PROCLITIC_PAIRS:
        rest = word[2:]
        if len(rest) >= 3 and is_known(rest):
            return rest
    rest = word[1:]
    if len(rest) >= 3 and is_known(rest):
        return rest
    return word


def protected_words() -> frozenset[str]:
    """The current (normalized) protected set."""
    return _protected


def is_protected(word: str) -> bool:
    """Whether the normalized ``word`` is protected from stemming."""
    return word in _protected


def set_extra_protected(words: Iterable[str]) -> None:
    """Protect ``words`` (natural spelling; normalized here) in addition to
    the shipped lists. Each call *replaces* the extras of the previous call,
    so it can be called again with a complete, updated list. Clears the
    stemming caches."""
    global _protected
    extra = set()
    for w in words:
        for part in normalize(w).split():
            extra.add(part)
    _protected = _BASE_PROTECTED | frozenset(extra)
    light_stem.cache_clear()
    for hook in _cache_clear_hooks:
        hook()
