"""The JSON API contract: GET /api/search/ (url name api_search)."""
import re

import pytest
from django.urls import reverse

from archive.models import Article

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff]")


def get(client, **params):
    return client.get(reverse("api_search"), params)


def test_url_name():
    assert reverse("api_search") == "/api/search/"


def test_contract_keys_and_types(client, search_seeded):
    response = get(client, q="بوتين")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"query", "count", "page", "pages", "results", "facets", "suggestion",
                         "suggestion_count", "expansions"}
    assert data["query"] == "بوتين"
    assert isinstance(data["count"], int) and data["count"] > 0
    assert data["page"] == 1 and isinstance(data["pages"], int) and data["pages"] >= 1
    assert data["suggestion"] is None and data["suggestion_count"] is None
    assert len(data["results"]) == min(20, data["count"])
    for item in data["results"]:
        assert set(item) == {"id", "title", "url", "published", "source", "countries", "mentioned", "topics",
                             "snippet", "origin"}
        assert isinstance(item["id"], int)
        assert isinstance(item["title"], str) and item["title"]
        assert item["url"] == reverse("article_detail", args=[item["id"]])
        assert item["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["published"])
        assert item["source"] is None or (
            set(item["source"]) == {"slug", "name"} and all(isinstance(v, str) for v in item["source"].values())
        )
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in item["countries"])
        assert all(isinstance(t, str) for t in item["topics"])
        assert isinstance(item["snippet"], str)
        assert isinstance(item["origin"], str)
    assert any("<mark>" in item["snippet"] for item in data["results"])
    assert set(data["facets"]) == {"country", "source", "topic", "month", "person", "outlet_country", "collection"}
    for values in data["facets"].values():
        for f in values:
            assert set(f) == {"value", "label", "count"}
            assert isinstance(f["value"], str) and isinstance(f["label"], str)
            assert isinstance(f["count"], int) and f["count"] > 0
    assert any(ARABIC.search(f["label"]) for f in data["facets"]["country"])
    assert all(ARABIC.search(f["label"]) for f in data["facets"]["month"])


def test_no_query_lists_all_newest_first_with_facets(client, search_seeded):
    data = get(client).json()
    visible = Article.objects.filter(is_hidden=False)
    assert data["query"] == "" and data["count"] == visible.count()
    dated = [r["published"] for r in data["results"] if r["published"]]
    assert dated == sorted(dated, reverse=True)
    assert data["facets"]["country"] and data["facets"]["month"]


def test_filters_and_paging(client, search_seeded):
    all_data = get(client, page_size=2).json()
    assert len(all_data["results"]) == 2
    assert all_data["pages"] == -(-all_data["count"] // 2)
    page2 = get(client, page_size=2, page=2).json()
    assert {r["id"] for r in page2["results"]}.isdisjoint({r["id"] for r in all_data["results"]})
    country = all_data["facets"]["country"][0]
    filtered = get(client, country=country["value"]).json()
    assert filtered["count"] == country["count"]
    assert all(country["value"] in r["countries"] for r in filtered["results"])
    oldest = get(client, sort="oldest").json()["results"]
    dated = [r["published"] for r in oldest if r["published"]]
    assert dated == sorted(dated)


def test_page_beyond_the_last_is_empty_not_an_error(client, search_seeded):
    data = get(client, q="بوتين", page=999).json()
    assert data["results"] == [] and data["count"] > 0 and data["page"] == 999
    response = get(client, q="بوتين", page=10**6)
    assert response.status_code == 200 and response.json()["results"] == []


def test_empty_result_has_suggestion(client, search_seeded):
    # a typo (not a spelling variant, which expansion would search too)
    data = get(client, q="بوتيم").json()
    assert data["count"] == 0 and data["results"] == [] and data["pages"] == 0
    assert data["suggestion"] == "بوتين"
    # the count of the suggested search, as searching it gives
    assert data["suggestion_count"] == get(client, q="بوتين").json()["count"] > 0


BAD_PARAMS = [
    {"q": '"بوتين'},
    {"q": "(بوتين"},
    {"q": "بوتين)"},
    {"q": "OR"},
    {"q": "-"},
    {"q": "!!!"},
    {"q": "في من"},
    {"q": "ب" * 5000},
    {"q": "بوتين\x00"},
    {"q": "بوتين\x1f"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "abc"},
    {"page": str(10**12)},
    {"page": "1.5"},
    {"page_size": "0"},
    {"page_size": "101"},
    {"page_size": "x"},
    {"date_from": "2023-13-45"},
    {"date_to": "2023-02-30"},
    {"date_from": "yesterday"},
    {"date_from": "2023-06-02", "date_to": "2023-06-01"},
    {"sort": "foo"},
    {"country": "ZZZ"},
    {"country": "ru"},
    {"country": "ZZ"},
    {"source": "no-such-source"},
    {"source": "<script>"},
    {"topic": "no-such-topic"},
    {"country": "R\x00"},
]


@pytest.mark.parametrize("params", BAD_PARAMS, ids=[repr(p)[:40] for p in BAD_PARAMS])
def test_invalid_parameters_get_400_with_arabic_error(client, search_seeded, params):
    response = get(client, **params)
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"error"}
    assert ARABIC.search(data["error"])


def test_post_is_not_allowed(client, search_index):
    assert client.post(reverse("api_search")).status_code == 405


def test_escaping_in_api_snippet(client, search_index, make_article):
    article = make_article(
        title="عنوان <script>alert(1)</script> خطير",
        body="نص فيه <script>alert(1)</script> و <img src=x onerror=alert(1)> خطير جدا",
    )
    search_index.build()
    data = get(client, q="خطير").json()
    item = next(r for r in data["results"] if r["id"] == article.pk)
    assert "<script>" not in item["snippet"] and "<img" not in item["snippet"]
    assert "&lt;script&gt;" in item["snippet"] and "&lt;img" in item["snippet"]
    assert "<mark>خطير</mark>" in item["snippet"]
    # title is plain text in JSON (clients escape it)
    assert item["title"] == article.title


# --- labels are cached per process but follow every edit -------------------------------------

def _country_label(client, code):
    data = get(client, q="", country=code).json()
    return {f["value"]: f["label"] for f in data["facets"]["country"]}.get(code)


# Serialized rollback, and the reference data loaded again (tests/fixtures_browser.py): the
# countries are there whatever transactional test ran before, and after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_labels_follow_edits_saves_and_other_processes(reference_data, client, search_seeded):
    """Outside a transaction (as in the web process) the names are cached."""
    from archive.models import ArticleCountry, Country
    from search import labels

    code = ArticleCountry.objects.values_list("country_id", flat=True).first()
    original = Country.objects.get(code=code).name_ar
    assert _country_label(client, code) == original
    # an edit another process made (no signal here): cached until its stamp
    Country.objects.filter(code=code).update(name_ar="اسم آخر")
    assert _country_label(client, code) == original
    labels._touch()
    assert _country_label(client, code) == "اسم آخر"
    # an admin edit (save → signal): the next request shows it
    country = Country.objects.get(code=code)
    country.name_ar = "اسم جديد"
    country.save()
    assert _country_label(client, code) == "اسم جديد"
    # rows added or removed without signals change the fingerprint
    Country.objects.bulk_create([Country(code="ZZ", name_ar="بلد تجريبي")])
    assert labels.labels().countries["ZZ"] == "بلد تجريبي"
    Country.objects.filter(code="ZZ").delete()
    assert "ZZ" not in labels.labels().countries


def test_labels_inside_a_transaction_are_never_stale(client, search_seeded):
    """An edit inside a transaction (a test, an admin save before commit)
    is read through, and a rollback cannot leave it cached."""
    from django.db import transaction

    from archive.models import ArticleCountry, Country

    code = ArticleCountry.objects.values_list("country_id", flat=True).first()
    original = Country.objects.get(code=code).name_ar
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            country = Country.objects.get(code=code)
            country.name_ar = "مؤقت"
            country.save()
            assert _country_label(client, code) == "مؤقت"
            raise RuntimeError("roll back")
    assert _country_label(client, code) == original


def test_labels_cost_one_query_when_cached(client, search_seeded, django_assert_max_num_queries):
    from search import labels

    labels.labels()
    with django_assert_max_num_queries(1):
        labels.labels()
