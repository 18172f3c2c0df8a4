"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

- ``browser``: one headless Chromium for the session (``/usr/bin/chromium``;
  never ``playwright install``). Missing Chromium skips the browser tests, or
  fails them when ``CI=true``.
- ``live_site``: pytest-django's live server with the five seed articles
  imported (transactional database, serialized rollback so that the
  reference data from the migrations is back for the tests that follow).
- ``open_page``: ``open_page(path, viewport=...)`` → a ``BrowserPage`` whose
  ``console_errors`` and ``requests`` record what the page did.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then
# refuse ORM calls from test code ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS_DIR = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: sudo apt-get install chromium"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message)
        pytest.skip("Chromium not found: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def reference_data(transactional_db):
    """Countries, topics, outlets, people and collections, even after an earlier transactional test.

    Serialized rollback should restore them after each flush, but once
    Playwright's event loop runs in this thread asgiref hands Django a new
    connection object that lacks the serialized copy; loading the (idempotent)
    reference data again does not depend on that.
    """
    from archive.importing.gazetteer import load_reference_data
    from archive.importing.people_data import load_collections, load_people

    load_reference_data()
    load_people()
    load_collections()


@pytest.fixture
def live_site(browser, live_server, transactional_db, django_db_serialized_rollback, reference_data, seeded):
    """The live server's URL, with the seeds imported (and tagged)."""
    return live_server.url


@dataclass
class BrowserPage:
    page: object
    base_url: str
    console_errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path, wait_until="load")
        return response

    def external_requests(self):
        return [url for url in self.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).hostname not in LOCAL_HOSTS]

    def screenshot(self, name: str):
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS_DIR / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def open_page(browser, live_site):
    contexts = []

    def open_(path: str = "/", viewport: dict | None = None, **context_options) -> BrowserPage:
        context = browser.new_context(viewport=viewport or DESKTOP, locale="ar", **context_options)
        contexts.append(context)
        page = context.new_page()
        wrapper = BrowserPage(page=page, base_url=live_site)
        page.on("console", lambda msg: wrapper.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: wrapper.console_errors.append(f"pageerror: {exc}"))
        page.on("request", lambda request: wrapper.requests.append(request.url))
        if path is not None:
            wrapper.goto(path)
        return wrapper

    yield open_
    for context in contexts:
        context.close()


# --- the search page (tests/system/test_browser_search.py) ---------------------------------------

SEARCH_COUNTRIES = ("RU", "UA", "BY")


@pytest.fixture
def search_site(live_site, search_index):
    """The live server with the seeds and 24 dated articles about «فاغنر»
    (2023-01-05 every 23 days, three outlets, one country each in turn),
    all indexed in a fresh index."""
    import datetime as dt

    from archive.models import Article, ArticleCountry, Source

    outlets = [
        Source.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in (("الجزيرة نت", "aljazeera"), ("بي بي سي عربي", "bbc-arabic"), ("الشرق الأوسط", "aawsat"))
    ]
    articles = Article.objects.bulk_create([
        Article(
            title=f"قوات فاغنر في التقرير رقم {i}: تطورات جديدة في المنطقة",
            body=f"ذكر التقرير {i} أن مجموعة فاغنر نقلت مقاتلين جدداً. وقال محللون إن الخطوة لافتة.",
            raw_text="x", raw_checksum=f"wagner-{i}", source=outlets[i % 3],
            published=dt.date(2023, 1, 5) + dt.timedelta(days=23 * i),
            origin=f"wagner-{i}", fingerprint=f"wagner-{i}", url=f"https://example.org/wagner/{i}",
        )
        for i in range(24)
    ])
    ArticleCountry.objects.bulk_create([
        ArticleCountry(article=a, country_id=SEARCH_COUNTRIES[i % 3], mentions=1, is_about=True)
        for i, a in enumerate(articles)
    ])
    search_index.build()
    return live_site
