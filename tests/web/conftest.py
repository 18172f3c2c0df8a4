"""Fixtures shared by the web tests (pytest finds them here for every file in tests/web/)."""
import datetime as dt

import pytest

from archive.models import Source, Topic


@pytest.fixture
def timeline_archive(seeded, search_index, make_article):
    """The seeds plus dated articles about Wagner in Timbuktu and Kidal, indexed.

    «تمبكتو» (7 articles): 2023-06-10, 2023-06-24 (×2), 2023-07-02,
    2023-09-15 (×2) and one undated; «كيدال» (2): 2023-06-24, 2023-08-01.
    The seeds mention neither word, so counts do not depend on them (nor on
    the engine's spelling variants of «فاغنر»).
    """
    outlet = Source.objects.update_or_create(slug="aljazeera", defaults={"name": "الجزيرة نت"})[0]
    other = Source.objects.update_or_create(slug="bbc-arabic", defaults={"name": "بي بي سي عربي"})[0]
    topic = Topic.objects.order_by("slug").first()
    wagner = [
        (dt.date(2023, 6, 10), outlet, ("RU",)),
        (dt.date(2023, 6, 24), outlet, ("RU", "UA")),
        (dt.date(2023, 6, 24), other, ("UA",)),
        (dt.date(2023, 7, 2), other, ("RU", "BY")),
        (dt.date(2023, 9, 15), outlet, ("RU",)),
        (dt.date(2023, 9, 15), other, ("BY",)),
        (None, outlet, ("RU",)),
    ]
    for i, (day, source, countries) in enumerate(wagner):
        make_article(
            title=f"تقرير {i} عن مجموعة فاغنر في تمبكتو", body=f"تحدث التقرير {i} عن قوات فاغنر وقائدها في تمبكتو.",
            source=source, published=day, countries=countries, topics=(topic.slug,) if i % 2 == 0 else (),
            url=f"https://example.com/wagner/{i}",
        )
    for day in (dt.date(2023, 6, 24), dt.date(2023, 8, 1)):
        make_article(title="بريغوجين يتحدث عن كيدال", body="قال يفغيني بريغوجين إن قواته تتقدم نحو كيدال.",
                     source=outlet, published=day, countries=("RU",))
    search_index.build()
    return {"outlet": outlet, "other": other, "topic": topic}
