"""The built-in search engine on Whoosh (the twin of ``search.elastic``).

- ``budget``     ``ByteLRU``: every cache bounded in bytes under one budget
                 (``SEARCH_CACHE_BUDGET_MB``), ``accounted()``;
- ``segments``   per-segment decoding with numpy and the process-wide
                 segment cache;
- ``rawpostings`` term tables and postings read straight from ``mmap``s of a
                 segment's ``.trm``/``.pst`` (no Whoosh matcher per term);
- ``scoring``    exhaustive BM25F scoring of Whoosh queries (a mixin of IndexView);
- ``snapshot``   ``IndexView``: one searcher generation, its caches, masks,
                 facets and the top-k page (``IndexView.execute``);
- ``shared``     ``SharedIndex``: the process's long-lived index handle,
                 ``IndexUnavailable``, ``REBUILD_COMMAND``;
- ``result``     ``EngineResult``, what both engines return;
- ``vocabulary`` the index vocabulary (per-segment side files) for expansion;
- ``formfilter`` one bit array telling a form absent from every side file;
- ``bulkwrite``  ``SegmentedWriter``, the fast bulk indexing writer;
- ``compact``    the bulk writer's compact pickles of posting blocks, position
                 lists and inlined postings (same decoded postings, smaller files);
- ``suggest``    spelling suggestion; ``related`` similar articles;
- ``searcher``   the engine interface of ``search.engines`` (execute,
                 suggest_spelling, related_article_ids, query_vocabulary);
- ``adapter``    haystack glue only (``ArabicWhooshEngine``, ``get_backend``).

The engine never imports the service, results, views, api, export or timeline.
"""
