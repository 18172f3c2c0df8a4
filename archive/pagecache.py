"""Page parts kept per process until the data changes.

``cached(name, build, *key)`` returns ``build()``, kept under
``(name, key)`` with the data version (``archive.dataversion.current()``)
it was built at: a later call gives it back while the version is the same,
so a change committed by any process (import, admin edit, hide, merge, an
index commit) is on the next page. Entries are also dropped after
``PAGE_CACHE_SECONDS`` (changes that bypass signals, e.g. ``QuerySet.update``
in a shell) and the least recently used beyond ``PAGE_CACHE_ENTRIES``.
``PAGE_CACHE = False`` (settings) builds every time (the bench's baseline).

``cached_page`` (a view decorator, inside ``vary_on_cookie``) keeps a
public page's whole answer (status 200 only) under the same version, per
full path and digits cookie (the only request state the pages show; a view
sets ``response.page_cache = False`` for an answer not to keep), within
``PAGE_CACHE_HTML_MB`` megabytes, least recently used dropped first. A kept
answer carries an ``ETag`` (a hash of its body); a request whose
``If-None-Match`` names it gets ``304 Not Modified``.
``clear()`` forgets everything (tests).
"""
from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified

from archive import dataversion
from archive.formatting import DIGITS_COOKIE

_store: OrderedDict = OrderedDict()
_pages: OrderedDict = OrderedDict()  # key -> (version, time, status, content type, body, etag)
_page_bytes = 0
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


def _keep_page(key, entry) -> None:
    global _page_bytes
    budget = settings.PAGE_CACHE_HTML_MB * 1024 * 1024
    size = len(entry[4])
    if size > budget // 4:
        return
    with _lock:
        old = _pages.pop(key, None)
        _page_bytes -= len(old[4]) if old else 0
        _pages[key] = entry
        _page_bytes += size
        while _page_bytes > budget and _pages:
            _key, dropped = _pages.popitem(last=False)
            _page_bytes -= len(dropped[4])


def cached_page(view):
    """Keep the view's 200 answers per (full path, digits cookie) until the
    data version changes."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        stamp = version() if request.method == "GET" else None
        if stamp is None:
            return view(request, *args, **kwargs)
        key = (view.__module__, view.__name__, request.get_full_path(), request.COOKIES.get(DIGITS_COOKIE, ""))
        now = time.monotonic()
        with _lock:
            hit = _pages.get(key)
            if hit is not None and hit[0] == stamp and now - hit[1] < settings.PAGE_CACHE_SECONDS:
                _pages.move_to_end(key)
                etag = hit[5]
                if etag in request.headers.get("If-None-Match", ""):
                    answer = HttpResponseNotModified()
                else:
                    answer = HttpResponse(hit[4], status=hit[2], content_type=hit[3])
                answer["ETag"] = etag
                return answer
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and getattr(response, "page_cache", True)):
            etag = '"%s"' % hashlib.blake2b(response.content, digest_size=12).hexdigest()
            response["ETag"] = etag
            _keep_page(key, (stamp, now, response.status_code, response["Content-Type"], response.content, etag))
        return response

    return wrapper


def clear() -> None:
    global _page_bytes
    with _lock:
        _store.clear()
        _pages.clear()
        _page_bytes = 0
