"""The search page's world map in a real browser (Debian Chromium via Playwright):
it renders, it fits a 390 px phone, a country is reached with the keyboard and
following it filters the results. Screenshot: artifacts/screenshots/search-map-*.png."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fixtures_browser import DESKTOP

from .test_browser_search import WAGNER, assert_clean, result_count

pytestmark = pytest.mark.browser


def test_map_renders_and_a_country_is_followed_with_the_keyboard(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}", viewport=DESKTOP)
    page = view.page
    svg = page.locator(".world-map svg")
    svg.wait_for()
    box = svg.bounding_box()
    assert box["width"] > 500 and box["height"] > 200
    assert page.locator(".world-map [data-country]").count() > 150
    # the countries of the reports (and of the seeds that match) are shaded links
    linked = dict(page.locator(".world-map__link [data-country]").evaluate_all(
        "els => els.map(e => [e.dataset.country, getComputedStyle(e).fill])"))
    assert {"BY", "RU", "UA"} <= set(linked)
    plain = page.locator(".world-map svg > path[data-country]")  # no articles: not a link
    assert plain.count() > 100
    neutral = plain.first.evaluate("e => getComputedStyle(e).fill")
    assert all(fill != neutral for fill in linked.values())
    view.screenshot("search-map-desktop")

    # keyboard: Tab from the last result title reaches a country link
    page.locator(".result__title a").last.focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!(document.activeElement && document.activeElement.closest('.world-map'))"):
            break
    active = page.evaluate(
        "(() => { const a = document.activeElement; const p = a.querySelector('[data-country]');"
        " return [a.getAttribute('class'), p && p.dataset.country, a.querySelector('title').textContent]; })()")
    assert active[0] == "world-map__link", active
    code, title = active[1], active[2]
    assert code in linked, active
    counted = re.search(r": (\d+) مقال", title)
    expected = int(counted.group(1)) if counted else {"مقال واحد": 1, "مقالان": 2}[title.split(": ")[1]]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"country={code}"))
    params = parse_qs(urlsplit(page.url).query)
    assert params["country"] == [code] and params["q"] == ["فاغنر"]
    assert result_count(page) == expected
    assert_clean(view, "map")


def test_map_fits_a_phone(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}", viewport={"width": 390, "height": 740})
    page = view.page
    page.locator(".world-map svg").scroll_into_view_if_needed()
    box = page.locator(".world-map svg").bounding_box()
    assert 300 < box["width"] <= 390 and box["height"] > 100
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    view.screenshot("search-map-phone")
    assert_clean(view, "map phone")
