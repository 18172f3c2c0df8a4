"""Attention as a share: matching articles per period against every public
article of that period from the same outlets.

- ``period_counts(ids, interval, ...)``: ``{period start: n}`` for the
  matching ids (one aggregate query per ``ID_CHUNK`` ids).
- ``period_totals(interval, sources=(), ...)``: ``{period start: n}`` for all
  public dated articles, from the counts per outlet and day kept until the
  data changes (``archive.stats.totals``). Only the outlet filters apply (``source``,
  and ``outlet_country``/``collection`` as ``outlets``, see
  ``search.people.outlet_ids``): the query, country, topic and person filters do not (the date range only trims the periods,
  for the matches and the totals alike).
- ``share(count, total)``: ``count / total`` rounded to ``SHARE_PLACES``
  (0 when total is 0).
- ``attention_series(params, interval)``: the ``GET /api/timeline/`` body.
- ``share_buckets(buckets, sources, ...)``: chart buckets whose count is the
  share in ``SHARE_SCALE`` parts, and ``share_text`` to write one as a
  percentage.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear

from archive.batching import chunked
from archive.buckets import Bucket
from archive.formatting import to_digits
from archive.stats import totals as outlet_day_totals
from search.people import outlet_ids
from search.service import InvalidSearch, ranked_ids

INTERVALS = ("day", "week", "month")
DEFAULT_INTERVAL = "month"
SHARE_PLACES = 6
SHARE_SCALE = 10_000  # chart buckets keep a share as an integer number of 1/10000
ID_CHUNK = 10_000
MEASURES = ("count", "share")

_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}


def parse_interval(raw) -> str:
    value = (raw or "").strip() or DEFAULT_INTERVAL
    if value not in INTERVALS:
        raise InvalidSearch("الفاصل الزمني يجب أن يكون day (يوم) أو week (أسبوع) أو month (شهر).")
    return value


def parse_measure(raw) -> str:
    """``count`` (default) or ``share``; anything else falls back to ``count``."""
    value = (raw or "").strip()
    return value if value in MEASURES else "count"


def period_start(value: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return value - dt.timedelta(days=value.weekday())
    if interval == "month":
        return value.replace(day=1)
    if interval == "year":
        return dt.date(value.year, 1, 1)
    return value


def next_period(value: dt.date, interval: str) -> dt.date:
    if interval == "day":
        return value + dt.timedelta(days=1)
    if interval == "week":
        return value + dt.timedelta(days=7)
    if interval == "year":
        return dt.date(value.year + 1, 1, 1)
    return dt.date(value.year + (value.month == 12), value.month % 12 + 1, 1)


def _public(date_from=None, date_to=None):
    from archive.models import Article

    rows = Article.objects.filter(is_hidden=False, published__isnull=False)
    if date_from:
        rows = rows.filter(published__gte=date_from)
    if date_to:
        rows = rows.filter(published__lte=date_to)
    return rows


def _grouped(rows, interval: str) -> Counter:
    counts: Counter = Counter()
    grouped = rows.order_by().annotate(period=_TRUNC[interval]("published")).values("period")
    for period, n in grouped.annotate(n=Count("pk")).values_list("period", "n"):
        period = period.date() if isinstance(period, dt.datetime) else period
        counts[period_start(period, interval)] += n
    return counts


def period_counts(ids, interval: str, date_from=None, date_to=None) -> Counter:
    counts: Counter = Counter()
    for chunk in chunked(list(ids), ID_CHUNK):
        counts.update(_grouped(_public(date_from, date_to).filter(pk__in=chunk), interval))
    return counts


def period_totals(interval: str, sources=(), date_from=None, date_to=None, outlets=None) -> Counter:
    """From the cached counts per outlet and day (``archive.stats.totals``);
    ``outlets``: the outlet ids left by the outlet-country and collection
    filters (``search.people.outlet_ids``), None for every outlet."""
    from archive.models import Source

    wanted = set(Source.objects.filter(slug__in=list(sources)).values_list("pk", flat=True)) if sources else None
    if outlets is not None:
        wanted = set(outlets) if wanted is None else wanted & set(outlets)
    counts: Counter = Counter()
    for source, day, n in outlet_day_totals().rows:
        if day is None or (wanted is not None and source not in wanted):
            continue
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        counts[period_start(day, interval)] += n
    return counts


def share(count: int, total: int) -> float:
    return round(count / total, SHARE_PLACES) if total else 0.0


def periods_between(first: dt.date, last: dt.date, interval: str) -> list[dt.date]:
    current, periods = period_start(first, interval), []
    while current <= last:
        periods.append(current)
        current = next_period(current, interval)
    return periods


def attention_series(params, interval: str) -> dict:
    """``{"query", "interval", "series": [{"period", "count", "total", "share"}]}``:
    every period from the first to the last with a match."""
    ids = ranked_ids(params, sort="oldest")[1]
    counts = period_counts(ids, interval, params.date_from, params.date_to)
    series = []
    if counts:
        totals = period_totals(interval, params.sources, params.date_from, params.date_to,
                               outlets=outlet_ids(params))
        for period in periods_between(min(counts), max(counts), interval):
            n, total = counts.get(period, 0), totals.get(period, 0)
            series.append({"period": period.isoformat(), "count": n, "total": total, "share": share(n, total)})
    return {"query": params.q, "interval": interval, "series": series}


def share_buckets(buckets, sources=(), date_from=None, date_to=None, outlets=None) -> list[Bucket]:
    """The chart's buckets with the share (in ``SHARE_SCALE`` parts) as count."""
    if not buckets:
        return []
    granularity = buckets[0].granularity
    totals = period_totals(granularity, sources, date_from, date_to, outlets=outlets)
    return [
        Bucket(b.start, round(share(b.count, totals.get(b.start, 0)) * SHARE_SCALE), granularity)
        for b in buckets
    ]


def share_text(value: int, style: str | None = None) -> str:
    """A share kept in ``SHARE_SCALE`` parts as an Arabic percentage: ``12.5٪``."""
    percent = f"{value * 100 / SHARE_SCALE:.2f}".rstrip("0").rstrip(".")
    text = to_digits(percent, style)
    if text != percent:  # Arabic-Indic digits take the Arabic decimal separator
        text = text.replace(".", "٫")
    return f"{text}٪"
