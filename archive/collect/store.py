"""Extracted pages -> articles, through the import pipeline.

``PageStore`` is the ``Importer`` fed with ``Record``s one page at a time
(cleaning, tagging, fingerprint de-duplication, the index queue: the same
code as ``import_articles``), so a page is stored whole or not at all.
The page's canonical URL is its origin: collecting it again with the same
text changes nothing; with a changed text the article is updated and its
earlier title and body are kept as an ``ArticleRevision``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from archive.collect.extract import Extracted
from archive.collect.urls import canonical_url, origin_for
from archive.importing import Importer, checksum
from archive.importing.readers import Record, Rejected, web_url
from archive.models import Article, ArticleRevision

CREATED, UPDATED, UNCHANGED, DUPLICATE, FAILED = "created", "updated", "unchanged", "duplicate", "failed"


@dataclass
class Stored:
    outcome: str              # one of the constants above
    article_id: int | None = None
    message: str = ""


def page_record(page: Extracted, fetched_url: str, *, source_slug: str | None = None,
                listed_date=None) -> Record:
    """The ``Record`` of an extracted page (kind "html": title and body
    known). The fetched URL, canonicalised, is the origin (a canonical link
    to another host is only kept as the article's link)."""
    url = web_url(canonical_url(page.url) or canonical_url(fetched_url))
    return Record(
        origin=origin_for(fetched_url),
        location=fetched_url[:500],
        raw_text=page.text,
        kind="html",
        title=page.title,
        body="\n".join(page.paragraphs),
        url=url[:1000],
        published=page.published or listed_date,
        source_slug=source_slug,
        source_name=None if source_slug else (page.sitename or None),
        author=page.author,
    )


class PageStore(Importer):
    """One per collection run; ``store(record)`` per page."""

    def __init__(self, **kwargs):
        super().__init__(workers=1, **kwargs)

    def _records(self, records):
        for record in records:
            stored = self._existing.get(record.origin)
            if stored is not None and stored == checksum(record.raw_text):
                self.report.unchanged += 1
                continue
            yield record

    def _write(self, items):
        with transaction.atomic():
            self._keep_revisions(items)
            super()._write(items)

    def _keep_revisions(self, items):
        origins = [i.record.origin for i in items if not isinstance(i, Rejected) and i.record.origin in self._existing]
        if not origins:
            return
        ArticleRevision.objects.bulk_create([
            ArticleRevision(article_id=pk, title=title, body=body, raw_checksum=raw)
            for pk, title, body, raw in Article.objects.filter(origin__in=origins).values_list(
                "pk", "title", "body", "raw_checksum")
        ])

    def store(self, record: Record) -> Stored:
        report = self.report
        before = (report.created, report.updated, report.unchanged, report.duplicates, len(report.rejected))
        self.run([record])
        after = (report.created, report.updated, report.unchanged, report.duplicates, len(report.rejected))
        delta = [b - a for a, b in zip(before, after, strict=False)]
        if delta[4]:
            return Stored(FAILED, None, report.rejected[-1].reason)
        outcome = (CREATED if delta[0] else UPDATED if delta[1] else UNCHANGED if delta[2]
                   else DUPLICATE if delta[3] else FAILED)
        article_id = Article.objects.filter(origin=record.origin).values_list("pk", flat=True).first()
        message = "same text as an article already stored for this outlet" if outcome == DUPLICATE else ""
        return Stored(outcome, article_id, message)
