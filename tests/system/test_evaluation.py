"""The search-quality evaluation end to end (search/evaluation, evaluate_search, build_eval_set):
synthetic articles, the commands, the real corpus and the service's ranking. The pure parts
are in tests/unit/test_evaluation_parts.py."""
import gzip
import io
import json
import random

import pytest
from django.core.management import CommandError, call_command

from search.evaluation.corpus import Doc, corpus_available, load_corpus
from search.evaluation.engines import ENGINE_ORDER
from search.evaluation.perturb import KINDS
from search.evaluation.runner import (
    DEFAULT_QUERY_SET,
    EvalConfig,
    ci_failures,
    failing_examples,
    format_table,
    goal_failures,
    run_evaluation,
)
from search.evaluation.split import (
    SPLITS,
)

# --- end to end --------------------------------------------------------------------------------------------

_WORDS = (
    "اجتماع وزراء الخارجية العرب في القاهرة لبحث الأزمة الاقتصادية والسياسية المتصاعدة "
    "أعلنت الحكومة خطة جديدة لدعم المزارعين وتحسين شبكة الطرق في المحافظات الجنوبية "
    "فاز المنتخب الوطني بالمباراة الودية أمام ضيفه بهدفين نظيفين على الملعب الرئيسي "
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار تخفيض الإنتاج وتراجع المخزون"
).split()


def _synthetic_docs(n=300):
    rng = random.Random(7)
    docs = []
    specials = {
        0: ("قمة ترامب في سنغافورة", "التقى الرئيس ترامب بالزعيم الكوري."),
        1: ("لقاء ترمب مع الحلفاء", "قال الرئيس ترمب إن اللقاء كان مثمرا."),
        2: ("تصريحات جديدة", "علق ترمب على الأخبار."),
        3: ("احتفال الجامعة بالخريجين", "نظمت الجامعة حفلا كبيرا للطلاب المتفوقين."),
        4: ("صلاة في الجامع الكبير", "امتلأ الجامع بالمصلين يوم العيد."),
        5: ("الجامع القديم", "رمم الجامع بعد سنوات."),
        6: ("مكتبة الإسكندرية تستقبل الزوار", "افتتحت مكتبة الإسكندرية جناحا للمخطوطات النادرة."),
        7: ("زيارة بوتين", "وصل الرئيس بوتين إلى المدينة."),
        8: ("صحة القلب", "يضخ البطين الأيسر الدم."),
    }
    for i in range(n):
        if i in specials:
            title, body = specials[i]
        else:
            title = " ".join(rng.sample(_WORDS, 5))
            body = " ".join(rng.choice(_WORDS) for _ in range(60))
        docs.append(Doc(id=f"SYN-{i:04d}", title=title, body=body, date="2018-03-01",
                        source_id=("alpha", "beta", "gamma")[i % 3], category=("x", "y")[i % 2]))
    return docs


def _synthetic_query_set():
    return {
        "version": 1,
        "kinds": list(KINDS),
        "known_items": [
            {"id": "ki-001", "kind": "plain", "query": "مكتبة الإسكندرية", "original": "مكتبة الإسكندرية",
             "target": "SYN-0006", "title": "", "rewrites": []},
            {"id": "ki-002", "kind": "tatweel", "query": "مكتبـــة الإسكندرية", "original": "مكتبة الإسكندرية",
             "target": "SYN-0006", "title": "", "rewrites": [{"kind": "tatweel", "from": "مكتبة", "to": "مكتبـــة"}]},
            {"id": "ki-003", "kind": "hamza", "query": "مكتبة الاسكندرية", "original": "مكتبة الإسكندرية",
             "target": "SYN-0006", "title": "", "rewrites": [{"kind": "hamza", "from": "الإسكندرية", "to": "الاسكندرية"}]},
            {"id": "ki-004", "kind": "ta_marbuta", "query": "احتفال الجامعه", "original": "احتفال الجامعة",
             "target": "SYN-0003", "title": "", "rewrites": [{"kind": "ta_marbuta", "from": "الجامعة", "to": "الجامعه"}]},
        ],
        "spelling_groups": [
            {"name": "Trump", "spellings": [
                {"text": "ترامب", "canonical": "ترامب", "doc_count": 1, "doc_ids": ["SYN-0000"]},
                {"text": "ترمب", "canonical": "ترمب", "doc_count": 2, "doc_ids": ["SYN-0001", "SYN-0002"]},
            ]},
        ],
        "must_not_merge": [
            {"a": {"text": "الجامعة", "canonical": "الجامعه"}, "b": {"text": "الجامع", "canonical": "الجامع"},
             "meaning": "university / mosque", "light10_stem": "جامع", "a_only_count": 1, "b_only_count": 2,
             "a_only_ids": ["SYN-0003"], "b_only_ids": ["SYN-0004", "SYN-0005"]},
        ],
        "skeleton_pairs": [
            {"a": {"text": "بوتين", "canonical": "بوتين"}, "b": {"text": "بطين", "canonical": "بطين"},
             "meaning": "Putin / ventricle", "a_only_count": 1, "b_only_count": 1,
             "a_only_ids": ["SYN-0007"], "b_only_ids": ["SYN-0008"]},
        ],
        "latin_names": [
            {"latin": "Trump", "arabic": ["ترامب", "ترمب"], "doc_count": 3,
             "doc_ids": ["SYN-0000", "SYN-0001", "SYN-0002"]},
        ],
    }


def _check_table(table):
    header = table.splitlines()[1]
    for name in ENGINE_ORDER:
        assert name in header
    assert " dev " in table.splitlines()[2] and " test" in table.splitlines()[2]
    for row in ("known-item MRR@100", "known-item MRR@100 perturbed", "known-item MRR@100 controls (unperturbed)",
                "known-item Success@10", "spelling recall", "must-not-merge violation rate",
                "skeleton-close pairs: violation rate", "Latin-script names: recall",
                "Latin-script names: precision@100",
                "query latency median (ms)", "query latency p95 (ms)", "query analysis CPU p95 (ms)",
                "tatweel (n="):
        assert row in table, row


def test_end_to_end_on_synthetic_articles(tmp_path):
    qpath = tmp_path / "queries.json"
    qpath.write_text(json.dumps(_synthetic_query_set(), ensure_ascii=False), encoding="utf-8")
    results = run_evaluation(EvalConfig(size=300, jobs=1, query_set=str(qpath), docs=_synthetic_docs()),
                             log=lambda _m: None)
    table = format_table(results)
    _check_table(table)
    eng = results["engines"]
    assert list(eng) == list(ENGINE_ORDER)
    assert results["subset"]["articles"] == 300
    # the plain known item is found by everyone; tatweel breaks the stock analyzer only
    for name in ENGINE_ORDER:
        assert eng[name]["metrics"]["per_kind"]["plain"]["mrr"] == 1.0
    assert eng["stock-haystack"]["metrics"]["per_kind"]["tatweel"]["mrr"] == 0.0
    assert eng["norm-only"]["metrics"]["per_kind"]["tatweel"]["mrr"] == 1.0
    # Light10 merges «الجامعة» and «الجامع»; normalization alone does not
    assert eng["light10"]["metrics"]["violation_rate"] == 1.0
    assert eng["norm-only"]["metrics"]["violation_rate"] == 0.0
    assert eng["norm-only"]["metrics"]["own_recall"] == 1.0
    # nobody without name expansion finds «ترمب» for «ترامب»
    assert eng["norm-only"]["metrics"]["spelling_recall"] == 0.0
    assert results["ci_failures"] == ci_failures(results)
    assert results["goal_failures"] == goal_failures(results)
    # the skeleton pair: nobody merges «بوتين» with «بطين» here; the stemmers find «البطين» for
    # «بطين», the engines without stemming do not
    for name in ENGINE_ORDER:
        m = eng[name]["metrics"]
        assert m["skeleton_violation_rate"] == 0.0, name
        assert m["skeleton_own_recall"] == (1.0 if name in ("light10", "ours") else 0.5), name
    # Latin letters find no Arabic article in the baselines (an empty answer: precision 0)
    for name in ("plain-bm25", "norm-only", "light10"):
        assert eng[name]["metrics"]["latin_recall"] == 0.0
        assert eng[name]["metrics"]["latin_precision_100"] == 0.0
    # per split: the known items of ki-001..4 all target SYN-0006 / SYN-0003; the halves add up
    splits = eng["norm-only"]["splits"]
    assert sum(splits[sp]["n"] for sp in SPLITS) == results["subset"]["known_items"]
    # the unperturbed control is found by plain BM25; a perturbed word is not
    assert eng["plain-bm25"]["metrics"]["mrr_controls"] == 1.0
    assert eng["plain-bm25"]["metrics"]["per_kind"]["hamza"]["mrr"] == 0.0
    # failing examples never show the test half
    text = failing_examples(results, engine="light10")
    assert "dev half" in text
    # analysis is also timed in CPU time of the thread (robust to a loaded machine)
    for name in ENGINE_ORDER:
        m = eng[name]["metrics"]
        assert 0 <= m["analysis_cpu_median_ms"] <= m["analysis_cpu_p95_ms"]
        assert len(eng[name]["details"]["analysis_cpu_ms"]) == results["subset"]["known_items"]


def _write_corpus(folder, docs):
    for i, name in enumerate(("articles.jsonl.gz", "saudinewsnet.jsonl.gz")):
        with gzip.open(folder / name, "wt", encoding="utf-8") as fh:
            for d in docs[i::2]:
                fh.write(json.dumps({"id": d.id, "title": d.title, "body": d.body, "date": d.date,
                                     "source_id": d.source_id, "category": d.category}, ensure_ascii=False) + "\n")


def test_command_ci_mode_prints_the_table(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_corpus(corpus, _synthetic_docs())
    qpath = tmp_path / "queries.json"
    qpath.write_text(json.dumps(_synthetic_query_set(), ensure_ascii=False), encoding="utf-8")
    out_json = tmp_path / "results.json"
    out = io.StringIO()
    args = ["--ci", "--size", "300", "--jobs", "1", "--corpus", str(corpus), "--queries", str(qpath),
            "--json", str(out_json), "--verbosity", "0"]
    try:
        call_command("evaluate_search", *args, stdout=out, stderr=io.StringIO())
        failed = False
    except CommandError:
        failed = True
    text = out.getvalue()
    _check_table(text)
    saved = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(saved["engines"]) == set(ENGINE_ORDER)
    # the exit status follows the CI rule, and the reasons are printed
    assert failed == bool(saved["ci_failures"])
    if failed:
        assert "CI: ours is worse than a baseline on:" in text
        for reason in saved["ci_failures"]:
            assert reason in text
    else:
        assert "CI: ours is at least as good" in text


def test_command_refuses_a_missing_corpus(tmp_path):
    with pytest.raises(CommandError, match="corpus is not at"):
        call_command("evaluate_search", "--ci", "--corpus", str(tmp_path / "nowhere"))


@pytest.mark.corpus
@pytest.mark.sqlite_only
def test_end_to_end_on_the_corpus():
    if not corpus_available():
        pytest.skip("../shared/corpus is absent: the corpus end-to-end run needs it (ARCHIVE_CORPUS_DIR)")
    docs = load_corpus()
    results = run_evaluation(
        EvalConfig(size=300, jobs=1, per_kind=3, max_groups=4, max_pairs=4, support=2, docs=docs),
        log=lambda _m: None,
    )
    _check_table(format_table(results))
    sub = results["subset"]
    # the draw around the support articles, plus the targets it left out
    assert 300 <= sub["articles"] <= 300 + sub["known_items"] and sub["known_items"] == 3 * len(KINDS)
    assert sub["spelling_queries"] >= 4 and sub["must_not_merge_queries"] >= 4
    for name in ENGINE_ORDER:
        m = results["engines"][name]["metrics"]
        assert m["per_kind"]["plain"]["success_10"] == 1.0, name  # plain headline words find their article
        assert m["latency_median_ms"] is not None
    assert results["engines"]["light10"]["metrics"]["violation_rate"] == 1.0
    assert DEFAULT_QUERY_SET.is_file()


@pytest.mark.django_db
def test_ours_engine_ranks_like_the_service(search_seeded):
    """The evaluator's "ours" is the page/API search path (search.service.run_search)."""
    from search.engine.adapter import get_backend
    from search.evaluation.engines import OursEngine
    from search.service import parse_search_params, run_search

    queries = ["بوتين", "والكرملين", "لموسكو", "الرئيس الروسي", "روسيا OR أوكرانيا", '"فلاديمير بوتين"',
               "بُوتِين", "مستوى", "فاجنر"]
    expected = {}
    for q in queries:
        result = run_search(parse_search_params({"q": q, "sort": "relevance", "page_size": "100"}))
        expected[q] = [hit.id for hit in result.hits]
    assert any(expected.values())
    engine = OursEngine("unused")
    with get_backend().view() as view:
        engine.attach(view)
        for q in queries:
            assert engine.ranked_pks(q, 100) == expected[q], q


def test_plain_bm25_analyzer_keeps_words_as_written():
    from search.evaluation.engines import plain_analyzer

    words = [t.text for t in plain_analyzer()("قالَ المُـدير، ووزارة Trump!")]
    assert words == ["قالَ", "المُـدير", "ووزارة", "trump"]
