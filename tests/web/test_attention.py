"""Attention as a share (GET /api/timeline/), the count/share switch on the
search and compare pages, and the note naming outlets whose coverage starts
or ends inside a chart. Data: ``timeline_archive`` (tests/web/conftest.py).
"""
import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from archive.coverage import clear_cache
from archive.models import Article, Source

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(autouse=True)
def _fresh_coverage_cache():
    clear_cache()
    yield
    clear_cache()


def api(client, **params):
    return client.get(reverse("api_timeline"), params)


def month_totals(source_slug=None):
    """Every public dated article per month, counted in Python (not by the code under test)."""
    totals = Counter()
    for a in Article.objects.filter(is_hidden=False).select_related("source"):
        if a.published and (source_slug is None or (a.source and a.source.slug == source_slug)):
            totals[a.published.replace(day=1).isoformat()] += 1
    return totals


def test_url_and_contract(client, timeline_archive):
    assert reverse("api_timeline") == "/api/timeline/"
    response = api(client, q="تمبكتو")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"query", "interval", "series"}
    assert data["query"] == "تمبكتو" and data["interval"] == "month"
    for row in data["series"]:
        assert set(row) == {"period", "count", "total", "share"}
        assert isinstance(row["share"], float)


def test_share_is_count_over_all_public_articles_of_the_period(client, timeline_archive, make_article):
    # a hidden article in June counts nowhere
    make_article(title="مخفي", body="نص مخفي", source=timeline_archive["outlet"],
                 published=dt.date(2023, 6, 5), is_hidden=True)
    data = api(client, q="تمبكتو", interval="month").json()
    totals = month_totals()
    series = {row["period"]: row for row in data["series"]}
    assert list(series) == ["2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01"]  # gap-free
    assert {p: r["count"] for p, r in series.items()} == {
        "2023-06-01": 3, "2023-07-01": 1, "2023-08-01": 0, "2023-09-01": 2}
    for period, row in series.items():
        assert row["total"] == totals[period]
        assert row["total"] >= row["count"]
        assert row["share"] == round(row["count"] / row["total"], 6)
    assert series["2023-06-01"]["total"] == 4  # 3 Timbuktu + 1 Kidal (the hidden one left out)
    assert 0 < series["2023-06-01"]["share"] < 1


def test_totals_ignore_query_country_topic_but_obey_source(client, timeline_archive):
    plain = {r["period"]: r["total"] for r in api(client, q="تمبكتو").json()["series"]}
    for extra in ({"country": "BY"}, {"topic": timeline_archive["topic"].slug}, {"q": "فاغنر تمبكتو"}):
        params = {"q": "تمبكتو", **extra}
        rows = api(client, **params).json()["series"]
        assert rows, extra
        for row in rows:
            assert row["total"] == plain.get(row["period"], month_totals()[row["period"]]), extra
    by = {r["period"]: r["count"] for r in api(client, q="تمبكتو", country="BY").json()["series"]}
    assert by == {"2023-07-01": 1, "2023-08-01": 0, "2023-09-01": 1}

    rows = api(client, q="تمبكتو", source="bbc-arabic").json()["series"]
    totals = month_totals("bbc-arabic")
    assert [r["period"] for r in rows] == ["2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01"]
    for row in rows:
        assert row["total"] == totals[row["period"]]
    assert [r["share"] for r in rows] == [1.0, 1.0, 0.0, 1.0]  # every bbc article of those months matches


def test_zero_total_gives_zero_share(client, timeline_archive):
    rows = api(client, q="تمبكتو", source="bbc-arabic").json()["series"]
    august = next(r for r in rows if r["period"] == "2023-08-01")
    assert august == {"period": "2023-08-01", "count": 0, "total": 0, "share": 0.0}


def test_intervals_day_and_week(client, timeline_archive):
    days = api(client, q="تمبكتو", interval="day", date_to="2023-07-31").json()
    assert days["interval"] == "day"
    periods = [r["period"] for r in days["series"]]
    assert periods[0] == "2023-06-10" and periods[-1] == "2023-07-02"
    assert len(periods) == 23  # every day in between
    counts = {r["period"]: r["count"] for r in days["series"] if r["count"]}
    assert counts == {"2023-06-10": 1, "2023-06-24": 2, "2023-07-02": 1}

    weeks = api(client, q="تمبكتو", interval="week").json()
    assert weeks["interval"] == "week"
    starts = [dt.date.fromisoformat(r["period"]) for r in weeks["series"]]
    assert all(d.weekday() == 0 for d in starts)  # ISO weeks start on Monday
    assert all((b - a).days == 7 for a, b in zip(starts, starts[1:], strict=False))
    assert starts[0] == dt.date(2023, 6, 5) and starts[-1] == dt.date(2023, 9, 11)
    assert sum(r["count"] for r in weeks["series"]) == 6  # the undated one is left out
    for row in weeks["series"]:
        assert row["share"] == (round(row["count"] / row["total"], 6) if row["total"] else 0.0)


def test_no_match_is_an_empty_series(client, timeline_archive):
    data = api(client, q="كلمةلاوجودلها").json()
    assert data["series"] == []


@pytest.mark.parametrize("params", [
    {"interval": "year"}, {"interval": "<b>"}, {"date_from": "2023-13-01"}, {"source": "no-such-outlet"},
    {"country": "ru"}, {"q": "\"بوتين"},
])
def test_bad_parameters_are_400_json_in_arabic(client, timeline_archive, params):
    response = api(client, **params)
    assert response.status_code == 400, params
    error = response.json()["error"]
    assert ARABIC.search(error)
    assert "<b>" not in error


# --- pages ---------------------------------------------------------------------------

def test_search_page_switches_between_count_and_share(client, timeline_archive):
    html = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert 'class="measure-switch"' in html
    assert "measure=share" in html
    assert "٪" not in html.split('class="chart-figure"')[1].split("</figure>")[0]

    response = client.get(reverse("search"), {"q": "تمبكتو", "measure": "share", "digits": "latn"})
    assert response.status_code == 200
    html = response.content.decode()
    figure = html.split('class="chart-figure"')[1].split("</figure>")[0]
    assert "نسبة المقالات المطابقة" in html
    assert "النسبة من كل مقالات المصادر" in figure  # the data table's header
    june = [r for r in api(client, q="تمبكتو").json()["series"] if r["period"] == "2023-06-01"][0]
    percent = f"{june['share'] * 100:.2f}".rstrip("0").rstrip(".")
    assert re.search(re.escape(percent.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")).replace(".", "٫")) + "٪|"
                     + re.escape(percent) + "٪", figure), percent
    # a bar's link narrows the dates and keeps the share view
    bar = re.search(r'<a class="bar" href="([^"]+)"', figure)
    assert bar and "measure=share" in bar.group(1) and "date_from=" in bar.group(1)
    # the switch leads back to counts
    assert re.search(r'href="/search/\?q=[^"]*"[^>]*>عدد المقالات</a>', html)


def test_unknown_measure_falls_back_to_count(client, timeline_archive):
    response = client.get(reverse("search"), {"q": "تمبكتو", "measure": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_compare_page_share(client, timeline_archive):
    url = reverse("search_compare")
    counts = client.get(url, {"q": ["تمبكتو", "كيدال"]}).content.decode()
    assert "measure=share" in counts
    shared = client.get(url, {"q": ["تمبكتو", "كيدال"], "measure": "share"})
    assert shared.status_code == 200
    html = shared.content.decode()
    figure = html.split('class="chart-figure"')[1].split("</figure>")[0]
    assert "٪" in figure
    assert "نسبة المقارنة" in html


def test_chart_names_outlets_starting_or_ending_inside_the_range(client, timeline_archive, make_article):
    short = Source.objects.create(slug="short-lived", name="صحيفة قصيرة العمر")
    lasting = Source.objects.create(slug="lasting", name="صحيفة دائمة")
    for day in (dt.date(2023, 7, 20), dt.date(2023, 8, 3)):
        make_article(title="خبر", body="خبر قصير", source=short, published=day)
    for day in (dt.date(2020, 1, 1), dt.date(2025, 1, 1)):
        make_article(title="خبر", body="خبر دائم", source=lasting, published=day)
    html = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    note = re.search(r'<p class="coverage-note">(.*?)</p>', html, re.S)
    assert note, "no coverage note"
    starts = note.group(1).split("تبدأ تغطية:")[1].split("؛")[0]
    ends = note.group(1).split("تنتهي تغطية:")[1]
    assert "صحيفة قصيرة العمر" in starts and "صحيفة قصيرة العمر" in ends
    assert "صحيفة دائمة" not in note.group(1)
    # with the outlet filter, only the chosen outlets are named
    html = client.get(reverse("search"), {"q": "تمبكتو", "source": "lasting"}).content.decode()
    assert "صحيفة قصيرة العمر" not in html.split('class="search-results"')[1]


def test_coverage_note_escapes_outlet_names(client, timeline_archive, make_article):
    evil = Source.objects.create(slug="evil", name="<img src=x onerror=alert(1)>")
    make_article(title="خبر", body="خبر", source=evil, published=dt.date(2023, 7, 1))
    html = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
