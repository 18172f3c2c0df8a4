"""The data version: one number every process sees, bumped after each change
the public pages show; page caches (``archive.pagecache``) key on it.

- ``current()``: ``(database version, local changes)``. The database version
  is the one ``DataVersion`` row (one small query), so a change committed by
  any process (an import, the admin in another worker, the index drainer)
  is seen by all. The local count moves at once when this process changes
  something, so its own next page is fresh even before the commit (and in
  a test's open transaction), and again when that transaction has ended,
  so what was read inside a rolled-back one is not kept. ``None`` when the
  table is not there yet.
- ``changed()``: count a local change now and bump the database version
  after the current transaction commits (once per transaction; at once in
  autocommit).
- ``connect()`` (``ArchiveConfig.ready``): bumps on
  ``archive.signals.articles_changed`` (imports, admin actions, merges) and
  on saves and deletes of articles, outlets, countries, topics and tags.
"""
from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

ROW_ID = 1

_lock = threading.Lock()
_local = 0
_dirty = threading.local()  # .atomic: True while this thread's change may be uncommitted


def _table() -> str:
    from archive.models import DataVersion

    return connection.ops.quote_name(DataVersion._meta.db_table)


def _settle() -> None:
    """A transaction of this thread that changed data has ended (committed
    or rolled back): what was cached while it was open is forgotten."""
    global _local
    if getattr(_dirty, "atomic", False) and not connection.in_atomic_block:
        _dirty.atomic = False
        with _lock:
            _local += 1


def current():
    """``(database version, local changes)``, or ``None`` without the table."""
    _settle()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {_table()} WHERE id = %s", [ROW_ID])
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return (row[0] if row else 0, _local)


def bump() -> None:
    """Add one to the database version (creating its row if needed)."""
    from archive.models import DataVersion

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {_table()} SET version = version + 1 WHERE id = %s", [ROW_ID])
            if cursor.rowcount == 0:
                DataVersion.objects.get_or_create(pk=ROW_ID, defaults={"version": 1})
    except DatabaseError:
        log.warning("could not bump the data version", exc_info=True)


def _after_commit() -> None:
    bump()


def _pending() -> bool:
    """A bump is already queued for the current transaction."""
    return any(getattr(item[1], "__name__", "") == "_after_commit" for item in connection.run_on_commit)


def changed(**_kwargs) -> None:
    """Something the pages show changed (or is about to, in this transaction)."""
    global _local
    with _lock:
        _local += 1
    if connection.in_atomic_block:
        _dirty.atomic = True
        if _pending():
            return
    transaction.on_commit(_after_commit)


def connect() -> None:
    from archive.models import Article, ArticleCountry, Country, Source, Topic
    from archive.signals import articles_changed

    articles_changed.connect(changed, dispatch_uid="archive.dataversion.articles_changed")
    for model in (Article, ArticleCountry, Country, Source, Topic):
        name = model.__name__
        post_save.connect(changed, sender=model, dispatch_uid=f"archive.dataversion.save.{name}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"archive.dataversion.delete.{name}")
    for through in (Article.topics.through, Article.countries.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"archive.dataversion.m2m.{through.__name__}")
