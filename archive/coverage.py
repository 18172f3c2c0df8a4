"""Which outlets cover which periods: the home page's heat map and the
outlets whose coverage starts or ends inside a chart's range.

- ``outlet_spans(slugs=None)``: ``{slug: OutletSpan}`` (name, first and last
  date of its public articles), one grouped query.
- ``coverage_changes(first, last, slugs=None)``: the outlets whose coverage
  starts or ends strictly inside ``first``..``last`` (two lists of names).
- ``coverage_grid()``: outlets × months with counts, one grouped query
  (outlet, month, count), kept per process for ``CACHE_SECONDS``.
- ``coverage_table_html(grid)``: the heat map as an accessible HTML table
  with shaded cells (classes, no inline style), counts as text and title.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.buckets import Bucket, fill_gaps
from archive.formatting import count_noun, format_number

CACHE_SECONDS = 60
SHADES = 5  # cell classes cov-0 (no article) .. cov-5 (the busiest month)


@dataclass(frozen=True)
class OutletSpan:
    slug: str
    name: str
    first: dt.date
    last: dt.date


def _public_dated():
    from archive.models import Article

    return Article.objects.filter(is_hidden=False, published__isnull=False, source__isnull=False)


def outlet_spans(slugs=None) -> dict[str, OutletSpan]:
    rows = _public_dated()
    if slugs:
        rows = rows.filter(source__slug__in=list(slugs))
    rows = (
        rows.order_by().values("source__slug", "source__name")
        .annotate(first=Min("published"), last=Max("published"))
    )
    return {
        r["source__slug"]: OutletSpan(r["source__slug"], r["source__name"], r["first"], r["last"])
        for r in rows
    }


def coverage_changes(first: dt.date, last: dt.date, slugs=None) -> dict:
    """``{"starts": [names], "ends": [names]}``: outlets whose first article
    falls after ``first`` (and by ``last``), or whose last one falls before
    ``last`` (and from ``first``)."""
    spans = list(outlet_spans(slugs).values())
    starts = [s.name for s in sorted(spans, key=lambda s: (s.first, s.name)) if first < s.first <= last]
    ends = [s.name for s in sorted(spans, key=lambda s: (s.last, s.name)) if first <= s.last < last]
    return {"starts": starts, "ends": ends}


@dataclass
class CoverageGrid:
    months: list  # first day of each month, oldest first, gap-free
    rows: list  # [(slug, name, {month: count}, total)], largest outlet first

    @property
    def peak(self) -> int:
        return max((n for _, _, counts, _ in self.rows for n in counts.values()), default=0)


_cache: dict = {}
_lock = threading.Lock()


def _build_grid() -> CoverageGrid:
    rows = (
        _public_dated().order_by()
        .annotate(month=TruncMonth("published"))
        .values_list("source__slug", "source__name", "month")
        .annotate(n=Count("pk"))
    )
    outlets: dict[str, tuple[str, dict]] = {}
    for slug, name, month, n in rows:
        month = month.date() if isinstance(month, dt.datetime) else month
        outlets.setdefault(slug, (name, {}))[1][month] = n
    all_months = sorted({m for _, counts in outlets.values() for m in counts})
    months = [b.start for b in fill_gaps([Bucket(m, 0, "month") for m in all_months])] if all_months else []
    ordered = sorted(
        ((slug, name, counts, sum(counts.values())) for slug, (name, counts) in outlets.items()),
        key=lambda r: (-r[3], r[1]),
    )
    return CoverageGrid(months, ordered)


def coverage_grid(max_age: float = CACHE_SECONDS) -> CoverageGrid:
    now = time.monotonic()
    with _lock:
        hit = _cache.get("grid")
        if hit and now - hit[0] < max_age:
            return hit[1]
    grid = _build_grid()
    with _lock:
        _cache["grid"] = (now, grid)
    return grid


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def shade(count: int, peak: int) -> int:
    """0 for no article, else 1..SHADES by the share of the busiest month."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(SHADES, -(-count * SHADES // peak)))


def coverage_table_html(grid: CoverageGrid, link_for=None, digits: str | None = None) -> SafeString:
    """Outlets (rows) × months (columns, oldest at the reading start)."""
    if not grid.rows:
        return mark_safe("")
    peak = grid.peak
    head = "".join(
        f'<th scope="col"><span class="cov-month">{escape(Bucket(m, 0).label(digits))}</span></th>'
        for m in grid.months
    )
    body = []
    for slug, name, counts, total in grid.rows:
        label = f"{name} ({count_noun(total, 'article', digits)})"
        href = link_for(slug) if link_for else None
        head_cell = f'<a href="{escape(href)}">{escape(name)}</a>' if href else escape(name)
        cells = []
        for m in grid.months:
            n = counts.get(m, 0)
            title = f"{name} — {Bucket(m, 0).label(digits)}: {count_noun(n, 'article', digits)}"
            text = format_number(n, digits) if n else ""
            cells.append(f'<td class="cov-{shade(n, peak)}" title="{escape(title)}">{escape(text)}</td>')
        body.append(f'<tr><th scope="row" title="{escape(label)}">{head_cell}</th>{"".join(cells)}</tr>')
    return mark_safe(
        '<table class="coverage-table"><caption>عدد مقالات كل مصدر في كل شهر</caption>'
        f'<thead><tr><th scope="col">المصدر</th>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )
