"""What the index holds: field names, facets, the Whoosh schema, document ids.

- field names: ``TEXT_FIELD``, ``EXACT_FIELD``, ``TITLE_FIELD``, ``DAY_FIELD``,
  ``PK_FIELD``; ``FACETS`` (public name, index field) and ``FACET_FIELDS``;
  ``COUNTRY_FIELDS``/``country_field(mode)``/``facet_fields(mode)``: the
  country levels (``countries`` = about, ``mentioned`` = every mention);
- ``build_schema(fields)``: the Whoosh schema of haystack search fields (text
  fields use ``ArabicAnalyzer``, ``text_exact`` ``ArabicExactAnalyzer``, facet
  fields are unanalyzed ``ID``/``KEYWORD`` terms, ``day``/``article_id``
  sortable ints; only the ids are stored);
- ``to_whoosh_value(value)``: a prepared haystack value as Whoosh wants it;
- ``identifier(article_id)`` / ``article_id_of(identifier)``: the unique ``id``;
- ``day_fields(published)``: (published, day, year, month) as indexed;
  ``day_number(date)``: the ``day`` value (YYYYMMDD) of a date.

Used by both engines (search.engine, search.elastic) and the indexers.
"""
from __future__ import annotations

from datetime import date, datetime

from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID

from search.analysis.whoosh_glue import ArabicAnalyzer, ArabicExactAnalyzer
from search.names import load_protected_names

# Field names the search service and the engines rely on.
TEXT_FIELD = "text"
EXACT_FIELD = "text_exact"
TITLE_FIELD = "title"
DAY_FIELD = "day"
PK_FIELD = "article_id"
SEARCH_FIELDS = (TEXT_FIELD, TITLE_FIELD)  # every query word is searched in both
FACETS = (  # (public name, index field): the facets of the page and the API
    ("country", "countries"),
    ("source", "source"),
    ("topic", "topics"),
    ("month", "month"),
    ("person", "people"),
    ("outlet_country", "outlet_country"),
    ("collection", "collections"),
)
FACET_FIELDS = tuple(fname for _public, fname in FACETS)
# The country facet and filter read the ``about`` level by default
# (``countries``), every mention with ``country_mode=mentioned``.
COUNTRY_FIELDS = {"about": "countries", "mentioned": "mentioned"}
COUNTRY_MODES = tuple(COUNTRY_FIELDS)
DEFAULT_COUNTRY_MODE = "about"


def country_field(mode: str | None) -> str:
    """The index field of the country facet and filter for a ``country_mode``."""
    return COUNTRY_FIELDS.get(mode or DEFAULT_COUNTRY_MODE, COUNTRY_FIELDS[DEFAULT_COUNTRY_MODE])


def facet_fields(mode: str | None = None) -> tuple[str, ...]:
    """``FACET_FIELDS`` with the country field of ``mode``."""
    about = COUNTRY_FIELDS[DEFAULT_COUNTRY_MODE]
    return tuple(country_field(mode) if fname == about else fname for fname in FACET_FIELDS)


def identifier(article_id) -> str:
    """An article's unique ``id`` in the index (haystack's ``get_identifier``)."""
    return f"archive.article.{article_id}"


def article_id_of(identifier_text: str) -> int:
    """The article id in an ``identifier``."""
    return int(identifier_text.rsplit(".", 1)[1])


def day_number(d) -> int | None:
    """``YYYYMMDD`` of a date (the ``day`` field), None for None."""
    return d.year * 10000 + d.month * 100 + d.day if d else None


def day_fields(published):
    """(published, day, year, month) as prepared for the index."""
    if published is None:
        return None, 0, None, None
    return (
        datetime(published.year, published.month, published.day),
        day_number(published),
        f"{published.year:04d}",
        f"{published.year:04d}-{published.month:02d}",
    )


def build_schema(fields):
    """Whoosh schema for haystack search fields. Returns (content_field, schema)."""
    load_protected_names()  # gazetteer + NameVariant names: unstemmed, as at query time

    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    for _name, f in fields.items():
        ftype = f.field_type
        boost = f.boost or 1.0
        if ftype == "arabic_text":
            wf = TEXT(analyzer=ArabicAnalyzer(), phrase=True, stored=False, field_boost=boost)
        elif ftype == "arabic_exact":
            wf = TEXT(analyzer=ArabicExactAnalyzer(), phrase=True, stored=False, field_boost=boost)
        elif ftype == "facet_id":
            wf = WHOOSH_ID(stored=False)
        elif ftype == "facet_keyword":
            wf = KEYWORD(stored=False, commas=True, lowercase=False, scorable=False)
        elif ftype in ("day", "sortable_int"):
            wf = NUMERIC(numtype=int, bits=64, stored=False, sortable=True, signed=True)
        elif ftype in ("date", "datetime"):
            wf = DATETIME(stored=False, sortable=True)
        elif ftype == "integer":
            wf = NUMERIC(numtype=int, bits=64, stored=f.stored, field_boost=boost)
        elif ftype == "float":
            wf = NUMERIC(numtype=float, stored=f.stored, field_boost=boost)
        elif ftype == "boolean":
            wf = BOOLEAN(stored=f.stored)
        elif f.is_multivalued:
            wf = KEYWORD(stored=f.stored, commas=True, lowercase=False)
        else:
            # Any other text is still Arabic text, never English-stemmed.
            wf = TEXT(analyzer=ArabicAnalyzer(), stored=f.stored, field_boost=boost)
        schema_fields[f.index_fieldname] = wf
        if f.document:
            content_field_name = f.index_fieldname
    if len(schema_fields) <= 3:
        raise SearchBackendError("No fields were found in any search_indexes.")
    return content_field_name, Schema(**schema_fields)


def to_whoosh_value(value):
    """A prepared haystack value as Whoosh wants it (None → drop)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(force_str(v) for v in value)
    return force_str(value)
