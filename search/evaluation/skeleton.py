"""A generous transliteration skeleton, to discover spellings of one name.

``skeleton(word)`` reduces a canonical word (``text.canon``) to what the
spellings of a foreign name share: «ال» dropped, an initial «ه» read as
«ا», one final «ا»/«ه» (ة) dropped, vowel letters (ا و ي ء) dropped, the
letters a foreign sound is written with merged (G: ج غ ق ك, T: ت ط,
S: س ص ث, Z: ز ذ ظ, D: د ض), doubled letters collapsed. «ترامب» and
«ترمب» share «TرمB»; so do hundreds of unrelated Arabic words, which is why
``discover_skeleton_pairs`` ranks candidates (the spellings of a name are
typically used by different outlets and rarely in the same article) and a
person reads keyword-in-context lines of every spelling before a group is
kept (``curated.py``). The skeleton is a discovery tool of the evaluation
only; the search has its own variant keys (``search.analysis``).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

__all__ = ["skeleton", "discover_skeleton_pairs"]

_CLASSES = {}
for _letters, _key in (("جغقك", "G"), ("تط", "T"), ("سصث", "S"), ("زذظ", "Z"), ("دض", "D")):
    for _c in _letters:
        _CLASSES[_c] = _key
_VOWELS = frozenset("اويء")
_PROCLITIC_LETTERS = "وفبلك"


def skeleton(word: str) -> str:
    if word.startswith("ال") and len(word) >= 5:
        word = word[2:]
    if word.startswith("ه"):
        word = "ا" + word[1:]
    if len(word) > 3 and word[-1] in "اه":
        word = word[:-1]
    out = []
    for c in word:
        if c in _VOWELS:
            continue
        c = _CLASSES.get(c, c)
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _base(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) >= 5 else word


def _js(p, q) -> float:
    """Jensen–Shannon divergence (bits) of two distributions."""
    out = 0.0
    for a, b in zip(p, q, strict=False):
        m = (a + b) / 2
        if a:
            out += a * math.log2(a / m) / 2
        if b:
            out += b * math.log2(b / m) / 2
    return out


def discover_skeleton_pairs(stats, min_df=5, limit=300, max_shared=0.25):
    """[(score, x, df x, y, df y)]: words with the same skeleton (``ال``
    forms folded in), ranked by how differently the outlets use them, times
    log of the rarer one's frequency, among pairs that share at most
    ``max_shared`` of the rarer one's articles. ``stats`` is a
    ``build.CorpusStats``."""
    docs = stats.docs
    outlets = sorted({d.source_id for d in docs})
    index = {o: n for n, o in enumerate(outlets)}
    size = Counter(d.source_id for d in docs)
    groups = defaultdict(set)
    for w, c in stats.df.items():
        if c < min_df or len(w) < 4 or not w.isalpha():
            continue
        if w[0] in _PROCLITIC_LETTERS and stats.df.get(w[1:], 0) >= c / 3:
            continue
        groups[skeleton(w)].add(_base(w))

    def docs_of(w):
        return set(stats.postings.get(w, ())) | set(stats.postings.get("ال" + w, ()))

    def spread(ids):
        counts = [0.0] * len(outlets)
        for i in ids:
            counts[index[docs[i].source_id]] += 1
        v = [c / size[o] for c, o in zip(counts, outlets, strict=False)]
        total = sum(v) or 1.0
        return [x / total for x in v]

    found = []
    for key, words in groups.items():
        if len(key) < 3 or len(words) < 2:
            continue
        words = sorted(words, key=lambda w: -stats.df.get(w, 0))[:60]
        sets = {w: docs_of(w) for w in words}
        for n, x in enumerate(words):
            for y in words[n + 1:]:
                rare = min(len(sets[x]), len(sets[y]))
                if rare < min_df:
                    continue
                shared = len(sets[x] & sets[y]) / rare
                if shared > max_shared:
                    continue
                score = _js(spread(sets[x]), spread(sets[y])) * math.log(1 + rare) * (1 - shared)
                found.append((score, x, len(sets[x]), y, len(sets[y])))
    found.sort(reverse=True)
    return found[:limit]
