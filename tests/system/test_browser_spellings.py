"""Switching off a searched spelling in a real browser (Debian Chromium via
Playwright): the link next to «فاجنر» runs the same search without it,
keeping the other parameters, and the page no longer lists or finds it."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.system.test_browser_search import assert_clean, result_count

pytestmark = pytest.mark.browser


def test_switch_off_link_drops_the_spelling(open_page, search_site):
    view = open_page("/search/?q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1&sort=newest")  # فاغنر
    page = view.page
    assert_clean(view, "expanded search")
    line = page.locator("p.search-expansions")
    assert "فاجنر" in line.inner_text()
    before = result_count(page)
    link = line.get_by_role("link", name="ابحث دون «فاجنر»")
    link.click()
    page.wait_for_url(re.compile(r"/search/\?.*q=.*-"))
    params = parse_qs(urlsplit(page.url).query)
    assert params["q"] == ["فاغنر -فاجنر"] and params["sort"] == ["newest"] and "page" not in params
    assert_clean(view, "spelling switched off")
    assert page.get_by_label("كلمات البحث").input_value() == "فاغنر -فاجنر"
    assert "فاجنر" not in (line.inner_text() if line.count() else "")
    after = result_count(page)
    assert 0 < after < before
    assert "فاجنر" not in page.locator("ol.results").inner_text()
