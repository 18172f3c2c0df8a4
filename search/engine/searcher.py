"""The built-in engine behind ``search.engines``: the same functions, with the
same signatures and results, as ``search.elastic.engine``.

- ``execute(params, offset=, limit=, sort=, facets=)`` → ``EngineResult``:
  parses the query again with the index vocabulary (proclitic forms, spelling
  variants), applies the filters and runs ``IndexView.execute``;
- ``suggest_spelling(parsed)`` → a corrected query text or None;
- ``related_article_ids(article_id, n)`` → [(id, score)];
- ``query_vocabulary()``: a context manager giving (doc_frequency,
  vocabulary) of the current index for ``parse_query``.
"""
from __future__ import annotations

from contextlib import contextmanager

from search.engine.adapter import get_backend
from search.engine.related import related_in_view, source_text
from search.engine.result import EngineResult
from search.engine.suggest import suggest_in_view
from search.query import parse_query
from search.schema import day_number, facet_fields


def execute(params, *, offset: int = 0, limit: int = 20, sort: str | None = None,
            facets: bool = False) -> EngineResult:
    """One search for ``SearchParams`` (``params.parsed`` is re-parsed with the
    index vocabulary); a segment merged away under the searcher is retried once."""
    backend = get_backend()
    filters = params.index_filters()
    day_range = None
    if params.date_from or params.date_to:
        day_range = (day_number(params.date_from), day_number(params.date_to))
    for attempt in (1, 2):
        try:
            with backend.view() as view:
                if params.parsed is not None:
                    params.parsed = parse_query(params.q, doc_frequency=view.exact_df, vocabulary=view.vocabulary)
                return view.execute(
                    params.parsed.query if params.parsed else None,
                    filters=filters,
                    day_range=day_range,
                    sort=sort or params.effective_sort,
                    offset=offset,
                    limit=max(limit, 0),
                    facet_fields=facet_fields(params.country_mode) if facets else (),
                )
        except FileNotFoundError:
            # A writer merged away a segment under the searcher: reopen once.
            if attempt == 2:
                raise


def suggest_spelling(parsed) -> str | None:
    """«هل تقصد …؟» for a ``ParsedQuery`` (see ``search.engine.suggest``)."""
    if parsed is None or not parsed.words:
        return None
    with get_backend().view() as view:
        return suggest_in_view(view, parsed)


def related_article_ids(article_id: int, n: int = 5) -> list[tuple[int, float]]:
    """[(id, score)] of the n articles most similar to ``article_id`` (its key
    terms, weighted, ORed over the index; the article itself excluded)."""
    text = source_text(article_id)
    if text is None or n <= 0:
        return []
    with get_backend().view() as view:
        return related_in_view(view, article_id, text, n)


@contextmanager
def query_vocabulary():
    """(doc_frequency, vocabulary) of the current index, for ``parse_query``."""
    with get_backend().view() as view:
        yield view.exact_df, view.vocabulary
