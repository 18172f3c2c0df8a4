"""``manage.py bench_pages [--rounds 5] [--repeats 5] [--seed 16]``: every
public page through HTTP against gunicorn with one worker, on the configured
data folder (search/bench/pages.py): the new worker's first load, the first
load after a data change made by another process, repeated loads, and the
same pages with the page cache off (``PAGE_CACHE=0``) as the run's baseline,
p50/p95 with the machine's cores and load average."""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Pages benchmark: first, after-change and repeated loads through gunicorn, against no page cache."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=5, help="data changes (default %(default)s)")
        parser.add_argument("--repeats", type=int, default=5,
                            help="repeated loads after each change (default %(default)s)")
        parser.add_argument("--seed", type=int, default=16, help="choice of pages (default %(default)s)")

    def handle(self, *args, rounds, repeats, seed, **options):
        from search.bench.pages import page_urls, report, run_pages

        if rounds < 1 or repeats < 1:
            raise CommandError("--rounds and --repeats: 1 or more")
        urls = page_urls(seed)
        if len(urls) < 3:
            raise CommandError("no articles in the database: import some first")
        report(run_pages(urls, rounds=rounds, repeats=repeats), self.stdout.write)
