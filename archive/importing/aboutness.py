"""Which of the countries an article names it is *about* (plain Python).

``CountryMatcher.hits`` gives every accepted mention of a country (by a name,
an adjective, its capital) and every place of the gazetteer (a city or a
region) with its word position. ``tag_countries`` turns them into the two
levels stored on ``ArticleCountry``:

- ``mentioned``: code → number of mentions by name (plus the ``about``
  countries located only by their places, with 0 mentions);
- ``about``: the countries the story is substantially about, by evidence:
  a mention in the title weighs ``TITLE_WEIGHT``, in the lead ``LEAD_WEIGHT``,
  further on ``BODY_WEIGHT`` (places count ``PLACE_FACTOR`` of a name); a
  country is about when its score reaches ``MIN_SCORE`` and ``SHARE`` of the
  best score, at most ``MAX_ABOUT`` countries, the best first.

The numbers were tuned on the dev half of
``search/evaluation/data/countries_labelled.json`` only (docs/quality.md).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from archive.importing.tagging import PLACE

TITLE_WEIGHT = 4.0
LEAD_WEIGHT = 2.0
BODY_WEIGHT = 1.0
PLACE_FACTOR = 0.75
MIN_SCORE = 2.0
SHARE = 0.3
MAX_ABOUT = 10
LEAD_WORDS = 60  # the lead: the first words of the body


@dataclass
class CountryTags:
    """The two levels of an article's countries."""

    mentioned: dict[str, int] = field(default_factory=dict)
    about: list[str] = field(default_factory=list)


def scores(hits, title_length: int, lead_end: int) -> Counter:
    """Evidence score of each country in ``hits`` ((position, code, kind))."""
    score: Counter = Counter()
    for pos, code, kind in hits:
        if pos < title_length:
            weight = TITLE_WEIGHT
        elif pos < lead_end:
            weight = LEAD_WEIGHT
        else:
            weight = BODY_WEIGHT
        score[code] += weight * (PLACE_FACTOR if kind == PLACE else 1.0)
    return score


def about_from_scores(score: Counter) -> list[str]:
    if not score:
        return []
    best = max(score.values())
    threshold = max(MIN_SCORE, SHARE * best)
    ranked = sorted(score.items(), key=lambda item: (-item[1], item[0]))
    return [code for code, value in ranked if value >= threshold][:MAX_ABOUT]


def tag_countries(matcher, title_words: list[str], body_words: list[str]) -> CountryTags:
    """Both levels for an article given as its title and body words."""
    text_words = title_words + body_words
    hits = matcher.hits(text_words)
    title_length = len(title_words)
    about = about_from_scores(scores(hits, title_length, title_length + LEAD_WORDS))
    mentioned = Counter(code for _pos, code, kind in hits if kind != PLACE)
    tags = CountryTags(mentioned=dict(mentioned), about=about)
    for code in about:
        tags.mentioned.setdefault(code, 0)
    return tags
