"""Hostile content and queries: XSS payloads and SQL-looking input.

Articles whose title, body and original URL, outlet (Source) name and
homepage, country and topic labels carry XSS payloads are stored and indexed
for real; every page that shows them (search results, facets, filter chips,
article page, outlets, home, comparison chart, admin changelists) must show
them as text, the API and the exports as data. Queries carrying payloads
(echoed in the search box, the error message, the «وجدنا أيضاً لـ…» line of
other spellings and the «هل تقصد…» suggestion) and SQL-looking input get
normal answers, and the tables are still there afterwards.
"""
from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEXTAREA = "</textarea><svg onload=alert(1)>"
TEMPLATE = "{{ 7|add:35 }}{% now 'Y' %}"
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, IMG, TEXTAREA)
ARABIC = re.compile(r"[\u0600-\u06ff]")

TITLE = f"موسكو ترد {SCRIPT} على العقوبات"
BODY = (
    f"قالت موسكو إن العقوبات الجديدة {IMG} لن تغير موقفها.\n\n"
    f"وأضاف المتحدث {TEXTAREA} أن الرد سيكون مدروسا {TEMPLATE}.\n\n"
    "وأكد الكرملين أن المحادثات مستمرة مع فاغنر."
)
SOURCE_NAME = f"وكالة {SCRIPT} للأنباء"
COUNTRY_NAME = f"جمهورية {IMG}"
TOPIC_NAME = f"موضوع {TEXTAREA}"


# --- checking HTML -----------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs)
        self.text = []  # character data, entities decoded

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def page_text(html: str) -> str:
    """The text a reader sees (tags dropped, entities decoded, spaces collapsed)."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.text).split())


def markup_problems(html: str) -> list[str]:
    """What in ``html`` could run script: inline <script>, on* attributes,
    javascript: URLs, tags only a payload brings (img src=x, svg onload...)."""
    problems = []
    parser = _Collector()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        names = {name for name, _ in attrs}
        src = dict(attrs).get("src") or ""
        if tag == "script" and not (src.startswith("/") and not src.startswith("//")):
            problems.append(f"inline <script> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\s\x00-\x1f]", "", unescape(value)).lower()
                if squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    problems.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and (dict(attrs).get("src") or "") == "x":
            problems.append(f"injected <img> {attrs}")
        if tag in ("iframe", "object", "embed") or (tag == "svg" and "onload" in names):
            problems.append(f"<{tag}>")
    for payload in PAYLOADS:
        if payload in html:
            problems.append(f"raw payload {payload!r}")
    if "<script>alert" in html:
        problems.append("raw <script>alert")
    return problems


def assert_safe_html(response, *, contains=()):
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode("utf-8")
    assert markup_problems(html) == []
    text = page_text(html)
    for expected in contains:
        assert " ".join(expected.split()) in text, expected
    return html


# --- data ---------------------------------------------------------------------------------


@pytest.fixture
def hostile(make_article, search_index):
    """Hostile outlet, country, topic and articles, indexed for real."""
    from archive.models import Country, Source, Topic

    source = Source.objects.create(name=SOURCE_NAME, slug="evil-source", homepage=JS_URL)
    Country.objects.update_or_create(code="XQ", defaults={"name_ar": COUNTRY_NAME, "name_en": "<b>X</b>"})
    Topic.objects.create(slug="evil-topic", name_ar=TOPIC_NAME, keywords="")
    import datetime as dt

    article = make_article(
        TITLE, BODY, source=source, published=dt.date(2023, 6, 24), countries=("XQ",), topics=("evil-topic",),
        url=JS_URL,
    )
    make_article(
        "فاجنر تعلن انسحابها", "أعلنت مجموعة فاجنر انسحابها من المدينة بعد أيام من القتال.",
        source=source, published=dt.date(2023, 6, 25), countries=("XQ",),
    )
    make_article(
        "اشتباكات قرب موسكو", "شهدت ضواحي موسكو اشتباكات محدودة يوم السبت.",
        published=dt.date(2023, 7, 2),
    )
    search_index.build()
    return article


# --- pages that show hostile content ---------------------------------------------------------


def test_search_page_results_facets_and_chips(client, hostile):
    html = assert_safe_html(client.get("/search/", {"q": "موسكو"}), contains=(TITLE, SOURCE_NAME))
    assert "<mark>موسكو</mark>" in html  # the highlight markup itself survives
    # facet labels (country, source, topic) and a month
    assert_safe_html(client.get("/search/"), contains=(COUNTRY_NAME, SOURCE_NAME, TOPIC_NAME, TITLE))
    # selected filters show their labels as chips
    response = client.get("/search/", {
        "q": "العقوبات", "country": "XQ", "source": "evil-source", "topic": "evil-topic",
        "date_from": "2023-06-01", "date_to": "2023-06-30",
    })
    html = assert_safe_html(response, contains=(COUNTRY_NAME, SOURCE_NAME, TOPIC_NAME, TITLE))
    assert 'class="chip chip--remove"' in html


def test_article_page_home_and_outlets(client, hostile):
    url = reverse("article_detail", args=[hostile.pk])
    html = assert_safe_html(client.get(url), contains=(TITLE, SOURCE_NAME, COUNTRY_NAME, TOPIC_NAME, TEMPLATE))
    # with a query: the title and paragraphs go through the highlighter
    html = assert_safe_html(client.get(url, {"q": f"موسكو {SCRIPT}"}), contains=(TITLE, SCRIPT))
    assert "<mark>موسكو</mark>" in html
    assert_safe_html(client.get("/"), contains=(SOURCE_NAME, COUNTRY_NAME, TOPIC_NAME))
    assert_safe_html(client.get("/sources/"), contains=(SOURCE_NAME,))
    assert_safe_html(client.get("/sources/evil-source/"), contains=(SOURCE_NAME, TITLE))


def test_compare_page_chart_and_chips(client, hostile):
    response = client.get("/search/compare/", [("q", "موسكو"), ("q", f"فاجنر {IMG[2:]}"), ("country", "XQ")])
    assert_safe_html(response, contains=(COUNTRY_NAME,))
    # a payload that is not searchable is an error message, echoed safely
    response = client.get("/search/compare/", [("q", "موسكو"), ("q", SCRIPT)])
    assert response.status_code == 200
    assert_safe_html(response, contains=(SCRIPT,))  # its legend / link text
    # a payload the parser refuses is an Arabic error message, echoed safely
    response = client.get("/search/compare/", [("q", "موسكو"), ("q", f"({SCRIPT}")])
    assert response.status_code == 400
    assert_safe_html(response, contains=(f"«({SCRIPT}»", "قوس مفتوح"))


@pytest.mark.slow  # over a second: left out of make test-fast
def test_admin_changelists(admin_client, hostile):
    for model in ("article", "source", "country", "topic"):
        response = admin_client.get(f"/admin/archive/{model}/")
        assert response.status_code == 200
        assert_safe_html(response)
    assert SCRIPT in unescape(admin_client.get("/admin/archive/article/").content.decode())
    assert SOURCE_NAME in unescape(admin_client.get("/admin/archive/source/").content.decode())
    change = admin_client.get(f"/admin/archive/article/{hostile.pk}/change/")
    assert change.status_code == 200
    assert_safe_html(change, contains=(TITLE, BODY))
    # the admin's own search box with payloads and SQL-looking input
    for q in (SCRIPT, "' OR 1=1 --", '"; DROP TABLE archive_article; --'):
        response = admin_client.get("/admin/archive/article/", {"q": q})
        assert_safe_html(response)


# --- data endpoints ---------------------------------------------------------------------------


def _allowed_snippet(snippet: str) -> bool:
    """Escaped text with only <mark>…</mark> as markup."""
    stripped = snippet.replace("<mark>", "").replace("</mark>", "")
    return "<" not in stripped and ">" not in stripped and '"' not in stripped


def test_api_returns_payloads_as_json_strings(client, hostile):
    response = client.get("/api/search/", {"q": "العقوبات"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    [hit] = [r for r in data["results"] if r["id"] == hostile.pk]
    assert hit["title"] == TITLE
    assert hit["source"]["name"] == SOURCE_NAME
    assert _allowed_snippet(hit["snippet"]) and "<mark>" in hit["snippet"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit["snippet"] or IMG not in BODY[:200]
    labels = {f["label"] for values in data["facets"].values() for f in values}
    assert {COUNTRY_NAME, SOURCE_NAME, TOPIC_NAME} <= labels
    # every snippet of every answer follows the same rule
    for q in ("موسكو", "img onerror", "textarea", "alert"):
        for r in client.get("/api/search/", {"q": q}).json()["results"]:
            assert _allowed_snippet(r["snippet"]), r["snippet"]


def test_exports_keep_payloads_inert(client, hostile):
    response = client.get("/search/export.json", {"q": "العقوبات"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content).decode()
    assert "<" not in raw and ">" not in raw  # written as \u003c / \u003e
    data = json.loads(raw)
    [row] = [r for r in data["results"] if r["id"] == hostile.pk]
    assert row["title"] == TITLE and row["outlet"] == SOURCE_NAME
    assert response["Content-Disposition"].startswith("attachment;")

    response = client.get("/search/export.csv", {"q": "العقوبات"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    [row] = [r for r in rows if r["id"] == str(hostile.pk)]
    assert row["title"] == TITLE and row["outlet"] == SOURCE_NAME


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x.test\",\"اضغط\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_csv_export_neutralizes_formulas(client, make_article, search_index, title):
    """A title that a spreadsheet would run as a formula is written as text."""
    article = make_article(title, "نص عن العقوبات الاقتصادية")
    search_index.build()
    text = b"".join(client.get("/search/export.csv", {"q": "العقوبات"}).streaming_content).decode("utf-8-sig")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] == str(article.pk)]
    assert row["title"] == "'" + title
    # the JSON export is data, not a spreadsheet: unchanged
    response = client.get("/search/export.json", {"q": "العقوبات"})
    data = json.loads(b"".join(response.streaming_content).decode("utf-8"))
    assert [r["title"] for r in data["results"] if r["id"] == article.pk] == [title]


# --- hostile queries ------------------------------------------------------------------------


@pytest.mark.parametrize("q", [
    SCRIPT,
    IMG,
    TEXTAREA,
    f"موسكو {SCRIPT}",
    f"موسكو {IMG}",
    "موسكو </title><script>alert(1)</script>",
    "موسكو' onmouseover='alert(1)",
    TEMPLATE,
    f"({SCRIPT}",
    f"-{SCRIPT}",
])
def test_query_payloads_are_echoed_as_text(client, hostile, q):
    for path in ("/search/", "/api/search/", "/search/compare/"):
        response = client.get(path, {"q": q})
        assert response.status_code in (200, 400), (path, response.status_code)
        if path.startswith("/api/"):
            data = response.json()
            assert ("error" in data) == (response.status_code == 400)
            continue
        html = assert_safe_html(response)
        if path == "/search/":
            box = re.search(r'<input[^>]*name="q"[^>]*>', html)
            assert box and "<" not in box.group(0)[1:-1]
            if response.status_code == 400:
                assert ARABIC.search(re.search(r'class="search-error".*?</div>', html, re.S).group(0))


def test_payload_in_the_other_spellings_line(client, hostile):
    """«<فاغنر>» is one word for the search: the «وجدنا أيضاً لـ…» line echoes it."""
    response = client.get("/search/", {"q": "<فاغنر>"})
    html = assert_safe_html(response)
    assert response.status_code == 200
    line = re.search(r'class="search-expansions".*?</p>', html, re.S).group(0)
    assert "&lt;فاغنر&gt;" in line and "فاجنر" in line
    assert "<فاغنر>" not in html
    data = client.get("/api/search/", {"q": "<فاغنر>"}).json()
    assert data["query"] == "<فاغنر>"
    assert data["expansions"][0]["word"] == "<فاغنر>"


def test_payload_in_the_spelling_suggestion(client, hostile):
    """A misspelled word next to a payload: the suggestion keeps the payload as text."""
    q = f"{IMG[2:]} موسكوو"
    response = client.get("/search/", {"q": q})
    html = assert_safe_html(response)
    data = client.get("/api/search/", {"q": q}).json()
    assert data["count"] == 0
    assert data["suggestion"] == f"{IMG[2:]} موسكو"  # the payload's words are in the hostile article
    suggestion = re.search(r'class="search-suggestion".*?</p>', html, re.S).group(0)
    assert "&lt;img src=x onerror=alert(1)&gt; موسكو" in suggestion and "<img" not in suggestion


SQL_INPUTS = [
    "' OR 1=1 --",
    '"; DROP TABLE archive_article; --',
    "موسكو'; DELETE FROM archive_source; --",
    "1; SELECT * FROM auth_user",
    "%' UNION SELECT password FROM auth_user --",
    "\\'; DROP TABLE search_indexqueue; --",
]


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_looking_input_is_just_text(client, hostile, value):
    from archive.models import Article, Source

    before = (Article.objects.count(), Source.objects.count())
    tables = set(connection.introspection.table_names())
    for params in (
        {"q": value},
        {"q": f"موسكو {value}"},
        {"q": "موسكو", "source": value},
        {"q": "موسكو", "country": value},
        {"q": "موسكو", "topic": value},
        {"q": "موسكو", "sort": value},
        {"q": "موسكو", "date_from": value},
        {"q": "موسكو", "page": value},
    ):
        for path in ("/search/", "/api/search/", "/search/export.json"):
            response = client.get(path, params)
            assert response.status_code in (200, 400), (path, params, response.status_code)
            if response.status_code == 400:
                body = response.content.decode()
                assert ARABIC.search(body)
        assert client.get(reverse("article_detail", args=[hostile.pk]), {"q": value}).status_code == 200
    assert set(connection.introspection.table_names()) == tables
    assert (Article.objects.count(), Source.objects.count()) == before
    # the archive still answers normally
    assert client.get("/api/search/", {"q": "موسكو"}).json()["count"] == 2


def test_imported_javascript_urls_are_dropped(tmp_path, import_paths):
    """The importer keeps only http(s) URLs: a javascript: link never reaches a page."""
    from archive.models import Article

    lines = [
        {"id": "evil-1", "title": "خبر عن موسكو", "body": "نص الخبر عن موسكو والعقوبات.", "url": JS_URL,
         "date": "2023-06-24"},
        {"id": "evil-2", "title": "خبر عن القاهرة", "body": "نص الخبر عن القاهرة والاقتصاد.",
         "url": " JaVaScRiPt:alert(document.cookie)", "date": "2023-06-24"},
        {"id": "good-1", "title": "خبر عن بغداد", "body": "نص الخبر عن بغداد والانتخابات.",
         "url": "https://example.com/news/1", "date": "2023-06-24"},
    ]
    path = tmp_path / "evil.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    report = import_paths(path)
    assert report.created == 3
    urls = dict(Article.objects.values_list("origin", "url"))
    assert urls == {"evil-1": "", "evil-2": "", "good-1": "https://example.com/news/1"}
    for article in Article.objects.all():
        assert_safe_html(Client().get(reverse("article_detail", args=[article.pk])))


@pytest.mark.parametrize("bad", ["\u0000", "\ud800", "\udfff x \ud83d"], ids=["nul", "high-surrogate", "lone-pair"])
def test_unstorable_escapes_in_a_file_never_stop_an_import(tmp_path, import_paths, bad):
    """A JSON escape of NUL (PostgreSQL refuses it) or a lone surrogate (not
    UTF-8) in one record: that record is stored cleaned, the others too."""
    from archive.models import Article, Source

    lines = [
        {"id": "bad-1", "title": f"عنوان{bad}آخر", "body": f"نص عن موسكو{bad} والعقوبات.", "source": f"وكالة{bad}",
         "author": f"كاتب{bad}", "categories": [f"sport{bad}"], "url": f"https://example.com/{bad}"},
        {"id": "good-1", "title": "خبر عادي", "body": "نص عن بغداد والانتخابات."},
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    report = import_paths(path)
    assert report.created == 2, report.rejected
    stored = Article.objects.get(origin="bad-1")
    cleaned = re.sub("[\ud800-\udfff]", "\ufffd", bad.replace("\x00", ""))
    assert stored.title == f"عنوان{cleaned}آخر"
    assert stored.source.name == f"وكالة{cleaned}"
    assert stored.author == f"كاتب{cleaned}"
    for value in (stored.body, stored.raw_text):
        assert "\x00" not in value and not re.search("[\ud800-\udfff]", value)
    assert Source.objects.filter(name=f"وكالة{cleaned}").count() == 1
    assert Article.objects.filter(origin="good-1").exists()


@pytest.mark.slow
@settings(derandomize=True, database=None, deadline=None, max_examples=25,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=st.fixed_dictionaries({}, optional={
    key: st.one_of(st.text(st.characters(), max_size=30), st.integers(), st.none(), st.lists(st.text(max_size=5)),
                   st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2))
    for key in ("title", "body", "url", "date", "source", "source_id", "author", "category", "categories")
}), body=st.text(st.characters(), min_size=1, max_size=200))
@example(fields={"title": "\x00", "source": "\ud800", "date": "2023-02-30"}, body="\udfff\x00")
def test_any_json_record_is_imported_or_rejected(tmp_path, import_paths, fields, body):
    """Random JSON records (any Unicode, lone surrogates and NUL included, wrong
    types): the import never raises; each record is stored or rejected with a reason."""
    from archive.models import Article

    test_any_json_record_is_imported_or_rejected.calls += 1
    origin = f"random-{test_any_json_record_is_imported_or_rejected.calls}"
    record = {"id": origin, "body": f"نص الخبر عن موسكو {body}", **fields}
    path = tmp_path / f"{origin}.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = import_paths(path)
    assert report.processed + len(report.rejected) == 1
    assert all(r.reason for r in report.rejected)
    stored = Article.objects.filter(origin=origin).first()
    assert (stored is not None) == (report.created == 1)
    if stored is not None:
        for value in (stored.title, stored.body, stored.author, stored.url, stored.origin):
            assert "\x00" not in value and not re.search("[\ud800-\udfff]", value)
        assert stored.url == "" or stored.url.startswith(("http://", "https://"))


test_any_json_record_is_imported_or_rejected.calls = 0


@pytest.mark.parametrize("meta", [
    {"source": 5}, {"source_slug": ["x"]}, {"source": {"a": 1}, "source_slug": 3}, {"url": 5},
    {"url": JS_URL, "source": "\u0000"}, {"published": 7},
])
def test_metadata_of_the_wrong_type_never_stops_an_import(tmp_path, import_paths, meta):
    """metadata.json values of the wrong type are ignored (a bad date is reported)."""
    from archive.models import Article

    (tmp_path / "a.txt").write_text("عنوان الخبر\n\nنص الخبر عن موسكو والعقوبات الجديدة التي فرضت اليوم.",
                                    encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps({"a.txt": meta}), encoding="utf-8")
    report = import_paths(tmp_path)
    assert report.created == 1
    assert len(report.rejected) == (1 if "published" in meta else 0)
    article = Article.objects.get()
    assert article.source is None and article.url == ""


def test_a_file_name_that_is_not_utf8_is_imported(tmp_path, import_paths):
    """Linux hands such names to Python with lone surrogates; the origin is stored cleaned."""
    import os

    from archive.models import Article

    name = os.fsdecode(b"\xff\xfe-news.txt")
    (tmp_path / name).write_text("عنوان الخبر\n\nنص الخبر عن موسكو والعقوبات الجديدة التي فرضت اليوم.", encoding="utf-8")
    report = import_paths(tmp_path)
    assert report.created == 1, report.rejected
    assert Article.objects.get().origin == "\ufffd\ufffd-news.txt"


def test_article_page_never_links_a_javascript_url(client, hostile):
    """Even a URL written to the database directly is not made a link."""
    html = client.get(reverse("article_detail", args=[hostile.pk])).content.decode()
    assert markup_problems(html) == []
    assert 'href="javascript:' not in html.lower()


# --- a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_payloads_do_not_run_in_a_real_browser(open_page, search_index):
    """Chromium shows the payloads as text: nothing sets ``window.__xss``, and no
    inline script or handler is even attempted (that would be a CSP console error)."""
    import datetime as dt

    from archive.models import Article, Source

    run = "window.__xss=1"
    title = f"موسكو <script>{run}</script> تحذر"
    source = Source.objects.create(name=f'وكالة <img src=x onerror="{run}">', slug="browser-evil")
    article = Article.objects.create(
        title=title, body=f'قالت موسكو "><svg onload="{run}"> إن الرد قادم.\n\nفقرة ثانية عن موسكو.',
        raw_text="x", raw_checksum="browser-evil", origin="browser-evil", fingerprint="browser-evil",
        source=source, published=dt.date(2023, 6, 24), url="javascript:window.__xss=1",
    )
    search_index.build()
    paths = [
        "/search/?q=" + quote("موسكو"),
        "/search/?q=" + quote(f"موسكو <img src=x onerror={run}>"),
        f"/articles/{article.pk}/?q=" + quote("موسكو"),
        "/sources/browser-evil/",
    ]
    for path in paths:
        view = open_page(path)
        page = view.page
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert view.console_errors == [], (path, view.console_errors)
        assert page.locator("img[src='x'], svg[onload], [onerror]").count() == 0, path
    view = open_page(f"/articles/{article.pk}/")
    assert title in view.page.locator("h1").inner_text()
    assert view.page.locator("a[href^='javascript:']").count() == 0


def test_the_markup_checker_catches_each_payload():
    """The checker above fails on the raw payloads and passes on them escaped."""
    from django.utils.html import escape

    page = '<p>{}</p><a href="{}">x</a>'
    for payload in PAYLOADS + ('<a href="javascript:alert(1)">', "<body onload=alert(1)>"):
        assert markup_problems(page.format(payload, "/ok/")) != [], payload
        assert markup_problems(page.format(escape(payload), "/ok/")) == [], payload
    assert markup_problems(page.format("x", " JaVa\tScript:alert(1)")) != []
    assert markup_problems(page.format("x", escape(JS_URL))) != []
    assert markup_problems('<script src="/static/js/search.js" defer></script>') == []
