"""The user's query and filters as an Elasticsearch request body (no Django).

The query syntax is ``search.query``'s (same lexer and parser, same errors);
only the last step differs: the Whoosh query holds OUR analyzed terms, which
Elasticsearch's stemmer would not produce, so each word becomes ``match``
clauses on the surface word and Elasticsearch analyzes it with the index's
own chain:

- a word: ``bool.should`` (at least one) of ``text`` (stemmed), ``title``
  (stemmed, ×``TITLE_BOOST``), ``text.exact`` (×``EXACT_BOOST``), the
  proclitic forms of a protected name on ``text.exact`` (×``CLITIC_BOOST``)
  and the curated other spellings of the word on ``text.exact``
  (×``VARIANT_BOOST``); the search analyzer's synonyms add the spellings to
  the stemmed fields too;
- a quoted word: the same without proclitic forms and other spellings, and
  analyzed without the synonyms;
- several words in quotes (or a word our analyzer splits, «كوفيد-19"):
  ``match_phrase`` with the slop our parser allows for removed stopwords;
- AND → ``bool.must``, OR → ``bool.should``, exclusions → ``bool.must_not``;
  several single words ANDed also get the ranking rules of
  ``search.query.ranking`` as optional ``bool.should`` clauses (all words in
  the title, the words next to each other in the title and in ``text``).

Words that our analyzer drops (stopwords, punctuation) are dropped here as
well, so both engines see the same words. Filters are ``terms``/``range``
filters; facet counts are ``terms`` aggregations, each under a ``filter``
aggregation holding the OTHER facets' selections while the selected values
go to ``post_filter`` (multi-select facets, as in ``IndexView.execute``).
"""
from __future__ import annotations

from search.query import (
    CLITIC_BOOST,
    EXACT_BOOST,
    MSG_NO_WORDS,
    MSG_ONLY_EXCLUDED,
    VARIANT_BOOST,
    QueryError,
    analyze_positions,
    clean_query,
    clitic_family,
    exact_forms,
    parse_tree,
    ranking,
)

from .settings import ANALYZER

TEXT = "text"
TITLE = "title"
EXACT = "text.exact"
TITLE_BOOST = 2.0  # search_indexes.ArticleIndex.title boost
DAY = "day"
PK = "article_id"
FACET_SIZE = 5000  # every value of a facet (months of a long archive included)
MAX_WINDOW = 10000  # index.max_result_window: deeper pages use search_after


class _Not:
    __slots__ = ("clause",)

    def __init__(self, clause):
        self.clause = clause


def _should(clauses):
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def _match(field, text, boost=1.0, analyzer=None):
    body = {"query": text, "operator": "and"}
    if boost != 1.0:
        body["boost"] = boost
    if analyzer:
        body["analyzer"] = analyzer
    return {"match": {field: body}}


def _phrase(field, text, slop, boost=1.0, analyzer=None):
    body = {"query": text, "slop": slop}
    if boost != 1.0:
        body["boost"] = boost
    if analyzer:
        body["analyzer"] = analyzer
    return {"match_phrase": {field: body}}


class QueryBuilder:
    """AST of ``search.query`` → query DSL. ``variants_of(form)`` returns the
    curated other spellings of a normalized word (default: none)."""

    def __init__(self, variants_of=None):
        self.variants_of = variants_of or (lambda form: ())
        self.expansions = []  # [{"word", "variants"}] as ParsedQuery.expansions
        self.words = {}  # id(clause of one unquoted word) -> the word (the ranking rules)

    def build(self, node, negated=False):
        kind = node[0]
        if kind in ("word", "phrase"):
            return self.leaf(node[1], negated, quoted=kind == "phrase")
        if kind == "not":
            inner = self.build(node[1], not negated)
            return None if inner is None else _Not(inner)
        children = [c for c in (self.build(child, negated) for child in node[1]) if c is not None]
        if not children:
            return None
        pos = [c for c in children if not isinstance(c, _Not)]
        neg = [c.clause for c in children if isinstance(c, _Not)]
        if kind == "or":
            if not neg:
                return _should(children)
            if not pos:
                raise QueryError(MSG_ONLY_EXCLUDED)
            return {"bool": {"must": [_should(pos)], "must_not": neg}}
        if not pos:
            if negated:
                return _Not(_should(neg))
            raise QueryError(MSG_ONLY_EXCLUDED)
        if not neg and len(pos) == 1:
            return pos[0]
        body = {"must": pos}
        if len(pos) > 1 and all(id(c) in self.words for c in pos):
            extra = _bonuses(" ".join(self.words[id(c)] for c in pos))
            if extra:
                body["should"] = extra
        if neg:
            body["must_not"] = neg
        return {"bool": body}

    def leaf(self, text, negated, quoted=False):
        analyzed = analyze_positions(text)
        if not analyzed:
            return None  # a stopword or punctuation: dropped, as by our parser
        analyzer = ANALYZER if quoted else None  # quoted: no synonyms
        if len(analyzed) > 1:
            slop = max(max(b - a for (_, a), (_, b) in zip(analyzed, analyzed[1:], strict=False)), 1)
            return _should([
                _phrase(TEXT, text, slop, analyzer=analyzer),
                _phrase(TITLE, text, slop, TITLE_BOOST, analyzer=analyzer),
                _phrase(EXACT, text, 1, EXACT_BOOST),
            ])
        clauses = [
            _match(TEXT, text, analyzer=analyzer),
            _match(TITLE, text, TITLE_BOOST, analyzer=analyzer),
            _match(EXACT, text, EXACT_BOOST),
        ]
        forms = exact_forms(text)
        if not quoted and not negated and len(forms) == 1:
            form = forms[0]
            family = clitic_family(form)
            for f in family:
                if f != form:
                    clauses.append(_match(EXACT, f, CLITIC_BOOST))
            variants = []
            for base in dict.fromkeys([form, family[0]]):
                for v in self.variants_of(base):
                    if v != form and v not in variants:
                        variants.append(v)
            for v in variants:
                clauses.append(_match(EXACT, v, VARIANT_BOOST))
            if variants:
                self.expansions.append({"word": text, "variants": variants})
        clause = _should(clauses)
        if not negated:
            self.words[id(clause)] = text
        return clause


def _bonuses(text):
    """The optional clauses of ``search.query.ranking.RULES`` for the words
    of ``text`` (the same rules as the Whoosh query's ``AndMaybe``)."""
    out = []
    if "title" in ranking.RULES and ranking.TITLE_ALL_BOOST:
        out.append(_match(TITLE, text, TITLE_BOOST * ranking.TITLE_ALL_BOOST))
    if "title_near" in ranking.RULES and ranking.TITLE_NEAR_BOOST:
        out.append(_phrase(TITLE, text, ranking.NEAR_SLOP, TITLE_BOOST * ranking.TITLE_NEAR_BOOST))
    if "near" in ranking.RULES and ranking.NEAR_BOOST:
        out.append(_phrase(TEXT, text, ranking.NEAR_SLOP, ranking.NEAR_BOOST))
    if "exact" in ranking.RULES and ranking.EXACT_ALL_BOOST:
        out.append(_match(EXACT, text, ranking.EXACT_ALL_BOOST))
    return out


def build_query(text: str, variants_of=None):
    """(query DSL, expansions) for a user query; raises ``QueryError``."""
    text = clean_query(text)
    if not text:
        raise QueryError(MSG_NO_WORDS)
    ast = parse_tree(text)
    builder = QueryBuilder(variants_of)
    built = builder.build(ast)
    if built is None:
        raise QueryError(MSG_NO_WORDS)
    if isinstance(built, _Not):
        raise QueryError(MSG_ONLY_EXCLUDED)
    return built, builder.expansions


def sort_clause(sort: str, scored: bool) -> list:
    """Relevance: score, then newest, then id (IndexView._top's order);
    dates: undated articles last; the id makes the order total (search_after)."""
    if sort == "relevance" and scored:
        return ["_score", {DAY: {"order": "desc", "missing": "_last"}}, {PK: {"order": "desc"}}]
    if sort == "oldest":
        return [{DAY: {"order": "asc", "missing": "_last"}}, {PK: {"order": "asc"}}]
    return [{DAY: {"order": "desc", "missing": "_last"}}, {PK: {"order": "desc"}}]


def search_body(query=None, *, filters=None, day_range=None, sort="relevance", offset=0, size=20,
                facet_fields=(), facet_size=FACET_SIZE) -> dict:
    """The ``_search`` body. ``query``: DSL or None (every article);
    ``filters``: {field: [values]} (values ORed, fields ANDed); ``day_range``:
    (lo, hi) YYYYMMDD, either None (undated articles never match)."""
    filter_clauses = []
    if day_range and (day_range[0] or day_range[1]):
        rng = {}
        if day_range[0]:
            rng["gte"] = int(day_range[0])
        if day_range[1]:
            rng["lte"] = int(day_range[1])
        filter_clauses.append({"range": {DAY: rng}})
    by_field = {}
    for fname, values in (filters or {}).items():
        values = [v for v in values or () if v is not None]
        if values:
            by_field[fname] = {"terms": {fname: list(values)}}
    facet_fields = list(facet_fields or ())
    post = [c for f, c in by_field.items() if f in facet_fields]
    filter_clauses.extend(c for f, c in by_field.items() if f not in facet_fields)

    bool_q = {}
    if query is not None:
        bool_q["must"] = [query]
    if filter_clauses:
        bool_q["filter"] = filter_clauses
    scored = query is not None
    body = {
        "query": {"bool": bool_q} if bool_q else {"match_all": {}},
        "sort": sort_clause(sort, scored),
        "from": max(int(offset), 0),
        "size": max(int(size), 0),
        "track_total_hits": True,
        "_source": [PK],
    }
    if scored and sort != "relevance":
        body["track_scores"] = True
    if post:
        body["post_filter"] = post[0] if len(post) == 1 else {"bool": {"filter": post}}
    if facet_fields:
        aggs = {}
        for fname in facet_fields:
            others = [c for f, c in by_field.items() if f != fname and f in facet_fields]
            aggs[fname] = {
                "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                "aggs": {"values": {"terms": {"field": fname, "size": facet_size}}},
            }
        body["aggs"] = aggs
    return body


def parse_response(resp: dict, *, facet_fields=(), scored=True):
    """(total, [(article_id, score)], {field: {value: count}}) of a response."""
    hits_part = resp.get("hits", {})
    total = hits_part.get("total", 0)
    if isinstance(total, dict):
        total = total.get("value", 0)
    hits = []
    for h in hits_part.get("hits", []):
        src = h.get("_source") or {}
        pk = src.get(PK)
        if pk is None:
            django_id = src.get("django_id") or str(h.get("_id", "")).rsplit(".", 1)[-1]
            pk = django_id
        score = h.get("_score") if scored else 0.0
        hits.append((int(pk), float(score or 0.0)))
    facets = {}
    aggs = resp.get("aggregations") or {}
    for fname in facet_fields:
        buckets = (aggs.get(fname) or {}).get("values", {}).get("buckets", [])
        facets[fname] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
    return int(total), hits, facets
