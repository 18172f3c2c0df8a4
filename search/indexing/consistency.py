"""Does the search index match the database? Plain functions for
``manage.py check_index``, the fault scripts and tests.

``compare()`` reads the visible article ids (and, with ``deep``, each one's
day, source, countries, topics and people) from the database and the same from the
index's columns and facet terms, and returns a ``DriftReport``:

- ``missing``: visible in the database, not in the index (not findable);
- ``extra``: in the index but deleted or hidden in the database (found, then
  a 404 or a hidden article);
- ``duplicates``: an id indexed more than once;
- ``outdated`` (``deep``): indexed with another date, source, country or
  topic set than the database holds (titles and bodies are not stored in the
  index, so a changed text is not detected here);
- ``unreadable``: the index cannot be opened at all (corrupt, files missing).

``repair(report)`` rebuilds an unreadable index, otherwise re-indexes or
removes exactly the drifting ids (one writer, one commit).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

import search.indexing.bulk as bulk
from archive.models import Article, ArticleCountry, ArticlePerson
from search.engine.shared import IndexUnavailable
from search.indexing.documents import get_backend
from search.indexing.queue import pending
from search.schema import day_fields

CHUNK = 2000


@dataclass
class DriftReport:
    db_visible: int = 0
    indexed: int = 0
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    outdated: list[int] = field(default_factory=list)
    queued: int = 0
    unreadable: str | None = None
    deep: bool = True
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.unreadable is None and not (self.missing or self.extra or self.duplicates or self.outdated)

    def drifting_ids(self) -> list[int]:
        return sorted(set(self.missing) | set(self.extra) | set(self.duplicates) | set(self.outdated))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def summary_lines(self, sample: int = 10) -> list[str]:
        if self.unreadable:
            return [f"index unreadable: {self.unreadable}"]
        lines = [
            f"database: {self.db_visible} visible articles; index: {self.indexed} documents; "
            f"queued changes: {self.queued}"
        ]
        for name in ("missing", "extra", "duplicates", "outdated"):
            ids = getattr(self, name)
            if ids:
                shown = ", ".join(str(i) for i in ids[:sample]) + (" …" if len(ids) > sample else "")
                lines.append(f"{name}: {len(ids)} ({shown})")
        if not self.deep:
            lines.append("(dates, sources, countries and topics not compared: --quick)")
        return lines


# --- the two sides ------------------------------------------------------------------

def database_state(deep: bool = True) -> dict[int, tuple]:
    """pk → (day, source slug, countries, topics, people) of visible articles
    (pk → () without ``deep``)."""
    visible = Article.objects.filter(is_hidden=False)
    if not deep:
        return {pk: () for pk in visible.values_list("pk", flat=True).iterator(chunk_size=CHUNK)}
    rows = visible.values_list("pk", "published", "source__slug").iterator(chunk_size=CHUNK)
    base = {pk: (day_fields(published)[1], slug) for pk, published, slug in rows}
    countries: dict[int, set] = {}
    for pk, code in (ArticleCountry.objects.filter(article__is_hidden=False, is_about=True)
                     .values_list("article_id", "country_id").iterator(chunk_size=CHUNK)):
        countries.setdefault(pk, set()).add(code)
    topics: dict[int, set] = {}
    through = Article.topics.through
    for pk, slug in (through.objects.filter(article__is_hidden=False)
                     .values_list("article_id", "topic__slug").iterator(chunk_size=CHUNK)):
        topics.setdefault(pk, set()).add(slug)
    people: dict[int, set] = {}
    for pk, slug in (ArticlePerson.objects.filter(article__is_hidden=False)
                     .values_list("article_id", "person__slug").iterator(chunk_size=CHUNK)):
        people.setdefault(pk, set()).add(slug)
    return {
        pk: (day, slug, frozenset(countries.get(pk, ())), frozenset(topics.get(pk, ())),
             frozenset(people.get(pk, ())))
        for pk, (day, slug) in base.items()
    }


def _per_doc(view, fieldname) -> dict[int, set]:
    values, docs, vals = view.pairs(fieldname)
    out: dict[int, set] = {}
    for doc, val in zip(docs.tolist(), vals.tolist(), strict=False):
        out.setdefault(doc, set()).add(values[val])
    return out


def index_state(deep: bool = True) -> tuple[dict[int, tuple], list[int]]:
    """(pk → (day, source, countries, topics, people) of live documents, ids indexed
    more than once). Raises IndexUnavailable."""
    with get_backend().view() as view:
        docs = np.flatnonzero(view.live_mask)
        pks = view.pks[docs]
        unique, counts = np.unique(pks, return_counts=True)
        duplicates = unique[counts > 1].tolist()
        if not deep:
            return {int(pk): () for pk in pks.tolist()}, duplicates
        days = view.days[docs].tolist()
        sources = _per_doc(view, "source")
        countries = _per_doc(view, "countries")
        topics = _per_doc(view, "topics")
        people = _per_doc(view, "people")
        state = {}
        for doc, pk, day in zip(docs.tolist(), pks.tolist(), days, strict=False):
            source = sources.get(doc)
            state[int(pk)] = (
                int(day),
                next(iter(source)) if source else None,
                frozenset(countries.get(doc, ())),
                frozenset(topics.get(doc, ())),
                frozenset(people.get(doc, ())),
            )
        return state, duplicates


# --- compare and repair -----------------------------------------------------------------

def compare(deep: bool = True) -> DriftReport:
    started = time.perf_counter()
    report = DriftReport(deep=deep, queued=pending())
    db = database_state(deep)
    report.db_visible = len(db)
    try:
        indexed, report.duplicates = index_state(deep)
    except IndexUnavailable as exc:
        report.unreadable = str(exc)
        report.seconds = time.perf_counter() - started
        return report
    report.indexed = len(indexed)
    report.missing = sorted(set(db) - set(indexed))
    report.extra = sorted(set(indexed) - set(db))
    if deep:
        report.outdated = sorted(pk for pk, state in indexed.items() if pk in db and db[pk] != state)
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class RepairResult:
    action: str  # "none", "reindexed", "queued" (some or all left for the drainer), "rebuilt"
    count: int = 0  # articles repaired: indexed now, or queued
    seconds: float = 0.0
    queued: int = 0  # of ``count``, left queued because the write lock stayed busy


def repair(report: DriftReport, *, timeout: float | None = None) -> RepairResult:
    """Fix what ``report`` found: rebuild an unreadable index, otherwise
    re-index (visible) or remove (hidden/deleted) the drifting ids. If the
    write lock stays busy the ids are queued for the drainer instead."""
    started = time.perf_counter()
    if report.unreadable:
        n = bulk.rebuild(timeout=timeout)
        return RepairResult("rebuilt", n, time.perf_counter() - started)
    ids = report.drifting_ids()
    if not ids:
        return RepairResult("none", 0, time.perf_counter() - started)
    n = bulk.index_articles(ids, timeout=timeout)
    action = "reindexed" if n == len(ids) else "queued"
    return RepairResult(action, len(ids), time.perf_counter() - started, queued=len(ids) - n)
