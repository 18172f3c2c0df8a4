"""The people pages and the person facet in a real browser (Debian Chromium
via Playwright): the person facet on the results page links to the person's
page (reached with the keyboard), the page shows the spellings, the chart
with its table and the latest articles, right to left, and fits a 390 px
phone; ticking the person filters the results. Screenshots:
artifacts/screenshots/person-*.png."""
import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from .test_browser_search import assert_clean, result_count

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 800}


@pytest.fixture
def people_site(live_site, search_index):
    """The seeds plus six dated articles naming Putin (two of them also
    Erdoğan), tagged by the importer's tagger, indexed."""
    from archive.importing import retag_articles
    from archive.models import Article, Source

    outlet = Source.objects.get(slug="alriyadh")
    for i in range(6):
        Article.objects.create(
            title=f"الرئيس الروسي فلاديمير بوتين في التقرير {i}",
            body=f"قال بوتين إن المحادثات مستمرة.{' والتقى رجب طيب أردوغان في سوتشي.' if i < 2 else ''}",
            raw_text=f"people-{i}", raw_checksum=f"people-{i}", origin=f"people-{i}", fingerprint=f"people-{i}",
            source=outlet, published=dt.date(2023, 1 + i, 10),
        )
    retag_articles(Article.objects.all())
    search_index.build()
    return live_site


def test_person_facet_link_leads_to_the_person_page_by_keyboard(open_page, people_site):
    view = open_page("/search/?q=بوتين")
    page = view.page
    option = page.locator(".facet-person .facet-option", has_text="فلاديمير بوتين").first
    option.wait_for()
    link = option.locator("a.facet-option__page")
    assert link.get_attribute("href") == "/people/vladimir-putin/"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/vladimir-putin/$"))
    assert page.locator("h1").inner_text() == "فلاديمير بوتين"
    spellings = page.locator(".person-spellings .chip").all_inner_texts()
    assert "بوتين" in spellings and "فلاديمير بوتين" in spellings
    assert page.locator(".search-timeline svg").count() == 1
    assert page.locator(".search-timeline .chart-data table").count() == 1  # every chart with its table
    latest = page.locator(".article-list .article-item__title a")
    assert latest.count() >= 6
    assert "تركيا" in page.locator(".person-countries").inner_text()  # co-mentioned country
    view.screenshot("person-desktop")
    assert_clean(view, "person page")

    # the count/share switch keeps the page
    page.get_by_role("link", name="النسبة من كل المقالات").click()
    page.wait_for_url(re.compile(r"measure=share"))
    assert "٪" in page.locator(".search-timeline").inner_text() or "%" in page.locator(".search-timeline").inner_text()


def test_person_page_and_list_fit_a_phone(open_page, people_site):
    for path in ("/people/vladimir-putin/", "/people/"):
        view = open_page(path, viewport=PHONE_390)
        page = view.page
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
        view.screenshot("person-phone" if "vladimir" in path else "people-phone")
        assert_clean(view, path)
    # the list links each person to their page
    page.get_by_role("link", name="فلاديمير بوتين").first.click()
    page.wait_for_url(re.compile(r"/people/vladimir-putin/$"))


def test_ticking_a_person_filters_the_results(open_page, people_site):
    view = open_page("/search/?q=بوتين")
    page = view.page
    before = result_count(page)
    counted = page.locator(".facet-option", has=page.locator("#f-person-recep-tayyip-erdogan"))
    expected = int(re.search(r"\d+", counted.locator(".facet-count").inner_text()).group(0))
    page.locator("#f-person-recep-tayyip-erdogan").check()
    page.locator(".facet-form__submit").click()
    page.wait_for_url(re.compile(r"person=recep-tayyip-erdogan"))
    assert parse_qs(urlsplit(page.url).query)["person"] == ["recep-tayyip-erdogan"]
    assert 2 <= result_count(page) == expected < before
    assert_clean(view, "person filter")
