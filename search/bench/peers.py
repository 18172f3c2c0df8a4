"""Engine-level peers over the same analysed tokens: SQLite FTS5 planned as
an expert would, and tantivy (PyPI ``tantivy``, requirements-bench.txt).

``analysed_docs(docs)`` computes every article's stemmed title and body
tokens once (each surface word analysed once, with the bulk writer's cache
``search.engine.bulkwrite.analyze_surfaces``: the very terms our ``title``
and ``text`` fields index); both peers are built from that one list.

- ``Fts5``: one transaction of bulk inserts; a query is one statement whose
  full-text ``MATCH`` runs first in a ``MATERIALIZED`` CTE (never a join
  that probes the full-text index row by row), then the filters over the
  rowid and covering indexes (``doc_country(code, doc)``,
  ``doc_country(doc, code)``, ``doc_topic(doc, slug)``) and the top 10,
  count and four facets over the second materialized CTE (``PLAN_EXAMPLE``
  gives its query plan, shown in docs/speed.md);
- ``Tantivy``: an in-memory index with whitespace-tokenized title and body
  (title boosted 2 like FTS5's bm25 weights), the facet values as raw fast
  fields and the day as a fast integer; a query is ``search(limit=10,
  count=True)`` and one ``aggregate`` of four ``terms`` aggregations.

Each returns ``(total, top pks, facets)``. The peers search the query's
stems only (no clitic or spelling variants, no snippets), so they do less
than ours; a phrase is consecutive stems (ours allows the gap a dropped
stop word leaves).
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from search.bench.runner import day_bounds, fts_match, load_docs, ours_result, pct

FACETS = ("countries", "topics", "source", "month")


def _day(d) -> int:
    return d.year * 10000 + d.month * 100 + d.day if d else 0


def _month(d):
    return f"{d.year:04d}-{d.month:02d}" if d else None


def analysed_docs(docs) -> list[tuple]:
    """``(doc, title stems, body stems)`` of every doc, stems space-joined
    (each surface word analysed once for the whole list)."""
    from search.engine.bulkwrite import analyze_surfaces

    def stems(text):
        return " ".join(t.decode("utf-8") for entry in analyze_surfaces(text or "") for t in entry[1])

    return [(d, stems(d.title), stems(d.body)) for d in docs]


def query_terms(q: str) -> tuple[list[str], bool]:
    """The stems of a query and whether it is a phrase."""
    from search.query import analyze_terms

    phrase = q.strip().startswith('"')
    return [t for t in analyze_terms(q.replace('"', " ")) if '"' not in t], phrase


# --- SQLite FTS5 -------------------------------------------------------------------------------

_FTS5_SCHEMA = """
    CREATE TABLE docs(id INTEGER PRIMARY KEY, pk INT, day INT, source TEXT, month TEXT);
    CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61', detail='full');
    CREATE TABLE doc_country(doc INT, code TEXT);
    CREATE TABLE doc_topic(doc INT, slug TEXT);
"""
_FTS5_INDEXES = """
    CREATE INDEX dc_code ON doc_country(code, doc);
    CREATE INDEX dc_doc ON doc_country(doc, code);
    CREATE INDEX dt_doc ON doc_topic(doc, slug);
"""


class Fts5:
    """SQLite FTS5 over the analysed tokens, queried MATCH-first."""

    name = "fts5"

    def __init__(self, analysed, path):
        t0 = time.perf_counter()
        Path(path).unlink(missing_ok=True)
        db = sqlite3.connect(str(path))
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _FTS5_SCHEMA)
        with db:  # one transaction
            db.executemany("INSERT INTO docs VALUES (?,?,?,?,?)",
                           ((i, d.pk, _day(d.published), d.source, _month(d.published))
                            for i, (d, _t, _b) in enumerate(analysed, 1)))
            db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)",
                           ((i, t, b) for i, (_d, t, b) in enumerate(analysed, 1)))
            db.executemany("INSERT INTO doc_country VALUES (?,?)",
                           ((i, c) for i, (d, _t, _b) in enumerate(analysed, 1) for c in d.countries))
            db.executemany("INSERT INTO doc_topic VALUES (?,?)",
                           ((i, s) for i, (d, _t, _b) in enumerate(analysed, 1) for s in d.topics))
        db.executescript(_FTS5_INDEXES + "INSERT INTO fts(fts) VALUES('optimize'); ANALYZE;")
        self.db, self.path = db, path
        self.build_s = time.perf_counter() - t0

    @staticmethod
    def statement(terms, phrase, filt) -> tuple[str, list]:
        """The one SQL statement (and its arguments) of a query."""
        where, args = [], [fts_match(terms, phrase)]
        if "country" in filt:
            where.append("EXISTS (SELECT 1 FROM doc_country c WHERE c.doc = d.id AND c.code = ?)")
            args.append(filt["country"])
        if "source" in filt:
            where.append("d.source = ?")
            args.append(filt["source"])
        bounds = day_bounds(filt)
        if bounds:
            where.append("d.day BETWEEN ? AND ?")
            args += list(bounds)
        cond = ("WHERE " + " AND ".join(where)) if where else ""
        sql = f"""
WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(fts, 2.0, 1.0) AS s FROM fts WHERE fts MATCH ?),
f AS MATERIALIZED (SELECT m.id, m.s, d.pk, d.source, d.month FROM m CROSS JOIN docs d ON d.id = m.id {cond})
SELECT * FROM (SELECT 'top', pk, s FROM f ORDER BY s LIMIT 10)
UNION ALL SELECT 'count', count(*), NULL FROM f
UNION ALL SELECT 'source', source, count(*) FROM f GROUP BY source
UNION ALL SELECT 'month', month, count(*) FROM f GROUP BY month
UNION ALL SELECT 'countries', c.code, count(*) FROM f CROSS JOIN doc_country c ON c.doc = f.id GROUP BY c.code
UNION ALL SELECT 'topics', t.slug, count(*) FROM f CROSS JOIN doc_topic t ON t.doc = f.id GROUP BY t.slug"""
        return sql, args

    def query(self, q, filt):
        terms, phrase = query_terms(q)
        if not terms:
            return 0, [], {}
        sql, args = self.statement(terms, phrase, filt)
        total, top, facets = 0, [], {f: {} for f in FACETS}
        for kind, value, n in self.db.execute(sql, args):
            if kind == "top":
                top.append(value)
            elif kind == "count":
                total = value
            else:
                facets[kind][value] = n
        return total, top, facets

    def plan(self, q, filt) -> str:
        terms, phrase = query_terms(q)
        sql, args = self.statement(terms, phrase, filt)
        rows = self.db.execute("EXPLAIN QUERY PLAN " + sql, args).fetchall()
        depth = {0: 0}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return "\n".join(lines)

    def size_bytes(self) -> int:
        return self.db.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").fetchone()[0]

    def close(self):
        self.db.close()


# --- tantivy ---------------------------------------------------------------------------------------

class Tantivy:
    """tantivy over the analysed tokens (in memory), with facets and filters."""

    name = "tantivy"

    def __init__(self, analysed, heap_mb=128):
        import tantivy

        t0 = time.perf_counter()
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("title", tokenizer_name="whitespace")
        sb.add_text_field("body", tokenizer_name="whitespace")
        for name in FACETS:
            sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
        sb.add_integer_field("day", indexed=True, fast=True)
        sb.add_integer_field("pk", stored=True, fast=True)
        self.schema = sb.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer(heap_size=heap_mb * 2**20, num_threads=1)
        for d, title, body in analysed:
            doc = tantivy.Document(title=title, body=body, day=_day(d.published), pk=d.pk,
                                   countries=list(d.countries), topics=list(d.topics))
            if d.source:
                doc.add_text("source", d.source)
            if d.published:
                doc.add_text("month", _month(d.published))
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self._t = tantivy
        self.build_s = time.perf_counter() - t0

    def _query(self, terms, phrase, filt):
        Q, Occur = self._t.Query, self._t.Occur
        schema = self.schema

        def field_query(field, boost):
            if phrase and len(terms) > 1:
                q = Q.phrase_query(schema, field, terms)
            else:
                q = Q.boolean_query([(Occur.Must, Q.term_query(schema, field, t)) for t in terms]) \
                    if len(terms) > 1 else Q.term_query(schema, field, terms[0])
            return Q.boost_query(q, boost) if boost != 1.0 else q

        if phrase:
            text = Q.boolean_query([(Occur.Should, field_query("title", 2.0)),
                                    (Occur.Should, field_query("body", 1.0))])
        else:  # every term in the title or the body
            text = Q.boolean_query([
                (Occur.Must, Q.boolean_query([(Occur.Should, Q.boost_query(Q.term_query(schema, "title", t), 2.0)),
                                              (Occur.Should, Q.term_query(schema, "body", t))]))
                for t in terms])
        clauses = [(Occur.Must, text)]
        if "country" in filt:
            clauses.append((Occur.Must, Q.term_query(schema, "countries", filt["country"])))
        if "source" in filt:
            clauses.append((Occur.Must, Q.term_query(schema, "source", filt["source"])))
        bounds = day_bounds(filt)
        if bounds:
            clauses.append((Occur.Must, Q.range_query(schema, "day", self._t.FieldType.Integer, *bounds)))
        return Q.boolean_query(clauses) if len(clauses) > 1 else text

    _AGG = {name: {"terms": {"field": name, "size": 1000}} for name in FACETS}

    def query(self, q, filt):
        terms, phrase = query_terms(q)
        if not terms:
            return 0, [], {}
        query = self._query(terms, phrase, filt)
        res = self.searcher.search(query, 10, count=True)
        top = [self.searcher.doc(addr)["pk"][0] for _score, addr in res.hits]
        aggs = self.searcher.aggregate(query, self._AGG)
        facets = {name: {b["key"]: b["doc_count"] for b in aggs.get(name, {}).get("buckets", [])}
                  for name in FACETS}
        return res.count, top, facets

    def close(self):
        self.searcher = self.index = None


# --- ours at the engine level, and the comparison -----------------------------------------------

def ours_query(q, filt):
    """Ours at the engine level: parse (expansion included), top 10, count,
    four facets, the filters (``runner.ours_result``)."""

    res = ours_result(q, filt, True)
    return res.total, [pk for pk, _s in res.hits], res.facets


def time_engines(queries, engines: dict) -> dict:
    """``{engine: {"first": [ms], "again": [ms]}}``: every query run by
    every engine twice in a row (the first run is the engine's first sight
    of the query in this process; the second is warm)."""
    out = {name: {"first": [], "again": []} for name in engines}
    for query in queries:
        q, filt = query["q"], query.get("params", {})
        for name, fn in engines.items():
            for label in ("first", "again"):
                t0 = time.perf_counter()
                try:
                    fn(q, filt)
                except ValueError:  # a query of stop words only, refused by the parser
                    pass
                out[name][label].append((time.perf_counter() - t0) * 1000)
    return out


def build_peers(docs, workdir, out=print) -> dict:
    """Analyse once, build FTS5 and tantivy; returns ``{name: peer}``."""
    t0 = time.perf_counter()
    analysed = analysed_docs(docs)
    out(f"peers: {len(docs)} articles analysed once in {time.perf_counter() - t0:.1f} s")
    peers = {}
    peers["fts5"] = Fts5(analysed, workdir / "peer-fts5.sqlite3")
    out(f"peers: fts5 built in {peers['fts5'].build_s:.1f} s, {peers['fts5'].size_bytes() / 2**20:.1f} MB")
    try:
        peers["tantivy"] = Tantivy(analysed)
        out(f"peers: tantivy built in {peers['tantivy'].build_s:.1f} s")
    except ImportError:
        out("peers: tantivy not installed (pip install -r requirements-bench.txt); skipped")
    return peers


def summarize(queries, timings) -> dict:
    """``{kind: {(engine, pass): (p50, p95)}}`` for every kind and ``all``."""

    kinds = list(dict.fromkeys(q["kind"] for q in queries)) + ["all"]
    table = {}
    for kind in kinds:
        idx = [i for i, q in enumerate(queries) if kind == "all" or q["kind"] == kind]
        row = {"n": len(idx)}
        for name, passes in timings.items():
            for label, values in passes.items():
                vals = [values[i] for i in idx]
                row[(name, label)] = (pct(vals, 50), pct(vals, 95))
        table[kind] = row
    return table


def print_summary(table, peer_names, out=print):
    out("engine level, ms p50 / p95 (first = the engine's first run of the query in this process, "
        "again = its second); ours ÷ peer = ratio of p50s, first to first and again to again")
    head = f"{'kind':<13}{'n':>5}"
    for name in ("ours", *peer_names):
        head += f" {name + ' first':>15} {name + ' again':>15}"
    for name in peer_names:
        head += f" {'ours/' + name:>16}"
    out(head)
    for kind, row in table.items():
        line = f"{kind:<13}{row['n']:>5}"
        for name in ("ours", *peer_names):
            line += "".join(f" {row[(name, p)][0]:7.2f}/{row[(name, p)][1]:7.1f}" for p in ("first", "again"))
        for name in peer_names:
            ratios = [row[("ours", p)][0] / (row[(name, p)][0] or 1e-9) for p in ("first", "again")]
            line += f" {ratios[0]:>8.1f},{ratios[1]:>6.1f}"
        out(line)


PLAN_EXAMPLE = ("filtered", {"country": "EG", "date_from": "2015-01-01", "date_to": "2015-12-31"})


def run_peers(queries, workdir, out=print) -> dict:
    """Build the peers from the visible articles, time ours and both peers on
    every query, print the table and FTS5's plan of a filtered query;
    returns ``{engine: ms per query (again)}``."""
    from archive.models import Article

    # exactly the visible articles (load_docs replicates them up to n)
    docs = load_docs(Article.objects.filter(is_hidden=False).count())
    peers = build_peers(docs, Path(workdir), out)
    try:
        ours_query("benchwarmup", {})  # opens the index: not counted
        engines = {"ours": ours_query, **{name: peer.query for name, peer in peers.items()}}
        t0 = time.perf_counter()
        timings = time_engines(queries, engines)
        out(f"peers: {len(queries)} queries x {len(engines)} engines x 2 in {time.perf_counter() - t0:.0f} s")
        print_summary(summarize(queries, timings), [n for n in peers], out)
        sample = next((q["q"] for q in queries if q["kind"] == "w2"), "مصر")
        out(f"fts5 query plan ({sample!r}, country and date filters):")
        out(peers["fts5"].plan(sample, PLAN_EXAMPLE[1]))
    finally:
        for peer in peers.values():
            peer.close()
    return {name: passes["again"] for name, passes in timings.items()}
