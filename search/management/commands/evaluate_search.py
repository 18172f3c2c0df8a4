"""Search-quality evaluation against baselines (``make eval``).

    python manage.py evaluate_search                 # 10,000 articles
    python manage.py evaluate_search --size 20000 --json var/eval.json
    python manage.py evaluate_search --ci            # 2,000 articles, exit 1 if ours loses (test half)
    python manage.py evaluate_search --ci --strict   # ... or misses a goal of the issue (test half)

Builds five Whoosh indexes of the same corpus subset (plain BM25 on
unanalysed words, stock haystack, normalization only, Lucene's Light10,
ours — see search/evaluation/engines.py) in a temporary folder, runs the
committed query set (search/evaluation/data/dev_queries.json, every entry
in a dev or a test half) through each and prints one table, dev and test
side by side: known-item MRR@100 (overall, perturbed, unperturbed controls)
and Success@1/@10 (also per rewrite kind), recall of other name spellings,
must-not-merge violations, Latin-script names, latency, with the targets
judged on ours' test half. Failing examples come from the dev half only.
"""
import json

from django.core.management.base import BaseCommand, CommandError

from search.evaluation.corpus import corpus_available, corpus_dir
from search.evaluation.engines import ENGINE_ORDER
from search.evaluation.runner import (
    DEFAULT_QUERY_SET,
    EvalConfig,
    failing_examples,
    format_table,
    run_evaluation,
)
from search.evaluation.subset import DEFAULT_SIZE, SUBSET_SEED, SUPPORT

CI_SIZE = 2000
CI_SUPPORT = 1  # articles per spelling / pair side / Latin name forced into the --ci subset


class Command(BaseCommand):
    help = "Evaluate Arabic search quality (ours vs stock haystack, normalization only and Light10)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=None,
                            help=f"articles in the corpus subset (default {DEFAULT_SIZE}; {CI_SIZE} with --ci)")
        parser.add_argument("--ci", action="store_true",
                            help="small run that exits non-zero when ours is worse than any baseline "
                                 "on the test half's MRR, Success@10, spelling recall or violation rate")
        parser.add_argument("--strict", action="store_true",
                            help="with --ci: also fail when the test half misses a goal of the issue "
                                 "(MRR, controls vs plain BM25, spelling recall, violations, Latin names)")
        parser.add_argument("--json", metavar="PATH", help="write the full results (metrics and per-query details)")
        parser.add_argument("--corpus", metavar="DIR", help="corpus folder (default: settings.CORPUS_DIR)")
        parser.add_argument("--queries", metavar="PATH", default=None,
                            help=f"query set (default {DEFAULT_QUERY_SET.name})")
        parser.add_argument("--engines", default=",".join(ENGINE_ORDER),
                            help="comma-separated engines to run (default: all five)")
        parser.add_argument("--jobs", type=int, default=2, help="processes used to build the indexes (default 2)")
        parser.add_argument("--seed", type=int, default=SUBSET_SEED,
                            help=f"seed of the subset draw (default {SUBSET_SEED})")
        parser.add_argument("--support", type=int, default=None,
                            help=f"articles per spelling, pair side and Latin name forced into the subset "
                                 f"(default {SUPPORT}; {CI_SUPPORT} with --ci)")
        parser.add_argument("--workdir", help="keep the indexes in this folder instead of a temporary one")
        parser.add_argument("--reuse-index", action="store_true",
                            help="with --workdir: query the indexes an earlier run built there (query-side changes only)")
        parser.add_argument("--examples", type=int, default=10,
                            help="failing examples of ours to print per category (0: none)")

    def handle(self, *args, **opts):
        path = corpus_dir(opts["corpus"])
        if not corpus_available(path):
            raise CommandError(f"The corpus is not at {path} (set ARCHIVE_CORPUS_DIR or pass --corpus).")
        engines = tuple(e.strip() for e in opts["engines"].split(",") if e.strip())
        unknown = [e for e in engines if e not in ENGINE_ORDER]
        if unknown:
            raise CommandError(f"Unknown engine(s): {', '.join(unknown)}; choose from {', '.join(ENGINE_ORDER)}.")
        size = opts["size"] or (CI_SIZE if opts["ci"] else DEFAULT_SIZE)
        support = opts["support"] if opts["support"] is not None else (CI_SUPPORT if opts["ci"] else SUPPORT)
        cfg = EvalConfig(
            size=size, seed=opts["seed"], support=max(0, support), engines=engines, jobs=max(1, opts["jobs"]),
            query_set=opts["queries"], corpus_path=str(path), workdir=opts["workdir"], reuse_index=opts["reuse_index"],
        )
        log = (lambda msg: self.stderr.write(msg)) if opts["verbosity"] >= 1 else (lambda msg: None)
        results = run_evaluation(cfg, log=log)

        self.stdout.write(format_table(results))
        if opts["examples"] and "ours" in results["engines"]:
            self.stdout.write("")
            self.stdout.write(failing_examples(results, n=opts["examples"]))
        self.stdout.write(f"\n(finished in {results['seconds']:.0f} s)")
        if opts["json"]:
            with open(opts["json"], "w", encoding="utf-8") as fh:
                json.dump(results, fh, ensure_ascii=False, indent=1)
            self.stdout.write(f"results written to {opts['json']}")
        goals = results.get("goal_failures") or []
        if goals:
            self.stdout.write("Goals missed on the test half:")
            for g in goals:
                self.stdout.write(f"  - {g}")
        if opts["ci"]:
            failures = results["ci_failures"] + (goals if opts["strict"] else [])
            if failures:
                self.stdout.write("CI: ours is worse than a baseline on:")
                for f in failures:
                    self.stdout.write(f"  - {f}")
                raise CommandError(f"ours is worse than a baseline on {len(failures)} metric(s)", returncode=1)
            self.stdout.write("CI: ours is at least as good as every baseline on MRR, Success@10, "
                              "spelling recall and violation rate (test half).")
