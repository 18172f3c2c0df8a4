"""The user's query syntax, parsed into Whoosh queries.

Syntax (Google-like):

- words are ANDed: ``بوتين أوكرانيا``;
- "quoted phrases" (also «…» and “…”): ``"الرئيس الروسي"``;
- ``-word`` / ``-"phrase"`` / ``-(group)`` excludes; ``NOT`` is the same;
- ``OR`` between two terms (binds tighter than the implicit AND):
  ``بوتين روسيا OR أوكرانيا`` = بوتين AND (روسيا OR أوكرانيا);
- parentheses group: ``(روسيا OR أوكرانيا) -بيلاروسيا``; ``AND`` is allowed
  and means nothing more than a space.

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

Malformed input raises ``QueryError`` with an Arabic message.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

MAX_QUERY_LENGTH = 500
MAX_TERMS = 40

TEXT_FIELD = "text"
TITLE_FIELD = "title"
EXACT_FIELD = "text_exact"
SEARCH_FIELDS = (TEXT_FIELD, TITLE_FIELD)
# Weights of the unstemmed-field clauses added to every word (search.expansion):
EXACT_BOOST = 1.0  # the word exactly as typed: exact wording ranks first
CLITIC_BOOST = 0.8  # the word with a proclitic («بموسكو» for «موسكو»)
VARIANT_BOOST = 0.5  # another spelling of the name («فاجنر» for «فاغنر»)

MSG_TOO_LONG = f"الاستعلام طويل جدًا: الحد الأقصى {MAX_QUERY_LENGTH} حرف."
MSG_CONTROL = "الاستعلام يحوي محارف تحكم غير مسموح بها."
MSG_QUOTES = "علامات التنصيص غير متوازنة: أغلق العبارة بعلامة تنصيص."
MSG_OPEN_PAREN = "قوس مفتوح دون قوس يغلقه."
MSG_CLOSE_PAREN = "قوس إغلاق دون قوس يفتحه."
MSG_EMPTY_PARENS = "قوسان فارغان: ضع بينهما كلمة للبحث."
MSG_LONE_OR = "يجب أن تقع OR بين كلمتين، مثل: روسيا OR أوكرانيا."
MSG_LONE_MINUS = "علامة الاستبعاد (-) يجب أن تلتصق بالكلمة المستبعدة، مثل: -روسيا."
MSG_LONE_NOT = "يجب أن تتبع NOT كلمةً تريد استبعادها."
MSG_NO_WORDS = "الاستعلام لا يحوي كلمات يمكن البحث عنها"
MSG_ONLY_EXCLUDED = "أضف كلمة واحدة على الأقل للبحث عنها إلى جانب الكلمات المستبعدة."
MSG_TOO_MANY = f"الاستعلام يحوي كلمات كثيرة جدًا: الحد الأقصى {MAX_TERMS} كلمة."

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"', "＂": '"'})
_SPACE_CONTROLS = {"\t", "\n", "\r"}


class QueryError(ValueError):
    """A query the user has to fix; ``message`` is Arabic and safe to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class ParsedQuery:
    """The result of parsing a user query."""

    text: str  # the query as typed (stripped)
    query: object  # whoosh.query.Query
    terms: frozenset  # analyzed terms of the non-excluded words (highlighting)
    words: list = field(default_factory=list)  # non-excluded surface words (spelling)
    # other spellings searched: [{"word": "فاغنر", "variants": ["فاجنر", "واغنر"]}]
    expansions: list = field(default_factory=list)


# --- lexer ------------------------------------------------------------------------

_WORD, _PHRASE, _OR, _AND, _NOT, _MINUS, _LPAREN, _RPAREN = (
    "WORD", "PHRASE", "OR", "AND", "NOT", "MINUS", "LPAREN", "RPAREN",
)
_SPECIAL = '"()'


def _clean(raw: str) -> str:
    if raw is None:
        return ""
    text = str(raw)
    for ch in text:
        if ch in _SPACE_CONTROLS:
            continue
        if unicodedata.category(ch) == "Cc":
            raise QueryError(MSG_CONTROL)
    text = text.translate(_QUOTES)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(MSG_TOO_LONG)
    return text


def _lex(text: str):
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = text.find('"', i + 1)
            if j < 0:
                raise QueryError(MSG_QUOTES)
            tokens.append((_PHRASE, text[i + 1:j]))
            i = j + 1
        elif ch == "(":
            tokens.append((_LPAREN, ch))
            i += 1
        elif ch == ")":
            tokens.append((_RPAREN, ch))
            i += 1
        elif ch == "-" and (i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                # A lone "-" (or "--"): only an error if nothing else is there
                # to exclude; "a - b" reads as a dash between words.
                tokens.append((_MINUS, None))
            else:
                tokens.append((_MINUS, "-"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            word = text[i:j]
            if word == "OR":
                tokens.append((_OR, word))
            elif word == "AND":
                tokens.append((_AND, word))
            elif word == "NOT":
                tokens.append((_NOT, word))
            else:
                tokens.append((_WORD, word))
            i = j
    return tokens


# --- parser (recursive descent) → small AST -----------------------------------------------
# AST nodes: ("word", s) ("phrase", s) ("not", node) ("and", [nodes]) ("or", [nodes])


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self):
        if not self.tokens:
            raise QueryError(MSG_NO_WORDS)
        node = self.and_expr(top=True)
        if self.pos < len(self.tokens):
            # Only a stray ")" can stop the top-level expression early.
            raise QueryError(MSG_CLOSE_PAREN)
        return node

    def and_expr(self, top=False):
        items = []
        while True:
            kind = self.peek()
            if kind is None:
                break
            if kind == _RPAREN:
                if top:
                    raise QueryError(MSG_CLOSE_PAREN)
                break
            if kind == _AND:
                self.take()
                if not items or self.peek() in (None, _RPAREN, _OR, _AND):
                    raise QueryError(MSG_LONE_OR.replace("OR", "AND"))
                continue
            if kind == _OR:
                raise QueryError(MSG_LONE_OR)
            items.append(self.or_expr())
        return ("and", items)

    def or_expr(self):
        items = [self.unary()]
        while self.peek() == _OR:
            self.take()
            if self.peek() in (None, _RPAREN, _OR, _AND):
                raise QueryError(MSG_LONE_OR)
            items.append(self.unary())
        return items[0] if len(items) == 1 else ("or", items)

    def unary(self):
        kind = self.peek()
        if kind == _MINUS:
            _k, value = self.take()
            if value is None:
                # A lone "-": ignore it if it separates words, else complain.
                if self.peek() in (None, _RPAREN, _OR, _AND):
                    raise QueryError(MSG_LONE_MINUS)
                return self.unary()
            if self.peek() in (None, _RPAREN, _OR, _AND, _MINUS, _NOT):
                raise QueryError(MSG_LONE_MINUS)
            return ("not", self.unary())
        if kind == _NOT:
            self.take()
            if self.peek() in (None, _RPAREN, _OR, _AND, _NOT):
                raise QueryError(MSG_LONE_NOT)
            return ("not", self.unary())
        return self.atom()

    def atom(self):
        kind = self.peek()
        if kind == _LPAREN:
            self.take()
            if self.peek() == _RPAREN:
                raise QueryError(MSG_EMPTY_PARENS)
            node = self.and_expr()
            if self.peek() != _RPAREN:
                raise QueryError(MSG_OPEN_PAREN)
            self.take()
            return node
        if kind in (_WORD, _PHRASE):
            k, value = self.take()
            return ("word" if k == _WORD else "phrase", value)
        if kind == _RPAREN:
            raise QueryError(MSG_CLOSE_PAREN)
        if kind == _OR:
            raise QueryError(MSG_LONE_OR)
        raise QueryError(MSG_NO_WORDS)


# --- AST → whoosh --------------------------------------------------------------------------

_ANALYZER = None
_EXACT = None
# proclitic chains split off a protected name (also search.expansion, search.elastic.settings)
CLITICS = ("وب", "ول", "فب", "فل", "وك", "فك", "و", "ف", "ب", "ل", "ك")


def _analyzer():
    global _ANALYZER
    if _ANALYZER is None:
        from search.analysis import ArabicAnalyzer

        _ANALYZER = ArabicAnalyzer()
    return _ANALYZER


def analyze_terms(text: str) -> list[str]:
    """Terms of ``text`` as the ``text``/``title`` fields index them."""
    return [t.text for t in _analyzer()(text, mode="query")]


def _exact_forms(text: str) -> list[str]:
    global _EXACT
    if _EXACT is None:
        from search.analysis import ArabicExactAnalyzer

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
    from search.analysis import is_protected, strip_proclitics

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

    def expand(self, text, term):
        """Stemmed terms for a one-term word: the term and its clitic forms."""
        forms = _exact_forms(text)
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
        slop = max(b - a for (_, a), (_, b) in zip(analyzed, analyzed[1:]))
        clauses = [wq.Phrase(f, terms, slop=max(slop, 1)) for f in SEARCH_FIELDS]
        if self.vocabulary is not None and not negated:
            exact = _exact_forms(text)
            if len(exact) > 1:
                clauses.append(wq.Phrase(EXACT_FIELD, exact, slop=1, boost=EXACT_BOOST))
        return wq.Or(clauses)

    def expanded(self, text, stems, quoted):
        """One word with the vocabulary: stemmed terms, the exact wording
        (boosted), proclitic forms and other spellings (search.expansion).
        A quoted word gets no proclitic split and no other spellings."""
        from search.expansion import expand_word

        forms = _exact_forms(text)
        if len(forms) != 1:
            return wq.Or([wq.Term(f, t) for t in stems for f in SEARCH_FIELDS])
        form = forms[0]
        exp = expand_word(form, self.vocabulary, variants=not quoted)
        stems = list(stems)
        bases = [] if quoted else [b for b in [exp.base] + exp.extra_bases if b != form]
        if bases:
            for b in bases:
                for t in analyze_terms(b):
                    if t not in stems:
                        stems.append(t)
            self.terms.update(stems)
        exact = [wq.Term(EXACT_FIELD, form, boost=EXACT_BOOST)]
        if not quoted:
            exact.extend(wq.Term(EXACT_FIELD, b, boost=EXACT_BOOST) for b in bases)
            exact.extend(wq.Term(EXACT_FIELD, f, boost=CLITIC_BOOST) for f in exp.clitic_forms)
            exact.extend(wq.Term(EXACT_FIELD, f, boost=VARIANT_BOOST) for f in exp.variant_forms)
            if exp.variants:
                self.expansions.append({"word": text, "variants": list(exp.variants)})
                for v in exp.variants:
                    self.terms.update(analyze_terms(v))
        if exp.family:
            # A gender split: the feminine (or masculine) word's own forms,
            # not the stem shared with the other word; the title only boosts.
            family = [wq.Term(EXACT_FIELD, f) for f in exp.family if f != form]
            required = wq.Or(exact + family)
            boost = wq.Or([wq.Term(TITLE_FIELD, t) for t in stems])
            return wq.AndMaybe(required, boost)
        return wq.Or([wq.Term(f, t) for t in stems for f in SEARCH_FIELDS] + exact)


def quote_word(text: str, word: str) -> str:
    """``text`` (single-spaced, see ``_clean``) with its first
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


def _or(items):
    return items[0] if len(items) == 1 else wq.Or(items)


def parse_query(raw: str, doc_frequency=None, vocabulary=None) -> ParsedQuery:
    """Parse a user query. Raises QueryError (Arabic message) when malformed.

    ``doc_frequency(form) -> int`` (document frequency of a normalized,
    unstemmed form in the index) enables proclitic handling; without it the
    query is analyzed word by word only.
    An empty query is an error here; callers treat "no q" as "all articles".
    """
    from search.vocabulary import load_protected_names, vocabulary_for

    load_protected_names()  # the same protected names as at index time
    text = _clean(raw)
    if not text:
        raise QueryError(MSG_NO_WORDS)
    ast = _Parser(_lex(text)).parse()
    if vocabulary is None and doc_frequency is not None:
        # ``IndexView.exact_df``: the view's vocabulary enables expansion.
        view = getattr(doc_frequency, "__self__", None)
        if view is not None and hasattr(view, "reader"):
            vocabulary = vocabulary_for(view)
    builder = _Builder(doc_frequency, vocabulary)
    built = builder.build(ast)
    if built is None:
        raise QueryError(MSG_NO_WORDS)
    if isinstance(built, wq.Not):
        raise QueryError(MSG_ONLY_EXCLUDED)
    for exp in builder.expansions:
        # the query with this word quoted: the same search without its expansion
        exp["quoted"] = quote_word(text, exp["word"])
    return ParsedQuery(
        text=text, query=built, terms=frozenset(builder.terms), words=builder.words,
        expansions=builder.expansions,
    )
