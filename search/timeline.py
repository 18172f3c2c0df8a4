"""Attention over time for the current search: matching articles per period.

Built on the search engine's public pieces (``search.engine.adapter.get_backend``,
``IndexView.execute``, ``search.query.parse_query``) and the database; the
engine modules themselves are not changed here.

- ``matching_ids(params, limit=None, sort=None)``: article ids of every match
  (or the first ``limit``) in the search order, without hydrating anything.
- ``search_timeline(params, result)``: a ``Timeline`` (buckets, granularity,
  undated count). Months come from the month facet ``run_search`` already
  computed; when the span of the matches (within the date range) is at most
  ``DAY_SPAN_DAYS`` the buckets are days, counted in one database query over
  the matching ids; beyond ten years they are years.
- ``search_chart(params, result)``: the ``build_chart`` dict for the page;
  every bar links to the search narrowed to its period (page reset).
- ``compare_chart(entries)``: 2–3 searches on one grouped chart.

Both charts take ``measure="share"`` (``search.attention``): each bar is then
the matches' share of every public article of its period from the same
outlets, written as a percentage. Both name the outlets whose coverage starts
or ends inside the charted range (``coverage_note``).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from archive.batching import chunked
from archive.buckets import Bucket, as_buckets, fill_gaps
from archive.charts import build_chart, build_compare_chart
from archive.coverage import coverage_changes
from search.attention import share_buckets, share_text
from search.people import outlet_ids, outlet_slugs
from search.service import ranked_ids

DAY_SPAN_DAYS = 62
YEAR_SPAN_DAYS = 3660
ID_CHUNK = 10_000

GRANULARITY_WORDS = {"day": "في كل يوم", "month": "في كل شهر", "year": "في كل سنة"}


def matching_ids(params, limit: int | None = None, sort: str | None = None) -> list[int]:
    """Ids of the articles matching ``params`` in the search order (the page's
    sort unless ``sort`` is given); all of them, or the first ``limit``."""
    return ranked_ids(params, limit=limit, sort=sort)[1]


def day_counts(ids, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Counter:
    """{date: n} for the visible, dated articles among ``ids`` (one query per
    ``ID_CHUNK`` ids, so one query for any range the chart shows per day)."""
    from archive.models import Article

    counts: Counter = Counter()
    for chunk in chunked(list(ids), ID_CHUNK):
        rows = Article.objects.filter(pk__in=chunk, is_hidden=False, published__isnull=False)
        if date_from:
            rows = rows.filter(published__gte=date_from)
        if date_to:
            rows = rows.filter(published__lte=date_to)
        for day, n in rows.order_by().values("published").annotate(n=Count("pk")).values_list("published", "n"):
            counts[day] += n
    return counts


@dataclass
class Timeline:
    buckets: list = field(default_factory=list)
    granularity: str = "month"
    undated: int = 0  # matches without a date (not on the chart)

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)


def _month_counts(result) -> list[tuple[str, int]]:
    return [(f.value, f.count) for f in result.facets.get("month", []) if f.count]


def _data_span(months) -> tuple[dt.date, dt.date] | None:
    if not months:
        return None
    buckets = as_buckets(months, "month")
    return buckets[0].start, buckets[-1].end


def plot_span(params, months) -> tuple[dt.date, dt.date] | None:
    """The period the chart covers: the matches' months, clipped to the date
    range; a short date range (drawn per day) is shown whole."""
    span = _data_span(months)
    if span is None:
        return None
    if params.date_from and params.date_to and (params.date_to - params.date_from).days <= DAY_SPAN_DAYS:
        return params.date_from, params.date_to
    first, last = span
    if params.date_from and params.date_from > first:
        first = params.date_from
    if params.date_to and params.date_to < last:
        last = params.date_to
    return first, max(first, last)


def granularity_for(first: dt.date | None, last: dt.date | None) -> str:
    if not first or not last:
        return "month"
    days = (last - first).days
    if days <= DAY_SPAN_DAYS:
        return "day"
    if days > YEAR_SPAN_DAYS:
        return "year"
    return "month"


def search_timeline(params, result, granularity: str | None = None, span=None) -> Timeline:
    months = _month_counts(result)
    span = span or plot_span(params, months)
    if span is None:
        return Timeline([], granularity or "month", undated=result.count)
    granularity = granularity or granularity_for(*span)
    if granularity == "day":
        ids = matching_ids(params, limit=result.count, sort="oldest")
        counts = day_counts(ids, params.date_from, params.date_to)
        buckets = fill_gaps(as_buckets(counts.items(), "day"), span[0], span[1]) if counts else []
    else:
        buckets = fill_gaps(as_buckets(months, granularity))
    dated = sum(b.count for b in buckets)
    return Timeline(buckets, granularity, undated=max(result.count - dated, 0))


def search_link(params, bucket: Bucket | None = None, **changes) -> str:
    """The search page for ``params`` (narrowed to ``bucket``'s dates), page 1."""
    if bucket is not None:
        changes.update(date_from=bucket.start.isoformat(), date_to=bucket.end.isoformat())
    pairs = params.to_pairs(page="", **changes)
    return reverse("search") + ("?" + urlencode(pairs) if pairs else "")


SHARE_HEADER = "النسبة من كل مقالات المصادر"


def _chart_title(q: str, granularity: str, measure: str = "count") -> str:
    words = GRANULARITY_WORDS[granularity]
    what = "نسبة المقالات المطابقة" if measure == "share" else "المقالات المطابقة"
    if q:
        return f"{what} لـ«{q}» {words}"
    return f"{what} {words}"


def coverage_note(buckets, sources=()) -> dict | None:
    """``{"starts": [...], "ends": [...]}`` for the outlets (all, or the
    ``sources`` filter) whose coverage starts or ends inside the buckets'
    range; ``None`` when there is nothing to say."""
    if not buckets:
        return None
    changes = coverage_changes(buckets[0].start, buckets[-1].end, sources)
    return changes if changes["starts"] or changes["ends"] else None


def _keep(measure: str) -> dict:
    """Bar links keep the share view."""
    return {"measure": "share"} if measure == "share" else {}


def _share_options(measure: str) -> dict:
    if measure != "share":
        return {}
    return {"value_text": share_text, "count_header": SHARE_HEADER}


def search_chart(params, result, measure: str = "count") -> dict:
    """``build_chart`` output for the results page, plus ``granularity``,
    ``undated``, ``measure`` and ``coverage`` (``coverage_note``)."""
    timeline = search_timeline(params, result)
    buckets = timeline.buckets
    if measure == "share":
        buckets = share_buckets(buckets, params.sources, params.date_from, params.date_to,
                                outlets=outlet_ids(params))
    chart = build_chart(
        buckets,
        title=_chart_title(params.q, timeline.granularity, measure),
        link_for=lambda b: search_link(params, b, **_keep(measure)),
        granularity=timeline.granularity,
        noun="article",
        **_share_options(measure),
    )
    chart.update(
        granularity=timeline.granularity, undated=timeline.undated, buckets=timeline.buckets,
        measure=measure, coverage=coverage_note(timeline.buckets, outlet_slugs(params)),
    )
    return chart


@dataclass
class CompareEntry:
    q: str
    params: object
    result: object
    url: str = ""
    timeline: Timeline | None = None


def compare_chart(entries: list[CompareEntry], measure: str = "count") -> dict:
    """One grouped chart for 2–3 searches, on a common granularity and span."""
    spans = [plot_span(e.params, _month_counts(e.result)) for e in entries]
    spans = [s for s in spans if s]
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    granularity = granularity_for(*span) if span else "month"
    for e in entries:
        e.timeline = search_timeline(e.params, e.result, granularity=granularity, span=span)
    series = [(e.q, e.timeline.buckets) for e in entries]
    if measure == "share":
        series = [
            (e.q, share_buckets(e.timeline.buckets, e.params.sources, e.params.date_from, e.params.date_to,
                                outlets=outlet_ids(e.params)))
            for e in entries
        ]
    if not any(e.timeline.buckets for e in entries):
        series = []
    chart = build_compare_chart(
        series,
        title=("نسبة " if measure == "share" else "") + f"المقارنة {GRANULARITY_WORDS[granularity]}",
        link_for=lambda s, b: search_link(entries[s].params, b, **_keep(measure)),
        granularity=granularity,
        **({"value_text": share_text} if measure == "share" else {}),
    )
    all_buckets = sorted((b for e in entries for b in e.timeline.buckets), key=lambda b: b.start)
    sources = outlet_slugs(entries[0].params) if entries else ()
    chart.update(
        granularity=granularity, series_count=len(series), measure=measure,
        coverage=coverage_note(all_buckets, sources),
    )
    return chart
