"""``manage.py benchmark_search``: our search vs haystack's stock Whoosh and
SQLite FTS5, on the same documents and the same query mix.

For each size N the first N visible articles of the database (by id) are
indexed three times in a temporary folder: our index (the project's
backend, written by its bulk writer ``backend.bulk_writer`` as ``rebuild``
does, with the documents of the per-object path: ``document(d)``;
``bulk=False`` uses that path), haystack's stock ``WhooshSearchBackend``
(its own schema and StemmingAnalyzer, queried with ``SearchQuerySet``) and
an SQLite FTS5 table of the space-joined analyzed terms (unicode61 tokenizer; facets with GROUP BY
over join tables; filters as WHERE). A size above the number of articles
repeats the articles with new ids (index-level only: the API path then
hydrates only the first copy). Engines:

- ``api``: ``GET /api/search/`` through the real view (RequestFactory), top
  10 with snippets and the four facets (result cache off: uncached figures);
- ``ours``: ``IndexView.execute`` at the Whoosh level (top 10, exact count);
- ``stock``: haystack's stock Whoosh backend, ``SearchQuerySet``;
- ``fts5``: SQLite FTS5 (top 10 by bm25, exact count).

Query kinds: word, and2, and3, phrase, name; each ``plain`` (top 10 +
count), ``facets`` (+ the four facets) and ``filters`` (+ country, outlet or
date range, with facets). Latencies are p50/p95/max in ms. Index building
prints its progress (``out``) every 10% of a size.
"""
from __future__ import annotations

import copy
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIX_PATH = Path(__file__).parent / "data" / "query_mix.json"
KINDS = ("word", "and2", "and3", "phrase", "name")
VARIANTS = ("plain", "facets", "filters")
ENGINES = ("api", "ours", "stock", "fts5")
NAN = float("nan")


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def dir_size(path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def load_mix(path=MIX_PATH) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# --- documents -----------------------------------------------------------------------

class Doc:
    __slots__ = ("pk", "title", "body", "source", "countries", "topics", "published", "mentioned")

    def __init__(self, pk, title, body, source, countries, topics, published, mentioned=()):
        self.pk, self.title, self.body, self.source = pk, title, body, source
        self.countries, self.topics, self.published = countries, topics, published
        self.mentioned = mentioned  # countries: about; mentioned: every country named


def load_docs(n: int) -> list[Doc]:
    from archive.models import Article

    qs = (Article.objects.filter(is_hidden=False).order_by("pk")
          .select_related("source").prefetch_related("topics", "country_mentions"))
    base = []
    ids = list(qs.values_list("pk", flat=True)[:n])
    for i in range(0, len(ids), 2000):
        for a in qs.filter(pk__in=ids[i:i + 2000]):
            base.append(Doc(a.pk, a.title, a.body, a.source.slug if a.source_id else None,
                            sorted({m.country_id for m in a.country_mentions.all() if m.is_about}),
                            sorted({t.slug for t in a.topics.all()}), a.published,
                            sorted({m.country_id for m in a.country_mentions.all()})))
    docs = list(base)
    offset = (max(ids) if ids else 0) + 1
    copy_no = 1
    while base and len(docs) < n:
        for d in base:
            if len(docs) >= n:
                break
            docs.append(Doc(d.pk + offset * copy_no, d.title, d.body, d.source, d.countries,
                            d.topics, d.published, d.mentioned))
        copy_no += 1
    return docs


class _Obj:
    """Just enough of an Article for ArticleIndex.full_prepare."""

    def __init__(self, d: Doc):
        from types import SimpleNamespace

        self.pk = self.id = d.pk
        self.title, self.body, self.published = d.title, d.body, d.published
        self.source_id = d.source
        # the bench's documents carry no people, outlet country or collections
        self.source = SimpleNamespace(slug=d.source, country_id=None, collections=SimpleNamespace(all=list))
        self.person_mentions = SimpleNamespace(all=list)
        self._countries = [SimpleNamespace(country_id=c, is_about=c in d.countries)
                           for c in sorted(set(d.mentioned) | set(d.countries))]
        self._topics = [SimpleNamespace(slug=t) for t in d.topics]
        self.country_mentions = SimpleNamespace(all=lambda: self._countries)
        self.topics = SimpleNamespace(all=lambda: self._topics)
        self.is_hidden = False
        self._meta = _meta()

    def _get_pk_val(self, meta=None):
        return self.pk


def _meta():
    from archive.models import Article

    return Article._meta


# --- building the three indexes ---------------------------------------------------------

def _progress(out, label, n):
    """A callable(done) printing ``label done/n`` every 10% (None: silent)."""
    if out is None or n < 1000:
        return None
    step = max(1000, n // 10)
    t0 = time.perf_counter()

    def report(done):
        if done % step == 0 or done == n:
            secs = time.perf_counter() - t0
            out(f"  indexing {label}: {done}/{n} ({done / secs if secs else 0:.0f} art/s)")
    return report


def document(d: Doc) -> dict:
    """The Whoosh document of a bench doc, as ``search.documents.article_documents``
    builds it from database rows (equal to ``backend.prepare_document`` of the
    article; tests/system/test_bench.py checks it), without haystack's per-field
    preparation."""
    from search.schema import day_fields, identifier

    text = f"{d.title}\n{d.body}"
    when, day, year, month = day_fields(d.published)
    doc = {"id": identifier(d.pk), "django_ct": "archive.article", "django_id": str(d.pk),
           "text": text, "text_exact": text, "title": d.title,
           "countries": ",".join(d.countries), "mentioned": ",".join(d.mentioned),
           "topics": ",".join(d.topics), "people": "", "collections": "", "day": day, "article_id": d.pk}
    if d.source is not None:
        doc["source"] = d.source
    if when is not None:
        doc.update(published=when, year=year, month=month)
    return doc


def build_ours(docs, path, procs=1, limitmb=256, bulk=True, out=None):
    """Our index over docs. ``bulk`` (default): the backend's bulk writer
    (the writer of ``rebuild``/``index_articles``, a segment every
    ``SEGMENT_DOCS`` documents) with ``document(d)``; ``bulk=False``: the
    per-object path, Whoosh's standard writer with
    ``backend.prepare_document`` (``procs``/``limitmb`` apply only to it).
    Returns seconds."""
    from search.engine.adapter import get_backend
    from search.engine.shared import reset_shared
    from search.indexing import SEGMENT_DOCS, search_index

    backend = get_backend()
    sidx = search_index()
    report = _progress(out, "ours", len(docs))
    t0 = time.perf_counter()
    if bulk:
        writer = backend.bulk_writer(segment_docs=SEGMENT_DOCS)
        make = document
    else:
        kwargs = {"limitmb": limitmb}
        if procs > 1:
            kwargs["procs"] = procs
        writer = backend.writer(**kwargs)

        def make(d):
            return backend.prepare_document(sidx, _Obj(d))
    try:
        for i, d in enumerate(docs, 1):
            writer.add_document(**make(d))
            if report:
                report(i)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    reset_shared()
    return time.perf_counter() - t0


def build_stock(docs, path, out=None):
    """haystack's stock WhooshSearchBackend with its stock schema (StemmingAnalyzer
    TEXT, facets as stock fields) over the same docs. Returns (backend, seconds)."""
    from haystack import indexes
    from haystack.backends.whoosh_backend import WhooshSearchBackend
    from whoosh.filedb.filestore import FileStorage
    from whoosh.qparser import QueryParser

    from search.schema import identifier

    fields = {
        "text": indexes.CharField(document=True),
        "title": indexes.CharField(),
        "source": indexes.CharField(faceted=False, null=True),
        "countries": indexes.MultiValueField(),
        "topics": indexes.MultiValueField(),
        "month": indexes.CharField(null=True),
        "published": indexes.DateField(null=True),
    }
    for name, f in fields.items():
        f.set_instance_name(name)
    os.makedirs(path, exist_ok=True)
    backend = WhooshSearchBackend("default", PATH=str(path), INCLUDE_SPELLING=False)
    backend.content_field_name, backend.schema = backend.build_schema(fields)
    backend.storage = FileStorage(str(path))
    backend.index = backend.storage.create_index(backend.schema)
    backend.parser = QueryParser(backend.content_field_name, schema=backend.schema)
    backend.setup_complete = True
    t0 = time.perf_counter()
    writer = backend.index.writer(limitmb=256)
    report = _progress(out, "stock", len(docs))
    for i, d in enumerate(docs, 1):
        doc = {"id": identifier(d.pk), "django_ct": "archive.article", "django_id": str(d.pk),
               "text": f"{d.title}\n{d.body}", "title": d.title,
               "countries": ",".join(d.countries), "topics": ",".join(d.topics)}
        if d.source:
            doc["source"] = d.source
        if d.published:
            doc["month"] = f"{d.published.year:04d}-{d.published.month:02d}"
            doc["published"] = backend._from_python(d.published)
        writer.add_document(**{k: v for k, v in doc.items() if k in backend.schema})
        if report:
            report(i)
    if report:
        out("  indexing stock: committing (Whoosh merges its pools)")
    writer.commit()
    return backend, time.perf_counter() - t0


def analyzed(text):
    from search.query import analyze_terms

    return analyze_terms(text)


def build_fts5(docs, path):
    from search.analysis import ArabicAnalyzer

    an = ArabicAnalyzer()
    db = sqlite3.connect(str(path))
    db.executescript("""
        CREATE TABLE docs(id INTEGER PRIMARY KEY, pk INT, day INT, source TEXT, month TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61');
        CREATE TABLE doc_country(doc INT, code TEXT);
        CREATE TABLE doc_topic(doc INT, slug TEXT);
    """)
    t0 = time.perf_counter()
    rows, frows, crows, trows = [], [], [], []
    for i, d in enumerate(docs, 1):
        day = d.published.year * 10000 + d.published.month * 100 + d.published.day if d.published else 0
        month = f"{d.published.year:04d}-{d.published.month:02d}" if d.published else None
        rows.append((i, d.pk, day, d.source, month))
        frows.append((i, " ".join(t.text for t in an(d.title)), " ".join(t.text for t in an(d.body))))
        crows.extend((i, c) for c in d.countries)
        trows.extend((i, t) for t in d.topics)
    db.executemany("INSERT INTO docs VALUES (?,?,?,?,?)", rows)
    db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", frows)
    db.executemany("INSERT INTO doc_country VALUES (?,?)", crows)
    db.executemany("INSERT INTO doc_topic VALUES (?,?)", trows)
    db.executescript("""
        CREATE INDEX dc ON doc_country(doc); CREATE INDEX dcc ON doc_country(code, doc);
        CREATE INDEX dt ON doc_topic(doc); CREATE INDEX ds ON docs(source); CREATE INDEX dd ON docs(day);
    """)
    db.commit()
    return db, time.perf_counter() - t0


# --- one query per engine ------------------------------------------------------------------

def q_api(rf, view_fn, q, filt, facets):
    params = {"q": q, "page_size": "10"}
    params.update(filt)
    resp = view_fn(rf.get("/api/search/", params))
    assert resp.status_code == 200, resp.content[:200]
    return json.loads(resp.content)["count"]


def ours_result(q, filt, facets):
    """``IndexView.execute`` for the query string ``q`` with the bench's
    filters (country, source, date range): the EngineResult (top 10)."""
    from datetime import date

    from search.engine.adapter import get_backend
    from search.query import parse_query
    from search.schema import FACET_FIELDS, day_number

    with get_backend().view() as view:
        parsed = parse_query(q, doc_frequency=view.exact_df, vocabulary=view.vocabulary)
        filters = {"countries": [filt["country"]] if "country" in filt else [],
                   "source": [filt["source"]] if "source" in filt else []}
        dr = None
        if "date_from" in filt:
            dr = (day_number(date.fromisoformat(filt["date_from"])), day_number(date.fromisoformat(filt["date_to"])))
        return view.execute(parsed.query, filters=filters, day_range=dr, limit=10,
                            facet_fields=FACET_FIELDS if facets else ())


def q_ours(q, filt, facets):
    return ours_result(q, filt, facets).total


def q_stock(backend, q, filt, facets):
    from datetime import date

    from search.schema import FACET_FIELDS

    # haystack's stock path: backend.search with a parsed query string, stock
    # narrow queries for filters and groupedby facets.
    narrow = set()
    if "country" in filt:
        narrow.add(f"countries:({filt['country']})")
    if "source" in filt:
        narrow.add(f"source:({filt['source']})")
    if "date_from" in filt:
        a = date.fromisoformat(filt["date_from"]).strftime("%Y%m%d000000")
        b = date.fromisoformat(filt["date_to"]).strftime("%Y%m%d235959")
        narrow.add(f"published:[{a} TO {b}]")
    r = backend.search(q, start_offset=0, end_offset=10, narrow_queries=narrow or None,
                       # the facets its stock schema has (the bench's documents carry no people/collections)
                       facets=[f for f in FACET_FIELDS if f in backend.schema] if facets else None)
    return r["hits"]


def fts_match(terms, phrase: bool) -> str:
    """The FTS5 MATCH expression of analysed ``terms``: one phrase, or every term (AND)."""
    return '"' + " ".join(terms) + '"' if phrase else " AND ".join(f'"{t}"' for t in terms)


def day_bounds(filt) -> tuple[int, int] | None:
    if "date_from" not in filt:
        return None
    return tuple(int(filt[key].replace("-", "")) for key in ("date_from", "date_to"))



def q_fts(db, q, filt, facets, phrase):
    terms = [t for t in analyzed(q.strip('"'))]
    if not terms:
        return 0
    where, args = ["fts MATCH ?"], [fts_match(terms, phrase)]
    join = "JOIN docs d ON d.id = fts.rowid"
    if "country" in filt:
        where.append("d.id IN (SELECT doc FROM doc_country WHERE code = ?)")
        args.append(filt["country"])
    if "source" in filt:
        where.append("d.source = ?")
        args.append(filt["source"])
    bounds = day_bounds(filt)
    if bounds:
        where.append("d.day BETWEEN ? AND ?")
        args += list(bounds)
    w = " AND ".join(where)
    db.execute(f"SELECT d.pk FROM fts {join} WHERE {w} ORDER BY bm25(fts, 2.0, 1.0) LIMIT 10", args).fetchall()
    total = db.execute(f"SELECT count(*) FROM fts {join} WHERE {w}", args).fetchone()[0]
    if facets:
        sub = f"SELECT d.id FROM fts {join} WHERE {w}"
        db.execute(f"SELECT code, count(*) FROM doc_country WHERE doc IN ({sub}) GROUP BY code", args).fetchall()
        db.execute(f"SELECT slug, count(*) FROM doc_topic WHERE doc IN ({sub}) GROUP BY slug", args).fetchall()
        db.execute(f"SELECT source, count(*) FROM docs WHERE id IN ({sub}) GROUP BY source", args).fetchall()
        db.execute(f"SELECT month, count(*) FROM docs WHERE id IN ({sub}) GROUP BY month", args).fetchall()
    return total


# --- memory and cold start in a fresh process --------------------------------------------------

_WEB_PROBE = r"""
import os, sys, time, resource, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from django.conf import settings
settings.SEARCH_INDEX_DRAINER_THREAD = False
from haystack import connections
info = connections.connections_info; info["default"]["PATH"] = sys.argv[1]
connections.reload("default")
from search.engine.adapter import get_backend
from search.service import parse_search_params, run_search
def status_mb(key):
    status = open("/proc/self/status").read()
    return int(status.split(key + ":")[1].split()[0]) / 1024 if key + ":" in status else float("nan")
rss0 = status_mb("VmRSS")
t0 = time.perf_counter()
with get_backend().view() as view:
    t1 = time.perf_counter()
    from search.query import parse_query
    parse_query(sys.argv[2], doc_frequency=view.exact_df, vocabulary=view.vocabulary)
    t2 = time.perf_counter()
from django.db import DatabaseError
def search(q):
    # The whole API search; without the articles' database (the test run's
    # database lives in the test process) the engine part with facets only.
    global hydrate
    params = parse_search_params({"q": q, "page_size": "10"})
    if hydrate:
        try:
            return run_search(params)
        except DatabaseError:
            hydrate = False
    from search.service import engine_result
    return engine_result(params, limit=10, facets=True)
hydrate = True
search(sys.argv[2])
t3 = time.perf_counter()
rss_cold = status_mb("VmRSS")
for q in json.loads(sys.argv[3]):
    search(q)
print(json.dumps({"rss_anon_mb": status_mb("RssAnon"), "rss_file_mb": status_mb("RssFile"),
                  "cold_ms": (t3 - t0) * 1000, "open_ms": (t1 - t0) * 1000, "parse_ms": (t2 - t1) * 1000,
                  "query_ms": (t3 - t2) * 1000, "hydrated": hydrate, "rss_mb": status_mb("VmRSS"), "rss_cold_mb": rss_cold, "rss_base_mb": rss0,
                  "hwm_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


PROBE_RUNS = 3


def web_probes(path, q, queries=(), runs=PROBE_RUNS):
    """``web_probe`` in ``runs`` new processes, one after the other: the run
    with the median cold start (one process is easily disturbed, e.g. by the
    write-back of the index just built)."""
    probes = [web_probe(path, q, queries) for _ in range(runs)]
    ok = [p for p in probes if not p.get("error")] or probes
    ok.sort(key=lambda p: p["cold_ms"])
    found = dict(ok[len(ok) // 2])
    found["cold_all_ms"] = [p["cold_ms"] for p in probes]
    return found


def web_probe(path, q, queries=()):
    """A fresh web process: open the index, one faceted query (cold start:
    open, first query parse = vocabulary, the query), then ``queries``;
    returns timings and resident memory (private: ``rss_anon_mb``; pages of
    mapped files, shared with other processes: ``rss_file_mb``)."""
    out = subprocess.run([sys.executable, "-c", _WEB_PROBE, str(path), q, json.dumps(list(queries))],
                         capture_output=True, text=True,
                         cwd=str(Path(__file__).resolve().parents[2]), env=dict(os.environ), timeout=1200)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except Exception:
        figures = ("cold_ms", "open_ms", "parse_ms", "query_ms", "rss_mb", "rss_anon_mb", "rss_file_mb",
                   "rss_cold_mb", "hwm_mb")
        return dict.fromkeys(figures, NAN) | {"error": out.stderr[-500:]}


def clear_result_caches():
    """Forget the per-searcher query results (masks and scores), so every
    timed query is evaluated again: the figures are uncached. Index data
    stays warm (term postings, field lengths, columns, filter masks), as the
    OS page cache would keep a Lucene index warm."""
    from search.engine.adapter import get_backend

    with get_backend().view() as view:
        view._scores.clear()


# --- the run --------------------------------------------------------------------------------

def _point_default_at(path):
    from django.conf import settings
    from haystack import connections

    from search.engine.shared import reset_shared

    info = copy.deepcopy(connections.connections_info)
    info["default"]["PATH"] = str(path)
    connections.connections_info = info
    settings.HAYSTACK_CONNECTIONS = info  # BaseEngine reads its options from settings
    reset_shared()
    connections.reload("default")
    from search.engine.adapter import get_backend

    assert get_backend().path == os.path.abspath(str(path)), "the bench must never write the real index"


def run(sizes, repeat=3, out=print, mix=None, engines=ENGINES, procs=1, limitmb=256, workdir=None,
        bulk=True):
    """Run the benchmark; returns rows (dicts) and prints the tables.
    ``bulk=False`` builds our index through the per-object writer."""
    from django.conf import settings
    from django.test import RequestFactory
    from haystack import connections

    from search import api
    from search.indexing import stop_drainer

    mix = mix or load_mix()
    stop_drainer()
    settings.SEARCH_INDEX_DRAINER_THREAD = False
    original = connections.connections_info
    original_settings = settings.HAYSTACK_CONNECTIONS
    rows, summary = [], []
    out(f"cores: {os.cpu_count()}  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=workdir))
    try:
        for n in sizes:
            docs = load_docs(n)
            if not docs:
                out("no articles in the database: import some first")
                return rows
            n = len(docs)
            ours_path, stock_path, fts_path = tmp / f"ours{n}", tmp / f"stock{n}", tmp / f"fts{n}.sqlite3"
            _point_default_at(ours_path)
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            out(f"size {n}: indexing (ours" + "".join(f", {e}" for e in ("stock", "fts5") if e in engines) + ")")
            secs = build_ours(docs, ours_path, procs=procs, limitmb=limitmb, bulk=bulk, out=out)
            out(f"  ours: {secs:.0f} s ({n / secs:.0f} art/s)")
            rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            info = {"size": n, "ours_idx_rate": n / secs, "ours_idx_mb": dir_size(ours_path) / 2**20,
                    "indexer_peak_mb": rss1, "indexer_peak_growth_mb": rss1 - rss0}
            stock = db = None
            if "stock" in engines:
                stock, s2 = build_stock(docs, stock_path, out=out)
                info.update(stock_idx_rate=n / s2, stock_idx_mb=dir_size(stock_path) / 2**20)
                out(f"  stock: {s2:.0f} s ({n / s2:.0f} art/s)")
            if "fts5" in engines:
                db, s3 = build_fts5(docs, fts_path)
                info.update(fts_idx_rate=n / s3, fts_idx_mb=os.path.getsize(fts_path) / 2**20)
                out(f"  fts5: {s3:.0f} s ({n / s3:.0f} art/s)")
            all_queries = [q for kind in KINDS for q in mix["queries"][kind]]
            probe = web_probes(ours_path, mix["queries"]["word"][0], all_queries)
            info.update(web_rss_mb=probe.get("rss_mb"), web_rss_cold_mb=probe.get("rss_cold_mb"),
                        web_rss_anon_mb=probe.get("rss_anon_mb"), web_rss_file_mb=probe.get("rss_file_mb"),
                        cold_all_ms=probe.get("cold_all_ms", ()),
                        cold_start_ms=probe.get("cold_ms"), cold_open_ms=probe.get("open_ms"),
                        cold_parse_ms=probe.get("parse_ms"), cold_query_ms=probe.get("query_ms"),
                        hydrated=probe.get("hydrated", True),
                        load=os.getloadavg())
            if probe.get("error"):
                out("  web probe failed: " + probe["error"])
            summary.append(info)
            out(f"size {n}: timing queries ({', '.join(engines)})")
            _point_default_at(ours_path)
            rf = RequestFactory()
            dflt = mix.get("filters", [])
            src = _top_source(docs)
            for kind in KINDS:
                for variant in VARIANTS:
                    times = {e: [] for e in engines}
                    for q in mix["queries"][kind]:
                        filt_list = [{}] if variant != "filters" else [
                            {k: (src if v == "@top" else v) for k, v in f.items()} for f in dflt]
                        for filt in filt_list:
                            facets = variant != "plain"
                            for e in engines:
                                for r in range(repeat + 1):
                                    if e in ("api", "ours"):
                                        clear_result_caches()
                                    t0 = time.perf_counter()
                                    if e == "api":
                                        q_api(rf, api.search_api, q, filt, facets)
                                    elif e == "ours":
                                        q_ours(q, filt, facets)
                                    elif e == "stock":
                                        q_stock(stock, q, filt, facets)
                                    else:
                                        q_fts(db, q, filt, facets, kind == "phrase")
                                    dt = (time.perf_counter() - t0) * 1000
                                    if r:  # the first run warms the caches of the new searcher
                                        times[e].append(dt)
                    for e in engines:
                        rows.append({"size": n, "engine": e, "kind": kind, "variant": variant,
                                     "p50": pct(times[e], 50), "p95": pct(times[e], 95),
                                     "max": max(times[e]) if times[e] else float("nan"), "n": len(times[e]),
                                     "samples": times[e]})
            if db is not None:
                db.close()
            shutil.rmtree(stock_path, ignore_errors=True)
            # each size's table as soon as it is measured (a long ladder shows its first sizes)
            print_tables([r for r in rows if r["size"] == n], [info], out)
    finally:
        connections.connections_info = original
        settings.HAYSTACK_CONNECTIONS = original_settings
        from search.engine.shared import reset_shared

        reset_shared()
        connections.reload("default")
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def _top_source(docs):
    from collections import Counter

    c = Counter(d.source for d in docs if d.source)
    return c.most_common(1)[0][0] if c else "none"


def print_tables(rows, summary, out=print):
    for info in summary:
        out("")
        out(f"== {info['size']} articles ==")
        out("  index: ours {ours_idx_rate:.0f} art/s {ours_idx_mb:.1f} MB (indexer peak RSS {indexer_peak_mb:.0f} MB)"
            .format(**info)
            + (" | stock {stock_idx_rate:.0f} art/s {stock_idx_mb:.1f} MB".format(**info) if "stock_idx_rate" in info else "")
            + (" | fts5 {fts_idx_rate:.0f} art/s {fts_idx_mb:.1f} MB".format(**info) if "fts_idx_rate" in info else ""))
        out(f"  web process: RSS {info['web_rss_cold_mb']:.0f} MB after open + one faceted query, "
            f"{info['web_rss_mb']:.0f} MB after the whole mix (private {info.get('web_rss_anon_mb', NAN):.0f} MB, "
            f"pages of mapped files {info.get('web_rss_file_mb', NAN):.0f} MB)")
        runs = " ".join(f"{ms:.0f}" for ms in info.get("cold_all_ms", ()))
        out(f"  cold start (open + first faceted query; median of new processes: {runs} ms) "
            f"{info['cold_start_ms']:.0f} ms = open "
            f"{info['cold_open_ms']:.0f} + first query parse (index vocabulary) {info['cold_parse_ms']:.0f} "
            f"+ search with facets and snippets {info['cold_query_ms']:.0f}"
            + ("" if info.get("hydrated", True) else " (engine only: no database in this process)"))
        out("  load average during this size: " + " ".join(f"{x:.2f}" for x in info.get("load", ())))
        out(f"  {'kind':7} {'variant':8} " + " ".join(f"{e + ' p50/p95/max':>22}" for e in ENGINES if any(r['engine'] == e for r in rows)) + "   ours/fts5  api/fts5 (p50)")
        by = {(r["kind"], r["variant"], r["engine"]): r for r in rows if r["size"] == info["size"]}
        for label, variants in (("no filters", ("plain", "facets")), ("with filters", ("filters",))):
            for e in ("api", "ours"):
                samples = [t for r in rows if r["size"] == info["size"] and r["engine"] == e
                           and r["variant"] in variants for t in r.get("samples", ())]
                if samples:
                    out(f"  {e} all kinds {label}: p50 {pct(samples, 50):.1f} ms, p95 {pct(samples, 95):.1f} ms, "
                        f"max {max(samples):.1f} ms ({len(samples)} runs)")
        for kind in KINDS:
            for variant in VARIANTS:
                cells = []
                for e in ENGINES:
                    r = by.get((kind, variant, e))
                    if r:
                        cells.append(f"{r['p50']:6.1f}/{r['p95']:6.1f}/{r['max']:6.1f}")
                fts = by.get((kind, variant, "fts5"))
                ratio = ""
                if fts and fts["p50"] > 0:
                    o, a = by.get((kind, variant, "ours")), by.get((kind, variant, "api"))
                    ratio = f"{o['p50'] / fts['p50']:9.1f}x" if o else ""
                    ratio += f" {a['p50'] / fts['p50']:8.1f}x" if a else ""
                out(f"  {kind:7} {variant:8} " + " ".join(f"{c:>22}" for c in cells) + "  " + ratio)
