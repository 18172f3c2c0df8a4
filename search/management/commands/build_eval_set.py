"""Build the development query set of the search evaluation.

    python manage.py build_eval_set                     # writes search/evaluation/data/dev_queries.json
    python manage.py build_eval_set --output /tmp/q.json --seed 7
    python manage.py build_eval_set --discover skeletons  # same-skeleton words, outlet-divergent first
    python manage.py build_eval_set --discover names    # candidate name-spelling pairs
    python manage.py build_eval_set --discover pairs    # Light10 classes with several frequent words
    python manage.py build_eval_set --contexts ترمب بوتن  # read a few contexts of words

Deterministic: the same corpus and seed give the same file. The curated
name groups and must-not-merge pairs live in search/evaluation/curated.py,
the Latin-script names in search/evaluation/latin_names.py (chosen from the
--discover output after reading --contexts of every spelling).
"""
from django.core.management.base import BaseCommand, CommandError

from search.evaluation.build import (
    DEFAULT_SEED,
    PER_KIND,
    CorpusStats,
    build_query_set,
    contexts,
    discover_names,
    discover_pairs,
    pair_stems,
    write_query_set,
)
from search.evaluation.corpus import corpus_available, corpus_dir, load_corpus
from search.evaluation.runner import DEFAULT_QUERY_SET
from search.evaluation.skeleton import discover_skeleton_pairs


class Command(BaseCommand):
    help = "Build the committed development query set of evaluate_search from the corpus."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_QUERY_SET), help="where to write the JSON")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--per-kind", type=int, default=PER_KIND, help="known-item queries per kind")
        parser.add_argument("--corpus", metavar="DIR", help="corpus folder (default: settings.CORPUS_DIR)")
        parser.add_argument("--discover", choices=("skeletons", "names", "pairs"),
                            help="print candidates instead of building")
        parser.add_argument("--contexts", nargs="+", metavar="WORD", help="print contexts of words instead of building")
        parser.add_argument("--limit", type=int, default=200, help="rows printed by --discover / --contexts count")

    def handle(self, *args, **opts):
        path = corpus_dir(opts["corpus"])
        if not corpus_available(path):
            raise CommandError(f"The corpus is not at {path} (set ARCHIVE_CORPUS_DIR or pass --corpus).")
        log = self.stderr.write
        log("reading the corpus (a few minutes) ...")
        stats = CorpusStats(load_corpus(path), log=log, keep_stems=pair_stems())
        if opts["contexts"]:
            for word in opts["contexts"]:
                found = contexts(stats, word, n=min(opts["limit"], 10))
                self.stdout.write(f"=== {word}")
                for doc_id, text in found:
                    self.stdout.write(f"  {doc_id} | {text}")
            return
        if opts["discover"] == "skeletons":
            for score, x, dfx, y, dfy in discover_skeleton_pairs(stats, limit=opts["limit"]):
                self.stdout.write(f"{score:.2f}  {x} {dfx}  ~  {y} {dfy}")
            return
        if opts["discover"] == "names":
            for x, dfx, y, dfy in discover_names(stats, limit=opts["limit"]):
                self.stdout.write(f"{x} {dfx}  ~  {y} {dfy}")
            return
        if opts["discover"] == "pairs":
            for stem, members in discover_pairs(stats, limit=opts["limit"]):
                self.stdout.write(f"{stem} | " + " ".join(f"{w}:{c}" for w, c in members))
            return
        data = build_query_set(seed=opts["seed"], per_kind=opts["per_kind"], log=log, stats=stats)
        write_query_set(data, opts["output"])
        self.stdout.write(
            f"wrote {opts['output']}: {len(data['known_items'])} known items, "
            f"{len(data['spelling_groups'])} spelling groups, {len(data['must_not_merge'])} must-not-merge pairs, "
            f"{len(data['skeleton_pairs'])} skeleton pairs, {len(data['latin_names'])} Latin-script names"
        )
