"""``{% article_citation article as cite %}``: the citation box's data.

Load with ``{% load citing %}`` (templates/partials/citation.html). ``cite``
has ``citation`` (archive.citation.Citation) and the ``ris_url`` and
``bib_url`` of the downloads.
"""
from django import template
from django.urls import reverse
from django.utils import timezone

from archive.citation import citation_for
from archive.citation_views import request_citation

register = template.Library()


@register.simple_tag(takes_context=True)
def article_citation(context, article):
    request = context.get("request")
    if request is not None:
        citation = request_citation(request, article)
    else:  # rendered without a request: a site-relative permalink
        citation = citation_for(article, reverse("article_detail", args=[article.pk]), timezone.localdate())
    return {
        "citation": citation,
        "ris_url": reverse("article_cite_ris", args=[article.pk]),
        "bib_url": reverse("article_cite_bib", args=[article.pk]),
    }
