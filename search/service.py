"""Search as plain functions; the page (views.py) and the API (api.py) are thin.

- ``parse_search_params(querydict) -> SearchParams`` (raises ``InvalidSearch``)
- ``run_search(params) -> SearchResult``
- ``suggest_spelling(query) -> str | None``
- ``related_articles(article_id, n=5) -> list[SearchHit]``
- ``highlight_terms(query) -> frozenset[str]`` and
  ``mark_text(text, terms) -> SafeString`` / ``highlight_html(text, query)``
  for the article page (``/articles/<pk>/?q=…``).

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
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.models import Article, Country, Source, Topic
from search import elastic
from search.query import MAX_QUERY_LENGTH, ParsedQuery, QueryError, parse_query, respell

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10**6
MAX_FILTER_VALUES = 30
SORTS = ("relevance", "newest", "oldest")
FACETS = (  # (public name, index field)
    ("country", "countries"),
    ("source", "source"),
    ("topic", "topics"),
    ("month", "month"),
)
ARABIC_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
SNIPPET_CHARS = 260
SNIPPET_SCAN_CHARS = 20000

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
        }
        data.update(changes)
        pairs = []
        for key, value in data.items():
            for v in (value if isinstance(value, (list, tuple)) else [value]):
                if v not in ("", None):
                    pairs.append((key, str(v)))
        return pairs


@dataclass
class SourceInfo:
    slug: str
    name: str


@dataclass
class SearchHit:
    id: int
    title: str
    url: str
    published: date | None
    source: SourceInfo | None
    countries: list
    topics: list
    snippet_html: SafeString
    origin: str
    score: float
    title_html: SafeString = ""
    country_labels: list = field(default_factory=list)  # [(code, name)]
    topic_labels: list = field(default_factory=list)  # [(slug, name)]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    count: int
    page: int
    pages: int
    page_size: int
    sort: str
    hits: list
    facets: dict  # public name -> [FacetValue]
    suggestion: str | None
    params: SearchParams | None = None
    # other spellings searched: [{"word": "فاغنر", "variants": ["فاجنر", "واغنر"]}]
    expansions: list = field(default_factory=list)


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
    return SearchParams(
        q=q, parsed=parsed, countries=countries, sources=sources, topics=topics,
        date_from=date_from, date_to=date_to, sort=sort, page=page, page_size=page_size,
    )


# --- running a search ----------------------------------------------------------------------

def _backend():
    from search.backend import get_backend

    return get_backend()


def _yyyymmdd(d: date | None):
    return d.year * 10000 + d.month * 100 + d.day if d else None


def month_label(value: str) -> str:
    try:
        year, month = value.split("-")
        return f"{ARABIC_MONTHS[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return value


ALL_HITS = 10**9


def execute(params: SearchParams, *, offset: int = 0, limit: int = ALL_HITS, sort: str | None = None,
            facets: bool = False):
    """The one engine call behind the page, the API, the timeline and the export.

    Parses the query again with the index vocabulary (proclitic forms,
    spelling variants), applies the filters and returns the backend's result
    (total, hits as (id, score), facets when asked).
    """
    if elastic.enabled():  # ELASTICSEARCH_URL: the scale-out engine (search.elastic)
        return elastic.execute(params, offset=offset, limit=limit, sort=sort, facets=facets)
    backend = _backend()
    filters = {"countries": params.countries, "source": params.sources, "topics": params.topics}
    day_range = None
    if params.date_from or params.date_to:
        day_range = (_yyyymmdd(params.date_from), _yyyymmdd(params.date_to))
    for attempt in (1, 2):
        try:
            with backend.view() as view:
                if params.parsed is not None:
                    params.parsed = parse_query(params.q, doc_frequency=view.exact_df)
                return view.execute(
                    params.parsed.query if params.parsed else None,
                    filters=filters,
                    day_range=day_range,
                    sort=sort or params.effective_sort,
                    offset=offset,
                    limit=max(limit, 0),
                    facet_fields=[f for _, f in FACETS] if facets else (),
                )
        except FileNotFoundError:
            # A writer merged away a segment under the searcher: reopen once.
            if attempt == 2:
                raise


def ranked_ids(params: SearchParams, limit: int | None = None, sort: str | None = None) -> tuple[int, list[int]]:
    """(number of matches, ids of all or the first ``limit`` in the search order)."""
    result = execute(params, limit=ALL_HITS if limit is None else limit, sort=sort)
    return result.total, [pk for pk, _score in result.hits]


def run_search(params: SearchParams) -> SearchResult:
    result = execute(params, offset=(params.page - 1) * params.page_size, limit=params.page_size, facets=True)
    terms = params.parsed.terms if params.parsed else frozenset()
    labels = _labels()
    hits = hydrate(result.hits, terms, labels=labels)
    facets = label_facets(result.facets, params, labels=labels)
    suggestion = None
    if result.total == 0 and params.parsed is not None:
        suggestion = suggest_spelling(params.parsed)
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
    )


def search(querydict) -> SearchResult:
    """parse_search_params + run_search."""
    return run_search(parse_search_params(querydict))


def _labels():
    """(country names, topic names, outlet names), cached (search.labels)."""
    from search.labels import labels

    found = labels()
    return found.countries, found.topics, found.sources


def _article_rows(ids):
    """{id: row} of the visible articles among ``ids``, with their country
    codes (most mentioned first) and topic slugs: three plain queries."""
    from archive.models import ArticleCountry

    rows = {
        r[0]: r for r in Article.objects.filter(pk__in=ids, is_hidden=False).order_by().values_list(
            "id", "title", "body", "published", "origin", "source_id", "source__slug", "source__name")
    }
    codes, topics = {}, {}
    if rows:
        found = list(rows)
        for article_id, code in (ArticleCountry.objects.filter(article_id__in=found)
                                 .order_by("article_id", "-mentions", "pk")
                                 .values_list("article_id", "country_id")):
            codes.setdefault(article_id, []).append(code)
        through = Article.topics.through
        for article_id, slug in through.objects.filter(article_id__in=found).values_list(
                "article_id", "topic__slug"):
            topics.setdefault(article_id, []).append(slug)
    return rows, codes, topics


def hydrate(scored_ids, terms=frozenset(), *, snippets=True, labels=None) -> list[SearchHit]:
    """Articles for [(id, score)] in that order (three small queries)."""
    if not scored_ids:
        return []
    from django.urls import reverse

    rows, codes_of, topics_of = _article_rows([pk for pk, _ in scored_ids])
    country_names, topic_names = (labels or _labels())[:2]
    hits = []
    for pk, score in scored_ids:
        row = rows.get(pk)
        if row is None:  # deleted or hidden since it was indexed (queue not drained yet)
            continue
        _id, title, body, published, origin, source_id, source_slug, source_name = row
        codes = codes_of.get(pk, [])
        topic_slugs = sorted(topics_of.get(pk, []))
        hits.append(
            SearchHit(
                id=pk,
                title=title,
                url=reverse("article_detail", args=[pk]),
                published=published,
                source=SourceInfo(source_slug, source_name) if source_id else None,
                countries=codes,
                topics=topic_slugs,
                snippet_html=snippet_html(body, terms) if snippets else mark_safe(""),
                origin=origin,
                score=score,
                title_html=mark_text(title, terms),
                country_labels=[(c, country_names.get(c, c)) for c in codes],
                topic_labels=[(s, topic_names.get(s, s)) for s in topic_slugs],
            )
        )
    return hits


def label_facets(raw: dict, params: SearchParams, labels=None) -> dict:
    selected = {
        "country": set(params.countries),
        "source": set(params.sources),
        "topic": set(params.topics),
        "month": set(),
    }
    country_names, topic_names, source_names = labels or _labels()
    out = {}
    for public, fname in FACETS:
        counts = dict(raw.get(fname, {}))
        for value in selected[public]:
            counts.setdefault(value, 0)
        values = list(counts)
        if public == "country":
            names = country_names
        elif public == "source":
            names = source_names
        elif public == "topic":
            names = topic_names
        else:
            names = {v: month_label(v) for v in values}
        items = [
            FacetValue(value=v, label=names.get(v, v), count=n, selected=v in selected[public])
            for v, n in counts.items()
        ]
        if public == "month":
            items.sort(key=lambda f: f.value)
        else:
            items.sort(key=lambda f: (-f.count, f.label))
        out[public] = items
    return out


# --- snippets and highlighting -----------------------------------------------------------

def _tokens(text: str):
    from search.analysis import analyze

    return analyze(text)


def _marks(text: str, terms) -> list[tuple[int, int, str]]:
    """(start, end, term) of the words of ``text`` that analyze to one of ``terms``.

    Only the words around a place where the text holds a term, up to the
    folding of the normalizer (``_needle_re``), go through the analyzer; a
    text with presentation forms (ligatures, which NFKC rewrites) is
    analyzed whole."""
    if not terms or not text:
        return []
    rx = _needle_re(frozenset(terms))
    if rx is None or _PRESENTATION_FORMS.search(text):
        return [(t.start, t.end, t.text) for t in _tokens(text) if t.text in terms]
    windows = []
    for m in rx.finditer(text):
        a, b = m.span()
        start = max(text.rfind(" ", 0, a), text.rfind("\n", 0, a), text.rfind("\t", 0, a)) + 1
        ends = [e for e in (text.find(" ", b), text.find("\n", b), text.find("\t", b)) if e >= 0]
        end = min(ends) if ends else len(text)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    marks = []
    for start, end in windows:
        marks.extend((start + t.start, start + t.end, t.text)
                     for t in _tokens(text[start:end]) if t.text in terms)
    return marks


_PRESENTATION_FORMS = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFF]")


@lru_cache(maxsize=1)
def _fold_classes():
    """(char → regex class of every char the normalizer folds to it,
    regex of the chars it deletes), or None without the normalizer table."""
    try:
        from search.analysis.normalization import _TABLE
    except ImportError:
        return None
    sources = {}
    deleted = []
    for code, value in _TABLE.items():
        if value is None:
            deleted.append(chr(code))
        elif len(value) == 1:
            sources.setdefault(value, []).append(chr(code))
    classes = {d: "[" + re.escape(d + "".join(cs)) + "]" for d, cs in sources.items()}
    skip = "[" + re.escape("".join(deleted)) + "]*" if deleted else ""
    return classes, skip


def _needles(terms: frozenset) -> set:
    """Strings one of which (up to folding) a word must hold to analyze to
    one of ``terms``: an analyzed term is a substring of its folded surface
    word, except names that keep «ال» after «لل» («للكرملين» → «الكرملين»)."""
    needles = {t[2:] if t.startswith("ال") and len(t) > 3 else t for t in terms if t}
    # a needle holding a shorter one adds nothing («بمصر» ⊃ «مصر»)
    return {n for n in needles if not any(o != n and o in n for o in needles)}


@lru_cache(maxsize=256)
def _needle_re(terms: frozenset):
    found = _fold_classes()
    if found is None:
        return None
    classes, skip = found
    parts = []
    for needle in sorted(_needles(terms), key=len, reverse=True):
        parts.append(skip.join(classes.get(c, re.escape(c)) for c in needle))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else re.compile(r"(?!)")


def _render(text: str, marks, start: int, end: int) -> str:
    out = []
    pos = start
    for s, e, _term in marks:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append("<mark>")
        out.append(escape(text[s:e]))
        out.append("</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def mark_text(text: str, terms) -> SafeString:
    """The whole ``text``, HTML-escaped, with <mark> on words whose analyzed
    form is one of ``terms`` (as returned by ``highlight_terms``)."""
    text = text or ""
    return mark_safe(_render(text, _marks(text, terms), 0, len(text)))


def highlight_terms(query: str) -> frozenset:
    """Analyzed terms of the (non-excluded) words of a user query; empty if
    the query is empty or malformed."""
    if not query or not str(query).strip():
        return frozenset()
    try:
        parse_query(query)
    except QueryError:
        return frozenset()
    try:
        with _backend().view() as view:
            return parse_query(query, doc_frequency=view.exact_df).terms
    except QueryError:
        return frozenset()
    except Exception:  # no index: the words themselves are still marked
        return parse_query(query).terms


def highlight_html(text: str, query: str) -> SafeString:
    """``mark_text(text, highlight_terms(query))``."""
    return mark_text(text, highlight_terms(query))


def _cut(text: str, start: int, length: int) -> tuple[int, int]:
    """A [start, end) window of about ``length`` chars on word boundaries."""
    n = len(text)
    start = max(0, start)
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space >= 0 else start
    end = min(n, start + length)
    if end < n:
        space = text.rfind(" ", start + length // 2, end)
        end = space if space > start else end
    return start, end


def _scan_marks(text: str, terms, step: int = 2500) -> list:
    """Marks in the text, analyzed chunk by chunk: stop one chunk after the
    first chunk with a match (the best cluster is nearly always there)."""
    if not terms:
        return []
    marks = []
    pos, limit = 0, min(len(text), SNIPPET_SCAN_CHARS)
    extra_chunks = None
    while pos < limit:
        end = min(limit, pos + step)
        if end < limit:
            space = text.find(" ", end)
            end = limit if space < 0 or space > limit else space
        marks.extend((s + pos, e + pos, t) for s, e, t in _marks(text[pos:end], terms))
        pos = end
        if marks:
            extra_chunks = 1 if extra_chunks is None else extra_chunks - 1
            if extra_chunks <= 0:
                break
    return marks


def snippet_html(text: str, terms=frozenset(), length: int = SNIPPET_CHARS) -> SafeString:
    """A short escaped excerpt of ``text`` around the best cluster of matched
    words, with <mark> on them as written; the lead when nothing matches."""
    raw = text or ""
    cut = len(raw) > SNIPPET_SCAN_CHARS + 2000
    text = " ".join((raw[:SNIPPET_SCAN_CHARS + 2000] if cut else raw).split())
    if not text:
        return mark_safe("")
    marks = _scan_marks(text, terms)
    if marks:
        best, best_key = 0, None
        for i, (s, _e, _t) in enumerate(marks):
            window_end = s + length - 40
            inside = [m for m in marks[i:] if m[0] < window_end]
            key = (len({m[2] for m in inside}), len(inside), -s)
            if best_key is None or key > best_key:
                best, best_key = i, key
        start = max(0, marks[best][0] - 40)
    else:
        start = 0
    start, end = _cut(text, start, length)
    html = _render(text, marks, start, end)
    if start > 0:
        html = "… " + html
    if end < len(text) or cut:
        html = html + " …"
    return mark_safe(html)


def snippets_for(ids, query: str) -> dict:
    """{id: snippet_html} for the given article ids (haystack highlight path)."""
    terms = highlight_terms(query)
    bodies = Article.objects.filter(pk__in=list(ids)).values_list("pk", "body")
    return {pk: snippet_html(body, terms) for pk, body in bodies}


# --- spelling suggestion -----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _exact_analyzer():
    from search.analysis import ArabicExactAnalyzer

    return ArabicExactAnalyzer()


def suggest_spelling(query) -> str | None:
    """A corrected query («هل تقصد …؟») or None.

    Each word of the query that is not in the index vocabulary (the exact,
    unstemmed field) is replaced by the closest indexed word (edit distance,
    then frequency); the suggestion is offered only if it finds articles.
    """
    from search.backend import EXACT_FIELD

    if isinstance(query, str):
        try:
            parsed = parse_query(query)
        except QueryError:
            return None
    else:
        parsed = query
    if parsed is None or not parsed.words:
        return None
    if elastic.enabled():
        return elastic.suggest_spelling(parsed)
    backend = _backend()
    replacements = {}
    with backend.view() as view:
        for word in dict.fromkeys(parsed.words):
            core = word.strip('"()')
            forms = [t.text for t in _exact_analyzer()(core)]
            if not forms or all(view.known_term(EXACT_FIELD, f) for f in forms):
                continue
            replacement = []
            for form in forms:
                if view.known_term(EXACT_FIELD, form):
                    replacement.append(form)
                    continue
                candidates = view.suggest(EXACT_FIELD, form)
                if not candidates:
                    replacement = None
                    break
                replacement.append(candidates[0])
            if replacement:
                replacements[core] = " ".join(replacement)
        suggested = respell(parsed.text, replacements)
        if suggested is None:
            return None
        if view.execute(suggested.query, limit=0).total == 0:
            return None
    return suggested.text


# --- related articles ----------------------------------------------------------------------------

def related_article_ids(article_id: int, n: int = 5) -> list[tuple[int, float]]:
    """[(id, score)] of the n articles most similar to ``article_id`` (its key
    terms, weighted, ORed over the index; the article itself excluded)."""
    if elastic.enabled():
        return elastic.related_article_ids(article_id, n)
    from whoosh import query as wq

    from search.backend import TEXT_FIELD

    row = Article.objects.filter(pk=article_id).values_list("title", "body").first()
    if row is None or n <= 0:
        return []
    text = f"{row[0]}\n{row[1]}"
    backend = _backend()
    with backend.view() as view:
        key_terms = view.key_terms(TEXT_FIELD, text, numterms=15)
        if not key_terms:
            return []
        q = wq.Or([wq.Term(TEXT_FIELD, term, boost=max(weight, 0.01)) for term, weight in key_terms])
        own = view.docnum_for_pk(article_id)
        result = view.execute(q, exclude={own} if own is not None else None, sort="relevance", limit=n + 1)
    return [(pk, score) for pk, score in result.hits if pk != article_id][:n]


def related_articles(article_id: int, n: int = 5) -> list[SearchHit]:
    """The n most similar visible articles, as SearchHit (snippet = lead)."""
    scored = related_article_ids(article_id, n=n)
    hits = hydrate(scored, frozenset())
    return hits[:n]
