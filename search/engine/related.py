"""Similar articles on the built-in engine: an article's key terms, weighted,
ORed over the index (the article itself excluded).

``source_text(article_id)`` is the article's text from the database (None
when it does not exist); ``related_in_view(view, article_id, text, n)`` the
[(id, score)] of the n most similar articles."""
from __future__ import annotations

from whoosh import query as wq

from archive.models import Article
from search.schema import TEXT_FIELD

KEY_TERMS = 15


def source_text(article_id: int) -> str | None:
    row = Article.objects.filter(pk=article_id).values_list("title", "body").first()
    return None if row is None else f"{row[0]}\n{row[1]}"


def related_in_view(view, article_id: int, text: str, n: int = 5) -> list[tuple[int, float]]:
    key_terms = view.key_terms(TEXT_FIELD, text, numterms=KEY_TERMS)
    if not key_terms:
        return []
    q = wq.Or([wq.Term(TEXT_FIELD, term, boost=max(weight, 0.01)) for term, weight in key_terms])
    own = view.docnum_for_pk(article_id)
    result = view.execute(q, exclude={own} if own is not None else None, sort="relevance", limit=n + 1)
    return [(pk, score) for pk, score in result.hits if pk != article_id][:n]
