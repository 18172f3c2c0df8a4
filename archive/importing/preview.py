"""Which articles a rule would tag, before it is saved (for the admin).

- ``topic_rule_matches(keywords, requires, starts, ends)``: the articles an
  unsaved topic rule (the ``Topic`` fields as typed) would tag;
- ``country_rule_matches(code, aliases, weak_aliases)``: the articles that
  would be about / would mention a country with these (unsaved) aliases.

Both read the stored text, newest first, and stop after ``limit`` matches;
``scan`` caps how many articles are read (None: all). They return a
``Preview``: the matching ids, how many articles were read, and whether the
scan stopped early.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from archive.batching import chunked
from archive.importing.aboutness import tag_countries
from archive.importing.gazetteer import country_blockers, country_places
from archive.importing.pipeline import build_matchers
from archive.importing.tagging import CountryEntry, CountryMatcher, TopicEntry, TopicMatcher, words
from archive.models import Article, Country, _lines

READ_CHUNK = 1000


@dataclass
class Preview:
    ids: list[int] = field(default_factory=list)  # about (countries) or tagged (topics)
    mentioned: list[int] = field(default_factory=list)  # countries only: named, not about
    scanned: int = 0
    complete: bool = True  # every article was read


def _articles(queryset, scan):
    queryset = (queryset if queryset is not None else Article.objects.all()).order_by("-published", "-pk")
    ids = list(queryset.values_list("pk", flat=True)[:scan] if scan else queryset.values_list("pk", flat=True))
    for chunk in chunked(ids, READ_CHUNK):
        rows = {pk: row for pk, *row in Article.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "body", "published", "source__country_id")}
        for pk in chunk:
            if pk in rows:
                yield (pk, *rows[pk])


def topic_rule_matches(keywords: str, requires: str = "", starts=None, ends=None, *, queryset=None,
                       limit: int = 50, scan: int | None = None) -> Preview:
    """Articles the topic rule would tag (``keywords`` and ``requires`` as
    typed in the admin: one rule / one group per line)."""
    matcher = TopicMatcher([TopicEntry(slug="preview", rules=tuple(_lines(keywords)),
                                       requires=tuple(_lines(requires)), starts=starts, ends=ends)])
    preview = Preview()
    for pk, title, body, published, _home in _articles(queryset, scan):
        preview.scanned += 1
        if matcher.assign_words(words(title) + words(body), (), published):
            preview.ids.append(pk)
            if len(preview.ids) >= limit:
                preview.complete = False
                break
    return preview


def country_rule_matches(code: str, aliases: str, weak_aliases: str = "", *, queryset=None,
                         limit: int = 50, scan: int | None = None) -> Preview:
    """Articles that would be about ``code`` (``ids``) or only name it
    (``mentioned``) if its aliases were these (one per line)."""
    entries = [
        CountryEntry(code=c.code, names=tuple(c.alias_list or [c.name_ar]), weak=tuple(c.weak_alias_list))
        for c in Country.objects.exclude(code=code)
    ]
    entries.append(CountryEntry(code=code, names=tuple(_lines(aliases)), weak=tuple(_lines(weak_aliases))))
    matcher = CountryMatcher(entries, country_blockers(), country_places())
    matcher.homes = build_matchers()[0].homes
    preview = Preview()
    for pk, title, body, _published, home in _articles(queryset, scan):
        preview.scanned += 1
        tags = tag_countries(matcher, words(title), words(body), home)
        if code in tags.about:
            preview.ids.append(pk)
        elif code in tags.mentioned:
            preview.mentioned.append(pk)
        if len(preview.ids) + len(preview.mentioned) >= limit:
            preview.complete = False
            break
    return preview
