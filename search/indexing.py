"""Keeping the Whoosh index in step with the database.

Whoosh has one write lock per index, so nothing on the request path writes
to it. Instead:

1. ``enqueue(ids)`` appends rows to ``IndexQueue`` *in the caller's
   transaction* (the signal processor calls it on every relevant change), so
   a rolled-back edit leaves no row and a committed one always has its row;
   after commit it wakes this process's drainer thread.
2. The drainer (``QueueDrainer``, one daemon thread per process) calls
   ``drain(timeout=0)``: take the write lock *without waiting*; on LockError
   keep every row and retry with backoff (0.1 s doubling to 5 s). With the
   lock held, read the queued rows, then the articles' current state, write
   (visible → add/replace, hidden/deleted → remove), commit, and only then
   delete exactly the rows that were read. Reading the article after taking
   the lock means two writers can never commit an older state last; a row is
   deleted only after its change is in the index.
3. ``python manage.py process_index_queue [--loop]`` is the same drain as a
   separate single writer (production).

``index_articles(ids)`` indexes many ids with one writer (the importer calls
it after bulk_create, which sends no signals); ``rebuild()`` rebuilds the
whole index in one writer and one commit (searchers keep the old index until
then).
"""
from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import F
from haystack.constants import ID
from whoosh.index import LockError
from whoosh.writing import CLEAR

from archive.models import Article
from search.models import IndexQueue

log = logging.getLogger(__name__)

DRAIN_BATCH = 500
# A bulk import indexes with Whoosh's multi-process writer: two sub-writers,
# each writing its own segment (no final merge on the import's path).
# Measured on 4,000 corpus articles: 130 articles/s with one writer, 164 with
# two; below this size the extra processes cost more than they save.
BULK_THRESHOLD = 5000
BULK_WRITER = {"procs": 2, "limitmb": 512, "multisegment": True}
IDLE_POLL_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 5.0
MAX_ERROR_BACKOFF_SECONDS = 30.0
CHUNK = 500


def _chunks(seq, size):
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def get_backend():
    from search.backend import get_backend as _get

    return _get()


def _search_index():
    from haystack import connections

    return connections["default"].get_unified_index().get_index(Article)


def identifier(article_id) -> str:
    return f"archive.article.{article_id}"


# --- the queue -----------------------------------------------------------------------

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
    sidx = _search_index()
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
    row_ids = [r for r, _ in rows]
    for chunk in _chunks(row_ids, CHUNK):
        IndexQueue.objects.filter(id__in=chunk).delete()
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


# --- batch indexing and rebuild ------------------------------------------------------------

def _progress_callback(progress, total):
    """progress: None/False, True (a tqdm bar on stderr) or callable(done, total)."""
    if not progress:
        return None, None
    if callable(progress):
        return progress, None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, None
    bar = tqdm(total=total, unit="article", desc="index")
    state = {"done": 0}

    def update(done, _total):
        bar.update(done - state["done"])
        state["done"] = done

    return update, bar


def index_articles(article_ids, *, timeout: float | None = None, batch_size: int = 500,
                   progress=None) -> int:
    """Add/replace/remove many articles with one writer and one commit.

    Visible articles are (re)indexed, hidden or missing ones removed. Queue
    rows for these ids that existed before the call are deleted afterwards.
    If the write lock stays busy (``timeout``, default the backend's), the ids
    are queued instead (nothing is lost) and 0 is returned. ``progress``:
    True for a progress bar, or a callable(done, total).
    """
    ids = sorted({int(i) for i in article_ids if i is not None})
    if not ids:
        return 0
    row_ids = []
    for chunk in _chunks(ids, CHUNK):
        row_ids.extend(IndexQueue.objects.filter(article_id__in=chunk).values_list("id", flat=True))
    backend = get_backend()
    bulk = BULK_WRITER if len(ids) >= BULK_THRESHOLD and (os.cpu_count() or 1) > 1 else {}
    try:
        writer = backend.writer(timeout=timeout, **bulk)
    except LockError:
        log.warning("search index busy: %d articles queued for indexing instead", len(ids))
        enqueue(ids)
        return 0
    report, bar = _progress_callback(progress, len(ids))
    try:
        done = 0
        for chunk in _chunks(ids, batch_size):
            _apply(backend, writer, chunk)
            done += len(chunk)
            if report:
                report(done, len(ids))
        writer.commit()
    except BaseException:
        writer.cancel()
        enqueue(ids)
        raise
    finally:
        if bar is not None:
            bar.close()
    for chunk in _chunks(row_ids, CHUNK):
        IndexQueue.objects.filter(id__in=chunk).delete()
    return len(ids)


def rebuild(*, batch_size: int = 1000, procs: int = 1, limitmb: int = 256,
            timeout: float | None = None, progress=None) -> int:
    """Rebuild the whole index from the database in one writer/commit.

    Searches keep using the previous index until the commit. Queue rows that
    existed when the rebuild started are deleted at the end (their changes
    are included); rows added meanwhile stay for the drainer.
    Returns the number of articles indexed.
    """
    row_ids = list(IndexQueue.objects.values_list("id", flat=True))
    backend = get_backend()
    sidx = _search_index()
    ids = list(sidx.index_queryset().values_list("pk", flat=True))
    kwargs = {"limitmb": limitmb}
    if procs > 1:
        kwargs["procs"] = procs
    writer = backend.writer(timeout=timeout, **kwargs)
    count = 0
    try:
        for chunk in _chunks(ids, batch_size):
            for obj in sidx.index_queryset().filter(pk__in=chunk):
                writer.add_document(**backend.prepare_document(sidx, obj))
                count += 1
            if progress is not None:
                progress(count, len(ids))
        writer.commit(mergetype=CLEAR)
    except BaseException:
        writer.cancel()
        raise
    for chunk in _chunks(row_ids, CHUNK):
        IndexQueue.objects.filter(id__in=chunk).delete()
    return count


def index_doc_count() -> int:
    backend = get_backend()
    with backend.view() as view:
        return len(view.live)


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
