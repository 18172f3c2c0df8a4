"""Server-side SVG charts: article counts over time, single or compared.

Plain functions, no JavaScript and no chart library: the markup is built here,
escaped here, and returned as a ``SafeString`` to drop into a template.

Direction of time. The pages are right-to-left, and so is time in the charts:
the earliest period is at the right edge and the latest at the left, the way
an Arabic reader reads a line (and the way a row of the data table reads).
``rtl=False`` gives the usual left-to-right axis for an LTR context.

Layout. The SVG has no ``viewBox``: it is ``width="100%"`` with a fixed pixel
height, and horizontal positions are percentages. Bars stretch with the page
while the labels keep their real font size, so the chart stays readable from a
360px phone to a wide desktop. Axis labels are thinned to fit a phone.

Accessibility. The ``<svg>`` has ``role="img"`` and an ``aria-label`` that
summarises the data; each bar has a ``<title>`` tooltip ("يونيو 2023: 12
مقالاً"). Bar links are for the mouse (``tabindex="-1"``): keyboard and
screen-reader users get the same links in the data table
(``chart_table_html``) that ``partials/chart.html`` shows in a ``<details>``
element under the chart.

Buckets (the data, ``archive.buckets``): a ``Bucket`` is one period
(``granularity`` ``"day"``, ``"month"`` or ``"year"``) with its count;
``as_buckets`` accepts ``Bucket`` objects, ``(date, count)`` pairs or dicts;
``bucket.start``/``bucket.end`` give the date range to put in a search link.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.buckets import Bucket, as_buckets, fill_gaps
from archive.formatting import active_digit_style, count_noun, format_number, month_name, to_digits

SVG_NS = "http://www.w3.org/2000/svg"

BAR_COLOR = "#0b6e69"
# Distinct in hue and lightness, each at least 4.5:1 against white.
SERIES_COLORS = ("#0b6e69", "#a4461b", "#5b3f9e")

FONT_FAMILY = "'Noto Sans Arabic', 'Noto Naskh Arabic', 'Geeza Pro', 'Segoe UI', Tahoma, sans-serif"


# --- drawing helpers ---------------------------------------------------------------

def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _pct(value: float) -> str:
    return f"{_num(value)}%"


def _attr(value) -> str:
    return escape(str(value))


def _safe_href(url) -> str | None:
    """Only same-site paths and http(s) URLs become links."""
    if not url:
        return None
    url = str(url)
    if url.startswith(("/", "?", "#", "http://", "https://")) and not url.startswith("//"):
        return url
    return None


def nice_ceiling(value: int) -> int:
    """The smallest "round" integer ≥ value: 1, 2, 3, 4, 5, 6, 8 × 10ⁿ (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 3, 4, 5, 6, 8):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _ticks(top: int) -> list[int]:
    if top % 2 == 0:
        return [0, top // 2, top]
    return [0, top]


def _axis_labels(buckets: Sequence[Bucket], style: str | None) -> list[tuple[int, str, str]]:
    """(index, first line, second line) for the labelled buckets.

    At most about eight labels so that they never collide on a phone: every
    period when there are few, otherwise the period that opens a larger unit
    (January for months, the 1st for days), thinned to every k-th.
    """
    n = len(buckets)
    if not n:
        return []
    gran = buckets[0].granularity
    labels: list[tuple[int, str, str]] = []
    if gran == "year":
        step = max(1, -(-n // 8))
        for i, b in enumerate(buckets):
            if i % step == 0:
                labels.append((i, to_digits(b.start.year, style), ""))
        return labels
    if n <= 6:
        previous = None
        for i, b in enumerate(buckets):
            if gran == "day":
                first = to_digits(b.start.day, style)
                outer = month_name(b.start.month)
                second = outer if (b.start.year, b.start.month) != previous else ""
                previous = (b.start.year, b.start.month)
            else:
                first = month_name(b.start.month)
                second = to_digits(b.start.year, style) if b.start.year != previous else ""
                previous = b.start.year
            labels.append((i, first, second))
        return labels
    # Many periods: label where the larger unit starts (and the first period).
    if gran == "day":
        opens = [i for i, b in enumerate(buckets) if i == 0 or b.start.day == 1]
        step = max(1, -(-len(opens) // 6))
        for k, i in enumerate(opens[::step]):
            b = buckets[i]
            labels.append((i, month_name(b.start.month), to_digits(b.start.year, style) if k == 0 or b.start.month == 1 else ""))
        return labels
    opens = [i for i, b in enumerate(buckets) if i == 0 or b.start.month == 1]
    if len(opens) == 1 and n <= 12:
        # Within a single year: every other month name.
        step = 2 if n > 6 else 1
        return [
            (i, month_name(b.start.month), to_digits(b.start.year, style) if i == 0 else "")
            for i, b in enumerate(buckets) if i % step == 0
        ]
    step = max(1, -(-len(opens) // 8))
    for i in opens[::step]:
        labels.append((i, to_digits(buckets[i].start.year, style), ""))
    return labels


def _empty_svg(title: str, height: int, message: str, class_: str) -> SafeString:
    t = _attr(title)
    return mark_safe(
        f'<svg xmlns="{SVG_NS}" class="{_attr(class_)} chart-empty" width="100%" height="{height}" '
        f'role="img" aria-label="{t}: {_attr(message)}" direction="rtl" font-family="{_attr(FONT_FAMILY)}">'
        f"<title>{t}</title>"
        f'<text x="50%" y="{height // 2}" text-anchor="middle" fill="#4a4a4a" font-size="15">{_attr(message)}</text>'
        "</svg>"
    )


def _value(count: int, noun: str, style: str | None, value_text=None) -> str:
    """A bar's value in words: ``value_text(count)`` when given (e.g. a share),
    else the counted noun."""
    return value_text(count) if value_text else count_noun(count, noun, style)


def _summary(title: str, buckets: Sequence[Bucket], noun: str, style: str | None, value_text=None) -> str:
    peak = max(buckets, key=lambda b: b.count)
    text = f"{title}: من {buckets[0].label(style)} إلى {buckets[-1].label(style)}"
    if not value_text:
        text += f"، المجموع {count_noun(sum(b.count for b in buckets), noun, style)}"
    if peak.count:
        text += f"، والأعلى {peak.label(style)} ({_value(peak.count, noun, style, value_text)})"
    return text


def _frame_open(class_, height, aria_label, title, rtl, extra=""):
    direction = "rtl" if rtl else "ltr"
    return (
        f'<svg xmlns="{SVG_NS}" class="{_attr(class_)}" width="100%" height="{height}" role="img" '
        f'aria-label="{_attr(aria_label)}" direction="{direction}" font-family="{_attr(FONT_FAMILY)}" '
        f'font-size="12"{extra}>'
        f"<title>{_attr(title)}</title>"
    )


def _grid(parts, top_value, plot_top, plot_bottom):
    plot_h = plot_bottom - plot_top
    for tick in _ticks(top_value):
        y = plot_bottom - plot_h * tick / top_value
        parts.append(
            f'<line class="grid" x1="0" x2="100%" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{"#5c5c5c" if tick == 0 else "#d5d2cb"}" stroke-width="1"/>'
        )


def _tick_labels(parts, top_value, plot_top, plot_bottom, rtl, style, value_text=None):
    """The scale: the value of the top grid line, written just above it.

    Only the top line is labelled: above it no bar can reach, so the label
    never sits on a bar (the middle line is left unlabelled; tooltips and the
    data table give exact counts).
    """
    label_x = "100%" if rtl else "0"
    dx = "-2" if rtl else "2"
    parts.append(
        f'<text class="tick" x="{label_x}" dx="{dx}" y="{_num(plot_top - 6)}" text-anchor="start" fill="#4a4a4a">'
        f"{_attr(value_text(top_value) if value_text else format_number(top_value, style))}</text>"
    )


def _slot_left(i, slot, offset, rtl):
    """Left edge (in %) of the i-th period's slot; period 0 is at the reading start."""
    return 100 - offset - (i + 1) * slot if rtl else offset + i * slot


def _layout(n, min_slots):
    """(slot width, outer offset) in %: few periods are centred, not stretched."""
    slot = 100 / max(n, min_slots, 1)
    return slot, (100 - n * slot) / 2


def _labels(parts, buckets, slot, offset, rtl, label_y, style):
    for i, first, second in _axis_labels(buckets, style):
        center = _slot_left(i, slot, offset, rtl) + slot / 2
        parts.append(
            f'<text class="axis-label" x="{_pct(center)}" y="{label_y}" text-anchor="middle" fill="#333333">{_attr(first)}</text>'
        )
        if second:
            parts.append(
                f'<text class="axis-label axis-label-outer" x="{_pct(center)}" y="{label_y + 16}" '
                f'text-anchor="middle" fill="#4a4a4a">{_attr(second)}</text>'
            )


def _bar(parts, *, x, width, y, height, plot_top, plot_h, color, tooltip, href, class_="bar"):
    inner = (
        f"<title>{_attr(tooltip)}</title>"
        f'<rect class="hit" x="{_pct(x)}" y="{_num(plot_top)}" width="{_pct(width)}" height="{_num(plot_h)}" fill="transparent"/>'
        f'<rect class="value" x="{_pct(x)}" y="{_num(y)}" width="{_pct(width)}" height="{_num(height)}" fill="{color}"/>'
    )
    if href:
        parts.append(f'<a class="{class_}" href="{_attr(href)}" tabindex="-1">{inner}</a>')
    else:
        parts.append(f'<g class="{class_}">{inner}</g>')


# --- charts -------------------------------------------------------------------------

def bar_chart_svg(
    buckets: Iterable,
    *,
    title: str,
    link_for: Callable[[Bucket], str | None] | None = None,
    height: int = 220,
    rtl: bool = True,
    noun: str = "article",
    digits: str | None = None,
    granularity: str = "month",
    empty_text: str = "لا توجد بيانات مؤرّخة",
    class_: str = "chart bar-chart",
    min_slots: int = 12,
    value_text: Callable[[int], str] | None = None,
) -> SafeString:
    """One bar per bucket, time running right to left (``rtl=True``).

    ``link_for(bucket)`` may return a URL for the bar (or ``None``). ``digits``
    forces ``"arab"``/``"latn"`` (default: the reader's active choice).
    ``height`` is the drawing height in px, axis labels included. With fewer
    than ``min_slots`` buckets the bars keep the width they would have among
    ``min_slots`` and are centred. ``value_text(count)`` writes a value (e.g.
    a share kept as an integer) instead of a count of ``noun``.
    """
    buckets = as_buckets(buckets, granularity)
    if not buckets:
        return _empty_svg(title, min(height, 120), empty_text, class_)
    plot_top, label_space = 24, 40
    plot_bottom = height - label_space
    plot_h = plot_bottom - plot_top
    top_value = nice_ceiling(max(b.count for b in buckets))
    n = len(buckets)
    slot, offset = _layout(n, min_slots)
    gap = slot * (0.12 if n > 60 else 0.22)

    parts = [_frame_open(class_, height, _summary(title, buckets, noun, digits, value_text), title, rtl)]
    _grid(parts, top_value, plot_top, plot_bottom)
    parts.append('<g class="bars">')
    for i, b in enumerate(buckets):
        x = _slot_left(i, slot, offset, rtl) + gap / 2
        bar_h = plot_h * b.count / top_value
        if b.count and bar_h < 2:
            bar_h = 2
        tooltip = f"{b.label(digits)}: {_value(b.count, noun, digits, value_text)}"
        href = _safe_href(link_for(b)) if link_for and b.count else None
        _bar(
            parts, x=x, width=slot - gap, y=plot_bottom - bar_h, height=bar_h,
            plot_top=plot_top, plot_h=plot_h, color=BAR_COLOR, tooltip=tooltip, href=href,
        )
    parts.append("</g>")
    _tick_labels(parts, top_value, plot_top, plot_bottom, rtl, digits, value_text)
    _labels(parts, buckets, slot, offset, rtl, plot_bottom + 16, digits)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _align(series: Sequence[tuple[str, Iterable]], granularity: str):
    """Series on one common, gap-free run of periods."""
    normalised = [(str(label), as_buckets(items, granularity)) for label, items in series]
    all_buckets = [b for _, buckets in normalised for b in buckets]
    if not all_buckets:
        return [], normalised
    gran = all_buckets[0].granularity
    first = min(b.start for b in all_buckets)
    last = max(b.start for b in all_buckets)
    periods = [b.start for b in fill_gaps([Bucket(first, 0, gran), Bucket(last, 0, gran)])]
    aligned = []
    for label, buckets in normalised:
        counts = {b.start: b.count for b in buckets}
        aligned.append((label, [Bucket(p, counts.get(p, 0), gran) for p in periods]))
    return periods, aligned


def compare_chart_svg(
    series: Sequence[tuple[str, Iterable]],
    *,
    title: str,
    link_for: Callable[[int, Bucket], str | None] | None = None,
    height: int = 260,
    rtl: bool = True,
    noun: str = "article",
    digits: str | None = None,
    granularity: str = "month",
    empty_text: str = "لا توجد بيانات مؤرّخة",
    class_: str = "chart compare-chart",
    min_slots: int = 8,
    value_text: Callable[[int], str] | None = None,
) -> SafeString:
    """Grouped bars for 2–3 series (e.g. queries) over the same periods.

    ``series`` is ``[(label, buckets), ...]``; periods missing from a series
    count 0. ``link_for(series_index, bucket)`` may return a URL. A legend
    (swatch + label) sits above the plot; in each period's group the first
    series is on the reading-start side.
    """
    if not series:
        return _empty_svg(title, 120, empty_text, class_)
    if len(series) > len(SERIES_COLORS):
        raise ValueError(f"at most {len(SERIES_COLORS)} series")
    periods, aligned = _align(series, granularity)
    if not periods:
        return _empty_svg(title, 120, empty_text, class_)

    legend_h = 20 * len(aligned) + 8
    plot_top, label_space = legend_h + 22, 40
    height = max(height, plot_top + 120 + label_space)
    plot_bottom = height - label_space
    plot_h = plot_bottom - plot_top
    top_value = nice_ceiling(max(b.count for _, buckets in aligned for b in buckets))
    n, k = len(periods), len(aligned)
    slot, outer = _layout(n, min_slots)
    gap = slot * (0.12 if n > 40 else 0.24)
    sub = (slot - gap) / k

    summaries = []
    for label, buckets in aligned:
        if value_text:
            peak = max(b.count for b in buckets)
            summaries.append(f"{label}: الأعلى {value_text(peak)}")
        else:
            summaries.append(f"{label}: {count_noun(sum(b.count for b in buckets), noun, digits)}")
    first_label = aligned[0][1][0].label(digits)
    last_label = aligned[0][1][-1].label(digits)
    aria = f"{title}: من {first_label} إلى {last_label}؛ " + "، ".join(summaries)

    parts = [_frame_open(class_, height, aria, title, rtl)]
    # Legend, one row per series, aligned to the reading start.
    parts.append('<g class="legend">')
    for s, (label, _buckets) in enumerate(aligned):
        y = 14 + 20 * s
        color = SERIES_COLORS[s]
        if rtl:
            parts.append(
                f'<rect x="100%" y="{y - 10}" width="12" height="12" transform="translate(-12 0)" fill="{color}"/>'
                f'<text x="100%" dx="-18" y="{y}" text-anchor="start" fill="#1f1f1f" font-size="13">{_attr(label)}</text>'
            )
        else:
            parts.append(
                f'<rect x="0" y="{y - 10}" width="12" height="12" fill="{color}"/>'
                f'<text x="0" dx="18" y="{y}" text-anchor="start" fill="#1f1f1f" font-size="13">{_attr(label)}</text>'
            )
    parts.append("</g>")
    _grid(parts, top_value, plot_top, plot_bottom)
    for s, (label, buckets) in enumerate(aligned):
        parts.append(f'<g class="series series-{s + 1}">')
        for i, b in enumerate(buckets):
            # Series s sits s sub-bars in from the slot's reading-start edge.
            inset = gap / 2 + s * sub
            left = _slot_left(i, slot, outer, rtl)
            x = left + slot - inset - sub if rtl else left + inset
            bar_h = plot_h * b.count / top_value
            if b.count and bar_h < 2:
                bar_h = 2
            tooltip = f"{label} — {b.label(digits)}: {_value(b.count, noun, digits, value_text)}"
            href = _safe_href(link_for(s, b)) if link_for and b.count else None
            _bar(
                parts, x=x, width=sub, y=plot_bottom - bar_h, height=bar_h,
                plot_top=plot_top, plot_h=plot_h, color=SERIES_COLORS[s], tooltip=tooltip, href=href,
            )
        parts.append("</g>")
    _tick_labels(parts, top_value, plot_top, plot_bottom, rtl, digits, value_text)
    _labels(parts, aligned[0][1], slot, outer, rtl, plot_bottom + 16, digits)
    parts.append("</svg>")
    return mark_safe("".join(parts))


# --- data tables (the accessible twin of a chart) --------------------------------------

def chart_table_html(
    buckets: Iterable,
    *,
    caption: str,
    link_for: Callable[[Bucket], str | None] | None = None,
    noun: str = "article",
    digits: str | None = None,
    granularity: str = "month",
    count_header: str = "عدد المقالات",
    value_text: Callable[[int], str] | None = None,
) -> SafeString:
    """The chart's data as an HTML table; periods link like the bars."""
    buckets = as_buckets(buckets, granularity)
    rows = []
    for b in buckets:
        href = _safe_href(link_for(b)) if link_for and b.count else None
        period = _attr(b.label(digits))
        cell = f'<a href="{_attr(href)}">{period}</a>' if href else period
        value = value_text(b.count) if value_text else format_number(b.count, digits)
        rows.append(f'<tr><th scope="row">{cell}</th><td>{_attr(value)}</td></tr>')
    return mark_safe(
        f'<table class="chart-table"><caption>{_attr(caption)}</caption>'
        f'<thead><tr><th scope="col">الفترة</th><th scope="col">{_attr(count_header)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def compare_table_html(
    series: Sequence[tuple[str, Iterable]],
    *,
    caption: str,
    link_for: Callable[[int, Bucket], str | None] | None = None,
    digits: str | None = None,
    granularity: str = "month",
    value_text: Callable[[int], str] | None = None,
) -> SafeString:
    periods, aligned = _align(series, granularity)
    head = "".join(f'<th scope="col">{_attr(label)}</th>' for label, _ in aligned)
    rows = []
    for i, _period in enumerate(periods):
        cells = []
        for s, (_label, buckets) in enumerate(aligned):
            b = buckets[i]
            href = _safe_href(link_for(s, b)) if link_for and b.count else None
            value = _attr(value_text(b.count) if value_text else format_number(b.count, digits))
            cells.append(f'<td><a href="{_attr(href)}">{value}</a></td>' if href else f"<td>{value}</td>")
        label = _attr(aligned[0][1][i].label(digits))
        rows.append(f'<tr><th scope="row">{label}</th>{"".join(cells)}</tr>')
    return mark_safe(
        f'<table class="chart-table"><caption>{_attr(caption)}</caption>'
        f'<thead><tr><th scope="col">الفترة</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class LazyMarkup:
    """Markup built when a template outputs it (``__html__``), not before.

    Views build charts before the template runs ``{% activate_digits %}``;
    rendering late gives the chart the reader's digit style.
    """

    def __init__(self, render):
        self._render = render
        self._cache = {}

    def __html__(self):
        style = active_digit_style()
        if style not in self._cache:
            self._cache[style] = self._render()
        return self._cache[style]

    __str__ = __html__


def build_chart(buckets: Iterable, *, title: str, link_for=None, granularity: str = "month", **options) -> dict:
    """Everything ``{% chart %}`` / ``partials/chart.html`` needs.

    ``svg`` and ``table`` render lazily, when the template outputs them.
    """
    buckets = as_buckets(buckets, granularity)
    count_header = options.pop("count_header", "عدد المقالات")
    return {
        "title": title,
        "svg": LazyMarkup(lambda: bar_chart_svg(
            buckets, title=title, link_for=link_for, granularity=granularity, **options
        )),
        "table": LazyMarkup(lambda: chart_table_html(
            buckets, caption=title, link_for=link_for, granularity=granularity,
            digits=options.get("digits"), noun=options.get("noun", "article"),
            count_header=count_header, value_text=options.get("value_text"),
        )) if buckets else "",
        "total": sum(b.count for b in buckets),
        "empty": not buckets,
    }


def build_compare_chart(series, *, title: str, link_for=None, granularity: str = "month", **options) -> dict:
    series = [(label, as_buckets(items, granularity)) for label, items in series or ()]
    periods, aligned = _align(series, granularity) if series else ([], [])
    return {
        "title": title,
        "svg": LazyMarkup(lambda: compare_chart_svg(
            series, title=title, link_for=link_for, granularity=granularity, **options
        )),
        "table": LazyMarkup(lambda: compare_table_html(
            series, caption=title, link_for=link_for, digits=options.get("digits"), granularity=granularity,
            value_text=options.get("value_text"),
        )) if periods else "",
        "total": sum(b.count for _, buckets in aligned for b in buckets),
        "empty": not periods,
    }

