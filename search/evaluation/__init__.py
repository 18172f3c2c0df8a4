"""Search-quality evaluation: ours against plain BM25, stock haystack,
normalization only and Lucene's Light10, on the same corpus subset and the
same queries, every set split into a dev half (tune on it) and a test half
(report only; the ``--ci`` gate reads it).

Run it with ``python manage.py evaluate_search`` (``make eval``); rebuild the
committed query set with ``python manage.py build_eval_set``.

- ``corpus``      reading ``settings.CORPUS_DIR`` and drawing a stratified,
                  deterministic subset;
- ``subset``      the subset of a run: the draw around the query set's
                  support articles, plus the known-item targets;
- ``split``       the dev/test half of every entry (SHA-1 of its key);
- ``text``        the evaluator's own canonical words (ground truth never
                  uses an engine's analyzer) and proclitic forms;
- ``light10``     a faithful port of Lucene's ArabicNormalizer + ArabicStemmer;
- ``engines``     the five engines (``index(docs)``, ``search(query, k)``);
- ``metrics``     MRR, Success@k, recall, violation rate, percentiles;
- ``perturb``     the rewrites of the known-item queries (clitics, ال, hamza,
                  ة/ه, ى/ي, tashkeel, tatweel, mixed);
- ``skeleton``    the transliteration skeleton the name groups were
                  discovered with;
- ``country_forms`` a word's country name and nisba adjectives (gazetteer),
                  which the must-not-merge truth counts as the word;
- ``curated``     the name-spelling groups, must-not-merge pairs and
                  skeleton-close pairs, each kept after reading contexts;
- ``latin_names`` names typed in Latin letters with their Arabic spellings;
- ``latin_check`` those names' dev half and a second dev-like set
                  (``data/latin_dev2.json``) on an existing index
                  (``manage.py check_latin``);
- ``topical``     research questions judged 0/1/2 by reading (nDCG@10,
                  the unjudged share of a run's top 10);
- ``build``       building ``data/dev_queries.json`` (seeded, reproducible);
- ``runner``      one evaluation run, the table (dev and test side by side),
                  the ``--ci`` verdict and the goals of ``--strict``.

``data/dev_queries.json`` holds 320 known-item queries (query, original
headline words, target article id, rewrites, how many articles of the
default subset hold all the words; 20% unperturbed controls), 171
name-spelling groups (per spelling: number of corpus articles containing it
and a sample of their ids), the must-not-merge and skeleton pairs (counts
and samples of the articles where only one word occurs) and 101 Latin-script
names (counts and samples), each with its ``split``. No article text.
Containment is recomputed on the subset at every run.

``data/topical_needs.json`` holds 46 research questions (Arabic query, one
English sentence of what the researcher wants, its ``split``) and 644
judgements (corpus id, grade 0/1/2, title) of the articles pooled from the
top 10 of ours (with and without the ranking rules of
``search.query.ranking``), light10 and plain BM25 on the default subset.
"""
