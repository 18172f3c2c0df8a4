"""One collection run: due feeds -> their new article pages -> articles.

A feed or page that fails is recorded (``Feed.last_error``,
``CollectedPage.message``) and retried on a later run; it never stops the
others, and what was stored before stays. Pages already stored that a feed
still lists are asked again with a conditional GET (at most every
``RECHECK``), so a changed text updates its article.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from archive.collect.extract import ExtractionError, extract_html_bytes
from archive.collect.feeds import Entry, parse_feed, parse_sitemap
from archive.collect.fetch import Fetcher
from archive.collect.robots import Robots
from archive.collect.store import CREATED, DUPLICATE, FAILED, UNCHANGED, UPDATED, PageStore, page_record
from archive.collect.urls import canonical_url
from archive.models import CollectedPage, Feed

MAX_PAGES_PER_FEED = 200   # new pages fetched from one feed per run
MAX_CHILD_SITEMAPS = 10    # sitemaps of a sitemap index read per run
MAX_ATTEMPTS = 5           # a page failing this often is no longer retried
MAX_FEED_BACKOFF = 16      # a failing feed waits up to 16 intervals
RECHECK = dt.timedelta(hours=6)  # a stored page still listed is asked again (conditionally) after this


@dataclass
class Summary:
    feeds: int = 0
    found: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    feed_errors: int = 0
    changed_ids: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"feeds {self.feeds}, found {self.found}, new {self.new}, updated {self.updated}, "
                f"unchanged {self.unchanged}, duplicates {self.duplicates}, failed {self.failed}, "
                f"feed errors {self.feed_errors}")


def due_feeds(now=None):
    """Enabled feeds of active outlets whose interval has passed (a failing
    feed waits longer: interval x 2^failures, at most x16)."""
    now = now or timezone.now()
    feeds = Feed.objects.filter(enabled=True, source__is_active=True).select_related("source")
    due = []
    for feed in feeds.filter(Q(last_collected__isnull=True) | Q(last_collected__lte=now)):
        wait = feed.interval_minutes * min(2 ** feed.failures, MAX_FEED_BACKOFF)
        if feed.last_collected is None or feed.last_collected + dt.timedelta(minutes=wait) <= now:
            due.append(feed)
    return due


class Collector:
    def __init__(self, fetcher: Fetcher | None = None, *, max_pages: int = MAX_PAGES_PER_FEED, log=None,
                 recheck: dt.timedelta = RECHECK):
        self.fetcher = fetcher or Fetcher()
        self.recheck = recheck
        self.robots = Robots(self.fetcher)
        self.max_pages = max_pages
        self.log = log or (lambda message: None)
        self.summary = Summary()
        self._store = None

    @property
    def store(self) -> PageStore:
        if self._store is None:
            self._store = PageStore()
        return self._store

    def run(self, feeds=None) -> Summary:
        for feed in (due_feeds() if feeds is None else feeds):
            try:
                self.collect_feed(feed)
            except Exception as exc:  # one feed's trouble never stops the others
                self._feed_failed(feed, f"{type(exc).__name__}: {exc}")
        if self._store is not None:
            self.summary.changed_ids = list(dict.fromkeys(self._store.report.changed_ids))
        return self.summary

    # feeds -------------------------------------------------------------------------------
    def _feed_failed(self, feed, message):
        self.summary.feed_errors += 1
        self.summary.problems.append(f"feed {feed.url}: {message}")
        self.log(f"feed {feed.url}: {message}")
        feed.last_collected = timezone.now()
        feed.last_error = message[:2000]
        feed.failures += 1
        feed.save(update_fields=["last_collected", "last_error", "failures"])

    def _listing(self, feed, data):
        looks_xml_sitemap = b"<urlset" in data[:2000] or b"<sitemapindex" in data[:2000]
        if feed.kind == Feed.KIND_SITEMAP or looks_xml_sitemap:
            listing = parse_sitemap(data)
            for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
                result = self._fetch_allowed(child)
                if isinstance(result, str):
                    self.summary.problems.append(f"sitemap {child}: {result}")
                    continue
                listing.entries.extend(parse_sitemap(result.body).entries)
            return listing
        return parse_feed(data)

    def _fetch_allowed(self, url, **conditional):
        problem = self.robots.check(url)
        if problem:
            return problem
        result = self.fetcher.fetch(url, **conditional)
        if result.error and not result.not_modified:
            return result.error
        return result

    def collect_feed(self, feed: Feed):
        self.summary.feeds += 1
        result = self._fetch_allowed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if isinstance(result, str):
            self._feed_failed(feed, result)
            return
        counts = dict(found=0, new=0, updated=0, duplicates=0, failed=0)
        if not result.not_modified:
            listing = self._listing(feed, result.body)
            if listing.error:
                self._feed_failed(feed, listing.error)
                return
            entries = {}
            for entry in listing.entries:
                key = canonical_url(entry.url)
                if key and key not in entries:
                    entries[key] = entry
            counts["found"] = len(entries)
            self.summary.found += len(entries)
            for key, entry in list(entries.items())[:self.max_pages]:
                outcome = self.collect_page(feed, key, entry)
                if outcome in (CREATED, UPDATED, DUPLICATE, FAILED):
                    counts[{CREATED: "new", UPDATED: "updated", DUPLICATE: "duplicates", FAILED: "failed"}[outcome]] += 1
            feed.etag, feed.last_modified = result.etag, result.last_modified
        now = timezone.now()
        feed.last_collected = feed.last_success = now
        feed.last_found, feed.last_new, feed.last_updated = counts["found"], counts["new"], counts["updated"]
        feed.last_duplicates, feed.last_failed = counts["duplicates"], counts["failed"]
        feed.last_error = ""
        feed.failures = 0
        feed.save()
        self.log(f"feed {feed.url}: found {counts['found']}, new {counts['new']}, updated {counts['updated']}, "
                 f"duplicates {counts['duplicates']}, failed {counts['failed']}"
                 + (" (not modified)" if result.not_modified else ""))

    # pages -------------------------------------------------------------------------------
    def collect_page(self, feed: Feed, url: str, entry: Entry) -> str:
        page, _ = CollectedPage.objects.get_or_create(url=url[:1000], defaults={"feed": feed})
        if page.status == CollectedPage.STATUS_FAILED and page.attempts >= MAX_ATTEMPTS:
            return UNCHANGED  # given up: the message says why
        stored = page.status != CollectedPage.STATUS_FAILED and page.fetched is not None
        if stored and page.fetched + self.recheck > timezone.now():
            self.summary.unchanged += 1
            return UNCHANGED  # asked recently: not again before ``recheck``
        page.attempts += 1
        page.fetched = timezone.now()
        conditional = {}
        if page.status == CollectedPage.STATUS_STORED and page.article_id:
            conditional = dict(etag=page.etag, last_modified=page.last_modified)
        try:
            outcome, message = self._page(feed, page, url, entry, conditional)
        except Exception as exc:  # a page's trouble never stops the feed
            outcome, message = FAILED, f"{type(exc).__name__}: {exc}"
        if outcome == FAILED:
            page.status = CollectedPage.STATUS_FAILED
            self.summary.failed += 1
            self.summary.problems.append(f"page {url}: {message}")
            self.log(f"  failed {url}: {message}")
        else:
            page.attempts = 0
            if outcome == DUPLICATE:
                page.status = CollectedPage.STATUS_SKIPPED
                self.summary.duplicates += 1
            else:
                page.status = CollectedPage.STATUS_STORED
                counter = {CREATED: "new", UPDATED: "updated", UNCHANGED: "unchanged"}[outcome]
                setattr(self.summary, counter, getattr(self.summary, counter) + 1)
        page.message = message[:2000]
        page.save()
        return outcome

    def _page(self, feed, page, url, entry, conditional):
        result = self._fetch_allowed(url, **conditional)
        if isinstance(result, str):
            return FAILED, result
        if result.not_modified:
            return UNCHANGED, ""
        try:
            extracted = extract_html_bytes(result.body, result.final_url or url,
                                           content_type=result.content_type, charset=result.charset)
        except ExtractionError as exc:
            return FAILED, str(exc)
        if not extracted.title and entry.title:
            extracted.title = entry.title[:500]
        record = page_record(extracted, url, source_slug=feed.source.slug, listed_date=entry.published)
        stored = self.store.store(record)
        if stored.outcome != FAILED:
            page.etag, page.last_modified = result.etag, result.last_modified
            page.article_id = stored.article_id if stored.outcome != DUPLICATE else page.article_id
        return stored.outcome, stored.message
