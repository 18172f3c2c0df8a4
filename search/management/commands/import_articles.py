"""python manage.py import_articles [PATH ...] — import scraped pages and corpus files.

``--index while`` (the default once the index holds ``IMPORT_REBUILD_BELOW``
articles): background processes (``search.indexing.BackgroundIndexer``, one
per core up to ``BULK_PROCESSES``, each with its share of the queue) index
the queued articles in segments as the import commits them, so every core
works; the command returns when all are done. ``--index after`` (the default
into a smaller index: a first import): the whole index is rebuilt once the
import is over (``search.indexing.rebuild``), in one segment per core: at
70,000 articles 3 min 20 s in all instead of 3 min 38 s, and two segments
instead of ten (a never-seen query 26 instead of 35 ms p50). Where a second
process cannot see the database (in-memory SQLite, inside a transaction)
the articles are indexed after the import by the calling process.

It lives in ``search`` because it drives the indexers; the import itself is
``archive.importing`` (``archive`` never imports ``search``).
"""
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from archive.importing import Importer
from search.engine.shared import IndexUnavailable
from search.indexing import (
    BULK_PROCESSES,
    IMPORT_REBUILD_BELOW,
    BackgroundIndexer,
    can_fork,
    drain_leftovers,
    index_articles,
    index_doc_count,
    rebuild,
)

# Cleaning workers run at this niceness while the background indexers run:
# indexing is most of the CPU work, so the indexers keep pace instead of
# finishing alone after the import.
WORKER_NICE = 5


class Command(BaseCommand):
    help = (
        "Import articles from scraped .txt pages, JSON Lines files (gzipped or not) and web archives "
        "(.warc, .warc.gz: HTML pages extracted, docs/collecting.md). "
        "PATH may be files or folders; the default is seeds/. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: seeds/)")
        parser.add_argument("--workers", type=int, default=None, help="cleaning processes (default: up to 2)")
        parser.add_argument("--limit", type=int, default=None, help="read at most N records per JSONL file")
        parser.add_argument("--no-index", action="store_true", help="do not update the search index")
        parser.add_argument("--index", choices=("auto", "while", "after"), default="auto",
                            help="index while importing, or rebuild the index after the import "
                                 f"(auto: after, if the index holds fewer than {IMPORT_REBUILD_BELOW} articles)")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, paths, workers, limit, no_index, no_progress, verbosity, index="auto", **options):
        paths = paths or [str(settings.BASE_DIR / "seeds")]
        show = not no_progress and verbosity > 0
        mode = None if no_index else _index_mode(index)
        indexer = self._start_indexer() if mode == "while" else None
        progress = index_bar = None
        if show:
            from tqdm import tqdm

            progress = tqdm(unit=" articles", desc="import", file=sys.stderr, mininterval=0.5, disable=None)
            if indexer is not None:
                index_bar = tqdm(unit=" articles", desc="index ", file=sys.stderr, mininterval=0.5,
                                 disable=None, position=1)
                progress = _TwoBars(progress, index_bar, indexer)
        try:
            report = Importer(workers=workers, progress=progress, limit=limit,
                              worker_nice=WORKER_NICE if indexer is not None else 0).run(paths)
        except (DatabaseError, OSError) as exc:  # read-only or full disk, database gone
            if indexer is not None:
                indexer.finish()  # index the batches that were committed
            raise CommandError(_stopped("import", exc)) from exc
        except BaseException:
            if indexer is not None:
                indexer.abandon()  # queued rows stay for the next run or the drainer
            raise
        finally:
            if progress is not None and (index_bar is None or sys.exc_info()[0] is not None):
                progress.close()
        indexed_in_background = False
        if indexer is not None:
            started = time.perf_counter()
            indexed_in_background = indexer.finish(tick=progress.refresh_index if index_bar else None)
            if index_bar is not None:
                progress.close()
            if indexed_in_background:
                self.stdout.write(
                    f"indexed {indexer.indexed} articles while importing "
                    f"(+{time.perf_counter() - started:.1f} s after the import)"
                )

        for problem in report.rejected:
            self.stderr.write(f"rejected: {problem.location}: {problem.reason}")
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"duplicates {report.duplicates}, rejected {len(report.rejected)} "
            f"in {report.seconds:.1f} s ({report.rate:.0f} articles/s)"
        )
        if report.changed_ids and mode == "after":
            started = time.perf_counter()
            try:
                indexed = rebuild(processes=BULK_PROCESSES, progress=show)
            except (DatabaseError, OSError, IndexUnavailable) as exc:
                raise CommandError(_stopped("indexing", exc)) from exc
            self.stdout.write(f"indexed {indexed} articles after the import "
                              f"(index rebuilt in {time.perf_counter() - started:.1f} s)")
        elif report.changed_ids and mode and not indexed_in_background:
            try:
                indexed = index_articles(report.changed_ids, progress=show)
            except (DatabaseError, OSError, IndexUnavailable) as exc:
                raise CommandError(_stopped("indexing", exc)) from exc
            self.stdout.write(f"indexed {indexed} articles")
        if not no_index:
            drain_leftovers(self.stdout, self.stderr)
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} input(s) rejected; every valid record was imported.")

    @staticmethod
    def _start_indexer():
        """The background indexers (one process per core, up to
        ``BULK_PROCESSES``), when the database allows them."""
        if not can_fork():
            return None
        return BackgroundIndexer().start()


def _index_mode(requested: str) -> str:
    """"while" or "after" for ``--index`` (auto: after, into an index of
    fewer than ``IMPORT_REBUILD_BELOW`` articles or one that cannot be read)."""
    if requested != "auto":
        return requested
    try:
        return "after" if index_doc_count() < IMPORT_REBUILD_BELOW else "while"
    except (IndexUnavailable, OSError):
        return "after"


class _TwoBars:
    """The importer's progress object (``update``) driving two bars: import
    and the background indexer's count."""

    def __init__(self, import_bar, index_bar, indexer):
        self.import_bar = import_bar
        self.index_bar = index_bar
        self.indexer = indexer
        self._last = 0.0

    def update(self, n=1):
        self.import_bar.update(n)
        now = time.monotonic()
        if now - self._last >= 0.5:
            self._last = now
            self.refresh_index(self.indexer.indexed)

    def refresh_index(self, indexed):
        self.index_bar.total = max(self.import_bar.n, indexed)
        self.index_bar.update(indexed - self.index_bar.n)

    def close(self):
        self.refresh_index(self.indexer.indexed)
        self.import_bar.close()
        self.index_bar.close()


def _stopped(stage: str, exc: BaseException) -> str:
    return (
        f"{stage} stopped: {type(exc).__name__}: {exc}. Batches written before are kept whole, the batch "
        "in progress was rolled back. Fix the cause (disk space, permissions, database) and run the same "
        "command again: it skips what is already imported and indexes what is still queued."
    )
