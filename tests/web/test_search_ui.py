"""The search page's reading-room features: facet form, chips, timeline chart,
search within, compare page, errors and escaping (Django test client)."""
import datetime as dt
import html as htmllib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from archive.models import Source

from .test_api import BAD_PARAMS

pytestmark = pytest.mark.django_db

XSS_TITLE = "تمبكتو <script>alert(1)</script> <img src=x onerror=alert(2)>"


def get(client, path="search", **params):
    return client.get(reverse(path), params)


def page_html(response):
    return response.content.decode("utf-8")


def query_of(url):
    return parse_qs(urlsplit(htmllib.unescape(url)).query)


# --- facets, chips, sort, pagination ------------------------------------------------------

def test_facet_form_has_checkboxes_with_counts_and_a_submit_button(client, timeline_archive):
    response = get(client, q="تمبكتو", country="RU")
    assert response.status_code == 200
    page = page_html(response)
    form = re.search(r'<form id="facet-form".*?</form>', page, re.S).group(0)
    assert 'method="get"' in form
    assert re.search(r'<input type="checkbox" id="f-country-RU" name="country" value="RU" checked>', form)
    assert re.search(r'<input type="checkbox" id="f-country-UA" name="country" value="UA">', form)
    assert '<label for="f-country-RU">روسيا</label>' in form
    assert 'name="source" value="aljazeera"' in form
    assert 'type="date" name="date_from"' in form and 'type="date" name="date_to"' in form
    assert '<label for="date-from">' in form and '<label for="date-to">' in form
    assert 'type="submit"' in form
    # the query travels with the filter form
    assert '<input type="hidden" name="q" value="تمبكتو">' in form
    # the checkbox counts are the multi-select counts of the facet
    groups = {g["name"]: g for g in response.context["facet_groups"]}
    ua = next(v for v in groups["country"]["values"] if v["value"] == "UA")
    assert get(client, q="تمبكتو", country="UA").context["result"].count == ua["count"]
    # the month facet is a list of links
    assert groups["month"]["values"] and 'class="facet-links"' in page
    # the script is an external file (CSP) and present
    assert '<script src="/static/js/search.js" defer></script>' in page
    assert " on" + "change=" not in page and "style=" not in page


def test_chips_remove_exactly_their_filter(client, timeline_archive):
    params = {
        "q": "تمبكتو", "country": ["RU", "UA"], "source": "aljazeera",
        "date_from": "2023-06-01", "date_to": "2023-09-30", "sort": "oldest",
    }
    response = get(client, **params)
    assert response.status_code == 200
    chips = response.context["chips"]
    assert [c["label"] for c in chips] == ["روسيا", "أوكرانيا", "الجزيرة نت", "1 يونيو 2023", "30 سبتمبر 2023"]
    page = page_html(response)
    expected_missing = [("country", "RU"), ("country", "UA"), ("source", "aljazeera"),
                        ("date_from", "2023-06-01"), ("date_to", "2023-09-30")]
    for chip, (key, value) in zip(chips, expected_missing, strict=True):
        assert f'href="{htmllib.escape(chip["url"])}"' in page
        remaining = query_of(chip["url"])
        assert value not in remaining.get(key, [])
        # everything else is kept
        assert remaining["q"] == ["تمبكتو"] and remaining["sort"] == ["oldest"]
        for other_key, other_value in expected_missing:
            if (other_key, other_value) != (key, value):
                assert other_value in remaining.get(other_key, []), (chip, other_key)
        followed = client.get(reverse("search") + chip["url"])
        assert followed.status_code == 200
        assert [c["label"] for c in followed.context["chips"]] == [
            c["label"] for c in chips if c is not chip
        ]
    clear = query_of(response.context["clear_url"])
    assert clear == {"q": ["تمبكتو"], "sort": ["oldest"]}


def test_results_show_outlet_date_countries_topics_and_marked_link(client, timeline_archive):
    response = get(client, q="تمبكتو")
    page = page_html(response)
    result = response.context["result"]
    assert result.count == 7
    assert "7 نتائج" in page
    assert "تاريخ غير معروف" in page and "24 يونيو 2023" in page
    assert "الجزيرة نت" in page and "بي بي سي عربي" in page
    assert "<dt>البلدان</dt>" in page and "روسيا" in page
    assert "<dt>الموضوعات</dt>" in page and timeline_archive["topic"].name_ar in page
    assert "<mark>تمبكتو</mark>" in page
    for hit in result.hits:
        assert f'href="{hit.url}?q=%D8%AA%D9%85%D8%A8%D9%83%D8%AA%D9%88"' in page


def test_sort_links_and_pagination(client, timeline_archive):
    response = get(client, q="تمبكتو", page_size=2, page=2)
    page = page_html(response)
    options = {o["value"]: o for o in response.context["sort_options"]}
    assert set(options) == {"relevance", "newest", "oldest"} and options["relevance"]["selected"]
    assert query_of(options["newest"]["url"]) == {"q": ["تمبكتو"], "sort": ["newest"], "page_size": ["2"]}
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert "صفحة 2 من 4" in page  # 7 results, 2 a page
    oldest = get(client, q="تمبكتو", sort="oldest", page_size=100).context["result"].hits
    days = [h.published for h in oldest if h.published]
    assert days == sorted(days) and oldest[-1].published is None  # undated last
    # without a query there is no "relevance" choice
    assert "relevance" not in {o["value"] for o in get(client).context["sort_options"]}


def test_search_within_merges_words_and_keeps_filters(client, timeline_archive):
    response = get(client, q="تمبكتو", country="RU", within="  روسيا  ", page="2")
    assert response.status_code == 302
    target = query_of(response["Location"])
    assert target == {"q": ["تمبكتو روسيا"], "country": ["RU"]}
    assert urlsplit(response["Location"]).path == reverse("search")
    # alternatives are grouped so that they do not swallow the current query
    response = get(client, q="تمبكتو", within="روسيا OR أوكرانيا")
    assert query_of(response["Location"])["q"] == ["تمبكتو (روسيا OR أوكرانيا)"]
    # an empty box is simply dropped
    assert query_of(get(client, q="تمبكتو", within=" ")["Location"]) == {"q": ["تمبكتو"]}
    page = page_html(get(client, q="تمبكتو", country="RU"))
    within = re.search(r'<form class="card tool within-form".*?</form>', page, re.S).group(0)
    assert 'name="within"' in within and 'name="country" value="RU"' in within


def test_empty_state_suggests_spelling(client, timeline_archive):
    page = page_html(get(client, q="تمبكتوو"))
    assert "لم نعثر" in page
    # the suggestion, quoted, with the count of the suggested search
    assert re.search(r'هل تقصد <a href="\?q=[^"]+">«تمبكتو»</a> \([^)]*\d[^)]*\)؟', page)


# --- timeline chart ----------------------------------------------------------------------------

def bars(page):
    svg = re.search(r'<svg[^>]*class="chart bar-chart".*?</svg>', page, re.S).group(0)
    return svg, re.findall(r'<rect class="value"', svg), re.findall(r'<a class="bar" href="([^"]+)"', svg)


def test_chart_has_one_bar_per_month_and_bar_links_narrow_dates(client, timeline_archive):
    response = get(client, q="تمبكتو", country="RU")
    page = page_html(response)
    assert response.context["timeline"]["granularity"] == "month"
    svg, values, links = bars(page)
    # RU: June (2), July (1), August (0, gap), September (1)
    assert len(values) == 4
    assert len(links) == 3
    ranges = [(query_of(h)["date_from"][0], query_of(h)["date_to"][0]) for h in links]
    assert sorted(ranges) == [("2023-06-01", "2023-06-30"), ("2023-07-01", "2023-07-31"),
                              ("2023-09-01", "2023-09-30")]
    for href in links:
        q = query_of(href)
        assert q["q"] == ["تمبكتو"] and q["country"] == ["RU"] and "page" not in q
        assert urlsplit(htmllib.unescape(href)).path == reverse("search")
    assert "يونيو 2023: مقالان" in svg
    # the undated match is counted but not drawn
    assert "نتيجة واحدة بلا تاريخ معروف" in page
    # following a bar link gives the bucket's count
    june = next(h for h in links if "2023-06-01" in h)
    narrowed = client.get(htmllib.unescape(june))
    assert narrowed.context["result"].count == 2


def test_short_range_is_drawn_per_day(client, timeline_archive):
    response = get(client, q="تمبكتو", date_from="2023-06-01", date_to="2023-06-30")
    assert response.context["timeline"]["granularity"] == "day"
    page = page_html(response)
    svg, values, links = bars(page)
    assert len(values) == 30
    assert len(links) == 2
    assert "24 يونيو 2023: مقالان" in svg
    day = next(h for h in links if "2023-06-24" in h)
    assert query_of(day)["date_from"] == ["2023-06-24"] and query_of(day)["date_to"] == ["2023-06-24"]
    assert "في كل يوم" in page


def test_single_month_of_matches_is_drawn_per_day(client, timeline_archive):
    response = get(client, q="كيدال", date_from="2023-06-01", date_to="2023-06-30")
    assert response.context["timeline"]["granularity"] == "day"


def test_per_day_counts_use_one_query(client, timeline_archive, django_assert_max_num_queries):
    from search.service import parse_search_params, run_search
    from search.timeline import search_timeline

    params = parse_search_params({"q": "تمبكتو", "date_from": "2023-06-01", "date_to": "2023-06-30"})
    result = run_search(params)
    with django_assert_max_num_queries(1):
        timeline = search_timeline(params, result)
    assert timeline.granularity == "day" and timeline.total == 3


def test_no_chart_without_dated_matches(client, search_seeded):
    response = get(client, q="بريغوجين")  # one undated seed article
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert timeline["empty"] and 'class="chart bar-chart"' not in page_html(response)


# --- compare ----------------------------------------------------------------------------------

def test_compare_two_queries(client, timeline_archive):
    response = client.get(reverse("search_compare") + "?q=تمبكتو&q=كيدال&country=RU")
    assert response.status_code == 200
    page = page_html(response)
    svg = re.search(r'<svg[^>]*class="chart compare-chart".*?</svg>', page, re.S).group(0)
    assert svg.count('<g class="series series-') == 2
    assert '<g class="series series-3">' not in svg
    entries = response.context["entries"]
    assert [e.q for e in entries] == ["تمبكتو", "كيدال"]
    assert [e.result.count for e in entries] == [5, 2]
    for entry in entries:
        q = query_of(entry.url)
        assert q == {"q": [entry.q], "country": ["RU"]}
        assert f'href="{htmllib.escape(entry.url)}"' in page
    # series bars link to that query narrowed to the period
    links = re.findall(r'<g class="series series-2">.*?</g>', svg, re.S)[0]
    hrefs = re.findall(r'href="([^"]+)"', links)
    assert hrefs and all(query_of(h)["q"] == ["كيدال"] and "date_from" in query_of(h) for h in hrefs)
    assert "5 نتائج" in page and "نتيجتان" in page
    # the shared filter is shown and removable
    chip = response.context["chips"][0]
    assert chip["label"] == "روسيا" and query_of(chip["url"]) == {"q": ["تمبكتو", "كيدال"]}


def test_compare_three_queries_and_limits(client, timeline_archive):
    url = reverse("search_compare")
    response = client.get(url + "?q=تمبكتو&q=كيدال&q=روسيا")
    assert response.status_code == 200
    assert page_html(response).count('<g class="series series-') == 3
    # one query: the form, asking for another
    response = client.get(url + "?q=تمبكتو")
    assert response.status_code == 200 and "أضف بحثاً ثانياً" in page_html(response)
    assert client.get(url).status_code == 200
    # four queries, a malformed one, a bad filter: 400 with the Arabic message
    for query in ("?q=a&q=b&q=c&q=d", "?q=تمبكتو&q=(بوتين", "?q=تمبكتو&q=بوتين&country=ru"):
        response = client.get(url + query)
        assert response.status_code == 400, query
        assert 'role="alert"' in page_html(response)


def test_search_page_links_to_compare(client, timeline_archive):
    page = page_html(get(client, q="تمبكتو", country="RU"))
    form = re.search(r'<form class="card tool compare-form".*?</form>', page, re.S).group(0)
    assert f'action="{reverse("search_compare")}"' in form
    assert '<input type="hidden" name="q" value="تمبكتو">' in form
    assert '<input type="hidden" name="country" value="RU">' in form
    assert 'name="q" maxlength' in form  # the second query box


# --- errors and escaping ------------------------------------------------------------------------

@pytest.mark.parametrize("params", BAD_PARAMS, ids=[repr(p)[:40] for p in BAD_PARAMS])
def test_bad_parameters_give_the_400_page(client, search_seeded, params):
    response = get(client, **params)
    assert response.status_code == 400
    page = page_html(response)
    assert 'role="alert"' in page and "تعذّر تنفيذ البحث" in page
    assert '<html lang="ar" dir="rtl">' in page
    assert "\x00" not in page


def test_xss_is_escaped_in_page_chart_and_compare(client, timeline_archive, make_article, search_index):
    make_article(title=XSS_TITLE, body="تمبكتو <script>alert(3)</script>", published=dt.date(2023, 6, 24),
                 source=Source.objects.create(name="<b>مصدر</b>", slug="evil"))
    search_index.build()
    for q in ("تمبكتو", "<script>alert(1)</script> تمبكتو", '"><svg onload=alert(1)> تمبكتو'):
        response = get(client, q=q)
        assert response.status_code in (200, 400)
        page = page_html(response)
        assert "<script>alert" not in page
        assert "<img src=x" not in page and "<svg onload" not in page and "<b>مصدر" not in page
    page = page_html(get(client, q="<script>alert(1)</script> تمبكتو"))
    svg = re.search(r'<svg[^>]*class="chart bar-chart".*?</svg>', page, re.S).group(0)
    assert "&lt;script&gt;" in svg  # the query is in the chart's title, escaped
    page = page_html(get(client, q="تمبكتو"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    response = client.get(reverse("search_compare"), {"q": ["<script>alert(1)</script> تمبكتو", "كيدال"]})
    assert response.status_code == 200
    page = page_html(response)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; تمبكتو" in page


def test_post_is_not_allowed(client, search_index):
    assert client.post(reverse("search")).status_code == 405
    assert client.post(reverse("search_compare")).status_code == 405


def test_short_date_range_is_drawn_whole(client, timeline_archive):
    # matches only in June, but the reader asked for June and July: both are drawn
    response = get(client, q="تمبكتو", date_from="2023-06-01", date_to="2023-07-31", country="UA")
    timeline = response.context["timeline"]
    assert timeline["granularity"] == "day"
    assert len(timeline["buckets"]) == 61
    assert timeline["buckets"][0].start == dt.date(2023, 6, 1) and timeline["buckets"][-1].start == dt.date(2023, 7, 31)
