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
        # a nationality after a team, a player, a state body: «الدوري الإنجليزي»،
        # «المدافع المالي»، «اللاعبة الرومانية»، «الرئيس المالي»
        "الدوري", "المنتخب", "منتخب", "النادي", "نادي", "الفريق", "اللاعب", "لاعب", "اللاعبة", "لاعبة",
        "النجم", "النجمة", "البطل", "البطلة", "المدافع", "المهاجم", "الحارس", "الدفاع", "الوسط", "الجيش",
        "الرئيس", "الحكومة", "الشعب", "الجنسية", "المصنف", "المصنفة", "الدولي", "العاصمة",
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

    def find(self, text_words: list[str], overlapping: bool = False):
        """Yield (position, length, label) for each longest match, left to right.

        Only words that can start a phrase (``_triggers``, found by one set
        intersection) are looked at; the words in between never match, so
        skipping them gives the same matches as a word-by-word walk.

        ``overlapping``: every phrase that occurs, also inside a longer one
        («القوات» inside «القوات الأوكرانية»); a topic rule's phrases are
        independent facts, while a country name and its blockers are
        readings of the same words (the longest wins).
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
                    if not overlapping and match is not None and length <= match[1]:
                        break
                    if not conjunction_only and self.weak and self.weak(label):
                        continue
                    if i + length <= n and key[1:] == tuple(text_words[i + 1:i + length]):
                        if overlapping:
                            yield i, length, label
                            continue
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


# A place (city, region) label: evidence of where a story happens, not a
# mention of the country by its name (see ``archive.importing.aboutness``).
PLACE = "place"

# Words before a weak form that make it a common word: «اليد اليمنى» (the
# right hand, normalized like «اليمني»), «القدم اليمنى».
_NOT_COUNTRY_BEFORE = tuple(
    normalize(w)
    for w in (
        "يد", "اليد", "قدم", "القدم", "ركبة", "الركبة", "ساق", "الساق", "جهة", "الجهة", "ناحية", "الناحية",
        "عين", "العين", "أذن", "الأذن", "كتف", "الكتف", "رجل", "الرجل", "ذراع", "الذراع", "كف", "الكف",
        "الزاوية", "الحافة", "الكفة", "الرئة", "الكلية", "القبضة", "الضفة", "الجبهة", "الوزارة", "الأوراق",
        "السنة", "الأزمة", "السياسة", "الموارد", "المؤسسة", "المؤسسات", "الخدمات", "الأسواق", "الأسهم",
    )
)


class CountryMatcher:
    """Counts the countries an article mentions, and finds the places it names.

    A phrase's label is a tuple of (code, is_strong) pairs: a weak form may
    belong to several countries («عمان»: Oman, and Amman for Jordan). A place
    of ``places`` (code → names) is labelled ((code, PLACE),); another
    country's alias wins over a place of the same name, a place over a
    blocker, and a country's own alias that is also its place is a place.
    """

    def __init__(self, countries: list[CountryEntry], blockers: list[str] = (), places: dict | None = None):
        # A city listed both as a country's alias and as its place is a place.
        own_places = {(code, " ".join(words(name))) for code, names in (places or {}).items() for name in names}
        labels: dict[str, dict[str, bool]] = {}
        for entry in countries:
            for name in entry.weak:
                key = " ".join(words(name))
                if (entry.code, key) not in own_places:
                    labels.setdefault(key, {}).setdefault(entry.code, False)
        for entry in countries:
            for name in entry.names:
                key = " ".join(words(name))
                if (entry.code, key) not in own_places:
                    labels.setdefault(key, {})[entry.code] = True
        phrases: dict[str, object] = {" ".join(words(phrase)): None for phrase in blockers}
        for code, names in sorted((places or {}).items()):
            for name in names:
                key = " ".join(words(name))
                if key and key not in labels:
                    phrases[key] = ((code, PLACE),)
        for phrase, codes in labels.items():
            strong = tuple(sorted(code for code, is_strong in codes.items() if is_strong))
            # A form that is a strong alias of one country is strong, full stop.
            phrases[phrase] = ((strong[0], True),) if strong else tuple((c, False) for c in sorted(codes))
        self._matcher = PhraseMatcher(phrases, weak=lambda label: bool(label) and label[0][1] is False)
        # «ولاية جورجيا» (a US place) makes the article's other «جورجيا»
        # the same place: place phrase → (its country, the alias words it holds).
        self._shadows: dict[str, tuple[str, frozenset[str]]] = {}
        for phrase, label in phrases.items():
            if label and label[0][1] is PLACE and " " in phrase:
                inner = frozenset(w for w in phrase.split() if w in labels)
                if inner:
                    self._shadows[phrase] = (label[0][0], inner)
        self.homes: dict[str, str] = {}  # outlet key or name → country (set by build_matchers)

    def count(self, text: str) -> Counter:
        return self.count_words(words(text))

    def count_words(self, text_words: list[str]) -> Counter:
        return Counter(code for _pos, code, kind in self.hits(text_words) if kind != PLACE)

    def hits(self, text_words: list[str]) -> list[tuple[int, str, str]]:
        """(position, code, kind) of every accepted mention, in text order;
        ``kind`` is "name" (the country by a name, an adjective, its capital)
        or ``PLACE``."""
        found = [(pos, length, label) for pos, length, label in self._matcher.find(text_words) if label]
        hits = [h for h in found if h[2][0][1] is not PLACE]
        named = {label[0][0] for _pos, _len, label in hits if label[0][1] is True}
        # A weak form of a single country, read in context, makes that
        # country's weak mentions count even without a strong one.
        in_context = {
            label[0][0]
            for index, (_pos, _len, label) in enumerate(hits)
            if label[0][1] is False and len(label) == 1 and label[0][0] not in named
            and self._in_context(text_words, hits, index)
        }
        shadowed: dict[str, str] = {}
        if self._shadows:
            for pos, length, label in found:
                if label[0][1] is PLACE and length > 1:
                    phrase = " ".join(text_words[pos:pos + length])
                    if phrase in self._shadows:
                        code, inner = self._shadows[phrase]
                        shadowed.update((word, code) for word in inner)
        out = []
        for pos, length, label in found:
            if shadowed and length == 1 and label[0][1] is not PLACE:
                readings = [r for r, _c in _clitic_readings(text_words[pos]) if r in shadowed]
                if readings:
                    out.append((pos, shadowed[readings[0]], PLACE))
                    continue
            if label[0][1] is PLACE:
                out.append((pos, label[0][0], PLACE))
            elif label[0][1] is True:
                out.append((pos, label[0][0], "name"))
            elif not (pos > 0 and text_words[pos - 1] in _NOT_COUNTRY_BEFORE_SET):
                for code, _strong in label:
                    if code in named or code in in_context:
                        out.append((pos, code, "name"))
        return out

    @staticmethod
    def _in_context(text_words, hits, index) -> bool:
        """A weak mention after a country cue, or in a list joined by «و»."""
        pos, length, label = hits[index]
        if pos > 0 and text_words[pos - 1] in _NOT_COUNTRY_BEFORE_SET:
            return False
        if pos > 0 and text_words[pos - 1] in _COUNTRY_CUES:
            return True
        code = label[0][0]
        for other_pos, other_length, other_label in hits:
            if other_label[0][1] is not True or other_label[0][0] == code:
                continue
            # «ليبيا وسوريا ومالي»: this word carries the «و» after a country...
            if 0 < pos - (other_pos + other_length) + 1 <= _LIST_WINDOW and text_words[pos].startswith("و"):
                return True
            # ... or the next country carries it: «مالي وليبيا».
            if 0 < other_pos - (pos + length) + 1 <= _LIST_WINDOW and text_words[other_pos].startswith("و"):
                return True
        return False


_NOT_COUNTRY_BEFORE_SET = frozenset(
    form for word in _NOT_COUNTRY_BEFORE for form in (word, "و" + word, "ب" + word, "وب" + word)
)


TOPIC_OPENING_WORDS = 80
TOPIC_REPEATS = 5  # or a required group's phrases this many times in the article


@dataclass(frozen=True)
class TopicEntry:
    slug: str
    rules: tuple[str, ...] = ()
    category: str | None = None
    requires: tuple[str, ...] = ()  # groups «a | b | c»: one phrase of each must open the article
    starts: object = None  # a date: no article published before it gets the topic
    ends: object = None  # a date: no article after it gets the topic


class TopicMatcher:
    """Assigns topics from corpus categories and keyword rules.

    A rule is phrases joined by « + »; it matches when every phrase occurs.
    A topic is assigned when any of its rules matches, a phrase of each of
    its required groups (``requires``: «a | b | c» per group) occurs in the
    article's opening (title and lead, the first ``TOPIC_OPENING_WORDS``
    words) or ``TOPIC_REPEATS`` times in it (the subject, not a passing
    mention), and the article's date is inside its window
    (``starts``/``ends``; an undated article is judged by the rules alone).
    """

    def __init__(self, topics: list[TopicEntry]):
        self._by_category = {t.category: t.slug for t in topics if t.category}
        self._rules: list[tuple[str, tuple[str, ...]]] = []
        self._topics = {t.slug: t for t in topics}
        phrases: dict[str, object] = {}
        required: dict[str, object] = {}
        self._required: dict[str, tuple[frozenset[str], ...]] = {}
        for topic in topics:
            for rule in topic.rules:
                parts = tuple(p.strip() for p in rule.split("+") if p.strip())
                if not parts:
                    continue
                self._rules.append((topic.slug, tuple(" ".join(words(p)) for p in parts)))
                for part in parts:
                    phrases[part] = " ".join(words(part))
            groups = tuple(
                keys for keys in (
                    frozenset(" ".join(words(p)) for p in group.split("|") if words(p)) for group in topic.requires
                ) if keys
            )
            if groups:
                self._required[topic.slug] = groups
                required.update((key, key) for keys in groups for key in keys)
        self._matcher = PhraseMatcher(phrases)
        # Required phrases are looked for on their own: a longer rule phrase
        # («غزو روسيا لأوكرانيا») must not hide one inside it («روسيا»).
        self._required_matcher = PhraseMatcher(required)
        # Each rule filed under its first phrase: a rule can only match when
        # that phrase was found, so only those rules are checked.
        self._rules_by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for slug, parts in self._rules:
            self._rules_by_first.setdefault(parts[0], []).append((slug, parts))

    def assign(self, text: str, categories=(), published=None) -> set[str]:
        return self.assign_words(words(text), categories, published)

    def assign_words(self, text_words: list[str], categories=(), published=None) -> set[str]:
        slugs = {self._by_category[c] for c in categories if c in self._by_category}
        if self._rules:
            found = {label for _pos, _len, label in self._matcher.find(text_words, overlapping=True)}
            required_at = None
            for first in found:
                for slug, parts in self._rules_by_first.get(first, ()):
                    if slug in slugs or not all(part in found for part in parts):
                        continue
                    if not self._in_window(self._topics[slug], published):
                        continue
                    if slug in self._required:
                        if required_at is None:
                            required_at = {}
                            for pos, _l, label in self._required_matcher.find(text_words, overlapping=True):
                                required_at.setdefault(label, set()).add(pos)
                        if not all(self._group_weight(required_at, keys) >= TOPIC_REPEATS
                                   for keys in self._required[slug]):
                            continue
                    slugs.add(slug)
        return slugs

    @staticmethod
    def _group_weight(required_at: dict, keys) -> int:
        """How strongly a required group occurs: each position holding one of
        its phrases counts once («كييف» and «كيف الأوكرانية» at one place are
        one mention), a position in the opening as often as a repeated one."""
        positions = set().union(*(required_at.get(k, ()) for k in keys))
        return sum(TOPIC_REPEATS if pos < TOPIC_OPENING_WORDS else 1 for pos in positions)

    @staticmethod
    def _in_window(topic: TopicEntry, published) -> bool:
        if topic.starts is None and topic.ends is None:
            return True
        if published is None:
            return True  # an undated article is judged by the rules alone
        return (topic.starts is None or published >= topic.starts) and (topic.ends is None or published <= topic.ends)
