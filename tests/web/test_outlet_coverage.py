"""Coverage at a glance: the home page's outlets × months heat map
(archive.coverage), cached per process until the data changes."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.coverage import clear_cache, coverage_grid, shade
from archive.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def outlets(make_article):
    busy = Source.objects.create(slug="busy", name="صحيفة نشطة")
    brief = Source.objects.create(slug="brief", name="صحيفة موسمية")
    for day in (dt.date(2015, 5, 3), dt.date(2015, 5, 9), dt.date(2015, 5, 20), dt.date(2015, 8, 1)):
        make_article(title="خبر", body="نص", source=busy, published=day)
    make_article(title="خبر", body="نص", source=brief, published=dt.date(2015, 7, 21))
    make_article(title="مخفي", body="نص", source=brief, published=dt.date(2015, 6, 2), is_hidden=True)
    make_article(title="بلا تاريخ", body="نص", source=brief, published=None)
    return busy, brief


def test_grid_counts_public_dated_articles_per_outlet_and_month(outlets):
    grid = coverage_grid()
    assert grid.months == [dt.date(2015, m, 1) for m in (5, 6, 7, 8)]  # gap-free
    rows = {slug: counts for slug, _name, counts, _total in grid.rows}
    assert rows["busy"] == {dt.date(2015, 5, 1): 3, dt.date(2015, 8, 1): 1}
    assert rows["brief"] == {dt.date(2015, 7, 1): 1}  # hidden and undated left out
    assert [r[0] for r in grid.rows][:2] == ["busy", "brief"]  # largest first
    assert grid.peak == 3


def test_grid_is_built_once_per_data_version(outlets, make_article):
    with CaptureQueriesContext(connection) as queries:
        coverage_grid()
    built = len(queries)
    with CaptureQueriesContext(connection) as queries:
        grid = coverage_grid()
    assert len(queries) == 1 < built  # only the data version is read
    assert "data" not in {slug for slug, *_ in grid.rows}
    make_article(title="خبر", body="نص", source=Source.objects.create(slug="data", name="جديدة"),
                 published=dt.date(2015, 9, 1))
    grid = coverage_grid()  # the change is seen at once
    assert grid.months[-1] == dt.date(2015, 9, 1)
    assert "data" in {slug for slug, *_ in grid.rows}


def test_shades():
    assert shade(0, 10) == 0
    assert shade(1, 10) == 1
    assert shade(10, 10) == 5
    assert shade(5, 10) == 3


def test_home_shows_the_heat_map(client, outlets):
    html = client.get(reverse("home"), {"digits": "latn"}).content.decode()
    block = html.split('class="section outlet-coverage"')[1].split("</section>")[0]
    assert 'role="region"' in block and 'tabindex="0"' in block
    assert "<caption>" in block
    row = re.search(r"<tr><th scope=\"row\"[^>]*><a href=\"([^\"]+)\">صحيفة نشطة</a></th>(.*?)</tr>", block)
    assert row, block[:500]
    assert "source=busy" in row.group(1)
    cells = re.findall(r'<td class="cov-(\d)" title="([^"]*)">([^<]*)</td>', row.group(2))
    assert [(int(c[0]), c[2]) for c in cells] == [(5, "3"), (0, ""), (0, ""), (2, "1")]
    assert "مايو 2015" in cells[0][1]
    assert "مقالات" in cells[0][1]


def test_home_without_dated_articles_has_no_heat_map(client, db):
    html = client.get(reverse("home")).content.decode()
    assert "outlet-coverage" not in html


def test_outlet_names_are_escaped(client, make_article):
    evil = Source.objects.create(slug="evil", name="<script>alert(1)</script>")
    make_article(title="خبر", body="نص", source=evil, published=dt.date(2020, 1, 1))
    html = client.get(reverse("home")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
