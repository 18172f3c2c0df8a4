"""``manage.py benchmark_search [--sizes 10000,35000,70000,140000] [--repeat 3]``: prints
latency, indexing and memory figures for our search, haystack's stock
Whoosh and SQLite FTS5 (see search/bench/runner.py). Uses the articles of
the configured database (import the corpus first: ``make import-corpus``);
the default ``--sizes`` is the full ladder (140k repeats the corpus with new
ids; a size above the number of articles always does). Latencies are
uncached (query results are evaluated again for every run)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Search speed benchmark against haystack's stock Whoosh and SQLite FTS5."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="10000,35000,70000,140000",
                            help="comma-separated numbers of articles (default: the full ladder)")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--procs", type=int, default=1)
        parser.add_argument("--limitmb", type=int, default=256)
        parser.add_argument("--engines", default="api,ours,stock,fts5")

    def handle(self, *args, sizes, repeat, procs, limitmb, engines, **options):
        from search.bench.runner import run

        run([int(s) for s in sizes.split(",") if s.strip()], repeat=repeat,
            out=self.stdout.write, engines=tuple(e for e in engines.split(",") if e),
            procs=procs, limitmb=limitmb)
