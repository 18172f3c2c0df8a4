"""Names typed in Latin letters, transliterated into Arabic candidates.

A reader types «Wagner», «Prigozhin» or «Kazakhstan»; the archive writes
«فاغنر», «بريغوجين», «كازاخستان». Nothing here knows the index: this module
only proposes and scores spellings, ``search.query.latin`` matches them
against the index vocabulary.

- ``latin_word(text)``: the lower-case ASCII letters of a Latin word
  (accents dropped: «Erdoğan» → «erdogan»), or "" when it is not one;
- ``arabic_candidates(word)``: Arabic spellings (normalized, medial short
  vowels written as long vowel letters or not at all) with their costs, a
  beam search over the rules below;
- ``skeleton_keys(word)``: the ``skeleton`` keys of those candidates (the
  index vocabulary groups its forms by that key), cheapest first;
- ``latin_cost(word, arabic)``: the cheapest alignment of the Latin word
  with an indexed Arabic form (a weighted edit distance over the same
  rules), None when they cannot be aligned. A long vowel letter the Latin
  word has no vowel for costs ``EXTRA_VOWEL``; a vowel letter that writes
  another vowel («بوتان» for «Putin») costs more than leaving it out.

Rules (``_CONSONANTS``, ``_VOWELS``): consonant skeletons with the usual
Arabic renderings of foreign sounds: g → غ/ج/ق, v → ف, p → ب, ch → تش/ش/خ,
sh → ش, kh → خ, zh → ج/ز, th → ث/ت, j → ج/ي, q → ق, x → كس, Portuguese
nh → ني; a word-initial vowel is an alef («Obama» → «اوباما») or, dearer,
the «ع» of an Arabic name («Afrin» → «عفرين»; medial aa/ae also «عا»/«اع»:
«Sanaa», «Daesh»); medial vowels are optional long vowel letters; a final
«a» may be ا or ة, a final «e» silent or ي, a final «y» ي or اي («Sky»), a
final «ei» also ئي («Khamenei»). English spelling is read where it decides
the sound: c before e/i/y is soft («Pence» → «بنس», not «بنك»), i before a
consonant and a silent e is «اي» («Times» → «تايمز»), an initial s is never
ز. A hamza the Latin word has no vowel for costs ``EXTRA_HAMZA``.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .clitics import strip_article
from .variants import skeleton

__all__ = ["latin_word", "arabic_candidates", "skeleton_keys", "latin_cost", "EXTRA_VOWEL"]

MAX_LATIN = 24  # letters; a longer "word" is not a name
BEAM = 32  # partial spellings kept per Latin position
MAX_KEYS = 48
EXTRA_VOWEL = 1.0  # an Arabic long vowel letter with no Latin vowel
EXTRA_HAMZA = 0.5  # a hamza the Latin word has no vowel for («جزءا» is not «Gaza»)
_ARABIC_VOWELS = "اوي"

# Latin unit -> ((Arabic letters, cost), ...); longest units are tried first.
_CONSONANTS: dict[str, tuple[tuple[str, float], ...]] = {
    "b": (("ب", 0),),
    "bb": (("ب", 0),),
    "c": (("ك", 0), ("س", 0.3), ("ق", 0.6), ("تش", 0.5)),
    "cc": (("ك", 0), ("تش", 0.5)),
    "ch": (("تش", 0), ("ش", 0.2), ("ك", 0.3), ("خ", 0.3)),
    "ck": (("ك", 0),),
    "cz": (("تش", 0),),
    "d": (("د", 0), ("ض", 0.8)),
    "dd": (("د", 0),),
    "dh": (("ذ", 0), ("د", 0.3), ("ض", 0.5)),
    "dj": (("ج", 0),),
    "f": (("ف", 0),),
    "ff": (("ف", 0),),
    "g": (("غ", 0), ("ج", 0), ("ق", 0.3), ("ك", 0.6)),
    "gg": (("غ", 0), ("ج", 0), ("ق", 0.3)),
    "gh": (("غ", 0), ("", 0.6)),
    "h": (("ه", 0), ("ح", 0.4), ("", 0.5)),
    "j": (("ج", 0), ("ي", 0.5), ("خ", 0.7)),
    "k": (("ك", 0), ("ق", 0.3), ("خ", 1.0)),
    "kh": (("خ", 0),),
    "l": (("ل", 0),),
    "ll": (("ل", 0),),
    "m": (("م", 0),),
    "mm": (("م", 0),),
    "n": (("ن", 0),),
    "nh": (("ني", 0.2), ("ن", 0.3), ("نه", 0.3)),  # Portuguese: «Mourinho» → «مورينيو»
    "nn": (("ن", 0),),
    "p": (("ب", 0), ("ف", 0.8)),
    "pp": (("ب", 0),),
    "ph": (("ف", 0),),
    "q": (("ق", 0), ("ك", 0.3)),
    "qq": (("ق", 0),),
    "r": (("ر", 0),),
    "rr": (("ر", 0),),
    "s": (("س", 0), ("ز", 0.4), ("ص", 0.5), ("ش", 0.7), ("ث", 0.8)),
    "ss": (("س", 0),),
    "sch": (("ش", 0),),
    "sh": (("ش", 0),),
    "t": (("ت", 0), ("ط", 0.5)),
    "tt": (("ت", 0), ("ط", 0.5)),
    "tch": (("تش", 0),),
    "th": (("ت", 0), ("ث", 0.2), ("ذ", 0.5), ("س", 0.5)),
    "ts": (("تس", 0), ("ز", 0.5)),
    "tz": (("تس", 0), ("ز", 0.5)),
    "v": (("ف", 0),),
    "w": (("و", 0), ("ف", 0.2)),
    "wh": (("و", 0),),
    "x": (("كس", 0), ("س", 0.6), ("ز", 0.6)),
    "z": (("ز", 0), ("س", 0.4), ("تس", 0.5), ("ج", 0.6), ("ظ", 0.5)),  # «Zarif» → «ظريف»
    "zz": (("تس", 0.2), ("ز", 0)),
    "zh": (("ج", 0), ("ز", 0)),
}

# Vowels inside the word: a long vowel letter, or nothing (a short vowel).
_VOWELS: dict[str, tuple[tuple[str, float], ...]] = {
    "a": (("ا", 0), ("", 0.1), ("ي", 0.6), ("اي", 0.6)),
    "e": (("", 0), ("ي", 0.1), ("ا", 0.5)),
    "i": (("ي", 0), ("", 0.3)),
    "o": (("و", 0), ("", 0.3), ("ا", 0.6)),
    "u": (("و", 0), ("", 0.3), ("ا", 0.3), ("يو", 0.3)),
    "y": (("ي", 0), ("", 0.3)),
    "ai": (("اي", 0), ("ي", 0.1), ("ا", 0.2)),
    "ay": (("اي", 0), ("ي", 0.1), ("ا", 0.2)),
    "ei": (("اي", 0), ("ي", 0)),
    "ey": (("اي", 0), ("ي", 0)),
    "ee": (("ي", 0),),
    "ea": (("ي", 0), ("يا", 0.2)),
    "ie": (("ي", 0), ("يي", 0.3)),
    "oo": (("و", 0),),
    "ou": (("و", 0),),
    "au": (("او", 0), ("و", 0.1)),
    "aw": (("او", 0), ("و", 0.1)),
    "eu": (("و", 0.2), ("يو", 0)),
    "ue": (("و", 0), ("", 0.3)),
    "ae": (("اي", 0.2), ("اع", 0.3)),  # «Daesh» → «داعش»
    "aa": (("ا", 0), ("اع", 0.3), ("عا", 0.3)),
}
# A vowel at the start: an alef, with the vowel's long letter or not.
_INITIAL_VOWELS: dict[str, tuple[tuple[str, float], ...]] = {
    "a": (("ا", 0), ("ع", 0.5)),  # an Arabic name's «ع»: «Afrin» → «عفرين»
    "ai": (("اي", 0), ("ا", 0.1)),
    "au": (("او", 0), ("ا", 0.2)),
    "e": (("ا", 0), ("اي", 0.2)),
    "eu": (("او", 0), ("يو", 0.2)),
    "i": (("ا", 0), ("اي", 0.2)),
    "o": (("او", 0), ("ا", 0.1), ("ع", 0.5)),
    "ou": (("او", 0),),
    "u": (("او", 0), ("ا", 0.1), ("يو", 0.5)),
    "y": (("ي", 0),),
}
# A vowel at the end: the letter written there.
_FINAL_VOWELS: dict[str, tuple[tuple[str, float], ...]] = {
    "a": (("ا", 0), ("ه", 0.2), ("", 0.9)),
    "e": (("", 0), ("ي", 0.1), ("ه", 0.5)),
    "i": (("ي", 0),),
    "o": (("و", 0), ("ا", 0.8)),
    "u": (("و", 0),),
    "y": (("ي", 0), ("اي", 0.3)),  # «Sky» → «سكاي»
    "ee": (("ي", 0),),
    "ie": (("ي", 0),),
    "yy": (("ي", 0),),
    "ey": (("ي", 0), ("اي", 0.2)),
    "ay": (("اي", 0), ("ي", 0.1)),
    "ai": (("اي", 0), ("ي", 0.1)),
    "ei": (("ي", 0), ("اي", 0.2), ("ءي", 0.1)),  # «Khamenei» → «خامنئي»
    "ia": (("يا", 0), ("ا", 0.2), ("يه", 0.3)),
    "ea": (("يا", 0), ("ي", 0.2)),
    "aa": (("اء", 0.1), ("عاء", 0.3), ("ا", 0.1)),  # «Sanaa» → «صنعاء»
    "ou": (("و", 0),),
    "oo": (("و", 0),),
    "ue": (("و", 0), ("", 0.3)),
    "eo": (("يو", 0),),
}
_INITIAL_H = (("ه", 0), ("ح", 0.4), ("", 0.9))  # «Hollande» is also «أولاند»
# an initial s is never a z sound: «Sky» is «سكاي», not «زكي»
_INITIAL_S = (("س", 0), ("ص", 0.5), ("ش", 0.7), ("ز", 0.8), ("ث", 0.8))
# c before e, i, y is soft: «Pence» → «بنس», «Mercedes» → «مرسيدس», «Barcelona» → «برشلونة»
_SOFT_C = (("س", 0), ("ك", 0.6), ("تش", 0.5), ("ش", 0.6))
_SOFTENING = frozenset("eiy")
# i before a consonant and a silent e is «اي»: «Times» → «تايمز», «Nike» → «نايكي»
_LONG_I = (("اي", 0), ("ي", 0.2), ("", 0.3))
_LATIN_VOWELS = frozenset("aeiouy")
_MAX_UNIT = 3


def latin_word(text: str) -> str:
    """``text`` as lower-case ASCII letters when it is a Latin word (accents
    and apostrophes dropped), else ""."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    word = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    word = word.replace("'", "").replace("’", "").replace("-", "")
    if not (2 <= len(word) <= MAX_LATIN) or not word.isascii() or not word.isalpha():
        return ""
    return word


def _units(word: str, i: int):
    """(unit, alternatives) that can start at position ``i`` of ``word``."""
    n = len(word)
    out = []
    for size in range(_MAX_UNIT, 0, -1):
        unit = word[i:i + size]
        if len(unit) < size:
            continue
        end = i + size == n
        if unit[0] in _LATIN_VOWELS and not (unit == "y" and i + 1 < n and word[i + 1] in _LATIN_VOWELS):
            if not all(c in _LATIN_VOWELS for c in unit):
                continue
            table = _INITIAL_VOWELS if i == 0 else _FINAL_VOWELS if end else _VOWELS
        else:
            table = _CONSONANTS
            if unit == "y" or unit == "w":
                table = {unit: (("ي", 0),) if unit == "y" else _CONSONANTS["w"]}
        alts = table.get(unit)
        if unit == "h" and i == 0:
            alts = _INITIAL_H
        elif unit == "s" and i == 0:
            alts = _INITIAL_S
        elif unit == "c" and i + 1 < n and word[i + 1] in _SOFTENING:
            alts = _SOFT_C
        elif unit == "i" and 0 < i and i + 2 < n and word[i + 1] not in _LATIN_VOWELS and word[i + 2] == "e":
            alts = _LONG_I
        if alts:
            out.append((unit, alts))
            if size > 1 and table is _CONSONANTS:
                break  # «kh», «sh», «tt»...: one sound, never two letters
    if not out and word[i] in _CONSONANTS:
        out.append((word[i], _CONSONANTS[word[i]]))
    return out


@lru_cache(maxsize=1024)
def _unit_table(word: str) -> tuple:
    """``_units`` at every position of ``word``."""
    return tuple(tuple(_units(word, i)) for i in range(len(word)))


@lru_cache(maxsize=4096)
def arabic_candidates(word: str) -> tuple[tuple[str, float], ...]:
    """Arabic spellings of the Latin ``word`` (``latin_word``) with their
    costs, cheapest first (a beam of ``BEAM`` per position)."""
    n = len(word)
    if not n:
        return ()
    units = _unit_table(word)
    beams: list[dict[str, float]] = [dict() for _ in range(n + 1)]
    beams[0][""] = 0.0
    for i in range(n):
        here = beams[i]
        if not here:
            continue
        if len(here) > BEAM:
            here = dict(sorted(here.items(), key=lambda kv: kv[1])[:BEAM])
        for unit, alts in units[i]:
            nxt = beams[i + len(unit)]
            for prefix, cost in here.items():
                for arabic, c in alts:
                    s, total = prefix + arabic, cost + c
                    if total < nxt.get(s, 99.0):
                        nxt[s] = total
    return tuple(sorted(((s, c) for s, c in beams[n].items() if len(s) >= 2), key=lambda kv: (kv[1], kv[0])))


@lru_cache(maxsize=4096)
def skeleton_keys(word: str) -> tuple[str, ...]:
    """``skeleton`` keys of ``arabic_candidates(word)``, cheapest first."""
    keys: dict[str, None] = {}
    for arabic, _cost in arabic_candidates(word):
        keys.setdefault(skeleton(arabic), None)
        if len(keys) >= MAX_KEYS:
            break
    return tuple(keys)




@lru_cache(maxsize=2**14)
def latin_cost(word: str, arabic: str) -> float | None:
    """The cheapest alignment of the Latin ``word`` with the normalized
    Arabic ``arabic`` (a leading «ال» ignored), or None."""
    target = strip_article(arabic)
    n, m = len(word), len(target)
    if not n or not m:
        return None
    inf = 99.0
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    units = _unit_table(word)
    for i in range(n + 1):
        row = best[i]
        for j in range(m + 1):
            cost = row[j]
            if cost >= inf:
                continue
            # an Arabic long vowel (or hamza) the Latin word has no vowel for
            if 0 < j < m and target[j] in _ARABIC_VOWELS + "ء":
                extra = cost + (EXTRA_HAMZA if target[j] == "ء" else EXTRA_VOWEL)
                if extra < row[j + 1]:
                    row[j + 1] = extra
            if i == n:
                continue
            for unit, alts in units[i]:
                ni = i + len(unit)
                for arabic_part, c in alts:
                    if target.startswith(arabic_part, j):
                        nj = j + len(arabic_part)
                        if cost + c < best[ni][nj]:
                            best[ni][nj] = cost + c
    found = best[n][m]
    return None if found >= inf else round(found, 3)
