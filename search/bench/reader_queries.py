"""The reader bench's query set: distinct queries sampled (seeded) from the
headlines of the configured database's articles.

Kinds (``QUERY_KINDS``): ``w1``..``w4`` (one to four headline words, in
headline order, AND), ``phrase`` (two or three consecutive headline words in
quotes), ``name`` (a country's Arabic name found in the headline, alone or
with the next headline word), the perturbation kinds of ``make eval``
(``search/evaluation/perturb.py``: one word of a one- or two-word query
rewritten; ``mixed`` rewrites every word), and ``filtered`` (a one- or
two-word query with the headline's own article's country, outlet or a date
range around its day). The API always counts the four facets, so every
query is also a faceted query.

A query is a dict ``{"kind", "q", "params"}`` (``params``: extra GET
parameters); ``write_queries``/``read_queries`` keep the set in a JSON file
for reuse.
"""
from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

from search.evaluation.perturb import KINDS as PERTURB_KINDS
from search.evaluation.perturb import Usage, perturb_word
from search.evaluation.text import canon

BASE_KINDS = ("w1", "w2", "w3", "w4", "phrase", "name")
PERTURBED_KINDS = tuple(k for k in PERTURB_KINDS if k != "plain")
QUERY_KINDS = BASE_KINDS + PERTURBED_KINDS + ("filtered",)
_WORD = re.compile(r"[\u0621-\u064A\u0640\u064B-\u0652]{3,}")
# Headline words too common to make a query on their own.
_SHORT = 3


def _headlines(limit):
    from archive.models import Article

    qs = (Article.objects.filter(is_hidden=False).order_by("pk")
          .select_related("source").prefetch_related("country_mentions"))
    rows = []
    for a in qs[:limit].iterator(chunk_size=2000):
        words = _WORD.findall(a.title or "")
        if words:
            rows.append({"words": words, "source": a.source.slug if a.source_id else None,
                         "countries": sorted({m.country_id for m in a.country_mentions.all()}),
                         "day": a.published.date() if hasattr(a.published, "date") else a.published})
    return rows


def _country_names():
    from archive.models import Country

    return {canon(c.name_ar): c.name_ar for c in Country.objects.all() if c.name_ar and " " not in c.name_ar}


def _usage(rows):
    raw, canonical = Counter(), Counter()
    for r in rows:
        for w in r["words"]:
            raw[w] += 1
        for w in {canon(w) for w in r["words"]}:
            canonical[w] += 1
    return Usage(raw=dict(raw), canonical=dict(canonical))


def _span(rng, words, n):
    if len(words) < n:
        return None
    i = rng.randrange(len(words) - n + 1)
    return words[i:i + n]


def _sample(kind, row, rng, usage, names):
    words = row["words"]
    if kind in ("w1", "w2", "w3", "w4"):
        n = int(kind[1])
        if n == 1:
            long = [w for w in words if len(w) > _SHORT]
            return (rng.choice(long), {}) if long else None
        picked = sorted(rng.sample(range(len(words)), n)) if len(words) >= n else None
        return (" ".join(words[i] for i in picked), {}) if picked else None
    if kind == "phrase":
        span = _span(rng, words, rng.choice((2, 3)))
        return ('"' + " ".join(span) + '"', {}) if span else None
    if kind == "name":
        hits = [i for i, w in enumerate(words) if canon(w) in names]
        if not hits:
            return None
        i = rng.choice(hits)
        q = words[i] if rng.random() < 0.5 or i + 1 >= len(words) else f"{words[i]} {words[i + 1]}"
        return q, {}
    if kind == "filtered":
        span = _span(rng, words, rng.choice((1, 2)))
        if not span:
            return None
        choices = []
        if row["countries"]:
            choices.append({"country": rng.choice(row["countries"])})
        if row["source"]:
            choices.append({"source": row["source"]})
        if row["day"]:
            d = row["day"]
            choices.append({"date_from": (d - timedelta(days=180)).isoformat(),
                            "date_to": (d + timedelta(days=180)).isoformat()})
        return (" ".join(span), rng.choice(choices)) if choices else None
    # a perturbation kind of make eval
    span = _span(rng, words, rng.choice((1, 2)))
    if not span:
        return None
    out = list(span)
    if kind == "mixed":
        simple = PERTURBED_KINDS[:-1]
        changed = 0
        for i, w in enumerate(span):
            new = perturb_word(w, rng.choice(simple), rng, usage)
            if new:
                out[i], changed = new, changed + 1
        return (" ".join(out), {}) if changed else None
    i = rng.randrange(len(span))
    new = perturb_word(span[i], kind, rng, usage)
    if not new:
        return None
    out[i] = new
    return " ".join(out), {}


def build_queries(count: int, seed: int = 16, max_articles: int = 200_000) -> list[dict]:
    """``count`` distinct queries (as even over ``QUERY_KINDS`` as the
    headlines allow), reproducible for a seed and a database."""
    rows = _headlines(max_articles)
    if not rows:
        return []
    rng = random.Random(seed)
    usage, names = _usage(rows), _country_names()
    per_kind = -(-count // len(QUERY_KINDS))
    seen, queries = set(), []
    for kind in QUERY_KINDS:
        got, attempts = 0, 0
        while got < per_kind and attempts < per_kind * 30:
            attempts += 1
            made = _sample(kind, rng.choice(rows), rng, usage, names)
            if not made:
                continue
            key = (made[0], tuple(sorted(made[1].items())))
            if key in seen:
                continue
            seen.add(key)
            queries.append({"kind": kind, "q": made[0], "params": made[1]})
            got += 1
    rng.shuffle(queries)
    return queries[:count] if len(queries) > count else queries


def write_queries(queries, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(queries, ensure_ascii=False, indent=0), encoding="utf-8")
    return path


def read_queries(path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
