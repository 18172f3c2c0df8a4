"""The evaluation's pure parts: metrics, Light10, ground truth, perturbations, the committed query set.
End to end (synthetic articles, the commands, the corpus) is in tests/system/test_evaluation.py."""
import random
import re
from collections import Counter

import pytest

from search.evaluation import metrics as M
from search.evaluation.corpus import Doc, select_subset
from search.evaluation.curated import MUST_NOT_MERGE, NAME_GROUPS, SKELETON_PAIRS
from search.evaluation.latin_names import LATIN_NAMES
from search.evaluation.light10 import light10_stem, light10_terms, lucene_normalize
from search.evaluation.perturb import KINDS, TATWEEL, Usage, perturb_word
from search.evaluation.runner import (
    load_query_set,
    required_ids,
)
from search.evaluation.skeleton import skeleton
from search.evaluation.split import (
    SPLITS,
    group_key,
    known_item_key,
    latin_key,
    pair_key,
    split_of,
)
from search.evaluation.subset import evaluation_subset, support_ids
from search.evaluation.text import canon, pair_doc_kind, pair_forms, with_proclitics

# --- metrics -------------------------------------------------------------------------------


def test_reciprocal_rank_and_success():
    ranking = ["d3", "d1", "d7"]
    assert M.rank_of(ranking, "d1") == 2
    assert M.rank_of(ranking, "d9") is None
    assert M.reciprocal_rank(ranking, "d3") == 1.0
    assert M.reciprocal_rank(ranking, "d7") == pytest.approx(1 / 3)
    assert M.reciprocal_rank(ranking, "d7", k=2) == 0.0  # beyond the cut-off
    assert M.reciprocal_rank(ranking, "d9") == 0.0
    assert M.success_at(ranking, "d1", 1) == 0.0
    assert M.success_at(ranking, "d1", 2) == 1.0
    assert M.success_at([], "d1", 10) == 0.0


def test_mrr_over_queries():
    runs = [(["a", "b"], "a"), (["a", "b"], "b"), (["a", "b"], "z"), (["x", "y", "z", "w"], "w")]
    assert M.mrr(runs) == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)
    assert M.mrr([]) is None


def test_recall_and_violations():
    assert M.recall({"a", "b", "c"}, ["a", "d"]) == 0.5
    assert M.recall({"a"}, []) is None  # nothing relevant: not counted
    assert M.recall([], ["a"]) == 0.0
    assert M.violation(["a", "b"], {"b"}) is True
    assert M.violation(["a"], {"b"}) is False
    assert M.violation(["a"], set()) is False
    assert M.violation_rate([True, False, False, True]) == 0.5
    assert M.violation_rate([]) is None


def test_percentile_and_mean():
    assert M.percentile([], 50) is None
    assert M.percentile([7], 95) == 7
    assert M.percentile([1, 2, 3, 4], 50) == 2.5
    assert M.percentile(list(range(101)), 95) == 95
    assert M.mean([1, None, 3]) == 2


# --- Light10 (Lucene's ArabicNormalizer + ArabicStemmer) -------------------------------------

@pytest.mark.parametrize(
    "word, stem",
    [
        # the examples
        ("والكتاب", "كتاب"),
        ("بوتين", "بوت"),
        ("الجامعة", "جامع"),
        ("وزارة", "زار"),
        ("الجمعة", "جمع"),
        ("لبنان", "لبن"),
        ("البحرين", "بحر"),
        # Lucene's TestArabicStemFilter cases (normalizer applied first here)
        ("الحسن", "حسن"),
        ("والحسن", "حسن"),
        ("بالحسن", "حسن"),
        ("كالحسن", "حسن"),
        ("فالحسن", "حسن"),
        ("للاخر", "اخر"),
        ("وحسن", "حسن"),
        ("زوجها", "زوج"),
        ("ساهدان", "ساهد"),
        ("ساهدات", "ساهد"),
        ("ساهدون", "ساهد"),
        ("ساهدين", "ساهد"),
        ("ساهديه", "ساهد"),
        ("ساهدية", "ساهد"),
        ("ساهده", "ساهد"),
        ("ساهدة", "ساهد"),
        ("ساهدي", "ساهد"),
        ("وساهدون", "ساهد"),
        ("ساهدهات", "ساهد"),  # several suffixes in Lucene's order
        # length guards: nothing removed
        ("الو", "الو"),
        ("وا", "وا"),
        ("وحد", "وحد"),  # «و» needs a word of 4 letters
        ("كما", "كما"),
        # only one prefix: «لل» then «بنان» → «بن»
        ("للبنان", "بن"),
    ],
)
def test_light10_stems_like_lucene(word, stem):
    assert light10_stem(lucene_normalize(word)) == stem


def test_light10_stemmer_without_normalizer_uses_teh_marbuta_suffixes():
    # Lucene's stemmer alone (its own unit test feeds un-normalized words).
    assert light10_stem("ساهدية") == "ساهد"
    assert light10_stem("ساهدة") == "ساهد"


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("آجن", "اجن"),
        ("أحمد", "احمد"),
        ("إعاذ", "اعاذ"),
        ("بنى", "بني"),
        ("فاطمة", "فاطمه"),
        ("روبرـــــت", "روبرت"),
        ("بنًا", "بنا"),
        ("بنٌ", "بن"),
        ("بنٍ", "بن"),
        ("بَنا", "بنا"),
        ("بُنا", "بنا"),
        ("بِنا", "بنا"),
        ("بّنا", "بنا"),
        ("بْنا", "بنا"),
        ("مسؤول", "مسؤول"),  # Lucene leaves hamza on waw/yeh alone
    ],
)
def test_lucene_normalizer(raw, normalized):
    assert lucene_normalize(raw) == normalized


def test_light10_terms_stop_normalize_and_positions():
    terms = list(light10_terms("قالَ الرئيسُ بوتيـــن في موسكو ٢٠١٨"))
    assert [t for t, *_ in terms] == ["قال", "رئيس", "بوت", "موسكو", "2018"]
    # «في» is a stopword: its position is skipped, not reused
    assert [p for _t, p, *_ in terms] == [0, 1, 2, 4, 5]
    text = "قالَ الرئيسُ بوتيـــن"
    assert [text[s:e] for _t, _p, s, e in terms[:3]] == ["قالَ", "الرئيسُ", "بوتيـــن"]


# --- ground truth helpers and perturbations ------------------------------------------------------

def test_canon_and_proclitic_forms():
    assert canon("المسؤولُ إلى الجامعـــة") == "المسءول الي الجامعه"
    forms = with_proclitics(canon("الجامعة"))
    assert {"الجامعه", "جامعه", "والجامعه", "للجامعه", "بالجامعه", "وبالجامعه"} <= forms
    assert "الجامع" not in forms
    assert {"ترامب", "لترامب", "وترامب"} <= with_proclitics("ترامب")


def test_pair_doc_kind():
    a, b = with_proclitics(canon("الجامعة")), with_proclitics(canon("الجامع"))
    stem = "جامع"
    assert pair_doc_kind(["الجامع"], False, True, a, b) == "b_only"
    assert pair_doc_kind(["الجامعه"], True, False, a, b) == "a_only"
    assert pair_doc_kind(["الجامعه", "الجامع"], True, True, a, b) is None
    # a class word that is neither side (a plural) keeps the verdict open
    assert pair_doc_kind(["الجامع", "جامعات"], False, True, a, b) is None
    # a form of the other word elsewhere in the text (another stem) also does
    assert pair_doc_kind(["الجامع"], True, True, a, b) is None
    assert light10_stem("جامعات") == stem


def test_pair_forms_cover_inflections_but_not_the_other_word():
    a, b = pair_forms(canon("وزارة"), canon("زار"))
    assert {"وزاره", "الوزارات", "وزارته", "ووزارتها"} <= a
    assert {"زار", "وزار", "زارها"} <= b and "وزاره" not in b
    a, b = pair_forms(canon("وطني"), canon("طن"))
    assert "الوطنيه" in a  # the feminine is still «وطني»
    a, b = pair_forms(canon("أمين"), canon("أم"))
    assert "امين" not in b and "الامين" not in b  # «أم» + «ين» is the other word


def _marks_removed(word):
    return re.sub("[\u064b-\u0652\u0640]", "", word)


def test_perturbations_produce_real_variants():
    rng = random.Random(1)
    usage = Usage(raw=Counter({"أعلن": 50, "اعلن": 10}),
                  canonical=Counter({canon(w): 9 for w in ("الرئيس", "رئيس", "بترامب")}))
    assert perturb_word("الرئيس", "al_toggle", rng, usage) == "رئيس"
    assert perturb_word("رئيس", "al_toggle", rng, usage) == "الرئيس"
    assert perturb_word("أوكرانيا", "hamza", rng, usage) == "اوكرانيا"
    assert perturb_word("اعلن", "hamza", rng, usage) == "أعلن"
    assert perturb_word("الجامعة", "ta_marbuta", rng, usage) == "الجامعه"
    assert perturb_word("مستوى", "alef_maqsura", rng, usage) == "مستوي"
    assert perturb_word("المصري", "alef_maqsura", rng, usage) == "المصرى"
    assert perturb_word("سوريا", "ta_marbuta", rng, usage) is None  # nothing to rewrite
    for _ in range(20):
        clitic = perturb_word("الرئيس", "clitic", rng, usage)
        assert clitic in {"والرئيس", "بالرئيس", "للرئيس", "فالرئيس", "وبالرئيس", "وللرئيس"}
        assert perturb_word("ترامب", "clitic", rng, usage) in {"وترامب", "فترامب", "بترامب"}
        marked = perturb_word("الحكومة", "tashkeel", rng, usage)
        assert marked != "الحكومة" and _marks_removed(marked) == "الحكومة"
        stretched = perturb_word("الحكومة", "tatweel", rng, usage)
        assert TATWEEL in stretched and _marks_removed(stretched) == "الحكومة"
        i = stretched.index(TATWEEL)
        assert stretched[i - 1] not in "اأإآدذرزوؤةىء"  # only after a joining letter


def test_subset_is_deterministic_stratified_and_keeps_required():
    docs = [
        Doc(id=f"{src}{cat}-{i}", title="t", body="b", date="2018-01-01", source_id=src, category=cat)
        for src, cat, n in (("a", "x", 60), ("a", "y", 20), ("b", "-", 20))
        for i in range(n)
    ]
    one = select_subset(docs, 10, required_ids=["b--7", "missing"], seed=3)
    assert one == select_subset(docs, 10, required_ids=["b--7", "missing"], seed=3)
    ids = [d.id for d in one]
    assert len(ids) == 10 and "b--7" in ids and ids == sorted(ids)
    counts = Counter((d.source_id, d.category) for d in one)
    assert counts[("a", "x")] >= 4 and counts[("a", "y")] >= 1 and counts[("b", "-")] >= 2
    assert select_subset(docs, 10, seed=4) != select_subset(docs, 10, seed=3)
    assert len(select_subset(docs, 500)) == len(docs)


# --- the committed query set ---------------------------------------------------------------------------

def test_query_set_is_well_formed():
    qs = load_query_set()
    assert qs["kinds"] == list(KINDS)
    items = qs["known_items"]
    counts = Counter(it["kind"] for it in items)
    assert set(counts) == set(KINDS)
    assert 300 <= len(items) <= 340 and min(counts.values()) >= 30
    # 20% unperturbed controls; every query's words occur together in 1-20 articles of the subset
    assert 0.18 <= counts["plain"] / len(items) <= 0.22
    assert all(1 <= it["matches"] <= 20 for it in items)
    assert sum(1 for it in items if it["matches"] >= 2) >= 0.8 * len(items)
    assert "title" not in items[0]  # no article text in the committed data
    assert len({it["id"] for it in items}) == len(items)
    assert len({it["target"] for it in items}) == len(items)
    for it in items:
        words = it["query"].split()
        assert 2 <= len(words) <= 3, it
        assert len(it["original"].split()) == len(words)
        assert re.match(r"^(AL|BB|CN|FR|SK|JA|SNN)-", it["target"])
        rewritten = {r["kind"] for r in it["rewrites"]}
        if it["kind"] == "plain":
            assert it["query"] == it["original"] and not it["rewrites"]
        elif it["kind"] == "mixed":
            assert len(rewritten) >= 2 and it["query"] != it["original"]
        else:
            assert rewritten == {it["kind"]} and it["query"] != it["original"]
        for n, r in enumerate(it["rewrites"]):
            # each rewrite is in the query, or rewritten again (stacked kinds)
            assert r["from"] != r["to"]
            later = [x["from"] for x in it["rewrites"][n + 1:]]
            assert r["to"] in it["query"].split() or r["to"] in later

    groups = qs["spelling_groups"]
    assert len(groups) >= 150
    assert [g["name"] for g in groups] == [label for label, _ in NAME_GROUPS]
    for g in groups:
        spellings = g["spellings"]
        assert len(spellings) >= 2, g["name"]
        assert len({s["canonical"] for s in spellings}) == len(spellings)
        for s in spellings:
            assert s["canonical"] == canon(s["text"])
            assert s["doc_count"] >= 2 and 1 <= len(s["doc_ids"]) <= s["doc_count"]

    pairs = qs["must_not_merge"]
    assert 25 <= len(pairs) <= 40 and len(pairs) == len(MUST_NOT_MERGE)
    for p in pairs:
        a, b = p["a"]["canonical"], p["b"]["canonical"]
        assert a != b
        assert light10_stem(a) == light10_stem(b) == p["light10_stem"]
        assert p["a_only_count"] >= 5 and p["b_only_count"] >= 5
        assert p["a_only_ids"] and p["b_only_ids"]

    skeleton_pairs = qs["skeleton_pairs"]
    assert len(skeleton_pairs) == len(SKELETON_PAIRS) >= 30
    for p in skeleton_pairs:
        # one direction at least («رونالدو» contains «رونالد»: only «رونالد»-articles are forbidden)
        assert max(p["a_only_count"], p["b_only_count"]) >= 5, p["meaning"]

    latin = qs["latin_names"]
    assert len(latin) == len(LATIN_NAMES) >= 60
    for e in latin:
        assert re.match(r"^[A-Za-z ]+$", e["latin"]) and e["arabic"]
        assert e["doc_count"] >= 1 and e["doc_ids"], e["latin"]

    # every entry carries its half, as split_of computes it, and both halves are used
    keyed = ([(it, known_item_key(it)) for it in items] + [(g, group_key(g)) for g in groups]
             + [(p, pair_key(p)) for p in pairs + skeleton_pairs] + [(e, latin_key(e)) for e in latin])
    for entry, key in keyed:
        assert entry["split"] == split_of(key)
    for part in (items, groups, latin):
        halves = Counter(x["split"] for x in part)
        assert set(halves) == set(SPLITS) and min(halves.values()) >= 0.3 * len(part)


def test_nisba_groups_are_in_the_query_set_with_their_halves():
    from search.evaluation.nisba_groups import NISBA_GROUPS, nisba_groups

    qs = load_query_set()
    assert qs["nisba_groups"] == nisba_groups() and len(NISBA_GROUPS) >= 30
    assert set(Counter(g["split"] for g in qs["nisba_groups"])) == set(SPLITS)
    for g in qs["nisba_groups"]:
        assert g["split"] == split_of(group_key(g)) and g["name"].startswith("nisba:")


def test_split_is_stable_and_balanced():
    assert split_of("ki:AL-sport-1") == split_of("ki:AL-sport-1")
    halves = Counter(split_of(f"key-{i}") for i in range(2000))
    assert set(halves) == {"dev", "test"} and 900 <= halves["dev"] <= 1100


@pytest.mark.parametrize("a,b", [("ترامب", "ترمب"), ("غوغل", "جوجل"), ("الفلبين", "فيليبين"),
                                 ("مالطا", "مالطه"), ("هولاند", "اولاند"), ("بطرسبرغ", "بطرسبورغ")])
def test_skeleton_joins_spellings_of_a_name(a, b):
    assert skeleton(canon(a)) == skeleton(canon(b))


def test_skeleton_keeps_other_consonants_apart():
    assert skeleton(canon("ترامب")) != skeleton(canon("ترحيب"))
    assert skeleton(canon("موسكو")) != skeleton(canon("مسقط"))


def test_required_ids_cover_targets_and_support():
    qs = load_query_set()
    ids = required_ids(qs, support=2)
    assert len(ids) == len(set(ids))
    assert {it["target"] for it in qs["known_items"]} <= set(ids)
    assert qs["spelling_groups"][0]["spellings"][1]["doc_ids"][0] in ids
    assert qs["must_not_merge"][0]["b_only_ids"][0] in ids
    assert qs["skeleton_pairs"][0]["a_only_ids"][0] in ids
    assert qs["latin_names"][0]["doc_ids"][0] in ids


def test_subset_adds_targets_after_the_draw():
    docs = [Doc(id=f"d{i:03d}", title="t", body="b", date="2018-01-01", source_id="s", category="c")
            for i in range(100)]
    qs = {"known_items": [{"target": "d099"}], "spelling_groups": [
        {"name": "x", "spellings": [{"doc_ids": ["d001", "d002"]}]}]}
    assert support_ids(qs, support=1) == ["d001"]
    base = select_subset(docs, 10, ["d001"], seed=0)
    sub = evaluation_subset(docs, qs, 10, seed=0, support=1)
    ids = [d.id for d in sub]
    # the draw is the one without the target; the target comes on top when it was left out
    assert set(d.id for d in base) <= set(ids) and "d099" in ids and ids == sorted(ids)
    assert len(ids) == 10 + ("d099" not in {d.id for d in base})


