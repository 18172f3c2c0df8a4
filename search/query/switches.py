"""Switching off a searched spelling: the query with that spelling excluded.

The results page lists the other spellings a word was searched with; each
gets a link that runs the same query with ``-spelling`` appended
(``switch_links``). The query syntax already means "without": the excluded
word's articles are left out, and the expansion no longer lists or searches
that spelling (``excluded_forms`` reads the excluded words of the parsed
query, ``filter_excluded`` drops them from a ``WordExpansion``). Being part
of ``q``, the switch survives pagination, filters, the API and exports.
"""
from __future__ import annotations

from dataclasses import replace

from search.analysis.clitics import ARTICLE_CHAINS, CLITICS

_PREFIXES = ("",) + CLITICS + ARTICLE_CHAINS


def excluded_forms(ast, exact_forms) -> frozenset:
    """Normalized forms of the one-word leaves under a ``not`` of ``ast``
    (``exact_forms(text)`` normalizes a leaf)."""
    out = set()

    def walk(node, negated):
        kind = node[0]
        if kind in ("word", "phrase"):
            if negated:
                forms = exact_forms(node[1])
                if len(forms) == 1:
                    out.add(forms[0])
        elif kind == "not":
            walk(node[1], not negated)
        else:
            for child in node[1]:
                walk(child, negated)

    walk(ast, False)
    return frozenset(out)


def filter_excluded(exp, excluded):
    """``exp`` (a ``WordExpansion``, shared by a cache: never changed)
    without the excluded spellings and their proclitic/article forms."""
    if not excluded or not exp.variants:
        return exp
    dropped = [v for v in exp.variants if v in excluded]
    if not dropped:
        return exp
    gone = {p + v for v in dropped for p in _PREFIXES}
    return replace(exp, variants=[v for v in exp.variants if v not in excluded],
                   variant_forms=[f for f in exp.variant_forms if f not in gone])


def switch_links(text: str, spellings) -> list[dict]:
    """[{"spelling", "query"}]: the query ``text`` with one spelling switched off."""
    return [{"spelling": s, "query": f"{text} -{s}"} for s in spellings]
