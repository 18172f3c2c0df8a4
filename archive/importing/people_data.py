"""The shipped people gazetteer and outlet collections (archive/data).

- ``people_file()``: ``archive/data/people.json`` as read (``people``, ``blockers``);
- ``person_blockers()``: phrases the person matcher consumes without tagging;
- ``load_people(apps)`` / ``load_collections(apps)``: create the missing rows
  (an editor's changes in the admin are never overwritten); run by the
  migration ``0006_people`` and by ``manage.py load_reference_data``;
- ``latin_index()``: {normalized Latin name: [Arabic spellings]} for every
  person in the database (the admin's spellings), for Latin-letter search;
- ``person_matcher()``: a ``PersonMatcher`` built from the database.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from archive.importing.gazetteer import load_json
from archive.importing.people import PersonMatcher, person_entries

PEOPLE_FILE = "people.json"
COLLECTIONS_FILE = "collections.json"


@lru_cache(maxsize=1)
def people_file() -> dict:
    return load_json(PEOPLE_FILE)


def person_blockers() -> tuple[str, ...]:
    return tuple(people_file().get("blockers", ()))


def _model(apps, name):
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    return apps.get_model("archive", name)


def load_people(apps=None) -> int:
    """Create the people of people.json missing from the database; returns how many."""
    Person = _model(apps, "Person")
    existing = set(Person.objects.values_list("slug", flat=True))
    created = Person.objects.bulk_create(
        Person(
            slug=row["slug"],
            name_ar=row["name_ar"],
            name_en=row["name_en"],
            latin_names="\n".join(row.get("latin_names", [])),
            role=row.get("role", ""),
            spellings="\n".join(row.get("spellings", [])),
            weak_spellings="\n".join(row.get("weak_spellings", [])),
            origin=row.get("source", ""),
        )
        for row in people_file()["people"]
        if row["slug"] not in existing
    )
    return len(created)


def load_collections(apps=None) -> int:
    """Create the collections of collections.json missing from the database,
    with the shipped outlets that exist; returns how many were created."""
    Collection = _model(apps, "Collection")
    Source = _model(apps, "Source")
    existing = set(Collection.objects.values_list("slug", flat=True))
    created = 0
    for row in load_json(COLLECTIONS_FILE):
        if row["slug"] in existing:
            continue
        collection = Collection.objects.create(
            slug=row["slug"], name_ar=row["name_ar"], description=row.get("description", ""),
        )
        collection.sources.set(Source.objects.filter(slug__in=row.get("sources", [])))
        created += 1
    return created


def latin_key(name: str) -> str:
    """A Latin name folded for lookup: accents removed, lower case, words
    joined by one space («Erdoğan» → «erdogan», «Kim Jong-un» → «kim jong un»)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ı", "i")
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def latin_index() -> dict[str, list[str]]:
    """{folded Latin name or surname: [Arabic spellings]} for every person in
    the database. Each Latin name (``name_en`` and ``latin_names``) maps to
    the person's spellings; the last word of a Latin name maps to the same
    spellings only when it belongs to one person («putin», not «bin»)."""
    from archive.models import Person

    index: dict[str, list[str]] = {}
    surnames: dict[str, set] = {}
    spellings_of: dict[str, list[str]] = {}
    for person in Person.objects.all():
        spellings = person.spelling_list or [person.name_ar]
        spellings_of[person.slug] = spellings
        for latin in person.latin_name_list:
            key = latin_key(latin)
            if not key:
                continue
            index.setdefault(key, [])
            index[key] += [s for s in spellings if s not in index[key]]
            surnames.setdefault(key.split()[-1], set()).add(person.slug)
    for surname, slugs in surnames.items():
        if len(slugs) == 1 and surname not in index and len(surname) > 2:
            index[surname] = list(spellings_of[next(iter(slugs))])
    return index


def person_matcher() -> PersonMatcher:
    """The matcher for the people in the database (with the shipped blockers)."""
    from archive.models import Person

    return PersonMatcher(person_entries(Person.objects.all()), person_blockers())
