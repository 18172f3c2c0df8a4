"""python manage.py collect [--loop] — collect new articles from the outlets' feeds.

Once: every due feed (enabled, of an active outlet, its interval passed) is
fetched, its new article pages extracted and stored through the import
pipeline, and a summary printed (found, new, updated, duplicates, failed).
``--loop`` keeps doing that (a worker for systemd). Changed articles are
queued for the search index; the command indexes them at the end of each
pass unless ``--no-index`` (then the drainer, process_index_queue, does).
It lives in ``search`` because it drives the indexer; collecting itself is
``archive.collect``.
"""
import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from archive.collect.fetch import DEFAULT_DELAY, DEFAULT_TIMEOUT, USER_AGENT, Fetcher
from archive.collect.runner import MAX_PAGES_PER_FEED, RECHECK, Collector
from archive.models import Feed
from search.indexing import drain_leftovers


class Command(BaseCommand):
    help = "يجمع المقالات الجديدة من خلاصات المصادر وخرائط مواقعها (مرة واحدة، أو باستمرار مع --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep collecting (a long-running worker)")
        parser.add_argument("--interval", type=float, default=60.0,
                            help="seconds between two passes with --loop (default 60)")
        parser.add_argument("--feed", type=int, action="append", default=None,
                            help="collect only this feed id now, due or not (repeatable)")
        parser.add_argument("--all", action="store_true", help="collect every enabled feed now, due or not")
        parser.add_argument("--delay", type=float, default=DEFAULT_DELAY,
                            help=f"seconds between two requests to one host (default {DEFAULT_DELAY})")
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
        parser.add_argument("--retries", type=int, default=2, help="retries of a failed request")
        parser.add_argument("--max-pages", type=int, default=MAX_PAGES_PER_FEED,
                            help="new pages fetched from one feed per pass")
        parser.add_argument("--recheck-hours", type=float, default=RECHECK.total_seconds() / 3600,
                            help="ask a stored page again (conditional GET) after this many hours (default 6)")
        parser.add_argument("--user-agent", default=USER_AGENT)
        parser.add_argument("--no-index", action="store_true",
                            help="only queue changed articles (the drainer indexes them)")

    def handle(self, *args, loop, interval, feed, all, delay, timeout, retries, max_pages, user_agent,
               no_index, recheck_hours, verbosity, **options):
        self.recheck = dt.timedelta(hours=recheck_hours)
        fetcher = Fetcher(user_agent=user_agent, delay=delay, timeout=timeout, retries=retries,
                          backoff=max(1.0, delay))
        log = self.stdout.write if verbosity > 0 else None
        while True:
            try:
                summary = self._pass(fetcher, feed, all, max_pages, log, no_index)
            except DatabaseError as exc:
                if not loop:
                    raise CommandError(f"collection stopped: {type(exc).__name__}: {exc}. Articles stored "
                                       "before are kept; run the command again.") from exc
                self.stderr.write(f"database error, retrying next pass: {exc}")
                summary = None
            if summary is not None:
                self.stdout.write(f"collected: {summary.line()}")
            if not loop:
                if summary is not None and summary.feed_errors and not summary.feeds - summary.feed_errors:
                    raise CommandError("every feed failed; see the messages above (retried on the next run)")
                return
            close_old_connections()
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return

    def _pass(self, fetcher, feed_ids, every, max_pages, log, no_index):
        collector = Collector(fetcher, max_pages=max_pages, log=log, recheck=self.recheck)
        feeds = None
        if feed_ids:
            feeds = list(Feed.objects.filter(pk__in=feed_ids).select_related("source"))
            missing = set(feed_ids) - {f.pk for f in feeds}
            if missing:
                raise CommandError(f"no feed with id {', '.join(map(str, sorted(missing)))}")
        elif every:
            feeds = list(Feed.objects.filter(enabled=True).select_related("source"))
        summary = collector.run(feeds)
        if summary.changed_ids and not no_index:
            drain_leftovers(self.stdout, self.stderr)
        return summary
