"""The search page in a real browser (Debian Chromium via Playwright).

A reader's path: type a query with diacritics, tick a facet, set dates, sort,
page, open an article and come back, narrow by a chart bar, export. Plus what
a screenshot cannot show: direction, console errors (CSP violations are
console errors), requests leaving the machine, horizontal overflow, and the
keyboard. Screenshots go to artifacts/screenshots/search-*.png.
"""
import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fixtures_browser import DESKTOP, PHONE, SCREENSHOTS_DIR

pytestmark = pytest.mark.browser

WAGNER = "%D9%81%D8%A7%D8%BA%D9%86%D8%B1"  # فاغنر, URL-encoded


def params_of(url):
    return parse_qs(urlsplit(url).query)


def assert_clean(view, label, status=200):
    assert view.page.evaluate("document.documentElement.getAttribute('dir')") == "rtl", label
    assert view.page.evaluate("document.documentElement.getAttribute('lang')") == "ar", label
    errors = view.console_errors
    if status != 200:  # Chromium logs the page's own status; nothing else may fail
        errors = [e for e in errors if f"status of {status}" not in e]
    assert errors == [], (label, view.console_errors)
    assert view.external_requests() == [], (label, view.external_requests())


def result_count(page):
    """The number in the status line ("9 نتائج", "نتيجتان", …)."""
    text = page.locator("#search-count strong").inner_text()
    words = {"نتيجة واحدة": 1, "نتيجتان": 2, "لا نتائج": 0}
    if text in words:
        return words[text]
    return int(re.match(r"[\d,]+", text).group(0).replace(",", ""))


def result_dates(page):
    return page.locator(".result time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")


def test_reader_journey(open_page, search_site):
    view = open_page("/search/")
    page = view.page
    assert_clean(view, "/search/")

    # 1. type a query as a reader would, with diacritics, and submit with Enter
    box = page.get_by_label("كلمات البحث")
    box.click()
    box.press_sequentially("فَاغْنَر", delay=20)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator(".results .result").count() == 20
    total = result_count(page)
    assert total >= 24  # the 24 reports, and the seeds that mention Wagner (in any spelling)
    assert page.locator(".results mark").count() >= 20
    assert page.locator(".results mark").first.inner_text() == "فاغنر"
    assert_clean(view, "query")

    # 2. tick a country: the URL says so and the results match the facet count
    russia = page.locator("#f-country-RU")
    expected = int(page.locator(".facet-country .facet-option", has=russia).locator(".facet-count").inner_text()
                   .replace("عدد النتائج:", "").strip())
    russia.check()  # the script applies it at once
    page.wait_for_url(re.compile(r"country=RU"))
    assert params_of(page.url)["country"] == ["RU"]
    assert result_count(page) == expected == page.locator(".results .result").count()
    assert page.locator("#f-country-RU").is_checked()
    assert page.locator(".chip--remove", has_text="روسيا").count() == 1
    assert_clean(view, "country")

    # 3. a date range (filled, then applied with the button)
    page.fill("#date-from", "2023-03-01")
    page.fill("#date-to", "2023-10-31")
    page.get_by_role("button", name="تطبيق المرشّحات").click()
    page.wait_for_url(re.compile(r"date_to=2023-10-31"))
    q = params_of(page.url)
    assert q["date_from"] == ["2023-03-01"] and q["date_to"] == ["2023-10-31"] and q["country"] == ["RU"]
    days = result_dates(page)
    assert days and all("2023-03-01" <= d <= "2023-10-31" for d in days)
    in_range = result_count(page)
    assert 0 < in_range < expected

    # 4. oldest first, then newest first
    page.get_by_role("link", name="الأقدم").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    assert result_dates(page) == sorted(result_dates(page))
    page.get_by_role("link", name="الأحدث").click()
    page.wait_for_url(re.compile(r"sort=newest"))
    newest = result_dates(page)
    assert newest == sorted(newest, reverse=True) and len(newest) == in_range

    # 5. pages of three (page_size in the URL), next page
    page.goto(page.url + "&page_size=3")
    assert page.locator(".results .result").count() == 3
    first_page = result_dates(page)
    page.get_by_role("link", name=re.compile("التالية")).click()
    page.wait_for_url(re.compile(r"page=2"))
    second_page = result_dates(page)
    assert second_page and second_page[0] <= first_page[-1] and set(second_page).isdisjoint(first_page)
    results_url = page.url

    # 6. open an article (the words are marked there) and come back
    link = page.locator(".result__title a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/articles/\d+/\?q="))
    assert page.locator("h1").inner_text() == title
    assert page.locator("article mark").count() > 0
    assert_clean(view, "article")
    page.go_back()
    page.wait_for_url(results_url)
    assert page.url == results_url
    assert result_dates(page) == second_page
    assert page.locator("#f-country-RU").is_checked()
    assert_clean(view, "back")


def test_chart_bar_narrows_the_dates(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}")
    page = view.page
    chart = page.locator("svg.bar-chart")
    assert chart.count() == 1
    assert chart.locator("rect.value").count() >= 12  # months from January 2023 to June 2024
    assert "في كل شهر" in page.locator(".search-timeline").inner_text()
    bar = chart.locator("a.bar").nth(2)
    tooltip = bar.locator("title").text_content()
    bar_count = int(re.search(r": (\d+)", tooltip).group(1)) if re.search(r": (\d+)", tooltip) else (
        1 if "مقال واحد" in tooltip else 2)
    bar.click()
    page.wait_for_url(re.compile(r"date_from=\d{4}-\d\d-01&date_to=\d{4}-\d\d-\d\d"))
    q = params_of(page.url)
    assert q["q"] == ["فاغنر"] and "page" not in q
    assert result_count(page) == bar_count
    # a month is short: now the chart is drawn per day
    assert "في كل يوم" in page.locator(".search-timeline").inner_text()
    assert page.locator("svg.bar-chart rect.value").count() >= 28
    assert_clean(view, "bar")


def test_export_csv_from_the_page(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}&country=UA", viewport=DESKTOP)
    page = view.page
    count = result_count(page)
    hint = page.locator(".export").inner_text()
    assert re.search(rf"كل النتائج \({count} (نتائج|نتيجة)\)", hint) and "كحد أقصى" not in hint  # no cap
    with page.expect_download() as info:
        page.locator(".export a", has_text="CSV").click()
    download = info.value
    assert re.fullmatch(r"arabic-news-فاغنر-\d{8}\.csv", download.suggested_filename)  # the query, as written
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    assert rows[0][:2] == ["id", "title"]
    assert len(rows) - 1 == count
    titles = [r[1] for r in rows[1:]]
    assert sum("قوات فاغنر في التقرير رقم" in t for t in titles) == 8  # Arabic intact
    page_titles = page.locator(".result__title a").all_inner_texts()
    assert titles[: len(page_titles)] == page_titles  # same order as the page
    assert all(r[4] == "أوكرانيا" or "أوكرانيا" in r[4] for r in rows[1:])
    assert all(r[7].startswith(view.base_url + "/articles/") for r in rows[1:])
    assert_clean(view, "export")


def test_keyboard_ticks_a_facet_and_keeps_its_place(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}")
    page = view.page
    page.locator("#f-country-UA").focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"country=UA"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'f-country-UA'")
    # "/" jumps to the search box
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"
    assert_clean(view, "keyboard")


def test_works_without_javascript(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}", java_script_enabled=False)
    page = view.page
    belarus = page.locator(".facet-country .facet-option", has=page.locator("#f-country-BY"))
    expected = int(belarus.locator(".facet-count").inner_text().replace("عدد النتائج:", "").strip())
    page.locator("#f-country-BY").check()
    page.get_by_role("button", name="تطبيق المرشّحات").click()
    page.wait_for_url(re.compile(r"country=BY"))
    assert result_count(page) == expected >= 8
    # search within these results
    page.fill("#within-q", "محللون")
    page.locator(".within-form button").click()
    page.wait_for_url(re.compile(r"q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1\+"))
    assert params_of(page.url)["q"] == ["فاغنر محللون"] and params_of(page.url)["country"] == ["BY"]
    assert 8 <= result_count(page) <= expected  # the word is in the eight reports


def test_compare_page(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}")
    page = view.page
    page.fill("#compare-q", "بوتين")
    page.get_by_role("button", name="قارن").click()
    page.wait_for_url(re.compile(r"/search/compare/\?q="))
    assert params_of(page.url)["q"] == ["فاغنر", "بوتين"]
    chart = page.locator("svg.compare-chart")
    assert chart.locator("g.series").count() == 2
    assert page.locator(".compare-list__item").count() == 2
    assert_clean(view, "compare")


def test_search_pages_are_clean_and_fit_a_phone(open_page, search_site):
    paths = [
        "/search/",
        f"/search/?q={WAGNER}",
        f"/search/?q={WAGNER}&country=RU&source=aljazeera&date_from=2023-01-01&date_to=2023-02-28",
        "/search/?q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1%D8%B1",  # empty, with a suggestion
        "/search/?page=abc",  # 400
        f"/search/compare/?q={WAGNER}&q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86",
    ]
    for width in (PHONE["width"], 360):
        for path in paths:
            view = open_page(path, viewport={"width": width, "height": PHONE["height"]})
            scroll_width, inner_width = view.page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, (path, width, scroll_width, inner_width)
            assert_clean(view, path, status=400 if "abc" in path else 200)
    # the 400 page is a page, with the message
    view = open_page("/search/?page=abc")
    assert "رقم الصفحة" in view.page.locator("[role=alert]").inner_text()


def test_screenshots(open_page, search_site):
    shots = {
        "search-results": f"/search/?q={WAGNER}",
        "search-filtered": f"/search/?q={WAGNER}&country=RU&date_from=2023-01-01&date_to=2023-02-28",
        "search-empty": "/search/?q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1%D8%B1",
        "search-compare": f"/search/compare/?q={WAGNER}&q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86&q=%D8%B1%D9%88%D8%B3%D9%8A%D8%A7",
    }
    for name, path in shots.items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            view = open_page(path, viewport=viewport)
            view.screenshot(f"{name}-{label}")
            # the first screenful, at full resolution, for a closer look
            view.page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}-{label}-top.png"))
            assert_clean(view, path)
    # parts of the phone results page: the filter panel (opened) and the tools
    view = open_page(shots["search-filtered"], viewport=PHONE)
    view.page.locator(".filters-panel__summary").click()
    view.page.locator(".search-sidebar").screenshot(path=str(SCREENSHOTS_DIR / "search-filters-phone.png"))
    view.page.locator(".search-results").screenshot(path=str(SCREENSHOTS_DIR / "search-filtered-results-phone.png"))
    view = open_page(shots["search-results"], viewport=PHONE)
    view.page.locator(".search-tools").screenshot(path=str(SCREENSHOTS_DIR / "search-tools-phone.png"))
    assert_clean(view, "parts")
