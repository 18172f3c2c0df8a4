"""The user's query: syntax, Whoosh queries, query-time expansion.

- ``syntax``     lexer and parser of the Google-like syntax, ``QueryError``,
                 the Arabic messages and limits (no Django, no Whoosh);
- ``builder``    ``parse_query`` → ``ParsedQuery`` (Whoosh query, terms to
                 highlight, words, expansions): analysis, proclitic families,
                 boosts; ``respell``, ``quote_word``, ``exact_forms``;
- ``ranking``    the ranking rules of several words (all in the title,
                 next to each other in the title and in the text);
- ``expansion``  one word against the index vocabulary: proclitic split,
                 other spellings, gender family, curated aliases (NameVariant),
                 country name ↔ nisba adjective, typos of frequent words;
- ``spelling``   which indexed words may be other spellings of a word
                 (class-aware candidate skeletons, ``plausible_spelling``,
                 no false friends across letter classes);
- ``variant_evidence`` two plausible spellings that the articles show to be
                 two names (shared articles at a few times chance: «سلمان/سليمان»);
- ``latin``      a word in Latin letters → the index's Arabic spellings;
- ``switches``   the query with one searched spelling switched off (``-word``);
- ``curation``   the spelling pairs a curator blocked (NameVariant.blocked).

Dependencies: ``syntax`` ← ``builder`` → ``expansion`` → ``spelling``, ``variant_evidence`` →
``search.analysis``, ``builder`` → ``ranking``;
the package imports no engine (the index vocabulary is passed in).
"""
from __future__ import annotations

from search.query.builder import (
    CLITIC_BOOST,
    EXACT_BOOST,
    VARIANT_BOOST,
    ParsedQuery,
    analyze_positions,
    analyze_terms,
    clitic_family,
    exact_forms,
    parse_query,
    quote_word,
    respell,
)
from search.query.syntax import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    MSG_NO_WORDS,
    MSG_ONLY_EXCLUDED,
    QueryError,
    clean_query,
    parse_tree,
)

__all__ = [
    "CLITIC_BOOST", "EXACT_BOOST", "VARIANT_BOOST", "MAX_QUERY_LENGTH", "MAX_TERMS", "MSG_NO_WORDS",
    "MSG_ONLY_EXCLUDED", "ParsedQuery", "QueryError", "analyze_positions", "analyze_terms", "clean_query",
    "clitic_family", "exact_forms", "parse_query", "parse_tree", "quote_word", "respell",
]
