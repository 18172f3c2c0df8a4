"""The researcher's workbench in the real Chromium: numbered pages, the search
feed, citations and the export's file name (Arabic, right-to-left, keyboard,
390 px). Screenshots go to artifacts/screenshots/workbench-*.png."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fixtures_browser import DESKTOP

from .test_browser_search import WAGNER, assert_clean

pytestmark = pytest.mark.browser

NARROW = {"width": 390, "height": 844}


def fits(view):
    scroll_width, inner_width = view.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return scroll_width <= inner_width


def text_of(locator):
    """The element's text with visually hidden parts, spaces collapsed."""
    return " ".join(locator.text_content().split())


def tab_to(page, selector, limit=200):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def test_numbered_pages_by_keyboard(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}&country=RU&page_size=1&page=2", viewport=NARROW)
    page = view.page
    numbers = page.locator(".pagination__numbers")
    assert numbers.get_attribute("aria-label") == "الانتقال إلى صفحة"
    current = numbers.locator("[aria-current=page]")
    assert current.count() == 1 and text_of(current) == "الصفحة 2"
    links = numbers.locator("a.pagination__number")
    last = int(text_of(links.last).split()[1])
    assert last >= 8  # at least the 8 reports about Russia, one a page
    assert fits(view)
    # Tab to the last page's number and follow it with Enter
    tab_to(page, ".pagination__numbers li:last-child a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"page={last}\b"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["country"] == ["RU"] and query["page_size"] == ["1"] and query["q"] == ["فاغنر"]
    assert text_of(page.locator(".pagination__numbers [aria-current=page]")) == f"الصفحة {last}"
    assert page.locator(".pagination__gap").count() == 1  # 1 … last-2 last-1 last
    assert page.locator(".pagination a[rel=prev]").count() == 1 and page.locator(".pagination a[rel=next]").count() == 0
    assert fits(view)
    assert_clean(view, "numbers")
    view.screenshot("workbench-pages-phone")
    # a page beyond the last: a clear message with a way back, no server error
    response = view.goto(f"/search/?q={WAGNER}&country=RU&page_size=1&page=999")
    assert response.status == 200
    alert = page.locator(".search-beyond[role=alert]")
    assert f"لا توجد صفحة رقمها 999: آخر صفحة للنتائج هي {last}." in alert.inner_text()
    alert.get_by_role("link", name=re.compile("الصفحة الأخيرة")).click()
    page.wait_for_url(re.compile(rf"page={last}\b"))
    assert_clean(view, "beyond")


def test_follow_a_search(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}&country=UA", viewport=NARROW)
    page = view.page
    alternate = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    href = alternate.get_attribute("href")
    assert parse_qs(urlsplit(href).query) == {"q": ["فاغنر"], "country": ["UA"]}
    visible = page.locator(".feed-link a")
    assert visible.is_visible() and visible.get_attribute("href") == href
    assert fits(view)
    tab_to(page, ".feed-link a")
    response = page.request.get(view.base_url + href)
    assert response.status == 200 and response.headers["content-type"].startswith("application/atom+xml")
    body = response.text()
    assert body.count("<entry>") >= 8 and "قوات فاغنر في التقرير رقم" in body
    assert page.request.get(view.base_url + "/search/feed.atom?country=xx").status == 400
    assert_clean(view, "feed")


def test_cite_an_article(open_page, search_site):
    from archive.models import Article

    article = Article.objects.get(origin="wagner-3")
    view = open_page(f"/articles/{article.pk}/", viewport=NARROW)
    page = view.page
    box = page.locator("section.citation")
    assert box.get_by_role("heading").inner_text() == "الاستشهاد بهذا المقال"
    text = box.locator(".citation__text").inner_text()
    assert text.startswith("الجزيرة نت. «قوات فاغنر في التقرير رقم 3: تطورات جديدة في المنطقة». 15 مارس 2023. ") and "https://example.org/wagner/3" in text
    assert f"{view.base_url}/articles/{article.pk}/" in text and "تاريخ الاطلاع:" in text
    assert fits(view)
    view.screenshot("workbench-cite-phone")
    # the downloads, reached with the keyboard
    tab_to(page, "section.citation a[href$='cite.ris']")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    ris = info.value
    assert ris.suggested_filename == f"arabicnews{article.pk}.ris"
    data = open(ris.path(), encoding="utf-8", newline="").read()
    assert data.startswith("TY  - NEWS\r\n") and "TI  - قوات فاغنر في التقرير رقم 3" in data
    with page.expect_download() as info:
        box.get_by_role("link", name=re.compile("BibTeX")).click()
    bib = info.value
    assert bib.suggested_filename == f"arabicnews{article.pk}.bib"
    assert open(bib.path(), encoding="utf-8").read().startswith(f"@misc{{arabicnews{article.pk},")
    assert_clean(view, "cite")


def test_export_json_file_name_and_record(open_page, search_site):
    import json

    view = open_page(f"/search/?q={WAGNER}&country=BY", viewport=DESKTOP)
    page = view.page
    with page.expect_download() as info:
        page.locator(".export a", has_text="JSON").click()
    download = info.value
    assert re.fullmatch(r"arabic-news-فاغنر-\d{8}\.json", download.suggested_filename)
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["query"] == "فاغنر" and data["filters"]["country"] == ["BY"]
    assert data["exported"] == data["count"] == len(data["results"]) >= 8
    assert all("BY" in [c["code"] for c in r["countries"]] for r in data["results"])
    assert all(r["snippet"] for r in data["results"])
    assert_clean(view, "export json")
