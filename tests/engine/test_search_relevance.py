"""Relevance and facets on the seed articles (real Whoosh index in tmp_path)."""
import calendar
from datetime import date

import pytest

from archive.models import Article
from search.analysis import normalize
from search.service import parse_search_params, run_search

pytestmark = pytest.mark.django_db


def search(**params):
    data = {"page_size": "100"}
    data.update(params)
    return run_search(parse_search_params(data))


def ids(q="", **params):
    return {h.id for h in search(q=q, **params).hits}


def norm_text(article):
    return " ".join(normalize(f"{article.title}\n{article.body}").split())


@pytest.mark.parametrize(
    "plain, variant",
    [
        ("بوتين", "بُوتِين"),  # diacritics
        ("بوتين", "بوتيـــن"),  # tatweel
        ("روسيا", "روسيـا"),
        ("الروسية", "الروسيه"),  # teh marbuta / heh
        ("أوكرانيا", "اوكرانيا"),  # hamza forms
        ("أوكرانيا", "إوكرانيا"),
        ("الكرملين", "والكرملين"),  # clitics
        ("الكرملين", "بالكرملين"),
        ("الكرملين", "للكرملين"),
        ("الرئيس", "والرئيس"),
        ("موسكو", "لموسكو"),
        ("روسيا", "وروسيا"),
        ("روسيا", "بروسيا"),
        ("بوتين", "وبوتين"),
        ("مينسك", "مينسك"),
    ],
)
def test_variants_find_the_same_articles(search_seeded, plain, variant):
    found = ids(plain)
    assert found, plain
    assert ids(variant) == found


def test_alef_maqsura_and_yeh(search_seeded):
    # «على»/«علي» and «مستوى»/«مستوي» are the same term after folding.
    assert ids("مستوى") == ids("مستوي")


def test_words_are_anded(search_seeded):
    a, b = ids("بوتين"), ids("مينسك")
    assert ids("بوتين مينسك") == a & b
    assert a & b and a - b


def test_or(search_seeded):
    a, b = ids("مينسك"), ids("فاجنر")
    assert a and b and a != b
    assert ids("مينسك OR فاجنر") == a | b


def test_exclusion(search_seeded):
    a, b = ids("بوتين"), ids("مينسك")
    assert ids("بوتين -مينسك") == a - b
    assert ids("بوتين -مينسك") != a


def test_phrase(search_seeded):
    both = ids("فلاديمير بوتين")
    phrase = ids('"فلاديمير بوتين"')
    assert phrase and phrase <= both
    for article in Article.objects.filter(pk__in=phrase):
        assert "فلاديمير بوتين" in norm_text(article)
    # the same words in the other order are not the phrase
    reversed_phrase = ids('"بوتين فلاديمير"')
    for article in Article.objects.filter(pk__in=reversed_phrase):
        assert "بوتين فلاديمير" in norm_text(article)
    assert reversed_phrase != phrase


def test_phrase_across_a_stopword(search_seeded, make_article):
    article = make_article(title="خبر", body="التقى وزير الخارجية في لبنان نظيره أمس.")
    search_seeded.build()
    assert article.pk in ids('"وزير الخارجية في لبنان"')
    assert article.pk in ids("«وزير الخارجية في لبنان»")
    assert article.pk not in ids('"لبنان وزير الخارجية"')


def test_title_is_boosted(search_seeded, make_article):
    in_title = make_article(title="زلزال مدمر", body="نص قصير عن حدث. " * 5)
    in_body = make_article(title="أخبار اليوم", body="نص قصير عن حدث زلزال. " + "نص قصير عن حدث. " * 4)
    search_seeded.build()
    hits = [h.id for h in search(q="زلزال").hits]
    assert hits.index(in_title.pk) < hits.index(in_body.pk)


def test_hidden_articles_are_not_searchable(search_seeded):
    article = Article.objects.order_by("pk").first()
    Article.objects.filter(pk=article.pk).update(is_hidden=True)
    search_seeded.build()
    assert article.pk not in ids()
    assert article.pk not in ids("بوتين")


def test_no_query_lists_everything_newest_first(search_seeded):
    result = search()
    expected = list(
        Article.objects.filter(is_hidden=False, published__isnull=False).order_by("-published", "-id")
        .values_list("pk", flat=True)
    ) + list(
        Article.objects.filter(is_hidden=False, published__isnull=True).order_by("-id").values_list("pk", flat=True)
    )
    assert [h.id for h in result.hits] == expected
    assert result.count == len(expected)
    oldest = search(sort="oldest")
    dated = [pk for pk in expected if Article.objects.get(pk=pk).published]
    assert [h.id for h in oldest.hits][: len(dated)] == list(reversed(dated))


def _month_range(value):
    year, month = (int(p) for p in value.split("-"))
    return date(year, month, 1).isoformat(), date(year, month, calendar.monthrange(year, month)[1]).isoformat()


FACET_PARAM = {"country": "country", "source": "source", "topic": "topic", "person": "person",
               "outlet_country": "outlet_country", "collection": "collection"}


@pytest.mark.parametrize("q", ["", "بوتين", "روسيا OR مينسك", "بوتين -مينسك"])
def test_each_facet_count_equals_the_filtered_count(search_seeded, q):
    base = search(q=q)
    assert base.count > 0
    checked = 0
    for name, values in base.facets.items():
        for facet in values:
            if name == "month":
                date_from, date_to = _month_range(facet.value)
                filtered = search(q=q, date_from=date_from, date_to=date_to)
            else:
                filtered = search(q=q, **{FACET_PARAM[name]: facet.value})
            assert filtered.count == facet.count, (name, facet.value)
            assert facet.count > 0
            checked += 1
    assert checked >= 5


def test_facet_counts_follow_other_filters(search_seeded):
    base = search(q="بوتين")
    country = base.facets["country"][0].value
    narrowed = search(q="بوتين", country=country)
    for name, values in narrowed.facets.items():
        for facet in values:
            if name == "country":
                # a facet's own selection is ignored for its counts
                alone = search(q="بوتين", country=facet.value)
                assert alone.count == facet.count
            elif name == "month":
                date_from, date_to = _month_range(facet.value)
                both = search(q="بوتين", country=country, date_from=date_from, date_to=date_to)
                assert both.count == facet.count
            else:
                both = search(q="بوتين", country=country, **{FACET_PARAM[name]: facet.value})
                assert both.count == facet.count


def test_multi_select_is_or_within_a_facet(search_seeded):
    countries = [f.value for f in search().facets["country"]]
    a, b = countries[0], countries[-1]
    assert ids(country=[a, b]) == ids(country=a) | ids(country=b)


def test_date_range_is_inclusive_and_drops_undated(search_seeded):
    dated = Article.objects.exclude(published=None).order_by("published")
    first = dated.first().published.isoformat()
    last = dated.last().published.isoformat()
    assert ids(date_from=first, date_to=last) == set(dated.values_list("pk", flat=True))
    assert ids(date_from=first, date_to=first) == set(
        dated.filter(published=dated.first().published).values_list("pk", flat=True)
    )
    assert ids(date_from=last) == set(dated.filter(published__gte=last).values_list("pk", flat=True))


def test_spelling_suggestion(search_seeded):
    result = search(q="بوتن")
    assert result.count == 0
    assert result.suggestion == "بوتين"
    assert search(q="بوتين").suggestion is None
    assert search(q="قزمخطربلوت").suggestion is None


def test_related_articles(search_seeded):
    from search.results import related_articles

    article = Article.objects.filter(title__contains="بيلاروسيا").first() or Article.objects.first()
    related = related_articles(article.pk, n=3)
    assert 0 < len(related) <= 3
    assert article.pk not in [h.id for h in related]
    assert all(h.url == f"/articles/{h.id}/" for h in related)


def test_highlight_functions_mark_words_as_written():
    from search.highlight import mark_text
    from search.results import query_highlight_html as highlight_html
    from search.results import query_terms as highlight_terms

    terms = highlight_terms("الكرملين روسيا -موسكو")
    html = mark_text("قال الكرملين إن روسيـا و<b>موسكو</b> والكرملين", terms)
    assert "<mark>الكرملين</mark>" in html
    assert "<mark>روسيـا</mark>" in html
    assert "<mark>والكرملين</mark>" in html
    assert "<mark>موسكو</mark>" not in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert highlight_html("نص", '"غير متوازن') == "نص"
