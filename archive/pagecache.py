"""Page parts kept per process until the data changes.

``cached(name, build, *key)`` returns ``build()``, kept under
``(name, key)`` with the data version (``archive.dataversion.current()``)
it was built at: a later call gives it back while the version is the same,
so a change committed by any process (import, admin edit, hide, merge, an
index commit) is on the next page. Entries are also dropped after
``PAGE_CACHE_SECONDS`` (changes that bypass signals, e.g. ``QuerySet.update``
in a shell) and the least recently used beyond ``PAGE_CACHE_ENTRIES``.
``PAGE_CACHE = False`` (settings) builds every time (the bench's baseline).
``clear()`` forgets everything (tests).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings

from archive import dataversion

_store: OrderedDict = OrderedDict()
_lock = threading.Lock()


def version():
    """The data version pages are cached under (``None``: do not cache)."""
    if not settings.PAGE_CACHE:
        return None
    return dataversion.current()


def cached(name: str, build, *key):
    stamp = version()
    if stamp is None:
        return build()
    full = (name, key)
    now = time.monotonic()
    with _lock:
        hit = _store.get(full)
        if hit is not None and hit[0] == stamp and now - hit[1] < settings.PAGE_CACHE_SECONDS:
            _store.move_to_end(full)
            return hit[2]
    value = build()
    with _lock:
        _store[full] = (stamp, now, value)
        _store.move_to_end(full)
        while len(_store) > settings.PAGE_CACHE_ENTRIES:
            _store.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _store.clear()
