"""``manage.py bench_readers [--queries 1000] [--seed 16] [--procs 4]
[--http-limit N] [--http-budget 600] [--no-http] [--fts5] [--peers-only] [--query-file F]``:
the reader's path on the configured database and index (search/bench/reader_run.py).

Samples distinct queries from the articles' headlines (or reads them from
``--query-file`` when it exists; a new set is written there, by default
``<data folder>/bench/reader_queries.json``), runs each once in a new process
that has never seen it and again in the same process, through the API view
and through HTTP against gunicorn with one worker, and prints p50/p95/max per
query kind with the never-seen ÷ warm ratio; ``--fts5`` adds the peers at
the engine level (search/bench/peers.py: SQLite FTS5 planned MATCH-first and
tantivy over the same analysed tokens, from requirements-bench.txt) and the
ratio to FTS5; ``--peers-only`` runs only that engine-level comparison."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Reader's path benchmark: never-seen and warm queries, through the view and through gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=1000, help="distinct queries (default %(default)s)")
        parser.add_argument("--seed", type=int, default=16, help="sampling seed (default %(default)s)")
        parser.add_argument("--procs", type=int, default=4,
                            help="new worker processes the set is split over (default %(default)s; "
                                 "0: no view part, HTTP only)")
        parser.add_argument("--query-file", default=None,
                            help="read the query set from this file if it exists, else write it there "
                                 "(default: <data folder>/bench/reader_queries.json, always rewritten)")
        parser.add_argument("--http-limit", type=int, default=None,
                            help="at most this many queries through HTTP (default: all)")
        parser.add_argument("--http-budget", type=float, default=600.0,
                            help="seconds for both HTTP passes (default %(default)s)")
        parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
        parser.add_argument("--fts5", action="store_true",
                            help="also time the peers (FTS5, tantivy) over the same analysed tokens")
        parser.add_argument("--peers-only", action="store_true",
                            help="only the engine-level comparison of ours with the peers")

    def handle(self, *args, queries, seed, procs, query_file, http_limit, http_budget, no_http, fts5,
               peers_only, **options):
        from search.bench.reader_queries import build_queries, read_queries, write_queries
        from search.bench.reader_run import run

        if queries < 1 or procs < 0:
            raise CommandError("--queries: 1 or more; --procs: 0 or more")
        if http_limit is not None and http_limit < 1:
            raise CommandError("--http-limit: 1 or more")
        path = Path(query_file) if query_file else Path(settings.DATA_DIR) / "bench" / "reader_queries.json"
        if query_file and path.exists():
            query_set = read_queries(path)[:queries]
            self.stdout.write(f"query set read from {path}")
        else:
            query_set = build_queries(queries, seed=seed)
            if not query_set:
                raise CommandError("no articles with headlines in the database: import some first")
            write_queries(query_set, path)
            self.stdout.write(f"query set written to {path}")
        if peers_only:
            import tempfile

            from search.bench.peers import run_peers
            from search.bench.reader_run import machine_line

            self.stdout.write(machine_line())
            with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
                run_peers(query_set, tmp, self.stdout.write)
            self.stdout.write(machine_line())
            return
        run(query_set, out=self.stdout.write, procs=procs, http=not no_http, http_limit=http_limit,
            http_budget_s=http_budget, fts5=fts5)
