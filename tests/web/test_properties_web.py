"""Property tests (hypothesis) over the search endpoints: hostile parameters.

Random query strings against a real index of the seed articles: random
Unicode ``q`` (query syntax, payloads, overlong text), random values for
every parameter (page, page_size, sort, date_from/date_to, country, source,
topic), unknown and repeated parameters, huge and negative numbers, NUL and
control characters, and raw percent-encoded bytes that are not UTF-8 (lone
surrogates, overlong forms). Whatever comes in:

- no endpoint answers 500 (the test client re-raises any exception);
- the answer is 200 or 400 (the page also redirects ``within``);
- a 400 carries an Arabic message (HTML page, JSON ``error``, CSV plain text);
- the API and the JSON export always answer JSON;
- the HTML has no markup a parameter could have brought in.

Bounds of item 6 (query length, page number, page size) are checked
exactly at their edges at the end of the file.
"""
from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from search.query import MAX_QUERY_LENGTH
from search.service import MAX_PAGE, MAX_PAGE_SIZE
from tests.web.test_xss import markup_problems

pytestmark = pytest.mark.django_db

WEB = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
ARABIC = re.compile(r"[\u0600-\u06ff]")
PARAMS = ("q", "page", "page_size", "sort", "date_from", "date_to", "country", "source", "topic")

# --- values -----------------------------------------------------------------------------

BAD_BYTES = [
    b"\xed\xa0\x80",  # a lone high surrogate, UTF-8 encoded
    b"\xed\xbf\xbf",  # a lone low surrogate
    b"\xc0\xaf",  # overlong "/"
    b"\xff\xfe",
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\x00",
    b"\xd8",  # a truncated Arabic letter
]

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
arabic_words = st.lists(
    st.sampled_from(["روسيا", "أوكرانيا", "بوتين", "فاغنر", "اليمن", "وروسيا", "في", "من", "الرئيس",
                     "مُحَمَّد", "روسيـــا", "ﷺ", "٢٠٢٣", "كوفيد-19"]),
    max_size=6,
).map(" ".join)
syntax = st.lists(
    st.sampled_from(['"', "(", ")", "-", "OR", "AND", "NOT", "«", "»", "“", "--", "روسيا", "بوتين", " ",
                     "<script>", "'", "*", "?", "~2", "title:", "\\", "%"]),
    max_size=10,
).map("".join)
overlong = st.integers(MAX_QUERY_LENGTH - 5, 3 * MAX_QUERY_LENGTH).map(lambda n: ("روسيا OR " * n)[:n])
query_text = st.one_of(any_text, arabic_words, syntax, overlong, st.just(""), st.just("   "))
numbers = st.one_of(
    st.integers(-10**30, 10**30).map(str),
    st.integers(0, 1001).map(str),
    st.sampled_from(["0", "-1", "1e3", "٣", "۳", "0x10", " 5 ", "1.5", "inf", "NaN", "", "+1",
                     "99999999999999999999", str(MAX_PAGE), str(MAX_PAGE + 1), str(MAX_PAGE_SIZE),
                     str(MAX_PAGE_SIZE + 1), "1" * 5000]),
    any_text,
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2023-02-30", "0000-00-00", "9999-12-31", "1799-12-31", "1800-01-01", "٢٠٢٣-٠٦-٢٤",
                     "2023-6-1", "2023-06-24T00:00", "2023-06-24 ", "-2023-01-01", ""]),
    any_text,
)
sorts = st.one_of(st.sampled_from(["relevance", "newest", "oldest", "RELEVANCE", " newest", ""]), any_text)
codes = st.one_of(st.text(st.sampled_from("ABCRUSYEGZ"), min_size=0, max_size=3), any_text)
slugs = st.one_of(st.from_regex(r"[-a-z0-9_]{1,12}", fullmatch=True), st.just("x" * 101), any_text)
unknown_keys = st.one_of(st.sampled_from(["within", "page[]", "q[]", "Q", "format", "callback", ""]), any_text)


def _value_for(key, real):
    return {
        "q": query_text,
        "page": numbers,
        "page_size": numbers,
        "sort": sorts,
        "date_from": dates,
        "date_to": dates,
        "country": st.one_of(st.sampled_from(real["country"]), codes),
        "source": st.one_of(st.sampled_from(real["source"]), slugs),
        "topic": st.one_of(st.sampled_from(real["topic"]), slugs),
    }.get(key, any_text)


def _valid_for(key, real):
    """Values the search accepts, so that hostile queries reach the engine."""
    return {
        "q": query_text,
        "page": st.one_of(st.integers(1, 3), st.integers(1, MAX_PAGE)).map(str),
        "page_size": st.integers(1, MAX_PAGE_SIZE).map(str),
        "sort": st.sampled_from(["relevance", "newest", "oldest"]),
        "date_from": st.dates().filter(lambda d: d.year >= 1800).map(lambda d: d.isoformat()),
        "date_to": st.dates().filter(lambda d: d.year >= 1800).map(lambda d: d.isoformat()),
        "country": st.sampled_from(real["country"]),
        "source": st.sampled_from(real["source"]),
        "topic": st.sampled_from(real["topic"]),
    }[key]


def query_pairs(real):
    """[(key, value)], a value being text or raw bytes (percent-encoded as is).

    Half the lists are hostile everywhere (mostly refused with 400); the other
    half have a hostile ``q`` and unknown parameters with otherwise valid
    values, so the query parser and the engine run on them.
    """
    known = st.sampled_from(PARAMS).flatmap(lambda k: st.tuples(st.just(k), _value_for(k, real)))
    valid = st.sampled_from(PARAMS).flatmap(lambda k: st.tuples(st.just(k), _valid_for(k, real)))
    unknown = st.tuples(unknown_keys.filter(lambda k: k not in PARAMS), any_text)
    raw = st.tuples(st.sampled_from(PARAMS), st.one_of(st.sampled_from(BAD_BYTES), st.binary(max_size=6)))
    raw_q = st.tuples(st.just("q"), st.one_of(st.sampled_from(BAD_BYTES), st.binary(max_size=6)))
    hostile = st.lists(st.one_of(known, known, known, unknown, raw), max_size=8)
    plausible = st.lists(st.one_of(valid, valid, unknown, raw_q), max_size=6)
    return st.one_of(hostile, plausible.map(lambda pairs: pairs))


def encode(pairs) -> str:
    parts = []
    for key, value in pairs:
        if isinstance(value, bytes):
            value = "".join(f"%{b:02X}" for b in value)
        else:
            value = quote(value, safe="")
        parts.append(f"{quote(key, safe='')}={value}")
    return "&".join(parts)


@pytest.fixture
def real_values(search_seeded, settings):
    """Filter values that exist in the seeded archive (and no API rate limit)."""
    from archive.models import Article, Country, Source, Topic

    settings.API_RATE_LIMIT = "off"
    used = Article.objects.values_list("country_mentions__country", flat=True)
    return {
        "country": sorted({c for c in used if c}) or list(Country.objects.values_list("code", flat=True)[:3]),
        "source": list(Source.objects.values_list("slug", flat=True)) or ["none"],
        "topic": list(Topic.objects.values_list("slug", flat=True)[:5]) or ["none"],
        "article": Article.objects.filter(is_hidden=False).values_list("pk", flat=True).first(),
    }


# --- checks -----------------------------------------------------------------------------

def check_html(response, *, redirect_ok=False):
    if redirect_ok and response.status_code == 302:
        assert response["Location"].startswith("/search/")
        return
    assert response.status_code in (200, 400), response.status_code
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode("utf-8")
    assert markup_problems(html) == []
    if response.status_code == 400:
        message = re.search(r'class="search-error".*?</div>', html, re.S)
        assert message and ARABIC.search(message.group(0))


def check_json(response, required=()):
    assert response.status_code in (200, 400), response.status_code
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    if response.status_code == 400:
        assert set(data) == {"error"} and ARABIC.search(data["error"])
    else:
        assert set(required) <= set(data)
    return data


# --- properties ---------------------------------------------------------------------------

# Explicit cases: each kind of hostile value at least once whatever the seed.
EXAMPLES = [
    [("q", "\x00")],
    [("q", b"\xed\xa0\x80")],
    [("page", b"\xff\xfe"), ("q", "روسيا")],
    [("page", "99999999999999999999")],
    [("page", str(MAX_PAGE)), ("page_size", str(MAX_PAGE_SIZE)), ("q", "روسيا")],
    [("page_size", "-5")],
    [("q", "روسيا"), ("q", "بوتين"), ("q", "")],
    [("country", "RU")] * 40,
    [("date_from", "2023-12-31"), ("date_to", "2023-01-01")],
    [("sort", "relevance")],
    [("q", "روسيا OR " * 200)],
    [("q", '"روسيا'), ("within", "(")],
    [("q", "a" * 10000)],
    [("¿", "\u202e"), ("", "")],
]


def with_examples(test):
    for pairs in EXAMPLES:
        test = example(pairs=pairs)(test)
    return test


def get_drawn(client, path, real_values, data):
    """GET ``path`` with drawn query pairs; the status is a hypothesis event."""
    pairs = data.draw(query_pairs(real_values), label="pairs")
    response = client.get(f"{path}?" + encode(pairs))
    event(f"status {response.status_code}")
    return response


@pytest.mark.slow
@settings(WEB, max_examples=70)
@given(data=st.data())
def test_search_page_never_fails(client, real_values, data):
    response = get_drawn(client, "/search/", real_values, data)
    check_html(response, redirect_ok=True)


@settings(WEB, max_examples=25)
@given(pairs=st.lists(st.tuples(st.sampled_from(PARAMS), st.one_of(any_text, st.sampled_from(BAD_BYTES))),
                      max_size=6))
@with_examples
@pytest.mark.slow  # over a second: left out of make test-fast
def test_search_page_explicit_cases(client, real_values, pairs):
    check_html(client.get("/search/?" + encode(pairs)), redirect_ok=True)


@pytest.mark.slow
@settings(WEB, max_examples=80)
@given(data=st.data())
def test_api_never_fails_and_answers_json(client, real_values, data):
    response = get_drawn(client, "/api/search/", real_values, data)
    body = check_json(response, required=("query", "count", "page", "pages", "results", "facets"))
    if "results" in body:
        assert isinstance(body["count"], int) and body["count"] >= 0
        assert len(body["results"]) <= MAX_PAGE_SIZE


@settings(WEB, max_examples=25)
@given(pairs=st.lists(st.tuples(st.sampled_from(PARAMS), st.one_of(any_text, st.sampled_from(BAD_BYTES))),
                      max_size=6))
@with_examples
def test_api_explicit_cases(client, real_values, pairs):
    check_json(client.get("/api/search/?" + encode(pairs)), required=("query", "results"))


@settings(WEB, max_examples=30)
@given(data=st.data())
def test_terms_page_never_fails(client, real_values, data):
    """/search/terms/ (the block the results page loads after it is shown)."""
    check_html(get_drawn(client, "/search/terms/", real_values, data))


@settings(WEB, max_examples=30)
@given(data=st.data(), extra=st.lists(query_text, min_size=0, max_size=4))
def test_compare_page_never_fails(client, real_values, data, extra):
    pairs = data.draw(query_pairs(real_values), label="pairs") + [("q", q) for q in extra]
    check_html(client.get("/search/compare/?" + encode(pairs)))


@settings(WEB, max_examples=25)
@given(data=st.data())
def test_exports_never_fail(client, real_values, data):
    pairs = data.draw(query_pairs(real_values), label="pairs")
    response = client.get("/search/export.csv?" + encode(pairs))
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith("\ufeffid,title,")
    else:
        assert response["Content-Type"].startswith("text/plain") and ARABIC.search(response.content.decode())
    body = check_json(client.get("/search/export.json?" + encode(pairs)), required=("count", "results"))
    assert isinstance(body, dict)


@pytest.mark.slow
@settings(WEB, max_examples=25)
@given(q=st.one_of(query_text, st.sampled_from(BAD_BYTES)))
def test_article_page_with_any_highlight_query(client, real_values, q):
    pk = real_values["article"]
    response = client.get(f"/articles/{pk}/?" + encode([("q", q)]))
    assert response.status_code == 200
    assert markup_problems(response.content.decode()) == []


@settings(WEB, max_examples=60)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
       q=st.one_of(arabic_words, any_text))
def test_snippets_and_marks_are_escaped_text(text, q):
    """snippet_html / mark_text: the text escaped, with <mark> as the only markup."""
    from search.analysis import analyze
    from search.highlight import mark_text, snippet_html
    from search.query import QueryError, parse_query

    try:
        terms = parse_query(q).terms if q.strip() else frozenset()
    except QueryError:
        terms = frozenset()
    # words of the text itself, so that marks happen
    terms = terms | {t.text for t in analyze(text)[:3]}
    marked = str(mark_text(text, terms))
    plain = marked.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in plain and ">" not in plain
    assert unescape(plain) == text
    snippet = str(snippet_html(text, terms))
    plain = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in plain and ">" not in plain
    assert unescape(plain).strip(" …") in " ".join(text.split())


# --- item 6: bounds ----------------------------------------------------------------------------


def test_query_length_page_and_page_size_are_bounded(client, real_values):
    longest = "روسيا " + "ب" * (MAX_QUERY_LENGTH - 6)
    assert len(longest) == MAX_QUERY_LENGTH
    assert client.get("/api/search/", {"q": longest}).status_code == 200
    assert client.get("/api/search/", {"q": f"  {longest}  "}).status_code == 200  # spaces around are free
    too_long = "ا" * (MAX_QUERY_LENGTH + 1)
    for path in ("/api/search/", "/search/", "/search/export.json"):
        response = client.get(path, {"q": too_long})
        assert response.status_code == 400, path
        assert str(MAX_QUERY_LENGTH) in response.content.decode()
    # a huge q is refused before any parsing
    assert client.get("/api/search/", {"q": "ا" * 20_000}).status_code == 400

    for value, status in (("1", 200), (str(MAX_PAGE), 200), (str(MAX_PAGE + 1), 400), ("0", 400),
                          ("-1", 400), ("10" * 20, 400)):
        assert client.get("/api/search/", {"page": value}).status_code == status, value
    for value, status in (("1", 200), (str(MAX_PAGE_SIZE), 200), (str(MAX_PAGE_SIZE + 1), 400), ("0", 400)):
        response = client.get("/api/search/", {"page_size": value})
        assert response.status_code == status, value
        if status == 200:
            assert len(response.json()["results"]) <= int(value)
    # the last allowed page far beyond the results: 200 and no results
    data = client.get("/api/search/", {"page": str(MAX_PAGE), "page_size": str(MAX_PAGE_SIZE)}).json()
    assert data["results"] == [] and data["count"] > 0
