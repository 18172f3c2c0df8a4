"""``chunked(items, size)``: the one way the project cuts work into batches.

Used by the import pipeline (records from a generator), the indexing package
(ids into ``pk__in`` queries and writer batches) and the search timeline and
export (ids per query).
"""
from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator


def chunked(items: Iterable, size: int) -> Iterator:
    """``items`` in consecutive pieces of at most ``size``.

    A list, tuple or range is sliced (pieces of the same type); any other
    iterable (a generator) is consumed lazily into lists.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    if isinstance(items, (list, tuple, range)):
        for i in range(0, len(items), size):
            yield items[i:i + size]
        return
    iterator = iter(items)
    while True:
        chunk = list(islice(iterator, size))
        if not chunk:
            return
        yield chunk
