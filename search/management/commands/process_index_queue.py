"""Drain the search index queue as a single writer.

    python manage.py process_index_queue            # drain until empty, exit
    python manage.py process_index_queue --loop     # keep draining (production)
"""
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from whoosh.index import LockError

from search import indexing


class Command(BaseCommand):
    help = "يعالج طابور الفهرسة: يحدّث فهرس البحث بالمقالات التي تغيّرت."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep polling the queue")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls (--loop)")
        parser.add_argument("--lock-timeout", type=float, default=30.0,
                            help="seconds to wait for the Whoosh write lock per batch")
        parser.add_argument("--batch-size", type=int, default=indexing.DRAIN_BATCH)

    def handle(self, *args, loop=False, interval=1.0, lock_timeout=30.0, batch_size=500, **options):
        total = 0
        backoff = interval
        while True:
            try:
                n = indexing.drain(timeout=lock_timeout, batch_size=batch_size)
                total += n
                if n and options["verbosity"] > 0:
                    self.stdout.write(f"indexed {n} queued changes")
                backoff = interval
            except LockError:
                self.stderr.write("search index write lock busy; retrying")
                backoff = min(backoff * 2, 30.0)
                if not loop:
                    time.sleep(backoff)
                    continue
            if not loop:
                break
            close_old_connections()
            time.sleep(backoff)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"done: {total} queued changes indexed, {indexing.pending()} pending"))
