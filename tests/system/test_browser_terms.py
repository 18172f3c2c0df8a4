"""The «الكلمات المميزة» block of the results page in a real browser (Debian
Chromium via Playwright): right-to-left, readable at 390 px, the block loaded
after the page is shown, and each word a link, reached and followed with the keyboard, that adds the word to the query
and keeps the filters. Screenshot: artifacts/screenshots/search-terms.png."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.system.test_browser_search import WAGNER, assert_clean

pytestmark = pytest.mark.browser


def test_block_is_rtl_and_its_links_work_by_keyboard(open_page, search_site):
    view = open_page(f"/search/?q={WAGNER}&country=RU", viewport={"width": 390, "height": 800})
    page = view.page
    block = page.locator("#top-terms")
    links = block.locator("a.top-terms__term")
    links.first.wait_for(timeout=15000)  # loaded from /search/terms/ after the page is shown
    assert block.get_attribute("data-terms-src") is None  # the slot was replaced by the loaded block
    assert block.is_visible()
    assert block.locator("h2").inner_text() == "الكلمات المميزة"
    assert block.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert links.count() > 0
    words = [w.strip() for w in links.locator("bdi").all_inner_texts()]
    assert "فاغنر" not in words and all(re.search(r"[\u0600-\u06ff]", w) for w in words)
    # right-to-left: the first word sits to the right of the second
    if links.count() > 1:
        first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
        assert first["x"] >= second["x"] or first["y"] < second["y"]
    # nothing wider than the phone screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    view.screenshot("search-terms")

    # Tab through the page until a word of the block has the focus, then Enter
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("!!(document.activeElement && document.activeElement.closest('#top-terms'))"):
            break
    else:
        pytest.fail("no word of the block is reachable with Tab")
    word = page.evaluate("document.activeElement.querySelector('bdi').textContent").strip()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1\+"))
    params = parse_qs(urlsplit(page.url).query)
    assert params["q"] == [f"فاغنر {word}"] and params["country"] == ["RU"]
    assert page.locator(".results .result").count() > 0
    assert_clean(view, "terms")
