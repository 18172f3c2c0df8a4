"""The collector: outlets' feeds and sitemaps -> new article pages -> articles.

``python manage.py collect`` (once, or ``--loop``) runs it; ``import_articles``
reads web archives (WARC) through the same extraction. Plain Python except
``store`` and ``runner``, which use the database.

Modules:
- ``urls``: canonical form of a URL (the page's identity) and the origin key.
- ``fetch``: polite HTTP: one request per host at a time with a delay,
  User-Agent naming the archive, timeouts, retries with back-off, conditional
  GET, a size cap, redirect loops refused.
- ``robots``: robots.txt, fetched once per host and honoured.
- ``feeds``: RSS/Atom (feedparser) and sitemaps -> article links.
- ``extract``: HTML -> title, paragraphs, date, author, canonical URL
  (trafilatura, htmldate), decoded whatever the declared charset.
- ``warc``: WARC files -> ``Record``s for the import (warcio).
- ``store``: extracted pages -> articles through the import pipeline
  (cleaning, tagging, de-duplication, index queue), earlier text kept.
- ``runner``: one collection run: due feeds, their new pages, a summary.
- ``sample_pages``: realistic outlet pages built from corpus articles (and a
  WARC of them), for the tests and the measures.
- ``measure``: word recall and precision of the extractor and of the text
  cleaner on such pages (``manage.py measure_collect``).
"""
