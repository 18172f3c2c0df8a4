"""Search as plain functions; the page (views.py) and the API (api.py) are thin.

- ``parse_search_params(querydict) -> SearchParams`` (raises ``InvalidSearch``)
- ``run_search(params) -> SearchResult``
- ``ranked_ids(params, limit, sort)`` (the timeline and the export)
- ``suggest_spelling(query) -> str | None``

Each runs ONE engine call (``engine_result``) through ``search.engines.current()``
(the built-in Whoosh engine or Elasticsearch). Results, hydration and facet
labels are ``search.results``; snippets and marking ``search.highlight``.

Semantics: words are ANDed (see ``search.query``); values of one filter are
ORed (``country=RU&country=UA`` = either), different filters are ANDed; the
date range is inclusive and excludes undated articles. Facet counts follow
the query, the date range and the other filters; a facet's own selection is
ignored for its counts (so each count is what selecting only that value
would give). A page beyond the last one returns no results (not an error).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from archive.merging import resolve_source_slugs
from archive.models import Collection, Country, Person, Source, Topic
from search import engines
from search.engine.result import EngineResult
from search.query import MAX_QUERY_LENGTH, ParsedQuery, QueryError, parse_query
from search.results import SearchResult, hydrate, label_facets, label_tables
from search.schema import COUNTRY_MODES, DEFAULT_COUNTRY_MODE, country_field

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10**6
MAX_FILTER_VALUES = 30
SORTS = ("relevance", "newest", "oldest")

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^\d{1,12}$")


class InvalidSearch(ValueError):
    """Bad search input; ``message`` is Arabic and safe to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class SearchParams:
    q: str = ""
    parsed: ParsedQuery | None = None
    countries: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "newest"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    country_mode: str = DEFAULT_COUNTRY_MODE  # "about" or "mentioned" (search.schema.COUNTRY_FIELDS)
    people: list = field(default_factory=list)  # person slugs
    outlet_countries: list = field(default_factory=list)  # ISO codes of the outlets' countries
    collections: list = field(default_factory=list)  # collection slugs

    def index_filters(self) -> dict:
        """{index field: values} of the filters (both engines)."""
        return {country_field(self.country_mode): self.countries, "source": self.sources, "topics": self.topics,
                "people": self.people, "outlet_country": self.outlet_countries,
                "collections": self.collections}

    @property
    def effective_sort(self):
        return "newest" if self.sort == "relevance" and self.parsed is None else self.sort

    def to_pairs(self, **changes) -> list[tuple[str, str]]:
        """GET pairs for these params (with changes), for links."""
        data = {
            "q": self.q,
            "country": list(self.countries),
            "source": list(self.sources),
            "topic": list(self.topics),
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort if self.sort != default_sort(self.q) else "",
            "page": str(self.page) if self.page != 1 else "",
            "page_size": str(self.page_size) if self.page_size != DEFAULT_PAGE_SIZE else "",
            "person": list(self.people),
            "outlet_country": list(self.outlet_countries),
            "collection": list(self.collections),
            "country_mode": self.country_mode if self.country_mode != DEFAULT_COUNTRY_MODE else "",
        }
        data.update(changes)
        pairs = []
        for key, value in data.items():
            for v in (value if isinstance(value, (list, tuple)) else [value]):
                if v not in ("", None):
                    pairs.append((key, str(v)))
        return pairs



# --- parameters ------------------------------------------------------------------------

def default_sort(q: str) -> str:
    return "relevance" if (q or "").strip() else "newest"


def _getlist(data, key) -> list[str]:
    if hasattr(data, "getlist"):
        values = data.getlist(key)
    else:
        value = data.get(key)
        values = [] if value is None else (list(value) if isinstance(value, (list, tuple)) else [value])
    return [str(v) for v in values]


def _get(data, key) -> str | None:
    values = _getlist(data, key)
    return values[-1] if values else None


def _int_param(raw, *, name_ar, minimum, maximum, default):
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip()
    if not _INT_RE.match(raw):
        raise InvalidSearch(f"{name_ar} يجب أن يكون عددًا صحيحًا بين {minimum} و{maximum}.")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise InvalidSearch(f"{name_ar} يجب أن يكون عددًا صحيحًا بين {minimum} و{maximum}.")
    return value


def _date_param(raw, name_ar):
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if not _DATE_RE.match(raw):
        raise InvalidSearch(f"{name_ar} يجب أن يكون تاريخًا بالصيغة YYYY-MM-DD، مثل 2023-06-24.")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise InvalidSearch(f"{name_ar} ليس تاريخًا صحيحًا: {raw}") from None
    if value.year < 1800:
        raise InvalidSearch(f"{name_ar} ليس تاريخًا صحيحًا: {raw}")
    return value


def _values(data, key, pattern, message_bad):
    values = []
    for raw in _getlist(data, key):
        raw = raw.strip()
        if raw == "":
            continue
        if not pattern.match(raw):
            raise InvalidSearch(message_bad.format(value=escape_for_message(raw)))
        if raw not in values:
            values.append(raw)
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidSearch(f"عدد كبير جدًا من القيم للمرشّح {key}: الحد الأقصى {MAX_FILTER_VALUES}.")
    return values


def escape_for_message(value: str) -> str:
    """A user value shortened for an error message (escaped again on output)."""
    value = "".join(ch if ch.isprintable() else "�" for ch in value)
    return value if len(value) <= 40 else value[:40] + "…"


def parse_search_params(data) -> SearchParams:
    """Validate request parameters (QueryDict or dict). Raises InvalidSearch."""
    q = (_get(data, "q") or "")
    if len(q) > MAX_QUERY_LENGTH * 2:
        # Reject huge input before any other work.
        raise InvalidSearch(f"الاستعلام طويل جدًا: الحد الأقصى {MAX_QUERY_LENGTH} حرف.")
    parsed = None
    if q.strip():
        try:
            parsed = parse_query(q)
        except QueryError as exc:
            raise InvalidSearch(exc.message) from None
        q = parsed.text
    else:
        q = ""

    countries = _values(
        data, "country", _COUNTRY_RE,
        "رمز البلد «{value}» غير صالح: استعمل رمز ISO من حرفين لاتينيين كبيرين، مثل RU.",
    )
    sources = _values(data, "source", _SLUG_RE, "معرّف المصدر «{value}» غير صالح.")
    sources = resolve_source_slugs(sources)  # a merged outlet's old slug means the survivor
    topics = _values(data, "topic", _SLUG_RE, "معرّف الموضوع «{value}» غير صالح.")
    if countries:
        known = set(Country.objects.filter(code__in=countries).values_list("code", flat=True))
        for code in countries:
            if code not in known:
                raise InvalidSearch(f"لا يوجد بلد بالرمز «{code}».")
    if sources:
        known = set(Source.objects.filter(slug__in=sources).values_list("slug", flat=True))
        for slug in sources:
            if slug not in known:
                raise InvalidSearch(f"لا يوجد مصدر بالمعرّف «{slug}».")
    if topics:
        known = set(Topic.objects.filter(slug__in=topics).values_list("slug", flat=True))
        for slug in topics:
            if slug not in known:
                raise InvalidSearch(f"لا يوجد موضوع بالمعرّف «{slug}».")

    people = _values(data, "person", _SLUG_RE, "معرّف الشخص «{value}» غير صالح.")
    outlet_countries = _values(
        data, "outlet_country", _COUNTRY_RE,
        "رمز بلد المصدر «{value}» غير صالح: استعمل رمز ISO من حرفين لاتينيين كبيرين، مثل SA.",
    )
    collections = _values(data, "collection", _SLUG_RE, "معرّف المجموعة «{value}» غير صالح.")
    for values, model, key, what in ((people, Person, "slug", "شخص بالمعرّف"),
                                     (outlet_countries, Country, "code", "بلد بالرمز"),
                                     (collections, Collection, "slug", "مجموعة مصادر بالمعرّف")):
        if values:
            known = set(model.objects.filter(**{f"{key}__in": values}).values_list(key, flat=True))
            for value in values:
                if value not in known:
                    raise InvalidSearch(f"لا يوجد {what} «{value}».")

    date_from = _date_param(_get(data, "date_from"), "تاريخ البداية")
    date_to = _date_param(_get(data, "date_to"), "تاريخ النهاية")
    if date_from and date_to and date_from > date_to:
        raise InvalidSearch("تاريخ البداية يقع بعد تاريخ النهاية.")

    sort = (_get(data, "sort") or "").strip() or default_sort(q)
    if sort not in SORTS:
        raise InvalidSearch("الترتيب يجب أن يكون relevance (الصلة) أو newest (الأحدث) أو oldest (الأقدم).")

    page = _int_param(_get(data, "page"), name_ar="رقم الصفحة", minimum=1, maximum=MAX_PAGE, default=1)
    page_size = _int_param(
        _get(data, "page_size"), name_ar="حجم الصفحة", minimum=1, maximum=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
    )
    country_mode = (_get(data, "country_mode") or "").strip() or DEFAULT_COUNTRY_MODE
    if country_mode not in COUNTRY_MODES:
        raise InvalidSearch("country_mode يجب أن يكون about (البلدان التي يتناولها المقال) "
                            "أو mentioned (كل البلدان المذكورة).")
    return SearchParams(
        q=q, parsed=parsed, countries=countries, sources=sources, topics=topics,
        date_from=date_from, date_to=date_to, sort=sort, page=page, page_size=page_size,
        people=people, outlet_countries=outlet_countries, collections=collections,
        country_mode=country_mode,
    )

ALL_HITS = 10**9


def engine_result(params: SearchParams, *, offset: int = 0, limit: int = ALL_HITS, sort: str | None = None,
                  facets: bool = False) -> EngineResult:
    """The one engine call behind the page, the API, the timeline and the export:
    (total, hits as (id, score), facets when asked) from the current engine."""
    return engines.current().execute(params, offset=offset, limit=limit, sort=sort, facets=facets)


def ranked_ids(params: SearchParams, limit: int | None = None, sort: str | None = None) -> tuple[int, list[int]]:
    """(number of matches, ids of all or the first ``limit`` in the search order)."""
    result = engine_result(params, limit=ALL_HITS if limit is None else limit, sort=sort)
    return result.total, [pk for pk, _score in result.hits]


def run_search(params: SearchParams) -> SearchResult:
    result = engine_result(params, offset=(params.page - 1) * params.page_size, limit=params.page_size,
                           facets=True)
    terms = params.parsed.terms if params.parsed else frozenset()
    labels = label_tables()
    hits = hydrate(result.hits, terms, labels=labels)
    facets = label_facets(result.facets, params, labels=labels)
    suggestion = None
    if result.total == 0 and params.parsed is not None:
        suggestion = suggest_spelling(params.parsed)
    suggestion_count = count_matches(suggestion) if suggestion else None
    pages = math.ceil(result.total / params.page_size) if result.total else 0
    return SearchResult(
        query=params.q,
        count=result.total,
        page=params.page,
        pages=pages,
        page_size=params.page_size,
        sort=params.sort,
        hits=hits,
        facets=facets,
        suggestion=suggestion,
        params=params,
        expansions=list(params.parsed.expansions) if params.parsed else [],
        suggestion_count=suggestion_count,
    )


def count_matches(q: str) -> int | None:
    """Articles a query text finds with no filter (the count shown with a
    suggestion), or None when it does not parse."""
    try:
        params = parse_search_params({"q": q})
    except InvalidSearch:
        return None
    return engine_result(params, limit=0).total


def search(querydict) -> SearchResult:
    """parse_search_params + run_search."""
    return run_search(parse_search_params(querydict))


def suggest_spelling(query) -> str | None:
    """A corrected query («هل تقصد …؟») or None, for a query text or a
    ``ParsedQuery``: each word absent from the index is replaced by the
    closest indexed word; offered only if it finds articles."""
    if isinstance(query, str):
        try:
            parsed = parse_query(query)
        except QueryError:
            return None
    else:
        parsed = query
    if parsed is None or not parsed.words:
        return None
    return engines.current().suggest_spelling(parsed)
