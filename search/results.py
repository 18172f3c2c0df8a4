"""Search results as the pages and the API show them.

- ``SourceInfo``, ``SearchHit``, ``FacetValue``, ``SearchResult``;
- ``hydrate(scored_ids, terms)``: the articles of [(id, score)] in that order
  (three small queries), with snippet and marked title;
- ``label_facets(raw, params)``: facet counts with their Arabic labels;
- ``related_articles(article_id, n)``: similar articles as ``SearchHit``;
- ``query_terms(query)`` / ``query_highlight_html(text, query)``: the terms
  of a user query with the current index's vocabulary (the article page).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from archive.formatting import month_label
from archive.models import Article, ArticleCountry, Source, Topic
from search import engines
from search.highlight import highlight_terms, mark_text, snippet_html
from search.labels import labels as cached_labels
from search.people import facet_names
from search.schema import FACETS, country_field


@dataclass
class SourceInfo:
    slug: str
    name: str


@dataclass
class SearchHit:
    id: int
    title: str
    url: str
    published: date | None
    source: SourceInfo | None
    countries: list
    topics: list
    snippet_html: SafeString
    origin: str
    score: float
    title_html: SafeString = ""
    country_labels: list = field(default_factory=list)  # [(code, name)] of ``countries`` (about)
    mentioned: list = field(default_factory=list)  # every country named (codes, most mentioned first)
    topic_labels: list = field(default_factory=list)  # [(slug, name)]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    count: int
    page: int
    pages: int
    page_size: int
    sort: str
    hits: list
    facets: dict  # public name -> [FacetValue]
    suggestion: str | None
    params: object = None  # the SearchParams searched (search.service)
    # other spellings searched: [{"word": "فاغنر", "variants": ["فاجنر", "واغنر"]}]
    expansions: list = field(default_factory=list)
    suggestion_count: int | None = None  # articles the suggested query finds («هل تقصد … (٥٢٠ نتيجة)»)


def label_tables():
    """(country names, topic names, outlet names), cached (search.labels)."""
    found = cached_labels()
    return found.countries, found.topics, found.sources


def _row_sql(placeholders: str) -> tuple[str, str, str]:
    """The three queries of ``_article_rows`` for an ``IN (…)`` list (the
    placeholders of as many ids), with
    the tables and columns named from the models (the ORM's compiling
    cost 2-3 ms a page of hits, about five times the queries' own time)."""
    qn = connection.ops.quote_name
    art, src = Article._meta.db_table, Source._meta.db_table
    ac = ArticleCountry._meta.db_table
    through = Article.topics.through._meta
    topic = Topic._meta.db_table
    t_article = through.get_field("article").column
    t_topic = through.get_field("topic").column
    articles = (
        f"SELECT a.{qn('id')}, a.{qn('title')}, a.{qn('body')}, a.{qn('published')}, a.{qn('origin')}, "
        f"a.{qn('source_id')}, s.{qn('slug')}, s.{qn('name')} FROM {qn(art)} a "
        f"LEFT JOIN {qn(src)} s ON s.{qn('id')} = a.{qn('source_id')} "
        f"WHERE a.{qn('id')} IN ({placeholders}) AND NOT a.{qn('is_hidden')}"
    )
    countries = (
        f"SELECT {qn('article_id')}, {qn('country_id')}, {qn('is_about')} FROM {qn(ac)} "
        f"WHERE {qn('article_id')} IN ({placeholders}) "
        f"ORDER BY {qn('article_id')}, {qn('mentions')} DESC, {qn('id')}"
    )
    topics = (
        f"SELECT t.{qn(t_article)}, tp.{qn('slug')} FROM {qn(through.db_table)} t "
        f"JOIN {qn(topic)} tp ON tp.{qn('id')} = t.{qn(t_topic)} WHERE t.{qn(t_article)} IN ({placeholders})"
    )
    return articles, countries, topics


def _article_rows(ids):
    """{id: row} of the visible articles among ``ids``, with their country
    codes ((about, mentioned), most mentioned first) and topic slugs: three
    plain queries."""
    ids = [int(i) for i in ids]
    if not ids:
        return {}, {}, {}
    with connection.cursor() as cursor:
        cursor.execute(_row_sql(", ".join(["%s"] * len(ids)))[0], ids)
        rows = {}
        for row in cursor.fetchall():
            published = row[3]
            if isinstance(published, str):  # SQLite
                published = date.fromisoformat(published)
            elif isinstance(published, datetime):
                published = published.date()
            rows[row[0]] = (row[0], row[1], row[2], published, *row[4:])
        codes, topics = {}, {}
        if rows:
            found = list(rows)
            _articles, countries, topics_sql = _row_sql(", ".join(["%s"] * len(found)))
            cursor.execute(countries, found)
            for article_id, code, is_about in cursor.fetchall():
                about, mentioned = codes.setdefault(article_id, ([], []))
                mentioned.append(code)
                if is_about:
                    about.append(code)
            cursor.execute(topics_sql, found)
            for article_id, slug in cursor.fetchall():
                topics.setdefault(article_id, []).append(slug)
    return rows, codes, topics


_URL_SENTINEL = 987654321


@lru_cache(maxsize=8)
def _article_url_parts(root_urlconf, urlconf, script_prefix) -> tuple[str, str]:
    url = reverse("article_detail", args=[_URL_SENTINEL])
    before, _sentinel, after = url.partition(str(_URL_SENTINEL))
    return before, after


def article_url(pk: int) -> str:
    """``reverse("article_detail", args=[pk])``, resolved once per URL
    configuration (reverse took 0.1 ms a hit, a tenth of a page's hydration)."""
    before, after = _article_url_parts(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    return f"{before}{int(pk)}{after}"


def hydrate(scored_ids, terms=frozenset(), *, snippets=True, labels=None) -> list[SearchHit]:
    """Articles for [(id, score)] in that order (three small queries)."""
    if not scored_ids:
        return []
    rows, codes_of, topics_of = _article_rows([pk for pk, _ in scored_ids])
    country_names, topic_names = (labels or label_tables())[:2]
    hits = []
    for pk, score in scored_ids:
        row = rows.get(pk)
        if row is None:  # deleted or hidden since it was indexed (queue not drained yet)
            continue
        _id, title, body, published, origin, source_id, source_slug, source_name = row
        codes, mentioned = codes_of.get(pk, ([], []))
        topic_slugs = sorted(topics_of.get(pk, []))
        hits.append(
            SearchHit(
                id=pk,
                title=title,
                url=article_url(pk),
                published=published,
                source=SourceInfo(source_slug, source_name) if source_id else None,
                countries=codes,
                topics=topic_slugs,
                snippet_html=snippet_html(body, terms) if snippets else mark_safe(""),
                origin=origin,
                score=score,
                title_html=mark_text(title, terms),
                country_labels=[(c, country_names.get(c, c)) for c in codes],
                mentioned=mentioned,
                topic_labels=[(s, topic_names.get(s, s)) for s in topic_slugs],
            )
        )
    return hits


def label_facets(raw: dict, params, labels=None) -> dict:
    """{public name: [FacetValue]} of the engine's facet counts for
    ``SearchParams`` (the selected values always listed); months are named
    by ``archive.formatting.month_label``."""
    selected = {
        "country": set(params.countries),
        "source": set(params.sources),
        "topic": set(params.topics),
        "month": set(),
        "person": set(getattr(params, "people", ())),
        "outlet_country": set(getattr(params, "outlet_countries", ())),
        "collection": set(getattr(params, "collections", ())),
    }
    country_names, topic_names, source_names = labels or label_tables()
    extra_names = facet_names() if any(raw.get(f) for f in ("people", "collections")) or any(
        selected[p] for p in ("person", "collection")) else {"person": {}, "collection": {}}
    out = {}
    for public, fname in FACETS:
        if public == "country":
            fname = country_field(getattr(params, "country_mode", None))
        counts = dict(raw.get(fname, {}))
        for value in selected[public]:
            counts.setdefault(value, 0)
        values = list(counts)
        if public == "country":
            names = country_names
        elif public == "source":
            names = source_names
        elif public == "topic":
            names = topic_names
        elif public == "outlet_country":
            names = country_names
        elif public in extra_names:
            names = extra_names[public]
        else:
            names = {v: month_label(v) for v in values}
        items = [
            FacetValue(value=v, label=names.get(v, v), count=n, selected=v in selected[public])
            for v, n in counts.items()
        ]
        if public == "month":
            items.sort(key=lambda f: f.value)
        else:
            items.sort(key=lambda f: (-f.count, f.label))
        out[public] = items
    return out


def related_article_ids(article_id: int, n: int = 5) -> list[tuple[int, float]]:
    """[(id, score)] of the n articles most similar to ``article_id`` (the current engine)."""
    return engines.current().related_article_ids(article_id, n)


def related_articles(article_id: int, n: int = 5) -> list[SearchHit]:
    """The n most similar visible articles, as SearchHit (snippet = lead)."""
    scored = related_article_ids(article_id, n=n)
    hits = hydrate(scored, frozenset())
    return hits[:n]


def query_terms(query: str) -> frozenset:
    """``highlight_terms(query)`` with the current index's vocabulary (the
    proclitic forms and other spellings searched); the words alone when the
    index cannot be read."""
    try:
        with engines.current().query_vocabulary() as (doc_frequency, vocabulary):
            return highlight_terms(query, doc_frequency, vocabulary)
    except Exception:  # no index: the words themselves are still marked
        return highlight_terms(query)


def query_highlight_html(text: str, query: str) -> SafeString:
    """``mark_text(text, query_terms(query))``."""
    return mark_text(text, query_terms(query))
