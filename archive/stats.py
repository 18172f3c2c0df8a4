"""Counts of the public archive for the pages, from a few grouped queries,
kept until the data changes (``archive.pagecache``).

- ``totals()``: a ``Totals`` built from one query, public articles counted
  per (outlet, day) over the covering index ``article_public_source_day``
  (a few thousand rows at 70k articles): the archive's count, undated and
  outlet-less counts, first and last date, and per outlet its count and span
  (``SourceStats``); ``days(source_id)`` gives ``{day: n}`` of one outlet (or
  all) for charts.
- ``day_buckets(days, granularity=None)``: chart buckets from ``{day: n}``,
  the same as ``archive.buckets.timeline_buckets`` over those articles.
- ``tag_counts(kind)``: ``{country code | topic id: public articles}``, all
  tag rows counted by the tag's index minus those of hidden articles.
- ``ranked(model, counts, name_field, limit=None)``: the rows of ``model``
  with a count, largest first, ties in the database's order of the name.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from archive.buckets import as_buckets, choose_granularity, fill_gaps
from archive.pagecache import cached

ALL = object()  # days(ALL): every outlet, with or without one


@dataclass(frozen=True)
class SourceStats:
    n: int
    first: dt.date | None
    last: dt.date | None


@dataclass
class Totals:
    rows: list = field(default_factory=list)  # [(source_id | None, day | None, n)]

    def __post_init__(self):
        self.article_count = sum(n for _s, _d, n in self.rows)
        self.undated_count = sum(n for _s, d, n in self.rows if d is None)
        self.without_source = sum(n for s, _d, n in self.rows if s is None)
        dated = [d for _s, d, _n in self.rows if d is not None]
        self.first = min(dated, default=None)
        self.last = max(dated, default=None)
        per: dict = {}
        for source, day, n in self.rows:
            if source is None:
                continue
            count, first, last = per.get(source, (0, None, None))
            if day is not None:
                first = day if first is None or day < first else first
                last = day if last is None or day > last else last
            per[source] = (count + n, first, last)
        self.per_source = {s: SourceStats(*v) for s, v in per.items()}

    @property
    def source_count(self) -> int:
        return len(self.per_source)

    def source(self, source_id) -> SourceStats:
        return self.per_source.get(source_id, SourceStats(0, None, None))

    def days(self, source_id=ALL) -> Counter:
        """``{day: n}`` of the dated public articles of one outlet (or all)."""
        counts: Counter = Counter()
        for source, day, n in self.rows:
            if day is not None and (source_id is ALL or source == source_id):
                counts[day] += n
        return counts


def _as_day(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _build_totals() -> Totals:
    from archive.models import Article

    rows = (
        Article.objects.filter(is_hidden=False).order_by()
        .values_list("source_id", "published").annotate(n=Count("*"))
    )
    return Totals([(source, _as_day(day), n) for source, day, n in rows])


def totals() -> Totals:
    return cached("archive.stats.totals", _build_totals)


def day_buckets(days, granularity: str | None = None) -> list:
    """Gap-filled buckets of ``{day: n}``; the granularity from the span when
    not given (as ``timeline_buckets``)."""
    if not days:
        return []
    if granularity is None:
        granularity = choose_granularity(min(days), max(days))
    return fill_gaps(as_buckets(days.items(), granularity))


def _build_tag_counts(kind: str) -> dict:
    from archive.models import Article, ArticleCountry

    through, key = (ArticleCountry, "country_id") if kind == "country" else (Article.topics.through, "topic_id")
    counts = Counter(dict(through.objects.order_by().values_list(key).annotate(n=Count("*"))))
    # hidden ids from the is_hidden index (a join would read every article row)
    hidden_ids = Article.objects.filter(is_hidden=True).values("pk")
    hidden = through.objects.filter(article_id__in=hidden_ids).order_by().values_list(key).annotate(n=Count("*"))
    counts.subtract(dict(hidden))
    return {k: n for k, n in counts.items() if n > 0}


def tag_counts(kind: str) -> dict:
    """``kind`` ``"country"`` or ``"topic"``."""
    return cached("archive.stats.tags", lambda: _build_tag_counts(kind), kind)


def ranked(queryset, counts: dict, name_field: str, limit: int | None = None) -> list:
    """The rows of ``queryset`` whose pk has a count, each with ``n`` set,
    largest first (ties in the database's order of ``name_field``)."""
    rows = []
    for obj in queryset.filter(pk__in=list(counts)).order_by(name_field):
        obj.n = counts[obj.pk]
        rows.append(obj)
    rows.sort(key=lambda o: -o.n)  # stable: ties keep the name order
    return rows[:limit] if limit is not None else rows
