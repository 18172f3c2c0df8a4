"""What an edited keyword rule would tag, before it is saved.

``preview_topic(topic, edited)`` and ``preview_country(country, edited)``
compare the articles that carry the topic (country) now with those the
edited, unsaved object would tag when every article is tagged again from its
stored text with the importer's matchers (``build_matchers``: the same
functions ``retag_articles`` runs). ``articles_tagged_by`` is the one place
the preview calls the tagging functions.

A ``RulePreview`` holds the counts and a sample of each side (id, title).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from archive.importing import build_matchers
from archive.importing.tagging import words
from archive.models import Article, ArticleCountry, Country, Topic

SAMPLE_SIZE = 10
SCAN_CHUNK = 2000


@dataclass
class RulePreview:
    scanned: int = 0
    now: int = 0
    after: int = 0
    tag: list[int] = field(default_factory=list)
    untag: list[int] = field(default_factory=list)
    tag_sample: list[tuple[int, str]] = field(default_factory=list)
    untag_sample: list[tuple[int, str]] = field(default_factory=list)


def articles_tagged_by(kind: str, edited) -> tuple[int, set[int]]:
    """(articles scanned, ids the edited ``Topic``/``Country`` would tag)."""
    if kind == "topic":
        others = [t for t in Topic.objects.all() if t.pk is None or t.pk != edited.pk]
        _countries, matcher = build_matchers(countries=[], topics=[*others, edited])
        keep = set(edited.articles.values_list("pk", flat=True)) if edited.pk and edited.category else set()

        def tags(text_words):
            return edited.slug in matcher.assign_words(text_words)
    else:
        others = [c for c in Country.objects.all() if c.code != edited.code]
        matcher, _topics = build_matchers(countries=[*others, edited], topics=[])
        keep = set()

        def tags(text_words):
            return matcher.count_words(text_words).get(edited.code, 0) > 0

    found, scanned = set(keep), 0
    rows = Article.objects.order_by("pk").values_list("pk", "title", "body")
    for pk, title, body in rows.iterator(chunk_size=SCAN_CHUNK):
        scanned += 1
        if pk not in found and tags(words(f"{title}\n{body}")):
            found.add(pk)
    return scanned, found


def _preview(kind, edited, now: set[int]) -> RulePreview:
    scanned, after = articles_tagged_by(kind, edited)
    tag, untag = sorted(after - now), sorted(now - after)
    titles = dict(Article.objects.filter(pk__in=tag[:SAMPLE_SIZE] + untag[:SAMPLE_SIZE]).values_list("pk", "title"))
    return RulePreview(
        scanned=scanned, now=len(now), after=len(after), tag=tag, untag=untag,
        tag_sample=[(pk, titles.get(pk, "")) for pk in tag[:SAMPLE_SIZE]],
        untag_sample=[(pk, titles.get(pk, "")) for pk in untag[:SAMPLE_SIZE]],
    )


def preview_topic(topic: Topic | None, edited: Topic) -> RulePreview:
    now = set(topic.articles.values_list("pk", flat=True)) if topic is not None and topic.pk else set()
    return _preview("topic", edited, now)


def preview_country(country: Country | None, edited: Country) -> RulePreview:
    now = set()
    if country is not None:
        now = set(ArticleCountry.objects.filter(country=country).values_list("article_id", flat=True))
    return _preview("country", edited, now)
