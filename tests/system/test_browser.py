"""The reading room in a real browser (Debian Chromium via Playwright).

Screenshots land in artifacts/screenshots/ for a human (or a reviewer) to look
at; the assertions cover what a screenshot cannot: direction, console errors,
requests leaving the machine, horizontal overflow, keyboard order.
"""
import datetime as dt
import re

import pytest

from archive.models import Article, ArticleCountry, Source
from tests.fixtures_browser import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DATED = "004_1dfa1cc5bcbb9d08.txt"


def article_path():
    return Article.objects.get(origin=DATED).get_absolute_url()


def page_paths():
    return {
        "home": "/",
        "article": article_path(),
        "sources": "/sources/",
        "source": "/sources/marebpress/",
    }


def assert_clean(view, path):
    assert view.page.evaluate("document.documentElement.getAttribute('dir')") == "rtl", path
    assert view.page.evaluate("document.documentElement.getAttribute('lang')") == "ar", path
    assert view.console_errors == [], (path, view.console_errors)
    assert view.external_requests() == [], (path, view.external_requests())


def test_pages_render_rtl_without_errors_or_outside_requests(open_page):
    assert ArticleCountry.objects.exists(), "the seeds were not tagged: reference data missing"
    for name, path in page_paths().items():
        view = open_page(path)
        assert_clean(view, path)
        # the stylesheet really applied (served by the app, not a CDN)
        direction = view.page.evaluate("getComputedStyle(document.body).direction")
        assert direction == "rtl"
        font = view.page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Noto" in font, font
        assert view.page.locator("h1").first.is_visible(), name


def test_phone_has_no_horizontal_scroll(open_page):
    for width in (PHONE["width"], 360):
        for name, path in page_paths().items():
            view = open_page(path, viewport={"width": width, "height": PHONE["height"]})
            scroll_width, inner_width = view.page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, (name, width, scroll_width, inner_width)
            assert_clean(view, path)


def test_tab_focuses_skip_link_first_and_it_moves_to_main(open_page):
    view = open_page("/")
    view.page.keyboard.press("Tab")
    focused = view.page.evaluate(
        "({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"text": "انتقل إلى المحتوى", "href": "#main"}
    box = view.page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0  # visible once focused
    view.page.keyboard.press("Enter")
    assert view.page.evaluate("document.activeElement.id") == "main"
    # the next Tab stop is inside the main content, not back in the header
    view.page.keyboard.press("Tab")
    assert view.page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_search_box_is_reachable_by_keyboard(open_page):
    view = open_page(article_path())
    labels = view.page.evaluate(
        "Array.from(document.querySelectorAll('input[name=q]')).map(i => i.labels.length)"
    )
    assert labels and all(labels)
    for _ in range(12):
        view.page.keyboard.press("Tab")
        if view.page.evaluate("document.activeElement.name") == "q":
            break
    else:
        pytest.fail("the search box is not in the first Tab stops")
    outline = view.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_open_article_from_home_and_go_back(open_page):
    view = open_page("/")
    page = view.page
    link = page.locator(".article-list a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    assert page.locator("h1").inner_text() == title
    assert_clean(view, page.url)
    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("h1").first.inner_text() == "أرشيف الأخبار العربية"
    assert_clean(view, "/")


def test_digit_switch_in_header(open_page):
    view = open_page("/sources/")
    page = view.page
    page.get_by_role("link", name="أرقام عربية مشرقية").click()
    page.wait_for_url(re.compile(r"/sources/$"))
    assert "٢٦ يوليو ٢٠٢٢" in page.locator("main").inner_text()
    page.get_by_role("link", name="أرقام لاتينية").click()
    page.wait_for_url(re.compile(r"/sources/$"))
    assert "26 يوليو 2022" in page.locator("main").inner_text()
    assert_clean(view, "/sources/")


def test_screenshots(open_page):
    """Full-page screenshots for visual review (desktop and phone)."""
    for name, path in page_paths().items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            view = open_page(path, viewport=viewport)
            if name == "home":
                assert view.page.locator(".facet__list a[href*='country=']").count() > 0
            view.screenshot(f"{name}-{label}")
            assert_clean(view, path)
    article = Article.objects.get(origin="000_7e1908c697cfb7e2.txt")
    view = open_page(article.get_absolute_url() + "?q=بوتين", viewport=PHONE)
    assert view.page.locator("article mark").count() > 0
    view.screenshot("article-query-phone")
    open_page("/missing/", viewport=PHONE).screenshot("404-phone")


@pytest.fixture
def busy_archive(live_site):
    """Three outlets with two years of articles, for a chart worth seeing."""
    outlets = [
        Source.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in (("الجزيرة نت", "aljazeera"), ("بي بي سي عربي", "bbc-arabic"), ("الشرق الأوسط", "aawsat"))
    ]
    articles = []
    for i in range(150):
        day = dt.date(2022, 1, 3) + dt.timedelta(days=(i * 37) % 720)
        articles.append(Article(
            title=f"تقرير رقم {i} عن تطورات الأحداث في المنطقة", body="فقرة أولى.\n\nفقرة ثانية.",
            raw_text="x", raw_checksum=str(i), source=outlets[i % 3], published=day,
            origin=f"busy-{i}", fingerprint=f"busy-{i}",
        ))
    Article.objects.bulk_create(articles)
    return live_site


def test_screenshots_busy_archive(open_page, busy_archive):
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        view = open_page("/", viewport=viewport)
        bars = view.page.locator("svg.bar-chart rect.value").count()
        assert bars >= 24
        view.screenshot(f"home-busy-{label}")
        scroll_width, inner_width = view.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width
        assert_clean(view, "/")
    view = open_page("/sources/aljazeera/?page=2", viewport=PHONE)
    view.screenshot("source-busy-phone")
    assert_clean(view, "/sources/aljazeera/")
    # a bar is a link to the search narrowed to its month
    href = view.page.locator("svg.bar-chart a").first.get_attribute("href")
    assert re.search(r"source=aljazeera&date_from=\d{4}-\d\d-01&date_to=\d{4}-\d\d-\d\d", href), href
