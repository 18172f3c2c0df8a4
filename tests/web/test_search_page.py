"""The search page /search/ (url name search)."""
import re
from datetime import date

import pytest
from django.urls import reverse

from archive.formatting import count_label, count_noun
from archive.models import Article

from .test_api import BAD_PARAMS

pytestmark = pytest.mark.django_db


def page(client, **params):
    return client.get(reverse("search"), params)


def test_url_name():
    assert reverse("search") == "/search/"


def test_results_page(client, search_seeded):
    response = page(client, q="بوتين")
    assert response.status_code == 200
    html = response.content.decode()
    result = response.context["result"]
    assert result.count > 0
    assert count_noun(result.count, "result") in html
    for hit in result.hits:
        assert f'href="{reverse("article_detail", args=[hit.id])}?q=' in html
        if hit.source:
            assert hit.source.name in html
    assert "<mark>بوتين</mark>" in html
    # facet labels: Arabic country names and months
    assert "البلد" in html and "المصدر" in html and "الشهر" in html
    countries = response.context["facet_groups"][0]
    assert countries["name"] == "country" and countries["values"]
    assert re.search(r"[\u0600-\u06ff]", countries["values"][0]["label"])


def test_unknown_date_label(client, search_index, make_article):
    make_article(title="مقال بلا تاريخ", body="نص بلا تاريخ معروف", published=None)
    make_article(title="مقال بتاريخ", body="نص بتاريخ", published=date(2023, 6, 24))
    search_index.build()
    html = page(client, q="مقال").content.decode()
    assert "تاريخ غير معروف" in html
    assert "يونيو" in html


def test_filters_links_and_pagination(client, search_seeded):
    response = page(client, page_size=2)
    assert response.status_code == 200
    ctx = response.context
    assert ctx["pagination"] and ctx["pagination"]["next"]
    html = response.content.decode()
    assert 'rel="next"' in html
    # facet link toggles the filter on; following it narrows the results
    value = ctx["facet_groups"][0]["values"][0]
    assert value["url"].startswith("?") and "country=" in value["url"]
    narrowed = client.get(reverse("search") + value["url"])
    assert narrowed.status_code == 200
    assert narrowed.context["result"].count == value["count"]
    # and the selected value's link removes it again
    selected = [v for v in narrowed.context["facet_groups"][0]["values"] if v["selected"]]
    assert selected and "country=" not in selected[0]["url"]
    # month facet links set a date range
    month = next(g for g in ctx["facet_groups"] if g["name"] == "month")["values"][0]
    assert "date_from=" in month["url"] and "date_to=" in month["url"]
    assert client.get(reverse("search") + month["url"]).context["result"].count == month["count"]


def test_empty_state_with_suggestion(client, search_seeded):
    response = page(client, q="بوتيم")  # a typo, not a spelling variant
    html = response.content.decode()
    assert response.status_code == 200
    assert "هل تقصد" in html and "بوتين" in html
    assert "لم نعثر" in html
    count = response.context["result"].suggestion_count
    assert count and count == page(client, q="بوتين").context["result"].count
    suggestion = html[html.index('class="search-suggestion"'):]
    assert f"({count_label(count, 'result')})" in suggestion[:suggestion.index("</p>")]


@pytest.mark.parametrize("params", BAD_PARAMS, ids=[repr(p)[:40] for p in BAD_PARAMS])
def test_malformed_input_never_500(client, search_seeded, params):
    response = page(client, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "\x00" not in html


def test_escaping_on_results_page(client, search_index, make_article):
    article = make_article(
        title="عنوان <script>alert(1)</script> <img src=x onerror=alert(1)> خطير",
        body="نص فيه <script>alert(1)</script> و <img src=x onerror=alert(1)> خطير جدا",
    )
    search_index.build()
    for q in ["خطير", "script", "alert", "img onerror"]:
        response = page(client, q=q)
        html = response.content.decode()
        assert response.status_code in (200, 400)
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<img src=\"x\"" not in html
    html = page(client, q="خطير").content.decode()
    assert article.pk in [h.id for h in page(client, q="خطير").context["result"].hits]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # a query that is itself markup is echoed escaped
    html = page(client, q="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_no_query_shows_everything(client, search_seeded):
    response = page(client)
    assert response.status_code == 200
    assert response.context["result"].count == Article.objects.filter(is_hidden=False).count()
