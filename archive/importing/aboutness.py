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
- a local story that names no country at all («وزارة الداخلية»، «الوالي»)
  is about its outlet's country (``home``) when it carries a domestic cue
  (``DOMESTIC_CUES``): a national outlet's news of its own country.

The numbers were tuned on the dev half of
``search/evaluation/data/countries_labelled.json`` only (docs/quality.md).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from archive.importing.tagging import PLACE, words

TITLE_WEIGHT = 4.0
LEAD_WEIGHT = 2.0
BODY_WEIGHT = 1.0
PLACE_FACTOR = 1.0
MIN_SCORE = 3.0
SHARE = 0.3
MAX_ABOUT = 10
LONE_MIN_SCORE = 2.0  # enough when no other country has as much
LEAD_WORDS = 60  # the lead: the first words of the body

# An agency or desk mark that ends a dateline within the first words.
DATELINE_MARKS = frozenset(("cnn", "واس"))
DATELINE_WORDS = 16

# Words of a domestic story: its state's institutions and administration.
DOMESTIC_CUES = frozenset(words(" ".join((
    "وزارة الوزارة وزير الوزير وزيرة الوزراء الحكومة البرلمان مجلس الشورى الشعب النواب البلاد المملكة",
    "ولاية الولاية الوالي معتمدية المعتمد بلدية البلدية البلدي البلديات أمانة الأمانة أمين محافظة المحافظة",
    "محافظ المحافظ منطقة إمارة أمير الشرطة الأمن الحرس النيابة المحكمة الجهة الجهوية الوطني الوطنية",
    "المواطنين المواطن الدوري الهلال النصر الأهلي الاتحاد الترجي الإفريقي النجم الصفاقسي",
))))


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


def _dateline_end(body_words) -> int:
    """Where the body starts after a news desk's dateline («دبي، الإمارات
    العربية المتحدة (CNN)--», «جنيف ... واس»): the desk is not the story."""
    for i, word in enumerate(body_words[:DATELINE_WORDS]):
        if word in DATELINE_MARKS:
            return i + 1
    return 0


def _domestic(text_words) -> bool:
    """Whether a domestic cue occurs, bare or after one or two proclitic letters."""
    return any(w in DOMESTIC_CUES or w[1:] in DOMESTIC_CUES or w[2:] in DOMESTIC_CUES for w in text_words)


def tag_countries(matcher, title_words: list[str], body_words: list[str], home: str | None = None) -> CountryTags:
    """Both levels for an article given as its title and body words;
    ``home``: its outlet's country code, if known."""
    body_words = body_words[_dateline_end(body_words):]
    text_words = title_words + body_words
    hits = matcher.hits(text_words)
    title_length = len(title_words)
    score = scores(hits, title_length, title_length + LEAD_WORDS)
    about = about_from_scores(score)
    if not about and score:
        # Weak evidence, but only for one country: a story of that country.
        best = max(score.values())
        leaders = [code for code, value in score.items() if value == best]
        if len(leaders) == 1 and best >= LONE_MIN_SCORE:
            about = leaders
    if not about and home and _domestic(text_words):
        about = [home]
    mentioned = Counter(code for _pos, code, kind in hits if kind != PLACE)
    tags = CountryTags(mentioned=dict(mentioned), about=about)
    for code in about:
        tags.mentioned.setdefault(code, 0)
    return tags
