"""Whoosh analysis components built on the plain-Python pipeline.

``ArabicAnalyzer()``      = ArabicTokenizer | ArabicNormalizeFilter
                            | ArabicStopFilter | ArabicStemFilter
``ArabicExactAnalyzer()`` = ArabicTokenizer | ArabicNormalizeFilter

Tokens keep ``startchar``/``endchar`` of the surface word in the original
text, so ``whoosh.highlight`` marks words exactly as written («روسيـا»,
«رُوسيا»). The components honour Whoosh's ``positions``, ``chars``,
``keeporiginal``, ``removestops``, ``start_pos``, ``start_char``,
``tokenize`` and ``mode`` arguments; they behave the same in "index" and
"query" mode, which is what makes documents, queries and highlights agree.

All classes are top level and keep no per-instance state besides plain
values, so pickled schemas stay small and load anywhere; equality is by
class and ``__dict__`` (Whoosh's ``Filter.__eq__``).
"""
from __future__ import annotations

from whoosh.analysis import Filter, Token, Tokenizer

from .normalization import normalize_token
from .stemming import light_stem
from .stopwords import STOPWORDS
from .tokenization import TOKEN_RE

__all__ = [
    "ArabicTokenizer",
    "ArabicNormalizeFilter",
    "ArabicStopFilter",
    "ArabicStemFilter",
    "ArabicAnalyzer",
    "ArabicExactAnalyzer",
]


class ArabicTokenizer(Tokenizer):
    """Yields surface words and numbers (see ``tokenization``)."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__.__name__)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        if not isinstance(value, str):
            raise TypeError("%r is not unicode" % (value,))
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # The value is one token already (e.g. a range-query endpoint).
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for m in TOKEN_RE.finditer(value):
            t.text = m.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                s, e = m.span()
                t.startchar = start_char + s
                t.endchar = start_char + e
            yield t


class ArabicNormalizeFilter(Filter):
    """Replaces each token's text by its ``normalize``d form.

    Tokens that normalize to nothing (only marks) are dropped. In the rare
    case where NFKC expands one character into several words (e.g. «ﷺ»),
    each word is yielded with the same position and character range.
    """

    def __call__(self, tokens):
        norm = normalize_token
        for t in tokens:
            parts = norm(t.text)
            if len(parts) == 1:
                t.text = parts[0]
                yield t
            elif parts:
                for part in parts:
                    t.text = part
                    yield t


class ArabicStopFilter(Filter):
    """Marks (and, when ``removestops`` is true, removes) Arabic stopwords.

    ``stoplist=None`` uses the package's ``STOPWORDS`` at call time (nothing
    large is stored in the pickled schema).

    ``renumber=False`` (the default) keeps the original positions, as
    ``analyze()`` reports them: a removed stopword leaves a gap, so a phrase
    query that contained a stopword needs a slop covering the gap (Whoosh's
    stock ``QueryParser`` drops the stopword and uses slop 1, so
    «"بوتين إن روسيا"» needs «~2» there). ``renumber=True`` closes the gaps
    like Whoosh's own ``StopFilter``.
    """

    def __init__(self, stoplist=None, renumber=False):
        self.stoplist = None if stoplist is None else frozenset(stoplist)
        self.renumber = renumber

    def __call__(self, tokens):
        stops = STOPWORDS if self.stoplist is None else self.stoplist
        renumber = self.renumber
        removed = 0  # stopwords dropped so far: later positions move back
        for t in tokens:
            if t.text in stops:
                if t.removestops:
                    removed += 1
                    continue
                t.stopped = True
            else:
                t.stopped = False
            if removed and renumber and t.positions:
                t.pos -= removed
            yield t


class ArabicStemFilter(Filter):
    """Applies ``light_stem`` (cached at module level) to each token."""

    is_morph = True

    def __call__(self, tokens):
        stem = light_stem
        for t in tokens:
            t.text = stem(t.text)
            yield t


def ArabicAnalyzer():
    """tokenize | normalize | stopwords | light stem — the main text field."""
    return ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ArabicStemFilter()


def ArabicExactAnalyzer():
    """tokenize | normalize — for an "exact wording" field (no stop, no stem)."""
    return ArabicTokenizer() | ArabicNormalizeFilter()
