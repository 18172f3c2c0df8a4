"""Query expansion: guarded proclitics, gender split, name spellings (unit, fake vocabulary)."""
import pytest

from search.analysis import normalize, variant_key
from search.expansion import edit_distance, expand_word
from search.query import parse_query
from search.vocabulary import Vocabulary, skeleton


def vocab(**_):
    counts = {
        "بوتين": 500, "لبوتين": 20, "وبوتين": 30, "موسكو": 300, "بموسكو": 40,
        "فكره": 150, "كره": 200, "بلديه": 300, "لديه": 1500,
        "فاغنر": 40, "فاجنر": 25, "واغنر": 5, "لفاجنر": 2,
        "بلينكن": 30, "بلينكين": 12, "بريغوزين": 4, "بريغوجين": 9,
        "مالي": 50, "المالي": 400, "الشماليه": 80, "صومالي": 10,
        "مكتبه": 40, "المكتبه": 30, "مكتبات": 10, "مكتب": 300, "المكتب": 100,
        "معلومات": 300, "المعلومات": 280, "معلمات": 5,
        "زار": 60, "وزار": 3, "وزاره": 900, "الوزاره": 600,
        "بوتن": 6, "ترامب": 900, "ترمب": 300,
    }
    return Vocabulary.from_counts(counts, doc_count=50000)


@pytest.fixture
def v():
    return vocab()


@pytest.mark.parametrize("word,base", [
    ("لبوتين", "بوتين"),    # protected name: proclitic split off
    ("بموسكو", "موسكو"),
    ("وتلزم", "وتلزم"),      # unknown rest: kept
    ("فكره", "فكره"),        # «كرة» is not 20× as frequent: «فكرة» stays
    ("بلديه", "بلديه"),      # never «لديه»
    ("بوتين", "بوتين"),      # a name keeps its first letter
])
def test_guarded_proclitic_split(v, word, base):
    assert expand_word(word, v).base == base


def test_absent_word_is_split_when_rest_is_known():
    vv = Vocabulary.from_counts({"تصعد": 4, "شقه": 6}, doc_count=50000)
    assert expand_word("لتصعد", vv).base == "تصعد"
    assert expand_word("وبشقه", vv).base == "شقه"


def test_clitic_forms_from_the_index(v):
    exp = expand_word("موسكو", v)
    assert "بموسكو" in exp.clitic_forms
    exp = expand_word("زار", v)  # the exact form «وزار», never the stem of «وزارة»
    assert exp.clitic_forms == ["وزار"]


def test_gender_split_uses_exact_forms(v):
    fem = expand_word("مكتبه", v)
    assert fem.family and "مكتب" not in fem.family and "المكتب" not in fem.family
    assert "المكتبه" in fem.family and "مكتبات" in fem.family
    masc = expand_word("مكتب", v)
    assert masc.family and "مكتبه" not in masc.family and "المكتب" in masc.family


@pytest.mark.parametrize("word,expected", [
    ("فاغنر", {"فاجنر", "واغنر"}),
    ("بلينكن", {"بلينكين"}),
    ("بريغوزين", {"بريغوجين"}),
    ("ترمب", {"ترامب"}),
    ("بوتين", {"بوتن"}),
])
def test_name_variants(v, word, expected):
    assert set(expand_word(word, v).variants) == expected


def test_variant_forms_include_proclitics(v):
    assert "لفاجنر" in expand_word("فاغنر", v).variant_forms


@pytest.mark.parametrize("word", ["مالي", "معلومات", "مكتب", "زار"])
def test_common_words_get_no_variants(v, word):
    assert expand_word(word, v).variants == []


def test_skeleton_and_keys():
    assert variant_key("فاغنر") == variant_key("فاجنر") == variant_key("واغنر")
    assert skeleton("بوتن") == skeleton("بوتين")
    assert skeleton(normalize("الجامعة")) != skeleton(normalize("الجمعة"))
    assert edit_distance("بلينكن", "بلينكين") == 1


def test_parse_query_reports_and_quotes_disable_expansion(v):
    parsed = parse_query("فاغنر روسيا", vocabulary=v)
    assert parsed.expansions == [{"word": "فاغنر", "variants": ["فاجنر", "واغنر"],
                                  "quoted": '"فاغنر" روسيا'}]
    assert "text_exact:فاجنر" in str(parsed.query)
    quoted = parse_query('"فاغنر" روسيا', vocabulary=v)
    assert quoted.expansions == []
    assert "فاجنر" not in str(quoted.query)


def test_excluded_words_are_not_expanded(v):
    parsed = parse_query("روسيا -فاغنر", vocabulary=v)
    assert parsed.expansions == []
