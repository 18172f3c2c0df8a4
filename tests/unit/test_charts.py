"""archive.charts: well-formed, accessible, escaped SVG."""
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from archive.buckets import Bucket, as_buckets, fill_gaps
from archive.charts import (
    bar_chart_svg,
    build_chart,
    chart_table_html,
    compare_chart_svg,
    compare_table_html,
    nice_ceiling,
)
from archive.formatting import activate_digit_style

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = [(dt.date(2023, m, 1), m * 3) for m in range(1, 7)]


@pytest.fixture(autouse=True)
def latin_digits():
    activate_digit_style("latn")
    yield
    activate_digit_style("latn")


def parse(svg):
    root = ET.fromstring(str(svg))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def bars(root):
    return root.findall(".//svg:rect[@class='value']", NS)


def pct(value):
    return float(value.rstrip("%"))


def test_bar_chart_is_wellformed_and_accessible():
    root = parse(bar_chart_svg(MONTHS, title="تغطية الأرشيف"))
    assert root.get("role") == "img"
    assert root.get("aria-label").startswith("تغطية الأرشيف: من يناير 2023 إلى يونيو 2023")
    assert "المجموع 63 مقالاً" in root.get("aria-label")
    assert root.find("svg:title", NS).text == "تغطية الأرشيف"
    assert len(bars(root)) == len(MONTHS)
    tooltips = [g.find("svg:title", NS).text for g in root.findall(".//svg:g[@class='bar']", NS)]
    assert tooltips[0] == "يناير 2023: 3 مقالات"
    assert tooltips[5] == "يونيو 2023: 18 مقالاً"


def test_time_runs_right_to_left_by_default():
    rects = bars(parse(bar_chart_svg(MONTHS, title="t")))
    xs = [pct(r.get("x")) for r in rects]
    assert xs == sorted(xs, reverse=True)  # first month rightmost
    ltr = [pct(r.get("x")) for r in bars(parse(bar_chart_svg(MONTHS, title="t", rtl=False)))]
    assert ltr == sorted(ltr)
    # taller bar for the larger count
    heights = [float(r.get("height")) for r in rects]
    assert heights == sorted(heights)


def test_axis_labels_use_arabic_month_names():
    root = parse(bar_chart_svg(MONTHS, title="t"))
    labels = [t.text for t in root.findall(".//svg:text[@class='axis-label']", NS)]
    assert labels == ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو"]
    assert "2023" in [t.text for t in root.findall(".//svg:text", NS)]


def test_many_months_get_thinned_year_labels():
    items = [(dt.date(2015 + i // 12, i % 12 + 1, 1), i) for i in range(96)]
    root = parse(bar_chart_svg(items, title="t"))
    assert len(bars(root)) == 96
    labels = [t.text for t in root.findall(".//svg:text[@class='axis-label']", NS)]
    assert labels[0] == "2015" and len(labels) <= 8


def test_links_when_link_for_given():
    root = parse(bar_chart_svg(MONTHS, title="t", link_for=lambda b: f"/search/?date_from={b.start}&date_to={b.end}"))
    links = root.findall(".//svg:a", NS)
    assert len(links) == len(MONTHS)
    assert links[1].get("href") == "/search/?date_from=2023-02-01&date_to=2023-02-28"
    assert links[0].get("tabindex") == "-1"  # keyboard users get the table's links
    # no link without link_for, none for empty periods, none for unsafe URLs
    assert not parse(bar_chart_svg(MONTHS, title="t")).findall(".//svg:a", NS)
    zero = parse(bar_chart_svg([(dt.date(2023, 1, 1), 0), (dt.date(2023, 2, 1), 2)], title="t", link_for=lambda b: "/x/"))
    assert len(zero.findall(".//svg:a", NS)) == 1
    unsafe = parse(bar_chart_svg(MONTHS, title="t", link_for=lambda b: "javascript:alert(1)"))
    assert not unsafe.findall(".//svg:a", NS)


def test_labels_and_titles_are_escaped():
    evil = '<script>alert(1)</script> & "quotes"'
    svg = bar_chart_svg(MONTHS, title=evil, link_for=lambda b: '/s/?q="><script>')
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == evil
    assert root.findall(".//svg:a", NS)[0].get("href") == '/s/?q="><script>'
    compare = compare_chart_svg([(evil, MONTHS), ("<b>ب</b>", MONTHS[:2])], title=evil)
    assert "<script>" not in compare and "<b>" not in compare
    assert parse(compare).find(".//svg:g[@class='legend']/svg:text", NS).text == evil
    table = chart_table_html(MONTHS, caption=evil)
    assert "<script>" not in table and "&lt;script&gt;" in table


def test_empty_data():
    for empty in ([], None):
        root = parse(bar_chart_svg(empty, title="لا شيء"))
        assert root.get("role") == "img"
        assert not bars(root)
        assert "لا توجد بيانات" in "".join(root.itertext())
    root = parse(compare_chart_svg([("أ", []), ("ب", [])], title="t"))
    assert not bars(root)
    assert parse(compare_chart_svg([], title="t")) is not None
    chart = build_chart([], title="t")
    assert chart["empty"] and chart["table"] == ""


def test_all_zero_counts_and_single_bucket():
    root = parse(bar_chart_svg([(dt.date(2023, 1, 1), 0)], title="t"))
    assert len(bars(root)) == 1 and float(bars(root)[0].get("height")) == 0
    one = parse(bar_chart_svg([(dt.date(2022, 7, 1), 1)], title="t"))
    assert len(bars(one)) == 1


def test_day_buckets_and_gap_filling():
    days = as_buckets([("2023-06-24", 3), ("2023-06-27", 1), (dt.date(2023, 6, 24), 2)], "day")
    assert days == [Bucket(dt.date(2023, 6, 24), 5, "day"), Bucket(dt.date(2023, 6, 27), 1, "day")]
    filled = fill_gaps(days)
    assert [b.count for b in filled] == [5, 0, 0, 1]
    root = parse(bar_chart_svg(filled, title="t", granularity="day"))
    assert len(bars(root)) == 4
    assert root.find(".//svg:g[@class='bar']/svg:title", NS).text == "24 يونيو 2023: 5 مقالات"
    months = fill_gaps(as_buckets([("2022-11", 1), ("2023-02", 4)]))
    assert [b.start.month for b in months] == [11, 12, 1, 2]
    assert Bucket(dt.date(2024, 2, 1), 1).end == dt.date(2024, 2, 29)


def test_arabic_indic_digits():
    svg = bar_chart_svg(MONTHS, title="t", digits="arab")
    assert "يونيو ٢٠٢٣: ١٨ مقالاً" in svg
    activate_digit_style("arab")
    assert "٢٠٢٣" in bar_chart_svg(MONTHS, title="t")
    assert "2023-01-01" in bar_chart_svg(MONTHS, title="t", link_for=lambda b: f"/s/?d={b.start}")


def test_compare_chart_groups_series():
    series = [("روسيا", MONTHS), ("الصين", [(dt.date(2023, 3, 1), 5)]), ("تركيا", MONTHS[:1])]
    calls = []

    def link(index, bucket):
        calls.append(index)
        return f"/search/?s={index}&m={bucket.start}"

    root = parse(compare_chart_svg(series, title="مقارنة", link_for=link))
    assert root.get("role") == "img"
    assert "روسيا: 63 مقالاً" in root.get("aria-label")
    groups = root.findall(".//svg:g[@class]", NS)
    series_groups = [g for g in groups if g.get("class").startswith("series ")]
    assert len(series_groups) == 3
    for group in series_groups:
        assert len(group.findall(".//svg:rect[@class='value']", NS)) == len(MONTHS)  # aligned periods
    assert sorted(set(calls)) == [0, 1, 2]
    assert len(root.findall(".//svg:a", NS)) == 6 + 1 + 1
    legend = [t.text for t in root.findall(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend == ["روسيا", "الصين", "تركيا"]
    # within a period, series stay side by side without overlapping
    first_period = [float(g.findall(".//svg:rect[@class='value']", NS)[0].get("x").rstrip("%")) for g in series_groups]
    assert len(set(first_period)) == 3
    with pytest.raises(ValueError):
        compare_chart_svg([("a", MONTHS)] * 4, title="t")
    table = compare_table_html(series, caption="مقارنة")
    assert table.count("<tr>") == len(MONTHS) + 1


def test_table_links_match_bars():
    table = chart_table_html(MONTHS, caption="c", link_for=lambda b: f"/s/?m={b.start}&x=1")
    assert 'href="/s/?m=2023-01-01&amp;x=1"' in table
    assert table.count("<tr>") == len(MONTHS) + 1
    ET.fromstring(str(table))  # well-formed too


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 1, 2, 3, 7, 12, 55, 99, 101, 701)] == [1, 1, 2, 3, 8, 20, 60, 100, 200, 800]


def test_build_chart_renders_lazily_in_the_active_digit_style():
    chart = build_chart(MONTHS, title="t", link_for=lambda b: f"/s/?d={b.start}")
    activate_digit_style("arab")
    assert "يونيو ٢٠٢٣: ١٨ مقالاً" in chart["svg"].__html__()
    assert "٢٠٢٣" in str(chart["table"]) and "/s/?d=2023-06-01" in str(chart["table"])
    activate_digit_style("latn")
    assert "يونيو 2023: 18 مقالاً" in chart["svg"].__html__()
    assert chart["total"] == 63 and not chart["empty"]
