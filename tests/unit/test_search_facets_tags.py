"""The results page's facet lists (search.templatetags.search_facets): the
markup of each item, every value escaped, selection and person links."""
from django.template import Context, Template


def render(source, **context):
    return Template("{% load search_facets %}" + source).render(Context(context))


def test_checkbox_items_escape_every_value_and_mark_the_selection():
    items = [{"value": "x\"><script>", "label": "<b>روسيا</b>", "count": 1234, "selected": True},
             {"value": "RU", "label": "روسيا", "count": 5, "selected": False}]
    html = render("{% facet_options group items %}", group={"name": "country"}, items=items)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;روسيا&lt;/b&gt;" in html and 'value="x&quot;&gt;&lt;script&gt;"' in html
    assert html.count("<li") == 2 and html.count(" checked") == 1 and html.count("is-selected") == 1
    assert 'id="f-country-RU"' in html and 'for="f-country-RU"' in html
    assert "1,234" in html or "١٬٢٣٤" in html


def test_person_items_link_to_the_person_page_and_months_are_links():
    html = render("{% facet_options group items %}", group={"name": "person"},
                  items=[{"value": "vladimir-putin", "label": "فلاديمير بوتين", "count": 3, "selected": False}])
    assert 'href="/people/vladimir-putin/"' in html and 'aria-label="صفحة فلاديمير بوتين"' in html
    months = render("{% facet_links items %}", items=[
        {"value": "2023-06", "label": "يونيو 2023", "count": 9, "selected": True, "url": "?q=a&date_from=2023-06-01"},
    ])
    assert 'href="?q=a&amp;date_from=2023-06-01"' in months and 'aria-current="true"' in months and "✓" in months
