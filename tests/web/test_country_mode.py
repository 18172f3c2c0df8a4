"""The country facet and filter at two levels (about by default,
``country_mode=mentioned``), on a real Whoosh index: page, API and exports."""
import csv
import io
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_levels(search_index, make_article):
    """Three articles on «الميناء»: about Yemen, about Oman naming Yemen,
    about nothing naming Yemen and Oman."""
    yemen = make_article(title="الميناء في عدن", body="الميناء اليمني يستقبل السفن", countries=("YE",))
    oman = make_article(title="الميناء في صلالة", body="الميناء العماني قرب اليمن", countries=("OM",),
                        mentioned=("YE",))
    neither = make_article(title="الميناء والتجارة", body="تقرير عن الميناء يذكر اليمن وعمان",
                           mentioned=("YE", "OM"))
    search_index.build()
    return {"yemen": yemen, "oman": oman, "neither": neither}


def _api(client, **params):
    return client.get(reverse("api_search"), {"q": "الميناء", **params})


def test_filter_reads_about_by_default_and_mentioned_on_request(client, two_levels):
    ids = {a.pk: name for name, a in two_levels.items()}
    about = _api(client, country="YE").json()
    assert {ids[r["id"]] for r in about["results"]} == {"yemen"}
    mentioned = _api(client, country="YE", country_mode="mentioned").json()
    assert {ids[r["id"]] for r in mentioned["results"]} == {"yemen", "oman", "neither"}
    assert {ids[r["id"]] for r in _api(client, country="OM").json()["results"]} == {"oman"}


def test_facet_counts_follow_the_mode(client, two_levels):
    def counts(**params):
        return {f["value"]: f["count"] for f in _api(client, **params).json()["facets"]["country"]}

    assert counts() == {"YE": 1, "OM": 1}
    assert counts(country_mode="mentioned") == {"YE": 3, "OM": 2}


def test_api_results_carry_both_levels(client, two_levels):
    data = _api(client).json()
    by_id = {r["id"]: r for r in data["results"]}
    oman = by_id[two_levels["oman"].pk]
    assert oman["countries"] == ["OM"] and sorted(oman["mentioned"]) == ["OM", "YE"]
    neither = by_id[two_levels["neither"].pk]
    assert neither["countries"] == [] and sorted(neither["mentioned"]) == ["OM", "YE"]


def test_bad_mode_is_a_400_not_a_server_error(client, two_levels):
    for value in ("all", "<script>", "ABOUT"):
        response = _api(client, country_mode=value)
        assert response.status_code == 400 and "country_mode" in response.json()["error"]
    page = client.get(reverse("search"), {"country_mode": "<b>x</b>"})
    assert page.status_code == 400 and b"<b>x</b>" not in page.content


def test_page_says_which_level_and_links_the_other(client, two_levels):
    html = client.get(reverse("search"), {"q": "الميناء"}).content.decode()
    assert "يُحتسب: البلدان التي يتناولها المقال" in html
    assert "country_mode=mentioned" in html
    html = client.get(reverse("search"), {"q": "الميناء", "country_mode": "mentioned"}).content.decode()
    assert "يُحتسب: كل البلدان المذكورة في المقال" in html
    # the filter form keeps the mode
    assert 'name="country_mode" value="mentioned"' in html


def test_exports_carry_both_levels(client, two_levels):
    body = b"".join(client.get(reverse("search_export_csv"), {"q": "الميناء"}).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    oman = next(r for r in rows if r["id"] == str(two_levels["oman"].pk))
    assert oman["country_codes"] == "OM" and oman["mentioned_codes"] == "OM;YE"
    response = client.get(reverse("search_export_json"), {"q": "الميناء", "country": "YE",
                                                          "country_mode": "mentioned"})
    parsed = json.loads(b"".join(response.streaming_content).decode())
    assert parsed["filters"]["country_mode"] == "mentioned" and parsed["count"] == 3
    neither = next(r for r in parsed["results"] if r["id"] == two_levels["neither"].pk)
    assert neither["countries"] == [] and [c["code"] for c in neither["mentioned"]] == ["OM", "YE"]
