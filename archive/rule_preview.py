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

import re
from dataclasses import dataclass, field

from archive.importing import build_matchers
from archive.importing.tagging import words
from archive.models import Article, ArticleCountry, Country, Topic
from search.analysis.normalization import FOLD_TABLE

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


# Characters NFKC would change or compose with a neighbour (presentation
# forms, full-width letters, combining hamza/madda): such a text skips the
# quick test below and is always tagged in full.
_UNFOLDED = re.compile("[\u0653-\u0655\ufb00-\ufdff\ufe70-\ufefe\uff00-\uffef]")
_MARKS = "".join(chr(code) for code, target in FOLD_TABLE.items() if target is None)
_SOURCES: dict[str, set[str]] = {}
for _code, _target in FOLD_TABLE.items():
    if _target and len(_target) == 1:
        _SOURCES.setdefault(_target, set()).add(chr(_code))


_MARKS_RE = re.compile("[" + re.escape(_MARKS) + "]+")


def _core(word: str) -> str:
    """The longest run of ``word``'s letters that no other letter folds to
    (so, once marks are removed, raw text holds it as written)."""
    runs = re.split("[" + re.escape("".join(_SOURCES)) + "]", word)
    return max(runs, key=len)


def _raw_pattern(word: str) -> str:
    """A pattern that finds, in text without marks, every spelling that normalizes to ``word``."""
    return "".join("[" + "".join(re.escape(c) for c in sorted({ch} | _SOURCES[ch])) + "]" if ch in _SOURCES
                   else re.escape(ch) for ch in word)


def _needle(phrase: str) -> str:
    first = (words(phrase) or [""])[0]
    return first[2:] if first.startswith("ال") and len(first) > 3 else first


def may_mention(rules):
    """A quick test on raw text for ``rules`` (each a list of phrases that
    must all occur): False only when, for every rule, some phrase's first
    word cannot occur in the text, so the tagging functions cannot match.
    Words with «ال» are looked for without it («للولايات» holds «ولايات»);
    a word is looked for by its letters that nothing folds to (``_core``,
    quick), then by a pattern of every spelling that folds to it."""
    checks: dict[str, tuple] = {}
    needed = []
    for rule in rules:
        needles = [_needle(phrase) for phrase in rule]
        if not all(needles):
            continue
        for needle in needles:
            core = _core(needle) if needle == needle.upper() else ""
            checks[needle] = (core, re.compile(_raw_pattern(needle), re.IGNORECASE))
        needed.append(sorted(set(needles), key=lambda n: -len(_core(n))))

    def maybe(text: str) -> bool:
        if not needed:
            return False
        if _UNFOLDED.search(text):
            return True
        if _MARKS_RE.search(text):
            text = _MARKS_RE.sub("", text)
        found = {}
        for rule in needed:
            for needle in rule:
                if needle not in found:
                    core, pattern = checks[needle]
                    found[needle] = core in text and bool(pattern.search(text))
                if not found[needle]:
                    break
            else:
                return True
        return False

    return maybe


def articles_tagged_by(kind: str, edited) -> tuple[int, set[int]]:
    """(articles scanned, ids the edited ``Topic``/``Country`` would tag).

    Every article is looked at; only those that may name a phrase of the
    edited object (``may_mention``) go through the tagging functions.
    """
    if kind == "topic":
        others = [t for t in Topic.objects.all() if t.pk is None or t.pk != edited.pk]
        _countries, matcher = build_matchers(countries=[], topics=[*others, edited])
        keep = set(edited.articles.values_list("pk", flat=True)) if edited.pk and edited.category else set()
        rules = [[p for p in rule.split("+") if p.strip()] for rule in edited.keyword_rules]

        def tags(text_words, published):
            # the topic's date window (starts/ends) counts, as in retag_articles
            return edited.slug in matcher.assign_words(text_words, (), published)
    else:
        others = [c for c in Country.objects.all() if c.code != edited.code]
        matcher, _topics = build_matchers(countries=[*others, edited], topics=[])
        keep = set()
        rules = [[name] for name in (*(edited.alias_list or [edited.name_ar]), *edited.weak_alias_list)]

        def tags(text_words, _published):
            return matcher.count_words(text_words).get(edited.code, 0) > 0

    maybe = may_mention(rules)
    found, scanned = set(keep), 0
    rows = Article.objects.order_by("pk").values_list("pk", "title", "body", "published")
    for pk, title, body, published in rows.iterator(chunk_size=SCAN_CHUNK):
        scanned += 1
        text = f"{title}\n{body}"
        if pk not in found and maybe(text) and tags(words(text), published):
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
