"""Building the committed development query set (``data/dev_queries.json``).

``build_query_set()`` reads the whole corpus once and writes, with a seeded
RNG (same corpus + same seed → same file):

* **known items** (320): for articles of the default evaluation subset
  (``subset.evaluation_subset`` at ``DEFAULT_SIZE``, ``SUBSET_SEED``: the
  subset ``make eval`` runs on) drawn round-robin over its (outlet,
  category) strata in a hash order, 2–3 words of the headline with corpus
  document frequency 3..2000 that occur together in 1–20 articles of that
  subset — preferably 2–20, so that ranking matters — (``matches``
  records how many); 80% are then rewritten by one kind of
  ``perturb.KINDS`` (``mixed`` stacks two or three kinds) and 20% are
  unperturbed controls (kind ``plain``, the words as the headline writes
  them), which are compared with plain BM25 on the same words;
* **name-spelling groups** (``curated.NAME_GROUPS``) with, per spelling,
  the number of articles containing it and a hash-ordered sample of their
  ids;
* **must-not-merge pairs** (``curated.MUST_NOT_MERGE``) with their Light10
  stem and samples of the articles where only one side occurs, and the
  **skeleton pairs** (``curated.SKELETON_PAIRS``: close transliteration
  skeletons, different words) with samples of the articles that have one
  word and no word containing the other;
* **Latin-script names** (``latin_names.LATIN_NAMES``) with the number of
  articles containing one of their Arabic spellings and a sample of them.

Every entry records its half (``"split"``: dev or test, ``split.split_of``).
Containment is decided on ``text.canon`` words with ``PROCLITIC_CHAINS``
(«ولترامب» contains «ترامب»), never with the engines' analyzers.

``discover_names`` / ``discover_pairs`` / ``contexts`` print the material the
curated lists were chosen from (see ``curated.py``).
"""
from __future__ import annotations

import json
import random
import re
from array import array
from collections import Counter, defaultdict
from itertools import combinations

from .corpus import CORPUS_FILES, hash_key, load_corpus
from .curated import MUST_NOT_MERGE, NAME_GROUPS, SKELETON_PAIRS
from .latin_names import LATIN_NAMES
from .light10 import light10_stem
from .nisba_groups import nisba_groups
from .perturb import (
    CONTROL_KIND,
    KINDS,
    PERTURBATIONS,
    SIMPLE_KINDS,
    STACK_ORDER,
    Usage,
)
from .split import group_key, known_item_key, latin_key, pair_key, split_of
from .subset import DEFAULT_SIZE, SUBSET_SEED, evaluation_subset
from .text import (
    canon,
    canon_tokens,
    pair_doc_kind,
    pair_forms,
    strip_al,
    with_proclitics,
)

__all__ = [
    "DEFAULT_SEED",
    "CorpusStats",
    "build_query_set",
    "write_query_set",
    "discover_names",
    "discover_pairs",
    "contexts",
]

DEFAULT_SEED = 20250601
PER_KIND = 32  # 8 perturbed kinds x 32 + 64 controls = 320 known-item queries (20% controls)
CONTROL_SHARE = 2  # controls: CONTROL_SHARE x PER_KIND
MATCHES_MIN, MATCHES_MAX = 1, 20  # articles of the subset holding all the query words
SAMPLE_IDS = 30
DF_MIN, DF_MAX = 3, 2000

SURFACE_WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])*")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
_RAW_WORD_RE = re.compile(r"[^\W\d_]+")
_MARKS_TABLE = {c: None for c in list(range(0x064B, 0x0660)) + [0x0670, 0x0640]}


def _stopwords() -> frozenset:
    from search.analysis.resources import DATA_DIR

    out = set()
    with open(DATA_DIR / "stopwords_ar.txt", encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                out.update(canon_tokens(line))
    return frozenset(out)


class CorpusStats:
    """Document frequencies and postings of canonical words and of their
    Light10 stems, plus raw surface-form counts, for the whole corpus."""

    def __init__(self, docs, log=None, keep_stems=()):
        self.docs = docs
        self.df = Counter()
        self.raw = Counter()
        self.postings = defaultdict(lambda: array("I"))
        self.stem_postings = defaultdict(lambda: array("I"))
        # doc index -> its words whose Light10 stem is in keep_stems
        self.stem_words = defaultdict(set)
        keep = frozenset(keep_stems)
        stem_of = {}
        marks = _MARKS_TABLE
        for i, d in enumerate(docs):
            raw_text = f"{d.title}\n{d.body}".translate(marks)
            self.raw.update(_RAW_WORD_RE.findall(raw_text))
            words = set(canon_tokens(raw_text))
            self.df.update(words)
            stems = set()
            for w in words:
                self.postings[w].append(i)
                s = stem_of.get(w)
                if s is None:
                    s = stem_of[w] = light10_stem(w)
                stems.add(s)
                if s in keep:
                    self.stem_words[i].add(w)
            for s in stems:
                self.stem_postings[s].append(i)
            if log and i and i % 10000 == 0:
                log(f"  read {i} articles")
        self.usage = Usage(raw=self.raw, canonical=self.df)

    def docs_with_all(self, words, stems=False) -> set:
        table = self.stem_postings if stems else self.postings
        keys = [light10_stem(w) for w in words] if stems else list(words)
        lists = sorted((table.get(k, ()) for k in keys), key=len)
        if not lists or not lists[0]:
            return set()
        result = set(lists[0])
        for other in lists[1:]:
            result &= set(other)
            if not result:
                break
        return result

    def docs_with_any(self, forms) -> set:
        out = set()
        for f in forms:
            out.update(self.postings.get(f, ()))
        return out


# --- known items ----------------------------------------------------------------------------

def _title_candidates(title, stats, stopwords):
    """[(surface, canonical)] of content words of a headline, in order, no repeats."""
    seen = set()
    out = []
    for surface in SURFACE_WORD_RE.findall(title):
        c = canon(surface)
        if c in seen or c in stopwords or len(c) < 3 or not _ARABIC_WORD.match(c):
            continue
        if not DF_MIN <= stats.df.get(c, 0) <= DF_MAX:
            continue
        seen.add(c)
        out.append((surface, c))
    return out


def _apply(kind, words, rng, usage):
    """Rewrite ``words`` (surface list) by ``kind``: (new words, rewrites) or None."""
    words = list(words)
    if kind == "plain":
        return words, []
    if kind != "mixed":
        order = list(range(len(words)))
        rng.shuffle(order)
        for i in order:
            new = PERTURBATIONS[kind](words[i], rng, usage)
            if new and new != words[i]:
                rewrites = [{"kind": kind, "from": words[i], "to": new}]
                words[i] = new
                return words, rewrites
        return None
    # mixed: two or three different kinds, on different words when possible.
    kinds = list(SIMPLE_KINDS)
    rng.shuffle(kinds)
    want = rng.choice((2, 2, 3))
    plan = []  # (word index, kind)
    used_words = set()
    for k in kinds:
        if len(plan) >= want:
            break
        candidates = [i for i in range(len(words)) if PERTURBATIONS[k](words[i], random.Random(0), usage)]
        if not candidates:
            continue
        free = [i for i in candidates if i not in used_words]
        i = rng.choice(free or candidates)
        plan.append((i, k))
        used_words.add(i)
    if len(plan) < 2:
        return None
    rewrites = []
    for i in sorted({i for i, _ in plan}):
        kinds_here = sorted((k for j, k in plan if j == i), key=STACK_ORDER.index)
        w = words[i]
        for k in kinds_here:
            new = PERTURBATIONS[k](w, rng, usage)
            if new and new != w:
                rewrites.append({"kind": k, "from": w, "to": new})
                w = new
        words[i] = w
    if len({r["kind"] for r in rewrites}) < 2:
        return None
    return words, rewrites


def _quota(kind, per_kind):
    return per_kind * CONTROL_SHARE if kind == CONTROL_KIND else per_kind


def _known_items(stats, seed, per_kind, subset, log=None):
    """``subset``: the indices (in ``stats.docs``) of the evaluation subset."""
    docs = stats.docs
    stopwords = _stopwords()
    strata = defaultdict(list)
    for i in sorted(subset):
        d = docs[i]
        strata[(d.source_id, d.category)].append(i)
    for members in strata.values():
        members.sort(key=lambda i: hash_key(seed, docs[i].id))
    keys = sorted(strata)
    cursors = {k: 0 for k in keys}
    counts = {k: 0 for k in KINDS}
    items = []
    used_targets = set()
    def full():
        return all(counts[k] >= _quota(k, per_kind) for k in KINDS)

    while not full():
        progressed = False
        for key in keys:
            if full():
                break
            members = strata[key]
            # advance within the stratum to the next usable article
            while cursors[key] < len(members):
                i = members[cursors[key]]
                cursors[key] += 1
                item = _make_item(i, stats, stopwords, seed, counts, per_kind, subset)
                if item is not None and docs[i].id not in used_targets:
                    used_targets.add(docs[i].id)
                    counts[item["kind"]] += 1
                    items.append(item)
                    progressed = True
                    break
        if not progressed:
            break
    order = {k: n for n, k in enumerate(KINDS)}
    items.sort(key=lambda it: (order[it["kind"]], it["target"]))
    for n, it in enumerate(items, 1):
        it["id"] = f"ki-{n:03d}"
    if log:
        log("  known items per kind: " + ", ".join(f"{k} {counts[k]}" for k in KINDS))
    out = [{"id": it.pop("id"), **it} for it in items]
    for it in out:
        it["split"] = split_of(known_item_key(it))
    return out


def _make_item(i, stats, stopwords, seed, counts, per_kind, subset):
    d = stats.docs[i]
    cands = _title_candidates(d.title, stats, stopwords)
    if len(cands) < 2:
        return None
    rng = random.Random(hash_key(seed, "ki:" + d.id))
    chosen = unique = None
    combos = [c for k in (2, 3) for c in combinations(range(len(cands)), k)]
    rng.shuffle(combos)
    for combo in combos[:40]:
        holders = stats.docs_with_all([cands[j][1] for j in combo]) & subset
        if i not in holders or not MATCHES_MIN <= len(holders) <= MATCHES_MAX:
            continue
        if len(holders) >= 2:  # competitors: ranking matters
            chosen = (combo, len(holders))
            break
        if unique is None:
            unique = (combo, 1)
    chosen = chosen or unique
    if chosen is None:
        return None
    chosen, matches = chosen
    surfaces = [cands[j][0] for j in chosen]
    # kinds this article can serve, least-filled first
    order = sorted((k for k in KINDS if counts[k] < _quota(k, per_kind)),
                   key=lambda k: (counts[k] / _quota(k, per_kind), KINDS.index(k)))
    for kind in order:
        result = _apply(kind, surfaces, random.Random(hash_key(seed, f"{kind}:{d.id}")), stats.usage)
        if result is None:
            continue
        words, rewrites = result
        return {
            "kind": kind,
            "query": " ".join(words),
            "original": " ".join(surfaces),
            "target": d.id,
            "rewrites": rewrites,
            "matches": matches,
        }
    return None


# --- name groups and must-not-merge pairs -----------------------------------------------------

def _sample(stats, doc_indices, seed, tag):
    ids = [stats.docs[i].id for i in doc_indices]
    ids.sort(key=lambda x: hash_key(seed, f"{tag}:{x}"))
    return ids[:SAMPLE_IDS]


def _spelling_groups(stats, seed):
    groups = []
    for label, spellings in NAME_GROUPS:
        entries = []
        for s in spellings:
            c = canon(s)
            docs = stats.docs_with_any(with_proclitics(c))
            entries.append({"text": s, "canonical": c, "doc_count": len(docs),
                            "doc_ids": _sample(stats, docs, seed, c)})
        group = {"name": label, "spellings": entries}
        group["split"] = split_of(group_key(group))
        groups.append(group)
    return groups


def pair_stems() -> set:
    return {light10_stem(canon(a)) for a, _b, _m in MUST_NOT_MERGE}


def _pairs(stats, seed):
    out = []
    for a, b, meaning in MUST_NOT_MERGE:
        ca, cb = canon(a), canon(b)
        stem = light10_stem(ca)
        if light10_stem(cb) != stem:
            raise ValueError(f"Light10 does not conflate {a} and {b}")
        a_forms, b_forms = pair_forms(ca, cb)
        has_a, has_b = stats.docs_with_any(a_forms), stats.docs_with_any(b_forms)
        a_only, b_only = [], []
        for i in stats.stem_postings.get(stem, ()):
            words = stats.stem_words.get(i)
            if words is None:
                d = stats.docs[i]
                words = {t for t in canon_tokens(f"{d.title}\n{d.body}") if light10_stem(t) == stem}
            words = [t for t in words if light10_stem(t) == stem]
            kind = pair_doc_kind(words, i in has_a, i in has_b, a_forms, b_forms)
            if kind == "a_only":
                a_only.append(i)
            elif kind == "b_only":
                b_only.append(i)
        out.append({
            "a": {"text": a, "canonical": ca},
            "b": {"text": b, "canonical": cb},
            "meaning": meaning,
            "light10_stem": stem,
            "a_only_count": len(a_only),
            "b_only_count": len(b_only),
            "a_only_ids": _sample(stats, a_only, seed, "a:" + ca),
            "b_only_ids": _sample(stats, b_only, seed, "b:" + cb),
        })
        out[-1]["split"] = split_of(pair_key(out[-1]))
    return out


def _containing(stats, base):
    """Corpus words that contain ``base`` (canonical) anywhere."""
    return [w for w in stats.df if base in w]


def _skeleton_pairs(stats, seed):
    out = []
    for a, b, meaning in SKELETON_PAIRS:
        ca, cb = canon(a), canon(b)
        has_a = stats.docs_with_any(with_proclitics(ca))
        has_b = stats.docs_with_any(with_proclitics(cb))
        near_a = stats.docs_with_any(_containing(stats, strip_al(ca)))
        near_b = stats.docs_with_any(_containing(stats, strip_al(cb)))
        a_only, b_only = sorted(has_a - near_b), sorted(has_b - near_a)
        entry = {
            "a": {"text": a, "canonical": ca},
            "b": {"text": b, "canonical": cb},
            "meaning": meaning,
            "a_only_count": len(a_only),
            "b_only_count": len(b_only),
            "a_only_ids": _sample(stats, a_only, seed, "a:" + ca),
            "b_only_ids": _sample(stats, b_only, seed, "b:" + cb),
        }
        entry["split"] = split_of(pair_key(entry))
        out.append(entry)
    return out


def _latin_names(stats, seed):
    out = []
    for latin, arabic in LATIN_NAMES:
        forms = set()
        for s in arabic:
            forms |= with_proclitics(canon(s))
        docs = stats.docs_with_any(forms)
        entry = {"latin": latin, "arabic": list(arabic), "doc_count": len(docs),
                 "doc_ids": _sample(stats, docs, seed, "latin:" + latin)}
        entry["split"] = split_of(latin_key(entry))
        out.append(entry)
    return out


# --- the whole set ------------------------------------------------------------------------------

def build_query_set(corpus_path=None, seed=DEFAULT_SEED, per_kind=PER_KIND, log=None, stats=None) -> dict:
    if stats is None:
        if log:
            log("reading the corpus ...")
        stats = CorpusStats(load_corpus(corpus_path), log=log, keep_stems=pair_stems())
    if log:
        log("name-spelling groups and must-not-merge pairs ...")
    data = {
        "version": 1,
        "description": (
            "Development query set of the Arabic search evaluation "
            "(python manage.py evaluate_search). Built by python manage.py build_eval_set "
            "from the corpus in ARCHIVE_CORPUS_DIR; see search/evaluation/build.py and curated.py."
        ),
        "seed": seed,
        "corpus": {"files": list(CORPUS_FILES), "documents": len(stats.docs)},
        "kinds": list(KINDS),
        "subset": {"size": DEFAULT_SIZE, "seed": SUBSET_SEED},
        "known_items": [],
        "spelling_groups": _spelling_groups(stats, seed),
        "must_not_merge": _pairs(stats, seed),
        "skeleton_pairs": _skeleton_pairs(stats, seed),
        "latin_names": _latin_names(stats, seed),
        "nisba_groups": nisba_groups(),
    }
    if log:
        log("choosing known items in the default evaluation subset ...")
    position = {d.id: n for n, d in enumerate(stats.docs)}
    subset = {position[d.id] for d in evaluation_subset(stats.docs, data, DEFAULT_SIZE, SUBSET_SEED)}
    data["known_items"] = _known_items(stats, seed, per_kind, subset, log=log)
    return data


def write_query_set(data: dict, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


# --- discovery helpers (what curated.py was chosen from) -----------------------------------------

_CLASS = {}
for _letters, _k in (("جغق", "G"), ("تط", "T"), ("سصث", "S"), ("دض", "D"), ("فو", "F"), ("زج", "Z")):
    for _c in _letters:
        _CLASS.setdefault(_c, set()).add(_k)


def _transliteration_edit(a, b) -> bool:
    """One or two same-class letter swaps, or one medial long vowel more."""
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
        return 0 < len(diff) <= 2 and all(_CLASS.get(x, set()) & _CLASS.get(y, set()) for x, y in diff)
    if abs(len(a) - len(b)) == 1:
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        return any(
            long_[:i] + long_[i + 1:] == short and long_[i] in "اوي" for i in range(1, len(long_) - 1)
        )
    return False


def discover_names(stats, min_df=5, limit=300):
    """Candidate spelling pairs: same ``variant_key`` and a transliteration
    edit, both words with df ≥ min_df, rarely written with «ال» (names)."""
    from search.analysis import variant_key

    df = stats.df
    words = [
        w for w, c in df.items()
        if c >= min_df and len(w) >= 4 and _ARABIC_WORD.match(w) and not w.startswith("ال")
        and df.get("ال" + w, 0) < 0.05 * c
        and not (w[0] in "وفبلك" and df.get(w[1:], 0) >= c / 3)
    ]
    groups = defaultdict(list)
    for w in words:
        groups[variant_key(w)].append(w)
    found = []
    for members in groups.values():
        for x, y in combinations(members, 2):
            if _transliteration_edit(x, y):
                found.append((min(df[x], df[y]), x, y))
    found.sort(reverse=True)
    return [(x, df[x], y, df[y]) for _n, x, y in found[:limit]]


def discover_pairs(stats, min_df=40, limit=300):
    """Light10 classes with at least two frequent members: [(stem, [(word, df)])]."""
    classes = defaultdict(list)
    for w, c in stats.df.items():
        if c >= min_df and _ARABIC_WORD.match(w):
            classes[light10_stem(w)].append((w, c))
    out = []
    for stem, members in classes.items():
        if len(members) >= 2:
            members.sort(key=lambda m: -m[1])
            out.append((members[1][1], stem, members[:8]))
    out.sort(key=lambda x: -x[0])
    return [(stem, members) for _n, stem, members in out[:limit]]


def contexts(stats, word, n=3, width=70, seed=DEFAULT_SEED):
    """Up to ``n`` snippets (id, text) of articles containing ``word`` (with
    any proclitic), hash-ordered."""
    c = canon(word)
    forms = with_proclitics(c)
    docs = sorted(stats.docs_with_any(forms), key=lambda i: hash_key(seed, stats.docs[i].id))[:n]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")(?!\w)")
    out = []
    for i in docs:
        d = stats.docs[i]
        text = canon(f"{d.title} \n {d.body}").replace("\n", " ")
        m = pattern.search(text)
        if m:
            out.append((d.id, text[max(0, m.start() - width): m.end() + width]))
    return out
