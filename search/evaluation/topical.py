"""Topical needs: research questions judged 0/1/2 by reading, nDCG@10.

``data/topical_needs.json`` holds research questions over the evaluation
corpus: an Arabic query, one English sentence saying what the researcher
wants, and judgements of the articles pooled from the top 10 of ours,
light10 and plain BM25 (grade 2: what the researcher wants; 1: about it in
part or in passing; 0: not about it), each judged by reading its title and
lead. An article is named by its corpus id (stable across rebuilds; the
title is kept for the reader). Every question is in the dev or the test half
by ``split.topic_key``.

- ``load_topics(path)``: the questions, each with ``grades`` {id: grade};
- ``dcg(gains)``, ``ndcg_at(ranking, grades, k)``: graded nDCG with the
  exponential gain 2^g - 1 and the ideal order of every judged grade;
  an unjudged article counts 0;
- ``unjudged_at(ranking, grades, k)``: the share of the first ``k`` with no
  judgement (a new run with many needs judging before its nDCG means much);
- ``topics_in(topics, doc_ids)``: the questions a subset can answer;
- ``topic_details(engine, topics)`` / ``topic_summary(rows)``: what the
  runner stores per query and per split.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from .split import split_of, topic_key

__all__ = [
    "DEFAULT_TOPICS",
    "TOPICAL_DEPTH",
    "load_topics",
    "dcg",
    "ndcg_at",
    "unjudged_at",
    "topic_details",
    "topic_summary",
    "topics_in",
]

DEFAULT_TOPICS = Path(__file__).resolve().parent / "data" / "topical_needs.json"
TOPICAL_DEPTH = 10


def load_topics(path=None) -> list[dict]:
    """The questions of ``path`` (default ``data/topical_needs.json``), each
    with ``grades`` ({article id: grade}) and its ``split``; [] when absent."""
    path = Path(path or DEFAULT_TOPICS)
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    topics = []
    for t in data.get("topics", []):
        grades = {j["id"]: int(j["grade"]) for j in t.get("judgements", [])}
        topics.append({**t, "grades": grades, "split": t.get("split") or split_of(topic_key(t))})
    return topics


def dcg(gains) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranking, grades: dict, k: int = TOPICAL_DEPTH) -> float | None:
    """nDCG@k of ``ranking`` (article ids) against ``grades``; None when no
    article of the question is relevant (the question is not counted)."""
    ideal = dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:k])
    if ideal <= 0:
        return None
    return dcg(grades.get(doc, 0) for doc in ranking[:k]) / ideal


def unjudged_at(ranking, grades: dict, k: int = TOPICAL_DEPTH) -> float | None:
    top = ranking[:k]
    if not top:
        return None
    return sum(1 for doc in top if doc not in grades) / len(top)


def topic_details(engine, topics, k: int = TOPICAL_DEPTH) -> list[dict]:
    """Per question: nDCG@k, the unjudged share and the top ``k`` of ``engine``."""
    out = []
    for t in topics:
        ranking = engine.search(t["query"], k)
        grades = t["grades"]
        out.append({
            "id": t["id"], "query": t["query"], "ndcg_10": ndcg_at(ranking, grades, k),
            "unjudged_10": unjudged_at(ranking, grades, k),
            "unjudged": [doc for doc in ranking[:k] if doc not in grades], "top": ranking[:k],
            "split": t["split"],
        })
    return out


def topic_summary(rows) -> dict:
    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    return {
        "ndcg_10": mean(r["ndcg_10"] for r in rows),
        # an empty answer has no unjudged article but finds nothing either
        "topical_unjudged": mean(r["unjudged_10"] for r in rows),
        "topical_queries": sum(1 for r in rows if r["ndcg_10"] is not None),
    }


def topics_in(topics, doc_ids) -> list[dict]:
    """The questions whose judged articles are all in the subset ``doc_ids``
    (the pools were drawn from the default subset; a smaller one would
    judge a run against articles it cannot return)."""
    doc_ids = set(doc_ids)
    return [t for t in topics if t["grades"] and set(t["grades"]) <= doc_ids]
