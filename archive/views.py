"""Public pages of the reading room: home, outlets, digit choice.

The article page (with related articles and highlighted text from the search
engine) is ``search.reading.article_detail``: archive never imports search.

Counts, charts and lists come from ``archive.stats`` and are kept until the
data changes (``archive.pagecache``): a repeated page costs no aggregate.

Pages vary with the ``digits`` cookie (``Vary: Cookie``). Links to the search
page go through ``search_url_for`` so that they keep working before and after
the search app routes ``/search/``.
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from archive.charts import LazyMarkup, build_chart
from archive.coverage import coverage_grid, coverage_table_html
from archive.formatting import DIGIT_STYLES, DIGITS_COOKIE
from archive.links import search_url_for
from archive.merging import resolve_source_slug
from archive.models import Article, Country, Source, Topic
from archive.pagecache import cached, cached_page
from archive.stats import SourceStats, day_buckets, ranked, tag_counts, totals

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


def latest_articles(limit=LATEST_COUNT) -> list:
    """The newest public articles, undated ones last (two index-ordered
    queries: the same order as ``NEWEST_FIRST`` on every database)."""
    visible = visible_articles().select_related("source")
    rows = list(visible.filter(published__isnull=False).order_by("-published", "-id")[:limit])
    if len(rows) < limit:
        rows += list(visible.filter(published__isnull=True).order_by("-id")[: limit - len(rows)])
    return rows


def _home_context() -> dict:
    t = totals()
    top_countries = ranked(Country.objects.all(), tag_counts("country"), "name_ar", TOP_COUNT)
    top_sources = ranked(Source.objects.all(), {k: v.n for k, v in t.per_source.items()}, "name", TOP_COUNT)
    top_topics = ranked(Topic.objects.all(), tag_counts("topic"), "name_ar", TOP_COUNT)
    coverage = build_chart(
        day_buckets(t.days(), "month"),
        title="تغطية الأرشيف: عدد المقالات في كل شهر",
        link_for=period_search_link,
    )
    return {
        "article_count": t.article_count,
        "undated_count": t.undated_count,
        "source_count": t.source_count,
        "first_date": t.first,
        "last_date": t.last,
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
        "latest": latest_articles(),
    }


@vary_on_cookie
@require_GET
@cached_page
def home(request):
    return render(request, "archive/home.html", dict(cached("archive.views.home", _home_context)))


# --- outlets ---------------------------------------------------------------------------

def _with_stats(source, stats: SourceStats):
    source.n, source.first, source.last = stats.n, stats.first, stats.last
    return source


def _sources_context() -> dict:
    t = totals()
    sources = ranked(Source.objects.select_related("country"), {k: v.n for k, v in t.per_source.items()}, "name")
    return {
        "sources": [_with_stats(s, t.source(s.pk)) for s in sources],
        "article_count": t.article_count,
        "without_source": t.without_source,
    }


@vary_on_cookie
@require_GET
@cached_page
def source_list(request):
    return render(request, "archive/source_list.html", dict(cached("archive.views.sources", _sources_context)))


def _source_timeline(source) -> dict:
    return build_chart(
        day_buckets(totals().days(source.pk)),
        title=f"المقالات المؤرشفة من {source.name} عبر الزمن",
        link_for=lambda b: period_search_link(b, source=source.slug),
    )


@vary_on_cookie
@require_GET
@cached_page
def source_detail(request, slug):
    source = Source.objects.select_related("country").filter(slug=slug).first()
    if source is None:
        survivor = resolve_source_slug(slug)  # a merged outlet's old slug
        if survivor is None:
            raise Http404("no such outlet")
        query = request.META.get("QUERY_STRING", "")
        target = reverse("source_detail", args=[survivor])
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
    _with_stats(source, totals().source(source.pk))
    articles = visible_articles().filter(source=source).order_by(*NEWEST_FIRST)
    paginator = Paginator(articles, SOURCE_PAGE_SIZE)
    paginator.count = source.n  # known from the totals: no COUNT over the outlet's rows
    # get_page clamps: a non-number gives page 1, a page past the end the last.
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "archive/source_detail.html",
        {
            "source": source,
            "page": page,
            "timeline": cached("archive.views.source_timeline", lambda: _source_timeline(source), slug),
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
