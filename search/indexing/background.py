"""Indexing while an import fills the queue.

``drain_bulk()`` indexes queued articles in bulk segments as they arrive;
``BackgroundIndexer`` runs it in forked processes (each its share of the
queue) while ``import_articles`` cleans and tags, so both use every core.
"""
from __future__ import annotations

import logging
import os
import time

from django.db import connections as db_connections
from django.db import transaction
from django.db.models.functions import Mod

from archive import dataversion
from archive.batching import chunked
from search.indexing.bulk import REBUILD_SEGMENT_DOCS, SEGMENT_DOCS, process_count
from search.indexing.documents import get_backend, write_docs
from search.indexing.queue import CHUNK, delete_rows, enqueue
from search.models import IndexQueue
from search.schema import article_id_of

log = logging.getLogger(__name__)

# Processes of the BackgroundIndexer (each drains its share of the queue) and
# how long one waits for the write lock to commit its segment.
BULK_PROCESSES = 2
STAGED_COMMIT_TIMEOUT = 120.0


def drain_bulk(*, until=None, timeout: float | None = None, segment_docs: int = SEGMENT_DOCS,
               poll: float = 0.2, batch_size: int = 1000, progress=None,
               share: tuple[int, int] | None = None, max_segment_docs: int | None = None) -> int:
    """Index queued articles in bulk segments while another process fills
    the queue (``import_articles``).

    Rows are taken as they arrive (up to ``batch_size`` at a time) and
    written into one open segment; the segment is committed when it holds
    ``segment_docs`` articles, when an article comes back (its new state
    must replace a committed one) or when ``until()`` is true and the queue
    is empty, which is when this returns. Rows are deleted only after their
    segment is committed (a crash leaves them queued). ``progress(n)`` is
    called with each batch written. Returns the number of rows processed.

    ``max_segment_docs``: each commit doubles the size of the next segment,
    up to that many articles (a long import ends in a few large segments
    instead of one per ``segment_docs``: every segment costs a never-seen
    query a probe per term, search.indexing.bulk), while the first articles
    are still searchable after ``segment_docs``.

    ``share=(k, n)``: one of ``n`` processes draining at once; this one
    takes the rows whose article id is ``k`` modulo ``n`` (an article is
    always written by the same process) and builds its segments without the
    write lock (``bulk_writer(staged=True)``), which it takes only to
    commit them.
    """
    until = until or (lambda: True)
    backend = get_backend()
    queue = IndexQueue.objects.all()
    if share is not None:
        k, n = share
        queue = queue.alias(share=Mod("article_id", n)).filter(share=k)
        # The lock is taken only to commit; wait for it as long as a commit
        # of the other processes may take.
        timeout = max(timeout or 0.0, STAGED_COMMIT_TIMEOUT)
    total = 0
    last_id = 0
    size = segment_docs  # articles in the open segment before it is committed
    writer = None
    taken = []  # queue row ids written into the open segment
    written = set()  # article ids in the open segment

    def commit():
        nonlocal writer, taken, written, size
        if max_segment_docs:
            size = max(size, min(2 * size, max_segment_docs))
        try:
            writer.commit()
            dataversion.changed()  # pages that read the index are rebuilt
            # Written by a web process's drainer meanwhile (staged writers
            # only): possibly newer than what was staged, so queued again.
            again = [article_id_of(text) for _field, text in getattr(writer, "rewritten_elsewhere", ())]
        except BaseException:
            writer.cancel()
            raise
        finally:
            writer = None
        delete_rows(taken)
        if again:
            with transaction.atomic():
                enqueue(again, wake=False)
        taken, written = [], set()

    try:
        while True:
            finishing = until()
            rows = list(queue.filter(id__gt=last_id).order_by("id")
                        .values_list("id", "article_id")[:batch_size])
            if rows:
                ids = sorted({article_id for _, article_id in rows})
                if writer is not None and written.intersection(ids):
                    commit()
                if writer is None:
                    writer = backend.bulk_writer(timeout=timeout, segment_docs=size,
                                                 staged=share is not None)
                for chunk in chunked(ids, CHUNK):
                    write_docs(writer, chunk)
                    if progress is not None:
                        progress(len(chunk))
                written.update(ids)
                taken.extend(r for r, _ in rows)
                last_id = rows[-1][0]
                total += len(rows)
                if writer.added >= size:
                    commit()
                continue
            if writer is not None and finishing:
                commit()
                continue
            if finishing:
                return total
            time.sleep(poll)
    finally:
        if writer is not None:
            writer.cancel()


class BackgroundIndexer:
    """``drain_bulk`` in forked processes while this process imports.

    The importer queues each batch's ids in the batch's transaction; each of
    ``processes`` indexers takes its share of the queue (``drain_bulk``'s
    ``share``), turns the first ``SEGMENT_DOCS`` queued articles into a
    segment and commits it, then segments twice as large each time, up to
    ``REBUILD_SEGMENT_DOCS`` (``drain_bulk``'s ``max_segment_docs``), so
    cleaning/tagging (importer) and indexing run on all
    cores and the index is current soon after the last batch. ``finish()``
    tells them the import is over, waits for the queue to be indexed and
    returns True if every process succeeded (callers fall back to
    ``index_articles`` otherwise). ``indexed`` counts articles written.

    Only where ``can_fork()``.
    """

    def __init__(self, segment_docs: int = SEGMENT_DOCS, processes: int = BULK_PROCESSES,
                 max_segment_docs: int = REBUILD_SEGMENT_DOCS):
        import multiprocessing

        self._ctx = multiprocessing.get_context("fork")
        self._done = self._ctx.Event()
        self._count = self._ctx.Value("q", 0)
        self.segment_docs = segment_docs
        self.max_segment_docs = max_segment_docs
        self.processes = process_count(processes)
        self.children = []

    @property
    def indexed(self) -> int:
        return self._count.value

    def start(self):
        from search.engine.bulkwrite import remove_stale_staging

        folder = getattr(get_backend().index.storage, "folder", None)
        if folder:
            remove_stale_staging(folder)  # left by indexers that were killed
        db_connections.close_all()  # never share a connection with the children
        for k in range(self.processes):
            child = self._ctx.Process(target=self._run, args=(k,), name=f"search-bulk-indexer-{k}",
                                      daemon=True)
            child.start()
            self.children.append(child)
        return self

    def _run(self, k):
        import signal

        parent = os.getppid()
        counter = self._count

        def advance(n):
            with counter.get_lock():
                counter.value += n

        def until():
            return self._done.is_set() or os.getppid() != parent

        def stop(_signum, _frame):
            raise SystemExit(1)  # unwinds drain_bulk: its writer is cancelled

        signal.signal(signal.SIGTERM, stop)
        share = (k, self.processes) if self.processes > 1 else None
        try:
            drain_bulk(until=until, segment_docs=self.segment_docs, progress=advance, share=share,
                       max_segment_docs=self.max_segment_docs)
        except BaseException:
            log.exception("background indexer failed; rows stay queued")
            os._exit(1)
        finally:
            db_connections.close_all()
        os._exit(0)

    def abandon(self):
        """Stop at once (interrupted import): uncommitted segments are
        dropped, queued rows stay for the next drain."""
        self._done.set()
        for child in self.children:
            if child.is_alive():
                child.terminate()
        for child in self.children:
            child.join(10)

    def finish(self, timeout: float | None = None, tick=None) -> bool:
        """Stop after the queue is empty; ``tick(indexed)`` is called every
        0.2 s while waiting. True if every indexer exited cleanly."""
        self._done.set()
        if not self.children:
            return False
        deadline = None if timeout is None else time.monotonic() + timeout
        for child in self.children:
            while child.is_alive():
                if deadline is not None and time.monotonic() > deadline:
                    break
                child.join(0.2)
                if tick is not None:
                    tick(self.indexed)
        return all(child.exitcode == 0 for child in self.children)
