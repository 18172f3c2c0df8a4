"""Numbered pages on the results page: search.pagination and the page's links."""
import html as htmllib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from search.pagination import GAP, page_links, page_numbers

# --- page_numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("current, pages, expected", [
    (6, 25, [1, GAP, 4, 5, 6, 7, 8, GAP, 25]),
    (1, 25, [1, 2, 3, GAP, 25]),
    (25, 25, [1, GAP, 23, 24, 25]),
    (4, 25, [1, 2, 3, 4, 5, 6, GAP, 25]),  # one hidden page is shown, not «…»
    (5, 25, [1, 2, 3, 4, 5, 6, 7, GAP, 25]),
    (21, 25, [1, GAP, 19, 20, 21, 22, 23, 24, 25]),
    (3, 5, [1, 2, 3, 4, 5]),
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (1, 0, []),
    (40, 25, [1, GAP, 23, 24, 25]),  # past the end: neighbours of the last page
    (0, 25, [1, 2, 3, GAP, 25]),
])
def test_page_numbers(current, pages, expected):
    assert page_numbers(current, pages) == expected


def test_page_numbers_around():
    assert page_numbers(10, 20, around=0) == [1, GAP, 10, GAP, 20]
    assert page_numbers(10, 20, around=1) == [1, GAP, 9, 10, 11, GAP, 20]
    assert page_numbers(10, 20, around=-3) == [1, GAP, 10, GAP, 20]


@pytest.mark.parametrize("pages", range(1, 30))
def test_page_numbers_properties(pages):
    for current in range(1, pages + 1):
        numbers = page_numbers(current, pages)
        shown = [n for n in numbers if n is not GAP]
        assert shown == sorted(set(shown)) and shown[0] == 1 and shown[-1] == pages
        assert current in shown
        for n in range(max(1, current - 2), min(pages, current + 2) + 1):
            assert n in shown
        for i, n in enumerate(numbers):
            if n is GAP:  # a gap hides two or more pages and never starts or ends the list
                assert 0 < i < len(numbers) - 1 and numbers[i + 1] - numbers[i - 1] > 2


def test_page_links():
    links = page_links(2, 6, lambda n: f"?page={n}", around=1)
    assert links == [
        {"number": 1, "url": "?page=1", "current": False},
        {"number": 2, "url": "?page=2", "current": True},
        {"number": 3, "url": "?page=3", "current": False},
        {"gap": True},
        {"number": 6, "url": "?page=6", "current": False},
    ]


# --- the results page ------------------------------------------------------------------------

def numbered_links(page):
    """[(text, href, is_current)] of the numbered page links."""
    block = re.search(r'<ol class="pagination__numbers".*?</ol>', page, re.S)
    assert block, "no numbered pages"
    found = []
    for attrs, text in re.findall(r'<a class="pagination__number" ([^>]*)>(.*?)</a>', block.group(0)):
        href = htmllib.unescape(re.search(r'href="([^"]*)"', attrs).group(1))
        text = re.sub(r"<[^>]+>", "", text)
        found.append((text, href, 'aria-current="page"' in attrs))
    return found, block.group(0)


@pytest.mark.django_db
def test_numbered_links_keep_every_filter(client, timeline_archive):
    # the topic is on articles 0, 2, 4, 6: 4 results → pages 1..4 with one a page
    params = {"q": "تمبكتو", "sort": "oldest", "page_size": "1", "page": "3", "topic": timeline_archive["topic"].slug}
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    page = response.content.decode()
    links, block = numbered_links(page)
    assert [text for text, _h, _c in links] == ["الصفحة 1", "الصفحة 2", "الصفحة 3", "الصفحة 4 (الأخيرة)"]
    assert [c for _t, _h, c in links] == [False, False, True, False]
    assert block.count('aria-current="page"') == 1
    for text, href, _current in links:
        query = parse_qs(urlsplit(href).query)
        number = text.split()[1]
        assert urlsplit(href).path == ""  # relative to /search/
        assert query.get("page", ["1"]) == [number]
        assert query["q"] == ["تمبكتو"] and query["sort"] == ["oldest"] and query["page_size"] == ["1"]
        assert query["topic"] == [timeline_archive["topic"].slug]
    # previous/next stay
    assert 'rel="prev"' in page and 'rel="next"' in page
    # the status line is no longer the current item (the number is)
    assert '<li class="pagination__status">' in page


@pytest.mark.django_db
def test_gaps_between_first_last_and_neighbours(client, timeline_archive):
    # «تمبكتو»: 7 results, one a page → 7 pages; page 6: 1 … 4 5 [6] 7
    response = client.get(reverse("search"), {"q": "تمبكتو", "page_size": "1", "page": "6"})
    page = response.content.decode()
    links, block = numbered_links(page)
    assert [t.split()[1] for t, _h, _c in links] == ["1", "4", "5", "6", "7"]
    assert block.count("pagination__gap") == 1 and "…" in block
    assert response.context["pagination"]["numbers"][1] == {"gap": True}


@pytest.mark.django_db
def test_numbers_follow_the_digit_choice(client, timeline_archive):
    client.cookies["digits"] = "arab"
    page = client.get(reverse("search"), {"q": "تمبكتو", "page_size": "1", "page": "2"}).content.decode()
    links, _block = numbered_links(page)
    assert links[1][0] == "الصفحة ٢" and links[1][2]


@pytest.mark.django_db
def test_one_page_has_no_numbers(client, timeline_archive):
    page = client.get(reverse("search"), {"q": "تمبكتو"}).content.decode()
    assert "pagination__numbers" not in page


@pytest.mark.django_db
def test_page_beyond_the_last_is_a_clear_message(client, timeline_archive):
    response = client.get(reverse("search"), {"q": "تمبكتو", "page_size": "2", "page": "9", "country": "RU"})
    assert response.status_code == 200
    page = response.content.decode()
    # RU: 5 results, 2 a page → 3 pages
    assert "لا توجد صفحة رقمها 9: آخر صفحة للنتائج هي 3." in page
    last = response.context["last_page_url"]
    assert parse_qs(urlsplit(last).query) == {"q": ["تمبكتو"], "page_size": ["2"], "page": ["3"], "country": ["RU"]}
    assert f'href="{htmllib.escape(last)}"' in page
    first = parse_qs(urlsplit(response.context["first_page_url"]).query)
    assert "page" not in first and first["country"] == ["RU"]
    # one page of results
    page = client.get(reverse("search"), {"q": "تمبكتو", "page": "5"}).content.decode()
    assert "لا توجد صفحة رقمها 5: النتائج كلها في صفحة واحدة." in page
    # absurd numbers stay a clear 400, never a server error
    response = client.get(reverse("search"), {"q": "تمبكتو", "page": "99999999999999"})
    assert response.status_code == 400 and "رقم الصفحة" in response.content.decode()
