"""Country and topic tagging by whole words after Arabic normalization.

Plain Python (no Django import): the importer builds the matchers once from
database rows and runs them in worker processes.

Matching rules:

- Text and phrases go through the search analyzer's ``tokenize`` and
  ``normalize``, so hamza/alef forms, ى/ي, ة/ه, diacritics and tatweel never
  matter, and a phrase only matches whole words: «بيلاروسيا» is not «روسيا»,
  «الشمالية» and «صومالي» are not «مالي».
- A word may carry proclitics (و ف ب ل ك, their pairs, and لل for ل+ال):
  «وروسيا», «بموسكو», «للولايات المتحدة» match.
- The longest phrase wins, and *blockers* (phrases such as «بحر الصين») consume
  their words without tagging anything.
- Weak aliases (forms that are also common words: «مالي» "financial") count
  only when the article also names the country by a strong alias, or when a
  weak mention stands in a country context (after «في», «دولة», «جمهورية»...,
  or next to another country's mention, as in a list «ليبيا وسوريا ومالي»).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from search.analysis import normalize, tokenize

# Proclitic letters a word may carry before the name: conjunction first, then
# preposition (و/ف + ب/ل/ك), e.g. «وبموسكو».
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")

# Words after which a weak alias is read as the country.
_COUNTRY_CUES = frozenset(
    normalize(w)
    for w in (
        "في", "إلى", "من", "دولة", "دولتي", "جمهورية", "عاصمة", "رئيس", "حكومة", "شعب",
        "جيش", "شمال", "جنوب", "شرق", "غرب", "وسط", "سفير", "سفارة", "حدود", "بلد",
    )
)
# How near another country mention must be for a list context.
_LIST_WINDOW = 2


def words(text: str) -> list[str]:
    """Normalized words of a text, in order."""
    return [normalize(tok) for tok, _start, _end in tokenize(text)]


def _clitic_readings(word: str) -> list[str]:
    """The word itself, then the forms left after removing proclitics."""
    readings = [word]
    rest = word
    if len(rest) > 3 and rest[0] in _CONJUNCTIONS:
        rest = rest[1:]
        readings.append(rest)
    if len(rest) > 3 and rest[0] in _PREPOSITIONS:
        if rest.startswith("لل") and len(rest) > 4:
            readings.append("ال" + rest[2:])
        else:
            readings.append(rest[1:])
    return readings


@dataclass
class PhraseMatcher:
    """Finds phrases (sequences of normalized words) in a word list.

    ``phrases`` maps a phrase to a label; a label of ``None`` is a blocker.
    """

    phrases: dict[str, object]
    _by_first: dict[str, list[tuple[tuple[str, ...], object]]] = field(init=False, repr=False)

    def __post_init__(self):
        by_first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for phrase, label in self.phrases.items():
            key = tuple(words(phrase))
            if not key:
                continue
            by_first.setdefault(key[0], []).append((key, label))
        for options in by_first.values():
            options.sort(key=lambda item: -len(item[0]))
        self._by_first = by_first

    def find(self, text_words: list[str]):
        """Yield (position, length, label) for each longest match, left to right."""
        i = 0
        n = len(text_words)
        while i < n:
            match = None
            for reading in _clitic_readings(text_words[i]):
                for key, label in self._by_first.get(reading, ()):
                    length = len(key)
                    if i + length <= n and all(
                        key[j] in _clitic_readings(text_words[i + j]) if j == 0 else key[j] == text_words[i + j]
                        for j in range(length)
                    ):
                        if match is None or length > match[1]:
                            match = (i, length, label)
                        break
            if match:
                yield match
                i += match[1]
            else:
                i += 1


@dataclass(frozen=True)
class CountryEntry:
    code: str
    names: tuple[str, ...]  # name and strong aliases
    weak: tuple[str, ...] = ()


class CountryMatcher:
    """Counts the countries an article mentions."""

    def __init__(self, countries: list[CountryEntry], blockers: list[str] = ()):
        phrases: dict[str, object] = {phrase: None for phrase in blockers}
        for entry in countries:
            for name in entry.weak:
                phrases[name] = (entry.code, False)
        for entry in countries:
            for name in entry.names:
                phrases[name] = (entry.code, True)
        self._matcher = PhraseMatcher(phrases)

    def count(self, text: str) -> Counter:
        text_words = words(text)
        hits = [(pos, length, label) for pos, length, label in self._matcher.find(text_words) if label]
        strong = Counter(code for _pos, _len, (code, is_strong) in hits if is_strong)
        counts = Counter(strong)
        positions = [pos for pos, _len, _label in hits]
        weak_by_code: dict[str, list[int]] = {}
        for index, (pos, _length, (code, is_strong)) in enumerate(hits):
            if not is_strong:
                weak_by_code.setdefault(code, []).append(index)
        for code, indexes in weak_by_code.items():
            if code not in strong and not any(self._in_context(text_words, hits, positions, i) for i in indexes):
                continue
            counts[code] += len(indexes)
        return counts

    @staticmethod
    def _in_context(text_words, hits, positions, index) -> bool:
        pos, _length, (code, _strong) = hits[index]
        if pos > 0 and text_words[pos - 1] in _COUNTRY_CUES:
            return True
        for other_index, other_pos in enumerate(positions):
            if other_index != index and hits[other_index][2][0] != code and abs(other_pos - pos) <= _LIST_WINDOW:
                return True
        return False


@dataclass(frozen=True)
class TopicEntry:
    slug: str
    rules: tuple[str, ...] = ()
    category: str | None = None


class TopicMatcher:
    """Assigns topics from corpus categories and keyword rules.

    A rule is phrases joined by « + »; it matches when every phrase occurs.
    A topic is assigned when any of its rules matches.
    """

    def __init__(self, topics: list[TopicEntry]):
        self._by_category = {t.category: t.slug for t in topics if t.category}
        self._rules: list[tuple[str, tuple[str, ...]]] = []
        phrases: dict[str, object] = {}
        for topic in topics:
            for rule in topic.rules:
                parts = tuple(p.strip() for p in rule.split("+") if p.strip())
                if not parts:
                    continue
                self._rules.append((topic.slug, tuple(" ".join(words(p)) for p in parts)))
                for part in parts:
                    phrases[part] = " ".join(words(part))
        self._matcher = PhraseMatcher(phrases)

    def assign(self, text: str, categories=()) -> set[str]:
        slugs = {self._by_category[c] for c in categories if c in self._by_category}
        if self._rules:
            found = {label for _pos, _len, label in self._matcher.find(words(text))}
            for slug, parts in self._rules:
                if slug not in slugs and all(part in found for part in parts):
                    slugs.add(slug)
        return slugs
