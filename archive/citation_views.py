"""Citation downloads of an article: ``/articles/<pk>/cite.ris`` (url name
``article_cite_ris``) and ``/articles/<pk>/cite.bib`` (``article_cite_bib``).

The logic is in archive/citation.py; ``request_citation`` also feeds the
citation box of the article page (templates/partials/citation.html through
the ``citing`` template tags). A hidden or unknown article is a 404, as for
its page.
"""
from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from archive.citation import (
    BIBTEX_CONTENT_TYPE,
    RIS_CONTENT_TYPE,
    Citation,
    citation_for,
    download_name,
    to_bibtex,
    to_ris,
)
from archive.models import Article


def request_citation(request, article) -> Citation:
    """The citation of ``article`` as seen by ``request`` (absolute permalink
    on the host asked for, accessed today in the archive's time zone)."""
    permalink = request.build_absolute_uri(reverse("article_detail", args=[article.pk]))
    return citation_for(article, permalink, timezone.localdate())


def _download(request, pk, write, content_type, extension):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk, is_hidden=False)
    citation = request_citation(request, article)
    response = HttpResponse(write(citation).encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{download_name(citation, extension)}"'
    return response


@require_GET
def cite_ris(request, pk):
    return _download(request, pk, to_ris, RIS_CONTENT_TYPE, "ris")


@require_GET
def cite_bib(request, pk):
    return _download(request, pk, to_bibtex, BIBTEX_CONTENT_TYPE, "bib")
