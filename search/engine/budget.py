"""One memory budget for the engine's caches: ``SEARCH_CACHE_BUDGET_MB``.

Every cache that grows with the queries a process answers keeps its entries
in a ``ByteLRU``: least recently used out first, bounded in bytes by its
share of the budget (``SHARES``), never by a count. The shares:

- ``segments``   decoded per-segment data, process-wide (search.engine.segments:
                 postings, positions, columns, lengths, facet pairs): the
                 largest share, since a repeated query re-assembles its terms
                 from it cheaply;
- ``postings``   the assembled postings of recent terms, per searcher
                 (search.engine.snapshot; copies of the segments' arrays for
                 terms in several segments, hence a small share);
- ``scores``     (match mask, dense scores) of recent queries, per searcher
                 (search.engine.scoring);
- ``masks``      filter and date masks, per searcher;
- ``vocabulary`` document-frequency and variant-key memos, per searcher
                 (search.engine.vocabulary).

One searcher is open per process and index, so the shares add up to the
budget. ``accounted()`` sums the bytes held by every live cache (what
tests/engine/test_cache_budget.py holds under the budget). Per-searcher
columns that do not grow with the queries (live mask, days, ids, field
lengths, facet pairs: about 40 bytes per document; the vocabulary's form
filter and the CRC-32 of each segment's forms, about 6 bytes per form a
side file records, search.engine.formfilter) are outside the budget.
"""
from __future__ import annotations

import sys
import threading
import weakref
from collections import OrderedDict

import numpy as np
from django.conf import settings
from django.core.signals import setting_changed

SHARES = {"segments": 0.60, "postings": 0.10, "scores": 0.15, "masks": 0.08, "vocabulary": 0.07}
_caches: weakref.WeakSet = weakref.WeakSet()
_limits: dict = {}  # name -> bytes, read from the settings once (dropped when the setting changes)
_FLAT = frozenset({str, bytes, int, float, bool, type(None)})  # sized by sys.getsizeof alone


def limit_bytes(name: str) -> int:
    """The byte bound of the caches named ``name``: read from the settings
    the first time (settings are lazy), then kept until
    ``SEARCH_CACHE_BUDGET_MB`` changes (``setting_changed``: tests)."""
    limit = _limits.get(name)
    if limit is None:
        limit = _limits[name] = int(settings.SEARCH_CACHE_BUDGET_MB * 2**20 * SHARES[name])
    return limit


def _budget_changed(setting=None, **_kwargs):
    if setting == "SEARCH_CACHE_BUDGET_MB":
        _limits.clear()


setting_changed.connect(_budget_changed, dispatch_uid="search.engine.budget")


def sizeof(value) -> int:
    """Bytes held by a cached value (numpy arrays by their buffers)."""
    kind = type(value)
    if kind is np.ndarray:
        return value.nbytes + 112
    if kind in _FLAT:
        return sys.getsizeof(value)
    if kind is tuple or kind is list:
        total = sys.getsizeof(value)
        for v in value:
            k = type(v)
            total += v.nbytes + 112 if k is np.ndarray else sys.getsizeof(v) if k in _FLAT else sizeof(v)
        return total
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    if isinstance(value, (tuple, list)):
        return sys.getsizeof(value) + sum(sizeof(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return sys.getsizeof(value) + 32 * len(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(sizeof(k) + sizeof(v) for k, v in value.items())
    return sys.getsizeof(value)


class ByteLRU:
    """A least-recently-used map bounded in bytes by ``limit_bytes(name)``.

    ``get(key)`` (None when absent), ``put(key, value, size=None)``; an entry
    larger than the whole bound is not kept. Thread-safe."""

    def __init__(self, name: str):
        if name not in SHARES:
            raise ValueError(f"no budget share named {name!r}")
        self.name = name
        self.bytes = 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _caches.add(self)

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def get(self, key):
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            self._data.move_to_end(key)
            return found[0]

    def put(self, key, value, size=None):
        size = sizeof(value) + sizeof(key) if size is None else size
        self.put_many(((key, value, size),))
        return value

    def get_many(self, keys) -> list:
        """``[get(key) for key in keys]`` under one lock."""
        out = []
        with self._lock:
            data = self._data
            for key in keys:
                found = data.get(key)
                if found is None:
                    out.append(None)
                else:
                    data.move_to_end(key)
                    out.append(found[0])
        return out

    def put_many(self, items) -> None:
        """``put(key, value, size)`` of every ``(key, value, size)`` under one lock."""
        limit = limit_bytes(self.name)
        with self._lock:
            data = self._data
            for key, value, size in items:
                old = data.pop(key, None)
                if old is not None:
                    self.bytes -= old[1]
                if size > limit:
                    continue
                data[key] = (value, size)
                self.bytes += size
            while self.bytes > limit:
                _k, (_v, s) = data.popitem(last=False)
                self.bytes -= s

    def clear(self):
        with self._lock:
            self._data.clear()
            self.bytes = 0


def accounted() -> dict:
    """``{share name: bytes}`` held by every live ``ByteLRU``, and ``total``."""
    out = dict.fromkeys(SHARES, 0)
    for cache in list(_caches):
        out[cache.name] += cache.bytes
    out["total"] = sum(out[name] for name in SHARES)
    return out


def budget_bytes() -> int:
    return int(settings.SEARCH_CACHE_BUDGET_MB * 2**20)
