"""The search page ``/search/`` (url name ``search``) and the comparison page
``/search/compare/`` (``search_compare``). Logic lives in service.py (search),
timeline.py (charts), terms.py (top words), pagination.py (numbered pages), feeds.py (the Atom feed
of a search) and export.py (downloads); these views only arrange it.

Every state of the page is its URL: the forms are GET forms, each link is the
current parameters with one change (``SearchParams.to_pairs``), the page is
reset whenever the result set changes. ``within`` (search within these
results) is merged into ``q`` and redirected to the canonical URL.
"""
import calendar
import re
from datetime import date
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from archive.formatting import format_date
from archive.pagecache import cached_page
from search.attention import parse_measure
from search.feeds import feed_title, feed_url
from search.pagination import page_links
from search.people import facet_names
from search.service import DEFAULT_PAGE_SIZE, InvalidSearch, SearchParams, default_sort, parse_search_params, run_search
from search.terms import term_links, terms_wanted
from search.timeline import CompareEntry, compare_chart, search_chart, search_link
from search.worldmap import search_map

FACET_TITLES = {"country": "البلد", "source": "المصدر", "topic": "الموضوع", "month": "الشهر",
                "person": "الشخص", "outlet_country": "بلد المصدر", "collection": "مجموعة المصادر"}
# the facets of people and outlets: public name -> SearchParams attribute
EXTRA_FILTERS = {"person": "people", "outlet_country": "outlet_countries", "collection": "collections"}
CLEAR_EXTRA = {name: [] for name in EXTRA_FILTERS}
SORT_LABELS = (("relevance", "الأكثر صلة"), ("newest", "الأحدث"), ("oldest", "الأقدم"))
FACET_SHOWN = 8
MONTHS_SHOWN = 12
TAGS_SHOWN = 5
MAX_COMPARE = 3
_OR = re.compile(r"(?<!\S)OR(?!\S)")


def _url(pairs):
    return "?" + urlencode(pairs) if pairs else "?"


def _month_bounds(value):
    year, month = (int(p) for p in value.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _facet_groups(result, params: SearchParams):
    """One group per facet: values with counts, selection and a toggle link.

    Country/source/topic values are also checkboxes of the filter form
    (``shown``: the selected ones and the largest others; ``more``: the rest).
    """
    groups = []
    keys = {"country": "countries", "source": "sources", "topic": "topics", **EXTRA_FILTERS}
    for name, values in result.facets.items():
        items = []
        for f in values:
            if name == "month":
                start, end = _month_bounds(f.value)
                selected = params.date_from == start and params.date_to == end
                change = {"date_from": "", "date_to": ""} if selected else {
                    "date_from": start.isoformat(), "date_to": end.isoformat(),
                }
            else:
                current = list(getattr(params, keys[name]))
                selected = f.value in current
                new = [v for v in current if v != f.value] if selected else current + [f.value]
                change = {name: new}
            items.append({
                "value": f.value, "label": f.label, "count": f.count, "selected": selected,
                "url": _url(params.to_pairs(page="", **change)),
            })
        if name == "month":
            items.reverse()  # newest first
            shown, more = items[:MONTHS_SHOWN], items[MONTHS_SHOWN:]
        else:
            chosen = [i for i in items if i["selected"]]
            others = [i for i in items if not i["selected"]]
            room = max(FACET_SHOWN - len(chosen), 0)
            shown, more = chosen + others[:room], others[room:]
        groups.append({
            "name": name, "title": FACET_TITLES[name], "values": items, "shown": shown, "more": more,
        })
    return groups


COUNTRY_MODE_LABELS = {"about": "البلدان التي يتناولها المقال", "mentioned": "كل البلدان المذكورة في المقال"}


def _country_mode(params: SearchParams) -> dict:
    """Which level the country facet and filter read, and the link to the other."""
    other = "mentioned" if params.country_mode == "about" else "about"
    return {
        "label": COUNTRY_MODE_LABELS[params.country_mode],
        "switch_label": COUNTRY_MODE_LABELS[other],
        "switch_url": _url(params.to_pairs(page="", country_mode=other if other != "about" else "")),
    }


def _labels_for(params: SearchParams):
    from search.labels import labels

    found = labels()
    return {"country": found.countries, "source": found.sources, "topic": found.topics,
            "outlet_country": found.countries, **facet_names()}


def _chips(params: SearchParams, url_for):
    """Active filters, each with the URL that removes it (``url_for(**changes)``)."""
    names = _labels_for(params)
    chips = []
    for name, values in (("country", params.countries), ("source", params.sources), ("topic", params.topics),
                         *((n, getattr(params, a)) for n, a in EXTRA_FILTERS.items())):
        for value in values:
            chips.append({
                "kind": FACET_TITLES[name],
                "label": names.get(name, {}).get(value, value),
                "url": url_for(**{name: [v for v in values if v != value]}),
            })
    if params.date_from:
        chips.append({"kind": "من", "label": format_date(params.date_from), "url": url_for(date_from="")})
    if params.date_to:
        chips.append({"kind": "إلى", "label": format_date(params.date_to), "url": url_for(date_to="")})
    return chips


def _pagination(result, params: SearchParams):
    """A Page-like dict for partials/pagination.html (plus prev/next URLs)."""
    if result.pages <= 1 and result.page <= 1:
        return None
    last = result.pages
    number = params.page
    return {
        "number": number,
        "has_previous": number > 1,
        "previous_page_number": number - 1,
        "has_next": number < last,
        "next_page_number": number + 1,
        "paginator": {"num_pages": max(last, 1)},
        "prev": _url(params.to_pairs(page=number - 1)) if number > 1 else None,
        "next": _url(params.to_pairs(page=number + 1)) if number < last else None,
        "numbers": page_links(number, last, lambda n: _url(params.to_pairs(page=n if n != 1 else ""))),
    }


def _measure_links(request, measure):
    """The count/share switch under a chart: the same URL with ``measure``
    set (share) or removed (count)."""
    links = []
    for value, label in (("count", "عدد المقالات"), ("share", "النسبة من كل المقالات")):
        data = request.GET.copy()
        data.pop("measure", None)
        if value == "share":
            data["measure"] = "share"
        query = data.urlencode()
        links.append({"value": value, "label": label, "selected": value == measure,
                      "url": request.path + ("?" + query if query else "")})
    return links


def _echo(value, limit=500):
    """A raw parameter made safe to put back into the form (no control chars)."""
    value = "".join(ch for ch in (value or "")[: limit * 2] if ch.isprintable() or ch == " ")
    return value[:limit]


def _with_tags(hits):
    rows = []
    for hit in hits:
        rows.append({
            "hit": hit,
            "countries": hit.country_labels[:TAGS_SHOWN],
            "countries_more": max(len(hit.country_labels) - TAGS_SHOWN, 0),
            "topics": hit.topic_labels,
        })
    return rows


def _within_redirect(request):
    """``?q=a&within=b`` → ``?q=a b`` (b in parentheses when it has an OR)."""
    data = request.GET.copy()
    within = " ".join(v.strip() for v in data.pop("within", []) if v.strip())
    data.pop("page", None)
    if within:
        if _OR.search(within):
            within = f"({within})"
        data["q"] = f"{data.get('q', '').strip()} {within}".strip()
    query = data.urlencode()
    return redirect(reverse("search") + ("?" + query if query else ""))


@vary_on_cookie
@require_GET
@cached_page
def search_page(request):
    if "within" in request.GET:
        return _within_redirect(request)
    context = {
        "q": _echo(request.GET.get("q", "")),
        "date_from": _echo(request.GET.get("date_from", ""), 10),
        "date_to": _echo(request.GET.get("date_to", ""), 10),
        "sort_options": [],
    }
    try:
        params = parse_search_params(request.GET)
    except InvalidSearch as exc:
        context["error"] = exc.message
        return render(request, "search/search.html", context, status=400)
    result = run_search(params)
    measure = parse_measure(request.GET.get("measure"))
    groups = _facet_groups(result, params)
    context.update({
        "q": params.q,
        "params": params,
        "result": result,
        "rows": _with_tags(result.hits),
        "facet_groups": groups,
        "country_mode": _country_mode(params),
        "checkbox_groups": [g for g in groups if g["name"] != "month" and g["values"]],
        "month_group": next((g for g in groups if g["name"] == "month"), None),
        "chips": _chips(params, lambda **change: _url(params.to_pairs(page="", **change))),
        "clear_url": _url(params.to_pairs(page="", country=[], source=[], topic=[], date_from="", date_to="",
                                          **CLEAR_EXTRA)),
        "pagination": _pagination(result, params),
        "suggestion_url": _url([("q", result.suggestion)]) if result.suggestion else None,
        "sort_options": [
            {"value": v, "label": label, "selected": v == params.sort,
             "url": _url(params.to_pairs(sort=v if v != default_sort(params.q) else "", page=""))}
            for v, label in SORT_LABELS
            if v != "relevance" or params.parsed is not None
        ],
        # the query box keeps the filters; the filter form keeps the query
        "main_hidden": params.to_pairs(q="", page=""),
        "facet_hidden": params.to_pairs(country=[], source=[], topic=[], date_from="", date_to="", page="",
                                        **CLEAR_EXTRA),
        "within_hidden": params.to_pairs(page=""),
        "compare_hidden": params.to_pairs(sort="", page="", page_size=""),
        "page_size": params.page_size if params.page_size != DEFAULT_PAGE_SIZE else None,
        "first_number": (params.page - 1) * params.page_size + 1,
        "first_page_url": _url(params.to_pairs(page="")),
        "last_page_url": _url(params.to_pairs(page=result.pages if result.pages > 1 else "")),
        "timeline": search_chart(params, result, measure) if result.count else None,
        "measure_links": _measure_links(request, measure),
        "world_map": search_map(params, result) if result.count else None,
        # the block is filled in after the page is shown (its words cost a
        # few hundred ms on a new search): see terms_page and static/js/search.js
        "top_terms_url": _terms_url(params) if result.count and terms_wanted(params) else None,
        "feed_url": feed_url(params),
        "feed_title": feed_title(params),
    })
    if result.count:
        query = urlencode(params.to_pairs(page="", page_size=""))
        suffix = "?" + query if query else ""
        context.update({
            "export_csv_url": reverse("search_export_csv") + suffix,
            "export_json_url": reverse("search_export_json") + suffix,
        })
    return render(request, "search/search.html", context)


def _terms_url(params: SearchParams) -> str:
    return reverse("search_terms") + _url(params.to_pairs(page="", page_size=""))


@vary_on_cookie
@require_GET
@cached_page
def terms_page(request):
    """``/search/terms/``: the top words of a search, a page of its own (the
    link in the results page's block without JavaScript) whose block the
    results page loads into itself."""
    try:
        params = parse_search_params(request.GET)
    except InvalidSearch as exc:
        return render(request, "search/terms.html", {"error": exc.message, "q": _echo(request.GET.get("q", ""))},
                      status=400)
    context = {
        "q": params.q,
        "top_terms": term_links(params),
        "results_url": reverse("search") + _url(params.to_pairs(page="", page_size="")),
    }
    return render(request, "search/terms.html", context)


def _compare_url(queries, params, **changes):
    pairs = [("q", q) for q in queries]
    if params is not None:
        pairs += params.to_pairs(q="", sort="", page="", page_size="", **changes)
    return reverse("search_compare") + ("?" + urlencode(pairs) if pairs else "")


@vary_on_cookie
@require_GET
@cached_page
def compare_page(request):
    """2–3 queries (``q`` repeated) with shared filters on one chart."""
    queries = [q.strip() for q in request.GET.getlist("q") if q.strip()][: MAX_COMPARE * 2]
    measure = parse_measure(request.GET.get("measure"))
    context = {"queries": queries, "inputs": (queries + [""] * MAX_COMPARE)[:MAX_COMPARE]}
    try:
        if len(queries) > MAX_COMPARE:
            raise InvalidSearch(f"يمكن مقارنة {MAX_COMPARE} عمليات بحث على الأكثر.")
        shared = request.GET.copy()
        shared.setlist("q", [])
        for key in ("page", "page_size", "sort", "measure"):
            shared.pop(key, None)
        base = parse_search_params(shared)
        entries = []
        if len(queries) >= 2:
            for q in queries:
                data = shared.copy()
                data.setlist("q", [q])
                data["page_size"] = "1"
                try:
                    params = parse_search_params(data)
                except InvalidSearch as exc:
                    raise InvalidSearch(f"«{q}»: {exc.message}") from None
                if params.parsed is None:
                    raise InvalidSearch(f"«{q}» لا يحوي كلمات يمكن البحث عنها.")
                result = run_search(params)
                params.page_size = DEFAULT_PAGE_SIZE
                entries.append(CompareEntry(q=params.q, params=params, result=result, url=search_link(params)))
    except InvalidSearch as exc:
        context["error"] = exc.message
        return render(request, "search/compare.html", context, status=400)
    context.update({
        "base": base,
        "entries": entries,
        "chart": compare_chart(entries, measure) if entries else None,
        "measure_links": _measure_links(request, measure),
        "shared_hidden": base.to_pairs(q="", sort="", page="", page_size=""),
        "chips": _chips(base, lambda **change: _compare_url(queries, base, **change)),
        "search_url": search_link(base, q=" ".join(queries[:1])) if queries else search_link(base),
    })
    return render(request, "search/compare.html", context)
