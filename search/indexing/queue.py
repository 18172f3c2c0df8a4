"""The index queue: ``IndexQueue`` rows written in the caller's transaction,
drained into the index by one writer at a time.

- ``enqueue(ids)`` appends rows *in the caller's transaction* (the signal
  processor and ``archive.signals.articles_changed`` call it), so a
  rolled-back edit leaves no row and a committed one always has its row;
  after commit it wakes this process's drainer thread.
- ``drain_once``/``drain``: take the write lock *without waiting* (LockError
  keeps every row), read the queued rows, then the articles' current state,
  write (visible → add/replace, hidden/deleted → remove), commit, and only
  then delete exactly the rows that were read. Reading the article after
  taking the lock means two writers can never commit an older state last.
- ``QueueDrainer`` (``DRAINER``, one daemon thread per process) drains when
  woken, retrying a busy lock with backoff (0.1 s doubling to 5 s).
- ``python manage.py process_index_queue [--loop]`` is the same drain as a
  separate single writer (production).
"""
from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import F
from haystack.constants import ID
from whoosh.index import LockError

from archive import dataversion
from archive.batching import chunked
from search.indexing.documents import get_backend, search_index
from search.models import IndexQueue
from search.schema import identifier

log = logging.getLogger(__name__)

DRAIN_BATCH = 500
IDLE_POLL_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 5.0
MAX_ERROR_BACKOFF_SECONDS = 30.0
CHUNK = 500


def enqueue(article_ids, *, wake=True) -> int:
    """Queue ids for (re)indexing in the current transaction; wake the drainer
    after commit. Returns the number of rows added."""
    ids = [int(i) for i in dict.fromkeys(article_ids) if i is not None]
    if not ids:
        return 0
    IndexQueue.objects.bulk_create([IndexQueue(article_id=i) for i in ids], batch_size=1000)
    if wake:
        transaction.on_commit(wake_drainer)
    return len(ids)


def pending() -> int:
    return IndexQueue.objects.count()


def _apply(backend, writer, ids) -> tuple[int, int]:
    """Write the current state of ``ids`` into an open writer."""
    sidx = search_index()
    visible = {a.pk: a for a in sidx.index_queryset().filter(pk__in=ids)}
    updated = removed = 0
    for pk in ids:
        obj = visible.get(pk)
        if obj is None:
            writer.delete_by_term(ID, identifier(pk))
            removed += 1
        else:
            backend.write_objects(writer, sidx, [obj])
            updated += 1
    return updated, removed


def warm_vocabulary(backend) -> None:
    """Write the vocabulary side files of new segments (small ones, or a
    merge's) in the writer, so that no search pays for them. Best effort."""
    try:
        from search.engine.vocabulary import warm_side_files

        reader = backend.index.reader()
        try:
            warm_side_files(reader)
        finally:
            reader.close()
    except Exception:  # the first query that needs a file writes it
        log.warning("could not write the vocabulary side files", exc_info=True)


def drain_once(*, timeout: float = 0.0, batch_size: int = DRAIN_BATCH) -> int:
    """Process one batch of queued rows. Returns rows processed (0: empty).

    Raises whoosh.index.LockError if the write lock stays busy for
    ``timeout`` seconds (rows are kept).
    """
    if not IndexQueue.objects.exists():
        return 0
    backend = get_backend()
    writer = backend.writer(timeout=timeout)
    rows = []
    try:
        rows = list(
            IndexQueue.objects.order_by("attempts", "id").values_list("id", "article_id")[:batch_size]
        )
        if not rows:
            writer.cancel()
            return 0
        ids = sorted({article_id for _, article_id in rows})
        _apply(backend, writer, ids)
        writer.commit()
        dataversion.changed()  # related articles and browse counts read the index
        warm_vocabulary(backend)
    except LockError:
        writer.cancel()
        raise
    except Exception as exc:
        writer.cancel()
        if rows:
            IndexQueue.objects.filter(id__in=[r for r, _ in rows]).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
        raise
    delete_rows(r for r, _ in rows)
    return len(rows)


def drain(*, timeout: float = 0.0, batch_size: int = DRAIN_BATCH, max_batches: int | None = None) -> int:
    """Drain the queue until it is empty. Returns rows processed."""
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        n = drain_once(timeout=timeout, batch_size=batch_size)
        if not n:
            break
        total += n
        batches += 1
    return total


def drain_leftovers(stdout, stderr, *, timeout: float = 30.0) -> int:
    """A command's last step: index rows left queued (e.g. by an interrupted
    import). A write lock still busy after ``timeout`` leaves them for the
    drainer. Writes one line to the command's ``stdout``/``stderr``."""
    try:
        drained = drain(timeout=timeout)
    except LockError:
        stderr.write("search index busy; queued changes stay for the drainer")
        return 0
    if drained:
        stdout.write(f"indexed {drained} queued changes")
    return drained


def delete_rows(row_ids):
    for chunk in chunked(list(row_ids), CHUNK):
        IndexQueue.objects.filter(id__in=chunk).delete()


# --- the per-process drainer thread -----------------------------------------------------------

class QueueDrainer:
    """A daemon thread that drains the queue when woken, never blocking on
    the write lock. It exits after two idle polls and restarts on wake."""

    def __init__(self):
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        self._stopping = False
        self.last_error = None
        self.runs = 0

    @property
    def alive(self):
        return self._thread is not None and self._thread.is_alive()

    def wake(self):
        with self._lock:
            self._stopping = False
            if not self.alive:
                self._thread = threading.Thread(target=self._run, name="search-index-drainer", daemon=True)
                self._thread.start()
            # Set under the lock: an exiting thread checks the event under it.
            self._event.set()

    def stop(self, timeout: float = 10.0):
        with self._lock:
            thread = self._thread
            self._stopping = True
            self._event.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:
            self._thread = None
            self._stopping = False
            self._event.clear()

    def _run(self):
        delay = 0.0  # seconds before the next attempt after a failure
        idle_polls = 0
        woke = True  # started by a wake
        while True:
            self._event.clear()
            if self._stopping:
                return
            try:
                processed = drain(timeout=0.0)
                self.runs += 1
                delay = 0.0
                if woke or processed:
                    idle_polls = 0
                else:
                    idle_polls += 1
            except LockError:
                delay = min(max(delay * 2, 0.1), MAX_BACKOFF_SECONDS)
            except Exception as exc:  # keep the rows, log, back off
                self.last_error = exc
                log.exception("search index drainer failed; rows stay queued")
                delay = min(max(delay * 2, 1.0), MAX_ERROR_BACKOFF_SECONDS)
            finally:
                try:
                    db_connections.close_all()
                except Exception:
                    pass
            if idle_polls >= 2:
                with self._lock:
                    if not self._event.is_set() and self._thread is threading.current_thread():
                        self._thread = None
                        return
            woke = self._event.wait(timeout=delay or IDLE_POLL_SECONDS)


DRAINER = QueueDrainer()


def drainer_enabled() -> bool:
    return getattr(settings, "SEARCH_INDEX_DRAINER_THREAD", True)


def wake_drainer():
    if drainer_enabled():
        DRAINER.wake()


def stop_drainer(timeout: float = 10.0):
    DRAINER.stop(timeout)


def wait_for_queue(timeout: float = 10.0, interval: float = 0.05) -> bool:
    """Wait until the queue is empty (tests, scripts). True if it emptied."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not IndexQueue.objects.exists():
            return True
        time.sleep(interval)
    return not IndexQueue.objects.exists()
