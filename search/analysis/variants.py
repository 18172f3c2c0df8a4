"""Sound-class keys for spelling variants of transliterated names.

``variant_key(word)`` maps a word to a key shared by the usual Arabic
spellings of the same foreign name («فاغنر/فاجنر/واغنر», «ترامب/ترمب»,
«غوغل/جوجل/قوقل»...). It is meant for grouping vocabulary words into
candidate variant sets, not as a search term by itself. ``skeleton(word)``
is the key with every medial long vowel dropped (the index vocabulary's
grouping, search.engine.vocabulary, and query-time expansion).

Steps:

1. ``normalize`` the word, remove a leading «ال» if ≥ 3 letters remain.
   Words shorter than 3 letters are returned as they are (normalized).
2. Long vowels and hamza «ا و ي ء»:

   - word-initial: kept («ا»/«ء» → «ا», «ي» → «ي»; initial «و» joins the
     F class below: «واغنر» = «فاغنر»);
   - word-final: kept as written (final «ا» vs none keeps «روسيا» apart
     from «روس»; «سوريا» apart from «صور»);
   - medial: dropped when the word has ≥ 5 letters and does not end in «ه»,
     kept otherwise. Transliterations write vowels inconsistently in long
     names («بلينكن/بلينكين», «بطرسبرغ/بطرسبورغ», «ترامب/ترمب»), while in
     short native words and in words ending in teh marbuta / pronoun «ه»
     the long vowel is part of the word («قطر/قطار», «مصر/مسار»,
     «الجامعة/الجمعة»).
3. Consonant classes (every other letter stands for itself):

   ====  ==============  ====================================================
   key   letters         why
   ====  ==============  ====================================================
   G     ج غ ق گ ز ژ     English g is written غ ج or ق («غوغل/جوجل/قوقل»,
                         «فاغنر/فاجنر»); Russian ж is written ج or ز
                         («بريغوجين/بريغوزين»). Because «ج» is in both
                         sets, the g and zh/z spellings form one class.
   F     ف ڤ, initial و  v/w: «فاغنر/واغنر»
   T     ت ط             t: «طوكيو/توكيو»
   S     س ص ث           s/th: «سربيا/صربيا»
   D     د ض             d
   H     ه ح             h; «ه» also stands for teh marbuta
   B     ب پ             b/p
   ====  ==============  ====================================================

   «ك», «ذ» and «ظ» stand alone: k is written «ك» consistently, and joining
   them to G roughly doubled the key collisions between unrelated common
   words in a 40k-article news corpus («ذلك/قلق», «ظاهرة/القاهرة»).

Non-Arabic words (Latin, digits) are returned normalized, without classes.
"""
from __future__ import annotations

from functools import lru_cache

from .normalization import normalize

__all__ = ["variant_key", "skeleton", "SOUND_CLASSES"]

_CLASSES: dict[str, str] = {}
for _letters, _key in (
    ("جغقگزژ", "G"),
    ("فڤ", "F"),
    ("تط", "T"),
    ("سصث", "S"),
    ("دض", "D"),
    ("هح", "H"),
    ("بپ", "B"),
):
    for _c in _letters:
        _CLASSES[_c] = _key

SOUND_CLASSES: dict[str, str] = _CLASSES  # letter -> class key (the table above)

# Letters that write long vowels (and hamza on the line): dropped or kept by
# position here, and by skeleton (below) and search.query.expansion.
VOWEL_LETTERS = frozenset("اويء")
_INITIAL = {"ا": "ا", "ء": "ا", "ي": "ي", "و": "F"}


@lru_cache(maxsize=2**16)
def variant_key(word: str) -> str:
    """Return the spelling-variant key of ``word`` (see module docstring)."""
    w = normalize(word).strip()
    if w.startswith("ال") and len(w) >= 5:
        w = w[2:]
    n = len(w)
    if n < 3 or not ("\u0621" <= w[0] <= "\u06ff"):
        return w
    drop_medial = n >= 5 and not w.endswith("ه")
    classes = _CLASSES
    out = []
    last = n - 1
    for i, c in enumerate(w):
        if c in VOWEL_LETTERS:
            if i == 0:
                out.append(_INITIAL[c])
            elif i == last:
                out.append(c)
            elif not drop_medial:
                out.append(c)
        else:
            out.append(classes.get(c, c))
    return "".join(out)


def skeleton(word: str, key_of=None) -> str:
    """``variant_key`` with every medial long vowel dropped, also in words
    shorter than 5 letters («بوتن» = «بوتين»); words in «ه» keep theirs
    («الجامعة» ≠ «الجمعة»)."""
    if key_of is None:
        key_of = variant_key
    key = key_of(word)
    if len(key) < 4 or key.endswith("H") or word.endswith("ه"):
        return key
    return key[0] + "".join(c for c in key[1:-1] if c not in VOWEL_LETTERS) + key[-1]
