"""The Elasticsearch engine behind ``search.engines``: the same functions,
signatures and results as the built-in engine (``search.engine.searcher``).

``execute(params, offset=, limit=, sort=, facets=)`` returns the
``EngineResult`` (total, [(article_id, score)], {field: {value: count}});
``suggest_spelling(parsed)`` uses the term suggester, ``related_article_ids``
``more_like_this``; ``query_vocabulary()`` gives (None, None) (no vocabulary
on this side). ``enabled()`` says whether haystack's connection uses it.
"""
from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings

from archive.models import Article
from search.engine.result import EngineResult
from search.engine.shared import IndexUnavailable
from search.query import analyze_terms, exact_forms, quote_word, respell
from search.query.expansion import alias_groups
from search.schema import day_number
from search.schema import facet_fields as schema_facet_fields

from .query import MAX_WINDOW, PK, build_query, parse_response, search_body

ENGINE = "search.elastic.backend.ArabicElasticsearchEngine"
SEARCH_AFTER_CHUNK = 5000


def enabled(using: str = "default") -> bool:
    """True when haystack's connection uses the Elasticsearch engine."""
    conn = getattr(settings, "HAYSTACK_CONNECTIONS", {}).get(using, {})
    return conn.get("ENGINE") == ENGINE


@contextmanager
def cluster(using: str = "default"):
    """The set-up backend; a cluster that cannot be reached or answers with an
    error becomes ``IndexUnavailable`` (the pages answer 503, see
    search.middleware), never a stack trace."""
    from elasticsearch.exceptions import ConnectionError as ESConnectionError
    from elasticsearch.exceptions import TransportError
    from haystack import connections

    backend = connections[using].get_backend()
    try:
        if not backend.setup_complete:
            backend.setup()
        yield backend
    except (ESConnectionError, TransportError) as exc:
        raise IndexUnavailable(f"{backend.conn.transport.hosts} [{backend.index_name}]", exc) from exc


def _search(body: dict) -> dict:
    with cluster() as backend:
        return backend.conn.search(index=backend.index_name, body=body)


def curated_variants(form: str) -> tuple:
    """Other curated spellings (NameVariant) of a normalized word."""
    return tuple(sorted(alias_groups().get(form, ())))


def request_for(params, *, offset=0, limit=20, sort=None, facets=False, variants_of=curated_variants):
    """(body, scored, facet_fields) for ``SearchParams``; fills in
    ``params.parsed.expansions`` with the curated spellings searched."""
    query = None
    if params.parsed is not None:
        query, expansions = build_query(params.parsed.text, variants_of=variants_of)
        if expansions and not params.parsed.expansions:
            for exp in expansions:
                exp["quoted"] = quote_word(params.parsed.text, exp["word"])
            params.parsed.expansions = expansions
            # the other spellings are highlighted too, as on the Whoosh side
            extra = {t for exp in expansions for v in exp["variants"] for t in analyze_terms(v)}
            params.parsed.terms = frozenset(params.parsed.terms | extra)
    day_range = None
    if params.date_from or params.date_to:
        day_range = (day_number(params.date_from), day_number(params.date_to))
    facet_fields = schema_facet_fields(params.country_mode) if facets else ()
    body = search_body(
        query,
        filters=params.index_filters(),
        day_range=day_range,
        sort=sort or params.effective_sort,
        offset=offset,
        size=max(limit, 0),
        facet_fields=facet_fields,
    )
    return body, query is not None, facet_fields


def run(conn, index: str, body: dict, *, scored: bool, facet_fields=()):
    """Send ``body``; pages beyond ``MAX_WINDOW`` are fetched with search_after."""
    offset, size = body["from"], body["size"]
    if offset + size <= MAX_WINDOW:
        total, hits, facets = parse_response(conn.search(index=index, body=body),
                                             facet_fields=facet_fields, scored=scored)
        return EngineResult(total=total, hits=hits, facets=facets)
    first = dict(body, **{"from": 0, "size": min(SEARCH_AFTER_CHUNK, offset + size)})
    resp = conn.search(index=index, body=first)
    total, hits, facets = parse_response(resp, facet_fields=facet_fields, scored=scored)
    raw = resp["hits"]["hits"]
    wanted = min(offset + size, total)
    rest = {k: v for k, v in body.items() if k not in ("aggs", "post_filter", "from")}
    if "post_filter" in body:
        rest["post_filter"] = body["post_filter"]
    rest["track_total_hits"] = False
    while len(hits) < wanted and raw:
        page = dict(rest, size=min(SEARCH_AFTER_CHUNK, wanted - len(hits)), search_after=raw[-1]["sort"])
        resp = conn.search(index=index, body=page)
        raw = resp["hits"]["hits"]
        _t, more, _f = parse_response(resp, scored=scored)
        hits.extend(more)
    return EngineResult(total=total, hits=hits[offset:offset + size], facets=facets)


def execute(params, *, offset: int = 0, limit: int = 20, sort: str | None = None, facets: bool = False):
    """One search for ``SearchParams`` on the cluster (see ``search.engines``)."""
    body, scored, facet_fields = request_for(params, offset=offset, limit=limit, sort=sort, facets=facets)
    with cluster() as backend:
        return run(backend.conn, backend.index_name, body, scored=scored, facet_fields=facet_fields)


def suggest_spelling(parsed) -> str | None:
    """«هل تقصد …؟» from Elasticsearch's term suggester on ``text.exact``:
    each word absent from the index is replaced by its best suggestion; the
    suggestion is offered only if it finds articles."""
    if parsed is None or not parsed.words:
        return None
    suggest = {}
    words = list(dict.fromkeys(w.strip('"()') for w in parsed.words))
    for i, word in enumerate(words):
        forms = exact_forms(word)
        if len(forms) == 1 and len(forms[0]) >= 3:
            suggest[f"w{i}"] = {"text": forms[0], "term": {
                "field": "text.exact", "suggest_mode": "missing", "prefix_length": 1, "size": 3,
                "max_edits": 1 if len(forms[0]) <= 4 else 2, "sort": "score",
            }}
    if not suggest:
        return None
    resp = _search({"size": 0, "suggest": suggest})
    replacements = {}
    for i, word in enumerate(words):
        entries = (resp.get("suggest") or {}).get(f"w{i}") or []
        options = entries[0].get("options", []) if entries else []
        if options:
            replacements[word] = options[0]["text"]
    suggested = respell(parsed.text, replacements)
    if suggested is None:
        return None
    query, _exp = build_query(suggested.text)
    found = _search({"size": 0, "query": query, "track_total_hits": 1})["hits"]["total"]
    return suggested.text if (found.get("value", 0) if isinstance(found, dict) else found) else None


def related_article_ids(article_id: int, n: int = 5) -> list[tuple[int, float]]:
    """[(id, score)] of the n most similar articles (``more_like_this`` over
    the article's text from the database; the article itself excluded)."""
    row = Article.objects.filter(pk=article_id).values_list("title", "body").first()
    if row is None or n <= 0:
        return []
    body = {
        "size": n,
        "_source": [PK],
        "query": {"bool": {
            "must": [{"more_like_this": {
                "fields": ["text"], "like": f"{row[0]}\n{row[1]}",
                "max_query_terms": 15, "min_term_freq": 1, "min_doc_freq": 2,
            }}],
            "must_not": [{"term": {PK: int(article_id)}}],
        }},
    }
    _total, hits, _facets = parse_response(_search(body))
    return [(pk, score) for pk, score in hits if pk != article_id][:n]


@contextmanager
def query_vocabulary():
    """No index vocabulary on this side: (None, None)."""
    yield None, None
