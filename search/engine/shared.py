"""The long-lived index handle of a process: ``SharedIndex``.

One searcher per process and index directory, reopened only when the index
generation changed (a new searcher, never ``searcher.refresh()``, whose
reader reuse is broken in whoosh-reloaded 2.7.5: merged-away segments stay
visible); each generation gets its ``IndexView`` (search.engine.snapshot).
An index folder that cannot be opened raises ``IndexUnavailable`` (the pages
answer 503; the fix is ``REBUILD_COMMAND``), never a silent empty index.

``shared_index(path, schema)`` returns the process's handle for a folder;
``reset_shared()`` closes them all (tests, after the index path changed).
"""
from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from search.engine.snapshot import IndexView

log = logging.getLogger(__name__)

REBUILD_COMMAND = "python manage.py rebuild_search_index"


class IndexUnavailable(Exception):
    """The index folder exists but cannot be opened (corrupt or truncated
    files, files missing, no permission). The pages answer 503; the fix is
    ``REBUILD_COMMAND`` (or ``python manage.py check_index --fix``)."""

    def __init__(self, path, cause):
        self.path = str(path)
        self.cause = cause
        detail = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else str(cause)
        super().__init__(f"search index at {self.path} cannot be opened ({detail}); "
                         f"rebuild it with: {REBUILD_COMMAND}")


def _segment_files(path) -> list[str]:
    """Segment files of the default index (``MAIN_*``, not the write lock)."""
    try:
        return [n for n in os.listdir(path) if n.startswith("MAIN_") and n != "MAIN_WRITELOCK"]
    except OSError:
        return []


class SharedIndex:
    """Process-wide handle on one index directory: index, searcher, caches.

    Whoosh file readers are not safe for concurrent use, so searches in one
    process take ``lock`` (the web workers are single-threaded in practice;
    the cost is nil there).
    """

    def __init__(self, path, schema):
        self.path = path
        self.schema = schema
        self.lock = threading.RLock()
        self._ix = None
        self._view = None

    def _open(self):
        """Open the index; a missing or empty folder gets a new empty index.

        A folder that holds segment files but no readable table of contents,
        or any other failure to open, raises ``IndexUnavailable`` (never a
        silent empty index: that would hide data loss)."""
        try:
            os.makedirs(self.path, exist_ok=True)
            storage = FileStorage(self.path)
            try:
                return storage.open_index(schema=self.schema)
            except whoosh_index.EmptyIndexError:
                if _segment_files(self.path):
                    raise IndexUnavailable(self.path, "segment files without a table of contents") from None
                return storage.create_index(self.schema)
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(self.path, exc) from exc

    def index(self):
        with self.lock:
            if self._ix is None:
                self._ix = self._open()
            return self._ix

    def recreate(self):
        """Start over with an empty index (unreadable or missing index)."""
        with self.lock:
            self._close_view()
            os.makedirs(self.path, exist_ok=True)
            self._ix = FileStorage(self.path).create_index(self.schema)
            return self._ix

    def _close_view(self):
        if self._view is not None:
            try:
                self._view.searcher.close()
            except Exception:
                pass
            self._view = None

    def close(self):
        with self.lock:
            self._close_view()
            self._ix = None

    @contextmanager
    def view(self):
        """The current IndexView (reopened if the index changed), locked.

        If a file of the view's segments vanished (merged away by a writer),
        the view is dropped and the error re-raised; callers may retry."""
        with self.lock:
            view = self._current_view()
            try:
                yield view
            except FileNotFoundError:
                if self._view is view:
                    self._close_view()
                raise

    def _current_view(self):
        ix = self.index()
        view = self._view
        try:
            if view is None:
                self._view = IndexView(ix.searcher()).warm()
            elif not view.searcher.up_to_date():
                # Not searcher.refresh(): whoosh-reloaded 2.7.5's reader reuse
                # (index._reader(reuse=...)) keeps segments that were merged
                # away (duplicate documents) and reuses a segment's reader
                # with its old deletions (updated documents found twice).
                self._view = IndexView(ix.searcher()).warm()
                try:
                    view.searcher.close()
                except Exception:
                    pass
        except IndexUnavailable:
            self._view = self._ix = None
            raise
        except (whoosh_index.EmptyIndexError, FileNotFoundError, OSError):
            # The directory was removed or replaced under us: reopen.
            log.warning("search index at %s changed under the searcher; reopening", self.path)
            self._view = self._ix = None
            try:
                self._ix = self._open()
                self._view = IndexView(self._ix.searcher()).warm()
            except IndexUnavailable:
                self._view = self._ix = None
                raise
            except Exception as exc:
                self._view = self._ix = None
                raise IndexUnavailable(self.path, exc) from exc
        except Exception as exc:  # a corrupt table of contents or segment
            self._view = self._ix = None
            raise IndexUnavailable(self.path, exc) from exc
        return self._view


_SHARED: dict[str, SharedIndex] = {}
_SHARED_LOCK = threading.Lock()


def shared_index(path, schema) -> SharedIndex:
    with _SHARED_LOCK:
        shared = _SHARED.get(path)
        if shared is None:
            shared = _SHARED[path] = SharedIndex(path, schema)
        return shared


def reset_shared():
    """Close every long-lived searcher (tests, after the index path changed)."""
    with _SHARED_LOCK:
        for shared in _SHARED.values():
            shared.close()
        _SHARED.clear()
