"""Export of the current result set: ``/search/export.csv`` and ``/search/export.json``.

Same parameters as the search page (``page``/``page_size`` are ignored: the
export is the whole result set, in the page's order, with no row cap). Both
files are streamed (``StreamingHttpResponse``): ids come in rank order from
the engine (``search.timeline.matching_ids``), and each chunk of ``CHUNK``
ids is hydrated with one database query (countries and topics aggregated in
SQL, the body cut to what a snippet needs), so memory does not grow with the
number of rows.

Fields of a row (``COLUMNS``): id, title, outlet, date, countries (the
countries the article is about), topics, url (the original), permalink
(absolute URL of the article page here), outlet_slug, country_codes (ISO
3166-1 alpha-2), topic_slugs, snippet (plain text around the first query
words in the article's opening, or its lead), people (Arabic names),
person_slugs, outlet_country (the outlet's ISO code), mentioned and
mentioned_codes (every country the article names).

- CSV: UTF-8 with a byte-order mark (Excel then reads the Arabic right);
  countries and topics are Arabic names joined by «، », codes and slugs are
  joined by «;»; a cell starting with = + - @ (a spreadsheet formula) gets a
  leading apostrophe so it opens as text.
- JSON: ``{"query", "filters": {"country", "source", "topic", "date_from",
  "date_to", "person", "outlet_country", "collection", "country_mode"}, "sort", "spellings": [{"word", "variants"}] (other spellings
  searched), "exported_at" (UTC, ISO 8601), "count", "results": [...],
  "exported"}`` with countries/topics as ``[{"code"|"slug", "name"}]``;
  ``<``, ``>`` and ``&`` are written as ``\\u003c`` … so the file is inert
  even if a browser sniffs it as HTML.

File names carry the query: an ASCII ``filename`` (the query's ASCII
letters and digits, if any) and an RFC 5987 ``filename*`` with the query as
written (``export_disposition``).
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from urllib.parse import quote

from django.db.models import Aggregate, Case, CharField, F, When
from django.db.models.functions import Substr
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from archive.batching import chunked
from archive.models import Article, Person
from search.highlight import snippet_html
from search.results import article_url
from search.service import InvalidSearch, parse_search_params, ranked_ids

CHUNK = 500
COLUMNS = (
    "id", "title", "outlet", "date", "countries", "topics", "url", "permalink",
    "outlet_slug", "country_codes", "topic_slugs", "snippet",
    "people", "person_slugs", "outlet_country", "mentioned", "mentioned_codes",
)
LIST_SEPARATOR = "، "
CODE_SEPARATOR = ";"
BOM = "\ufeff"
FILE_PREFIX = "arabic-news"
# The snippet is looked for in the article's opening only: a bounded cost per
# row keeps a whole-archive export within a minute.
SNIPPET_SCAN = 1200
SNIPPET_LENGTH = 200
FILENAME_QUERY_CHARS = 60


class _Concat(Aggregate):
    """Distinct values joined by commas (GROUP_CONCAT / STRING_AGG); country
    codes and topic slugs never contain a comma."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(distinct)s%(expressions)s)"
    allow_distinct = True

    def __init__(self, expression, **extra):
        super().__init__(expression, distinct=True, output_field=CharField(), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="STRING_AGG",
            template="%(function)s(%(distinct)s%(expressions)s::text, ',')", **extra_context,
        )


class _PersonNames(dict):
    """slug -> Arabic name, read (one query) the first time a row names someone."""

    def get(self, slug, default=None):
        if not self and not getattr(self, "_loaded", False):
            self._loaded = True
            self.update(Person.objects.values_list("slug", "name_ar"))
        return super().get(slug, default)


def _split(value) -> list[str]:
    return sorted(v for v in (value or "").split(",") if v)


def _labels():
    from search.labels import labels

    found = labels()
    return found.countries, found.topics


_MARK_TAG = re.compile(r"</?mark>")


def plain_snippet(body: str, terms) -> str:
    """A plain-text snippet of ``body``: ``snippet_html`` (escaped text with
    ``<mark>`` tags only) without the tags, entities decoded."""
    marked = snippet_html((body or "")[:SNIPPET_SCAN], terms, length=SNIPPET_LENGTH)
    return html.unescape(_MARK_TAG.sub("", str(marked)))


def export_rows(request, ids, terms=frozenset()):
    """Dicts for ``ids`` in that order (hidden or deleted articles skipped)."""
    country_names, topic_names = _labels()
    person_names = _PersonNames()
    base = request.build_absolute_uri("/").rstrip("/")
    for chunk in chunked(ids, CHUNK):
        rows = (
            Article.objects.filter(pk__in=chunk, is_hidden=False)
            .order_by()
            .annotate(opening=Substr("body", 1, SNIPPET_SCAN))
            .values("pk", "title", "url", "published", "source__name", "source__slug", "opening",
                    "source__country_id")
            .annotate(country_codes=_Concat("country_mentions__country"), topic_slugs=_Concat("topics__slug"),
                      person_slugs=_Concat("person_mentions__person__slug"),
                      # the about level: NULL for the other rows, which the aggregate skips
                      about_codes=_Concat(Case(When(country_mentions__is_about=True,
                                                    then=F("country_mentions__country")))))
        )
        by_id = {row["pk"]: row for row in rows}
        for pk in chunk:
            row = by_id.get(pk)
            if row is None:
                continue
            codes = _split(row["about_codes"])
            mentioned = _split(row["country_codes"])
            slugs = _split(row["topic_slugs"])
            yield {
                "id": pk,
                "title": row["title"],
                "outlet": row["source__name"] or "",
                "outlet_slug": row["source__slug"] or "",
                "date": row["published"].isoformat() if row["published"] else "",
                "countries": [{"code": c, "name": country_names.get(c, c)} for c in codes],
                "mentioned": [{"code": c, "name": country_names.get(c, c)} for c in mentioned],
                "topics": [{"slug": s, "name": topic_names.get(s, s)} for s in slugs],
                "url": row["url"] or "",
                "permalink": f"{base}{article_url(pk)}",
                "snippet": plain_snippet(row["opening"], terms),
                "people": [{"slug": s, "name": person_names.get(s, s)} for s in _split(row["person_slugs"])],
                "outlet_country": row["source__country_id"] or "",
            }


# --- file names --------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|%;]+')
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")


def _query_part(q: str) -> str:
    words = _UNSAFE_IN_NAME.sub(" ", q or "").split()
    return "-".join(words)[:FILENAME_QUERY_CHARS].strip("-.")


def export_filename(q: str, extension: str, today: dt.date | None = None) -> tuple[str, str]:
    """(ASCII file name, UTF-8 file name), both carrying the query."""
    day = f"{today or dt.date.today():%Y%m%d}"
    ascii_query = _NOT_ASCII_WORD.sub("-", (q or "").lower()).strip("-")[:FILENAME_QUERY_CHARS].strip("-")
    ascii_name = "-".join(p for p in (FILE_PREFIX, ascii_query or "search", day) if p) + f".{extension}"
    query = _query_part(q)
    utf8_name = "-".join(p for p in (FILE_PREFIX, query or "search", day) if p) + f".{extension}"
    return ascii_name, utf8_name


def export_disposition(q: str, extension: str, today: dt.date | None = None) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` (RFC 6266 / 5987)."""
    ascii_name, utf8_name = export_filename(q, extension, today)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def _params_or_error(request):
    try:
        return parse_search_params(request.GET), None
    except InvalidSearch as exc:
        return None, exc.message


def _terms(params):
    return params.parsed.terms if params.parsed else frozenset()


# --- CSV ---------------------------------------------------------------------------------

class _Echo:
    def write(self, value):
        return value


# A cell starting with one of these is run as a formula by spreadsheets
# (CSV injection): such cells are written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(request, ids, terms):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(COLUMNS)
    for row in export_rows(request, ids, terms):
        yield writer.writerow([_cell(v) for v in (
            row["id"], row["title"], row["outlet"], row["date"],
            LIST_SEPARATOR.join(c["name"] for c in row["countries"]),
            LIST_SEPARATOR.join(t["name"] for t in row["topics"]),
            row["url"], row["permalink"], row["outlet_slug"],
            CODE_SEPARATOR.join(c["code"] for c in row["countries"]),
            CODE_SEPARATOR.join(t["slug"] for t in row["topics"]),
            row["snippet"],
            LIST_SEPARATOR.join(p["name"] for p in row["people"]),
            CODE_SEPARATOR.join(p["slug"] for p in row["people"]),
            row["outlet_country"],
            LIST_SEPARATOR.join(c["name"] for c in row["mentioned"]),
            CODE_SEPARATOR.join(c["code"] for c in row["mentioned"]),
        )])


@require_GET
def export_csv(request):
    params, error = _params_or_error(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    _total, ids = ranked_ids(params)
    response = StreamingHttpResponse(_csv_lines(request, ids, _terms(params)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = export_disposition(params.q, "csv")
    return response


# --- JSON --------------------------------------------------------------------------------

class _InertJSONEncoder(json.JSONEncoder):
    def encode(self, o):
        text = super().encode(o)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_ENCODER = _InertJSONEncoder(ensure_ascii=False)


def export_header(params, total: int) -> dict:
    """What the JSON file says about the export before its rows."""
    return {
        "query": params.q,
        "filters": {
            "country": list(params.countries),
            "country_mode": params.country_mode,
            "source": list(params.sources),
            "topic": list(params.topics),
            "date_from": params.date_from.isoformat() if params.date_from else None,
            "date_to": params.date_to.isoformat() if params.date_to else None,
            "person": list(params.people),
            "outlet_country": list(params.outlet_countries),
            "collection": list(params.collections),
        },
        "sort": params.effective_sort,
        "spellings": [
            {"word": e["word"], "variants": list(e["variants"])}
            for e in (params.parsed.expansions if params.parsed else [])
        ],
        "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "count": total,
    }


def _json_chunks(request, params, total, ids):
    header = _ENCODER.encode(export_header(params, total))
    yield header[:-1] + ', "results": ['
    exported = 0
    for row in export_rows(request, ids, _terms(params)):
        yield ("" if exported == 0 else ", ") + _ENCODER.encode(row)
        exported += 1
    yield f'], "exported": {exported}}}'


@require_GET
def export_json(request):
    params, error = _params_or_error(request)
    if error:
        return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
    total, ids = ranked_ids(params)  # runs the query: params.parsed now has the index's spellings
    response = StreamingHttpResponse(_json_chunks(request, params, total, ids), content_type="application/json")
    response["Content-Disposition"] = export_disposition(params.q, "json")
    return response
