"""Loading the shipped reference data (archive/data/*.json) into the database.

The data files are the source of truth for the first install; after that the
admin edits the rows. ``load_reference_data`` only creates what is missing, so
running it again never overwrites an editor's changes.
"""
import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_json(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def country_blockers():
    """Phrases that contain a country name but do not mention the country."""
    path = DATA_DIR / "country_blockers.json"
    return tuple(load_json(path.name)) if path.exists() else ()


def load_reference_data(apps=None):
    """Create countries, topics and outlets from the data files (missing ones only)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Country = apps.get_model("archive", "Country")
    Topic = apps.get_model("archive", "Topic")
    Source = apps.get_model("archive", "Source")

    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(
            code=row["code"],
            name_ar=row["name_ar"],
            name_en=row["name_en"],
            aliases="\n".join(row.get("aliases", [])),
            weak_aliases="\n".join(row.get("weak_aliases", [])),
        )
        for row in load_json("countries.json")
        if row["code"] not in existing
    )
    existing = set(Topic.objects.values_list("slug", flat=True))
    Topic.objects.bulk_create(
        Topic(
            slug=row["slug"],
            name_ar=row["name_ar"],
            description=row.get("description", ""),
            category=row.get("category") or None,
            keywords="\n".join(row.get("keywords", [])),
        )
        for row in load_json("topics.json")
        if row["slug"] not in existing
    )
    existing = set(Source.objects.values_list("slug", flat=True))
    codes = set(Country.objects.values_list("code", flat=True))
    Source.objects.bulk_create(
        Source(
            name=row["name_ar"],
            name_en=row.get("name_en", ""),
            slug=row["slug"],
            key=row.get("key") or None,
            homepage=row.get("homepage", ""),
            country_id=row.get("country") if row.get("country") in codes else None,
            notes=row.get("notes", ""),
        )
        for row in load_json("sources.json")
        if row["slug"] not in existing
    )
