"""The people pages: ``/people/`` (``person_list``) and ``/people/<slug>/``
(``person_detail``); their data is ``search.person_pages``."""
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from archive.models import Person
from search.attention import parse_measure
from search.person_pages import people_with_counts, person_summary


def _measure_links(request, measure):
    links = []
    for value, label in (("count", "عدد المقالات"), ("share", "النسبة من كل المقالات")):
        url = request.path + ("?measure=share" if value == "share" else "")
        links.append({"value": value, "label": label, "selected": value == measure, "url": url})
    return links


@require_GET
def person_list(request):
    return render(request, "search/people.html", {"people": list(people_with_counts())})


@require_GET
def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    measure = parse_measure(request.GET.get("measure"))
    context = {"person": person, "measure_links": _measure_links(request, measure)}
    context.update(person_summary(person, measure))
    return render(request, "search/person.html", context)
