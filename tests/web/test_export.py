"""Export of the current result set: /search/export.csv and /search/export.json."""
import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse

from archive.models import Article

from .test_api import BAD_PARAMS
from .test_search_ui import XSS_TITLE

pytestmark = pytest.mark.django_db

HEADER = ["id", "title", "outlet", "date", "countries", "topics", "url", "permalink",
          "outlet_slug", "country_codes", "topic_slugs", "snippet", "people", "person_slugs", "outlet_country", "mentioned",
          "mentioned_codes"]
DISPOSITION = re.compile(
    r"""attachment; filename="arabic-news-[-a-z0-9]+\.(csv|json)"; filename\*=UTF-8''arabic-news-[-%A-Za-z0-9.]+\.(csv|json)""")


def export_csv(client, **params):
    response = client.get(reverse("search_export_csv"), params)
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return response, body


def csv_rows(body):
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text)))


def page_ids(client, **params):
    response = client.get(reverse("search"), {**params, "page_size": 100})
    return response.context["result"].count, [h.id for h in response.context["result"].hits]


def test_urls():
    assert reverse("search_export_csv") == "/search/export.csv"
    assert reverse("search_export_json") == "/search/export.json"


def test_csv_has_bom_header_and_every_result_in_search_order(client, timeline_archive):
    for params in ({"q": "تمبكتو"}, {"q": "تمبكتو", "sort": "oldest"}, {"country": "RU"}, {}):
        response, body = export_csv(client, **params)
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert DISPOSITION.fullmatch(response["Content-Disposition"]), response["Content-Disposition"]
        rows = csv_rows(body)
        assert rows[0] == HEADER
        count, ids = page_ids(client, **params)
        assert len(rows) - 1 == count
        assert [int(r[0]) for r in rows[1:]] == ids


def test_csv_values(client, timeline_archive):
    _response, body = export_csv(client, q="تمبكتو", sort="oldest")
    rows = [dict(zip(HEADER, r, strict=True)) for r in csv_rows(body)[1:]]
    first = rows[0]
    article = Article.objects.get(pk=int(first["id"]))
    assert first["title"] == article.title and "فاغنر في تمبكتو" in first["title"]  # Arabic intact
    assert first["outlet"] == "الجزيرة نت"
    assert first["date"] == "2023-06-10"
    assert first["countries"] == "روسيا"
    assert first["topics"] == timeline_archive["topic"].name_ar
    assert first["url"] == "https://example.com/wagner/0"
    assert first["permalink"] == f"http://testserver{article.get_absolute_url()}"
    assert first["outlet_slug"] == "aljazeera"
    assert first["country_codes"] == "RU"
    assert first["topic_slugs"] == timeline_archive["topic"].slug
    assert first["snippet"] == article.body  # short body: all of it, as plain text (no <mark>)
    two = next(r for r in rows if r["url"] == "https://example.com/wagner/1")
    assert set(two["countries"].split("، ")) == {"روسيا", "أوكرانيا"}
    assert two["country_codes"] == "RU;UA" and two["topic_slugs"] == ""
    assert rows[-1]["date"] == ""  # undated last when oldest first


def test_page_and_page_size_do_not_limit_the_export(client, timeline_archive):
    _response, body = export_csv(client, q="تمبكتو", page=3, page_size=2)
    assert len(csv_rows(body)) - 1 == 7


def test_no_row_cap(client, timeline_archive):
    import search.export

    assert not hasattr(search.export, "EXPORT_CAP")
    _response, body = export_csv(client, q="تمبكتو")
    _count, ids = page_ids(client, q="تمبكتو")
    assert [int(r[0]) for r in csv_rows(body)[1:]] == ids
    page = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert "كحد أقصى" not in page and "كل النتائج (7 نتائج)" in page


def test_more_rows_than_a_chunk_stream_in_order(client, seeded, search_index, make_article, monkeypatch):
    import search.export

    monkeypatch.setattr(search.export, "CHUNK", 7)
    for i in range(40):
        make_article(title=f"خبر {i} عن تمبكتو", body="تمبكتو", published=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    search_index.build()
    response = client.get(reverse("search_export_csv"), {"q": "تمبكتو", "sort": "newest"})
    parts = list(response.streaming_content)
    assert len(parts) == 41  # the header, then one piece per row: nothing is held back
    rows = csv_rows(b"".join(parts))[1:]
    assert [r[1] for r in rows] == [f"خبر {i} عن تمبكتو" for i in range(39, -1, -1)]
    response = client.get(reverse("search_export_json"), {"q": "تمبكتو", "sort": "newest"})
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content).decode("utf-8"))
    assert data["count"] == data["exported"] == 40
    assert [r["title"] for r in data["results"]] == [r[1] for r in rows]


def test_page_links_to_the_exports_with_the_same_params(client, timeline_archive):
    response = client.get(reverse("search"), {"q": "تمبكتو", "country": "RU", "page": "2", "page_size": "2"})
    page = response.content.decode()
    expected = "?q=%D8%AA%D9%85%D8%A8%D9%83%D8%AA%D9%88&amp;country=RU"
    assert f'href="/search/export.csv{expected}"' in page
    assert f'href="/search/export.json{expected}"' in page
    assert "كل النتائج (5 نتائج)" in page
    # with Arabic-Indic digits the count follows the reader's choice
    client.cookies["digits"] = "arab"
    page = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert "كل النتائج (٧ نتائج)" in page


def json_export(client, **params):
    response = client.get(reverse("search_export_json"), params)
    assert response.status_code == 200, response
    assert response.streaming
    raw = b"".join(response.streaming_content).decode("utf-8")
    return response, raw, json.loads(raw)


def test_json_has_the_same_rows(client, timeline_archive):
    _response, body = export_csv(client, q="تمبكتو", country="RU")
    rows = csv_rows(body)[1:]
    response, raw, data = json_export(client, q="تمبكتو", country="RU")
    assert response["Content-Type"] == "application/json"
    assert DISPOSITION.fullmatch(response["Content-Disposition"])
    assert list(data) == ["query", "filters", "sort", "spellings", "exported_at", "count", "results", "exported"]
    assert data["query"] == "تمبكتو" and data["count"] == len(rows) == data["exported"]
    assert [r["id"] for r in data["results"]] == [int(r[0]) for r in rows]
    for item, row in zip(data["results"], rows, strict=True):
        assert set(item) == set(HEADER) - {"country_codes", "topic_slugs", "person_slugs", "mentioned_codes"}
        assert [item["title"], item["outlet"], item["date"], item["url"], item["permalink"], item["outlet_slug"],
                item["snippet"]] == [row[1], row[2], row[3], row[6], row[7], row[8], row[11]]
        assert "، ".join(c["name"] for c in item["countries"]) == row[4]
        assert ";".join(c["code"] for c in item["countries"]) == row[9]
        assert all(re.fullmatch(r"[A-Z]{2}", c["code"]) for c in item["countries"])
    assert "تمبكتو" in raw  # not \\u-escaped Arabic


def test_json_records_query_filters_spellings_and_time(client, timeline_archive):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    topic = timeline_archive["topic"].slug
    _response, _raw, data = json_export(
        client, q="فاغنر تمبكتو", country=["RU", "UA"], source="aljazeera", topic=topic,
        date_from="2023-01-01", date_to="2023-12-31", sort="oldest", page="2",
    )
    after = dt.datetime.now(dt.timezone.utc)
    assert data["query"] == "فاغنر تمبكتو"
    assert data["filters"] == {"country": ["RU", "UA"], "source": ["aljazeera"], "topic": [topic],
                               "date_from": "2023-01-01", "date_to": "2023-12-31",
                               "person": [], "outlet_country": [], "collection": [], "country_mode": "about"}
    assert data["sort"] == "oldest"
    exported_at = dt.datetime.fromisoformat(data["exported_at"])
    assert exported_at.utcoffset() == dt.timedelta(0) and before <= exported_at <= after
    # the spellings searched are those of the results page
    page = client.get(reverse("search"), {"q": "فاغنر تمبكتو"})
    expansions = [{"word": e["word"], "variants": list(e["variants"])} for e in page.context["result"].expansions]
    assert data["spellings"] == expansions
    _response, _raw, data = json_export(client)
    assert data["query"] == "" and data["spellings"] == [] and data["sort"] == "newest"
    assert data["filters"] == {"country": [], "source": [], "topic": [], "date_from": None, "date_to": None,
                               "person": [], "outlet_country": [], "collection": [], "country_mode": "about"}


def test_snippet_is_plain_text_around_the_query(client, seeded, search_index, make_article):
    lead = "كلام تمهيدي طويل لا علاقة له بالموضوع. " * 20
    make_article(title="عنوان", body=lead + "ثم وصلت قوات فاغنر إلى تمبكتو <b>&amp;</b> بعد ذلك." + lead)
    search_index.build()
    _response, body = export_csv(client, q="تمبكتو")
    snippet = dict(zip(HEADER, csv_rows(body)[1], strict=True))["snippet"]
    assert "تمبكتو <b>&amp;</b>" in snippet and "<mark>" not in snippet
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 260
    _response, body = export_csv(client, q="عنوان")  # no match in the body: the lead
    assert dict(zip(HEADER, csv_rows(body)[1], strict=True))["snippet"].startswith("كلام تمهيدي")


def test_file_names_carry_the_query():
    from search.export import export_disposition, export_filename

    day = dt.date(2026, 12, 7)
    assert export_filename("فاغنر", "csv", day) == ("arabic-news-search-20261207.csv", "arabic-news-فاغنر-20261207.csv")
    assert export_filename("Wagner فاغنر 2023", "json", day) == (
        "arabic-news-wagner-2023-20261207.json", "arabic-news-Wagner-فاغنر-2023-20261207.json")
    assert export_filename("", "csv", day)[0] == "arabic-news-search-20261207.csv"
    header = export_disposition('"a/b\\c" ; %x\r\nفاغنر', "csv", day)
    assert header == (
        'attachment; filename="arabic-news-a-b-c-x-20261207.csv"; '
        "filename*=UTF-8''arabic-news-a-b-c-x-%D9%81%D8%A7%D8%BA%D9%86%D8%B1-20261207.csv"
    )
    assert len(export_filename("كلمة " * 50, "csv", day)[1]) < 100


def test_export_queries_one_per_chunk(client, timeline_archive, monkeypatch, django_assert_max_num_queries):
    import search.export

    monkeypatch.setattr(search.export, "CHUNK", 3)
    # 7 results → 3 chunks, + the country and topic labels
    with django_assert_max_num_queries(5):
        _response, body = export_csv(client, q="تمبكتو")
    assert len(csv_rows(body)) == 8


@pytest.mark.parametrize("params", BAD_PARAMS[::3], ids=[repr(p)[:40] for p in BAD_PARAMS[::3]])
def test_bad_parameters_are_400(client, search_seeded, params):
    response = client.get(reverse("search_export_csv"), params)
    assert response.status_code == 400
    assert re.search(r"[\u0600-\u06ff]", response.content.decode("utf-8"))
    response = client.get(reverse("search_export_json"), params)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_xss_title_in_exports(client, timeline_archive, make_article, search_index):
    make_article(title=XSS_TITLE, body=f"تمبكتو {XSS_TITLE}", published=dt.date(2023, 6, 24))
    search_index.build()
    response, raw, data = json_export(client, q="تمبكتو")
    assert "<" not in raw and ">" not in raw  # inert even if sniffed as HTML
    assert XSS_TITLE in [r["title"] for r in data["results"]]
    _response, body = export_csv(client, q="تمبكتو")
    assert XSS_TITLE in [r[1] for r in csv_rows(body)]  # CSV is data, kept as written
    assert response["X-Content-Type-Options"] == "nosniff"


def test_post_is_not_allowed(client, search_index):
    assert client.post(reverse("search_export_csv")).status_code == 405
    assert client.post(reverse("search_export_json")).status_code == 405
