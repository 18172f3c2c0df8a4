"""The user query parser (search.query): syntax and malformed input."""
import pytest
from whoosh import query as wq

from search.query import MAX_QUERY_LENGTH, MSG_NO_WORDS, QueryError, parse_query


def test_words_are_anded_over_text_and_title():
    q = parse_query("بوتين روسيا").query
    assert isinstance(q, wq.And)
    assert len(q.subqueries) == 2
    for sub in q.subqueries:
        assert isinstance(sub, wq.Or)
        assert {t.fieldname for t in sub.subqueries} == {"text", "title"}


def test_or_binds_tighter_than_implicit_and():
    q = parse_query("بوتين روسيا OR أوكرانيا").query
    assert isinstance(q, wq.And)
    assert isinstance(q.subqueries[1], wq.Or)
    inner = q.subqueries[1].subqueries
    assert len(inner) == 2 and all(isinstance(s, wq.Or) for s in inner)


@pytest.mark.parametrize("raw", ['"الرئيس الروسي"', "«الرئيس الروسي»", "“الرئيس الروسي”"])
def test_quoted_phrase_in_all_quote_styles(raw):
    q = parse_query(raw).query
    assert isinstance(q, wq.Or)
    assert all(isinstance(s, wq.Phrase) for s in q.subqueries)
    assert q.subqueries[0].words == ["رءيس", "روسي"]


def test_phrase_drops_stopwords():
    # (That such a phrase still matches is tested on an indexed article.)
    q = parse_query('"رئيس هيئة الإعلام و الثقافة"').query
    phrase = q.subqueries[0]
    assert isinstance(phrase, wq.Phrase)
    assert "و" not in phrase.words and len(phrase.words) == 4


def test_exclusion_and_groups():
    q = parse_query("(روسيا OR أوكرانيا) -بيلاروسيا").query
    assert isinstance(q, wq.AndNot)
    assert isinstance(q.a, wq.Or)
    parsed = parse_query("بوتين -بيلاروسيا NOT لوكاشينكو")
    assert isinstance(parsed.query, wq.AndNot)
    assert "بيلاروسيا" not in parsed.terms and "بوتين" in parsed.terms


def test_query_uses_the_document_analyzer():
    # diacritics, tatweel, hamza, teh marbuta and clitics fold to one term
    assert parse_query("بُوتِين").terms == parse_query("بوتين").terms
    assert parse_query("روسيـا").terms == parse_query("روسيا").terms
    assert parse_query("أوكرانيا").terms == parse_query("اوكرانيا").terms
    assert parse_query("الروسية").terms == parse_query("الروسيه").terms
    assert parse_query("بالكرملين").terms == parse_query("الكرملين").terms


def test_stopwords_are_dropped():
    parsed = parse_query("بوتين في روسيا")
    assert {"بوتين", "روسيا"} <= parsed.terms
    assert "في" not in parsed.terms
    assert len(parsed.query.subqueries) == 2


def test_proclitics_on_protected_names():
    from search.query import clitic_family

    assert clitic_family("وروسيا", lambda form: 1)[0] == "روسيا"
    assert set(clitic_family("روسيا", lambda form: 1)) >= {"روسيا", "وروسيا", "لروسيا", "بروسيا"}
    # only forms present in the index are kept
    assert clitic_family("روسيا", lambda form: form in {"روسيا", "وروسيا"}) == ["روسيا", "وروسيا"]
    # ordinary words are the stemmer's business: «فكره» is not «ف» + «كره»
    assert clitic_family("فكره", lambda form: 1) == ["فكره"]
    assert clitic_family("كره", lambda form: 1) == ["كره"]
    assert parse_query("وروسيا").terms == parse_query("روسيا").terms


def test_compound_word_becomes_phrase():
    q = parse_query("كوفيد-19").query
    assert isinstance(q.subqueries[0], wq.Phrase)


def test_dash_between_words_is_not_an_operator():
    parsed = parse_query("روسيا - أوكرانيا")
    assert isinstance(parsed.query, wq.And)


MALFORMED = [
    '"بوتين',
    'بوتين "الرئيس',
    "«بوتين",
    "(بوتين",
    "بوتين)",
    "((بوتين)",
    "()",
    "OR",
    "بوتين OR",
    "OR بوتين",
    "بوتين OR OR روسيا",
    "AND",
    "NOT",
    "-",
    "- -",
    "-بوتين",
    "-(بوتين روسيا)",
    "!!!",
    "؟؟ ، .",
    "في من عن",
    "و",
    "x" * 5000,
    "ب" * (MAX_QUERY_LENGTH + 1),
    "بوتين\x00",
    "بوتين\x1f روسيا",
    "\x7f",
    '""',
    "«»",
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_queries_get_an_arabic_message(raw):
    with pytest.raises(QueryError) as info:
        parse_query(raw)
    message = info.value.message
    assert message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)


def test_only_stopwords_message():
    with pytest.raises(QueryError) as info:
        parse_query("في من")
    assert info.value.message == MSG_NO_WORDS


def test_whitespace_controls_are_spaces():
    parsed = parse_query("بوتين\tروسيا\nأوكرانيا")
    assert len(parsed.query.subqueries) == 3


def test_too_many_terms():
    with pytest.raises(QueryError):
        parse_query(" ".join(f"كلمة{i}" for i in range(60)))
