"""The article page: an archived article with related articles and the
search words marked in its text.

It lives in the search app because both extras come from the search engine
(``search.results.related_articles``, ``search.results.query_terms``,
``search.highlight.mark_text``);
``archive`` keeps the pages that need no search. URL name ``article_detail``,
path ``articles/<int:pk>/`` (``search/urls.py``).
"""
from __future__ import annotations

import logging

from django.shortcuts import get_object_or_404, render
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from archive.links import search_url_for
from archive.models import Article
from archive.pagecache import cached, cached_page
from archive.views import visible_articles
from search import highlight, results

logger = logging.getLogger(__name__)

RELATED_COUNT = 5


def _related_ids(article_pk, limit) -> list[int]:
    """Ids of the related articles, from the search engine (raises when it
    is not available)."""
    items = list(results.related_articles(article_pk, limit) or [])
    ids = []
    for item in items:
        if isinstance(item, Article):
            ids.append(item.pk)
        elif isinstance(item, dict):
            ids.append(item.get("pk") or item.get("id"))
        elif isinstance(item, int):
            ids.append(item)
        else:
            ids.append(getattr(item, "pk", None) or getattr(item, "id", None))
    return [int(i) for i in ids if str(i).isdigit() and int(i) != article_pk]


def related_for(article, limit=RELATED_COUNT):
    """Related articles from the search engine (kept until the data or the
    index changes, ``archive.pagecache``); ``None`` when it is not available."""
    try:
        ids = cached("search.reading.related", lambda: _related_ids(article.pk, limit), article.pk, limit)
    except Exception:  # no index yet, index locked, …: the page still renders
        logger.warning("related articles unavailable for %s", article.pk, exc_info=True)
        return None
    found = visible_articles().select_related("source").in_bulk(ids)
    return [found[i] for i in ids if i in found][:limit]


def highlighter(query):
    """A function text → safe HTML with the query words marked.

    Uses the search engine's ``query_terms(query)`` + ``mark_text(text,
    terms)``; whatever comes back that is not marked safe is escaped, so a
    highlighter can never inject markup. Without a query, or when
    highlighting fails, the text is just escaped.
    """
    if not query:
        return conditional_escape
    try:
        terms = results.query_terms(query)
    except Exception:
        logger.warning("highlighting unavailable", exc_info=True)
        return conditional_escape
    if not terms:
        return conditional_escape

    def mark(text):
        try:
            marked = highlight.mark_text(text, terms)
        except Exception:
            logger.warning("highlighting failed", exc_info=True)
            return conditional_escape(text)
        return marked if isinstance(marked, SafeData) else conditional_escape(marked)

    return mark


@vary_on_cookie
@require_GET
@cached_page
def article_detail(request, pk):
    article = get_object_or_404(
        Article.objects.select_related("source", "source__country").prefetch_related(
            "topics", "country_mentions__country"
        ),
        pk=pk,
        is_hidden=False,
    )
    query = request.GET.get("q", "").strip()[:500]
    related = related_for(article)
    mark = highlighter(query)
    back_to_search = None
    if query:
        back_to_search = search_url_for() + "?" + request.GET.urlencode()
    context = {
        "article": article,
        "query": query,
        "title_html": mark(article.title),
        "paragraphs_html": [mark(p) for p in article.paragraphs],
        "countries": [
            {"name": m.country.name_ar, "mentions": m.mentions,
             "url": search_url_for(country=m.country_id, country_mode="mentioned")}
            for m in article.country_mentions.all()
        ],
        "about_countries": [
            {"name": m.country.name_ar, "url": search_url_for(country=m.country_id)}
            for m in article.country_mentions.all() if m.is_about
        ],
        "topics": [{"name": t.name_ar, "url": search_url_for(topic=t.slug)} for t in article.topics.all()],
        "related": related or [],
        "back_to_search": back_to_search,
    }
    response = render(request, "archive/article_detail.html", context)
    if related is None:
        response.page_cache = False  # not kept without its related articles (archive.pagecache)
    return response
