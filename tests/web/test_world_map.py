"""The world map on the search page (templates/partials/world_map.html, search/worldmap.py)."""
import html as htmllib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from archive.formatting import count_noun
from archive.models import Country
from search.worldmap import country_paths

pytestmark = pytest.mark.django_db


def map_html(response):
    html = response.content.decode()
    match = re.search(r'<section class="world-map".*?</section>', html, re.S)
    assert match, "no map on the page"
    return match.group(0)


def links(section):
    """{country code: (href, title)} of the map's links."""
    found = {}
    for href, title, code in re.findall(
        r'<a href="([^"]*)" class="world-map__link"[^>]*><title>([^<]*)</title><path class="map-shade-\d" '
        r'data-country="([A-Z]{2})"', section,
    ):
        found[code] = (htmllib.unescape(href), title)
    return found


def shade(section, code):
    return int(re.search(rf'class="map-shade-(\d)" data-country="{code}"', section).group(1))


def test_map_shades_and_links_the_countries_with_articles(client, timeline_archive):
    response = client.get(reverse("search"), {"q": "تمبكتو", "source": "aljazeera", "sort": "newest"})
    section = map_html(response)
    found = links(section)
    counts = {f.value: f.count for f in response.context["result"].facets["country"]}
    assert set(found) == {code for code, n in counts.items() if n} and "RU" in found
    names = dict(Country.objects.values_list("code", "name_ar"))
    for code, (href, title) in found.items():
        assert title == f"{names[code]}: {count_noun(counts[code], 'article')}"
        params = parse_qs(urlsplit(href).query)
        assert params["country"] == [code]
        assert params["q"] == ["تمبكتو"] and params["source"] == ["aljazeera"] and params["sort"] == ["newest"]
        assert "page" not in params
    top = max(counts, key=counts.get)
    assert shade(section, top) == 5 if counts[top] > 5 else shade(section, top) == counts[top]
    # a country without articles: neutral, no link, still titled
    assert shade(section, "FR") == 0 and "FR" not in found
    assert re.search(r'data-country="FR" d="[^"]+"><title>فرنسا: لا مقالات</title>', section)
    # the legend names the ranges
    assert "لا مقالات" in section and 'class="world-map__legend"' in section
    # ranges read in words («من ١ إلى ٢»), not with a dash that flips right to left
    legend = section.split('class="world-map__legend"', 1)[1]
    ranges = [item for item in response.context["world_map"].legend if item["low"] != item["high"]]
    assert "–" not in legend and legend.count("إلى") == len(ranges)


def test_following_a_country_link_filters_and_keeps_the_others(client, timeline_archive):
    first = client.get(reverse("search"), {"q": "تمبكتو", "country": "UA"})
    href, _title = links(map_html(first))["RU"]
    params = parse_qs(urlsplit(href).query)
    assert params["country"] == ["UA", "RU"]
    narrowed = client.get(reverse("search") + href)
    assert narrowed.status_code == 200
    assert list(narrowed.context["params"].countries) == ["UA", "RU"]
    # a country already chosen links to the same search (no duplicate filter)
    again = parse_qs(urlsplit(links(map_html(narrowed))["RU"][0]).query)
    assert sorted(again["country"]) == ["RU", "UA"]


def test_every_gazetteer_country_with_a_shape_is_drawn(client, timeline_archive):
    section = map_html(client.get(reverse("search"), {"q": "تمبكتو"}))
    drawn = set(re.findall(r'data-country="([A-Z]{2})"', section))
    gazetteer = set(Country.objects.values_list("code", flat=True))
    assert gazetteer & set(country_paths()) <= drawn
    assert drawn == set(country_paths())
    assert section.count("data-country=") == len(drawn)
    assert 'viewBox="0 0 1000 ' in section


def test_query_text_is_escaped_in_the_map_links(client, timeline_archive):
    evil = 'تمبكتو -"\'><script>alert(1)</script>&amp;"'
    response = client.get(reverse("search"), {"q": evil})
    assert response.status_code == 200
    html = response.content.decode()
    section = map_html(response)
    assert "<script>alert(1)" not in html
    href, _title = links(section)["RU"]
    assert parse_qs(urlsplit(href).query)["q"] == [evil]


def test_no_map_without_results(client, timeline_archive):
    html = client.get(reverse("search"), {"q": "كلمةغيرموجودةأبدا"}).content.decode()
    assert 'class="world-map"' not in html
