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
from functools import lru_cache

from search.analysis import normalize
from search.analysis.tokenization import TOKEN_RE

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
    """Normalized words of a text, in order (normalize once, then split).

    The same tokens as ``search.analysis.tokenize`` (whose pattern this is),
    without building an offset tuple per word.
    """
    return TOKEN_RE.findall(normalize(text))


def _trigger_forms(first_words) -> frozenset[str]:
    """Every written form whose clitic readings may start a phrase.

    For each phrase's first word ``k``: ``k``, «و/ف» + ``k``, «ب/ل/ك» + ``k``,
    both together, and for «ال»-words the «لل» forms. A superset of what
    ``_clitic_readings`` can map onto ``k`` (its length conditions are
    checked when matching), so a word outside it never starts a match.
    """
    forms = set()
    for key in first_words:
        stems = [key]
        if key.startswith("ال"):
            stems.append("لل" + key[2:])
        stems += [p + key for p in _PREPOSITIONS]
        forms.update(stems)
        forms.update(c + stem for c in _CONJUNCTIONS for stem in stems)
    return frozenset(forms)


@lru_cache(maxsize=2**17)
def _clitic_readings(word: str) -> tuple[tuple[str, bool], ...]:
    """(form, conjunction_only) readings: the word itself, then without proclitics.

    ``conjunction_only`` is True while only و/ف was removed: such readings may
    match weak aliases (a list «ليبيا ومالي»); a preposition (ب ل ك) may only
    introduce a strong alias, so «باكرا» is not read as «أكرا».
    """
    readings = [(word, True)]
    rest = word
    if len(rest) > 3 and rest[0] in _CONJUNCTIONS:
        rest = rest[1:]
        readings.append((rest, True))
    if len(rest) > 3 and rest[0] in _PREPOSITIONS:
        if rest.startswith("لل") and len(rest) > 4:
            readings.append(("ال" + rest[2:], False))
        else:
            readings.append((rest[1:], False))
    return tuple(readings)


@dataclass
class PhraseMatcher:
    """Finds phrases (sequences of normalized words) in a word list.

    ``phrases`` maps a phrase to a label; a label of ``None`` is a blocker.
    ``weak(label)`` says whether a label may only match a word as written or
    after a conjunction (not after a preposition).
    """

    phrases: dict[str, object]
    weak: object = None
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
        self._triggers = _trigger_forms(by_first)

    def find(self, text_words: list[str]):
        """Yield (position, length, label) for each longest match, left to right.

        Only words that can start a phrase (``_triggers``, found by one set
        intersection) are looked at; the words in between never match, so
        skipping them gives the same matches as a word-by-word walk.
        """
        triggers = self._triggers.intersection(text_words)
        if not triggers:
            return
        n = len(text_words)
        next_free = 0  # a match consumes its words
        for i in [i for i, word in enumerate(text_words) if word in triggers]:
            if i < next_free:
                continue
            match = None
            for reading, conjunction_only in _clitic_readings(text_words[i]):
                for key, label in self._by_first.get(reading, ()):
                    length = len(key)
                    if match is not None and length <= match[1]:
                        break
                    if not conjunction_only and self.weak and self.weak(label):
                        continue
                    if i + length <= n and key[1:] == tuple(text_words[i + 1:i + length]):
                        match = (i, length, label)
                        break
            if match:
                yield match
                next_free = i + match[1]


@dataclass(frozen=True)
class CountryEntry:
    code: str
    names: tuple[str, ...]  # name and strong aliases
    weak: tuple[str, ...] = ()


class CountryMatcher:
    """Counts the countries an article mentions.

    A phrase's label is a tuple of (code, is_strong) pairs: a weak form may
    belong to several countries («عمان»: Oman, and Amman for Jordan).
    """

    def __init__(self, countries: list[CountryEntry], blockers: list[str] = ()):
        labels: dict[str, dict[str, bool]] = {}
        for entry in countries:
            for name in entry.weak:
                labels.setdefault(" ".join(words(name)), {}).setdefault(entry.code, False)
        for entry in countries:
            for name in entry.names:
                labels.setdefault(" ".join(words(name)), {})[entry.code] = True
        phrases: dict[str, object] = {phrase: None for phrase in blockers}
        for phrase, codes in labels.items():
            strong = tuple(sorted(code for code, is_strong in codes.items() if is_strong))
            # A form that is a strong alias of one country is strong, full stop.
            phrases[phrase] = ((strong[0], True),) if strong else tuple((c, False) for c in sorted(codes))
        self._matcher = PhraseMatcher(phrases, weak=lambda label: bool(label) and not label[0][1])

    def count(self, text: str) -> Counter:
        return self.count_words(words(text))

    def count_words(self, text_words: list[str]) -> Counter:
        hits = [(pos, length, label) for pos, length, label in self._matcher.find(text_words) if label]
        counts = Counter(label[0][0] for _pos, _len, label in hits if label[0][1])
        named = set(counts)
        # A weak form of a single country, read in context, makes that
        # country's weak mentions count even without a strong one.
        in_context = {
            label[0][0]
            for index, (_pos, _len, label) in enumerate(hits)
            if not label[0][1] and len(label) == 1 and label[0][0] not in named
            and self._in_context(text_words, hits, index)
        }
        for _pos, _len, label in hits:
            if not label[0][1]:
                for code, _strong in label:
                    if code in named or code in in_context:
                        counts[code] += 1
        return counts

    @staticmethod
    def _in_context(text_words, hits, index) -> bool:
        """A weak mention after a country cue, or in a list joined by «و»."""
        pos, length, label = hits[index]
        if pos > 0 and text_words[pos - 1] in _COUNTRY_CUES:
            return True
        code = label[0][0]
        for other_pos, other_length, other_label in hits:
            if not other_label[0][1] or other_label[0][0] == code:
                continue
            # «ليبيا وسوريا ومالي»: this word carries the «و» after a country...
            if 0 < pos - (other_pos + other_length) + 1 <= _LIST_WINDOW and text_words[pos].startswith("و"):
                return True
            # ... or the next country carries it: «مالي وليبيا».
            if 0 < other_pos - (pos + length) + 1 <= _LIST_WINDOW and text_words[other_pos].startswith("و"):
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
        # Each rule filed under its first phrase: a rule can only match when
        # that phrase was found, so only those rules are checked.
        self._rules_by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for slug, parts in self._rules:
            self._rules_by_first.setdefault(parts[0], []).append((slug, parts))

    def assign(self, text: str, categories=()) -> set[str]:
        return self.assign_words(words(text), categories)

    def assign_words(self, text_words: list[str], categories=()) -> set[str]:
        slugs = {self._by_category[c] for c in categories if c in self._by_category}
        if self._rules:
            found = {label for _pos, _len, label in self._matcher.find(text_words)}
            for first in found:
                for slug, parts in self._rules_by_first.get(first, ()):
                    if slug not in slugs and all(part in found for part in parts):
                        slugs.add(slug)
        return slugs
