"""GET /api/terms/ (url name api_terms) and the results page's «الكلمات المميزة»
block, on a real Whoosh index."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff]")


def get(client, **params):
    return client.get(reverse("api_terms"), params)


@pytest.fixture
def wagner_archive(search_index, make_article):
    """Four articles on Wagner (three in Russia), twelve others; «قال» and «في» everywhere."""
    for i in range(3):
        make_article(title=f"تمرد فاغنر {i}", body="قال بريغوجين في روستوف إن قوات فاغنر تتقدم نحو موسكو",
                     countries=("RU",))
    make_article(title="فاغنر في أفريقيا", body="قال مسؤول إن مقاتلي فاغنر وصلوا إلى مالي والنيجر",
                 countries=("ML",))
    for i in range(12):
        make_article(title=f"الاقتصاد {i}", body="قال الوزير في مؤتمر صحفي إن الاقتصاد ينمو والأسعار تستقر",
                     countries=("UA",))
    search_index.build()
    return search_index


def test_url_name():
    assert reverse("api_terms") == "/api/terms/"


def test_contract_and_the_characteristic_words(client, wagner_archive):
    response = get(client, q="فاغنر")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"query", "terms"}
    assert data["query"] == "فاغنر"
    assert 0 < len(data["terms"]) <= 30
    for item in data["terms"]:
        assert set(item) == {"term", "count", "score"}
        assert isinstance(item["term"], str) and ARABIC.search(item["term"])
        assert isinstance(item["count"], int) and 1 <= item["count"] <= 4
        assert isinstance(item["score"], float) and item["score"] > 0
    words = [t["term"] for t in data["terms"]]
    assert "بريغوجين" in words and "روستوف" in words  # as written
    assert "فاغنر" not in words  # the query's own word
    assert "قال" not in words and "في" not in words  # common everywhere; a stopword
    assert "الاقتصاد" not in words  # never in the matches
    assert [t["score"] for t in data["terms"]] == sorted((t["score"] for t in data["terms"]), reverse=True)
    # in three of the four matches: ahead of a word found in one
    assert words.index("بريغوجين") < words.index("مالي")


def test_filters_apply_like_the_search_api(client, wagner_archive):
    words = [t["term"] for t in get(client, q="فاغنر", country="ML").json()["terms"]]
    assert "مالي" in words and "بريغوجين" not in words
    # no query: the filtered articles against the archive
    words = [t["term"] for t in get(client, country="UA").json()["terms"]]
    assert "الاقتصاد" in words and "فاغنر" not in words


def test_no_match_and_whole_archive_give_no_terms(client, wagner_archive):
    assert get(client, q="كلمةغيرموجودة").json() == {"query": "كلمةغيرموجودة", "terms": []}
    assert get(client).json() == {"query": "", "terms": []}


@pytest.mark.parametrize("params", [
    {"country": "ru"}, {"country": "XX"}, {"date_from": "2023-13-01"}, {"sort": "best"},
    {"q": '"غير مغلق'}, {"source": "no-such-outlet"}, {"q": "ك" * 1200},
])
def test_bad_parameters_get_400_with_an_arabic_error(client, wagner_archive, params):
    response = get(client, **params)
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"error"} and ARABIC.search(data["error"])


def test_post_is_not_allowed(client, search_index):
    assert client.post(reverse("api_terms")).status_code == 405


def _terms_block(client, params):
    """The results page's top-words section as the page's script loads it:
    the section's link is /search/terms/ with the same parameters."""
    page = client.get(reverse("search"), params)
    assert page.status_code == 200
    html = page.content.decode()
    slot = html[html.index('id="top-terms"'):]
    slot = slot[:slot.index("</section>")]
    raw = re.search(r'data-terms-src="([^"]+)"', slot).group(1)
    assert f'href="{raw}"' in slot  # the same page is the link without JavaScript
    src = raw.replace("&amp;", "&")
    response = client.get(src)
    assert response.status_code == 200
    terms_html = response.content.decode()
    if 'id="top-terms"' not in terms_html:
        return src, None
    block = terms_html[terms_html.index('id="top-terms"'):]
    return src, block[:block.index("</section>")]


def test_results_page_block_links_add_the_word_and_keep_the_filters(client, wagner_archive):
    src, block = _terms_block(client, {"q": "فاغنر", "country": "RU"})
    assert parse_qs(urlsplit(src).query) == {"q": ["فاغنر"], "country": ["RU"]}
    assert "الكلمات المميزة" in block
    links = re.findall(r'href="([^"]+)"', block)
    assert links
    urls = {parse_qs(urlsplit(link.replace("&amp;", "&")).query)["q"][0]: link for link in links}
    assert "فاغنر بريغوجين" in urls
    target = urlsplit(urls["فاغنر بريغوجين"].replace("&amp;", "&"))
    assert target.path == reverse("search")
    query = parse_qs(target.query)
    assert query["country"] == ["RU"] and "page" not in query
    followed = client.get(reverse("search") + "?" + target.query)
    assert followed.status_code == 200 and "بريغوجين" in followed.content.decode()


def test_results_page_does_not_wait_for_the_words(client, wagner_archive, monkeypatch):
    """Counting the words costs a few hundred ms on a new search at 70k: the
    results page leaves it to /search/terms/, loaded after it is shown."""
    import search.terms

    def refuse(*_args, **_kwargs):
        raise AssertionError("the results page counted the top words")

    monkeypatch.setattr(search.terms, "top_terms", refuse)
    response = client.get(reverse("search"), {"q": "فاغنر"})
    assert response.status_code == 200 and "data-terms-src" in response.content.decode()


def test_results_page_without_query_or_filters_has_no_block(client, wagner_archive):
    html = client.get(reverse("search")).content.decode()
    assert 'id="top-terms"' not in html


def test_terms_page_with_bad_input_is_a_clear_400(client, wagner_archive):
    response = client.get(reverse("search_terms"), {"q": "فاغنر", "date_from": "2023-02-31"})
    assert response.status_code == 400
    assert ARABIC.search(response.content.decode())


def test_user_text_in_the_block_is_escaped(client, search_index, make_article):
    for _ in range(2):
        make_article(title="خطير <b>غامق</b>", body="نص خطير فيه <script>alert(1)</script> كلمة")
    make_article(title="أخرى", body="نص آخر")
    search_index.build()
    _src, block = _terms_block(client, {"q": "خطير <b>"})
    assert "<script>" not in block and "<b>" not in block
    assert "%3Cb%3E" in block  # the query is kept, encoded, in each link


def test_a_list_is_counted_once_per_index_generation(wagner_archive, make_article, django_assert_num_queries):
    from search.service import parse_search_params
    from search.terms import top_terms

    first = top_terms(parse_search_params({"q": "فاغنر"}))
    with django_assert_num_queries(0):  # no article text read again
        assert top_terms(parse_search_params({"q": "فاغنر"})) == first
    for _ in range(3):
        make_article(title="فاغنر", body="قائد فاغنر يظهر في بيلاروسيا بعد التمرد")
    wagner_archive.build()
    again = [t.term for t in top_terms(parse_search_params({"q": "فاغنر"}))]
    assert "بيلاروسيا" in again and again != [t.term for t in first]
