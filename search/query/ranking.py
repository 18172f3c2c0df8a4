"""Ranking rules (issue #15, "Ranking"): the article with the very words
typed, with all of them in its title or next to each other, ranks first;
expansions add articles but never push an exact match down.

Each query word is an OR of its stemmed terms (``text``, ``title``), its
exact form and its expansions in ``text_exact`` (``search.query.builder``).
Two rules change how one word is scored:

- ``cap`` (``capped_boost``): a proclitic form or another spelling rarer
  than the word typed has a higher idf, so one «والأهلي» outweighed many
  «الأهلي»; its boost is scaled so that its idf weighs no more than the
  typed word's;
- ``max`` (``BestForm``): the word's exact-field forms are scored by the
  best of them, not summed, so an article that writes the word in four
  forms does not count it four times.

Three rules add optional clauses to several words ANDed (``with_bonuses``,
an ``AndMaybe``: the same articles are found, only their order changes):

- ``title``: every word in the title (any of its stemmed terms) adds its
  title scores again (×``TITLE_ALL_BOOST``);
- ``title_near``: the words next to each other in the title, in the order
  typed (``NEAR_SLOP``), add their title scores again (×``TITLE_NEAR_BOOST``);
- ``near``: the same in ``text`` (title and body; ×``NEAR_BOOST``).

Measured on the dev half at 10,000 articles (known-item MRR@100, controls,
topical nDCG@10; docs/quality.md): no rule .898/.866/.858; ``title`` ×1
.940/.891, ×2 .944/.896/.876; ``near`` alone (slop 3) .923/.881; ``title`` +
``title_near`` + ``near`` (slop 1, ×2, ×2, ×1) .947/.907/.899; + ``cap``
.951/.907/.901; + ``cap`` + ``max`` .951/.922/.906 (the defaults).
``exact`` (every word's exact form present, ×``EXACT_ALL_BOOST``) made it
worse (.890/.859) and is not a default. Single words get ``cap`` and
``max`` only; phrases get no rule. ``RULES`` switches them (tests, tools).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from whoosh import matching
from whoosh import query as wq

from search.schema import EXACT_FIELD, TEXT_FIELD, TITLE_FIELD

TITLE_ALL_BOOST = 2.0  # every word in the title
TITLE_NEAR_BOOST = 2.0  # the words next to each other in the title, in order
NEAR_BOOST = 1.0  # the words next to each other in the text, in order
NEAR_SLOP = 1  # positions from one word to the next (1: adjacent)
EXACT_ALL_BOOST = 1.0  # every word's exact form in the article (measured, not a default rule)
RULES_DEFAULT = ("cap", "max", "title", "title_near", "near")
RULES = RULES_DEFAULT  # the rules applied (tests and measurements switch them)


def rule_on(name) -> bool:
    """Whether the rule ``name`` is applied (``RULES``, read at every query)."""
    return name in RULES


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


def _idf(df, doc_count):
    """Whoosh's BM25F idf of a term in ``df`` of ``doc_count`` documents."""
    return math.log(doc_count / (df + 1)) + 1


def capped_boost(boost, df, own_df, doc_count, rules=None):
    """The boost of an expansion form (a proclitic form, another spelling)
    of a word whose own exact forms occur in ``own_df`` documents (rule
    ``cap``): a form rarer than the word itself has a higher idf, so one
    mention of «والأهلي» would outweigh the word typed, «الأهلي»; its boost
    is scaled so that its idf weighs no more than the word's own."""
    rules = RULES if rules is None else rules
    if "cap" not in rules or not doc_count or df >= own_df:
        return boost
    return boost * min(1.0, _idf(own_df, doc_count) / _idf(df, doc_count))


class _BestMatcher(matching.DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher scores max(a, b) whenever both are
    active, even when one of them already stands on a later document; this
    one takes only the matchers on the current document."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() != b.id():
            return a.score() if a.id() < b.id() else b.score()
        return max(a.score(), b.score())


class BestForm(wq.DisjunctionMax):
    """The exact-field forms of one word scored by the best of them (rule
    ``max``): a word written in several forms in an article (الأهلي،
    والأهلي، للأهلي) counts once, as one written in one form does.
    ``search.engine.scoring`` evaluates it with numpy (the same scores)."""

    def _matcher(self, subs, searcher, context):
        r = searcher.reader()
        return self._tree_matcher(subs, _BestMatcher, searcher, context, lambda q: q.estimate_size(r))
