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


@lru_cache(maxsize=1)
def country_places():
    """code → names of the gazetteer's cities and regions (places.json)."""
    path = DATA_DIR / "places.json"
    return load_json(path.name)["places"] if path.exists() else {}


def _topic_rule_fields(row):
    """The rule fields of a topics.json row, as model field values."""
    from datetime import date

    return dict(
        requires="\n".join(row.get("requires", [])),
        starts=date.fromisoformat(row["starts"]) if row.get("starts") else None,
        ends=date.fromisoformat(row["ends"]) if row.get("ends") else None,
    )


def update_topic_rules(apps, schema_editor=None):
    """Give the shipped topics their rule fields (required phrases, date
    window) and the keyword rules that go with them, where the database row
    has no required phrases yet (an editor's rules are left alone)."""
    Topic = apps.get_model("archive", "Topic")
    for row in load_json("topics.json"):
        if not (row.get("requires") or row.get("starts") or row.get("ends")):
            continue
        topic = Topic.objects.filter(slug=row["slug"], requires="").first()
        if topic is None:
            continue
        for name, value in _topic_rule_fields(row).items():
            setattr(topic, name, value)
        topic.keywords = "\n".join(row.get("keywords", []))
        topic.save()


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
    # Migration 0002 runs this with the Topic of that time (no rule fields).
    has_rule_fields = any(f.name == "requires" for f in Topic._meta.get_fields())
    Topic.objects.bulk_create(
        Topic(
            slug=row["slug"],
            name_ar=row["name_ar"],
            description=row.get("description", ""),
            category=row.get("category") or None,
            keywords="\n".join(row.get("keywords", [])),
            **(_topic_rule_fields(row) if has_rule_fields else {}),
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
