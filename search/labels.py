"""Display names of countries, topics and outlets, cached per process.

Search results and facets need the Arabic names of every country/topic code
and outlet slug they show; reading the three tables on every request cost a
few milliseconds. ``labels()`` returns them from a per-process cache that is
reloaded from the database (the source of truth) when:

- a Country, Topic or Source is saved or deleted (signals below) in this
  process: at once, and while that transaction is open the names are read
  straight from the database (uncommitted or rolled-back edits never stay
  cached);
- another process did so: the signal touches a stamp file in the data
  folder (``DATA_DIR/labels.stamp``, again on commit); every call compares
  its mtime (one ``stat``);
- the row count or largest key of a table changed (one small query per
  call: catches ``bulk_create`` and bulk deletes, which send no signals);
- the cache is older than ``LABELS_MAX_AGE`` seconds (renames that bypass
  signals, e.g. ``QuerySet.update`` in a shell).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

LABELS_MAX_AGE = 300.0


@dataclass(frozen=True)
class Labels:
    countries: dict  # code -> name_ar
    topics: dict  # slug -> name_ar
    sources: dict  # slug -> name


_lock = threading.Lock()
_cached: Labels | None = None
_cached_stamp = None
_cached_at = 0.0
_dirty: set = set()  # threads with an edit in a transaction that may be open


def _stamp_path() -> str:
    return os.path.join(str(settings.DATA_DIR), "labels.stamp")


def _stamp():
    try:
        return os.stat(_stamp_path()).st_mtime_ns
    except OSError:
        return None


def _touch():
    path = _stamp_path()
    try:
        with open(path, "a"):
            pass
        now = time.time_ns()
        os.utime(path, ns=(now, now))
    except OSError:
        pass


def _fingerprint():
    from archive.models import Country, Source, Topic

    parts = []
    qn = connection.ops.quote_name
    for model in (Country, Topic, Source):
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        parts.append(f"(SELECT COUNT(*) FROM {table}), (SELECT MAX({pk}) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def load() -> Labels:
    """The names straight from the database (one query)."""
    from archive.models import Country, Source, Topic

    qn = connection.ops.quote_name
    parts = []
    for kind, model, key, name in (("c", Country, "code", "name_ar"), ("t", Topic, "slug", "name_ar"),
                                   ("s", Source, "slug", "name")):
        parts.append(f"SELECT '{kind}', {qn(model._meta.get_field(key).column)}, "
                     f"{qn(model._meta.get_field(name).column)} FROM {qn(model._meta.db_table)}")
    out = {"c": {}, "t": {}, "s": {}}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        for kind, key, name in cursor.fetchall():
            out[kind][key] = name
    return Labels(countries=out["c"], topics=out["t"], sources=out["s"])


def labels() -> Labels:
    """The cached names (see the module docstring for when they reload)."""
    global _cached, _cached_stamp, _cached_at
    with _lock:
        me = threading.get_ident()
        if me in _dirty:
            if connection.in_atomic_block:
                return load()
            _dirty.discard(me)
            _cached = None
        stamp = (_stamp(), _fingerprint())
        now = time.monotonic()
        if _cached is not None and stamp == _cached_stamp and now - _cached_at < LABELS_MAX_AGE:
            return _cached
        _cached, _cached_stamp, _cached_at = load(), stamp, now
        return _cached


def invalidate():
    """Forget the cached names here and tell the other processes."""
    global _cached
    with _lock:
        _cached = None
        _dirty.add(threading.get_ident())
    _touch()
    try:
        transaction.on_commit(_touch)
    except Exception:
        pass


def _connect():
    from archive.models import Country, Source, Topic

    for model in (Country, Topic, Source):
        post_save.connect(_changed, sender=model, dispatch_uid=f"search.labels.save.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"search.labels.delete.{model.__name__}")


def _changed(sender, **kwargs):
    invalidate()


_connect()
