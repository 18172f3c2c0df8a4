"""«هل تقصد …؟» on the built-in engine.

``suggest_in_view(view, parsed)``: each word of the query that is not in the
index vocabulary (the exact, unstemmed field) is replaced by the closest
indexed word (edit distance, then frequency), a word in Latin letters by its
most frequent Arabic spelling in the archive (``search.query.latin``; never
an English word); the suggestion is offered only if it finds articles. ``suggest_text(view, query)`` parses the text first.
"""
from __future__ import annotations

from functools import lru_cache

from search.analysis.latin import latin_word
from search.analysis.whoosh_glue import ArabicExactAnalyzer
from search.query import QueryError, parse_query, respell
from search.query.latin import latin_spellings
from search.schema import EXACT_FIELD


@lru_cache(maxsize=1)
def _exact_analyzer():
    return ArabicExactAnalyzer()


def suggest_in_view(view, parsed) -> str | None:
    """A corrected query text or None (``parsed``: a ``ParsedQuery``)."""
    if parsed is None or not parsed.words:
        return None
    replacements = {}
    for word in dict.fromkeys(parsed.words):
        core = word.strip('"()')
        forms = [t.text for t in _exact_analyzer()(core)]
        if not forms or all(view.known_term(EXACT_FIELD, f) for f in forms):
            continue
        if latin_word(core):
            # a name typed in Latin letters: its Arabic spelling in the archive, never an English word
            arabic = latin_spellings(core, view.vocabulary)
            if arabic:
                replacements[core] = arabic[0]
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


def suggest_text(view, query: str) -> str | None:
    """``suggest_in_view`` for a query text (None when it does not parse)."""
    try:
        parsed = parse_query(query)
    except QueryError:
        return None
    return suggest_in_view(view, parsed)
