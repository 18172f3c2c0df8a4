"""Search quality on the seeds (real index), the API/page expansions and the
NameVariant admin. The evaluation's --ci gate on the corpus is tests/system/test_quality.py."""
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from search.service import parse_search_params, run_search


def _origins(q):
    result = run_search(parse_search_params({"q": q, "page_size": "100"}))
    return {h.origin.split("_")[0].split(".")[0][:3] for h in result.hits}, result


@pytest.mark.django_db
def test_wagner_finds_both_spellings(search_seeded):
    found, result = _origins("فاغنر")
    assert {"000", "002"} <= found, found
    assert any(e["word"] == "فاغنر" and "فاجنر" in e["variants"] for e in result.expansions)


@pytest.mark.django_db
def test_blinken_and_prigozhin(search_seeded):
    assert {"001", "002"} <= _origins("بلينكن")[0]
    assert "002" in _origins("بريغوزين")[0]


@pytest.mark.django_db
def test_mali_does_not_match_north_or_somali(search_seeded):
    found, _ = _origins("مالي")
    assert "003" not in found and "004" not in found, found


@pytest.mark.django_db
def test_quoting_disables_expansion(search_seeded):
    found, result = _origins('"فاغنر"')
    assert result.expansions == []
    assert "002" not in found


@pytest.mark.django_db
def test_api_and_partial_show_expansions(client, search_seeded):
    data = client.get(reverse("api_search"), {"q": "فاغنر"}).json()
    assert {"word": "فاغنر", "variants": ["فاجنر"]} in data["expansions"] or any(
        e["word"] == "فاغنر" and "فاجنر" in e["variants"] for e in data["expansions"])
    request = RequestFactory().get("/search/", {"q": "فاغنر <b>"})
    html = render_to_string("partials/expansions.html", {
        "expansions": [{"word": "فاغنر<b>", "variants": ["فاجنر"], "quoted": '"فاغنر<b>"'}],
        "request": request,
    })
    assert "وجدنا أيضاً" in html and "فاجنر" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "q=%22" in html


@pytest.mark.django_db
def test_admin_name_variant_takes_effect_without_restart(admin_client, search_seeded):
    from search.models import NameVariant

    assert not any("بوتين" == e["word"] for e in _origins("بوتين")[1].expansions)
    response = admin_client.post(reverse("admin:search_namevariant_add"),
                                 {"canonical": "بوتين", "spelling": "فاجنر"})
    assert response.status_code == 302, response.content[:500]
    assert NameVariant.objects.count() == 1
    _found, result = _origins("بوتين")
    assert any(e["word"] == "بوتين" and "فاجنر" in e["variants"] for e in result.expansions)
    NameVariant.objects.all().delete()
    assert not any(e["word"] == "بوتين" for e in _origins("بوتين")[1].expansions)


def _pks(q):
    result = run_search(parse_search_params({"q": q, "page_size": "100"}))
    return {h.id for h in result.hits}, result


@pytest.mark.django_db
def test_vocabulary_licensed_proclitic_split(search_index, make_article):
    # «وتواجه» is rarer than «تواجه» and never takes the article: و + «تواجه»
    plain = [make_article(title="خبر", body=f"الحكومة تواجه أزمة رقم {i}") for i in range(3)]
    joined = make_article(title="خبر", body="وتواجه البلاد أزمة")
    # «فكرة» is a noun of its own («الفكرة» is indexed): never ف + «كرة»
    ball = [make_article(title="رياضة", body=f"مباراة كرة القدم رقم {i}") for i in range(3)]
    idea = make_article(title="رأي", body="فكرة جديدة")
    the_idea = make_article(title="رأي", body="الفكرة الجديدة")
    search_index.build()
    found, _ = _pks("وتواجه")
    assert {a.pk for a in plain} | {joined.pk} <= found
    found, _ = _pks("فكرة")
    assert {idea.pk, the_idea.pk} <= found
    assert not found & {a.pk for a in ball}


@pytest.mark.django_db
def test_name_without_article_and_no_implausible_spellings(search_index, make_article):
    algeria = make_article(title="خبر", body="زار الرئيس الجزائر أمس")
    putin = [make_article(title="خبر", body=f"قال بوتين اليوم {i}") for i in range(2)]
    putn = make_article(title="خبر", body="قال بوتن اليوم")
    other = [make_article(title="علوم", body="غاز بوتان في المصنع"),
             make_article(title="علوم", body="بطون خاوية")]
    search_index.build()
    assert algeria.pk in _pks("جزائر")[0]
    found, result = _pks("بوتين")
    assert {a.pk for a in putin} | {putn.pk} <= found
    assert not found & {a.pk for a in other}, result.expansions


@pytest.mark.django_db
def test_brand_spellings_written_with_the_article(search_index, make_article):
    bare = [make_article(title="تقنية", body=f"أعلن فيسبوك اليوم {i}") for i in range(4)]
    other = [make_article(title="تقنية", body="حساب على الفايسبوك"),
             make_article(title="تقنية", body="نشر على الفايسبوك"),
             make_article(title="تقنية", body="أعلن فايسبوك")]
    search_index.build()
    assert {a.pk for a in other} <= _pks("فيسبوك")[0]
    assert {a.pk for a in bare} <= _pks("فايسبوك")[0]
