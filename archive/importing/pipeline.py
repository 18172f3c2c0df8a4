"""The import pipeline: read → clean → tag → write, in batches.

Each batch's transaction also sends ``archive.signals.articles_changed``
(the search app queues the ids for indexing).

Cleaning and tagging are CPU work and run in worker processes (one per core);
the parent process owns the database and writes each batch in one
transaction, so an interrupted import never leaves half an article.

Idempotency:
- an article is identified by its ``origin`` (seed file name or corpus id):
  the same origin with the same raw text is left alone, with changed raw text
  it is re-cleaned and updated;
- a new origin whose clean text has the fingerprint of an article already
  stored for the same outlet is a duplicate and is not stored again (the same
  wire story from two outlets is kept once per outlet).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.utils.text import slugify

from archive.batching import chunked
from archive.importing.aboutness import tag_countries
from archive.importing.cleaning import CleaningError, clean_scraped_text, strip_boilerplate
from archive.importing.gazetteer import country_blockers, country_places
from archive.importing.people_data import person_matcher
from archive.importing.readers import Record, Rejected, read_all
from archive.importing.tagging import CountryEntry, CountryMatcher, TopicEntry, TopicMatcher, words
from archive.models import Article, ArticleCountry, ArticlePerson, Country, Person, Source, SourceAlias, Topic
from archive.signals import articles_changed

BATCH_SIZE = 500
COUNTRY_COLUMNS = ("article", "country", "mentions", "is_about")  # ArticleCountry rows as inserted


@dataclass
class Prepared:
    """A record made ready for the database (computed in a worker)."""

    record: Record
    title: str
    body: str
    published: object
    source_name: str | None
    fingerprint: str
    raw_checksum: str
    countries: dict[str, int]
    topics: list[str]
    about: list[str] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)  # person slug -> mentions


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0
    changed_ids: list[int] = field(default_factory=list)

    @property
    def processed(self):
        return self.created + self.updated + self.unchanged + self.duplicates

    @property
    def rate(self):
        return self.processed / self.seconds if self.seconds else 0.0


def checksum(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def fingerprint(body: str, body_words: list[str] | None = None) -> str:
    """Fingerprint of the clean text: its normalized words, hashed."""
    return checksum(" ".join(words(body) if body_words is None else body_words))


# --- matchers, built from the database and shared with workers ---------------

def build_matchers(countries=None, topics=None):
    """The country and topic matchers from the database's rows, or from the
    given ``Country``/``Topic`` objects (a rule's preview passes edited,
    unsaved ones)."""
    countries = [
        CountryEntry(
            code=c.code,
            # Aliases are what names a country in text; the display name is
            # only used when no alias is given (it may be ambiguous: «مالي»).
            names=tuple(c.alias_list or [c.name_ar]),
            weak=tuple(c.weak_alias_list),
        )
        for c in (Country.objects.all() if countries is None else countries)
    ]
    topics = [
        TopicEntry(slug=t.slug, rules=tuple(t.keyword_rules), category=t.category,
                   requires=tuple(t.required_phrases), starts=t.starts, ends=t.ends)
        for t in (Topic.objects.all() if topics is None else topics)
    ]
    country_matcher = CountryMatcher(countries, country_blockers(), country_places())
    # Outlet (corpus key and normalized name) → its country, for local
    # stories that never name their country (aboutness.tag_countries).
    for key, name, code in Source.objects.exclude(country=None).values_list("key", "name", "country_id"):
        if key:
            country_matcher.homes[key] = code
        country_matcher.homes[" ".join(words(name))] = code
    return country_matcher, TopicMatcher(topics)


_MATCHERS = None
_PEOPLE = None  # the PersonMatcher (archive.importing.people)


def _init_worker(matchers, nice=0, people=None):
    global _MATCHERS, _PEOPLE
    _MATCHERS = matchers
    _PEOPLE = people
    if nice:
        # Below the background indexer (import_articles), which would
        # otherwise get one CPU share in four and finish long after the import.
        os.nice(nice)


def prepare(record: Record):
    """Clean and tag one record. Returns Prepared or Rejected."""
    country_matcher, topic_matcher = _MATCHERS
    try:
        if record.kind == "text":
            cleaned = clean_scraped_text(record.raw_text)
            title, paragraphs = cleaned.title, cleaned.paragraphs
            published = record.published or cleaned.published
            source_name = record.source_name or cleaned.source_name
        else:
            paragraphs = strip_boilerplate([line for line in record.body.split("\n")])
            title = " ".join(record.title.split()) or (paragraphs[0][:120] if paragraphs else "")
            published = record.published
            source_name = record.source_name
    except CleaningError as exc:
        return Rejected(record.location, f"no article text found: {exc}")
    if not paragraphs:
        return Rejected(record.location, "no article text left after cleaning")
    body = "\n\n".join(paragraphs)
    body_words = words(body)
    title_words = words(title)
    all_words = title_words + body_words
    home = country_matcher.homes.get(record.source_key) or country_matcher.homes.get(
        " ".join(words(source_name or "")))
    tags = tag_countries(country_matcher, title_words, body_words, home)
    return Prepared(
        record=record,
        title=title[:500],
        body=body,
        published=published,
        source_name=source_name,
        fingerprint=fingerprint(body, body_words),
        raw_checksum=checksum(record.raw_text),
        countries=tags.mentioned,
        about=tags.about,
        topics=sorted(topic_matcher.assign_words(all_words, record.categories, _as_date(published))),
        people=dict(_PEOPLE.count_words(all_words)) if _PEOPLE is not None else {},
    )


def _as_date(value):
    """A record's date as a ``date`` (records may carry a datetime)."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _prepare_many(records):
    return [prepare(r) for r in records]


# --- the writer ---------------------------------------------------------------

class Importer:
    """Imports records into the database; use ``run(paths)``."""

    def __init__(self, *, workers: int | None = None, progress=None, limit: int | None = None,
                 worker_nice: int = 0):
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.worker_nice = worker_nice
        self.progress = progress
        self.limit = limit
        self.report = ImportReport()
        self._existing = dict(Article.objects.values_list("origin", "raw_checksum"))
        self._fingerprints = {
            (fp, source_id): origin
            for fp, source_id, origin in Article.objects.values_list("fingerprint", "source_id", "origin")
        }
        self._sources_by_key = {s.key: s for s in Source.objects.exclude(key=None)}
        self._sources_by_slug = {s.slug: s for s in Source.objects.all()}
        self._sources_by_name = {" ".join(words(s.name)): s for s in Source.objects.all()}
        # A merged outlet's old slug, key and name lead to the outlet it was merged into.
        for alias in SourceAlias.objects.select_related("source"):
            self._sources_by_slug.setdefault(alias.slug, alias.source)
            if alias.key:
                self._sources_by_key.setdefault(alias.key, alias.source)
            if alias.name:
                self._sources_by_name.setdefault(" ".join(words(alias.name)), alias.source)
        self._topic_ids = dict(Topic.objects.values_list("slug", "id"))
        self._country_codes = set(Country.objects.values_list("code", flat=True))
        self._person_ids = dict(Person.objects.values_list("slug", "id"))

    # Reading and preparing -------------------------------------------------
    def _records(self, paths):
        seen = set()
        for item in read_all(paths, limit=self.limit):
            if isinstance(item, Rejected):
                self.report.rejected.append(item)
                continue
            if item.origin in seen:
                self.report.rejected.append(Rejected(item.location, f"id {item.origin} appears twice in this import"))
                continue
            seen.add(item.origin)
            stored = self._existing.get(item.origin)
            if stored is not None and stored == checksum(item.raw_text):
                self.report.unchanged += 1
                self._tick()
                continue
            yield item

    def _tick(self, n=1):
        if self.progress is not None:
            self.progress.update(n)

    def run(self, paths) -> ImportReport:
        started = time.perf_counter()
        matchers = build_matchers()
        people = person_matcher()
        batches = chunked(self._records(paths), 100)
        if self.workers > 1:
            context = multiprocessing.get_context("fork")
            with context.Pool(self.workers, initializer=_init_worker,
                              initargs=(matchers, self.worker_nice, people)) as pool:
                self._consume(pool.imap(_prepare_many, batches, chunksize=1))
        else:
            _init_worker(matchers, people=people)
            self._consume(map(_prepare_many, batches))
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _consume(self, prepared_batches):
        pending = []
        for batch in prepared_batches:
            pending.extend(batch)
            if len(pending) >= BATCH_SIZE:
                self._write(pending)
                pending = []
        if pending:
            self._write(pending)

    # Writing ----------------------------------------------------------------
    def _source_for(self, record: Record, source_name: str | None):
        if record.source_key and record.source_key in self._sources_by_key:
            return self._sources_by_key[record.source_key]
        if record.source_slug and record.source_slug in self._sources_by_slug:
            return self._sources_by_slug[record.source_slug]
        if source_name:
            key = " ".join(words(source_name))
            if key in self._sources_by_name:
                return self._sources_by_name[key]
        if not (record.source_key or source_name):
            return None
        base = slugify(record.source_slug or record.source_key or "") or (
            "source-" + checksum(source_name or "")[:8]
        )
        slug = base
        while slug in self._sources_by_slug:
            slug = f"{base}-{checksum(slug)[:4]}"
        source = Source.objects.create(
            name=(source_name or record.source_key)[:200], slug=slug, key=record.source_key or None
        )
        self._sources_by_slug[slug] = source
        self._sources_by_name[" ".join(words(source.name))] = source
        if source.key:
            self._sources_by_key[source.key] = source
        return source

    def _write(self, items):
        with transaction.atomic():
            new_articles, new_tags, updates = [], [], []
            for item in items:
                if isinstance(item, Rejected):
                    self.report.rejected.append(item)
                    continue
                record = item.record
                source = self._source_for(record, item.source_name)
                fields = dict(
                    title=item.title,
                    body=item.body,
                    raw_text=record.raw_text,
                    raw_checksum=item.raw_checksum,
                    source=source,
                    author=record.author,
                    url=record.url,
                    published=item.published,
                    fingerprint=item.fingerprint,
                )
                if record.origin in self._existing:
                    updates.append((record.origin, fields, item))
                    continue
                key = (item.fingerprint, source.pk if source else None)
                if key in self._fingerprints:
                    self.report.duplicates += 1
                    self._tick()
                    continue
                self._fingerprints[key] = record.origin
                new_articles.append((Article(origin=record.origin, **fields), item))
            created = Article.objects.bulk_create([a for a, _ in new_articles])
            for article, (_unsaved, item) in zip(created, new_articles, strict=False):
                new_tags.append((article.pk, item))
                self._existing[article.origin] = item.raw_checksum
            for origin, fields, item in updates:
                article = Article.objects.get(origin=origin)
                for name, value in fields.items():
                    setattr(article, name, value)
                article.save()
                ArticleCountry.objects.filter(article=article).delete()
                ArticlePerson.objects.filter(article=article).delete()
                article.topics.clear()
                new_tags.append((article.pk, item))
                self._existing[origin] = item.raw_checksum
            self._write_tags(new_tags)
            # Sent in the same transaction: the search app queues the ids
            # here, so if this process dies before it indexes them, the rows
            # stay and the next drain indexes them.
            articles_changed.send(sender=Importer, ids=[pk for pk, _ in new_tags], wake=False)
        self.report.created += len(created)
        self.report.updated += len(updates)
        self.report.changed_ids.extend(pk for pk, _ in new_tags)
        self._tick(len(created) + len(updates))

    def _write_tags(self, tagged):
        mentions, topic_links, person_links = [], [], []
        for pk, item in tagged:
            for slug, count in item.people.items():
                if slug in self._person_ids:
                    person_links.append((pk, self._person_ids[slug], count))
            about = set(item.about)
            for code, count in item.countries.items():
                if code in self._country_codes:
                    mentions.append((pk, code, count, code in about))
            for slug in item.topics:
                if slug in self._topic_ids:
                    topic_links.append((pk, self._topic_ids[slug]))
        insert_rows(ArticleCountry, COUNTRY_COLUMNS, mentions)
        insert_rows(Article.topics.through, ("article", "topic"), topic_links)
        insert_rows(ArticlePerson, ("article", "person", "mentions"), person_links)


def insert_rows(model, field_names, rows):
    """INSERT plain value tuples into ``model``'s table, one prepared statement.

    For link rows (ids and counts: nothing to convert, no defaults, no
    signals), where building a model instance per row and compiling it cost
    more than the insert itself.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(field_names))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- re-tagging ------------------------------------------------------------------

def _retag_many(rows):
    """Tags of (pk, title, body, published, home, kept categories) rows, in a
    worker: [(pk, mentioned {code: n}, about [codes], topic slugs, people {slug: n})]."""
    country_matcher, topic_matcher = _MATCHERS
    out = []
    for pk, title, body, published, home, kept in rows:
        title_words, body_words = words(title), words(body)
        all_words = title_words + body_words
        tags = tag_countries(country_matcher, title_words, body_words, home)
        people = dict(_PEOPLE.count_words(all_words)) if _PEOPLE is not None else {}
        out.append((pk, tags.mentioned, tags.about,
                    topic_matcher.assign_words(all_words, kept, published), people))
    return out


def retag_articles(queryset=None, batch_size=2000, progress=None, workers: int | None = None,
                   on_batch=None) -> int:
    """Tag articles again from their stored text (after aliases, places or
    topic rules change): both country levels and the keyword topics (the
    corpus-category topics an article has are kept). Returns the count.

    Tagging runs in ``workers`` processes (default: up to 2, as the import);
    this process reads each chunk and writes its rows in one transaction.
    ``on_batch(ids)``, when given, is called inside that transaction instead
    of sending ``articles_changed`` for the chunk (the admin's re-tag job
    re-indexes only the articles whose tags changed and counts progress)."""
    matchers = build_matchers()
    people, person_ids = person_matcher(), dict(Person.objects.values_list("slug", "id"))
    queryset = (queryset if queryset is not None else Article.objects.all()).order_by("pk")
    topic_ids = dict(Topic.objects.values_list("slug", "id"))
    codes = set(Country.objects.values_list("code", flat=True))
    categories = dict(Topic.objects.exclude(category=None).values_list("id", "category"))
    through = Article.topics.through
    ids = list(queryset.values_list("pk", flat=True))
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)

    def chunks():
        for chunk in chunked(ids, batch_size):
            kept: dict[int, list[str]] = {}
            for article_id, topic_id in through.objects.filter(
                    article_id__in=chunk, topic_id__in=list(categories)).values_list("article_id", "topic_id"):
                kept.setdefault(article_id, []).append(categories[topic_id])
            rows = Article.objects.filter(pk__in=chunk).values_list(
                "pk", "title", "body", "published", "source__country_id")
            yield [(pk, title, body, published, home, tuple(kept.get(pk, ()))) for pk, title, body, published, home
                   in rows]

    count = 0

    def write(tagged):
        nonlocal count
        mentions, links, person_links = [], [], []
        for pk, mentioned, about, slugs, named in tagged:
            mentions.extend((pk, code, n, code in about) for code, n in mentioned.items() if code in codes)
            links.extend((pk, topic_ids[slug]) for slug in slugs if slug in topic_ids)
            person_links.extend((pk, person_ids[slug], n) for slug, n in named.items() if slug in person_ids)
        chunk = [pk for pk, *_rest in tagged]
        with transaction.atomic():
            # Plain DELETEs (no per-row signals); the search app hears of
            # the chunk once, through articles_changed, as after an import.
            ArticleCountry.objects.filter(article_id__in=chunk)._raw_delete(router.db_for_write(ArticleCountry))
            through.objects.filter(article_id__in=chunk)._raw_delete(router.db_for_write(through))
            ArticlePerson.objects.filter(article_id__in=chunk)._raw_delete(router.db_for_write(ArticlePerson))
            insert_rows(ArticleCountry, COUNTRY_COLUMNS, mentions)
            insert_rows(through, ("article", "topic"), links)
            insert_rows(ArticlePerson, ("article", "person", "mentions"), person_links)
            if on_batch is not None:
                on_batch(chunk)
            else:
                articles_changed.send(sender=retag_articles, ids=chunk, wake=False)
        count += len(chunk)
        if progress is not None:
            progress(count, len(ids))

    if workers > 1 and len(ids) > batch_size:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker,
                                                      initargs=(matchers, 0, people)) as pool:
            for tagged in pool.imap(_retag_many, chunks(), chunksize=1):
                write(tagged)
    else:
        _init_worker(matchers, people=people)
        for rows in chunks():
            write(_retag_many(rows))
    return count
