"""The Whoosh schema, facet buckets and haystack compatibility."""
from datetime import date

import pytest
from django.core.management import call_command
from whoosh.fields import ID as WhooshID
from whoosh.fields import KEYWORD, NUMERIC, TEXT

from archive.models import Article, Country, Source, Topic
from search.service import parse_search_params, run_search

pytestmark = pytest.mark.django_db


def search(**params):
    data = {"page_size": "100"}
    data.update(params)
    return run_search(parse_search_params(data))


def test_schema_field_types(search_index):
    from search.analysis.whoosh_glue import ArabicStemFilter

    schema = search_index.backend().schema
    assert isinstance(schema["text"], TEXT) and isinstance(schema["title"], TEXT)
    assert isinstance(schema["text_exact"], TEXT)
    stems = lambda f: any(isinstance(x, ArabicStemFilter) for x in schema[f].analyzer.items)  # noqa: E731
    assert stems("text") and stems("title") and not stems("text_exact")
    assert schema["title"].format.field_boost > 1
    for name in ("source", "year", "month"):
        assert isinstance(schema[name], WhooshID)
    for name in ("countries", "topics"):
        assert isinstance(schema[name], KEYWORD)
    assert isinstance(schema["day"], NUMERIC) and schema["day"].sortable_typecode
    # only ids are stored
    assert not schema["text"].stored and not schema["title"].stored


def test_multi_word_facet_values_stay_one_bucket(search_index, make_article):
    Topic.objects.create(slug="middle-east-test", name_ar="الشرق الأوسط")
    source = Source.objects.create(name="الشرق الأوسط", slug="asharq-alawsat-test")
    Country.objects.filter(code="SA").exists() or Country.objects.create(code="SA", name_ar="السعودية", name_en="Saudi Arabia")
    a = make_article(title="الشرق الأوسط اليوم", body="تقرير عن الشرق الأوسط.", source=source,
                     published=date(2023, 6, 24), countries=["SA"], topics=["middle-east-test"])
    make_article(title="خبر آخر", body="نص آخر عن الشرق الأوسط.", source=source, published=date(2023, 7, 1),
                 topics=["middle-east-test"])
    search_index.build()
    result = search()
    topics = {f.value: f for f in result.facets["topic"]}
    sources = {f.value: f for f in result.facets["source"]}
    assert topics["middle-east-test"].count == 2 and topics["middle-east-test"].label == "الشرق الأوسط"
    assert sources["asharq-alawsat-test"].count == 2 and sources["asharq-alawsat-test"].label == "الشرق الأوسط"
    assert len(result.facets["source"]) == 1
    assert {f.value for f in result.facets["month"]} == {"2023-06", "2023-07"}
    assert [f.label for f in result.facets["month"]] == ["يونيو 2023", "يوليو 2023"]
    with search_index.backend().view() as view:
        assert set(view.term_sets("source")) == {"asharq-alawsat-test"}
        assert set(view.term_sets("topics")) == {"middle-east-test"}
        assert set(view.term_sets("countries")) == {"SA"}
        assert set(view.term_sets("year")) == {"2023"}
    assert {h.id for h in search(topic="middle-east-test").hits} >= {a.pk}


def test_haystack_rebuild_and_update_index_commands(seeded, search_index):
    visible = Article.objects.filter(is_hidden=False).count()
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert search_index.doc_count() == visible
    call_command("update_index", verbosity=0)
    assert search_index.doc_count() == visible
    hidden = Article.objects.first()
    hidden.is_hidden = True
    hidden.save()
    call_command("update_index", remove=True, verbosity=0)
    assert search_index.doc_count() == visible - 1
    call_command("clear_index", interactive=False, verbosity=0)
    assert search_index.doc_count() == 0


def test_rebuild_search_index_command(seeded, search_index):
    call_command("rebuild_search_index", verbosity=0)
    n = Article.objects.filter(is_hidden=False).count()
    assert search_index.doc_count() == n
    call_command("rebuild_search_index", if_needed=True, verbosity=0)
    assert search_index.doc_count() == n


def test_haystack_searchqueryset(search_seeded):
    from haystack.query import SearchQuerySet

    expected = search(q="بوتين").count
    sqs = SearchQuerySet().auto_query("بُوتِين")
    assert sqs.count() == expected
    assert {int(r.pk) for r in sqs} == {h.id for h in search(q="بوتين").hits}
    facets = SearchQuerySet().facet("source").facet_counts()
    assert sum(n for _, n in facets["fields"]["source"]) == Article.objects.exclude(source=None).count()
    assert SearchQuerySet().all().count() == Article.objects.filter(is_hidden=False).count()
    newest = [int(r.pk) for r in SearchQuerySet().all().order_by("-published")]
    assert newest == [h.id for h in search().hits]
    highlighted = SearchQuerySet().auto_query("بوتين").highlight()[0]
    assert "<mark>" in highlighted.highlighted["text"][0]
    assert SearchQuerySet().more_like_this(Article.objects.first()).count() > 0
