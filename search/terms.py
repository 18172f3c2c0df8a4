"""Top words of a search: the words most characteristic of the matching
articles against the whole archive (``GET /api/terms/`` and the results
page's «الكلمات المميزة» block).

- ``count_words(texts)``: per-article document frequency of each normalized,
  unstemmed word (the ``text_exact`` form) and the most frequent surface form
  of each; stopwords, digits and punctuation are left out;
- ``log_likelihood(a, n1, b, n2)``: Dunning's G² of a word found in ``a`` of
  ``n1`` sampled matches and ``b`` of ``n2`` other articles;
- ``rank_terms(...)``: the over-represented words by G², as written, without
  the query's own words (nor their clitic or other spellings);
- ``terms_wanted(params)``: whether a search has top words (a query or a filter);
- ``term_links(params)``: the list of the block (loaded by the results page
  after it is shown, from ``/search/terms/``), each word with the link that
  adds it to the query (filters kept);
- ``top_terms(params)``: the whole computation for ``SearchParams``: the first
  ``SAMPLE_SIZE`` matches in search order (one engine call), their text from
  the database, and the archive's document frequencies from the engine's
  index vocabulary (``query_vocabulary``).

With no index vocabulary (the Elasticsearch engine) there is no background
and the list is empty.
"""
from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.urls import reverse

from archive.models import Article
from search import engines
from search.analysis import STOPWORDS, light_stem, strip_proclitics, variant_key
from search.analysis.normalization import normalize_token
from search.analysis.tokenization import TOKEN_RE
from search.query import exact_forms
from search.service import SearchParams, ranked_ids

SAMPLE_SIZE = 200  # matches (top-ranked) whose words are counted (a page view pays for it: kept small)
TEXT_CHARS = 3000  # characters of each article read (the title and the start of the body)
CACHE_SIZE = 64  # lists kept per process, per index generation
TOP_TERMS = 30
MIN_WORD_LENGTH = 2
MIN_SHARE = 0.005  # a word must be in this share of the sampled articles (at least 2) ...
LARGE_SAMPLE = 50  # ... once the sample has at least this many


@dataclass(frozen=True)
class Term:
    term: str  # the most frequent surface form among the sampled matches
    form: str  # the normalized form (the index's ``text_exact`` term)
    count: int  # sampled matches that contain it
    score: float  # G² (log-likelihood), only over-represented words


def _word_form(surface: str) -> str | None:
    """The normalized form of a surface token, or None when it is no word to
    list (a stopword, a number, a lone letter, a ligature of several words)."""
    forms = normalize_token(surface)
    if len(forms) != 1:
        return None
    form = forms[0]
    if len(form) < MIN_WORD_LENGTH or not form.isalpha() or form in STOPWORDS:
        return None
    return form


def count_words(texts) -> tuple[Counter, dict[str, str]]:
    """(document frequency of each normalized word over ``texts``, its most
    frequent surface form, counted in articles). Each distinct surface token
    is analysed once."""
    df: Counter = Counter()
    surface_counts: Counter = Counter()  # articles per surface form
    form_of: dict[str, str | None] = {}
    for text in texts:
        surfaces = set(TOKEN_RE.findall(text or ""))
        for surface in surfaces.difference(form_of):
            form_of[surface] = _word_form(surface)
        surface_counts.update(surfaces)
        forms = set(map(form_of.__getitem__, surfaces))
        forms.discard(None)
        df.update(forms)
    written: dict[str, str] = {}
    best: dict[str, int] = {}
    for surface, n in surface_counts.items():
        form = form_of.get(surface)
        if form is not None and (n > best.get(form, 0) or (n == best[form] and surface < written[form])):
            best[form] = n
            written[form] = surface
    return df, written


def _xlogx_ratio(observed, expected):
    observed = np.asarray(observed, dtype=float)
    expected = np.asarray(expected, dtype=float)
    ok = (observed > 0) & (expected > 0)
    return np.where(ok, observed * np.log(np.where(ok, observed, 1.0) / np.where(ok, expected, 1.0)), 0.0)


def log_likelihood(a, n1: int, b, n2: int):
    """Dunning's G² for a 2×2 table: ``a`` of ``n1`` documents against ``b``
    of ``n2`` documents (``a`` and ``b`` numbers or numpy arrays)."""
    total = n1 + n2
    if total <= 0 or n1 <= 0 or n2 <= 0:
        return 0.0 if np.ndim(a) == 0 else np.zeros(np.shape(a))
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with_word = a + b
    g2 = 2.0 * (
        _xlogx_ratio(a, n1 * with_word / total)
        + _xlogx_ratio(n1 - a, n1 * (total - with_word) / total)
        + _xlogx_ratio(b, n2 * with_word / total)
        + _xlogx_ratio(n2 - b, n2 * (total - with_word) / total)
    )
    return float(g2) if g2.ndim == 0 else g2


def query_matcher(words, terms=(), expansions=()):
    """A predicate telling whether a normalized form is one of the query's own
    words: the same form, its light stem, the form without a proclitic, or
    the same spelling-variant key (other spellings of a name)."""
    forms = set()
    for word in words:
        forms.update(exact_forms(word))
    for e in expansions:
        for variant in e.get("variants", ()):
            forms.update(exact_forms(variant))
    stems = set(terms) | {light_stem(f) for f in forms}
    keys = {variant_key(f) for f in forms if len(f) >= 3}

    def is_query_word(form: str) -> bool:
        if form in forms or light_stem(form) in stems:
            return True
        bare = strip_proclitics(form, lambda rest: rest in forms or light_stem(rest) in stems)
        if bare != form:
            return True
        return len(form) >= 3 and variant_key(form) in keys

    return is_query_word


def rank_terms(sample_df, written, n_sample, background_df, n_total, *, exclude=None,
               limit=TOP_TERMS) -> list[Term]:
    """The ``limit`` words most over-represented in the sample by G².

    ``sample_df``: {form: sampled articles holding it} over ``n_sample``
    articles; ``background_df(form)``: articles of the whole archive
    (``n_total``, the sample included) holding it; ``exclude(form)``: true
    for words to leave out (the query's own)."""
    n_rest = n_total - n_sample
    if n_sample <= 0 or n_rest <= 0:
        return []
    min_count = max(2, math.ceil(MIN_SHARE * n_sample)) if n_sample >= LARGE_SAMPLE else 1
    forms, a_list, b_list = [], [], []
    for form, a in sample_df.items():
        if a < min_count or (exclude is not None and exclude(form)):
            continue
        b = min(max(background_df(form) - a, 0), n_rest)
        if a * n_rest <= b * n_sample:
            continue  # not over-represented
        forms.append(form)
        a_list.append(a)
        b_list.append(b)
    if not forms:
        return []
    scores = log_likelihood(np.array(a_list), n_sample, np.array(b_list), n_rest)
    ranked = [Term(term=written.get(form, form), form=form, count=a, score=round(float(score), 2))
              for form, a, score in zip(forms, a_list, scores, strict=True) if score > 0]
    ranked.sort(key=lambda t: (-t.score, -t.count, t.form))
    return ranked[:limit]


def _texts(ids):
    rows = Article.objects.filter(pk__in=ids, is_hidden=False).values_list("pk", "title", "body")
    return [f"{title}\n{body}"[:TEXT_CHARS] for _pk, title, body in rows]


_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def _cached(key, vocabulary):
    with _cache_lock:
        found = _cache.get(key)
        if found is not None and found[0] is vocabulary:  # the same index generation
            _cache.move_to_end(key)
            return found[1]
    return None


def _store(key, vocabulary, terms):
    with _cache_lock:
        _cache[key] = (vocabulary, terms)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def top_terms(params: SearchParams, *, sample_size: int = SAMPLE_SIZE, limit: int = TOP_TERMS) -> list[Term]:
    """The words most characteristic of the matches of ``params`` (kept per
    process for the same query, sample and index generation: paging through
    results does not count again)."""
    _total, ids = ranked_ids(params, limit=sample_size)
    if not ids:
        return []
    with engines.current().query_vocabulary() as (doc_frequency, vocabulary):
        if doc_frequency is None or vocabulary is None or not vocabulary.doc_count:
            return []
        key = (params.q, limit, tuple(ids))
        terms = _cached(key, vocabulary)
        if terms is None:
            texts = _texts(ids)
            sample_df, written = count_words(texts)
            parsed = params.parsed
            exclude = query_matcher(parsed.words, parsed.terms, parsed.expansions) if parsed else None
            terms = rank_terms(sample_df, written, len(texts), doc_frequency, vocabulary.doc_count,
                               exclude=exclude, limit=limit)
            _store(key, vocabulary, terms)
        return terms


def terms_wanted(params: SearchParams) -> bool:
    """Whether a search has top words: a query or a filter (the whole archive
    unfiltered has nothing to be contrasted with)."""
    return bool(params.parsed is not None or params.countries or params.sources or params.topics
                or params.date_from or params.date_to
                or params.people or params.outlet_countries or params.collections)


def term_links(params: SearchParams) -> list[dict]:
    """The words of the «الكلمات المميزة» block: [{"term", "count", "score",
    "url"}], the url (the results page) adding the word to the query and
    keeping the filters. Empty when ``terms_wanted`` says so."""
    if not terms_wanted(params):
        return []
    out = []
    results = reverse("search")
    for t in top_terms(params):
        q = f"{params.q} {t.term}".strip()
        out.append({"term": t.term, "count": t.count, "score": t.score,
                    "url": results + "?" + urlencode(params.to_pairs(q=q, page=""))})
    return out
