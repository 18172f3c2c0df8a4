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
