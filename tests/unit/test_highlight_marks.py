"""``term_marks`` finds the words of a text through the folded text (only the
words near a possible match are analysed): the same marks as analysing the
whole text, with diacritics, tatweel and letter variants in the text."""
from search.analysis import analyze
from search.highlight import _folded, term_marks

TEXT = ("قالَ الكرملينُ إنّ روسيـــا وأوروبا تبحثان الأزمة، والكرملين يرفض؛ "
        "وقالت إدارة ترامب إن الاقتصاد الأمريكي ينمو. Kremlin و KREMLIN")


def _whole(text, terms):
    return [(t.start, t.end, t.text) for t in analyze(text) if t.text in terms]


def test_marks_equal_whole_text_analysis():
    terms = {t.text for t in analyze(TEXT)}
    for chosen in (terms, {t for t in terms if len(t) > 4}, {"روسيا"}, {"kremlin"}, {"كلمةغائبة"}):
        assert term_marks(TEXT, frozenset(chosen)) == _whole(TEXT, chosen), chosen
    assert [TEXT[s:e] for s, e, _t in term_marks(TEXT, frozenset({"روسيا"}))] == ["روسيـــا"]


def test_folded_offsets_point_into_the_text():
    folded, shifts = _folded(TEXT)
    assert shifts is not None and len(folded) + len(shifts) == len(TEXT)
    assert _folded("مصر")[1] is None  # nothing deleted: same offsets


def test_folded_equals_the_normalizer_table_char_by_char():
    """The numpy folding gives what ``str.translate`` with the normalizer's
    table gives, with the offsets of deleted chars, on random mixes of every
    folded char, plain letters, astral chars and a lone surrogate."""
    import random

    from search.analysis.normalization import FOLD_TABLE

    table = {c: v for c, v in FOLD_TABLE.items() if v is None or len(v) == 1}
    alphabet = [chr(c) for c in FOLD_TABLE] + list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ،.abc\n") * 4 \
        + ["😀", "\U0001F600", "\ud800", "\uffff"]
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        folded = text.translate(table)
        gone = [i for i, ch in enumerate(text) if table.get(ord(ch), ch) is None]
        assert _folded(text) == (folded, [g - k for k, g in enumerate(gone)] if gone else None), repr(text)
