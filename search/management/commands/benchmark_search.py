"""``manage.py benchmark_search [--sizes 10000,35000] [--engines api,ours,stock,fts5] [--repeat 3]``:
prints latency, indexing and memory figures for our search, haystack's
stock Whoosh and SQLite FTS5 (see search/bench/runner.py). Uses the
articles of the configured database (import the corpus first: ``make
import-corpus``). The default is ``--sizes 10000,35000``; with all engines
the stock Whoosh peer dominates (indexing ~90-100 articles/s, and its
faceted queries are the slowest to time); the whole ladder is ``--sizes 10000,35000,70000,140000`` (140k
repeats the corpus with new ids; a size above the number of articles
always does). ``--engines api,ours,fts5`` drops the stock Whoosh peer for a
quick run. Latencies are uncached (query results are evaluated again for
every run). Progress goes to stdout as the indexes are built."""
from django.core.management.base import BaseCommand, CommandError

DEFAULT_SIZES = "10000,35000"


class Command(BaseCommand):
    help = "Search speed benchmark against haystack's stock Whoosh and SQLite FTS5."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=DEFAULT_SIZES,
                            help="comma-separated numbers of articles (default %(default)s; "
                                 "the whole ladder: 10000,35000,70000,140000)")
        parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (default 3)")
        parser.add_argument("--procs", type=int, default=1,
                            help="writer processes for --per-object only (the bulk writer is one process)")
        parser.add_argument("--limitmb", type=int, default=256, help="writer memory, --per-object only")
        parser.add_argument("--per-object", action="store_true",
                            help="build our index through the per-object writer (slow) instead of the bulk writer")
        parser.add_argument("--engines", default="api,ours,stock,fts5",
                            help="comma-separated engines to time, of api,ours,stock,fts5 "
                                 "(drop stock for a quick run; our index is always built)")

    def handle(self, *args, sizes, repeat, procs, limitmb, per_object, engines, **options):
        from search.bench.runner import ENGINES, run

        try:
            size_list = [int(s) for s in sizes.split(",") if s.strip()]
        except ValueError:
            raise CommandError(f"--sizes: comma-separated whole numbers, not {sizes!r}") from None
        if not size_list or min(size_list) < 1:
            raise CommandError("--sizes: at least one size, each 1 or more")
        engine_list = tuple(e.strip() for e in engines.split(",") if e.strip())
        unknown = sorted(set(engine_list) - set(ENGINES))
        if unknown or not engine_list:
            raise CommandError(f"--engines: choose among {','.join(ENGINES)} (unknown: {','.join(unknown)})")
        if repeat < 1:
            raise CommandError("--repeat: 1 or more")
        run(size_list, repeat=repeat, out=self.stdout.write, engines=engine_list,
            procs=procs, limitmb=limitmb, bulk=not per_object)
