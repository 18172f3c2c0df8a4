"""Importing articles: files → clean text → tags → database rows.

Modules:

- ``readers``: the input formats (text files, JSON/JSONL, gzip, …) as
  ``Record``s, or ``Rejected`` with a reason; ``web_url``.
- ``cleaning``: scraped page text → title, paragraphs, date and outlet
  (``clean_scraped_text``, ``strip_boilerplate``).
- ``tagging``: countries and places named in a text, topics (``CountryMatcher``,
  ``TopicMatcher``, ``words``).
- ``aboutness``: the two country levels of an article (``tag_countries``:
  about by evidence, every mention).
- ``gazetteer``: the reference data in ``archive/data`` (countries, aliases,
  blockers, places, sources, topics), ``load_reference_data`` and
  ``update_topic_rules``.
- ``people``: the people an article names (``PersonMatcher``: full
  spellings, unambiguous surnames, weak forms only with a full mention);
- ``people_data``: the people gazetteer and collections of outlets in
  ``archive/data`` (``load_people``, ``load_collections``, ``latin_index``);
- ``pipeline``: ``Importer`` (read → clean → tag in worker processes → write
  each batch in one transaction, sending ``archive.signals.articles_changed``),
  ``retag_articles``, ``build_matchers``.
"""
from archive.importing.pipeline import (
    BATCH_SIZE,
    Importer,
    ImportReport,
    Prepared,
    build_matchers,
    checksum,
    fingerprint,
    insert_rows,
    prepare,
    retag_articles,
)

__all__ = [
    "BATCH_SIZE", "ImportReport", "Importer", "Prepared", "build_matchers", "checksum", "fingerprint",
    "insert_rows", "prepare", "retag_articles",
]
