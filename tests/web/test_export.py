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

HEADER = ["id", "title", "outlet", "date", "countries", "topics", "url", "permalink"]


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
        assert re.fullmatch(r'attachment; filename="arabic-news-[-a-z0-9]+\.csv"', response["Content-Disposition"])
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
    two = next(r for r in rows if r["url"] == "https://example.com/wagner/1")
    assert set(two["countries"].split("، ")) == {"روسيا", "أوكرانيا"}
    assert rows[-1]["date"] == ""  # undated last when oldest first


def test_page_and_page_size_do_not_limit_the_export(client, timeline_archive):
    _response, body = export_csv(client, q="تمبكتو", page=3, page_size=2)
    assert len(csv_rows(body)) - 1 == 7


def test_cap(client, timeline_archive, monkeypatch):
    import search.export

    monkeypatch.setattr(search.export, "EXPORT_CAP", 2)
    _response, body = export_csv(client, q="تمبكتو")
    rows = csv_rows(body)
    _count, ids = page_ids(client, q="تمبكتو")
    assert [int(r[0]) for r in rows[1:]] == ids[:2]
    data = client.get(reverse("search_export_json"), {"q": "تمبكتو"}).json()
    assert data["count"] == 7 and data["exported"] == 2 and data["cap"] == 2 and data["truncated"] is True
    assert [r["id"] for r in data["results"]] == ids[:2]
    # the page states the cap next to the links
    page = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert "يُصدَّر أول 2 نتيجة كحد أقصى" in page


def test_page_links_to_the_exports_with_the_same_params(client, timeline_archive):
    response = client.get(reverse("search"), {"q": "تمبكتو", "country": "RU", "page": "2", "page_size": "2"})
    page = response.content.decode()
    expected = "?q=%D8%AA%D9%85%D8%A8%D9%83%D8%AA%D9%88&amp;country=RU"
    assert f'href="/search/export.csv{expected}"' in page
    assert f'href="/search/export.json{expected}"' in page
    assert "يُصدَّر أول 10,000 نتيجة كحد أقصى" in page
    # with Arabic-Indic digits the cap follows the reader's choice
    client.cookies["digits"] = "arab"
    page = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert "يُصدَّر أول ١٠٬٠٠٠ نتيجة كحد أقصى" in page


def test_json_has_the_same_rows(client, timeline_archive):
    _response, body = export_csv(client, q="تمبكتو", country="RU")
    rows = csv_rows(body)[1:]
    response = client.get(reverse("search_export_json"), {"q": "تمبكتو", "country": "RU"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert 'filename="arabic-news-' in response["Content-Disposition"]
    data = json.loads(response.content.decode("utf-8"))
    assert set(data) == {"query", "count", "exported", "cap", "truncated", "results"}
    assert data["query"] == "تمبكتو" and data["count"] == len(rows) == data["exported"]
    assert data["truncated"] is False and data["cap"] == 10_000
    assert [r["id"] for r in data["results"]] == [int(r[0]) for r in rows]
    for item, row in zip(data["results"], rows, strict=True):
        assert set(item) == set(HEADER)
        assert [item["title"], item["outlet"], item["date"], item["url"], item["permalink"]] == [
            row[1], row[2], row[3], row[6], row[7]]
        assert "، ".join(c["name"] for c in item["countries"]) == row[4]
        assert all(re.fullmatch(r"[A-Z]{2}", c["code"]) for c in item["countries"])
    assert "تمبكتو" in response.content.decode("utf-8")  # not \\u-escaped Arabic


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
    make_article(title=XSS_TITLE, body="تمبكتو", published=dt.date(2023, 6, 24))
    search_index.build()
    response = client.get(reverse("search_export_json"), {"q": "تمبكتو"})
    raw = response.content.decode("utf-8")
    assert "<" not in raw and ">" not in raw  # inert even if sniffed as HTML
    data = json.loads(raw)
    assert XSS_TITLE in [r["title"] for r in data["results"]]
    _response, body = export_csv(client, q="تمبكتو")
    assert XSS_TITLE in [r[1] for r in csv_rows(body)]  # CSV is data, kept as written
    assert response["X-Content-Type-Options"] == "nosniff"


def test_post_is_not_allowed(client, search_index):
    assert client.post(reverse("search_export_csv")).status_code == 405
    assert client.post(reverse("search_export_json")).status_code == 405
