"""Topical needs: nDCG@10, the unjudged share, and the committed judgements."""
import math

import pytest

from search.evaluation.split import split_of, topic_key
from search.evaluation.topical import (
    DEFAULT_TOPICS,
    dcg,
    load_topics,
    ndcg_at,
    topic_details,
    topic_summary,
    topics_in,
    unjudged_at,
)


def test_dcg_uses_exponential_gain_and_log_discount():
    assert dcg([]) == 0
    assert dcg([2]) == 3.0
    assert dcg([2, 1]) == pytest.approx(3.0 + 1.0 / math.log2(3))
    assert dcg([0, 2]) == pytest.approx(3.0 / math.log2(3))


def test_ndcg_is_one_for_the_ideal_order_and_counts_unjudged_as_zero():
    grades = {"a": 2, "b": 1, "c": 0, "d": 2}
    assert ndcg_at(["a", "d", "b"], grades) == pytest.approx(1.0)
    assert ndcg_at(["d", "a", "b", "c"], grades) == pytest.approx(1.0)
    worse = ndcg_at(["b", "a", "d"], grades)
    assert 0 < worse < 1
    # the ideal is computed from every judged grade, not from the run
    assert ndcg_at(["a"], grades) == pytest.approx(3.0 / (3.0 + 3.0 / math.log2(3) + 1.0 / 2))
    # an unjudged article scores like a grade 0 one
    assert ndcg_at(["x", "a", "d", "b"], grades) == ndcg_at(["c", "a", "d", "b"], grades)
    assert ndcg_at([], grades) == 0.0
    # only the first k count
    assert ndcg_at(["c"] * 10 + ["a"], grades) == 0.0
    # nothing relevant: the question is not counted
    assert ndcg_at(["a"], {"a": 0}) is None


def test_unjudged_share():
    grades = {"a": 2, "b": 0}
    assert unjudged_at(["a", "b", "x", "y"], grades) == 0.5
    assert unjudged_at(["a", "b"], grades) == 0.0
    assert unjudged_at([], grades) is None
    assert unjudged_at(["x"] * 20, grades, k=10) == 1.0


class _Engine:
    def __init__(self, rankings):
        self.rankings = rankings

    def search(self, text, k=100):
        return self.rankings.get(text, [])[:k]


def test_details_and_summary():
    topics = [
        {"id": "t1", "query": "q1", "grades": {"a": 2, "b": 1}, "split": "dev"},
        {"id": "t2", "query": "q2", "grades": {"c": 2}, "split": "test"},
        {"id": "t3", "query": "q3", "grades": {"d": 0}, "split": "test"},
    ]
    rows = topic_details(_Engine({"q1": ["a", "b"], "q2": ["x", "c"], "q3": ["d"]}), topics)
    assert [r["ndcg_10"] for r in rows][0] == pytest.approx(1.0)
    assert rows[1]["unjudged"] == ["x"] and rows[1]["unjudged_10"] == 0.5
    assert rows[2]["ndcg_10"] is None
    summary = topic_summary(rows)
    assert summary["topical_queries"] == 2
    assert summary["ndcg_10"] == pytest.approx((1.0 + 1.0 / math.log2(3)) / 2)
    assert summary["topical_unjudged"] == pytest.approx(0.5 / 3)
    assert topics_in(topics, {"a", "b", "c"}) == topics[:2]


def test_committed_topics_are_well_formed():
    topics = load_topics(DEFAULT_TOPICS)
    assert len(topics) >= 40
    assert len({t["query"] for t in topics}) == len(topics)
    assert {t["split"] for t in topics} == {"dev", "test"}
    for t in topics:
        assert t["split"] == split_of(topic_key(t))
        assert t["need"] and t["query"]
        assert set(t["grades"].values()) <= {0, 1, 2}
        assert any(g > 0 for g in t["grades"].values()), t["query"]
