"""User queries as Whoosh queries: analysis, proclitics, boosts.

Every word goes through the same Arabic analyzer as the documents, and each
analyzed term is searched in ``text`` and in the boosted ``title``. A word
that analyzes to nothing (a stopword, punctuation) is dropped; a word that
analyzes to several terms («كوفيد-19») becomes a phrase.

Proclitics (و ف ب ل ك and their pairs) on the names the stemmer keeps whole
(«وروسيا», «لموسكو») are handled here: the proclitic is split off when the
rest is a protected name, and the name is searched together with its
proclitic forms that occur in the index («روسيا» → روسيا OR وروسيا OR
لروسيا …). So «وروسيا» and «روسيا» find the same articles, and neither misses
«لروسيا». Ordinary words are left to the stemmer («فكرة» is not «ف» + «كرة»).

``parse_query(raw, doc_frequency=None, vocabulary=None)``: with the index
``Vocabulary`` (``vocabulary=``), each word also gets its exact form, other
spellings and gender family (``search.query.expansion``). ``respell`` and
``quote_word`` serve the spelling suggestion and the expansion notice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from search.analysis import is_protected, strip_proclitics
from search.analysis.clitics import CLITICS
from search.analysis.whoosh_glue import ArabicAnalyzer, ArabicExactAnalyzer
from search.names import load_protected_names
from search.query.curation import blocked_with
from search.query.expansion import alias_groups, expand_word
from search.query.latin import latin_forms, latin_spellings
from search.query.ranking import BestForm, Word, capped_boost, rule_on, with_bonuses
from search.query.switches import excluded_forms, filter_excluded, switch_links
from search.query.syntax import (
    MAX_TERMS,
    MSG_NO_WORDS,
    MSG_ONLY_EXCLUDED,
    MSG_TOO_MANY,
    QueryError,
    clean_query,
    parse_tree,
)
from search.schema import EXACT_FIELD, SEARCH_FIELDS, TITLE_FIELD

# Weights of the unstemmed-field clauses added to every word (search.query.expansion):
EXACT_BOOST = 1.0  # the word exactly as typed: exact wording ranks first
CLITIC_BOOST = 0.8  # the word with a proclitic («بموسكو» for «موسكو»)
VARIANT_BOOST = 0.5  # another spelling of the name («فاجنر» for «فاغنر»)


@dataclass
class ParsedQuery:
    """The result of parsing a user query."""

    text: str  # the query as typed (stripped)
    query: object  # whoosh.query.Query
    terms: frozenset  # analyzed terms of the non-excluded words (highlighting)
    words: list = field(default_factory=list)  # non-excluded surface words (spelling)
    # other spellings searched: [{"word": "فاغنر", "variants": ["فاجنر", "واغنر"]}]
    expansions: list = field(default_factory=list)


# --- AST → whoosh --------------------------------------------------------------------------

_ANALYZER = None
_EXACT = None


def _analyzer():
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = ArabicAnalyzer()
    return _ANALYZER


def analyze_terms(text: str) -> list[str]:
    """Terms of ``text`` as the ``text``/``title`` fields index them."""
    return [t.text for t in _analyzer()(text, mode="query")]


def exact_forms(text: str) -> list[str]:
    """Normalized, unstemmed forms of ``text`` (the ``text_exact`` field)."""
    global _EXACT
    if _EXACT is None:
        _EXACT = ArabicExactAnalyzer()
    return [t.text for t in _EXACT(text)]


def clitic_family(word: str, doc_frequency=None) -> list[str]:
    """Normalized forms to search for a normalized ``word`` (see module doc).

    Only names the stemmer protects are concerned (it keeps «وروسيا» whole
    so as not to mangle the name, and never strips a single-letter proclitic
    from ordinary words, where «فكرة» is not «ف» + «كرة»). A proclitic is
    split off when the rest is a protected name; the name is then searched
    with its proclitic forms. ``doc_frequency(form) -> int`` (documents with
    the exact normalized form) drops forms absent from the index.
    """
    if len(word) < 3 or not ("\u0621" <= word[0] <= "\u064a"):
        return [word]
    base = word if is_protected(word) else strip_proclitics(word, is_protected)
    if not is_protected(base):
        return [word]
    family = [base]
    for prefix in CLITICS:
        form = prefix + base
        if form not in family and (doc_frequency is None or doc_frequency(form) > 0):
            family.append(form)
    if word not in family:
        family.append(word)
    return family


def analyze_positions(text: str) -> list[tuple[str, int]]:
    """(term, position) pairs; removed stopwords leave gaps in positions."""
    return [(t.text, t.pos) for t in _analyzer()(text, positions=True, mode="query")]


class _Builder:
    def __init__(self, doc_frequency=None, vocabulary=None):
        self.terms = set()
        self.words = []
        self.count = 0
        self.doc_frequency = doc_frequency
        self.vocabulary = vocabulary
        self.expansions = []
        self.ranked = {}  # id(clause of one word) -> ranking.Word (with the vocabulary only)
        self.excluded = frozenset()  # exact forms of the excluded words (switched-off spellings)

    def expand(self, text, term):
        """Stemmed terms for a one-term word: the term and its clitic forms."""
        forms = exact_forms(text)
        if len(forms) != 1:
            return [term]
        stems = [term]
        for form in clitic_family(forms[0], self.doc_frequency):
            analyzed = analyze_terms(form)
            if len(analyzed) == 1 and analyzed[0] not in stems:
                stems.append(analyzed[0])
        return stems

    def build(self, node, negated=False):
        kind = node[0]
        if kind in ("word", "phrase"):
            return self.leaf(node[1], negated, quoted=kind == "phrase")
        if kind == "not":
            inner = self.build(node[1], not negated)
            return None if inner is None else wq.Not(inner)
        children = [self.build(child, negated) for child in node[1]]
        children = [c for c in children if c is not None]
        if not children:
            return None
        if kind == "or":
            if any(isinstance(c, wq.Not) for c in children):
                # "a OR -b" has no useful meaning; treat the exclusion as ANDed.
                pos = [c for c in children if not isinstance(c, wq.Not)]
                neg = [c for c in children if isinstance(c, wq.Not)]
                if not pos:
                    raise QueryError(MSG_ONLY_EXCLUDED)
                base = pos[0] if len(pos) == 1 else wq.Or(pos)
                return wq.AndNot(base, _or([n.query for n in neg]))
            return children[0] if len(children) == 1 else wq.Or(children)
        pos = [c for c in children if not isinstance(c, wq.Not)]
        neg = [c.query for c in children if isinstance(c, wq.Not)]
        if not pos:
            if negated:
                # Inside an excluded group, "-(-a)" is just odd; keep it as a.
                return wq.Not(_or(neg))
            raise QueryError(MSG_ONLY_EXCLUDED)
        base = pos[0] if len(pos) == 1 else wq.And(pos)
        if len(pos) > 1 and all(id(c) in self.ranked for c in pos):
            base = with_bonuses(base, [self.ranked[id(c)] for c in pos])
        return wq.AndNot(base, _or(neg)) if neg else base

    def leaf(self, text, negated, quoted=False):
        analyzed = analyze_positions(text)
        terms = [t for t, _ in analyzed]
        if not terms:
            return None
        self.count += len(terms)
        if self.count > MAX_TERMS:
            raise QueryError(MSG_TOO_MANY)
        if not negated:
            self.terms.update(terms)
            self.words.extend(w for w in text.split() if w)
        if len(terms) == 1:
            stems = self.expand(text, terms[0])
            if not negated:
                self.terms.update(stems)
            if self.vocabulary is not None and not negated:
                return self.expanded(text, stems, quoted)
            return wq.Or([wq.Term(f, t) for t in stems for f in SEARCH_FIELDS])
        # Stopwords are not indexed but keep their positions: allow the gap.
        slop = max(b - a for (_, a), (_, b) in zip(analyzed, analyzed[1:], strict=False))
        clauses = [wq.Phrase(f, terms, slop=max(slop, 1)) for f in SEARCH_FIELDS]
        if self.vocabulary is not None and not negated:
            exact = exact_forms(text)
            if len(exact) > 1:
                clauses.append(wq.Phrase(EXACT_FIELD, exact, slop=1, boost=EXACT_BOOST))
        return wq.Or(clauses)

    def expanded(self, text, stems, quoted):
        """One word with the vocabulary: stemmed terms, the exact wording
        (boosted), proclitic forms and other spellings (search.query.expansion).
        A quoted word gets no proclitic split and no other spellings."""
        forms = exact_forms(text)
        if len(forms) != 1:
            return wq.Or([wq.Term(f, t) for t in stems for f in SEARCH_FIELDS])
        form = forms[0]
        if not quoted:
            latin = self.latin(text, form, stems)
            if latin is not None:
                return latin
        exp = expand_word(form, self.vocabulary, variants=not quoted)
        if exp.typo:  # an absent word, a typo of a frequent one: nothing found, «هل تقصد» offered
            return wq.Term(EXACT_FIELD, form)
        if exp.variants:
            exp = filter_excluded(exp, self.excluded | blocked_with(form, exp.base))
        stems = list(stems)
        bases = [] if quoted else [b for b in [exp.base] + exp.extra_bases if b != form]
        if bases:
            for b in bases:
                for t in analyze_terms(b):
                    if t not in stems:
                        stems.append(t)
            self.terms.update(stems)
        vocab = self.vocabulary
        doc_count = getattr(vocab, "doc_count", None)
        # the word as typed (or, absent from the index, its proclitic-free base)
        own_df = (vocab.df(form) or max((vocab.df(b) for b in bases), default=0)) if doc_count else 0

        def weight(f, boost):
            """``boost``, capped so that a rarer form never outweighs the word (search.query.ranking)."""
            return capped_boost(boost, vocab.df(f), own_df, doc_count) if doc_count else boost

        exact = [wq.Term(EXACT_FIELD, form, boost=EXACT_BOOST)]
        if not quoted:
            exact.extend(wq.Term(EXACT_FIELD, b, boost=EXACT_BOOST) for b in bases)
            exact.extend(wq.Term(EXACT_FIELD, f, boost=weight(f, CLITIC_BOOST)) for f in exp.clitic_forms)
            exact.extend(wq.Term(EXACT_FIELD, f, boost=weight(f, VARIANT_BOOST)) for f in exp.variant_forms)
            if exp.variants:
                self.expansions.append({"word": text, "variants": list(exp.variants)})
                for v in exp.variants:
                    self.terms.update(analyze_terms(v))
        if exp.family:
            # A gender split: the feminine (or masculine) word's own forms,
            # not the stem shared with the other word; the title only boosts.
            family = [wq.Term(EXACT_FIELD, f, boost=weight(f, 1.0)) for f in exp.family if f != form]
            required = _forms(exact + family)
            boost = wq.Or([wq.Term(TITLE_FIELD, t) for t in stems])
            clause = wq.AndMaybe(required, boost)
        else:
            clause = wq.Or([wq.Term(f, t) for t in stems for f in SEARCH_FIELDS] + [_forms(exact)])
        self.ranked[id(clause)] = Word(stems=tuple(stems), exact=tuple(dict.fromkeys([form] + bases)))
        return clause

    def latin(self, text, form, stems):
        """A word in Latin letters: its Arabic spellings in the index
        (search.query.latin), searched like the word itself; None when none."""
        spellings = latin_spellings(form, self.vocabulary, self.excluded | blocked_with(form),
                                    curated=alias_groups().get(form, ()))
        if not spellings:
            return None
        self.expansions.append({"word": text, "variants": list(spellings)})
        arabic_stems = []
        for s in spellings:
            for t in analyze_terms(s):
                if t not in arabic_stems and t not in stems:
                    arabic_stems.append(t)
        self.terms.update(arabic_stems)
        clauses = [wq.Term(f, t) for t in stems for f in SEARCH_FIELDS]
        clauses += [wq.Term(EXACT_FIELD, f, boost=EXACT_BOOST) for f in latin_forms(spellings, self.vocabulary)]
        if not arabic_stems:
            return wq.Or(clauses)
        # the spellings' stems only rank: «الحديدة» (Hodeidah) must not find «حديد» (iron)
        return wq.AndMaybe(wq.Or(clauses), wq.Or([wq.Term(f, t) for t in arabic_stems for f in SEARCH_FIELDS]))


def quote_word(text: str, word: str) -> str:
    """``text`` (single-spaced, see ``clean_query``) with its first
    space-delimited token equal to ``word`` put in quotes."""
    parts = text.split(" ")
    for i, part in enumerate(parts):
        if part == word:
            parts[i] = '"' + word + '"'
            return " ".join(parts)
    return text


def respell(text: str, replacements: dict) -> ParsedQuery | None:
    """The query ``text`` with each whole space-delimited word replaced
    (``{word: replacement}``, in order), parsed again; None when nothing
    changed or the new text does not parse (a «هل تقصد …؟» suggestion)."""
    new = text
    for word, replacement in replacements.items():
        new = re.sub(r"(?<!\S)" + re.escape(word) + r"(?!\S)", replacement, new)
    if new == text:
        return None
    try:
        return parse_query(new)
    except QueryError:
        return None


def _forms(terms):
    """The exact-field forms of one word: summed (``wq.Or``), or scored by
    the best one (``ranking.BestForm``, rule ``max`` of search.query.ranking)
    so that a word written in several forms does not count several times."""
    if len(terms) == 1:
        return terms[0]
    return BestForm(terms) if rule_on("max") else wq.Or(terms)


def _or(items):
    return items[0] if len(items) == 1 else wq.Or(items)


def parse_query(raw: str, doc_frequency=None, vocabulary=None) -> ParsedQuery:
    """Parse a user query. Raises QueryError (Arabic message) when malformed.

    ``doc_frequency(form) -> int`` (document frequency of a normalized,
    unstemmed form in the index) enables proclitic handling; without it the
    query is analyzed word by word only. ``vocabulary`` (the index's query
    vocabulary, ``IndexView.vocabulary``) enables spelling expansion.
    An empty query is an error here; callers treat "no q" as "all articles".
    """
    load_protected_names()  # the same protected names as at index time
    text = clean_query(raw)
    if not text:
        raise QueryError(MSG_NO_WORDS)
    ast = parse_tree(text)
    builder = _Builder(doc_frequency, vocabulary)
    builder.excluded = excluded_forms(ast, exact_forms)
    built = builder.build(ast)
    if built is None:
        raise QueryError(MSG_NO_WORDS)
    if isinstance(built, wq.Not):
        raise QueryError(MSG_ONLY_EXCLUDED)
    for exp in builder.expansions:
        # the query with this word quoted: the same search without its expansion
        exp["quoted"] = quote_word(text, exp["word"])
        exp["switches"] = switch_links(text, exp["variants"])
    return ParsedQuery(
        text=text, query=built, terms=frozenset(builder.terms), words=builder.words,
        expansions=builder.expansions,
    )
