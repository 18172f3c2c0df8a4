"""People and outlet groups in search: facet labels and the outlets a
search's totals count.

- ``facet_names()``: ``{"person": {slug: Arabic name}, "collection": {slug:
  Arabic name}}`` for the facets and chips (two small queries);
- ``outlet_ids(params)``: the ids of the outlets the ``outlet_country`` and
  ``collection`` filters allow (ANDed), or None when neither is set. The
  timeline's ``total`` (``search.attention.period_totals``) counts only these
  outlets, as it does for the ``source`` filter;
- ``outlet_slugs(params)``: the outlets whose coverage a chart's note names;
- ``person_latin_pairs()``: (Latin name, Arabic spelling) of every person, a
  source of ``search.latin_gazetteer`` (registered in ``SearchConfig.ready``):
  «Erdogan» searches «أردوغان» even where transliteration would not reach it.
"""
from __future__ import annotations

from archive.importing.people_data import latin_index
from archive.models import Collection, Person, Source


def facet_names() -> dict:
    return {
        "person": dict(Person.objects.values_list("slug", "name_ar")),
        "collection": dict(Collection.objects.values_list("slug", "name_ar")),
    }


def outlet_ids(params) -> set | None:
    countries = list(getattr(params, "outlet_countries", ()) or ())
    collections = list(getattr(params, "collections", ()) or ())
    if not countries and not collections:
        return None
    outlets = Source.objects.all()
    if countries:
        outlets = outlets.filter(country_id__in=countries)
    if collections:
        outlets = outlets.filter(pk__in=Collection.sources.through.objects.filter(
            collection__slug__in=collections).values("source_id"))
    return set(outlets.values_list("pk", flat=True))


def outlet_slugs(params) -> list:
    """The outlets a chart's coverage note names: the ``source`` filter,
    narrowed by the outlet-country and collection filters (all outlets when
    none is set)."""
    allowed = outlet_ids(params)
    if allowed is None:
        return list(params.sources)
    slugs = Source.objects.filter(pk__in=sorted(allowed)).values_list("slug", flat=True)
    return sorted(set(slugs) & set(params.sources) if params.sources else set(slugs))


def person_latin_pairs() -> list[tuple[str, str]]:
    """Single Latin words (a person's one-word name or a surname only one
    person has) with the person's one-word Arabic spellings (a first name
    alone never stands for a person)."""
    return [
        (latin, arabic)
        for latin, spellings in latin_index().items() if " " not in latin
        for arabic in spellings if " " not in arabic.strip()
    ]
