"""Reading the development corpus and drawing a deterministic subset.

The corpus (``settings.CORPUS_DIR``, never committed) is two gzipped JSON
Lines files; see its README. ``load_corpus`` keeps only the fields the
evaluation needs. ``select_subset`` draws ``size`` articles stratified by
(outlet, category) with a hash order, after putting in every required
article (the targets and support documents of the query set), so the same
arguments always give the same documents.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Doc", "CORPUS_FILES", "corpus_dir", "corpus_available", "load_corpus", "select_subset", "hash_key"]

CORPUS_FILES = ("articles.jsonl.gz", "saudinewsnet.jsonl.gz")


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str
    date: str
    source_id: str
    category: str

    @property
    def day(self) -> int:
        try:
            y, m, d = self.date.split("-")
            return int(y) * 10000 + int(m) * 100 + int(d)
        except (AttributeError, ValueError):
            return 0


def corpus_dir(path=None) -> Path:
    if path:
        return Path(path)
    from django.conf import settings

    return Path(settings.CORPUS_DIR)


def corpus_available(path=None) -> bool:
    d = corpus_dir(path)
    return all((d / name).is_file() for name in CORPUS_FILES)


def load_corpus(path=None, files=CORPUS_FILES) -> list[Doc]:
    """Every record of the corpus files as ``Doc`` (file order)."""
    d = corpus_dir(path)
    out = []
    for name in files:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(d / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                r = json.loads(line)
                out.append(
                    Doc(
                        id=r["id"],
                        title=r.get("title") or "",
                        body=r.get("body") or "",
                        date=r.get("date") or "",
                        source_id=r.get("source_id") or "",
                        category=r.get("category") or "-",
                    )
                )
    return out


def hash_key(seed, text: str) -> str:
    return hashlib.sha1(f"{seed}:{text}".encode("utf-8")).hexdigest()


def select_subset(docs, size: int, required_ids=(), seed=0) -> list[Doc]:
    """``size`` documents: all of ``required_ids`` (when in ``docs``), then a
    proportional, hash-ordered draw from each (source_id, category) stratum.
    Sorted by id. If the required documents alone exceed ``size``, they are
    all kept (the subset is then larger than asked)."""
    by_id = {d.id: d for d in docs}
    chosen = {i: by_id[i] for i in dict.fromkeys(required_ids) if i in by_id}
    remaining = max(0, size - len(chosen))
    if remaining:
        strata = defaultdict(list)
        for d in docs:
            if d.id not in chosen:
                strata[(d.source_id, d.category)].append(d)
        total = sum(len(v) for v in strata.values())
        remaining = min(remaining, total)
        # Largest-remainder allocation, deterministic tie-break on the key.
        quotas = {}
        fractions = []
        for key, members in strata.items():
            exact = remaining * len(members) / total
            quotas[key] = int(exact)
            fractions.append((exact - int(exact), key))
        left = remaining - sum(quotas.values())
        for _frac, key in sorted(fractions, key=lambda x: (-x[0], x[1]))[:left]:
            quotas[key] += 1
        for key, members in strata.items():
            if quotas[key]:
                members.sort(key=lambda d: hash_key(seed, d.id))
                for d in members[: quotas[key]]:
                    chosen[d.id] = d
    return sorted(chosen.values(), key=lambda d: d.id)
