"""The proclitic and definite-article lists (one definition for the stemmer,
the query, the query-time expansion and the Elasticsearch overrides).

- ``PROCLITICS``: the single-letter proclitics و ف ب ل ك;
- ``PROCLITIC_PAIRS``: two-letter chains وب ول فب فل وك فك;
- ``CLITICS``: the chains split off a protected name, pairs first
  (``search.query``, ``search.query.expansion``, ``search.elastic.settings``);
- ``AL``: the definite article;
- ``ARTICLE_CHAINS``: the article with the proclitics that can precede it,
  in the order query-time expansion tries them (``search.query.expansion``);
- ``ARTICLES``: the article alone or with one proclitic, as the light stemmer
  removes them and Elasticsearch's ``stemmer_override`` maps them;
- ``strip_article(word)``: the word without a leading «ال» (kept on words
  under five letters: «الم», «الى»).
"""
from __future__ import annotations

PROCLITICS = "وفبلك"
PROCLITIC_PAIRS: tuple[str, ...] = ("وب", "ول", "فب", "فل", "وك", "فك")
CLITICS: tuple[str, ...] = PROCLITIC_PAIRS + tuple(PROCLITICS)

AL = "ال"
ARTICLE_CHAINS: tuple[str, ...] = (AL, "وال", "فال", "بال", "كال", "لل", "وبال", "ولل", "فلل", "فبال")
ARTICLES: tuple[str, ...] = ARTICLE_CHAINS[:6]


def strip_article(word: str) -> str:
    """``word`` without a leading «ال» when at least three letters remain."""
    return word[2:] if word.startswith(AL) and len(word) >= 5 else word
