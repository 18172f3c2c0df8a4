"""Spelling classes, false friends and nisba adjectives, word by word (unit, fake vocabulary)."""
import json

import pytest

from search.analysis import normalize
from search.analysis.nisba import nisba_stem, nisba_table
from search.engine.vocabulary import Vocabulary
from search.names import _COUNTRIES_FILE
from search.query.expansion import expand_word
from search.query.spelling import plausible_spelling


def n(word):
    return normalize(word)


@pytest.mark.parametrize("a,b", [
    ("بيلاروسيا", "بيلوروسيا"),      # a vowel letter written for another (long word)
    ("مالطا", "مالطة"),              # final ا / ة
    ("هولاند", "أولاند"),            # initial ه / أ for a foreign H
    ("إنجلترا", "إنكلترا"),          # G written ج / ك
    ("إنجلترا", "انقلترا"),          # G written ج / ق
    ("دانييل", "دانيال"),            # doubled vowel letters
    ("خامنئي", "خامئني"),            # transposed vowel letters
    ("أردوغان", "أرودغان"),
    ("فيروس", "فايروس"),
    ("سوفياتي", "سوفييتي"),
])
def test_spelling_classes(a, b):
    a, b = n(a), n(b)
    assert plausible_spelling(a, b) and plausible_spelling(b, a)


@pytest.mark.parametrize("a,b", [
    ("بوتين", "بطين"),     # a short word never crosses ت/ط together with a vowel edit
    ("بوتن", "بطن"),
    ("بوتن", "باطن"),
    ("فيروس", "فارس"),     # vowel substitution in a short word
    ("كوريا", "قرية"),     # ك/ق, a vowel and a final letter
    ("هواوي", "هوائي"),
    ("ميلان", "مليون"),
    ("روسيا", "روسية"),    # the adjective, not a spelling of the name
    ("نيمار", "نمر"),
    ("بوتين", "بوتان"),
    ("سعيد", "صعيد"),      # one emphatic change alone in a short word: another word
    ("قالت", "جالت"),
    ("توقيع", "توزيع"),    # «ز» is never a hard G
])
def test_false_friends_are_refused(a, b):
    a, b = n(a), n(b)
    assert not plausible_spelling(a, b) and not plausible_spelling(b, a)


def _vocab(counts):
    return Vocabulary.from_counts({n(k): v for k, v in counts.items()}, doc_count=50000)


def test_article_words_get_their_spellings():
    v = _vocab({"الفيروس": 200, "الفايروس": 12, "فيروس": 150, "فايروس": 6, "بالفايروس": 3,
                "الفلبين": 180, "الفيليبين": 11, "والفيليبين": 2,
                "فاروس": 5, "تروس": 3})  # «فيروس» is not «ف» + a verb beside «فاروس»
    exp = expand_word(n("الفيروس"), v)
    assert "الفايروس" in exp.variants
    assert {"الفايروس", "فايروس", "بالفايروس"} <= set(exp.variant_forms)
    assert "الفيليبين" in expand_word(n("الفلبين"), v).variants


def test_article_words_are_not_merged_with_their_broken_plural():
    v = _vocab({"المجلس": 500, "المجالس": 80, "المشروع": 400, "المشاريع": 300, "التقرير": 300,
                "التقارير": 200})
    for word in ("المجلس", "المشروع", "التقرير", "المجالس"):
        assert expand_word(n(word), v).variants == []


def test_final_letter_and_initial_h_and_g_as_k():
    v = _vocab({"مالطا": 100, "مالطة": 5, "هولاند": 140, "أولاند": 8, "إنجلترا": 900, "إنكلترا": 100,
                "سوريا": 900, "سورية": 300})
    assert n("مالطة") in expand_word(n("مالطا"), v).variants
    assert n("أولاند") in expand_word(n("هولاند"), v).variants
    assert n("إنكلترا") in expand_word(n("إنجلترا"), v).variants


def test_a_final_g_is_not_taken_for_a_feminine_ending():
    """«جونج/جونغ» end in two spellings of a G, not in «ا»/«ة»: that «جون»
    is indexed does not make one the feminine of it."""
    v = _vocab({"جونج": 46, "جونغ": 650, "جون": 900, "مكتب": 400, "مكتبه": 300, "مكتبا": 20})
    assert n("جونغ") in expand_word(n("جونج"), v).variants
    assert n("جونج") in expand_word(n("جونغ"), v).variants


def test_putin_is_not_expanded_to_a_native_word():
    v = _vocab({"بوتين": 700, "بوتن": 300, "بطين": 10, "البطين": 3, "بطن": 170, "باطن": 300})
    variants = expand_word(n("بوتين"), v).variants
    assert n("بطين") not in variants and n("بوتن") in variants
    assert n("بطن") not in expand_word(n("بوتن"), v).variants


# --- nisba adjectives ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table():
    return nisba_table(json.loads(_COUNTRIES_FILE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("adjective,name", [
    ("الكازاخستانية", "كازاخستان"),
    ("الروسي", "روسيا"),
    ("الأوكرانيون", "أوكرانيا"),
    ("المصريين", "مصر"),
    ("السوري", "سوريا"),
])
def test_nisba_both_ways(table, adjective, name):
    assert n(name) in table.related(n(adjective))
    assert n(adjective) in table.related(n(name))


def test_nisba_rules(table):
    assert nisba_stem(n("الأوكرانيون")) == n("اوكران")
    assert nisba_stem(n("مصر")) is None
    assert table.related(n("المالية")) == frozenset()  # Mali's adjective is "financial": weak alias
    assert table.related(n("مالي")) == frozenset()
    assert n("موسكو") not in table.related(n("الروسي"))  # cities are not names of the country
    assert not any(w.startswith(n("الماتي")) for w in table.related(n("كازاخستان")))


def test_nisba_expansion_searches_the_country_name():
    v = _vocab({"الكازاخستانية": 5, "كازاخستان": 80, "وكازاخستان": 6, "لكازاخستان": 3, "الروسي": 900,
                "روسيا": 3000})
    exp = expand_word(n("الكازاخستانية"), v)
    assert {"كازاخستان", "وكازاخستان"} <= set(exp.variant_forms)
    assert n("كازاخستان") in exp.variants
    back = expand_word(n("كازاخستان"), v)
    assert n("الكازاخستانيه") in back.variant_forms


# --- an absent word: a typo, not proclitic + another word -------------------------------------

def test_typo_is_not_split_into_clitics():
    from search.query import parse_query

    v = _vocab({"بوتين": 700, "وتبن": 3, "وتبين": 40, "فتبين": 30, "لبوتين": 20})
    exp = expand_word(n("بوتبن"), v)
    assert exp.typo == n("بوتين") and exp.base == n("بوتبن")
    parsed = parse_query("بوتبن", vocabulary=v)
    assert str(parsed.query) == "text_exact:" + n("بوتبن")


@pytest.mark.parametrize("word,base", [
    ("فبوتين", "بوتين"),        # a real proclitic on a frequent word: split, not a typo
    ("وللاحالات", "للاحالات"),
    ("وللأسود", "للاسود"),       # و + ل + «الأسود», though «والأسود» is one edit away
])
def test_real_proclitics_are_still_split(word, base):
    v = _vocab({"بوتين": 700, "وبوتين": 30, "الاحالات": 4, "والاحالات": 1, "الاسود": 92, "والاسود": 12,
                "للاسود": 1})
    exp = expand_word(n(word), v)
    assert exp.typo is None and exp.base == n(base)
