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

``index_articles(ids)`` indexes many ids with the bulk writer
(``search.bulkwrite``: documents from database rows, one segment per
``SEGMENT_DOCS``); ``rebuild()`` rebuilds the whole index in one commit
(searchers keep the old index until then; ``processes=2`` writes the
segments in forked processes); ``drain_bulk()`` indexes the queue in segments
while an import fills it (``import_articles`` runs it in background
processes, so cleaning and indexing use both cores).
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
from django.db.models.functions import Mod
from haystack.constants import ID
from whoosh.index import LockError

from archive.models import Article
from search.backend import IndexUnavailable
from search.models import IndexQueue
from search.search_indexes import article_id_of, identifier

log = logging.getLogger(__name__)

DRAIN_BATCH = 500
# Bulk indexing (index_articles, rebuild, drain_bulk) writes documents built
# from database rows (search_indexes.article_documents) with
# search.bulkwrite's writer, one new segment per SEGMENT_DOCS articles (memory
# stays bounded; no merge of existing segments on this path).
SEGMENT_DOCS = 10000
# Processes of the BackgroundIndexer (each drains its share of the queue) and
# how long one waits for the write lock to commit its segment.
BULK_PROCESSES = 2
STAGED_COMMIT_TIMEOUT = 120.0
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


def warm_vocabulary(backend) -> None:
    """Write the vocabulary side files of new segments (small ones, or a
    merge's) in the writer, so that no search pays for them. Best effort."""
    try:
        from search.vocabulary import warm_side_files

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
    _delete_rows(r for r, _ in rows)
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


def _write_docs(writer, ids, *, replace=True) -> int:
    """Write the current state of ``ids`` (visible: add, else remove) into a
    bulk writer. Returns the number of documents added."""
    from search.search_indexes import article_documents

    docs = article_documents(ids)
    for pk in ids:
        if replace:
            writer.delete_by_term(ID, identifier(pk))
        doc = docs.get(pk)
        if doc is not None:
            writer.add_document(**doc)
    return len(docs)


def _delete_rows(row_ids):
    for chunk in _chunks(list(row_ids), CHUNK):
        IndexQueue.objects.filter(id__in=chunk).delete()


def index_articles(article_ids, *, timeout: float | None = None, batch_size: int = 500,
                   progress=None) -> int:
    """Add/replace/remove many articles with the bulk writer.

    Visible articles are (re)indexed, hidden or missing ones removed; a
    commit every ``SEGMENT_DOCS`` articles (each commit adds one segment).
    Queue rows for these ids that existed before the call are deleted once
    their article is committed. If the write lock stays busy (``timeout``,
    default the backend's), the ids not yet committed are queued instead
    (nothing is lost) and the number committed is returned. ``progress``:
    True for a progress bar, or a callable(done, total).
    """
    ids = sorted({int(i) for i in article_ids if i is not None})
    if not ids:
        return 0
    rows = {}
    for chunk in _chunks(ids, CHUNK):
        for row_id, article_id in IndexQueue.objects.filter(article_id__in=chunk).values_list(
                "id", "article_id"):
            rows.setdefault(article_id, []).append(row_id)
    backend = get_backend()
    report, bar = _progress_callback(progress, len(ids))
    committed = 0
    try:
        while committed < len(ids):
            try:
                writer = backend.bulk_writer(timeout=timeout, segment_docs=SEGMENT_DOCS)
            except LockError:
                log.warning("search index busy: %d articles queued for indexing instead",
                            len(ids) - committed)
                enqueue(ids[committed:])
                return committed
            done = committed
            try:
                while done < len(ids) and writer.added < SEGMENT_DOCS:
                    chunk = ids[done:done + batch_size]
                    _write_docs(writer, chunk)
                    done += len(chunk)
                    if report:
                        report(done, len(ids))
                writer.commit()
            except BaseException:
                writer.cancel()
                enqueue(ids[committed:])
                raise
            _delete_rows(r for pk in ids[committed:done] for r in rows.get(pk, ()))
            committed = done
    finally:
        if bar is not None:
            bar.close()
    return len(ids)


def rebuild(*, batch_size: int = 1000, timeout: float | None = None, progress=None,
            processes: int = 1) -> int:
    """Rebuild the whole index from the database in one commit.

    Searches keep using the previous index until the commit (the new
    segments replace all old ones at once). Queue rows that existed when the
    rebuild started are deleted at the end (their changes are included);
    rows added meanwhile stay for the drainer. ``processes`` > 1 writes the
    documents in that many forked processes (``_write_in_processes``; only
    where ``can_fork()``, and never more than the machine's cores). Returns
    the number of articles indexed.
    """
    row_ids = list(IndexQueue.objects.values_list("id", flat=True))
    backend = get_backend()
    sidx = _search_index()
    ids = list(sidx.index_queryset().values_list("pk", flat=True))
    try:
        writer = backend.bulk_writer(timeout=timeout, segment_docs=SEGMENT_DOCS)
    except IndexUnavailable as exc:
        # Corrupt or unreadable: start a new index (it is rebuilt whole anyway).
        log.warning("%s; starting a new index", exc)
        backend.shared.recreate()
        writer = backend.bulk_writer(timeout=timeout, segment_docs=SEGMENT_DOCS)
    processes = min(process_count(processes), -(-len(ids) // batch_size))
    count = 0
    try:
        if processes > 1 and can_fork():
            count = _write_in_processes(writer, ids, processes, batch_size, progress)
        else:
            for chunk in _chunks(ids, batch_size):
                count += _write_docs(writer, chunk, replace=False)
                if progress is not None:
                    progress(count, len(ids))
        writer.commit(clear=True)
    except BaseException:
        writer.cancel()
        raise
    _delete_rows(row_ids)
    return count


def process_count(requested: int) -> int:
    """Writer processes to start for ``requested``: at least one, at most
    one per core."""
    return max(1, min(requested, os.cpu_count() or 1))


def can_fork() -> bool:
    """True if this process may fork indexers that read the database: not an
    in-memory SQLite database (a child would not see it), not inside an open
    transaction (it would not see uncommitted rows), fork available."""
    import multiprocessing

    connection = db_connections["default"]
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return False
    return "fork" in multiprocessing.get_all_start_methods()


def _write_in_processes(writer, ids, processes, batch_size, progress) -> int:
    """Write the documents of ``ids`` into ``writer`` (a bulk writer that
    holds the write lock and has written nothing yet) from ``processes``
    forked children, each taking every ``processes``-th id.

    Each child adds its documents to its copy of ``writer``: they go into
    lock-less segment writers and are sealed into segments in the index
    folder (no one else can commit while the lock is held, so no cleanup can
    remove them), and the child sends the sealed segments back. They join
    ``writer``'s, and the caller's ``commit()`` lists them all in one TOC.
    If a child fails, the others are stopped and the error is raised; the
    files already written are removed by Whoosh's cleanup at the next commit.
    Returns the number of documents written.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    db_connections.close_all()  # never share a connection with the children
    children = []
    try:
        for k in range(processes):
            receive, send = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_write_share, name=f"search-rebuild-{k}", daemon=True,
                                args=(writer, ids[k::processes], batch_size, counter, send))
            child.start()
            send.close()
            children.append((child, receive))
        results = []
        reported = -1
        for child, receive in children:
            while not receive.poll(0.2):
                if progress is not None and counter.value != reported:
                    reported = counter.value
                    progress(reported, len(ids))
                if not child.is_alive() and not receive.poll():
                    raise RuntimeError(f"{child.name} ended without its segments (exit code {child.exitcode})")
            status, payload = receive.recv()
            if status != "ok":
                raise RuntimeError(f"{child.name} failed: {payload}")
            results.append(payload)
            child.join()
    except BaseException:
        for child, _ in children:
            if child.is_alive():
                child.terminate()
        for child, _ in children:
            child.join(10)
        raise
    count = 0
    for sealed, added, written in results:
        writer.sealed.extend(sealed)
        writer.added += added
        count += written
    if progress is not None:
        progress(count, len(ids))
    return count


def _write_share(writer, ids, batch_size, counter, send):
    """A child of ``_write_in_processes``: never returns."""
    status = 1
    try:
        written = 0
        for chunk in _chunks(ids, batch_size):
            written += _write_docs(writer, chunk, replace=False)
            with counter.get_lock():
                counter.value += len(chunk)
        writer.seal()
        send.send(("ok", (writer.sealed, writer.added, written)))
        status = 0
    except BaseException as exc:
        log.exception("rebuild: indexer process failed")
        try:
            send.send(("error", f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass
    finally:
        db_connections.close_all()
        os._exit(status)  # the parent's writer (and its lock) is left alone


def drain_bulk(*, until=None, timeout: float | None = None, segment_docs: int = SEGMENT_DOCS,
               poll: float = 0.2, batch_size: int = 1000, progress=None,
               share: tuple[int, int] | None = None) -> int:
    """Index queued articles in bulk segments while another process fills
    the queue (``import_articles``).

    Rows are taken as they arrive (up to ``batch_size`` at a time) and
    written into one open segment; the segment is committed when it holds
    ``segment_docs`` articles, when an article comes back (its new state
    must replace a committed one) or when ``until()`` is true and the queue
    is empty, which is when this returns. Rows are deleted only after their
    segment is committed (a crash leaves them queued). ``progress(n)`` is
    called with each batch written. Returns the number of rows processed.

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
    writer = None
    taken = []  # queue row ids written into the open segment
    written = set()  # article ids in the open segment

    def commit():
        nonlocal writer, taken, written
        try:
            writer.commit()
            # Written by a web process's drainer meanwhile (staged writers
            # only): possibly newer than what was staged, so queued again.
            again = [article_id_of(text) for _field, text in getattr(writer, "rewritten_elsewhere", ())]
        except BaseException:
            writer.cancel()
            raise
        finally:
            writer = None
        _delete_rows(taken)
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
                    writer = backend.bulk_writer(timeout=timeout, segment_docs=segment_docs,
                                                 staged=share is not None)
                for chunk in _chunks(ids, CHUNK):
                    _write_docs(writer, chunk)
                    if progress is not None:
                        progress(len(chunk))
                written.update(ids)
                taken.extend(r for r, _ in rows)
                last_id = rows[-1][0]
                total += len(rows)
                if writer.added >= segment_docs:
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
    ``share``), turns every ``SEGMENT_DOCS`` queued articles into a segment
    and commits it, so cleaning/tagging (importer) and indexing run on all
    cores and the index is current soon after the last batch. ``finish()``
    tells them the import is over, waits for the queue to be indexed and
    returns True if every process succeeded (callers fall back to
    ``index_articles`` otherwise). ``indexed`` counts articles written.

    Only where ``can_fork()``.
    """

    def __init__(self, segment_docs: int = SEGMENT_DOCS, processes: int = BULK_PROCESSES):
        import multiprocessing

        self._ctx = multiprocessing.get_context("fork")
        self._done = self._ctx.Event()
        self._count = self._ctx.Value("q", 0)
        self.segment_docs = segment_docs
        self.processes = process_count(processes)
        self.children = []

    @property
    def indexed(self) -> int:
        return self._count.value

    def start(self):
        from search.bulkwrite import remove_stale_staging

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
            drain_bulk(until=until, segment_docs=self.segment_docs, progress=advance, share=share)
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
