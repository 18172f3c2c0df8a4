"""People and outlet groups in search (issues 17 and 18): the ``person``,
``outlet_country`` and ``collection`` facets and filters on a real index, the
timeline's ``total``, the exports and the people pages."""
import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from archive.importing import retag_articles
from archive.models import Article, ArticlePerson, Collection, Person, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_archive(search_index, make_article):
    """Three outlets in two countries and one collection; articles naming
    Putin and Erdoğan, tagged by the real tagger (retag_articles), indexed.

    Saudi «الرياض» (in «gulf-press»): Putin ×2 (June, July), Erdoğan ×1 (June);
    Saudi «عكاظ» (not in the collection): Putin ×1 (June);
    British «بي بي سي»: Putin and Erdoğan together ×1 (July), one other (July).
    """
    riyadh = Source.objects.get(slug="alriyadh")
    okaz = Source.objects.get(slug="okaz")
    bbc = Source.objects.get(slug="bbc-arabic")
    gulf = Collection.objects.create(slug="test-gulf", name_ar="صحف خليجية للاختبار")
    gulf.sources.set([riyadh])
    june, july = dt.date(2023, 6, 5), dt.date(2023, 7, 9)
    rows = [
        (riyadh, june, "بوتين يلتقي وفدًا", "قال الرئيس الروسي فلاديمير بوتين إن بوتين مستعد."),
        (riyadh, july, "تصريحات بوتن", "أكد بوتن أن المحادثات مستمرة."),
        (riyadh, june, "أردوغان في أنقرة", "قال الرئيس التركي رجب طيب أردوغان إن..."),
        (okaz, june, "الكرملين: بوتين يسافر", "أعلن الكرملين أن بوتين يسافر غدًا."),
        (bbc, july, "بوتين وأردوغان", "التقى فلاديمير بوتين ورجب طيب أردوغان في سوتشي."),
        (bbc, july, "الطقس في لندن", "أمطار غزيرة في لندن، وزئير الأسد في حديقة الحيوان."),
    ]
    for source, day, title, body in rows:
        make_article(title=title, body=body, source=source, published=day)
    retag_articles(Article.objects.all())
    search_index.build()
    return {"riyadh": riyadh, "okaz": okaz, "bbc": bbc, "collection": gulf}


def api(client, **params):
    return client.get(reverse("api_search"), params)


def facet(data, name):
    return {f["value"]: f for f in data["facets"][name]}


def test_retag_tags_people(people_archive):
    putin = Person.objects.get(slug="vladimir-putin")
    assert ArticlePerson.objects.filter(person=putin).count() == 4
    first = Article.objects.get(title="بوتين يلتقي وفدًا")
    assert ArticlePerson.objects.get(article=first, person=putin).mentions == 3  # title, full name, surname
    assert not ArticlePerson.objects.filter(article__title="الطقس في لندن").exists()  # «الأسد» alone


def test_person_facet_contract(client, people_archive):
    data = api(client, q="").json()
    people = facet(data, "person")
    assert people["vladimir-putin"] == {"value": "vladimir-putin", "label": "فلاديمير بوتين", "count": 4}
    assert people["recep-tayyip-erdogan"]["count"] == 2
    assert set(facet(data, "outlet_country")) >= {"SA", "GB"}
    assert facet(data, "outlet_country")["GB"]["label"] == "المملكة المتحدة"
    assert facet(data, "collection")["test-gulf"] == {"value": "test-gulf", "label": "صحف خليجية للاختبار",
                                                      "count": 3}


def test_person_filter(client, people_archive):
    data = api(client, person="vladimir-putin").json()
    assert data["count"] == 4
    assert {r["title"] for r in data["results"]} == {"بوتين يلتقي وفدًا", "تصريحات بوتن", "الكرملين: بوتين يسافر",
                                                      "بوتين وأردوغان"}
    # values of one filter are ORed, filters ANDed; a facet ignores its own selection
    data = api(client, person=["vladimir-putin", "recep-tayyip-erdogan"]).json()
    assert data["count"] == 5
    data = api(client, person="vladimir-putin", outlet_country="GB").json()
    assert data["count"] == 1
    assert facet(data, "person")["recep-tayyip-erdogan"]["count"] == 1
    assert facet(data, "outlet_country")["SA"]["count"] == 3  # own selection ignored


def test_outlet_country_and_collection_filters(client, people_archive):
    assert api(client, outlet_country="SA", q="بوتين").json()["count"] == 3
    data = api(client, collection="test-gulf").json()
    assert data["count"] == 3 and {r["source"]["slug"] for r in data["results"]} == {"alriyadh"}
    assert api(client, collection="test-gulf", outlet_country="GB").json()["count"] == 0


@pytest.mark.parametrize("params", [
    {"person": "nobody"}, {"person": "<b>"}, {"outlet_country": "sa"}, {"outlet_country": "ZZ"},
    {"collection": "nothing-here"},
])
def test_bad_values_are_400_in_arabic(client, people_archive, params):
    response = api(client, **params)
    assert response.status_code == 400
    page = client.get(reverse("search"), params)
    assert page.status_code == 400 and "<b>" not in page.content.decode()  # escaped on the page
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.json()["error"])


def test_admin_change_of_outlet_country_reaches_the_index(client, people_archive, search_index):
    okaz = people_archive["okaz"]
    okaz.country_id = "EG"
    okaz.save()
    search_index.drain()
    assert api(client, outlet_country="EG").json()["count"] == 1
    people_archive["collection"].sources.add(okaz)
    search_index.drain()
    assert api(client, collection="test-gulf").json()["count"] == 4


def timeline(client, **params):
    return {row["period"]: row for row in client.get(reverse("api_timeline"), params).json()["series"]}


def test_timeline_total_follows_outlet_filters_only(client, people_archive):
    every = Article.objects.filter(is_hidden=False, published__month=6, published__year=2023).count()
    # the person filter narrows the count, never the total
    series = timeline(client, person="vladimir-putin")
    assert series["2023-06-01"]["count"] == 2 and series["2023-06-01"]["total"] == every
    # the outlet country narrows both
    series = timeline(client, person="vladimir-putin", outlet_country="SA")
    assert series["2023-06-01"]["count"] == 2
    assert series["2023-06-01"]["total"] == 3  # الرياض ×2 + عكاظ in June
    assert series["2023-07-01"]["count"] == 1 and series["2023-07-01"]["total"] == 1
    # the collection too: only «الرياض»
    series = timeline(client, person="vladimir-putin", collection="test-gulf")
    assert series["2023-06-01"] == {"period": "2023-06-01", "count": 1, "total": 2, "share": 0.5}
    # a combination without outlets: nothing to count against
    assert timeline(client, outlet_country="GB", collection="test-gulf") == {}


def test_exports_carry_people_and_outlet_country(client, people_archive):
    response = client.get(reverse("search_export_csv"), {"person": "recep-tayyip-erdogan", "sort": "oldest"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {r["title"]: (r["person_slugs"], r["outlet_country"]) for r in rows} == {
        "أردوغان في أنقرة": ("recep-tayyip-erdogan", "SA"),
        "بوتين وأردوغان": ("recep-tayyip-erdogan;vladimir-putin", "GB"),
    }
    both = next(r for r in rows if r["title"] == "بوتين وأردوغان")
    assert set(both["people"].split("، ")) == {"رجب طيب أردوغان", "فلاديمير بوتين"}
    response = client.get(reverse("search_export_json"), {"person": "vladimir-putin", "outlet_country": "GB",
                                                         "collection": "test-gulf"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["filters"]["person"] == ["vladimir-putin"]
    assert data["filters"]["outlet_country"] == ["GB"] and data["filters"]["collection"] == ["test-gulf"]


def test_person_pages(client, people_archive):
    response = client.get(reverse("person_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("person_detail", args=["vladimir-putin"]) in html and "فلاديمير بوتين" in html
    response = client.get(reverse("person_detail", args=["vladimir-putin"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html or "dir='rtl'" in html or 'lang="ar"' in html
    for spelling in ("فلاديمير بوتين", "بوتن"):
        assert spelling in html
    assert response.context["count"] == 4
    assert [c.value for c in response.context["countries"]][:1] in (["RU"], ["TR"])  # co-mentioned countries
    assert response.context["timeline"] is not None
    assert len(response.context["latest"]) == 4
    assert client.get(reverse("person_detail", args=["vladimir-putin"]), {"measure": "share"}).status_code == 200
    assert client.get("/people/nobody/").status_code == 404


def test_results_page_links_person_facet(client, people_archive):
    html = client.get(reverse("search"), {"q": "بوتين"}).content.decode()
    assert 'name="person" value="vladimir-putin"' in html
    assert reverse("person_detail", args=["vladimir-putin"]) in html
    html = client.get(reverse("search"), {"person": "vladimir-putin"}).content.decode()
    assert "فلاديمير بوتين" in html and "الشخص" in html  # the active filter chip


def test_admin_edits_spellings_and_collections(client, people_archive):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "a-long-passphrase-123"))
    putin = Person.objects.get(slug="vladimir-putin")
    page = client.get(reverse("admin:archive_person_change", args=[putin.pk]))
    assert page.status_code == 200 and "بوتين" in page.content.decode() and "تهجئات ملتبسة" in page.content.decode()
    data = {"name_ar": putin.name_ar, "slug": putin.slug, "role": putin.role, "name_en": putin.name_en,
            "latin_names": putin.latin_names, "spellings": putin.spellings + "\nبوتينوف",
            "weak_spellings": "", "origin": putin.origin}
    response = client.post(reverse("admin:archive_person_change", args=[putin.pk]), data)
    assert response.status_code == 302
    assert "بوتينوف" in Person.objects.get(pk=putin.pk).spelling_list
    listing = client.get(reverse("admin:archive_person_changelist"), {"q": "بوتين"})
    assert listing.status_code == 200 and "فلاديمير بوتين" in listing.content.decode()
    collection = people_archive["collection"]
    page = client.get(reverse("admin:archive_collection_change", args=[collection.pk]))
    assert page.status_code == 200 and "الرياض" in page.content.decode()
    source = people_archive["bbc"]
    page = client.get(reverse("admin:archive_source_change", args=[source.pk]))
    assert page.status_code == 200 and 'name="country"' in page.content.decode()  # outlet country in the admin


def test_check_index_sees_people_missing_from_the_index(people_archive):
    from search.indexing.consistency import compare

    assert compare(deep=True).outdated == []
    article = Article.objects.get(title="الطقس في لندن")
    # a row written without signals (as an older index would lack it)
    ArticlePerson.objects.bulk_create([ArticlePerson(article=article, person=Person.objects.get(slug="mahmoud-abbas"))])
    assert compare(deep=True).outdated == [article.pk]


def test_person_page_links_are_searches_for_the_person(client, people_archive):
    html = client.get(reverse("person_detail", args=["recep-tayyip-erdogan"])).content.decode()
    assert 'href="/search/?person=recep-tayyip-erdogan"' in html
    assert "page_size" not in html
    import re
    from urllib.parse import parse_qs, unquote, urlsplit

    country_links = [parse_qs(urlsplit(unquote(h.replace("&amp;", "&"))).query)
                     for h in re.findall(r'href="(/search/\?[^"]*country=[^"]*)"', html)]
    assert {"person": ["recep-tayyip-erdogan"], "country": ["TR"], "country_mode": ["mentioned"]} in country_links


def test_chart_coverage_note_names_only_the_filtered_outlets(client, people_archive):
    from archive.coverage import clear_cache

    clear_cache()
    everywhere = client.get(reverse("search"), {"person": "vladimir-putin"}).context["timeline"]["coverage"]
    assert "بي بي سي عربي" in everywhere["starts"] and "عكاظ" in everywhere["ends"]
    saudi = client.get(reverse("search"), {"person": "vladimir-putin", "outlet_country": "SA"}).context["timeline"]
    named = set(saudi["coverage"]["starts"]) | set(saudi["coverage"]["ends"])
    assert "عكاظ" in named and "بي بي سي عربي" not in named  # the British outlet is not charted
    clear_cache()


@pytest.mark.django_db
def test_people_latin_names_feed_latin_letter_search():
    """The people gazetteer is a source of the Latin table: a surname typed in
    Latin letters gives that person's one-word Arabic spellings, a first name
    shared by many people gives nothing of theirs."""
    from search.analysis import normalize
    from search.latin_gazetteer import _state, arabic_for_latin
    from search.people import person_latin_pairs

    erdogan = Person.objects.get(name_en__icontains="Erdo")
    one_word = {normalize(s) for s in erdogan.spelling_list if " " not in s.strip()}
    assert one_word
    _state["table"] = None  # rebuild the table now (it is kept GAZETTEER_TTL seconds)
    assert one_word <= set(arabic_for_latin("Erdogan"))
    assert all(" " not in latin and " " not in arabic for latin, arabic in person_latin_pairs())
    assert not {normalize(s) for s in erdogan.spelling_list} & set(arabic_for_latin("Recep"))
