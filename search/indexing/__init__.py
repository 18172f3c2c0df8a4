"""Keeping the search index in step with the database.

Whoosh has one write lock per index, so nothing on the request path writes
to it: changes are queued (``IndexQueue`` rows, in the changing transaction)
and written by one writer at a time.

Modules:

- ``documents``: the backend, the haystack index of ``Article``
  (``search_index``), ``write_docs`` (documents from database rows into a
  bulk writer), ``index_doc_count``.
- ``queue``: ``enqueue``, ``pending``, ``drain_once``/``drain``/
  ``drain_leftovers``, ``wait_for_queue`` and the per-process drainer thread
  (``QueueDrainer``, ``DRAINER``, ``wake_drainer``, ``stop_drainer``).
- ``bulk``: ``index_articles`` (many ids, one segment per ``SEGMENT_DOCS``),
  ``rebuild`` (whole index in one commit, optionally in forked writer
  processes), ``can_fork``, ``process_count``.
- ``background``: ``drain_bulk`` and ``BackgroundIndexer`` (indexing in
  forked processes while ``import_articles`` fills the queue).
- ``consistency``: does the index match the database (``compare``,
  ``repair``; ``manage.py check_index``).
- ``receivers``: ``archive.signals.articles_changed`` → ``enqueue``
  (connected in ``SearchConfig.ready``). Model saves and deletes are queued
  by the haystack signal processor (``search.signals``).

The names below are the public API used by commands, scripts and tests.
"""
from search.indexing.background import (
    BULK_PROCESSES,
    STAGED_COMMIT_TIMEOUT,
    BackgroundIndexer,
    drain_bulk,
)
from search.indexing.bulk import (
    IMPORT_REBUILD_BELOW,
    REBUILD_SEGMENT_DOCS,
    SEGMENT_DOCS,
    can_fork,
    index_articles,
    process_count,
    rebuild,
)
from search.indexing.documents import get_backend, index_doc_count, search_index, write_docs
from search.indexing.queue import (
    CHUNK,
    DRAIN_BATCH,
    DRAINER,
    IDLE_POLL_SECONDS,
    MAX_BACKOFF_SECONDS,
    MAX_ERROR_BACKOFF_SECONDS,
    QueueDrainer,
    delete_rows,
    drain,
    drain_leftovers,
    drain_once,
    drainer_enabled,
    enqueue,
    pending,
    stop_drainer,
    wait_for_queue,
    wake_drainer,
    warm_vocabulary,
)
from search.schema import identifier

__all__ = [
    "BULK_PROCESSES", "CHUNK", "DRAINER", "DRAIN_BATCH", "IDLE_POLL_SECONDS", "IMPORT_REBUILD_BELOW",
    "MAX_BACKOFF_SECONDS", "REBUILD_SEGMENT_DOCS",
    "MAX_ERROR_BACKOFF_SECONDS", "SEGMENT_DOCS", "STAGED_COMMIT_TIMEOUT", "BackgroundIndexer", "QueueDrainer",
    "can_fork", "delete_rows", "drain", "drain_bulk", "drain_leftovers", "drain_once", "drainer_enabled",
    "enqueue", "get_backend", "identifier", "index_articles", "index_doc_count", "pending", "process_count",
    "rebuild", "search_index", "stop_drainer", "wait_for_queue", "wake_drainer", "warm_vocabulary",
    "write_docs",
]
