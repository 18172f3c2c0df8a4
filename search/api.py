"""JSON API: ``GET /api/search/`` (url name ``api_search``) and
``GET /api/terms/`` (``api_terms``: the top words of a search, same parameters,
``{"query", "terms": [{"term", "count", "score"}]}``, see search.terms).

Parameters: q; country (ISO alpha-2, uppercase, repeatable); source (slug,
repeatable); country_mode (about: the countries an article is about, the
default; mentioned: every country it names) for the country filter and
facet; topic (slug, repeatable); date_from, date_to (YYYY-MM-DD,
inclusive); sort (relevance | newest | oldest; default relevance with q,
newest without); page (from 1); page_size (default 20, 1..100).

Response: {"query", "count", "page", "pages", "results": [{"id", "title",
"url", "published", "source": {"slug", "name"} | null, "countries" (the
countries the article is about, most mentioned first), "mentioned" (every
country it names), "topics", "snippet", "origin"}], "facets": {"country"|"source"|"topic"|
"month": [{"value", "label", "count"}]}, "suggestion", "suggestion_count" (articles
the suggested query finds, or null), "expansions": [{"word",
"variants"}]} (other spellings of a name that were searched too; quote the
word to search it alone).

Invalid parameters: status 400 and {"error": "<Arabic message>"}. A page
beyond the last one is not an error: 200 with "results": [] (count and pages
still tell the real size).

``GET /api/timeline/`` (``api_timeline``): the same filters plus ``interval``
(day | week | month, default month) → {"query", "interval", "series":
[{"period", "count", "total", "share"}]} (``search.attention``): ``total`` is
every public article of the period from the same outlets (only ``source``,
``outlet_country`` and ``collection`` apply to it), ``share`` = count / total
(0 when total is 0).

Filters of people and outlets: person (slug, repeatable), outlet_country
(ISO code of the outlet's country, repeatable), collection (slug of a
collection of outlets, repeatable); facets "person", "outlet_country" and
"collection" like the others.

Answers (200) are kept per full URL until the data version changes
(``archive.pagecache.cached_page``, as the pages are): a repeated query is
answered without searching again, with an ``ETag`` (304 to ``If-None-Match``).
"""
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from archive.pagecache import cached_page
from search.attention import attention_series, parse_interval
from search.results import SearchResult
from search.service import InvalidSearch, parse_search_params, run_search
from search.terms import top_terms


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def serialize(result: SearchResult) -> dict:
    return {
        "query": result.query,
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
        "results": [
            {
                "id": hit.id,
                "title": hit.title,
                "url": hit.url,
                "published": hit.published.isoformat() if hit.published else None,
                "source": {"slug": hit.source.slug, "name": hit.source.name} if hit.source else None,
                "countries": list(hit.countries),
                "mentioned": list(hit.mentioned),
                "topics": list(hit.topics),
                "snippet": str(hit.snippet_html),
                "origin": hit.origin,
            }
            for hit in result.hits
        ],
        "facets": {
            name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
            for name, values in result.facets.items()
        },
        "suggestion": result.suggestion,
        "suggestion_count": result.suggestion_count,
        "expansions": [
            {"word": e["word"], "variants": list(e["variants"])} for e in result.expansions
        ],
    }


@require_GET
@cached_page
def search_api(request):
    try:
        params = parse_search_params(request.GET)
    except InvalidSearch as exc:
        return _json({"error": exc.message}, status=400)
    return _json(serialize(run_search(params)))


@require_GET
@cached_page
def timeline_api(request):
    try:
        params = parse_search_params(request.GET)
        interval = parse_interval(request.GET.get("interval"))
    except InvalidSearch as exc:
        return _json({"error": exc.message}, status=400)
    return _json(attention_series(params, interval))


@require_GET
@cached_page
def terms_api(request):
    try:
        params = parse_search_params(request.GET)
    except InvalidSearch as exc:
        return _json({"error": exc.message}, status=400)
    terms = [{"term": t.term, "count": t.count, "score": t.score} for t in top_terms(params)]
    return _json({"query": params.q, "terms": terms})
