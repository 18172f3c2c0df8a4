"""The bench's peers (search/bench/peers.py) over the same analysed tokens:
FTS5 and tantivy give the same totals, top and facets on a small corpus, and
FTS5's plan runs the MATCH first, then covering-index lookups per match (no
scan of a side table)."""
from datetime import datetime

import pytest

from search.bench import peers
from search.bench.runner import Doc

TITLES = ("انتخابات الرئاسة في مصر", "الاقتصاد السعودي ينمو", "روسيا والصين تبحثان التعاون")
BODIES = ("قالت الحكومة المصرية إن الانتخابات ستجري في موعدها", "ارتفع النمو الاقتصادي في السعودية",
          "التقى وزير الخارجية الروسي نظيره الصيني")


def _docs():
    return [Doc(i, TITLES[i % 3], BODIES[i % 3] + (" الحكومة" if i % 5 == 0 else ""), f"src{i % 4}",
                [["EG"], ["SA"], ["RU", "CN"]][i % 3], ["politics"] if i % 2 else ["economy"],
                datetime(2020, 1 + i % 12, 1 + i % 27)) for i in range(1, 121)]


QUERIES = [("الانتخابات", {}), ("الحكومة", {"country": "EG"}), ('"الحكومة المصرية"', {"source": "src1"}),
           ("الاقتصاد", {"date_from": "2020-01-01", "date_to": "2020-04-30"}), ("روسيا الصين", {}),
           ("كلمةغيرموجودة", {})]


def test_fts5_matches_first_and_agrees_with_tantivy(tmp_path):
    analysed = peers.analysed_docs(_docs())
    assert analysed[0][1] and analysed[0][2]  # stems, space-joined
    fts = peers.Fts5(analysed, tmp_path / "fts.sqlite3")
    try:
        results = {q: fts.query(q, f) for q, f in QUERIES}
        assert results["الانتخابات"][0] == 40 and results["كلمةغيرموجودة"][0] == 0
        assert results["الحكومة"][2]["countries"] == {"EG": results["الحكومة"][0]}
        assert sum(results["روسيا الصين"][2]["topics"].values()) == results["روسيا الصين"][0] == 40
        plan = fts.plan("الحكومة المصرية", {"country": "EG", "date_from": "2020-01-01", "date_to": "2020-12-31"})
        lines = [line.strip() for line in plan.splitlines()]
        assert lines.index("MATERIALIZE m") < lines.index("SCAN fts VIRTUAL TABLE INDEX 0:M2") < \
            lines.index("SEARCH d USING INTEGER PRIMARY KEY (rowid=?)")
        assert not any(line.startswith("SCAN c") or line.startswith("SCAN t") or line.startswith("SCAN d")
                       for line in lines), plan
        pytest.importorskip("tantivy")
        tv = peers.Tantivy(analysed)
        for q, f in QUERIES:
            total, top, facets = tv.query(q, f)
            assert total == results[q][0], q
            assert set(top) == set(results[q][1]) or total > 10, q
            assert {k: v for k, v in facets.items() if v} == {k: v for k, v in results[q][2].items() if v}, q
    finally:
        fts.close()


def test_time_engines_runs_every_query_twice():
    calls = []
    timings = peers.time_engines([{"kind": "w1", "q": "a", "params": {}}, {"kind": "w2", "q": "b c"}],
                                 {"x": lambda q, f: calls.append(q)})
    assert calls == ["a", "a", "b c", "b c"]
    assert len(timings["x"]["first"]) == len(timings["x"]["again"]) == 2
    table = peers.summarize([{"kind": "w1"}, {"kind": "w2"}], timings)
    assert set(table) == {"w1", "w2", "all"} and table["all"]["n"] == 2
