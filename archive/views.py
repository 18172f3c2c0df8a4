"""Public pages of the reading room: home, article, outlets, digit choice.

Pages vary with the ``digits`` cookie (``Vary: Cookie``). Links to the search
page go through ``search_url_for`` so that they keep working before and after
the search app routes ``/search/``.
"""
from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeData
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from archive.charts import build_chart, timeline_buckets
from archive.models import Article, Country, Source, Topic
from archive.templatetags.reading_room import DIGIT_STYLES, DIGITS_COOKIE, search_url_for

logger = logging.getLogger(__name__)

# The search page's date-range parameters (ISO dates, inclusive).
DATE_FROM_PARAM = "date_from"
DATE_TO_PARAM = "date_to"

SOURCE_PAGE_SIZE = 20
RELATED_COUNT = 5
TOP_COUNT = 8
LATEST_COUNT = 10
# Undated articles last on every database (SQLite and PostgreSQL differ).
NEWEST_FIRST = (F("published").desc(nulls_last=True), "-id")


def visible_articles():
    return Article.objects.filter(is_hidden=False)


def period_search_link(bucket, **params) -> str:
    """The search page narrowed to a chart bucket's date range."""
    params[DATE_FROM_PARAM] = bucket.start.isoformat()
    params[DATE_TO_PARAM] = bucket.end.isoformat()
    return search_url_for(**params)


@vary_on_cookie
@require_GET
def home(request):
    visible = visible_articles()
    top_countries = (
        Country.objects.annotate(n=Count("articles", filter=Q(articles__is_hidden=False)))
        .filter(n__gt=0)
        .order_by("-n", "name_ar")[:TOP_COUNT]
    )
    top_sources = (
        Source.objects.annotate(n=Count("articles", filter=Q(articles__is_hidden=False)))
        .filter(n__gt=0)
        .order_by("-n", "name")[:TOP_COUNT]
    )
    top_topics = (
        Topic.objects.annotate(n=Count("articles", filter=Q(articles__is_hidden=False)))
        .filter(n__gt=0)
        .order_by("-n", "name_ar")[:TOP_COUNT]
    )
    span = visible.aggregate(first=Min("published"), last=Max("published"))
    coverage = build_chart(
        timeline_buckets(visible, granularity="month"),
        title="تغطية الأرشيف: عدد المقالات في كل شهر",
        link_for=period_search_link,
    )
    context = {
        "article_count": visible.count(),
        "undated_count": visible.filter(published__isnull=True).count(),
        "source_count": Source.objects.filter(articles__is_hidden=False).distinct().count(),
        "first_date": span["first"],
        "last_date": span["last"],
        "coverage": coverage,
        "top_countries": [
            {"name": c.name_ar, "count": c.n, "url": search_url_for(country=c.code)} for c in top_countries
        ],
        "top_sources": [
            {"name": s.name, "count": s.n, "url": search_url_for(source=s.slug), "page": s} for s in top_sources
        ],
        "top_topics": [
            {"name": t.name_ar, "count": t.n, "url": search_url_for(topic=t.slug)} for t in top_topics
        ],
        "latest": visible.select_related("source").order_by(*NEWEST_FIRST)[:LATEST_COUNT],
    }
    return render(request, "archive/home.html", context)


# --- article -------------------------------------------------------------------------

def _related(article, limit=RELATED_COUNT):
    """Related articles from the search engine; [] when it is not available."""
    try:
        from search.service import related_articles
    except Exception:  # the search app is optional for this page
        return []
    try:
        items = list(related_articles(article.pk, limit) or [])
    except Exception:  # no index yet, index locked, …: the page still renders
        logger.warning("related articles unavailable for %s", article.pk, exc_info=True)
        return []
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
    ids = [int(i) for i in ids if str(i).isdigit() and int(i) != article.pk]
    found = visible_articles().select_related("source").in_bulk(ids)
    return [found[i] for i in ids if i in found][:limit]


def _highlighter(query):
    """A function text → safe HTML with the query words marked.

    Uses the search engine's ``highlight_terms(query)`` + ``mark_text(text,
    terms)``; whatever comes back that is not marked safe is escaped, so a
    highlighter can never inject markup. Without a query, or when the search
    app is unavailable, the text is just escaped.
    """
    if not query:
        return conditional_escape
    try:
        from search.service import highlight_terms, mark_text

        terms = highlight_terms(query)
    except Exception:
        logger.warning("highlighting unavailable", exc_info=True)
        return conditional_escape
    if not terms:
        return conditional_escape

    def mark(text):
        try:
            marked = mark_text(text, terms)
        except Exception:
            logger.warning("highlighting failed", exc_info=True)
            return conditional_escape(text)
        return marked if isinstance(marked, SafeData) else conditional_escape(marked)

    return mark


@vary_on_cookie
@require_GET
def article_detail(request, pk):
    article = get_object_or_404(
        Article.objects.select_related("source", "source__country").prefetch_related(
            "topics", "country_mentions__country"
        ),
        pk=pk,
        is_hidden=False,
    )
    query = request.GET.get("q", "").strip()[:500]
    mark = _highlighter(query)
    back_to_search = None
    if query:
        back_to_search = search_url_for() + "?" + request.GET.urlencode()
    context = {
        "article": article,
        "query": query,
        "title_html": mark(article.title),
        "paragraphs_html": [mark(p) for p in article.paragraphs],
        "countries": [
            {"name": m.country.name_ar, "mentions": m.mentions, "url": search_url_for(country=m.country_id)}
            for m in article.country_mentions.all()
        ],
        "topics": [{"name": t.name_ar, "url": search_url_for(topic=t.slug)} for t in article.topics.all()],
        "related": _related(article),
        "back_to_search": back_to_search,
    }
    return render(request, "archive/article_detail.html", context)


# --- outlets ---------------------------------------------------------------------------

def _sources_with_stats():
    visible = Q(articles__is_hidden=False)
    return Source.objects.annotate(
        n=Count("articles", filter=visible),
        first=Min("articles__published", filter=visible),
        last=Max("articles__published", filter=visible),
    )


@vary_on_cookie
@require_GET
def source_list(request):
    sources = _sources_with_stats().filter(n__gt=0).select_related("country").order_by("-n", "name")
    total = visible_articles().count()
    without_source = visible_articles().filter(source__isnull=True).count()
    return render(
        request,
        "archive/source_list.html",
        {"sources": sources, "article_count": total, "without_source": without_source},
    )


@vary_on_cookie
@require_GET
def source_detail(request, slug):
    source = get_object_or_404(_sources_with_stats().select_related("country"), slug=slug)
    articles = visible_articles().filter(source=source).order_by(*NEWEST_FIRST)
    # get_page clamps: a non-number gives page 1, a page past the end the last.
    page = Paginator(articles, SOURCE_PAGE_SIZE).get_page(request.GET.get("page"))
    timeline = build_chart(
        timeline_buckets(articles),
        title=f"المقالات المؤرشفة من {source.name} عبر الزمن",
        link_for=lambda b: period_search_link(b, source=source.slug),
    )
    return render(
        request,
        "archive/source_detail.html",
        {
            "source": source,
            "page": page,
            "timeline": timeline,
            "search_link": search_url_for(source=source.slug),
        },
    )


# --- digits ------------------------------------------------------------------------------

DIGITS_COOKIE_AGE = 365 * 24 * 3600


@require_GET
def set_digits(request):
    """``/digits/?set=arab&next=/articles/3/``: remember the digit style, go back."""
    style = request.GET.get("set")
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if style in DIGIT_STYLES:
        response.set_cookie(
            DIGITS_COOKIE, style, max_age=DIGITS_COOKIE_AGE, samesite="Lax",
            httponly=True, secure=request.is_secure(),
        )
    return response
