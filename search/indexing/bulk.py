"""Many articles at once with the bulk writer (``search.engine.bulkwrite``).

- ``index_articles(ids)``: add/replace/remove, one segment per
  ``SEGMENT_DOCS`` articles; a busy write lock queues the rest.
- ``rebuild()``: the whole index in one commit (searchers keep the old
  index until then), in as few segments as ``REBUILD_SEGMENT_DOCS``
  allows (``rebuild_segment_docs``); ``processes=2`` writes the segments in
  forked processes (``can_fork``, ``process_count``).
"""
from __future__ import annotations

import logging
import os

from django.db import connections as db_connections
from whoosh.index import LockError

from archive import dataversion
from archive.batching import chunked
from search.engine.shared import IndexUnavailable
from search.indexing.documents import get_backend, search_index, write_docs
from search.indexing.queue import CHUNK, delete_rows, enqueue
from search.models import IndexQueue

log = logging.getLogger(__name__)

# Bulk indexing (index_articles, rebuild, drain_bulk) writes documents built
# from database rows (search_indexes.article_documents) with
# search.engine.bulkwrite's writer, one new segment per SEGMENT_DOCS articles (memory
# stays bounded; no merge of existing segments on this path).
SEGMENT_DOCS = 10000
# A rebuild writes the fewest segments its writers' memory allows: every
# term of a never-seen query is looked up in every segment (a probe of the
# term table, a read and an unpickle per segment holding it), so ten segments
# cost a query about five times the reads of two. A writer holds about
# 30 bytes per posting: 40,000 articles are about 1.2 GB per writer process.
REBUILD_SEGMENT_DOCS = 40000
# An import into an index of fewer articles than this rebuilds the index once
# it is over (import_articles --index auto): faster in all than indexing while
# importing, and it leaves one segment per writer process.
IMPORT_REBUILD_BELOW = SEGMENT_DOCS


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
    for chunk in chunked(ids, CHUNK):
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
                    write_docs(writer, chunk)
                    done += len(chunk)
                    if report:
                        report(done, len(ids))
                writer.commit()
                dataversion.changed()  # pages that read the index are rebuilt
            except BaseException:
                writer.cancel()
                enqueue(ids[committed:])
                raise
            delete_rows(r for pk in ids[committed:done] for r in rows.get(pk, ()))
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
    the number of articles indexed. ``progress``: True for a progress bar,
    or a callable(done, total).
    """
    row_ids = list(IndexQueue.objects.values_list("id", flat=True))
    backend = get_backend()
    sidx = search_index()
    ids = list(sidx.index_queryset().values_list("pk", flat=True))
    try:
        writer = backend.bulk_writer(timeout=timeout, segment_docs=SEGMENT_DOCS)
    except IndexUnavailable as exc:
        # Corrupt or unreadable: start a new index (it is rebuilt whole anyway).
        log.warning("%s; starting a new index", exc)
        backend.shared.recreate()
        writer = backend.bulk_writer(timeout=timeout, segment_docs=SEGMENT_DOCS)
    processes = min(process_count(processes), -(-len(ids) // batch_size))
    writer.segment_docs = rebuild_segment_docs(len(ids), processes)
    progress, bar = _progress_callback(progress, len(ids))
    count = 0
    try:
        if processes > 1 and can_fork():
            count = _write_in_processes(writer, ids, processes, batch_size, progress)
        else:
            for chunk in chunked(ids, batch_size):
                count += write_docs(writer, chunk, replace=False)
                if progress is not None:
                    progress(count, len(ids))
        writer.commit(clear=True)
        dataversion.changed()
    except BaseException:
        writer.cancel()
        raise
    finally:
        if bar is not None:
            bar.close()
    delete_rows(row_ids)
    return count


def rebuild_segment_docs(total: int, processes: int) -> int:
    """Documents per segment of a rebuild of ``total`` articles by
    ``processes`` writers: equal segments, as few as ``REBUILD_SEGMENT_DOCS``
    allows (one per process at 70,000 articles and two processes)."""
    per_process = -(-total // max(processes, 1))
    segments = max(1, -(-per_process // REBUILD_SEGMENT_DOCS))
    return max(1, -(-per_process // segments))


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
    if progress is not None and count != reported:  # the polling loop may have shown the last count
        progress(count, len(ids))
    return count


def _write_share(writer, ids, batch_size, counter, send):
    """A child of ``_write_in_processes``: never returns."""
    status = 1
    try:
        written = 0
        for chunk in chunked(ids, batch_size):
            written += write_docs(writer, chunk, replace=False)
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
