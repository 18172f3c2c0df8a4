"""Marking query words in article text (pure text work: no engine).

- ``term_marks(text, terms)``: (start, end, term) of the words of ``text`` whose
  analyzed form is one of ``terms`` (only the words near a possible match go
  through the analyzer);
- ``mark_text(text, terms)``: the whole text, escaped, with ``<mark>``;
- ``highlight_terms(query, doc_frequency=None, vocabulary=None)`` and
  ``highlight_html(text, query, ...)``: the terms of a user query;
- ``snippet_html(text, terms)``: a short excerpt around the best cluster of
  matches; ``snippets_for(ids, terms)``: those of some articles.

The engine-backed variants (the current index's vocabulary) are
``search.results.query_terms`` and ``search.results.query_highlight_html``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.models import Article
from search.analysis import analyze
from search.analysis.normalization import FOLD_TABLE
from search.query import QueryError, parse_query

SNIPPET_CHARS = 260
SNIPPET_SCAN_CHARS = 20000


def _tokens(text: str):
    return analyze(text)


def term_marks(text: str, terms) -> list[tuple[int, int, str]]:
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
    folded, shifts = _folded(text)
    windows = []
    for m in rx.finditer(folded):
        a, b = m.span()
        if shifts is not None:  # back to offsets in ``text``
            a, b = a + bisect_right(shifts, a), b - 1 + bisect_right(shifts, b - 1) + 1
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
def _fold_maps():
    """(table folding every char the normalizer folds to one char into that
    char and deleting the chars it deletes; regex of those deleted chars)."""
    table = {code: value for code, value in FOLD_TABLE.items()
             if value is None or len(value) == 1}
    deleted = "".join(chr(code) for code, value in FOLD_TABLE.items() if value is None)
    return table, re.compile("[" + re.escape(deleted) + "]") if deleted else None


_DELETED = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=1)
def _fold_array() -> np.ndarray:
    """``_fold_maps``' table as a uint32 array over the Basic Multilingual
    Plane (``_DELETED`` for a deleted char; chars above it fold to themselves)."""
    table, _deleted = _fold_maps()
    out = np.arange(0x10000, dtype=np.uint32)
    for code, value in table.items():
        if code < 0x10000:
            out[code] = _DELETED if value is None else ord(value)
    return out


def _folded(text: str):
    """(``text`` folded as the normalizer folds it, without the chars it
    deletes; None when nothing was deleted (same offsets), else the sorted
    folded offsets at which a char was deleted: folded offset ``a`` is
    ``a + bisect_right(shifts, a)`` in ``text``). With numpy over the
    UTF-32 code points: ``str.translate`` with a dict looks every char up
    in Python (about 0.1 ms per 2,500 chars, a third of a page's snippets)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = _fold_array()[np.minimum(codes, 0xFFFF)]
    high = codes > 0xFFFF
    if high.any():
        mapped[high] = codes[high]
    keep = mapped != _DELETED
    if keep.all():
        return mapped.tobytes().decode("utf-32-le", "surrogatepass"), None
    gone = np.flatnonzero(~keep)
    folded = mapped[keep].tobytes().decode("utf-32-le", "surrogatepass")
    return folded, (gone - np.arange(len(gone))).tolist()


def _needles(terms: frozenset) -> set:
    """Strings one of which (up to folding) a word must hold to analyze to
    one of ``terms``: an analyzed term is a substring of its folded surface
    word, except names that keep «ال» after «لل» («للكرملين» → «الكرملين»)."""
    needles = {t[2:] if t.startswith("ال") and len(t) > 3 else t for t in terms if t}
    # a needle holding a shorter one adds nothing («بمصر» ⊃ «مصر»)
    return {n for n in needles if not any(o != n and o in n for o in needles)}


@lru_cache(maxsize=256)
def _needle_re(terms: frozenset):
    """A regex of the needles (folded, literal) to run over ``_folded`` text:
    literals compile in microseconds where classes of every folded char
    between every pair of chars took tens of milliseconds per query."""
    table, deleted = _fold_maps()
    parts = []
    for needle in sorted(_needles(terms), key=len, reverse=True):
        folded = needle.translate(table)
        if deleted is not None:
            folded = deleted.sub("", folded)
        if folded:
            parts.append(re.escape(folded))
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
    return mark_safe(_render(text, term_marks(text, terms), 0, len(text)))


def highlight_terms(query: str, doc_frequency=None, vocabulary=None) -> frozenset:
    """Analyzed terms of the (non-excluded) words of a user query; empty if
    the query is empty or malformed. With the index's ``doc_frequency`` and
    ``vocabulary`` (see ``search.query.parse_query``) the proclitic forms and
    other spellings searched are marked too; if they fail, the words alone."""
    if not query or not str(query).strip():
        return frozenset()
    try:
        parsed = parse_query(query)
    except QueryError:
        return frozenset()
    if doc_frequency is None and vocabulary is None:
        return parsed.terms
    try:
        return parse_query(query, doc_frequency=doc_frequency, vocabulary=vocabulary).terms
    except QueryError:
        return frozenset()
    except Exception:  # an unreadable index: the words themselves are still marked
        return parsed.terms


def highlight_html(text: str, query: str, doc_frequency=None, vocabulary=None) -> SafeString:
    """``mark_text(text, highlight_terms(query, ...))``."""
    return mark_text(text, highlight_terms(query, doc_frequency, vocabulary))


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
        marks.extend((s + pos, e + pos, t) for s, e, t in term_marks(text[pos:end], terms))
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


def snippets_for(ids, terms) -> dict:
    """{id: snippet_html} for the given article ids (haystack highlight path);
    ``terms`` as returned by ``highlight_terms``."""
    bodies = Article.objects.filter(pk__in=list(ids)).values_list("pk", "body")
    return {pk: snippet_html(body, terms) for pk, body in bodies}
