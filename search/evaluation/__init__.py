"""Search-quality evaluation: ours against stock haystack, normalization only
and Lucene's Light10, on the same corpus subset and the same queries.

Run it with ``python manage.py evaluate_search`` (``make eval``); rebuild the
committed query set with ``python manage.py build_eval_set``.

- ``corpus``    reading ``settings.CORPUS_DIR`` and drawing a stratified,
                deterministic subset that keeps every article the queries need;
- ``text``      the evaluator's own canonical words (ground truth never uses
                an engine's analyzer) and proclitic forms;
- ``light10``   a faithful port of Lucene's ArabicNormalizer + ArabicStemmer;
- ``engines``   the four engines (``index(docs)``, ``search(query, k)``);
- ``metrics``   MRR, Success@k, recall, violation rate, percentiles;
- ``perturb``   the rewrites of the known-item queries (clitics, ال, hamza,
                ة/ه, ى/ي, tashkeel, tatweel, mixed);
- ``curated``   the hand-checked name-spelling groups and must-not-merge pairs;
- ``build``     building ``data/dev_queries.json`` (seeded, reproducible);
- ``runner``    one evaluation run, the table, the ``--ci`` verdict.

``data/dev_queries.json`` holds ~300 known-item queries (query, original
headline words, target article id, rewrites), the name-spelling groups (per
spelling: number of corpus articles containing it and a sample of their ids)
and the must-not-merge pairs (shared Light10 stem, counts and samples of the
articles where only one word occurs). Containment is recomputed on the
subset at every run.
"""
