"""Two plausible spellings that the articles show to be two names are not
merged (search.query.variant_evidence): «سلمان/سليمان» named side by side in
many articles at a few times chance; «ترامب/ترمب», each in its own articles,
still is one name."""
import numpy as np
import pytest

from search.query.variant_evidence import LIFT_BAND, MIN_SHARED, clash, shared_articles
from search.service import parse_search_params, run_search


def _search(q):
    result = run_search(parse_search_params({"q": q, "page_size": "100"}))
    return {h.id for h in result.hits}, result


@pytest.mark.django_db
def test_a_name_clash_is_not_merged_while_a_real_variant_is(search_index, make_article):
    # one name, two spellings, each in its own articles (each outlet keeps its own)
    trump = [make_article(title="سياسة", body=f"قال الرئيس ترامب اليوم {i}") for i in range(12)]
    trmp = [make_article(title="سياسة", body=f"قال الرئيس ترمب اليوم {i}") for i in range(12)]
    # two names: a report names both in many articles, about twice what chance would give
    both = [make_article(title="خبر", body=f"التقى سلمان مع سليمان في الرياض {i}") for i in range(12)]
    salman = [make_article(title="خبر", body=f"استقبل سلمان الوفد {i}") for i in range(12)]
    suleiman = [make_article(title="خبر", body=f"استقبل سليمان الوفد {i}") for i in range(12)]
    for i in range(40):
        make_article(title="اقتصاد", body=f"ارتفعت أسعار النفط في السوق {i}")
    search_index.build()

    found, result = _search("ترامب")
    assert {a.pk for a in trump + trmp} <= found
    assert any("ترمب" in e["variants"] for e in result.expansions)
    assert {a.pk for a in trump} <= _search("ترمب")[0]

    found, result = _search("سلمان")
    assert {a.pk for a in salman + both} <= found
    assert not found & {a.pk for a in suleiman}, result.expansions
    found, _result = _search("سليمان")
    assert {a.pk for a in suleiman + both} <= found
    assert not found & {a.pk for a in salman}


@pytest.mark.django_db
def test_the_same_words_without_shared_articles_stay_one_name(search_index, make_article):
    """The letters allow «سلمان/سليمان»: with no article naming both, the
    index gives no evidence against the merge."""
    salman = [make_article(title="خبر", body=f"استقبل سلمان الوفد {i}") for i in range(12)]
    suleiman = [make_article(title="خبر", body=f"استقبل سليمان الوفد {i}") for i in range(12)]
    search_index.build()
    assert {a.pk for a in suleiman} <= _search("سلمان")[0]
    assert {a.pk for a in salman} <= _search("سليمان")[0]


class _Vocab:
    """df/doc_ids/doc_count over {form: docnums}."""

    def __init__(self, docs, n):
        self.docs, self.doc_count = docs, n

    def df(self, form):
        return len(self.docs.get(form, ()))

    def doc_ids(self, form):
        return np.array(sorted(self.docs.get(form, ())), dtype=np.int64)


def _vocab(na, nb, both, n):
    a = set(range(na))
    b = set(range(na - both, na - both + nb))
    return _Vocab({"سلمان": a, "وسلمان": {0}, "سليمان": b}, n)


def test_the_lift_band_and_the_shared_floor():
    low, high = LIFT_BAND
    # lift = both * n / (na * nb)
    assert clash("سلمان", "سليمان", _vocab(100, 100, 20, int(100 * 100 * 2 / 20)))  # lift 2
    assert not clash("سلمان", "سليمان", _vocab(100, 100, 20, int(100 * 100 * (low - 0.5) / 20)))  # keep apart
    assert not clash("سلمان", "سليمان", _vocab(100, 100, 20, int(100 * 100 * (high + 5) / 20)))  # mixed spellings
    assert not clash("سلمان", "سليمان", _vocab(100, 100, MIN_SHARED - 1, 1000))  # too few shared
    assert shared_articles("سلمان", "سليمان", _vocab(30, 20, 5, 100)) == (30, 20, 5)


def test_a_vocabulary_without_documents_gives_no_evidence():
    from search.engine.vocabulary import Vocabulary

    vocab = Vocabulary.from_counts({"سلمان": 500, "سليمان": 500}, doc_count=10000)
    assert shared_articles("سلمان", "سليمان", vocab) is None
    assert clash("سلمان", "سليمان", vocab) is False
