"""Names typed in Latin letters: the transliterator word by word, the choice
of the index's spellings (search.analysis.latin, search.query.latin), the
gazetteer's Latin names and the switch-off of a searched spelling."""
import pytest

from search import latin_gazetteer
from search.analysis import normalize
from search.analysis.latin import arabic_candidates, latin_cost, latin_word, skeleton_keys
from search.analysis.variants import skeleton
from search.engine.vocabulary import Vocabulary
from search.latin_gazetteer import arabic_for_latin, register_latin_source
from search.query import parse_query
from search.query.latin import latin_forms, latin_spellings

# (typed, the archive's spelling) — each must be reachable and cheap
PAIRS = [
    ("Wagner", "فاغنر"), ("Wagner", "فاجنر"), ("Wagner", "واغنر"),
    ("Prigozhin", "بريغوجين"), ("Prigozhin", "بريغوزين"),
    ("Lukashenko", "لوكاشينكو"), ("Lukashenko", "لوكاشنكو"),
    ("Kazakhstan", "كازاخستان"), ("Kazakhstan", "قازاخستان"),
    ("Tokayev", "توكاييف"), ("Bakhmut", "باخموت"), ("Putin", "بوتين"), ("Putin", "بوتن"),
    ("Trump", "ترامب"), ("Obama", "أوباما"), ("Juventus", "يوفنتوس"), ("Google", "غوغل"),
    ("Google", "جوجل"), ("Merkel", "ميركل"), ("Erdogan", "أردوغان"), ("Khamenei", "خامنئي"),
    ("Chelsea", "تشيلسي"), ("Brazil", "البرازيل"), ("Moscow", "موسكو"),
]


@pytest.mark.parametrize("latin,arabic", PAIRS)
def test_each_name_reaches_its_arabic_spelling(latin, arabic):
    word = latin_word(latin)
    form = normalize(arabic)
    cost = latin_cost(word, form)
    assert cost is not None and cost <= 1.0, (latin, arabic, cost)
    bare = form[2:] if form.startswith("ال") else form
    assert skeleton(bare) in skeleton_keys(word), (latin, arabic, skeleton_keys(word)[:8])


def test_another_word_costs_more_than_the_name():
    assert latin_cost("putin", "بوتين") < latin_cost("putin", "بطين")
    assert latin_cost("putin", "بوتان") > 1.0  # «Bhutan», a vowel letter for another vowel
    assert latin_cost("wagner", "ماء") is None


def test_latin_word():
    assert latin_word("Erdoğan") == "erdogan"
    assert latin_word("O'Neill") == "oneill"
    assert latin_word("فاغنر") == "" and latin_word("covid19") == "" and latin_word("") == ""
    assert arabic_candidates("wagner")[0][1] == 0


VOCAB = {
    "فاغنر": 40, "فاجنر": 12, "واغنر": 5, "وفاغنر": 3, "لفاغنر": 2,
    "بوتين": 900, "بوتن": 30, "لبوتين": 40, "بطين": 6, "بوتان": 9,
    "كازاخستان": 50, "قازاخستان": 3, "الكازاخستانية": 4,
    "ماء": 300, "الناتو": 80, "ناتو": 3, "للناتو": 9,
}


@pytest.fixture
def v():
    return Vocabulary.from_counts(VOCAB, doc_count=5000)


def test_spellings_from_the_index_only(v):
    assert latin_spellings("Wagner", v) == ["فاغنر", "فاجنر", "واغنر"]
    putin = latin_spellings("Putin", v)
    assert putin[0] == "بوتين" and "بطين" not in putin and "بوتان" not in putin  # other words
    assert latin_spellings("Kazakhstan", v) == ["كازاخستان", "قازاخستان"]
    assert latin_spellings("NATO", v) == ["الناتو"]
    assert latin_spellings("water", v) == [] and latin_spellings("ab", v) == []
    assert latin_spellings("Wagner", v, excluded={"فاجنر"}) == ["فاغنر", "واغنر"]
    forms = latin_forms(["الناتو"], v)
    assert {"الناتو", "ناتو", "للناتو"} <= set(forms)


def test_gazetteer_latin_names_and_a_registered_source(v, monkeypatch):
    monkeypatch.setattr(latin_gazetteer, "_sources", [])
    assert "كازاخستان" in arabic_for_latin("Kazakhstan")
    assert "موسكو" not in arabic_for_latin("Russia")  # a capital is not a spelling of the country
    register_latin_source(lambda: [("Tokayev", "توكاييف")])
    assert "توكاييف" in arabic_for_latin("tokayev")
    vocab = Vocabulary.from_counts({**VOCAB, "توكاييف": 4}, doc_count=5000)
    assert latin_spellings("Tokayev", vocab)[0] == "توكاييف"
    # a gazetteer's spelling is kept however rare (one article in 5,000), a guessed one is not
    register_latin_source(lambda: [("Prigozhin", "بريغوجين")])
    rare = Vocabulary.from_counts({**VOCAB, "بريغوجين": 1, "بريغوزين": 1}, doc_count=5000)
    assert latin_spellings("Prigozhin", rare) == ["بريغوجين"]
    latin_gazetteer._state["table"] = None


def test_parsed_latin_query_and_switches(v):
    parsed = parse_query("Wagner", vocabulary=v)
    (exp,) = parsed.expansions
    assert exp["word"] == "Wagner" and exp["variants"] == ["فاغنر", "فاجنر", "واغنر"]
    assert exp["switches"][1] == {"spelling": "فاجنر", "query": "Wagner -فاجنر"}
    assert "text_exact:وفاغنر" in str(parsed.query)
    off = parse_query("Wagner -فاجنر", vocabulary=v)
    assert off.expansions[0]["variants"] == ["فاغنر", "واغنر"]
    assert "text_exact:فاجنر" not in str(off.query)
    arabic_off = parse_query("فاغنر -واغنر", vocabulary=v)
    assert "واغنر" not in arabic_off.expansions[0]["variants"]
    assert "text_exact:واغنر" not in str(arabic_off.query)
    assert parse_query('"Wagner"', vocabulary=v).expansions == []
