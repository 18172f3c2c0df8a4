"""The five engines compared by ``evaluate_search``.

Every engine is a small class over its own Whoosh index in a work folder:

- ``index(docs)``  build the index (Whoosh writer, ``procs=1``,
  ``limitmb=256``; nothing but an id is stored);
- ``open(docs)``   open a searcher (``docs`` maps index numbers back to
  corpus ids);
- ``build_query(text)`` the query-analysis step alone (timed separately);
- ``search(text, k)`` ranked corpus ids, best first, every match when
  ``k`` is None. Ranking is exhaustive (every match scored), BM25F.

Engines:

``plain-bm25``
    BM25 on unanalysed words: words split at spaces and punctuation and
    lower-cased, nothing else (marks, tatweel, hamza, clitics stay as
    written); the same query shape as norm-only (every word in ``text`` or
    in the ×2-boosted ``title``, words ANDed), so that only the analysis
    differs. The reference for the unperturbed known-item controls: typed
    exactly as written, the words should find their article at least as
    well as here.
``stock-haystack``
    haystack's stock Whoosh setup: the content field is
    ``TEXT(analyzer=StemmingAnalyzer())`` (as ``haystack/backends/
    whoosh_backend.py`` builds it for text fields) and the query string goes
    through ``whoosh.qparser.QueryParser(content_field)`` (words ANDed).
``norm-only``
    the project's tokenizer and ``normalize`` (plus its stopword list), no
    stemming; the same query shape as ours (every word in ``text`` or in the
    ×2-boosted ``title``, words ANDed).
``light10``
    Lucene's ArabicNormalizer + ArabicStemmer (``light10.py``), same query
    shape as norm-only.
``ours``
    the project's real search path: the schema of ``search.schema.
    build_schema`` over the haystack ``ArticleIndex`` fields, documents
    prepared by the index's own ``prepare_*`` methods, the query parsed by
    ``search.service.parse_search_params`` (→ ``search.query.parse_query``)
    and run by ``search.engine.snapshot.IndexView.execute`` — what the page and the
    API run. Improvements to the analyzer or to query parsing/expansion show
    up here without touching the evaluator.
"""
from __future__ import annotations

import os
import shutil
from datetime import date
from types import SimpleNamespace

from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from .light10 import light10_terms

__all__ = [
    "Engine",
    "PlainBM25Engine",
    "StockHaystackEngine",
    "NormOnlyEngine",
    "Light10Engine",
    "OursEngine",
    "ENGINES",
    "ENGINE_ORDER",
    "make_engine",
]

WRITER_OPTIONS = {"procs": 1, "limitmb": 256}
ALL = 10**9


# --- Whoosh analysis for the Light10 baseline ------------------------------------------

class Light10Tokenizer(Tokenizer):
    """Lucene's ArabicAnalyzer (light10.py) as one Whoosh tokenizer."""

    def __init__(self, stem=True):
        self.stem = stem

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for term, pos, start, end in light10_terms(value, stem=self.stem):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


# a written word as is: letters, digits, marks and tatweel (no normalization)
PLAIN_WORD_PATTERN = r"[\w\u064b-\u065f\u0670\u0640]+"


def plain_analyzer():
    from whoosh.analysis import LowercaseFilter, RegexTokenizer

    return RegexTokenizer(PLAIN_WORD_PATTERN) | LowercaseFilter()


def light10_analyzer():
    return Light10Tokenizer()


def norm_only_analyzer():
    from search.analysis.whoosh_glue import (
        ArabicNormalizeFilter,
        ArabicStopFilter,
        ArabicTokenizer,
    )

    return ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter()


# --- engines -------------------------------------------------------------------------------

class Engine:
    """Base class: one Whoosh index in ``workdir/<name>``."""

    name = "engine"
    label = "engine"

    def __init__(self, workdir):
        self.path = os.path.join(str(workdir), self.name)
        self.ids: list[str] = []
        self.index_seconds = None

    # building ---------------------------------------------------------------------------
    def schema(self):
        raise NotImplementedError

    def documents(self, docs):
        """Yield keyword dicts for ``writer.add_document``."""
        raise NotImplementedError

    def index(self, docs):
        shutil.rmtree(self.path, ignore_errors=True)
        os.makedirs(self.path)
        ix = FileStorage(self.path).create_index(self.schema())
        writer = ix.writer(**WRITER_OPTIONS)
        try:
            for fields in self.documents(docs):
                writer.add_document(**fields)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        ix.close()

    # searching --------------------------------------------------------------------------
    def open(self, docs):
        self.ids = [d.id for d in docs]
        self._ix = FileStorage(self.path).open_index()
        self._searcher = self._ix.searcher()

    def close(self):
        searcher = getattr(self, "_searcher", None)
        if searcher is not None:
            searcher.close()
            self._searcher = None

    def build_query(self, text):
        raise NotImplementedError

    def search(self, text, k=100) -> list[str]:
        raise NotImplementedError


class _BaselineEngine(Engine):
    """Whoosh index with ``docno`` (position in the subset), ``text`` and a
    ×2 ``title``; words ANDed, each in text or title; exhaustive BM25F."""

    index_title = True

    def analyzer(self):
        raise NotImplementedError

    def schema(self):
        fields = {"docno": ID(stored=True), "text": TEXT(analyzer=self.analyzer(), phrase=True)}
        if self.index_title:
            fields["title"] = TEXT(analyzer=self.analyzer(), phrase=True, field_boost=2.0)
        return Schema(**fields)

    def documents(self, docs):
        for i, d in enumerate(docs):
            fields = {"docno": str(i), "text": f"{d.title}\n{d.body}"}
            if self.index_title:
                fields["title"] = d.title
            yield fields

    def open(self, docs):
        super().open(docs)
        reader = self._searcher.reader()
        self._docno = {}
        for docnum, stored in reader.iter_docs():
            self._docno[docnum] = int(stored["docno"])
        self._analyzer = self._ix.schema["text"].analyzer

    def _terms(self, word):
        return [t.text for t in self._analyzer(word, mode="query")]

    def build_query(self, text):
        clauses = []
        fields = ("text", "title") if self.index_title else ("text",)
        for word in text.split():
            terms = self._terms(word)
            if not terms:
                continue
            if len(terms) == 1:
                clauses.append(wq.Or([wq.Term(f, terms[0]) for f in fields]))
            else:
                clauses.append(wq.Or([wq.Phrase(f, terms) for f in fields]))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)

    def _score_all(self, q):
        scores = {}
        q = q.normalize()
        context = self._searcher.context()
        for sub, offset in self._searcher.leaf_searchers():
            m = q.matcher(sub, context)
            while m.is_active():
                scores[m.id() + offset] = m.score()
                m.next()
        return scores

    def search(self, text, k=100):
        q = self.build_query(text)
        if q is None:
            return []
        scores = self._score_all(q)
        order = sorted(scores, key=lambda d: (-scores[d], d))
        if k is not None:
            order = order[:k]
        docno, ids = self._docno, self.ids
        return [ids[docno[d]] for d in order]


class PlainBM25Engine(_BaselineEngine):
    name = "plain-bm25"
    label = "plain-bm25"

    def analyzer(self):
        return plain_analyzer()


class StockHaystackEngine(_BaselineEngine):
    name = "stock-haystack"
    label = "stock-haystack"
    index_title = False  # haystack queries its content field only

    def analyzer(self):
        from whoosh.analysis import StemmingAnalyzer

        return StemmingAnalyzer()

    def open(self, docs):
        super().open(docs)
        from whoosh.qparser import QueryParser

        self._parser = QueryParser("text", schema=self._ix.schema)

    def build_query(self, text):
        q = self._parser.parse(text)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return None
        return q


class NormOnlyEngine(_BaselineEngine):
    name = "norm-only"
    label = "norm-only"

    def analyzer(self):
        return norm_only_analyzer()


class Light10Engine(_BaselineEngine):
    name = "light10"
    label = "light10"

    def analyzer(self):
        return light10_analyzer()


class OursEngine(Engine):
    """The project's schema, document preparation, query parser and executor."""

    name = "ours"
    label = "ours"

    def _setup(self):
        from haystack import connections

        from archive.models import Article
        from search.schema import build_schema

        unified = connections["default"].get_unified_index()
        _content, schema = build_schema(unified.all_searchfields())
        return unified.get_index(Article), schema

    def schema(self):
        return self._setup()[1]

    def documents(self, docs):
        from haystack.constants import DJANGO_CT, DJANGO_ID
        from haystack.constants import ID as HAYSTACK_ID

        from search.schema import to_whoosh_value

        search_index, schema = self._setup()
        wanted = []
        for name, field in search_index.fields.items():
            if field.field_type in ("arabic_text", "arabic_exact") or field.index_fieldname in (
                "day", "article_id", "published",
            ):
                if field.index_fieldname in schema:
                    wanted.append((name, field))
        for i, d in enumerate(docs, 1):
            obj = _EvalArticle(i, d)
            out = {
                HAYSTACK_ID: f"archive.article.{i}",
                DJANGO_CT: "archive.article",
                DJANGO_ID: str(i),
            }
            for name, field in wanted:
                method = getattr(search_index, f"prepare_{name}", None)
                value = method(obj) if method is not None else field.prepare(obj)
                value = to_whoosh_value(value)
                if value is not None:
                    out[field.index_fieldname] = value
            yield out

    def open(self, docs):
        from search.engine.snapshot import IndexView

        self.ids = [d.id for d in docs]
        self._ix = FileStorage(self.path).open_index()
        self._searcher = self._ix.searcher()
        self.attach(IndexView(self._searcher))

    def attach(self, view):
        """Search through ``view`` (a ``search.engine.snapshot.IndexView``)."""
        self._view = view

    def build_query(self, text):
        """``SearchParams`` for ``text``, parsed as ``search.service.run_search``
        does: ``parse_search_params``, then ``parse_query`` again with the
        index vocabulary (``IndexView.exact_df``) for proclitic forms."""
        from search.query import QueryError, parse_query
        from search.service import InvalidSearch, parse_search_params

        try:
            params = parse_search_params({"q": text, "sort": "relevance"})
        except InvalidSearch:
            return None
        if params.parsed is not None:
            try:
                params.parsed = parse_query(params.q, doc_frequency=self._view.exact_df,
                                            vocabulary=self._view.vocabulary)
            except QueryError:
                return None
        return params

    def ranked_pks(self, text, k=100) -> list[int]:
        """Article ids (``article_id``) in the order ``run_search`` ranks them."""
        params = self.build_query(text)
        if params is None or params.parsed is None:
            return []
        result = self._view.execute(
            params.parsed.query, sort=params.effective_sort, limit=ALL if k is None else k,
        )
        return [pk for pk, _score in result.hits]

    def search(self, text, k=100):
        ids = self.ids
        return [ids[pk - 1] for pk in self.ranked_pks(text, k)]


class _EvalArticle(SimpleNamespace):
    """Just enough of an ``archive.Article`` for the index's prepare methods."""

    def __init__(self, pk, doc):
        try:
            published = date.fromisoformat(doc.date) if doc.date else None
        except ValueError:
            published = None
        super().__init__(
            pk=pk, id=pk, title=doc.title, body=doc.body, published=published,
            source=None, source_id=None, origin=doc.id, is_hidden=False,
        )


ENGINE_ORDER = ("plain-bm25", "stock-haystack", "norm-only", "light10", "ours")
ENGINES = {
    "plain-bm25": PlainBM25Engine,
    "stock-haystack": StockHaystackEngine,
    "norm-only": NormOnlyEngine,
    "light10": Light10Engine,
    "ours": OursEngine,
}


def make_engine(name, workdir) -> Engine:
    return ENGINES[name](workdir)
