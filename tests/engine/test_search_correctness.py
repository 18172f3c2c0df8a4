"""The fast engine (term-at-a-time BM25F over cached postings arrays, facet
bincounts, cached filter masks) gives exactly what Whoosh's own exhaustive
scoring and the database say."""
import random
from datetime import date, timedelta

import pytest

from archive.models import Article, ArticleCountry
from search.query import parse_query
from search.service import parse_search_params, run_search

# Each test builds an index of a few hundred generated articles: slow (make test runs them).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VOCAB = (
    "روسيا أوكرانيا بوتين الكرملين موسكو كييف الحرب السلام مفاوضات عقوبات اقتصاد نفط غاز "
    "الصين أمريكا أوروبا الناتو الأمم المتحدة مجلس الأمن قمة رئيس وزير حكومة برلمان انتخابات"
).split()
QUERIES = ["روسيا", "روسيا أوكرانيا", "بوتين الكرملين موسكو", "نفط غاز", "الحرب -السلام",
           "روسيا OR الصين", '"مجلس الأمن"', '"الأمم المتحدة" قمة', "(نفط OR غاز) -عقوبات"]


@pytest.fixture
def corpus(search_seeded):
    rng = random.Random(7)
    source = Article.objects.exclude(source=None).first().source
    articles = []
    for i in range(300):
        words = rng.choices(VOCAB, weights=[1 / (k + 1) for k in range(len(VOCAB))], k=rng.randint(5, 300))
        articles.append(Article(
            title=" ".join(rng.sample(VOCAB, 4)), body=" ".join(words), raw_text="x", raw_checksum=str(i),
            origin=f"corr-{i}", fingerprint=f"corr-{i}", source=source if i % 3 else None,
            published=None if i % 17 == 0 else date(2022, 1, 1) + timedelta(days=rng.randint(0, 700)),
        ))
    created = Article.objects.bulk_create(articles)
    ArticleCountry.objects.bulk_create(
        [ArticleCountry(article=a, country_id=("RU", "UA", "SA")[i % 3], mentions=1)
         for i, a in enumerate(created) if i % 4])
    # two segments and a deletion, so offsets and deleted docs are exercised
    search_seeded.build()
    from search.indexing import index_articles

    Article.objects.filter(pk=created[5].pk).update(is_hidden=True)
    index_articles([a.pk for a in created[:40]])
    return search_seeded


def whoosh_exhaustive(view, q):
    """Whoosh's unlimited collector. For A ANDNOT B: Whoosh's scores of A minus
    Whoosh's matches of B (Whoosh's own AndNotMatcher keeps some documents
    that contain B, e.g. a seed with «عقوبات» for "(نفط OR غاز) -عقوبات")."""
    from whoosh import query as wq

    if isinstance(q, wq.AndNot):
        positive = whoosh_exhaustive(view, q.a)
        negative = whoosh_exhaustive(view, q.b)
        return {pk: s for pk, s in positive.items() if pk not in negative}
    results = view.searcher.search(q, limit=None, optimize=False)
    return {int(hit["django_id"]): hit.score for hit in results}


@pytest.mark.parametrize("text", QUERIES)
def test_scores_equal_whoosh_exhaustive_scores(corpus, text):
    with corpus.backend().view() as view:
        q = parse_query(text, doc_frequency=view.exact_df, vocabulary=view.vocabulary).query
        expected = whoosh_exhaustive(view, q)
        result = view.execute(q, limit=10**6)
    got = dict(result.hits)
    assert result.total == len(expected) > 0 or text.startswith('"')
    assert set(got) == set(expected)
    for pk, score in expected.items():
        assert got[pk] == pytest.approx(score, rel=1e-12, abs=1e-12)
    # the ranking is Whoosh's (ties broken by date then id)
    order = [pk for pk, _ in result.hits]
    scores = [got[pk] for pk in order]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("text", QUERIES[:6])
def test_page_one_is_exhaustive_top_k(corpus, text):
    with corpus.backend().view() as view:
        q = parse_query(text, doc_frequency=view.exact_df, vocabulary=view.vocabulary).query
        expected = sorted(whoosh_exhaustive(view, q).values(), reverse=True)
    for k in (1, 5, 10):
        result = run_search(parse_search_params({"q": text, "page_size": str(k)}))
        assert result.count == len(expected)
        assert [round(h.score, 9) for h in result.hits] == [round(s, 9) for s in expected[:k]]


def test_facet_counts_equal_filter_counts(corpus):
    base = run_search(parse_search_params({"q": "روسيا", "page_size": "1"}))
    assert base.facets["country"]
    for fv in base.facets["country"]:
        one = run_search(parse_search_params({"q": "روسيا", "country": fv.value, "page_size": "1"}))
        assert one.count == fv.count
    for fv in base.facets["month"][:5]:
        y, m = fv.value.split("-")
        last = (date(int(y), int(m), 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        one = run_search(parse_search_params({"q": "روسيا", "date_from": f"{y}-{m}-01",
                                              "date_to": last.isoformat(), "page_size": "1"}))
        assert one.count == fv.count


def test_filters_equal_database_truth(corpus):
    lo, hi = date(2022, 3, 1), date(2022, 9, 30)
    result = run_search(parse_search_params({
        "country": ["RU", "UA"], "date_from": lo.isoformat(), "date_to": hi.isoformat(),
        "page_size": "100"}))
    truth = set(Article.objects.filter(
        is_hidden=False, published__gte=lo, published__lte=hi, country_mentions__is_about=True,
        country_mentions__country_id__in=["RU", "UA"]).values_list("pk", flat=True))
    assert result.count == len(truth)
    named = set(Article.objects.filter(
        is_hidden=False, published__gte=lo, published__lte=hi,
        country_mentions__country_id__in=["RU", "UA"]).values_list("pk", flat=True))
    mentioned = run_search(parse_search_params({
        "country": ["RU", "UA"], "country_mode": "mentioned", "date_from": lo.isoformat(),
        "date_to": hi.isoformat()}))
    assert mentioned.count == len(named) >= len(truth)
    pages = -(-len(truth) // 100)
    seen = set()
    for page in range(1, pages + 1):
        r = run_search(parse_search_params({
            "country": ["RU", "UA"], "date_from": lo.isoformat(), "date_to": hi.isoformat(),
            "page_size": "100", "page": str(page)}))
        seen.update(h.id for h in r.hits)
    assert seen == truth


def test_incremental_update_is_visible_without_rebuild(corpus):
    from search.indexing import index_articles

    assert run_search(parse_search_params({"q": "زنجبيل"})).count == 0
    a = Article.objects.create(title="زنجبيل", body="زنجبيل طازج", raw_text="z", raw_checksum="z",
                               origin="corr-new", fingerprint="corr-new")
    index_articles([a.pk])
    assert [h.id for h in run_search(parse_search_params({"q": "زنجبيل"})).hits] == [a.pk]
    Article.objects.filter(pk=a.pk).update(body="قرفة", title="قرفة")
    index_articles([a.pk])
    assert run_search(parse_search_params({"q": "زنجبيل"})).count == 0
    assert run_search(parse_search_params({"q": "قرفة"})).count == 1
    Article.objects.filter(pk=a.pk).update(is_hidden=True)
    index_articles([a.pk])
    assert run_search(parse_search_params({"q": "قرفة"})).count == 0


# --- the native phrase/AndMaybe evaluation and the per-segment caches ------------------

PHRASE_QUERIES = ['"مجلس الأمن"', '"مجلس الأمن الدولي"', '"الأمم المتحدة" روسيا', '"روسيا روسيا"',
                  "مفاوضات السلام", '"السلام" -الحرب',
                  # a stopword inside: the words may be 1 or 2 positions apart (slop 2)
                  '"انسحاب من أوكرانيا"', '"روسيا في أوكرانيا الحرب"']


@pytest.fixture
def phrases(corpus):
    """Articles where the phrase words are adjacent, in the wrong order,
    apart or repeated (two more segments)."""
    source = Article.objects.exclude(source=None).first().source
    bodies = [
        "اجتمع مجلس الأمن الدولي أمس", "الأمن مجلس لا", "مجلس قال الأمن", "مجلس الأمن مجلس الأمن",
        "روسيا روسيا روسيا", "روسيا أوكرانيا روسيا", "الأمم المتحدة ومجلس الأمن",
        "مجلس", "الأمن الدولي", "ومجلس الأمن الدولي", "بمجلس الأمن", "السلام الحرب",
        "انسحاب من أوكرانيا", "انسحاب أوكرانيا", "انسحاب عن من أوكرانيا", "أوكرانيا من انسحاب",
        "روسيا في أوكرانيا الحرب", "روسيا أوكرانيا في الحرب", "روسيا في في أوكرانيا الحرب",
    ]
    made = Article.objects.bulk_create([
        Article(title="خبر", body=body, raw_text="x", raw_checksum=f"ph-{i}",
                origin=f"ph-{i}", fingerprint=f"ph-{i}", source=source, published=date(2023, 5, 1 + i))
        for i, body in enumerate(bodies)])
    from search.indexing import index_articles

    index_articles([a.pk for a in made[:6]])
    index_articles([a.pk for a in made[6:]])
    return corpus


@pytest.mark.parametrize("text", PHRASE_QUERIES)
def test_phrase_and_optional_clauses_equal_whoosh(phrases, text):
    from search.engine.snapshot import IndexView

    with phrases.backend().view() as view:
        q = parse_query(text, doc_frequency=view.exact_df, vocabulary=view.vocabulary).query
        expected = whoosh_exhaustive(view, q)
        view._scores.clear()
        result = view.execute(q, limit=10**6)
        # and the evaluation really was native (no Whoosh matcher), for phrases
        calls = []
        original = IndexView._eval_phrase

        def spy(self, *args):
            calls.append(args)
            return original(self, *args)

        IndexView._eval_phrase = spy
        try:
            view._scores.clear()
            view.execute(q, limit=10)
        finally:
            IndexView._eval_phrase = original
    got = dict(result.hits)
    assert result.total == len(expected) > 0
    assert set(got) == set(expected)
    for pk, score in expected.items():
        assert got[pk] == pytest.approx(score, rel=1e-12, abs=1e-12)
    assert bool(calls) == _has_phrase(q)


def _has_phrase(q):
    from whoosh import query as wq

    return isinstance(q, wq.Phrase) or any(_has_phrase(c) for c in q.children())


def test_phrase_needs_adjacent_words_in_order(phrases):
    with phrases.backend().view() as view:
        q = parse_query('"مجلس الأمن"', doc_frequency=view.exact_df, vocabulary=view.vocabulary).query
        pks = {pk for pk, _ in view.execute(q, limit=10**6).hits}
    bodies = dict(Article.objects.filter(pk__in=pks).values_list("pk", "body"))
    assert "الأمن مجلس لا" not in bodies.values() and "مجلس قال الأمن" not in bodies.values()
    assert {"اجتمع مجلس الأمن الدولي أمس", "مجلس الأمن مجلس الأمن"} <= set(bodies.values())


def test_phrase_with_a_stopword_allows_its_gap_only(phrases):
    """«من» is not indexed but keeps its position: the words may be one or
    two positions apart, in order, never three."""
    with phrases.backend().view() as view:
        q = parse_query('"انسحاب من أوكرانيا"', doc_frequency=view.exact_df, vocabulary=view.vocabulary).query
        pks = {pk for pk, _ in view.execute(q, limit=10**6).hits}
    bodies = set(Article.objects.filter(pk__in=pks).values_list("body", flat=True))
    assert {"انسحاب من أوكرانيا", "انسحاب أوكرانيا"} <= bodies
    assert not bodies & {"انسحاب عن من أوكرانيا", "أوكرانيا من انسحاب"}


def test_segment_positions_equal_whoosh_decoding(phrases):
    """The cached per-segment positions of every term of the text fields are
    exactly what Whoosh's own matcher decodes, document by document."""
    from search.engine.segments import segment_positions as _segment_positions

    checked = 0
    with phrases.backend().view() as view:
        for sub, _offset in view.reader.leaf_readers():
            for fieldname in ("text", "text_exact", "title"):
                for term in sub.lexicon(fieldname):
                    docs, starts, positions = _segment_positions(sub, fieldname, term)
                    m = sub.postings(fieldname, term)
                    m = getattr(m, "child", m)
                    expected = {}
                    while m.is_active():
                        expected[m.id()] = m.value_as("positions")
                        m.next()
                    got = {int(d): positions[starts[i]:starts[i + 1]].tolist() for i, d in enumerate(docs)}
                    # deleted documents are kept (the live mask drops them)
                    assert all(sub.is_deleted(d) for d in set(got) - set(expected)), (fieldname, term)
                    assert {d: p for d, p in got.items() if d in expected} == expected, (fieldname, term)
                    checked += 1
    assert checked > 100


def test_segment_caches_survive_a_commit(phrases, monkeypatch):
    """After a commit only the new segment is read; older segments' postings,
    columns, lengths and facet values come from the process-wide cache."""
    import search.engine.segments as backend_mod

    q = parse_query("روسيا").query
    with phrases.backend().view() as view:
        old_segments = {backend_mod.segment_key(sub) for sub, _o in view.reader.leaf_readers()}
        view.execute(q, limit=10, facet_fields=("countries", "month"))
    built = []
    for name in ("segment_postings", "segment_pairs", "numeric_column", "length_bytes"):
        original = getattr(backend_mod, name)

        def spy(sub, *args, _original=original, _name=name):
            built.append((_name, backend_mod.segment_key(sub)))
            return _original(sub, *args)

        monkeypatch.setattr(backend_mod, name, spy)
    article = Article.objects.exclude(source=None).first()
    from search.indexing import index_articles

    Article.objects.filter(pk=article.pk).update(title="روسيا روسيا")
    index_articles([article.pk])
    with phrases.backend().view() as view:
        new_segments = {backend_mod.segment_key(sub) for sub, _o in view.reader.leaf_readers()}
        result = view.execute(q, limit=10**6, facet_fields=("countries", "month"))
        expected = whoosh_exhaustive(view, q)
    assert new_segments - old_segments, "the commit wrote a new segment"
    assert built and {key for _name, key in built} <= new_segments - old_segments
    assert {pk for pk, _ in result.hits} == set(expected)


def test_snippet_marks_equal_full_analysis():
    """The fast marker (analyzer only around folded matches) marks exactly
    the words the full analysis marks: diacritics, hamza and alef forms,
    ligatures, «لل» + name, Latin case, line breaks."""
    from search.analysis import analyze
    from search.highlight import term_marks as _marks

    texts = [
        "قالت روسيا إن وزير خارجيةِ رُوسيا زار موسكو، وقال للكرملين إن الرّوسيّة",
        "أعلنت المملكة العربية السعودية\nوالسعوديّة اليوم ﷺ ﻻ روسيا",
        "NATO and Nato met in Brussels; الناتو وحلف الناتو",
        "مجلس الأمن الدولي ومجلس الأمن مسؤول ومسئول الشؤون",
        "",
    ]
    queries = ["روسيا", "السعودية", "nato", "مجلس الأمن", "مسؤول", "الكرملين", "الرئيس"]
    for query in queries:
        terms = parse_query(query).terms
        for text in texts:
            full = [(t.start, t.end, t.text) for t in analyze(text) if t.text in terms]
            assert _marks(text, terms) == full, (query, text)
