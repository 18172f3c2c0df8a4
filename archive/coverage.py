"""Which outlets cover which periods: the home page's heat map and the
outlets whose coverage starts or ends inside a chart's range.

- ``outlet_spans(slugs=None)``: ``{slug: OutletSpan}`` (name, first and last
  date of its public articles), from ``archive.stats.totals()``.
- ``coverage_changes(first, last, slugs=None)``: the outlets whose coverage
  starts or ends strictly inside ``first``..``last`` (two lists of names).
- ``coverage_grid()``: outlets × months with counts, from the totals' counts
  per outlet and day, kept until the data changes (``archive.pagecache``).
- ``coverage_table_html(grid)``: the heat map as an accessible HTML table
  with shaded cells (classes, no inline style), counts as text and title.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive import pagecache
from archive.buckets import Bucket, fill_gaps
from archive.formatting import count_noun, format_number
from archive.pagecache import cached
from archive.stats import totals

SHADES = 5  # cell classes cov-0 (no article) .. cov-5 (the busiest month)


@dataclass(frozen=True)
class OutletSpan:
    slug: str
    name: str
    first: dt.date
    last: dt.date


def _source_names(ids) -> dict:
    from archive.models import Source

    return {pk: (slug, name) for pk, slug, name in Source.objects.filter(pk__in=list(ids)).values_list("pk", "slug", "name")}


def outlet_spans(slugs=None) -> dict[str, OutletSpan]:
    spans = {sid: s for sid, s in totals().per_source.items() if s.first is not None}
    out = {}
    for sid, (slug, name) in _source_names(spans).items():
        if not slugs or slug in slugs:
            out[slug] = OutletSpan(slug, name, spans[sid].first, spans[sid].last)
    return out


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


def _build_grid() -> CoverageGrid:
    per_outlet: dict = {}
    for source, day, n in totals().rows:
        if source is not None and day is not None:
            counts = per_outlet.setdefault(source, {})
            month = dt.date(day.year, day.month, 1)
            counts[month] = counts.get(month, 0) + n
    outlets = {names[0]: (names[1], per_outlet[sid]) for sid, names in _source_names(per_outlet).items()}
    all_months = sorted({m for _, counts in outlets.values() for m in counts})
    months = [b.start for b in fill_gaps([Bucket(m, 0, "month") for m in all_months])] if all_months else []
    ordered = sorted(
        ((slug, name, counts, sum(counts.values())) for slug, (name, counts) in outlets.items()),
        key=lambda r: (-r[3], r[1]),
    )
    return CoverageGrid(months, ordered)


def coverage_grid() -> CoverageGrid:
    return cached("archive.coverage.grid", _build_grid)


def clear_cache() -> None:
    """Forget every cached page part (``archive.pagecache.clear``)."""
    pagecache.clear()


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
    labels = [escape(Bucket(m, 0).label(digits)) for m in grid.months]  # once per month, not per cell
    head = "".join(f'<th scope="col"><span class="cov-month">{label}</span></th>' for label in labels)
    empty = escape(count_noun(0, "article", digits))
    body = []
    for slug, name, counts, total in grid.rows:
        label = f"{name} ({count_noun(total, 'article', digits)})"
        href = link_for(slug) if link_for else None
        head_cell = f'<a href="{escape(href)}">{escape(name)}</a>' if href else escape(name)
        cells = []
        row_name = escape(name)
        for m, month_label in zip(grid.months, labels, strict=True):
            n = counts.get(m, 0)
            # escaping the parts equals escaping the whole title
            where = f"{row_name} — {month_label}: "
            if not n:
                cells.append(f'<td class="cov-0" title="{where}{empty}"></td>')
                continue
            title = where + escape(count_noun(n, "article", digits))
            cells.append(f'<td class="cov-{shade(n, peak)}" title="{title}">{escape(format_number(n, digits))}</td>')
        body.append(f'<tr><th scope="row" title="{escape(label)}">{head_cell}</th>{"".join(cells)}</tr>')
    return mark_safe(
        '<table class="coverage-table"><caption>عدد مقالات كل مصدر في كل شهر</caption>'
        f'<thead><tr><th scope="col">المصدر</th>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )
