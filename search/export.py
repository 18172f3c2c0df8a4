"""Export of the current result set: ``/search/export.csv`` and ``/search/export.json``.

Same parameters as the search page (``page``/``page_size`` are ignored: the
export is the whole result set, in the page's order, up to ``EXPORT_CAP``
rows). Columns: id, title, outlet, date, countries, topics, url (the
original), permalink (absolute URL of the article page here).

- CSV: UTF-8 with a byte-order mark (Excel then reads the Arabic right),
  streamed chunk by chunk; countries and topics are Arabic names joined by
  «، »; a cell starting with = + - @ (a spreadsheet formula) gets a leading
  apostrophe so it opens as text.
- JSON: ``{"query", "count", "exported", "cap", "truncated", "results": [...]}``
  with countries/topics as ``[{"code"|"slug", "name"}]``; ``<``, ``>`` and
  ``&`` are written as ``\\u003c`` … so the file is inert even if a browser
  sniffs it as HTML.

Ids come in rank order from the engine (``search.timeline.matching_ids``);
each chunk of ``CHUNK`` ids is hydrated with one database query (countries
and topics aggregated in SQL).
"""
from __future__ import annotations

import csv
import datetime as dt
import json

from django.db.models import Aggregate, CharField
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive.models import Article
from search.service import InvalidSearch, parse_search_params
from search.service import ranked_ids
from search.timeline import chunked, matching_ids

EXPORT_CAP = 10_000
CHUNK = 500
COLUMNS = ("id", "title", "outlet", "date", "countries", "topics", "url", "permalink")
LIST_SEPARATOR = "، "
BOM = "\ufeff"


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


def _split(value) -> list[str]:
    return sorted(v for v in (value or "").split(",") if v)


def _labels():
    from search.labels import labels

    found = labels()
    return found.countries, found.topics


def export_cap() -> int:
    return EXPORT_CAP


def export_rows(request, ids):
    """Dicts for ``ids`` in that order (hidden or deleted articles skipped)."""
    country_names, topic_names = _labels()
    template = reverse("article_detail", args=[0])
    prefix, suffix = template.rsplit("0", 1)
    base = request.build_absolute_uri("/").rstrip("/")
    for chunk in chunked(ids, CHUNK):
        rows = (
            Article.objects.filter(pk__in=chunk, is_hidden=False)
            .order_by()
            .values("pk", "title", "url", "published", "source__name")
            .annotate(country_codes=_Concat("country_mentions__country"), topic_slugs=_Concat("topics__slug"))
        )
        by_id = {row["pk"]: row for row in rows}
        for pk in chunk:
            row = by_id.get(pk)
            if row is None:
                continue
            codes = _split(row["country_codes"])
            slugs = _split(row["topic_slugs"])
            yield {
                "id": pk,
                "title": row["title"],
                "outlet": row["source__name"] or "",
                "date": row["published"].isoformat() if row["published"] else "",
                "countries": [{"code": c, "name": country_names.get(c, c)} for c in codes],
                "topics": [{"slug": s, "name": topic_names.get(s, s)} for s in slugs],
                "url": row["url"] or "",
                "permalink": f"{base}{prefix}{pk}{suffix}",
            }


def filename(extension: str) -> str:
    return f"arabic-news-search-{dt.date.today():%Y%m%d}.{extension}"


def _params_or_error(request):
    try:
        return parse_search_params(request.GET), None
    except InvalidSearch as exc:
        return None, exc.message


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


def _csv_lines(request, ids):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(COLUMNS)
    for row in export_rows(request, ids):
        yield writer.writerow([_cell(v) for v in (
            row["id"], row["title"], row["outlet"], row["date"],
            LIST_SEPARATOR.join(c["name"] for c in row["countries"]),
            LIST_SEPARATOR.join(t["name"] for t in row["topics"]),
            row["url"], row["permalink"],
        )])


@require_GET
def export_csv(request):
    params, error = _params_or_error(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    ids = matching_ids(params, limit=export_cap())
    response = StreamingHttpResponse(_csv_lines(request, ids), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


class _InertJSONEncoder(json.JSONEncoder):
    def encode(self, o):
        text = super().encode(o)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@require_GET
def export_json(request):
    params, error = _params_or_error(request)
    if error:
        return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
    cap = export_cap()
    total, ids = ranked_ids(params, limit=cap)
    results = list(export_rows(request, ids))
    data = {
        "query": params.q,
        "count": total,
        "exported": len(results),
        "cap": cap,
        "truncated": total > len(ids),
        "results": results,
    }
    response = JsonResponse(data, encoder=_InertJSONEncoder, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename("json")}"'
    return response
