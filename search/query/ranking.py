"""Ranking rules for a query of several words (issue #15, "Ranking").

The words of a query are ANDed; each word is an OR of its stemmed terms,
its exact form and its expansions (``search.query.builder``). Summing BM25
over those clauses ranks an article by how often it uses the words' stems,
so a long article that mentions the words' other forms in its body can pass
the article whose headline holds the very words typed. ``with_bonuses``
keeps the same matches (the same articles are found) and adds optional
clauses (``AndMaybe``: scored only where the query already matches):

- ``title``: every word in the title (any of the word's stemmed terms)
  adds its title scores once more (×``TITLE_ALL_BOOST``);
- ``title_near``: the words next to each other in the title, in the order
  typed (``NEAR_SLOP``), add their title scores again (×``TITLE_NEAR_BOOST``);
- ``near``: the same in ``text`` (title and body; ×``NEAR_BOOST``).

Measured on the dev half of the known items at 10,000 articles (MRR@100,
controls in brackets; docs/quality.md): none .898 (.866), ``title`` ×1
.940 (.891), ×2 .944 (.896), ``near`` alone (slop 3) .923 (.881), ``title`` +
``title_near`` (slop 1, ×2) .947 (.907), the three .947 (.907). ``exact``
(every word's exact form present, ×``EXACT_ALL_BOOST``) made it worse (.890,
.859) and is not a default rule: the exact form is already a clause of
every word (``builder.EXACT_BOOST``). ``Word`` describes one query word for
the rules; single words and phrases get no bonus.
"""
from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from search.schema import EXACT_FIELD, TEXT_FIELD, TITLE_FIELD

TITLE_ALL_BOOST = 2.0  # every word in the title
TITLE_NEAR_BOOST = 2.0  # the words next to each other in the title, in order
NEAR_BOOST = 1.0  # the words next to each other in the text, in order
NEAR_SLOP = 1  # positions from one word to the next (1: adjacent)
EXACT_ALL_BOOST = 1.0  # every word's exact form in the article (measured, not a default rule)
RULES_DEFAULT = ("title", "title_near", "near")
RULES = RULES_DEFAULT  # the rules applied (tests and measurements switch them)


@dataclass(frozen=True)
class Word:
    """One query word as the rules see it."""

    stems: tuple  # stemmed terms of ``text``/``title`` (the first is the word's own)
    exact: tuple  # exact forms of ``text_exact`` (the word as typed, its base)


def _terms(field, texts, boost):
    return [wq.Term(field, t, boost=boost) for t in texts]


def bonuses(words, rules=None) -> list:
    """The optional clauses of ``rules`` for ``words`` (two or more)."""
    rules = RULES if rules is None else rules
    out = []
    if len(words) < 2:
        return out
    if "title" in rules and TITLE_ALL_BOOST:
        out.append(wq.And([wq.Or(_terms(TITLE_FIELD, w.stems, TITLE_ALL_BOOST)) for w in words]))
    if "near" in rules and NEAR_BOOST:
        out.append(wq.Phrase(TEXT_FIELD, [w.stems[0] for w in words], slop=NEAR_SLOP, boost=NEAR_BOOST))
    if "title_near" in rules and TITLE_NEAR_BOOST:
        out.append(wq.Phrase(TITLE_FIELD, [w.stems[0] for w in words], slop=NEAR_SLOP, boost=TITLE_NEAR_BOOST))
    if "exact" in rules and EXACT_ALL_BOOST:
        out.append(wq.And([wq.Or(_terms(EXACT_FIELD, w.exact, EXACT_ALL_BOOST)) for w in words]))
    return out


def with_bonuses(query, words, rules=None):
    """``query`` (the words ANDed) with the optional ranking clauses."""
    extra = bonuses(words, rules)
    if not extra:
        return query
    return wq.AndMaybe(query, extra[0] if len(extra) == 1 else wq.Or(extra))
