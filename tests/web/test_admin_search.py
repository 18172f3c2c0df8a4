"""The article list's search box uses the search engine over title and body."""
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-passphrase-123")
    client.force_login(user)
    return client


@pytest.fixture
def wagner(seeded, search_index, make_article):
    one = Source.objects.update_or_create(slug="aljazeera", defaults={"name": "الجزيرة نت"})[0]
    two = Source.objects.update_or_create(slug="bbc-arabic", defaults={"name": "بي بي سي عربي"})[0]
    made = {
        "title_only": make_article(title="قائد فاغنر يظهر من جديد", body="نص عادي.", source=one,
                                   published=dt.date(2023, 6, 1)),
        "body_clitic": make_article(title="تقرير عن الساحل", body="قال مسؤول إن المقاتلين التابعين لفاغنر غادروا.",
                                    source=one, published=dt.date(2023, 7, 1), countries=("ML",)),
        "other_outlet": make_article(title="أخبار اليوم", body="انسحاب قوات فاغنر من المدينة.", source=two,
                                     published=dt.date(2022, 3, 1)),
        "unrelated": make_article(title="أسعار النفط", body="ارتفعت أسعار النفط.", source=one,
                                  published=dt.date(2023, 7, 2)),
    }
    search_index.build()
    return made


def _titles(client, **params):
    html = client.get(reverse("admin:archive_article_changelist"), params).content.decode()
    return html


def test_search_box_finds_words_in_the_body_with_clitics(staff_client, wagner):
    html = _titles(staff_client, q="فاغنر")
    assert "قائد فاغنر يظهر من جديد" in html
    assert "تقرير عن الساحل" in html  # «لفاغنر» in the body only
    assert "أخبار اليوم" in html
    assert "أسعار النفط" not in html
    # Several words, all in the body.
    assert "تقرير عن الساحل" in _titles(staff_client, q="المقاتلين التابعين")


def test_search_box_works_with_the_list_filters(staff_client, wagner):
    one = Source.objects.get(slug="aljazeera")
    html = _titles(staff_client, q="فاغنر", source__id__exact=one.pk)
    assert "تقرير عن الساحل" in html and "أخبار اليوم" not in html
    html = _titles(staff_client, q="فاغنر", countries__code__exact="ML")
    assert "تقرير عن الساحل" in html and "قائد فاغنر يظهر من جديد" not in html
    html = _titles(staff_client, q="فاغنر", published__year="2022")
    assert "أخبار اليوم" in html and "تقرير عن الساحل" not in html


def test_hidden_articles_are_still_found_by_title(staff_client, wagner):
    article = wagner["title_only"]
    article.is_hidden = True
    article.save()
    html = _titles(staff_client, q="فاغنر", is_hidden__exact="1")
    assert "قائد فاغنر يظهر من جديد" in html and "تقرير عن الساحل" not in html


def test_bad_search_text_is_no_server_error(staff_client, wagner):
    for text in ('"', "((", "x" * 3000, "<script>alert(1)</script>"):
        response = staff_client.get(reverse("admin:archive_article_changelist"), {"q": text})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
