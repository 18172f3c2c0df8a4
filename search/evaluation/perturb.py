"""Rewriting a word the way other writers and users write it.

Each function takes a surface word (as written in a headline), a seeded
``random.Random`` and, where the choice depends on usage, a ``Usage`` (raw
and canonical word counts of the corpus), and returns the rewritten word or
None when the rewrite does not apply (the word must change).

Kinds (``KINDS``):

- ``clitic``       attach «و ف ب ل» (with «ال» + «ل» → «لل»); «ب/ل» on a word
                   without «ال» only when the corpus has that form;
- ``al_toggle``    drop «ال», or add it when the corpus has the «ال» form;
- ``hamza``        «أ إ آ» → «ا» (the common omission), or the reverse for a
                   bare initial «ا» whose hamzated form the corpus uses; «ؤ/ئ»
                   swapped when the corpus has the other carrier;
- ``ta_marbuta``   final «ة» → «ه» (or «ه» → «ة» where «ة» is the usual form);
- ``alef_maqsura`` final «ى» → «ي», or final «ي» → «ى» (Egyptian style);
- ``tashkeel``     1–3 harakat / shadda / tanwin added;
- ``tatweel``      a run of 1–3 «ـ» inside the word between joining letters;
- ``mixed``        two or three of the above on the query's words.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .text import canon

__all__ = ["KINDS", "SIMPLE_KINDS", "CONTROL_KIND", "Usage", "PERTURBATIONS", "perturb_word", "remove_marks"]

KINDS = (
    "plain", "clitic", "al_toggle", "hamza", "ta_marbuta", "alef_maqsura", "tashkeel", "tatweel", "mixed",
)
SIMPLE_KINDS = KINDS[1:-1]
CONTROL_KIND = KINDS[0]  # "plain": the unperturbed control queries

FATHA, DAMMA, KASRA, SUKUN, SHADDA = "\u064e", "\u064f", "\u0650", "\u0652", "\u0651"
FATHATAN, DAMMATAN, KASRATAN = "\u064b", "\u064c", "\u064d"
TATWEEL = "\u0640"
HAMZA_ALEFS = "أإآ"
# Letters that do not join the following letter (tatweel cannot follow them).
NON_JOINING = set("اأإآٱدذرزوؤةىء")
LONG_OR_WEAK = set("اأإآٱوؤيئىةء")
_MARKS = set(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", TATWEEL}


@dataclass
class Usage:
    """Word counts of the corpus: ``raw`` (surface forms without marks) and
    ``canonical`` (``text.canon`` forms, i.e. document frequency)."""

    raw: dict = field(default_factory=dict)
    canonical: dict = field(default_factory=dict)

    def raw_count(self, word):
        return self.raw.get(word, 0)

    def df(self, word):
        return self.canonical.get(canon(word), 0)


def remove_marks(word: str, keep_tatweel: bool = False) -> str:
    if keep_tatweel:
        return "".join(c for c in word if c not in _MARKS or c == TATWEEL)
    return "".join(c for c in word if c not in _MARKS)


def _clitic(word, rng, usage):
    w = remove_marks(word)
    if len(w) < 3 or w[0] in "وف" and usage.df(w[1:]) > usage.df(w):
        return None
    if w.startswith("ال") and len(w) >= 5:
        options = ["و" + w, "ب" + w, "ل" + w[1:], "ف" + w, "وب" + w, "ول" + w[1:]]
    else:
        options = ["و" + w, "ف" + w]
        for p in ("ب", "ل", "وب", "ول"):
            if usage.df(p + w) >= 2:
                options.append(p + w)
    return rng.choice(options)


def _al_toggle(word, rng, usage):
    w = remove_marks(word)
    if w.startswith("ال") and len(w) >= 5:
        return w[2:]
    if w.startswith("لل") or w[:1] in ("و", "ف", "ب") and w[1:3] == "ال":
        return None
    if len(w) >= 3 and usage.df("ال" + w) >= 3:
        return "ال" + w
    return None


def _hamza(word, rng, usage):
    w = remove_marks(word)
    if any(c in HAMZA_ALEFS for c in w):
        return "".join("ا" if c in HAMZA_ALEFS else c for c in w)
    options = []
    if w.startswith("ا") and len(w) >= 3:
        for h in "أإ":
            if usage.raw_count(h + w[1:]) >= 3 and usage.raw_count(h + w[1:]) >= usage.raw_count(w):
                options.append(h + w[1:])
    if "ؤ" in w and usage.raw_count(w.replace("ؤ", "ئ")) >= 2:
        options.append(w.replace("ؤ", "ئ"))
    if "ئ" in w and usage.raw_count(w.replace("ئ", "ؤ")) >= 2:
        options.append(w.replace("ئ", "ؤ"))
    return rng.choice(options) if options else None


def _ta_marbuta(word, rng, usage):
    w = remove_marks(word)
    if w.endswith("ة") and len(w) >= 3:
        return w[:-1] + "ه"
    if w.endswith("ه") and len(w) >= 4:
        alt = w[:-1] + "ة"
        if usage.raw_count(alt) >= 3 and usage.raw_count(alt) >= 5 * max(1, usage.raw_count(w)):
            return alt
    return None


def _alef_maqsura(word, rng, usage):
    w = remove_marks(word)
    if w.endswith("ى") and len(w) >= 2:
        return w[:-1] + "ي"
    if w.endswith("ي") and len(w) >= 4:
        return w[:-1] + "ى"
    return None


def _tashkeel(word, rng, usage):
    w = remove_marks(word, keep_tatweel=True)
    slots = [i for i, c in enumerate(w) if c not in LONG_OR_WEAK and c != TATWEEL and i < len(w) - 1]
    if w.startswith("ال"):
        slots = [i for i in slots if i >= 2]
    if not slots:
        return None
    chosen = sorted(rng.sample(slots, min(len(slots), rng.randint(1, 3))))
    out = []
    for i, c in enumerate(w):
        out.append(c)
        if i in chosen:
            mark = rng.choice([FATHA, DAMMA, KASRA, SUKUN, SHADDA + FATHA, SHADDA + KASRA, SHADDA])
            out.append(mark)
    if rng.random() < 0.3 and w[-1] in "ةنمرلدبتك":
        out.append(rng.choice([DAMMATAN, KASRATAN]))
    result = "".join(out)
    return result if result != w else None


def _tatweel(word, rng, usage):
    w = remove_marks(word)
    slots = [i for i in range(len(w) - 1) if w[i] not in NON_JOINING and w[i + 1] != TATWEEL]
    if w.startswith("ال"):
        slots = [i for i in slots if i >= 1]
    if not slots:
        return None
    i = rng.choice(slots)
    return w[: i + 1] + TATWEEL * rng.randint(1, 3) + w[i + 1:]


PERTURBATIONS = {
    "clitic": _clitic,
    "al_toggle": _al_toggle,
    "hamza": _hamza,
    "ta_marbuta": _ta_marbuta,
    "alef_maqsura": _alef_maqsura,
    "tashkeel": _tashkeel,
    "tatweel": _tatweel,
}

# Order in which several rewrites are stacked on one word: letters first,
# then tatweel, then marks (marks go on the final letters).
STACK_ORDER = ("al_toggle", "clitic", "hamza", "ta_marbuta", "alef_maqsura", "tatweel", "tashkeel")


def perturb_word(word: str, kind: str, rng: random.Random, usage: Usage | None = None) -> str | None:
    """``word`` rewritten by ``kind`` or None when that does not apply."""
    usage = usage or Usage()
    out = PERTURBATIONS[kind](word, rng, usage)
    if out is None or out == word:
        return None
    return out
