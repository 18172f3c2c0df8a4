"""Follow a search: the Atom feed /search/feed.atom and its links on the results page."""
import datetime as dt
import html as htmllib
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from archive.models import Article

from .test_api import BAD_PARAMS
from .test_search_ui import XSS_TITLE

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, **params):
    response = client.get(reverse("search_feed"), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response, ET.fromstring(response.content)


def entries(root):
    return root.findall(f"{ATOM}entry")


def test_url():
    assert reverse("search_feed") == "/search/feed.atom"


def test_feed_lists_matches_newest_first(client, timeline_archive):
    _response, root = feed(client, q="تمبكتو", sort="oldest", page="2", page_size="2")  # paging and sort ignored
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert root.findtext(f"{ATOM}title") == "أرشيف الأخبار العربية: أحدث المقالات عن «تمبكتو»"
    items = entries(root)
    assert len(items) == 7
    dates = [e.findtext(f"{ATOM}updated") for e in items]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dated[0].startswith("2023-09-15")
    assert dates[-1] is None  # the undated article last
    first = items[0]
    link = first.find(f"{ATOM}link").get("href")
    assert re.fullmatch(r"http://testserver/articles/\d+/", link)
    article = Article.objects.get(pk=int(link.rstrip("/").rsplit("/", 1)[1]))
    assert first.findtext(f"{ATOM}title") == article.title
    assert first.findtext(f"{ATOM}id") == link
    assert first.find(f"{ATOM}author").findtext(f"{ATOM}name") == article.source.name
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<mark>تمبكتو</mark>" in summary.text
    # the feed's own link goes back to the results page with the same search
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert parse_qs(urlsplit(alternate).query) == {"q": ["تمبكتو"]}


def test_filters_apply_and_the_feed_is_capped(client, timeline_archive, monkeypatch):
    _response, root = feed(client, q="تمبكتو", country="RU", source="aljazeera")
    titles = {e.findtext(f"{ATOM}title") for e in entries(root)}
    expected = set(Article.objects.filter(
        title__contains="تمبكتو", country_mentions__country="RU", source__slug="aljazeera",
    ).values_list("title", flat=True))
    assert titles == expected and len(titles) == 4
    import search.feeds

    monkeypatch.setattr(search.feeds, "FEED_SIZE", 2)
    _response, root = feed(client, q="تمبكتو")
    assert [e.findtext(f"{ATOM}updated")[:10] for e in entries(root)] == ["2023-09-15", "2023-09-15"]


def test_default_size_is_fifty(client, seeded, search_index, make_article):
    for i in range(55):
        make_article(title=f"خبر {i} عن تمبكتو", body="تمبكتو", published=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    search_index.build()
    _response, root = feed(client, q="تمبكتو")
    items = entries(root)
    assert len(items) == 50
    assert items[0].findtext(f"{ATOM}title") == "خبر 54 عن تمبكتو"


def test_titles_and_summaries_are_escaped(client, timeline_archive, make_article, search_index):
    make_article(title=XSS_TITLE, body=f"تمبكتو {XSS_TITLE}", published=dt.date(2024, 1, 1))
    search_index.build()
    response, root = feed(client, q="تمبكتو")
    raw = response.content.decode("utf-8")
    assert "<script" not in raw and "<img" not in raw
    first = entries(root)[0]
    assert first.findtext(f"{ATOM}title") == XSS_TITLE  # text, exactly as written
    summary = first.find(f"{ATOM}summary").text  # HTML, the article's markup escaped in it
    assert "<script" not in summary and "&lt;script&gt;" in summary


@pytest.mark.parametrize("params", BAD_PARAMS[::2], ids=[repr(p)[:40] for p in BAD_PARAMS[::2]])
def test_bad_parameters_are_400(client, search_seeded, params):
    response = client.get(reverse("search_feed"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert re.search(r"[\u0600-\u06ff]", response.content.decode("utf-8"))


def test_post_is_not_allowed(client, search_index):
    assert client.post(reverse("search_feed")).status_code == 405


def test_results_page_links_to_the_feed(client, timeline_archive):
    response = client.get(reverse("search"), {"q": "تمبكتو", "country": "RU", "page": "2", "page_size": "2",
                                              "sort": "oldest"})
    page = response.content.decode()
    link = re.search(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)" title="([^"]+)">', page)
    assert link, "no feed link in the head"
    href = htmllib.unescape(link.group(1))
    assert urlsplit(href).path == "/search/feed.atom"
    assert parse_qs(urlsplit(href).query) == {"q": ["تمبكتو"], "country": ["RU"]}
    assert htmllib.unescape(link.group(2)) == "أرشيف الأخبار العربية: أحدث المقالات عن «تمبكتو»"
    assert f'<a href="{link.group(1)}" type="application/atom+xml">' in page  # the visible link
    assert "تابع هذا البحث" in page
    # the feed of that link answers
    assert client.get(href).status_code == 200


def test_feed_link_escapes_the_query(client, search_seeded):
    page = client.get(reverse("search"), {"q": '"><script>x</script>'}).content.decode()
    assert "<script>x" not in page
