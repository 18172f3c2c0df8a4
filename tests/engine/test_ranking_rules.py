"""The ranking rules of several words (search.query.ranking) on a real index.

Each case has a competitor that the plain sum of BM25 clauses puts first
(or ties with the wanted article, the tie going to the newer competitor);
the rule under test puts the wanted article first, and switching the rule
off gives the competitor back the lead (so every test can fail).
"""
from datetime import date

import pytest

from search.query import builder, ranking
from search.service import parse_search_params, run_search

pytestmark = pytest.mark.django_db

FILLER = "وقال المتحدث إن الاجتماع تناول ملفات عديدة في المنطقة. "


def ranked(q):
    result = run_search(parse_search_params({"q": q, "page_size": "10"}))
    return [h.id for h in result.hits]


def first(q, rules, monkeypatch):
    monkeypatch.setattr(ranking, "RULES", rules)
    return ranked(q)[0]


def test_all_words_in_the_title_rank_first(make_article, search_index, monkeypatch):
    for i in range(6):  # other articles, for realistic document frequencies
        make_article(title=f"خبر عن المياه {i}", body=FILLER * 3 + "مفاوضات التجارة. " * (i % 2))
    wanted = make_article(title="مفاوضات سد النهضة تتعثر", body=FILLER * 12, published=date(2018, 1, 1))
    other = make_article(
        title="مفاوضات المياه في الخرطوم", body="بحث الوزراء مفاوضات سد النهضة. " * 3 + FILLER,
        published=date(2018, 2, 1),
    )
    search_index.build()
    assert first("مفاوضات النهضة", (), monkeypatch) == other.pk
    assert first("مفاوضات النهضة", ("title",), monkeypatch) == wanted.pk
    assert first("مفاوضات النهضة", ranking.RULES_DEFAULT, monkeypatch) == wanted.pk


def test_adjacent_words_rank_above_scattered_ones(make_article, search_index, monkeypatch):
    wanted = make_article(
        title="خبر أول", body=FILLER * 3 + "وأعلنت وزارة الصحة حالة الطوارئ. " + FILLER * 3,
        published=date(2018, 1, 1),
    )
    other = make_article(
        title="خبر ثان", body=FILLER * 3 + "وأعلنت وزارة الداخلية أن الصحة بخير. " + FILLER * 3,
        published=date(2018, 2, 1),
    )
    search_index.build()
    assert first("وزارة الصحة", (), monkeypatch) == other.pk  # a tie: the newer first
    assert first("وزارة الصحة", ("near",), monkeypatch) == wanted.pk
    assert first("وزارة الصحة", ranking.RULES_DEFAULT, monkeypatch) == wanted.pk


def test_adjacent_words_in_the_title_rank_first(make_article, search_index, monkeypatch):
    wanted = make_article(title="حفل معايدة تقيمه الشركة", body=FILLER, published=date(2018, 1, 1))
    other = make_article(title="الشركة تقيم حفل معايدة", body=FILLER, published=date(2018, 2, 1))
    search_index.build()
    assert first("معايدة تقيم", ("title",), monkeypatch) == other.pk  # a tie: the newer first
    assert first("معايدة تقيم", ("title", "title_near"), monkeypatch) == wanted.pk


def test_exact_words_rank_above_other_forms(make_article, search_index, monkeypatch):
    wanted = make_article(
        title="تقرير", body=FILLER * 4 + "وجرت الانتخابات الرئاسية في موعدها. " + FILLER * 2,
        published=date(2018, 1, 1),
    )
    other = make_article(  # the same stems, other forms, more often
        title="تقرير آخر",
        body=FILLER * 4 + "وقبل انتخاب المرشح الرئاسي جرت الانتخابات البلدية والاستحقاق الرئاسي. " + FILLER,
        published=date(2018, 2, 1),
    )
    search_index.build()
    monkeypatch.setattr(ranking, "RULES", ())  # the exact-form clause of each word alone
    for q in ("الانتخابات الرئاسية", "الرئاسية"):
        assert ranked(q)[0] == wanted.pk, q
        with monkeypatch.context() as m:
            m.setattr(builder, "EXACT_BOOST", 0.0)  # without it
            assert ranked(q)[0] == other.pk, q


def test_rules_never_change_what_is_found(make_article, search_index, monkeypatch):
    make_article(title="مفاوضات سد النهضة", body=FILLER)
    make_article(title="سد", body="النهضة " + FILLER + " مفاوضات")
    make_article(title="سد", body=FILLER)
    search_index.build()
    monkeypatch.setattr(ranking, "RULES", ())
    plain = set(ranked("مفاوضات النهضة"))
    monkeypatch.setattr(ranking, "RULES", ranking.RULES_DEFAULT)
    assert set(ranked("مفاوضات النهضة")) == plain and len(plain) == 2


def test_a_rare_proclitic_form_never_outweighs_the_word_typed(make_article, search_index, monkeypatch):
    for i in range(6):  # «الأهلي» is common, «والأهلي» rare: a higher idf
        make_article(title=f"مباراة {i}", body=FILLER + "وفاز الأهلي في المباراة. ")
    wanted = make_article(title="تقرير", body=FILLER * 2 + "وقال مدرب الأهلي إن الفريق جاهز. ",
                          published=date(2018, 1, 1))
    other = make_article(title="تقرير آخر", body=FILLER * 2 + "وقال مدرب الزمالك والأهلي إن الفريقين جاهزان. ",
                         published=date(2018, 2, 1))
    search_index.build()

    def ahead(rules):
        monkeypatch.setattr(ranking, "RULES", rules)
        order = ranked("الأهلي")
        return order.index(wanted.pk) < order.index(other.pk)

    assert not ahead(())  # the rare form's idf wins
    assert ahead(("cap",))
    assert ahead(ranking.RULES_DEFAULT)
