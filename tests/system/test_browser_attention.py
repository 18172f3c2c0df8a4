"""The home heat map (outlets × months) and the share chart in the real
Chromium at 390 px: right-to-left, no console errors (CSP included), no
request leaving the machine, and the only horizontal scroll inside the heat
map's own block."""
import pytest

from tests.system.test_browser_search import WAGNER, assert_clean

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


def no_page_overflow(view, label):
    scroll_width, inner_width = view.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, (label, scroll_width, inner_width)


def test_home_heat_map_and_share_chart_at_390px(open_page, search_site):
    from archive.coverage import clear_cache

    clear_cache()
    view = open_page("/", viewport=PHONE_390)
    page = view.page
    assert_clean(view, "/")
    no_page_overflow(view, "/")
    block = page.locator(".outlet-coverage")
    block.scroll_into_view_if_needed()
    assert block.is_visible()
    table = page.locator(".coverage-table")
    assert table.locator("tbody tr").count() >= 3  # the three Wagner outlets at least
    assert table.evaluate("t => getComputedStyle(t).direction") == "rtl"
    # the table is wider than the phone and scrolls inside its own block
    scroller = page.locator(".coverage-scroll")
    inner, outer = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert inner > outer
    assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    # the block is keyboard-reachable (to scroll it) and the cells carry counts
    scroller.focus()
    assert page.evaluate("document.activeElement.classList.contains('coverage-scroll')")
    shaded = table.locator("td.cov-5")
    assert shaded.count() >= 1
    assert "مقال" in shaded.first.get_attribute("title")
    # the darkest cells really are darker than empty ones (classes reach the CSS)
    dark = shaded.first.evaluate("e => getComputedStyle(e).backgroundColor")
    empty = table.locator("td.cov-0").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert dark != empty
    view.screenshot("home-heat-map-390")

    view = open_page(f"/search/?q={WAGNER}", viewport=PHONE_390)
    page = view.page
    page.get_by_role("link", name="النسبة من كل المقالات").click()
    page.wait_for_url("**measure=share**")
    assert_clean(view, "share chart")
    no_page_overflow(view, "share chart")
    svg = page.locator(".search-timeline svg.chart")
    assert svg.is_visible()
    assert "٪" in svg.get_attribute("aria-label") or "%" in svg.get_attribute("aria-label")
    page.locator(".chart-data summary").click()
    assert "٪" in page.locator(".chart-table").inner_text()
    assert page.locator(".measure-switch [aria-current]").inner_text() == "النسبة من كل المقالات"
    view.screenshot("search-share-390")
