"""Ground-truth text handling for the evaluation (independent of the engines).

The evaluator decides "which article contains which spelling" with its own
small canonical form, so that changes to the project's analyzer can never
move the goal posts:

- ``canon(text)``: NFKC, Arabic marks and tatweel removed, «أ إ آ ٱ» → «ا»,
  «ى» → «ي», «ة» → «ه», «ؤ ئ» → «ء», lower case;
- ``canon_tokens(text)``: the canonical words of a text (letters only);
- ``PROCLITIC_CHAINS``: the attached prefixes a written word may carry
  («و», «ب», «وال», «لل»...), used to say that «ولترامب» contains «ترامب».
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "canon", "canon_tokens", "canon_token_set", "PROCLITIC_CHAINS", "with_proclitics", "strip_al",
    "pair_doc_kind", "inflected_forms", "pair_forms",
]

_MARKS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640" + "".join(
    chr(c) for c in range(0x06D6, 0x06EE)
) + "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a\u200c\u200d\u200e\u200f\u00ad\ufeff"
_TABLE = {ord(c): None for c in _MARKS}
_TABLE.update({ord(c): "ا" for c in "أإآٱ"})
_TABLE.update({ord("ى"): "ي", ord("ة"): "ه", ord("ؤ"): "ء", ord("ئ"): "ء"})
_TABLE.update({ord(c): "ي" for c in "یې"})
_TABLE.update({ord(c): "ك" for c in "ک"})

_WORD_RE = re.compile(r"[^\W\d_]+")

# Attached particles in front of a word, canonical spelling. «لل» is «ل» + «ال».
_SINGLE = ("و", "ف", "ب", "ل", "ك")
PROCLITIC_CHAINS: tuple[str, ...] = tuple(
    sorted(
        {""}
        | set(_SINGLE)
        | {a + b for a in ("و", "ف") for b in ("ب", "ل", "ك")}
        | {"ال", "لل"}
        | {p + "ال" for p in ("و", "ف", "ب", "ك")}
        | {p + "لل" for p in ("و", "ف")}
        | {a + b + "ال" for a in ("و", "ف") for b in ("ب", "ك")},
        key=lambda s: (len(s), s),
    )
)


def canon(text: str) -> str:
    if not text:
        return ""
    return unicodedata.normalize("NFKC", text).translate(_TABLE).lower()


def canon_tokens(text: str) -> list[str]:
    return _WORD_RE.findall(canon(text))


def canon_token_set(text: str) -> frozenset:
    return frozenset(_WORD_RE.findall(canon(text)))


def strip_al(word: str) -> str:
    """``word`` without a leading «ال» (when at least 2 letters remain)."""
    return word[2:] if word.startswith("ال") and len(word) >= 4 else word


@lru_cache(maxsize=4096)
def with_proclitics(word: str) -> frozenset:
    """Every canonical written form of ``word`` with an attached particle.

    ``word`` is canonical; a leading «ال» is part of the chain («الجامعه» →
    «الجامعه», «والجامعه», «للجامعه», «جامعه», «وجامعه»...)."""
    base = strip_al(word)
    return frozenset(chain + base for chain in PROCLITIC_CHAINS)


# Endings a written word may carry (pronouns, plural, dual), used only to
# say that a document *does* use a word. Nisba endings («ي», «يه», «يين»...)
# are left out: they make another word («سور» → «سوري»).
_ENDINGS = ("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ات", "ان", "ين", "ون")


_PRONOUN_ENDINGS = ("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا")


@lru_cache(maxsize=1024)
def inflected_forms(word: str) -> frozenset:
    """``with_proclitics`` of ``word`` and of its inflected forms (canonical):
    «وزاره» → «وزارته», «الوزارات», «وزارتها»...; «وطني» → «الوطنيه»...
    For a word in «ه» (teh marbuta) the forms of the stem without it are
    included too («سوريه» → «السوريين»), so that a form shared by both words
    of a pair counts for neither. Two-letter words get pronoun endings only
    («حس» + «ان» would be the name «حسان»)."""
    base = strip_al(word)
    endings = _ENDINGS if len(base) > 2 else _PRONOUN_ENDINGS
    bases = {base + e for e in endings}
    if base.endswith("ه") and len(base) >= 3:
        stem = base[:-1]
        bases |= {stem + e for e in _ENDINGS if e}
        bases |= {stem + "ت" + e for e in _ENDINGS if e}  # teh marbuta before an ending
        bases |= {stem + "تان", stem + "تين"}
    return frozenset(chain + b for chain in PROCLITIC_CHAINS for b in bases)


def _pronoun_h_forms(word: str) -> frozenset:
    """Forms of ``word`` + «ه» without the article: «مكتبه» is «his office»
    or «library» once «ة» is folded to «ه», so it proves neither word."""
    base = strip_al(word) + "ه"
    return frozenset(c + base for c in PROCLITIC_CHAINS if "ال" not in c and not c.endswith("لل"))


@lru_cache(maxsize=256)
def pair_forms(a: str, b: str) -> tuple[frozenset, frozenset]:
    """Forms that show a document uses ``a`` / ``b`` (canonical words): the
    inflected forms of each, minus the plain forms of the other («عم» + «ان»
    is «عمان», a form of the other word), except, when one word is the other
    plus «ه», the article-less «X+ه» forms, ambiguous between a pronoun and
    teh marbuta («مكتبه»): those count for both (and so, in
    ``pair_doc_kind``, for neither)."""
    ba, bb = strip_al(a), strip_al(b)
    ambiguous = frozenset()
    if ba == bb + "ه":  # «مكتبه» / «مكتب»
        ambiguous = _pronoun_h_forms(b)
    elif bb == ba + "ه":
        ambiguous = _pronoun_h_forms(a)
    strict_a, strict_b = with_proclitics(a) - ambiguous, with_proclitics(b) - ambiguous
    return inflected_forms(a) - strict_b, inflected_forms(b) - strict_a


def pair_doc_kind(class_tokens, has_a: bool, has_b: bool, a_forms, b_forms) -> str | None:
    """Whether a document shows only one word of a must-not-merge pair.

    ``class_tokens``: the document's canonical words that Light10 stems to
    the pair's shared stem; ``has_a``/``has_b``: whether the document uses
    a / b at all (any of ``pair_forms``, whatever its stem);
    ``a_forms``/``b_forms``: those forms (``pair_forms``).

    Returns ``"a_only"`` when the class is represented by forms of a alone
    and no form of b occurs anywhere, ``"b_only"`` symmetrically, else None
    (a class word that is neither form, e.g. a plural, makes it None: the
    verdict stays conservative).
    """
    a_cls = b_cls = False
    for t in class_tokens:
        in_a, in_b = t in a_forms, t in b_forms
        if not in_a and not in_b:
            return None
        a_cls = a_cls or (in_a and not in_b)
        b_cls = b_cls or (in_b and not in_a)
    if b_cls and not a_cls and not has_a:
        return "b_only"
    if a_cls and not b_cls and not has_b:
        return "a_only"
    return None
