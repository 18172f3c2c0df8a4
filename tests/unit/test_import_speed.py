"""The fast paths of the import (tagging, cleaning, reading, link rows) give
the same answers as the plain word-by-word / rule-by-rule ways they replace."""
import json
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archive.importing import build_matchers, cleaning
from archive.importing.readers import record_from_json
from archive.importing.tagging import PhraseMatcher, TopicEntry, TopicMatcher, _clitic_readings, words
from archive.models import Article
from search.analysis import normalize, tokenize
from tests.fixtures_archive import SEEDS_DIR

# --- tagging -------------------------------------------------------------------

def walk_every_word(matcher: PhraseMatcher, text_words):
    """Reference: try every position in turn (the matcher before its trigger
    filter), longest phrase first, a match consuming its words."""
    found, i, n = [], 0, len(text_words)
    while i < n:
        match = None
        for reading, conjunction_only in _clitic_readings(text_words[i]):
            for key, label in matcher._by_first.get(reading, ()):
                if match is not None and len(key) <= match[1]:
                    break
                if not conjunction_only and matcher.weak and matcher.weak(label):
                    continue
                if i + len(key) <= n and list(key[1:]) == text_words[i + 1:i + len(key)]:
                    match = (i, len(key), label)
                    break
        if match:
            found.append(match)
            i += match[1]
        else:
            i += 1
    return found


PHRASES = {
    "مالي": ("weak", "ML"), "روسيا": ("strong", "RU"), "الولايات المتحدة": ("strong", "US"),
    "كوريا": ("strong", "KR"), "كوريا الشمالية": ("strong", "KP"), "بحر الصين": None,
    "الصين": ("strong", "CN"), "أكرا": ("strong", "GH"), "عمان": ("weak", "OM"), "لبنان": ("strong", "LB"),
}
STEMS = ["مالي", "روسيا", "الولايات", "المتحدة", "كوريا", "الشمالية", "بحر", "الصين", "اكرا", "عمان",
         "لبنان", "في", "قال", "ال", "ولا", "بل"]
PREFIXES = ["", "و", "ف", "ب", "ل", "ك", "وب", "فل", "لل", "ول", "وك"]


def _clitic_word(prefix, stem):
    if prefix.endswith("لل") and stem.startswith("ال"):
        return prefix + stem[2:]
    return prefix + stem


text_words_strategy = st.lists(
    st.builds(_clitic_word, st.sampled_from(PREFIXES), st.sampled_from(STEMS)), max_size=40
)


@settings(max_examples=400, deadline=None)
@given(text_words_strategy)
@pytest.mark.slow  # over a second: left out of make test-fast
def test_phrase_matcher_finds_what_a_walk_over_every_word_finds(text_words):
    matcher = PhraseMatcher(PHRASES, weak=lambda label: bool(label) and label[0] == "weak")
    assert list(matcher.find(text_words)) == walk_every_word(matcher, text_words)


def test_trigger_forms_cover_every_clitic_reading():
    matcher = PhraseMatcher({"الولايات المتحدة": "US", "روسيا": "RU", "لبنان": "LB"})
    for word in ("للولايات", "وللولايات", "بروسيا", "وبروسيا", "فروسيا", "كلبنان", "ولبنان", "روسيا"):
        assert word in matcher._triggers, word
        assert [m[2] for m in matcher.find([word, "المتحده"])], word
    # A word that is a phrase word with a letter that is no proclitic stays out.
    assert "تروسيا" not in matcher._triggers
    assert list(matcher.find(["تروسيا"])) == []


@pytest.fixture
def countries(db):
    matcher, _topics = build_matchers()
    return lambda text: dict(matcher.count(text))


@pytest.mark.django_db
def test_tricky_country_cases(countries):
    # Blockers consume their words: «بحر الصين» is a sea, then China is named.
    assert "CN" not in countries("توترات في بحر الصين الجنوبي")
    assert countries("توترات في بحر الصين الجنوبي وقالت الصين إنها سترد").get("CN") == 1
    # Longest match: North Korea, not Korea; the United States with «لل».
    found = countries("زار وفد من كوريا الشمالية موسكو ثم اتجه للولايات المتحدة")
    assert found.get("KP") == 1 and "KR" not in found and found.get("US") == 1 and found.get("RU") == 1
    # Clitics on a strong name: conjunction, preposition, both.
    assert countries("وروسيا بروسيا وبروسيا فروسيا").get("RU") == 4
    # A preposition never introduces a weak alias («بمالي» is not read, «ومالي» is).
    assert "ML" not in countries("اتفاق بمالي كبير")
    assert countries("قاتلت في ليبيا وسوريا ومالي").get("ML") == 1
    # A weak alias without any context or strong mention does not count.
    assert "ML" not in countries("قدم دعما ماليا وتقرير مالي")


@pytest.mark.django_db
def test_topic_rules_need_every_part():
    matcher = TopicMatcher([
        TopicEntry("mutiny", rules=("فاغنر + تمرد", "بريغوجين")),
        TopicEntry("gas", rules=("غاز + أوروبا + شتاء",)),
        TopicEntry("gas-prices", rules=("غاز + أسعار",)),  # same first phrase as «gas»
        TopicEntry("gulf", category="gulf"),
    ])
    assert matcher.assign("أعلنت فاغنر التمرد") == set()  # «التمرد» is not «تمرد»
    assert matcher.assign("تمرد قوات فاغنر") == {"mutiny"}  # parts in any order
    assert matcher.assign("قال بريغوجين") == {"mutiny"}
    assert matcher.assign("الغاز إلى أوروبا") == set()
    assert matcher.assign("غاز روسيا إلى أوروبا في الشتاء") == set()
    assert matcher.assign("غاز روسيا إلى أوروبا قبل شتاء بارد", ["gulf"]) == {"gas", "gulf"}
    assert matcher.assign("أسعار غاز روسيا في أوروبا قبل شتاء بارد") == {"gas", "gas-prices"}


@pytest.mark.parametrize("text", [
    "", "  ", "قالَ الرئيسُ: إنّ ٣٫٥ مليون «دولار» أُنفقت عام ٢٠٢٣م.",
    "كوفيد-19 و covid_19 وCafé ﷺ ﻻ ـــ", "1,000 و 3.5% و۱۲۳", "abc\u200cdef \u200b xyz\u0301",
])
def test_words_are_the_analyzer_tokens(text):
    assert words(text) == [tok for tok, _s, _e in tokenize(normalize(text))]


# --- cleaning ------------------------------------------------------------------

def norm_step_by_step(text):
    """Reference for cleaning._norm: each step on its own, in order."""
    text = cleaning._INVISIBLE_RE.sub("", text).translate(cleaning._DIGITS)
    text = cleaning._DIACRITICS_RE.sub("", text).replace(cleaning._TATWEEL, "")
    text = cleaning._ALEF_RE.sub("ا", text)
    text = text.replace("ى", "ي").replace("ة", "ه")
    return re.sub(r"\s+", " ", text).strip().lower()


LINE_CHARS = list("ابتجحدرسعفقكلمنهويءآأإٱىةؤئ ٠١٢٣٩۰۵۹019AZaz|•·▪◄►.,:") + [
    "\u200b", "\u200f", "\u202b", "\u2067", "\u061c", "\ufeff", "\u00ad", "\u0610", "\u064b", "\u0651",
    "\u0670", "\u06d6", "\u06ed", "\u0640", "  ", "\t", "\xa0", "\u2003", "\u3000", "\x1c", "\x85", "İ",
]
line_strategy = st.lists(st.sampled_from(LINE_CHARS), max_size=120).map("".join)


@settings(max_examples=600, deadline=None)
@given(line_strategy)
@pytest.mark.slow  # over a second: left out of make test-fast
def test_line_normalization_matches_the_step_by_step_rules(line):
    assert cleaning._norm(line) == norm_step_by_step(line)
    collapsed = cleaning._collapse(line)
    assert collapsed == re.sub(r"\s+", " ", line).strip()
    assert cleaning._line_words(collapsed) == len(line.split())
    assert cleaning._line_words(cleaning._norm(line)) == len(cleaning._norm(line).split())


ticker_strategy = st.lists(
    st.tuples(st.sampled_from(["خبر عاجل", "وزير الخارجية يصل", "نص.", "كلمة", "a b c d"]),
              st.sampled_from([" ", "  ", "   ", " | ", " • ", "\xa0\xa0", " \t"])),
    min_size=1, max_size=14,
).map(lambda parts: "".join(text + sep for text, sep in parts))


BULLET_TICKER = " | ".join(["وزير الخارجية يصل", "خبر عاجل"] * 4)


@settings(max_examples=400, deadline=None)
@given(ticker_strategy)
@example(BULLET_TICKER)
@example(BULLET_TICKER.replace(" | ", " • "))
@example(BULLET_TICKER.replace(" | ", "   "))
@pytest.mark.slow  # over a second: left out of make test-fast
def test_ticker_shortcut_gives_the_full_answer(line):
    assert cleaning._is_ticker(line, cleaning._collapse(line)) == cleaning._is_ticker(line)


def test_a_ticker_separated_by_bullets_only():
    assert cleaning._is_ticker(BULLET_TICKER, cleaning._collapse(BULLET_TICKER))


def test_ticker_shortcut_on_the_seed_pages():
    lines = [line for path in SEEDS_DIR.glob("*.txt") for line in path.read_text(encoding="utf-8").split("\n")]
    answers = [(cleaning._is_ticker(line, cleaning._collapse(line)), cleaning._is_ticker(line)) for line in lines]
    assert all(fast == full for fast, full in answers)
    assert any(full for _fast, full in answers)  # seed 004 has a ticker


@pytest.mark.parametrize("n_words", [1, 2, 3, 4, 6, 8, 9, 12, 25, 26, 29, 30, 31, 200])
@pytest.mark.parametrize("opening", ["يتبع", "اترك تعليقا", "الوسوم :", "الحقول المطلوبة"])
def test_boilerplate_rules_by_word_count(opening, n_words):
    filler = max(0, n_words - len(opening.split()))
    line = " ".join([opening] + ["كلمة"] * filler)
    norm = cleaning._norm(line)
    expected = next((family for family, pattern, limit in cleaning._BOILERPLATE
                     if len(norm.split()) <= limit and pattern.search(norm)), None)
    assert cleaning._boilerplate_family(norm) == expected


# --- reading -------------------------------------------------------------------

def test_escaped_nul_and_surrogate_are_still_made_storable():
    raw = json.dumps({"id": "A-1", "title": "عنوان\u0000", "body": "نص\ud800 الخبر", "author": "x\u0000y"})
    assert "\\u0000" in raw
    record = record_from_json(json.loads(raw), "f.jsonl", "f.jsonl:1", raw)
    assert record.title == "عنوان" and record.body == "نص\ufffd الخبر" and record.author == "xy"


def test_plain_line_is_read_unchanged():
    obj = {"id": " B-2 ", "title": "عنوان", "body": "نص الخبر\nسطر", "categories": ["a", 3]}
    raw = json.dumps(obj, ensure_ascii=False)
    record = record_from_json(json.loads(raw), "f.jsonl", "f.jsonl:1", raw)
    assert (record.origin, record.title, record.body, record.categories) == ("B-2", "عنوان", "نص الخبر\nسطر", ["a"])
    assert record.raw_text == raw


# --- link rows -----------------------------------------------------------------

@pytest.mark.django_db
def test_changed_record_gets_new_tags_without_duplicates(import_paths, tmp_path):
    path = tmp_path / "r.jsonl"

    def write(body):
        path.write_text(json.dumps({"id": "T-1", "title": "خبر", "body": body, "categories": ["middleEast"],
                                    "source_id": "skynews"}, ensure_ascii=False) + "\n", encoding="utf-8")

    write("زار الوزير موسكو ثم روسيا البيضاء. ثم عاد إلى موسكو.")
    assert import_paths(path).created == 1
    article = Article.objects.get(origin="T-1")
    assert dict(article.country_mentions.values_list("country_id", "mentions")) == {"RU": 2, "BY": 1}
    assert set(article.topics.values_list("slug", flat=True)) == {"middle-east"}
    write("زار الوزير القاهرة ثم عاد إلى القاهرة.")
    assert import_paths(path).updated == 1
    assert dict(article.country_mentions.values_list("country_id", "mentions")) == {"EG": 2}
    assert list(article.topics.values_list("slug", flat=True)) == ["middle-east"]
