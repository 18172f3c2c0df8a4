"""Name clashes that letters cannot tell apart are told apart by the articles
(search.query.variant_evidence): two spellings of one name live in different
articles, two different names of one field share many."""
import pytest

from search.service import parse_search_params, run_search


def _search(q):
    result = run_search(parse_search_params({"q": q, "page_size": "100"}))
    return {h.id for h in result.hits}, result


@pytest.mark.django_db
def test_a_name_clash_is_not_merged_while_a_real_variant_is(search_index, make_article):
    # one name, two spellings, each in its own articles (each outlet keeps its own)
    trump = [make_article(title="سياسة", body=f"قال الرئيس ترامب اليوم {i}") for i in range(4)]
    trmp = [make_article(title="سياسة", body=f"قال الرئيس ترمب اليوم {i}") for i in range(3)]
    # two coaches: a match report names both, other articles only one
    both = [make_article(title="رياضة", body=f"واجه فريق مورينيو فريق مورينو في المباراة {i}") for i in range(4)]
    mourinho = [make_article(title="رياضة", body=f"صرح مورينيو بعد التدريب {i}") for i in range(3)]
    moreno = [make_article(title="رياضة", body=f"صرح مورينو بعد التدريب {i}") for i in range(3)]
    search_index.build()

    found, result = _search("ترامب")
    assert {a.pk for a in trump + trmp} <= found
    assert any("ترمب" in e["variants"] for e in result.expansions)
    assert {a.pk for a in trump} <= _search("ترمب")[0]

    found, result = _search("مورينيو")
    assert {a.pk for a in mourinho + both} <= found
    assert not found & {a.pk for a in moreno}, result.expansions
    found, _result = _search("مورينو")
    assert {a.pk for a in moreno + both} <= found
    assert not found & {a.pk for a in mourinho}


@pytest.mark.django_db
def test_the_clash_needs_the_shared_articles(search_index, make_article):
    """The same two spellings with no article naming both are one name's
    spellings for the index (the letters allow it): the evidence, not the
    words, decides."""
    mourinho = [make_article(title="رياضة", body=f"صرح مورينيو بعد التدريب {i}") for i in range(3)]
    moreno = [make_article(title="رياضة", body=f"صرح مورينو بعد التدريب {i}") for i in range(3)]
    search_index.build()
    assert {a.pk for a in moreno} <= _search("مورينيو")[0]
    assert {a.pk for a in mourinho} <= _search("مورينو")[0]


def test_a_vocabulary_without_documents_gives_no_evidence():
    from search.engine.vocabulary import Vocabulary
    from search.query.variant_evidence import clash, shared_articles

    vocab = Vocabulary.from_counts({"مورينيو": 5, "مورينو": 5})
    assert shared_articles("مورينيو", "مورينو", vocab) is None
    assert clash("مورينيو", "مورينو", vocab) is False
