"""The Elasticsearch/OpenSearch scale-out path (search.elastic).

Offline tests check what we send: the analysis settings (our normalization
as a char filter, checked by applying it in Python; synonyms from the curated
spellings; protected names), the mappings, the settings read from the
environment, the request built for search parameters, the response mapping
and the zero-downtime reindex sequence (with a client that records calls).

The live-cluster test is tests/system/test_elasticsearch_live.py.
"""
import json
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from search.analysis import STOPWORDS, analyze, normalize, protected_words
from search.elastic import aliases
from search.elastic import query as esq
from search.elastic import settings as ess

# the pinned 7.17 client announces its 8.x API (search.elastic.backend silences it outside pytest)
pytestmark = pytest.mark.filterwarnings("ignore:The 'body' parameter is deprecated:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIELDS = {
    "text": "arabic_text", "text_exact": "arabic_exact", "title": "arabic_text", "source": "facet_id",
    "countries": "facet_keyword", "topics": "facet_keyword", "published": "date", "day": "sortable_int",
    "article_id": "sortable_int", "year": "facet_id", "month": "facet_id",
}
WAGNER = ["فاغنر", "فاجنر", "واغنر"]


def body(**kwargs):
    kwargs.setdefault("protected", sorted(protected_words()))
    kwargs.setdefault("stopwords", sorted(STOPWORDS))
    return ess.index_body(FIELDS, **kwargs)


def char_filter_of(b):
    """The char filter as Elasticsearch reads it: the rule lines parsed back."""
    cf = b["settings"]["analysis"]["char_filter"]["archive_normalize"]
    assert cf["type"] == "mapping"
    return ess.parse_mapping_lines(cf["mappings"])


# --- the char filter is our normalization ------------------------------------------------

@pytest.mark.parametrize("word", [
    "أحمد", "إسلام", "آمال", "ٱلله", "مسؤول", "مسئول", "شؤون", "مستشفى", "المصرى", "مدرسة",
    "العـــربيـــة", "مُحَمَّدٌ", "يُكرِّم", "کتاب", "ی", "پاريس", "ڤيينا", "چين", "ڨفصة", "٢٠٢٣", "۱۲۳",
    "٣٫٥", "ﻻ", "ﷲ", "صلى الله عليه وسلم ﷺ", "و\u0654", "ي\u0654", "ا\u0653", "word\u200cword", "\ufeffبداية",
])
def test_char_filter_maps_our_normalization(word):
    rules = char_filter_of(body())
    assert ess.apply_mapping(rules, word).lower() == normalize(word)


def test_char_filter_agrees_on_every_arabic_code_point():
    rules = char_filter_of(body())
    for cp in list(range(0x0600, 0x0700)) + list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        ch = chr(cp)
        assert ess.apply_mapping(rules, ch).lower() == normalize(ch), hex(cp)


def _exact_terms(text):
    return [t.text for t in analyze(text, stem=False, stopwords=False)]


@pytest.mark.parametrize("text", [
    "و’ابلغ", "قال:الرئيس", "الاتحاد_الاوروبي", "العربية.نت", "2023م", "و6 آلاف", "٣٫٥ مليون", "1,000 دولار",
] + [p.read_text(encoding="utf-8") for p in SEEDS])
def test_char_filters_give_our_tokens(text):
    """After both char filters, words split exactly where ours split, with
    our normalized letters (the standard tokenizer keeps «و’ابلغ» or «و6»
    whole; the filters put a space there)."""
    rules = char_filter_of(body())
    filtered = ess.apply_char_filters(rules, text)
    assert _exact_terms(filtered) == _exact_terms(text)
    # no word-internal character the standard tokenizer would join on is left
    for ch in ess.WORD_BREAKS:
        assert ch not in filtered


def test_word_break_filter_splits_where_ours_does():
    rules = char_filter_of(body())
    f = lambda text: ess.apply_char_filters(rules, text)  # noqa: E731
    assert f("و6") == "و 6" and f("٢٠٢٣م") == "2023 م"
    assert f("العربية.نت") == "العربيه نت" and f("أ،ب") == "ا،ب"
    assert f("3.5") == "3.5" and f("1,000") == "1,000" and f("٣٫٥") == "3.5"
    assert f("و’ابلغ") == "و ابلغ" and f("الاتحاد_الاوروبي") == "الاتحاد الاوروبي"


def test_apply_mapping_takes_the_longest_match():
    assert ess.apply_mapping({"a": "1", "ab": "2"}, "abca") == "2c1"


# --- analyzers -------------------------------------------------------------------------------

def test_analyzers_chain_our_steps_with_the_builtin_arabic_filters():
    a = body(alias_groups=[WAGNER])["settings"]["analysis"]
    index, search, exact = (a["analyzer"][n] for n in (ess.ANALYZER, ess.SEARCH_ANALYZER, ess.EXACT_ANALYZER))
    for an in (index, search, exact):
        assert an["tokenizer"] == "standard"
        assert an["char_filter"] == ["archive_normalize", "archive_word_breaks"]
        assert an["filter"][:3] == ["lowercase", "decimal_digit", "arabic_normalization"]
    assert index["filter"][3:] == ["archive_stop", "archive_names", "archive_protected", "arabic_stemmer"]
    # synonyms at query time only, after the name overrides, before the stemmer
    assert search["filter"][3:] == ["archive_stop", "archive_names", "archive_aliases", "archive_protected",
                                    "arabic_stemmer"]
    assert "arabic_stemmer" not in exact["filter"] and "archive_stop" not in exact["filter"]
    f = a["filter"]
    assert f["arabic_stemmer"] == {"type": "stemmer", "language": "arabic"}
    assert f["archive_stop"]["type"] == "stop"
    assert set(f["archive_stop"]["stopwords"]) == set(STOPWORDS)
    assert f["archive_aliases"]["type"] == "synonym_graph" and f["archive_aliases"]["lenient"] is True
    assert f["archive_protected"]["type"] == "keyword_marker"
    assert set(WAGNER) <= set(f["archive_protected"]["keywords"])
    assert set(protected_words()) <= set(f["archive_protected"]["keywords"])


def test_no_synonym_filter_without_curated_spellings():
    a = body(alias_groups=[])["settings"]["analysis"]
    assert "archive_aliases" not in a["analyzer"][ess.SEARCH_ANALYZER]["filter"]


def test_synonym_rules_are_the_curated_groups():
    rules = ess.synonym_rules([WAGNER, ["ترامب", "ترمب"], ["وحيد"], ["اسم مركب", "اسم"]])
    assert rules == ["ترامب, ترمب", "فاجنر, فاغنر, واغنر"]


def test_name_overrides_map_proclitic_and_article_forms_to_the_name():
    rules = dict(r.split(" => ") for r in ess.name_overrides(["روسيا", "الكرملين", "مصر"]))
    assert rules["روسيا"] == "روسيا"
    for form in ("وروسيا", "لروسيا", "بروسيا", "وبروسيا", "كروسيا"):
        assert rules[form] == "روسيا"
    assert rules["للكرملين"] == "الكرملين"
    assert rules["والكرملين"] == "الكرملين"
    assert rules["لمصر"] == "مصر"
    assert "كمصر" not in rules  # «ك» chains only for names longer than four letters
    assert "فكرة" not in rules and "كرة" not in rules


@pytest.mark.django_db
def test_curated_spellings_and_gazetteer_reach_the_index_settings():
    from search.elastic.backend import analysis_inputs
    from search.models import NameVariant

    NameVariant.objects.create(canonical="فاغنر", spelling="فاجنر")
    NameVariant.objects.create(canonical="فاغنر", spelling="واغنر")
    inputs = analysis_inputs()
    a = ess.index_body(FIELDS, **inputs)["settings"]["analysis"]
    assert "فاجنر, فاغنر, واغنر" in a["filter"]["archive_aliases"]["synonyms"]
    assert "روسيا" in inputs["protected"]  # gazetteer names are protected
    assert "وروسيا => روسيا" in a["filter"]["archive_names"]["rules"]


# --- the chain in real Lucene (the library Elasticsearch 7 / OpenSearch analyze with) ---------

LUCENE_TEXTS = ["فاغنر", "فاجنر", "وروسيا لروسيا للكرملين والكرملين", "كوفيد-19 و6 العربية.نت و’ابلغ"]


@pytest.fixture(scope="module")
def lucene():
    from search.elastic import lucene_check

    if not lucene_check.available():
        pytest.skip("Lucene 8 jars or a JDK not found (apt-get install liblucene8-java): Lucene chain check skipped")
    b = body(alias_groups=[WAGNER])
    texts = LUCENE_TEXTS + [p.read_text(encoding="utf-8") for p in SEEDS]
    return dict(zip(texts, lucene_check.analyze(b, texts), strict=True))


def _flat(positions):
    return [p[0] for p in positions]


def test_lucene_exact_analyzer_gives_our_exact_terms(lucene):
    for text, out in lucene.items():
        assert _flat(out["exact"]) == _exact_terms(" ".join(text.split())), text[:40]


def test_lucene_index_analyzer_drops_our_stopwords_and_keeps_names(lucene):
    protected = protected_words()
    for path in SEEDS:
        raw = path.read_text(encoding="utf-8")
        text = " ".join(raw.split())
        ours = [t.text for t in analyze(text)]
        words = [t.text for t in analyze(text, stem=False)]  # the same positions, unstemmed
        es = _flat(lucene[raw]["index"])
        assert len(es) == len(ours) == len(words), path.name  # the same stopwords removed
        checked = 0
        for word, e in zip(words, es, strict=True):
            if word in protected:
                assert e == word  # a protected name is never cut by the Elasticsearch stemmer
                checked += 1
        assert checked


def test_lucene_synonyms_and_name_overrides(lucene):
    for spelling in ("فاغنر", "فاجنر"):
        assert [set(p) for p in lucene[spelling]["search"]] == [set(WAGNER)]
        assert lucene[spelling]["index"] == [[spelling]]  # no synonyms in the index
    names = lucene["وروسيا لروسيا للكرملين والكرملين"]["index"]
    assert names == [["روسيا"], ["روسيا"], ["الكرملين"], ["الكرملين"]]


# --- mappings and index settings ------------------------------------------------------------

def test_mappings_keyword_facets_integer_day_and_exact_subfield():
    m = body()["mappings"]
    props = m["properties"]
    for name in ("countries", "source", "topics", "month", "year", "django_ct", "django_id"):
        assert props[name] == {"type": "keyword"}, name
    assert props["day"] == {"type": "integer"} and props["article_id"] == {"type": "integer"}
    for name in ("text", "title"):
        assert props[name]["analyzer"] == ess.ANALYZER
        assert props[name]["search_analyzer"] == ess.SEARCH_ANALYZER
        assert props[name]["fields"]["exact"] == {"type": "text", "analyzer": ess.EXACT_ANALYZER}
    assert "text_exact" not in props
    assert props["published"] == {"type": "date"}
    assert "text" in m["_source"]["excludes"]


def test_index_settings_defaults_and_validation():
    s = body()["settings"]["index"]
    assert s == {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}
    s = body(shards=3, replicas=2, refresh_interval="30s")["settings"]["index"]
    assert s == {"number_of_shards": 3, "number_of_replicas": 2, "refresh_interval": "30s"}
    with pytest.raises(ValueError):
        ess.index_settings(shards=0)
    json.dumps(body())  # the whole body is plain JSON


def _settings_in_subprocess(env_extra, code):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICSEARCH_")}
    env.update(env_extra, DJANGO_SETTINGS_MODULE="config.settings", ARCHIVE_DATA_DIR=env.get(
        "ARCHIVE_DATA_DIR", str(ROOT / "var")))
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_environment_selects_the_engine_and_index_settings():
    code = (
        "from django.conf import settings as s\n"
        "from search.elastic.backend import index_options\n"
        "import json\n"
        "print(json.dumps([s.HAYSTACK_CONNECTIONS['default'], index_options()]))\n"
    )
    out = _settings_in_subprocess({
        "ELASTICSEARCH_URL": "http://127.0.0.1:9200", "ELASTICSEARCH_INDEX": "news",
        "ELASTICSEARCH_SHARDS": "3", "ELASTICSEARCH_REPLICAS": "1", "ELASTICSEARCH_REFRESH_INTERVAL": "30s",
    }, code)
    assert out.returncode == 0, out.stderr
    conn, options = json.loads(out.stdout.strip().splitlines()[-1])
    assert conn["ENGINE"] == "search.elastic.backend.ArabicElasticsearchEngine"
    assert conn["URL"] == "http://127.0.0.1:9200" and conn["INDEX_NAME"] == "news"
    assert options == {"shards": 3, "replicas": 1, "refresh_interval": "30s"}

    out = _settings_in_subprocess({}, code)
    assert out.returncode == 0, out.stderr
    conn, options = json.loads(out.stdout.strip().splitlines()[-1])
    assert conn["ENGINE"] == "search.engine.adapter.ArabicWhooshEngine"
    assert options == {"shards": 1, "replicas": 0, "refresh_interval": "1s"}

    out = _settings_in_subprocess({"ELASTICSEARCH_SHARDS": "many"}, code)
    assert out.returncode != 0 and "ELASTICSEARCH_SHARDS must be a whole number" in out.stderr


# --- the request built for search parameters ---------------------------------------------------

def _params(q="", **kw):
    from search.query import parse_query
    from search.service import SearchParams

    return SearchParams(q=q, parsed=parse_query(q) if q else None, **kw)


def _request(params, **kw):
    from search.elastic.engine import request_for

    kw.setdefault("variants_of", lambda form: [v for v in WAGNER if v != form] if form in WAGNER else [])
    return request_for(params, **kw)


def _clauses(node, kind):
    """Every clause of ``kind`` (match, match_phrase...) under ``node``."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == kind:
                found.append(value)
            found.extend(_clauses(value, kind))
    elif isinstance(node, list):
        for item in node:
            found.extend(_clauses(item, kind))
    return found


def test_word_query_boosts_exact_title_and_other_spellings():
    params = _params("فاغنر", sort="relevance")
    b, scored, facet_fields = _request(params)
    assert scored and facet_fields == ()
    matches = _clauses(b["query"], "match")
    by = {(field, spec["query"]): spec.get("boost", 1.0) for m in matches for field, spec in m.items()}
    assert by[("text", "فاغنر")] == 1.0
    assert by[("title", "فاغنر")] == esq.TITLE_BOOST == 2.0
    assert by[("text.exact", "فاغنر")] == 1.0
    assert by[("text.exact", "فاجنر")] == by[("text.exact", "واغنر")] == 0.5
    assert params.parsed.expansions[0]["word"] == "فاغنر"
    assert set(params.parsed.expansions[0]["variants"]) == {"فاجنر", "واغنر"}
    assert params.parsed.expansions[0]["quoted"] == '"فاغنر"'
    assert b["sort"][0] == "_score" and b["track_total_hits"] is True
    assert b["_source"] == ["article_id"]


def test_quoted_word_has_no_other_spellings_and_no_synonyms():
    b, _s, _f = _request(_params('"فاغنر"'))
    matches = _clauses(b["query"], "match")
    queries = {spec["query"] for m in matches for spec in m.values()}
    assert queries == {"فاغنر"}
    stemmed = [spec for m in matches for field, spec in m.items() if field in ("text", "title")]
    assert stemmed and all(spec["analyzer"] == ess.ANALYZER for spec in stemmed)


def test_protected_name_gets_its_proclitic_forms_on_the_exact_field():
    b, _s, _f = _request(_params("موسكو"))
    exact = {spec["query"]: spec.get("boost", 1.0) for m in _clauses(b["query"], "match")
             for field, spec in m.items() if field == "text.exact"}
    assert exact["لموسكو"] == exact["وموسكو"] == 0.8


def test_boolean_structure_phrases_and_dropped_stopwords():
    b, _s, _f = _request(_params('روسيا OR أوكرانيا -بيلاروسيا "الرئيس الروسي" في'))
    q = b["query"]["bool"]["must"][0]["bool"]
    assert len(q["must"]) == 2 and len(q["must_not"]) == 1
    assert "بيلاروسيا" in json.dumps(q["must_not"], ensure_ascii=False)
    ors = [c for c in q["must"] if c.get("bool", {}).get("should")
           and any("روسيا" in json.dumps(x, ensure_ascii=False) for x in c["bool"]["should"])]
    assert ors and ors[0]["bool"]["minimum_should_match"] == 1
    phrases = _clauses(q, "match_phrase")
    assert {field for p in phrases for field in p} == {"text", "title", "text.exact"}
    assert "«في»" not in json.dumps(q, ensure_ascii=False) and '"في"' not in json.dumps(q, ensure_ascii=False)


def test_filters_facets_and_date_range():
    params = _params("فاغنر", countries=["RU", "UA"], sources=["bbc"], date_from=date(2023, 6, 1),
                     date_to=date(2023, 6, 30), sort="relevance")
    b, _s, facet_fields = _request(params, offset=40, limit=20, facets=True)
    assert facet_fields == ("countries", "source", "topics", "month", "people", "outlet_country", "collections")
    assert b["from"] == 40 and b["size"] == 20
    assert {"range": {"day": {"gte": 20230601, "lte": 20230630}}} in b["query"]["bool"]["filter"]
    # selected facet values filter the hits (post_filter), not the counts of their own facet
    post = b["post_filter"]["bool"]["filter"]
    assert {"terms": {"countries": ["RU", "UA"]}} in post and {"terms": {"source": ["bbc"]}} in post
    aggs = b["aggs"]
    assert set(aggs) == set(facet_fields)
    assert aggs["countries"]["filter"] == {"bool": {"filter": [{"terms": {"source": ["bbc"]}}]}}
    assert aggs["source"]["filter"] == {"bool": {"filter": [{"terms": {"countries": ["RU", "UA"]}}]}}
    assert len(aggs["topics"]["filter"]["bool"]["filter"]) == 2
    for f in facet_fields:
        assert aggs[f]["aggs"]["values"]["terms"]["field"] == f


def test_person_outlet_country_and_collection_filters():
    params = _params("", people=["vladimir-putin"], outlet_countries=["SA"], collections=["gulf-press"])
    b, _s, facet_fields = _request(params, facets=True)
    post = b["post_filter"]["bool"]["filter"]
    assert {"terms": {"people": ["vladimir-putin"]}} in post
    assert {"terms": {"outlet_country": ["SA"]}} in post and {"terms": {"collections": ["gulf-press"]}} in post
    assert b["aggs"]["people"]["aggs"]["values"]["terms"]["field"] == "people"
    assert len(b["aggs"]["people"]["filter"]["bool"]["filter"]) == 2  # the two other filters, not its own


def test_no_query_sorts_by_date_and_filters_without_facets():
    b, scored, _f = _request(_params("", topics=["war"], sort="oldest"))
    assert not scored
    assert b["query"] == {"bool": {"filter": [{"terms": {"topics": ["war"]}}]}}
    assert b["sort"] == [{"day": {"order": "asc", "missing": "_last"}}, {"article_id": {"order": "asc"}}]
    assert "aggs" not in b and "post_filter" not in b
    b, _s, _f = _request(_params("فاغنر", sort="newest"))
    assert b["sort"][0] == {"day": {"order": "desc", "missing": "_last"}} and b["track_scores"] is True


def test_response_becomes_the_engine_result():
    resp = {
        "hits": {"total": {"value": 7, "relation": "eq"}, "hits": [
            {"_id": "archive.article.5", "_score": 3.5, "_source": {"article_id": 5}, "sort": [3.5, 1, 5]},
            {"_id": "archive.article.2", "_score": 1.25, "_source": {"article_id": 2}, "sort": [1.25, 1, 2]},
        ]},
        "aggregations": {"countries": {"doc_count": 7, "values": {"buckets": [
            {"key": "RU", "doc_count": 4}, {"key": "UA", "doc_count": 2}]}}},
    }
    total, hits, facets = esq.parse_response(resp, facet_fields=("countries", "topics"))
    assert total == 7 and hits == [(5, 3.5), (2, 1.25)]
    assert facets == {"countries": {"RU": 4, "UA": 2}, "topics": {}}
    assert esq.parse_response(resp, scored=False)[1] == [(5, 0.0), (2, 0.0)]


class PagingConn:
    """Answers _search from a list of ids sorted by the body's sort (ids
    descending), honouring from/size/search_after; records the bodies."""

    def __init__(self, ids):
        self.ids = sorted(ids, reverse=True)
        self.bodies = []

    def search(self, index, body):
        self.bodies.append(body)
        ids = self.ids
        if "search_after" in body:
            ids = [i for i in ids if i < body["search_after"][-1]]
        start = body.get("from", 0)
        page = ids[start:start + body["size"]]
        return {"hits": {"total": {"value": len(self.ids)}, "hits": [
            {"_id": f"archive.article.{i}", "_score": None, "_source": {"article_id": i}, "sort": [i]}
            for i in page]}}


def test_pages_beyond_the_result_window_use_search_after(monkeypatch):
    from search.elastic import engine

    monkeypatch.setattr(engine, "SEARCH_AFTER_CHUNK", 3)
    monkeypatch.setattr(engine, "MAX_WINDOW", 5)
    conn = PagingConn(range(1, 11))
    b = esq.search_body(None, sort="newest", offset=2, size=10**9)
    result = engine.run(conn, "idx", b, scored=False)
    assert result.total == 10
    assert [pk for pk, _ in result.hits] == list(range(8, 0, -1))
    assert any("search_after" in x for x in conn.bodies)
    assert all(x["size"] <= 3 for x in conn.bodies)
    small = engine.run(PagingConn(range(1, 11)), "idx", esq.search_body(None, offset=1, size=2), scored=False)
    assert [pk for pk, _ in small.hits] == [9, 8]


# --- zero-downtime reindex -------------------------------------------------------------------

class NotFound(Exception):
    status_code = 404


class _Indices:
    def __init__(self, client):
        self.c = client

    def get_alias(self, name):
        self.c.calls.append(("get_alias", name))
        found = {i: {} for i, al in self.c.aliases.items() if name in al}
        if not found:
            raise NotFound(name)
        return found

    def exists(self, index):
        return index in self.c.docs or any(index in al for al in self.c.aliases.values())

    def create(self, index, body):
        self.c.calls.append(("create", index, body["settings"]["index"]))
        self.c.docs[index] = []
        self.c.aliases[index] = set()

    def delete(self, index, ignore=None):
        self.c.calls.append(("delete", index))
        self.c.docs.pop(index, None)
        self.c.aliases.pop(index, None)

    def put_settings(self, index, body):
        self.c.calls.append(("put_settings", index, body))

    def refresh(self, index):
        self.c.calls.append(("refresh", index))

    def update_aliases(self, body):
        self.c.calls.append(("update_aliases", body["actions"]))
        for action in body["actions"]:
            (kind, spec), = action.items()
            if kind == "add":
                self.c.aliases[spec["index"]].add(spec["alias"])
            elif kind == "remove":
                self.c.aliases[spec["index"]].discard(spec["alias"])
            elif kind == "remove_index":
                self.c.docs.pop(spec["index"])
                self.c.aliases.pop(spec["index"], None)


class Client:
    """A fake client that records calls (``indices`` API and ``count``)."""

    def __init__(self):
        self.calls = []
        self.docs = {}  # index -> [ids]
        self.aliases = {}  # index -> {alias}
        self.indices = _Indices(self)

    def count(self, index):
        names = [i for i, al in self.aliases.items() if index in al] or [index]
        return {"count": sum(len(self.docs[n]) for n in names)}


def fake_bulk(client, actions, index=None, **_kw):
    n = 0
    for a in actions:
        name = a.get("_index") or index
        name = ([i for i, al in client.aliases.items() if name in al] or [name])[0]
        docs = client.docs[name]
        if a["_id"] in docs:
            docs.remove(a["_id"])
        if a.get("_op_type", "index") == "index":
            docs.append(a["_id"])
        n += 1
    client.calls.append(("bulk", n))
    return n, []


def _docs(n):
    return [{"_id": f"archive.article.{i}", "_source": {"article_id": i}} for i in range(n)]


T1 = datetime(2026, 11, 23, 17, 0, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 11, 23, 18, 0, 0, tzinfo=timezone.utc)


def test_first_reindex_creates_a_timestamped_index_behind_the_alias():
    client = Client()
    b = body(shards=2, replicas=1, refresh_interval="5s")
    summary = aliases.reindex(client, "news", b, _docs(3), expected=3, bulk=fake_bulk, now=T1)
    new = "news_20261123_170000_000000"
    assert summary == {"index": new, "alias": "news", "count": 3, "previous": [], "deleted": []}
    kinds = [c[0] for c in client.calls]
    assert kinds == ["get_alias", "create", "bulk", "put_settings", "refresh", "update_aliases"]
    create = client.calls[1]
    assert create[2]["refresh_interval"] == "-1" and create[2]["number_of_replicas"] == 0
    assert create[2]["number_of_shards"] == 2
    assert client.calls[3][2] == {"index": {"refresh_interval": "5s", "number_of_replicas": 1}}
    assert client.calls[-1] == ("update_aliases", [{"add": {"index": new, "alias": "news"}}])
    assert client.aliases[new] == {"news"}


def test_reindex_flips_the_alias_in_one_call_then_deletes_the_old_index():
    client = Client()
    aliases.reindex(client, "news", body(), _docs(2), expected=2, bulk=fake_bulk, now=T1)
    client.calls.clear()
    old, new = "news_20261123_170000_000000", "news_20261123_180000_000000"
    summary = aliases.reindex(client, "news", body(), _docs(3), expected=3, bulk=fake_bulk, now=T2)
    flips = [c for c in client.calls if c[0] == "update_aliases"]
    assert flips == [("update_aliases", [{"remove": {"index": old, "alias": "news"}},
                                         {"add": {"index": new, "alias": "news"}}])]
    kinds = [c[0] for c in client.calls]
    assert kinds.index("update_aliases") < kinds.index("delete")  # never a moment without an index
    assert ("delete", old) in client.calls and old not in client.docs
    assert summary["deleted"] == [old] and client.aliases == {new: {"news"}}


def test_keep_old_leaves_the_previous_index_for_rollback():
    client = Client()
    aliases.reindex(client, "news", body(), _docs(2), bulk=fake_bulk, now=T1)
    aliases.reindex(client, "news", body(), _docs(2), bulk=fake_bulk, now=T2, keep_old=True)
    assert set(client.docs) == {"news_20261123_170000_000000", "news_20261123_180000_000000"}
    assert client.aliases["news_20261123_170000_000000"] == set()


def test_failed_load_or_wrong_count_leaves_the_alias_untouched():
    client = Client()
    aliases.reindex(client, "news", body(), _docs(2), bulk=fake_bulk, now=T1)
    before = {k: set(v) for k, v in client.aliases.items()}

    def broken_bulk(client, actions, **_kw):
        next(iter(actions))
        raise ConnectionError("cluster went away")

    with pytest.raises(ConnectionError):
        aliases.reindex(client, "news", body(), _docs(5), bulk=broken_bulk, now=T2)
    with pytest.raises(aliases.ReindexError):
        aliases.reindex(client, "news", body(), _docs(5), expected=6, bulk=fake_bulk, now=T2)
    assert client.aliases == before  # the half-built index was deleted, the alias never moved
    assert "news_20261123_180000_000000" not in client.docs


def test_a_concrete_index_named_like_the_alias_is_replaced_atomically():
    client = Client()
    client.docs["news"] = ["x"]
    client.aliases["news"] = set()
    aliases.reindex(client, "news", body(), _docs(1), bulk=fake_bulk, now=T1)
    flip = [c for c in client.calls if c[0] == "update_aliases"][0][1]
    assert flip == [{"remove_index": {"index": "news"}},
                    {"add": {"index": "news_20261123_170000_000000", "alias": "news"}}]
    assert "news" not in client.docs


def test_ensure_alias_creates_only_once():
    client = Client()
    first = aliases.ensure_alias(client, "news", body(), now=T1)
    assert first == "news_20261123_170000_000000" and client.aliases[first] == {"news"}
    assert aliases.ensure_alias(client, "news", body(), now=T2) is None


# --- the haystack backend ------------------------------------------------------------------------

@pytest.fixture
def es_backend(settings):
    """The Elasticsearch backend pointed at an address nothing listens on
    (no request is sent by these tests: the client connects lazily)."""
    from haystack import connections

    original = connections.connections_info
    info = {"default": {"ENGINE": "search.elastic.backend.ArabicElasticsearchEngine",
                        "URL": "http://127.0.0.1:9", "INDEX_NAME": "archive_test", "OPENSEARCH": True}}
    settings.HAYSTACK_CONNECTIONS = info
    connections.connections_info = info
    connections.reload("default")
    try:
        yield connections["default"].get_backend()
    finally:
        connections.connections_info = original
        connections.reload("default")


@pytest.mark.django_db
def test_backend_documents_and_bulk_writer(es_backend, make_article):
    from search import elastic
    from search.elastic.backend import BulkWriter
    from search.search_indexes import ArticleIndex

    assert elastic.enabled()
    assert es_backend.conn.transport._verified_elasticsearch is True  # OpenSearch: no product check
    dated = make_article(title="فاغنر في مالي", body="نص", published=date(2023, 6, 24), countries=("RU", "ML"))
    undated = make_article(title="بلا تاريخ", body="نص")
    doc = es_backend.document(ArticleIndex(), dated)
    assert doc["_id"] == f"archive.article.{dated.pk}" and doc["day"] == 20230624
    assert doc["article_id"] == dated.pk and "text_exact" not in doc
    assert es_backend.document(ArticleIndex(), undated)["day"] is None
    assert doc["countries"] == ["ML", "RU"]
    # the bulk path's Whoosh-shaped documents become the very same documents
    from search.documents import article_documents

    whoosh_docs = article_documents([dated.pk, undated.pk])
    for article in (dated, undated):
        assert es_backend.from_whoosh_document(whoosh_docs[article.pk]) == es_backend.document(ArticleIndex(), article)

    sent = []
    es_backend.bulk = sent.append
    writer = es_backend.writer(timeout=0)
    es_backend.write_objects(writer, ArticleIndex(), [dated])
    writer.delete_by_term("id", "archive.article.99")
    writer.cancel()
    writer.commit()
    assert sent == []
    es_backend.write_objects(writer, ArticleIndex(), [dated])
    writer.delete_by_term("id", "archive.article.99")
    writer.commit()
    (actions,) = sent
    assert [a["_op_type"] for a in actions] == ["index", "delete"]
    assert actions[0]["_id"] == f"archive.article.{dated.pk}" and actions[1]["_id"] == "archive.article.99"
    bulk = es_backend.bulk_writer(timeout=0, segment_docs=100)
    bulk.add_document(**whoosh_docs[dated.pk])
    assert bulk.added == 1
    bulk.commit()
    assert sent[-1] == [{"_op_type": "index", "_id": f"archive.article.{dated.pk}",
                         "_source": {k: v for k, v in doc.items() if k != "_id"}}]
    for rebuild in ({"mergetype": object()}, {"clear": True}):
        with pytest.raises(NotImplementedError):
            BulkWriter(es_backend).commit(**rebuild)


@pytest.mark.django_db
def test_service_runs_on_elasticsearch_when_enabled(es_backend, make_article):
    """search.service.run_search → the request body and back to SearchResult."""
    from search import service

    a = make_article(title="فاغنر في مالي", body="قوات فاغنر", published=date(2023, 6, 24))
    b = make_article(title="فاجنر", body="مجموعة فاجنر", published=date(2023, 6, 25))

    class Conn:
        bodies = []

        def search(self, index, body):
            self.bodies.append((index, body))
            return {"hits": {"total": {"value": 2}, "hits": [
                {"_id": f"archive.article.{pk}", "_score": s, "_source": {"article_id": pk}}
                for pk, s in ((b.pk, 2.0), (a.pk, 1.0))]},
                "aggregations": {f: {"values": {"buckets": []}} for f in ("countries", "source", "topics")}
                | {"month": {"values": {"buckets": [{"key": "2023-06", "doc_count": 2}]}}}}

    es_backend.conn = Conn()
    es_backend.setup_complete = True
    result = service.search({"q": "فاغنر", "page_size": "5"})
    index, sent = Conn.bodies[0]
    assert index == "archive_test" and sent["size"] == 5 and "aggs" in sent
    assert [h.id for h in result.hits] == [b.pk, a.pk] and result.count == 2
    assert [(f.value, f.count) for f in result.facets["month"]] == [("2023-06", 2)]


@pytest.mark.django_db
def test_unreachable_cluster_answers_503_not_a_stack_trace(es_backend, client):
    """Nothing listens on 127.0.0.1:9: the page and the API say the search is
    unavailable (search.middleware), in Arabic."""
    page = client.get("/search/", {"q": "فاغنر"})
    assert page.status_code == 503 and "غير متاح" in page.content.decode()
    api = client.get("/api/search/", {"q": "فاغنر"})
    assert api.status_code == 503 and "error" in api.json()


@pytest.mark.django_db
def test_es_reindex_command_loads_visible_articles_and_flips_the_alias(es_backend, make_article, monkeypatch):
    import elasticsearch.helpers
    from django.core.management import call_command
    from django.utils import timezone

    from archive.models import Article

    shown = [make_article(title=f"خبر {i}", body="نص", published=date(2023, 6, i + 1)) for i in range(3)]
    make_article(title="مخفي", body="نص", is_hidden=True)
    client = Client()
    es_backend.conn = client
    monkeypatch.setattr(elasticsearch.helpers, "bulk", fake_bulk)
    call_command("es_reindex", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    (first,) = [i for i, al in client.aliases.items() if "archive_test" in al]
    assert sorted(client.docs[first]) == sorted(f"archive.article.{a.pk}" for a in shown)
    client.calls.clear()
    call_command("es_reindex", "--if-needed", stdout=open(os.devnull, "w"))
    assert not [c for c in client.calls if c[0] == "create"]  # up to date: nothing rebuilt
    assert sorted(client.docs[first]) == sorted(f"archive.article.{a.pk}" for a in shown)  # queue drained
    # changes made while the new index loads reach it after the switch
    gone, hidden = shown[0], shown[1]

    def bulk_while_editing(client, actions, **kw):
        if kw.get("index") is None:  # the load of the new index, not a later catch-up
            Article.objects.filter(pk=gone.pk).delete()
            Article.objects.filter(pk=hidden.pk).update(is_hidden=True, updated=timezone.now())
            added.append(make_article(title="جديد", body="نص"))
        return fake_bulk(client, actions, **kw)

    added = []
    monkeypatch.setattr(elasticsearch.helpers, "bulk", bulk_while_editing)
    call_command("es_reindex", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    (second,) = [i for i, al in client.aliases.items() if "archive_test" in al]
    assert second != first and first not in client.docs
    assert sorted(client.docs[second]) == sorted(f"archive.article.{a.pk}" for a in (shown[2], added[0]))
    # `make run` (ensure_index) and rebuild_search_index go through es_reindex
    monkeypatch.setattr(elasticsearch.helpers, "bulk", fake_bulk)
    client.calls.clear()
    call_command("ensure_index", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    assert not [c for c in client.calls if c[0] == "create"]
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    (third,) = [i for i, al in client.aliases.items() if "archive_test" in al]
    assert third != second and second not in client.docs
    assert sorted(client.docs[third]) == sorted(f"archive.article.{a.pk}" for a in (shown[2], added[0]))


def test_es_reindex_refuses_without_elasticsearch():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="ELASTICSEARCH_URL is not set"):
        call_command("es_reindex")
