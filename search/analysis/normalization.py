"""Arabic orthographic normalization.

``normalize(text)`` is the one normalization used everywhere: document and
query analysis, highlighting, fingerprints, gazetteer/keyword matching and
the stopword/protected-name lists. Steps, in order:

1. Unicode NFKC (presentation forms and ligatures such as «ﻻ» become plain
   letters, full-width Latin/digits become ASCII).
2. Removal of marks that never change the word: harakat (fatha, damma,
   kasra, the three tanwin, sukun), shadda, superscript alef U+0670, the
   hamza/madda combining marks, Quranic annotation signs, tatweel U+0640,
   and invisible format characters (ZWNJ/ZWJ, bidi marks, soft hyphen, BOM).
3. Letter folding:

   - alef forms «أ إ آ ٱ» (and rarer ٲ ٳ ٵ) → «ا»
   - alef maqsura «ى» → «ي» (not pyarabic's ``normalize_alef``, which
     maps «ى» to «ا» and would split «المصرى» from «المصري»)
   - teh marbuta «ة» → «ه»
   - **Hamza rule**: hamza on a waw or yeh carrier («ؤ», «ئ») → the bare
     hamza «ء»; a standalone «ء» is kept. Hamza *on alef* folds to «ا»
     (rule above). Rationale: the carrier of a medial hamza is the part of
     Arabic spelling that varies most between writers and regions
     («مسؤول/مسئول», «شؤون/شئون», «تفاؤل/تفائل»); folding both carriers to
     «ء» makes those variants identical while keeping a hamzated word apart
     from its plain-waw/yeh neighbour (folding «ئ» → «ي» would, for example,
     make «مسئول» → «مسيول» but «مسؤول» → «مسوول», which still differ).
   - Persian/Urdu letters: «ک ڪ» → «ك», «ی ې ے ۓ» → «ي»,
     «ھ ہ ۀ ۃ ە» → «ه», «پ» → «ب», «ڤ ڥ» → «ف», «چ» → «ج», «ژ» → «ز»
     (the last four are used in Arabic text for foreign p/v/ch/zh sounds
     and are usually written with the plain letter), Maghrebi «ڨ» → «ق»
     (the g pronunciation of qaf: «ڨفصة» = «قفصة»). «گ» (g) is kept: it
     is not a variant of «ك» in Arabic text; ``variant_key`` puts it with
     the other spellings of g (غ ج ق).
   - Arabic-Indic «٠-٩» and Extended (Persian) «۰-۹» digits → ASCII 0-9;
     the Arabic decimal/thousands separators «٫ ٬» → «. ,».

4. Lower-casing (Latin and other cased scripts).

The function is idempotent: ``normalize(normalize(x)) == normalize(x)``
(enforced by re-running NFKC when removing marks made a new composition
possible). Whitespace and punctuation are left alone.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from pyarabic import araby

__all__ = ["normalize", "normalize_token", "DIACRITICS", "clear_caches"]


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


# Marks removed by normalize(). pyarabic's DIACRITICS covers harakat, shadda,
# sukun, tanwin, superscript alef, hamza/madda combining marks and most
# Quranic signs; the rest are added here.
DIACRITICS: str = "".join(
    sorted(
        set(araby.DIACRITICS)
        | set(araby.TASHKEEL)
        | set(araby.TATWEEL)
        | set(
            _chars(
                (0x0610, 0x061A),  # honorific signs, small fatha/damma/kasra
                (0x064B, 0x065F),  # harakat, tanwin, shadda, sukun, hamza marks
                (0x0670, 0x0670),  # superscript (dagger) alef
                (0x0674, 0x0674),  # high hamza (left over by NFKC of ٵ ٶ ٷ ٸ)
                (0x06D6, 0x06DC),  # Quranic small high ligatures
                (0x06DD, 0x06DE),  # end of ayah, rub el hizb
                (0x06DF, 0x06E8),  # Quranic marks incl. small waw/yeh
                (0x06EA, 0x06ED),  # Quranic marks
                (0x08D3, 0x08FF),  # extended Arabic marks
            )
        )
    )
)

# Invisible characters that can sit inside a word.
FORMAT_CHARS: str = _chars(
    (0x00AD, 0x00AD),  # soft hyphen
    (0x061C, 0x061C),  # Arabic letter mark
    (0x200B, 0x200F),  # zero-width space/non-joiner/joiner, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings/overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # bidi isolates
    (0xFEFF, 0xFEFF),  # BOM / zero-width no-break space
)

_FOLD: dict[str, str] = {}
for _src, _dst in (
    # alef forms (pyarabic constants where they exist)
    (araby.ALEF_HAMZA_ABOVE + araby.ALEF_HAMZA_BELOW + araby.ALEF_MADDA + araby.ALEF_WASLA
     + "\u0672\u0673\u0675", araby.ALEF),
    # alef maqsura and Persian/Urdu yeh forms
    (araby.ALEF_MAKSURA + "\u06CC\u06D0\u06D2\u06D3", araby.YEH),
    # teh marbuta and heh forms
    (araby.TEH_MARBUTA + "\u06BE\u06C1\u06C0\u06C3\u06D5", araby.HEH),
    # hamza on carriers -> bare hamza (see module docstring)
    (araby.WAW_HAMZA + araby.YEH_HAMZA, araby.HAMZA),
    # Persian/Urdu/foreign-sound letters
    ("\u06A9\u06AA", araby.KAF),
    ("\u067E", araby.BEH),
    ("\u06A4\u06A5", araby.FEH),
    ("\u0686", araby.JEEM),
    ("\u06A8", araby.QAF),
    ("\u0698", araby.ZAIN),
    # digits and separators
    ("".join(araby.NUMBERS_EAST), "0123456789"),
    ("".join(araby.NUMBERS_PERS), "0123456789"),
    ("\u066B\u066C", ".,"),
):
    if len(_dst) == 1:
        for _c in _src:
            _FOLD[_c] = _dst
    else:
        for _c, _d in zip(_src, _dst, strict=False):
            _FOLD[_c] = _d

FOLD_TABLE: dict[int, str | None] = {ord(c): None for c in DIACRITICS + FORMAT_CHARS}
FOLD_TABLE.update({ord(c): d for c, d in _FOLD.items()})

_nfkc = unicodedata.normalize
_is_nfkc = unicodedata.is_normalized


def normalize(text: str) -> str:
    """Return the normalized form of ``text`` (see the module docstring)."""
    if not text:
        return ""
    out = _nfkc("NFKC", text).translate(FOLD_TABLE).lower()
    # Removing a mark can make two characters adjacent that NFKC composes
    # (or lower() can produce a decomposed sequence); loop to a fixed point
    # so that normalize() is idempotent.
    for _ in range(4):
        if _is_nfkc("NFKC", out):
            break
        out = _nfkc("NFKC", out).translate(FOLD_TABLE).lower()
    return out


@lru_cache(maxsize=2**16)
def normalize_token(surface: str) -> tuple[str, ...]:
    """Normalize one surface token; cached.

    Returns a tuple of normalized words: usually one, none when the token
    only had marks, several when NFKC expanded a ligature into words
    (e.g. «ﷺ» → «صلي الله عليه وسلم»).
    """
    norm = normalize(surface)
    if not norm:
        return ()
    parts = norm.split()
    if len(parts) == 1 and parts[0] == norm:
        return (norm,)
    return tuple(parts)


def clear_caches() -> None:
    normalize_token.cache_clear()
