"""Public pages of the reading room: home, outlets, digit choice.

The article page (with related articles and highlighted text from the search
engine) is ``search.reading.article_detail``: archive never imports search.

Pages vary with the ``digits`` cookie (``Vary: Cookie``). Links to the search
page go through ``search_url_for`` so that they keep working before and after
the search app routes ``/search/``.
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, Q
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from archive.buckets import timeline_buckets
from archive.charts import LazyMarkup, build_chart
from archive.coverage import coverage_grid, coverage_table_html
from archive.formatting import DIGIT_STYLES, DIGITS_COOKIE
from archive.links import search_url_for
from archive.merging import resolve_source_slug
from archive.models import Article, Country, Source, Topic

# The search page's date-range parameters (ISO dates, inclusive).
DATE_FROM_PARAM = "date_from"
DATE_TO_PARAM = "date_to"

SOURCE_PAGE_SIZE = 20
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


def _outlet_coverage():
    """The heat map of outlets × months (cached per process), rendered late
    for the reader's digits; ``None`` when no outlet has a dated article."""
    grid = coverage_grid()
    if not grid.rows:
        return None
    return {
        "table": LazyMarkup(lambda: coverage_table_html(grid, link_for=lambda slug: search_url_for(source=slug))),
        "outlets": len(grid.rows),
        "months": len(grid.months),
    }


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
        "outlet_coverage": _outlet_coverage(),
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
    source = _sources_with_stats().select_related("country").filter(slug=slug).first()
    if source is None:
        survivor = resolve_source_slug(slug)  # a merged outlet's old slug
        if survivor is None:
            raise Http404("no such outlet")
        query = request.META.get("QUERY_STRING", "")
        target = reverse("source_detail", args=[survivor])
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
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
