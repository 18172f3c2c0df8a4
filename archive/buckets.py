"""Chart data: article counts per period (day, month or year).

A ``Bucket`` is one period (``granularity`` ``"day"``, ``"month"`` or
``"year"``) with its count; ``as_buckets`` accepts ``Bucket`` objects,
``(date, count)`` pairs (the date may be an ISO string) or dicts with
``start``/``count``. ``bucket.start``/``bucket.end`` give the date range to put
in a search link. ``fill_gaps`` adds the empty periods, ``timeline_buckets``
counts a queryset per period. Drawing is ``archive.charts``.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from archive.formatting import month_name, to_digits

GRANULARITIES = ("day", "month", "year")


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    count: int
    granularity: str = "month"

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        if self.granularity == "day":
            return self.start
        if self.granularity == "year":
            return dt.date(self.start.year, 12, 31)
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        return dt.date(self.start.year, self.start.month, last)

    @property
    def key(self):
        return (self.granularity, self.start)

    def label(self, style: str | None = None) -> str:
        """The period in Arabic: ``5 يونيو 2023`` / ``يونيو 2023`` / ``2023``."""
        if self.granularity == "day":
            text = f"{self.start.day} {month_name(self.start.month)} {self.start.year}"
        elif self.granularity == "year":
            text = f"{self.start.year}"
        else:
            text = f"{month_name(self.start.month)} {self.start.year}"
        return to_digits(text, style)


def period_start(value: dt.date, granularity: str) -> dt.date:
    if granularity == "year":
        return dt.date(value.year, 1, 1)
    if granularity == "month":
        return dt.date(value.year, value.month, 1)
    return value


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 4:
            return dt.date(int(text), 1, 1)
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date.fromisoformat(text[:10])
    raise TypeError(f"not a date: {value!r}")


def as_buckets(items: Iterable, granularity: str = "month") -> list[Bucket]:
    """Normalise ``items`` to sorted ``Bucket`` objects (same periods summed)."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}")
    totals: dict[dt.date, int] = {}
    gran = granularity
    for item in items or ():
        if isinstance(item, Bucket):
            start, count, gran = item.start, item.count, item.granularity
        elif isinstance(item, dict):
            start, count = _as_date(item["start"]), item.get("count", 0)
        else:
            start, count = item
            start = _as_date(start)
        start = period_start(start, gran)
        totals[start] = totals.get(start, 0) + max(int(count or 0), 0)
    return [Bucket(start, totals[start], gran) for start in sorted(totals)]


def _next_period(value: dt.date, granularity: str) -> dt.date:
    if granularity == "day":
        return value + dt.timedelta(days=1)
    if granularity == "year":
        return dt.date(value.year + 1, 1, 1)
    if value.month == 12:
        return dt.date(value.year + 1, 1, 1)
    return dt.date(value.year, value.month + 1, 1)


def fill_gaps(buckets: Sequence[Bucket], start: dt.date | None = None, end: dt.date | None = None) -> list[Bucket]:
    """A continuous run of periods (empty periods get 0) from first to last."""
    buckets = as_buckets(buckets, buckets[0].granularity if buckets else "month")
    if not buckets:
        return []
    gran = buckets[0].granularity
    counts = {b.start: b.count for b in buckets}
    current = period_start(start, gran) if start else buckets[0].start
    last = period_start(end, gran) if end else buckets[-1].start
    filled = []
    while current <= last:
        filled.append(Bucket(current, counts.get(current, 0), gran))
        current = _next_period(current, gran)
    return filled


def choose_granularity(first: dt.date | None, last: dt.date | None) -> str:
    """Days for a span of up to two months, years beyond ten years, months otherwise."""
    if not first or not last:
        return "month"
    span = (last - first).days
    if 0 < span <= 62:
        return "day"
    if span > 3660:
        return "year"
    return "month"


def timeline_buckets(queryset, field: str = "published", granularity: str | None = None) -> list[Bucket]:
    """Counts of ``queryset`` per period of the date ``field`` (gaps filled).

    Rows whose date is unknown are left out. ``granularity`` is chosen from the
    span when not given.
    """
    from django.db.models import Count, Max, Min
    from django.db.models.functions import TruncDay, TruncMonth, TruncYear

    dated = queryset.exclude(**{f"{field}__isnull": True})
    if granularity is None:
        span = dated.aggregate(first=Min(field), last=Max(field))
        granularity = choose_granularity(span["first"], span["last"])
    trunc = {"day": TruncDay, "month": TruncMonth, "year": TruncYear}[granularity]
    rows = (
        dated.order_by()
        .annotate(period=trunc(field))
        .values("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n")
    )
    return fill_gaps(as_buckets(rows, granularity))
