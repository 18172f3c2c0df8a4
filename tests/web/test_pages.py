"""The reading room's pages, through Django's test client, on the seed articles."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.db.models import Count
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from archive.models import Article, ArticleCountry, Country, Source, Topic

DATED = "004_1dfa1cc5bcbb9d08.txt"      # مأرب برس, 2022-07-26
UNDATED = "003_5a2e85d36892b51a.txt"    # no outlet, no date
XSS_TITLE = "<script>alert(1)</script> عنوان خبيث"
XSS_BODY = "فقرة أولى <img src=x onerror=alert(1)>\n\nفقرة ثانية <script>alert(2)</script>"


def html(response):
    return response.content.decode("utf-8")


def assert_rtl_arabic(page):
    assert re.search(r'<html lang="ar" dir="rtl">', page), page[:300]


@pytest.fixture
def dated(seeded):
    return Article.objects.select_related("source").get(origin=DATED)


@pytest.fixture
def undated(seeded):
    return Article.objects.get(origin=UNDATED)


@pytest.fixture
def evil(seeded):
    """An outlet, topic and article whose text is an injection attempt."""
    source = Source.objects.create(name="<script>alert(1)</script> مصدر", slug="evil-outlet")
    topic = Topic.objects.create(slug="evil-topic", name_ar="<img src=x onerror=alert(1)> موضوع")
    article = Article.objects.create(
        title=XSS_TITLE, body=XSS_BODY, raw_text=XSS_BODY, raw_checksum="x", source=source,
        published=dt.date(2023, 6, 24), origin="evil-1", fingerprint="evil",
        author="<b onmouseover=alert(1)>كاتب</b>", url="https://example.com/a?x=<script>",
    )
    article.topics.add(topic)
    country = Country.objects.order_by("code").first()
    if country:
        ArticleCountry.objects.create(article=article, country=country, mentions=2)
    return article


# --- home ---------------------------------------------------------------------------

def test_home_shows_counts_chart_lists_and_latest(client, seeded):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = html(response)
    assert_rtl_arabic(page)
    assert "5 مقالات" in page
    assert "مصدر واحد" in page
    assert "26 يوليو 2022" in page
    # the coverage chart: one month with one dated article
    assert 'role="img"' in page and "<svg" in page
    assert "يوليو 2022: مقال واحد" in page
    for article in Article.objects.all():
        assert f'href="{article.get_absolute_url()}"' in page
        assert article.title.split()[0] in page
    # facet links go to the filtered search page
    assert "?source=marebpress" in page
    top_countries = (
        Country.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "name_ar")[:3]
    )
    for country in top_countries:
        assert f'href="/search/?country={country.code}"' in page
    top_topics = Topic.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "name_ar")[:3]
    for topic in top_topics:
        assert f'href="/search/?topic={topic.slug}"' in page
    # month bars narrow the search to that month
    assert "date_from=2022-07-01&amp;date_to=2022-07-31" in page
    assert response.headers.get("Vary") and "Cookie" in response.headers["Vary"]


def test_home_has_search_form_skip_link_and_landmarks(client, seeded):
    page = html(client.get("/"))
    assert '<a class="skip-link" href="#main">انتقل إلى المحتوى</a>' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page and "<nav" in page
    assert 'role="search"' in page and 'name="q"' in page
    assert re.search(r'<label[^>]+for="home-search-q"', page)


def test_hidden_articles_are_not_listed(client, dated):
    dated.is_hidden = True
    dated.save()
    page = html(client.get("/"))
    assert "4 مقالات" in page
    assert dated.get_absolute_url() not in page
    assert client.get(reverse("article_detail", args=[dated.pk])).status_code == 404
    # the outlet has no visible article left
    assert client.get(reverse("source_detail", args=["marebpress"])).status_code == 200
    assert "marebpress" not in html(client.get(reverse("source_list")))


# --- article ---------------------------------------------------------------------------

def test_article_page(client, dated):
    response = client.get(dated.get_absolute_url())
    assert response.status_code == 200
    page = html(response)
    assert_rtl_arabic(page)
    assert dated.title in page
    assert f'href="{reverse("source_detail", args=["marebpress"])}"' in page
    assert "مأرب برس" in page
    assert '<time datetime="2022-07-26">26 يوليو 2022</time>' in page
    paragraphs = dated.paragraphs
    assert len(paragraphs) >= 2
    assert page.count("<p>") >= len(paragraphs)
    assert paragraphs[-1][:40] in page
    assert DATED in page  # provenance: the seed file name
    assert "تاريخ الاستيراد" in page
    for mention in dated.country_mentions.select_related("country"):
        assert mention.country.name_ar in page
        assert f"?country={mention.country_id}" in page
    for topic in dated.topics.all():
        assert topic.name_ar in page and f"?topic={topic.slug}" in page


def test_article_original_link_is_noopener(client, dated):
    dated.url = "https://example.com/news/1"
    dated.save()
    page = html(client.get(dated.get_absolute_url()))
    assert re.search(r'<a href="https://example.com/news/1" rel="noopener noreferrer"', page)


def test_unknown_date_and_outlet(client, undated):
    page = html(client.get(undated.get_absolute_url()))
    assert "تاريخ غير معروف" in page
    assert "مصدر غير معروف" in page
    assert "تاريخ غير معروف" in html(client.get("/"))


def test_hidden_or_missing_article_is_404(client, undated):
    undated.is_hidden = True
    undated.save()
    assert client.get(reverse("article_detail", args=[undated.pk])).status_code == 404
    assert client.get("/articles/999999/").status_code == 404


def test_article_from_search_marks_query_and_links_back(client, seeded):
    article = Article.objects.get(origin="000_7e1908c697cfb7e2.txt")
    page = html(client.get(article.get_absolute_url(), {"q": "بوتين", "source": ""}))
    assert "<mark>" in page
    assert "العودة إلى نتائج البحث" in page
    assert "/search/?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86" in page
    plain = html(client.get(article.get_absolute_url()))
    assert "<mark>" not in plain and "العودة إلى نتائج البحث" not in plain


def test_article_related_list_is_defensive(client, seeded, monkeypatch):
    from search import results

    article = Article.objects.get(origin="000_7e1908c697cfb7e2.txt")
    other = Article.objects.get(origin=DATED)

    def broken(*_args, **_kwargs):
        raise RuntimeError("no index")

    monkeypatch.setattr(results, "related_articles", broken)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "مقالات ذات صلة" not in html(response)

    monkeypatch.setattr(
        results, "related_articles",
        lambda article_id, n=5: [SimpleNamespace(id=other.pk), SimpleNamespace(id=article_id)],
    )
    page = html(client.get(article.get_absolute_url()))
    assert "مقالات ذات صلة" in page
    assert other.get_absolute_url() in page


# --- outlets -----------------------------------------------------------------------------

def test_source_list(client, seeded):
    response = client.get(reverse("source_list"))
    assert response.status_code == 200
    page = html(response)
    assert_rtl_arabic(page)
    assert "مأرب برس" in page
    assert reverse("source_detail", args=["marebpress"]) in page
    assert "<dd>26 يوليو 2022</dd>" in page  # a single date, not a range
    assert "4 مقالات لا يُعرف مصدرها" in page


def test_source_detail(client, dated):
    response = client.get(reverse("source_detail", args=["marebpress"]))
    assert response.status_code == 200
    page = html(response)
    assert "مأرب برس" in page
    assert dated.title in page
    assert "<svg" in page and "يوليو 2022: مقال واحد" in page  # a single date: one month
    assert "?source=marebpress" in page
    assert client.get(reverse("source_detail", args=["no-such-outlet"])).status_code == 404


@pytest.fixture
def many_articles(seeded):
    source = Source.objects.get(slug="marebpress")
    Article.objects.bulk_create(
        Article(
            title=f"خبر رقم {i}", body="نص.", raw_text="نص.", raw_checksum=str(i), source=source,
            published=dt.date(2021, 1, 1) + dt.timedelta(days=7 * i), origin=f"bulk-{i}", fingerprint=str(i),
        )
        for i in range(45)
    )
    return source


def test_source_detail_pagination_newest_first(client, many_articles):
    url = reverse("source_detail", args=["marebpress"])
    first = html(client.get(url))
    assert "صفحة 1 من 3" in first
    assert first.index("26 يوليو 2022") < first.index("خبر رقم 44")  # newest first
    assert "?page=2" in first
    assert "من 26 يوليو 2022 إلى" not in first and "من 1 يناير 2021 إلى 26 يوليو 2022" in first
    last = html(client.get(url, {"page": 3}))
    assert "خبر رقم 0<" in last and "خبر رقم 44<" not in last


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "", "999", "9" * 30, "%00", "<script>"])
def test_bad_page_params_never_500(client, many_articles, value):
    response = client.get(reverse("source_detail", args=["marebpress"]), {"page": value})
    assert response.status_code in (200, 404)
    assert "<script>" not in html(response).split("</head>")[1].replace("<script src", "")


# --- errors ---------------------------------------------------------------------------------

def test_404_page_is_arabic(client, seeded):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = html(response)
    assert_rtl_arabic(page)
    assert "الصفحة غير موجودة" in page
    assert 'role="search"' in page


def test_400_and_500_pages_render_without_request():
    # Django renders both without a request context.
    page_500 = render_to_string("500.html")
    assert '<html lang="ar" dir="rtl">' in page_500 and "خطأ في الخادم" in page_500
    page_400 = render_to_string("400.html")
    assert '<html lang="ar" dir="rtl">' in page_400 and "طلب غير صالح" in page_400


def test_bad_host_gets_arabic_400(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "طلب غير صالح" in html(response)


def test_500_handler_uses_arabic_template(db):
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "حدث خطأ في الخادم" in response.content.decode()


# --- digits -------------------------------------------------------------------------------------

def test_default_digits_are_latin(client, seeded):
    page = html(client.get("/"))
    assert "5 مقالات" in page and "٥" not in page


def test_digits_cookie_switches_to_arabic_indic(client, seeded):
    response = client.get(reverse("set_digits"), {"set": "arab", "next": "/sources/"})
    assert response.status_code == 302
    assert response["Location"] == "/sources/"
    assert response.cookies["digits"].value == "arab"
    page = html(client.get("/"))
    assert "٥ مقالات" in page
    assert "٢٦ يوليو ٢٠٢٢" in page
    assert "يوليو ٢٠٢٢: مقال واحد" in page  # the chart follows the choice
    assert "5 مقالات" not in page
    # URLs and attributes keep their ASCII digits
    assert 'datetime="2022-07-26"' in page
    assert re.search(r'href="/articles/\d+/"', page)
    client.get(reverse("set_digits"), {"set": "latn", "next": "/"})
    assert "5 مقالات" in html(client.get("/"))


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_digits_next_must_be_local(client, db, next_url):
    response = client.get(reverse("set_digits"), {"set": "arab", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_digits_rejects_unknown_style(client, db):
    response = client.get(reverse("set_digits"), {"set": "roman", "next": "/"})
    assert response.status_code == 302
    assert "digits" not in response.cookies


def test_header_switcher_links_back_to_current_page(client, seeded):
    page = html(client.get(reverse("source_list")))
    assert "/digits/?set=arab&amp;next=%2Fsources%2F" in page


# --- every page ------------------------------------------------------------------------------------

def test_every_page_is_arabic_rtl(client, dated):
    urls = [
        "/", reverse("source_list"), reverse("source_detail", args=["marebpress"]),
        dated.get_absolute_url(), dated.get_absolute_url() + "?q=مأرب", "/missing/",
    ]
    for url in urls:
        page = html(client.get(url))
        assert_rtl_arabic(page)
        assert "انتقل إلى المحتوى" in page, url
        assert "style=" not in page, url
        assert "<script>" not in page and "onclick" not in page, url


def test_injection_is_escaped_everywhere(client, evil):
    urls = [
        "/", reverse("source_list"), reverse("source_detail", args=["evil-outlet"]),
        evil.get_absolute_url(), evil.get_absolute_url() + "?q=" + "<script>alert(1)</script>",
        evil.get_absolute_url() + "?q=خبيث",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = html(response)
        for raw in ("<script>alert", "<img src=x", "<b onmouseover", "?x=<script>"):
            assert raw not in page, (url, raw)
        assert "&lt;script&gt;" in page, url
    article_page = html(client.get(evil.get_absolute_url()))
    assert "&lt;img src=x onerror=alert(1)&gt;" in article_page


# --- template helpers ----------------------------------------------------------------------------

def test_arabic_text_helpers():
    from archive.formatting import count_noun, format_date, format_number, month_name, to_digits

    assert [count_noun(n, "article", "latn") for n in (0, 1, 2, 3, 10, 11, 99, 100, 101, 1003)] == [
        "لا مقالات", "مقال واحد", "مقالان", "3 مقالات", "10 مقالات", "11 مقالاً", "99 مقالاً",
        "100 مقال", "101 مقال", "1,003 مقالات",
    ]
    assert count_noun(1234, "source", "arab") == "١٬٢٣٤ مصدراً"
    assert [month_name(m) for m in (1, 5, 12)] == ["يناير", "مايو", "ديسمبر"]
    assert format_date(dt.date(2023, 6, 24), style="latn") == "24 يونيو 2023"
    assert format_date(dt.date(2023, 6, 24), "month", style="arab") == "يونيو ٢٠٢٣"
    assert format_date(None) == ""
    assert to_digits("2023-06 ٌabc", "arab") == "٢٠٢٣-٠٦ ٌabc"
    assert format_number(1234567, "latn") == "1,234,567"


def test_favicon_ico_redirects_to_the_site_icon(client):
    """Chromium asks for /favicon.ico when it shows the raw Atom feed."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
