"""What the people pages show, as plain functions (views: search.person_views).

- ``people_with_counts()``: every person with the number of public articles
  that name them, most named first;
- ``person_summary(person, measure)``: the person page's data: the search
  ``person=<slug>`` (its chart of attention over time, count or share, with
  the outlets' coverage changes), the countries most often named alongside
  (the search's country facet), the latest articles and the spellings.
"""
from __future__ import annotations

from django.db.models import Count, Q

from archive.models import Person
from search.schema import DEFAULT_COUNTRY_MODE
from search.service import DEFAULT_PAGE_SIZE, parse_search_params, run_search
from search.timeline import search_chart, search_link

TOP_COUNTRIES = 10
LATEST = 10


def people_with_counts():
    return (Person.objects.annotate(n=Count("article_mentions", filter=Q(article_mentions__article__is_hidden=False)))
            .order_by("-n", "name_ar"))


def person_summary(person: Person, measure: str = "count") -> dict:
    # "the countries most often named alongside": every mention, not only the countries an article is about
    params = parse_search_params({"person": person.slug, "sort": "newest", "page_size": str(LATEST),
                                  "country_mode": "mentioned"})
    result = run_search(params)
    params.page_size = DEFAULT_PAGE_SIZE  # links from the page lead to ordinary result pages
    countries = [f for f in result.facets.get("country", []) if f.count][:TOP_COUNTRIES]
    for facet in countries:
        facet.url = search_link(params, country=[facet.value], sort="")  # counts as shown: every mention
    params.country_mode = DEFAULT_COUNTRY_MODE  # the page's other links are plain searches for the person
    return {
        "params": params,
        "result": result,
        "count": result.count,
        "timeline": search_chart(params, result, measure) if result.count else None,
        "countries": countries,
        "latest": result.hits,
        "spellings": person.spelling_list,
        "weak_spellings": person.weak_spelling_list,
        "latin_names": [n for n in person.latin_name_list if n],
        "search_url": search_link(params),
    }
