"""Polite HTTP for the collector (standard library only).

- a User-Agent that names the archive;
- one request per host at a time, ``delay`` seconds apart (per host);
- conditional GET (If-None-Match / If-Modified-Since) -> ``not_modified``;
- a timeout, and retries with exponential back-off on timeouts, connection
  errors, 429 and 5xx (other 4xx are final);
- redirects followed by hand: at most ``MAX_REDIRECTS``, a loop is refused;
- a size cap: a body over ``max_bytes`` is refused, not read to the end.

``fetch`` never raises for network trouble: the result carries ``error``.
"""
from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin

from archive.collect.extract import charset_of
from archive.collect.urls import host_of, is_web_url

USER_AGENT = "ArabicNewsArchiveCollector/1.0 (+news archive; polite: robots.txt, 1 req/host)"
DEFAULT_DELAY = 1.0          # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0       # seconds per request
DEFAULT_RETRIES = 2          # retries after the first try
DEFAULT_BACKOFF = 2.0        # first back-off (seconds), doubled each retry
MAX_BYTES = 5 * 1024 * 1024  # a news page or feed larger than this is refused
MAX_REDIRECTS = 5
_RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class FetchResult:
    url: str                      # the URL asked for
    final_url: str = ""           # after redirects
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""
    error: str = ""
    headers: dict = field(default_factory=dict)  # lower-case names

    @property
    def ok(self) -> bool:
        return not self.error and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # 3xx comes back as an HTTPError; Fetcher follows it


class FetchError(Exception):
    def __init__(self, message, retry=False, status=0):
        super().__init__(message)
        self.retry = retry
        self.status = status


class Fetcher:
    """Fetches URLs politely; share one per run (it keeps per-host timing)."""

    def __init__(self, *, user_agent=USER_AGENT, delay=DEFAULT_DELAY, timeout=DEFAULT_TIMEOUT,
                 retries=DEFAULT_RETRIES, backoff=DEFAULT_BACKOFF, max_bytes=MAX_BYTES, sleep=time.sleep):
        self.user_agent = user_agent
        self.delay = delay
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.requests = 0
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self.host_delays: dict[str, float] = {}  # Crawl-delay of robots.txt, per host
        self._guard = threading.Lock()

    def _host_lock(self, host):
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
        result = FetchResult(url=url)
        if not is_web_url(url):
            result.error = "not an http(s) URL"
            return result
        seen = {url}
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                status, headers, body = self._get_with_retries(current, etag, last_modified)
            except FetchError as exc:
                result.status = exc.status
                result.error = str(exc)
                result.final_url = current
                return result
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location", "")
                target = urljoin(current, location) if location else ""
                if not is_web_url(target):
                    result.error = f"redirect to an unusable location: {location[:200]!r}"
                    return result
                if target in seen:
                    result.error = f"redirect loop at {target[:300]}"
                    result.status = status
                    return result
                seen.add(target)
                current = target
                continue
            result.final_url = current
            result.status = status
            result.body = body
            result.headers = headers
            ctype = headers.get("content-type", "")
            result.content_type = ctype.split(";")[0].strip().lower()
            result.charset = charset_of(ctype)
            result.etag = headers.get("etag", "")[:300]
            result.last_modified = headers.get("last-modified", "")[:100]
            if status not in (200, 304):
                result.error = f"HTTP {status}"
            return result
        result.error = f"more than {MAX_REDIRECTS} redirects"
        return result

    def _get_with_retries(self, url, etag, last_modified):
        wait = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return self._get(url, etag, last_modified)
            except FetchError as exc:
                if not exc.retry or attempt == self.retries:
                    raise
            self.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")

    def _get(self, url, etag, last_modified):
        headers = {"User-Agent": self.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)
        host = host_of(url)
        with self._host_lock(host):
            wait = self._last.get(host, 0.0) + self.host_delays.get(host, self.delay) - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            try:
                self.requests += 1
                try:
                    response = self._opener.open(request, timeout=self.timeout)
                except urllib.error.HTTPError as exc:
                    response = exc
                with response:
                    status = response.status if hasattr(response, "status") else response.code
                    if status in _RETRY_STATUSES:
                        raise FetchError(f"HTTP {status}", retry=True, status=status)
                    length = response.headers.get("Content-Length", "")
                    if length.isdigit() and int(length) > self.max_bytes:
                        raise FetchError(f"too large: {int(length)} bytes (limit {self.max_bytes})", status=status)
                    body = response.read(self.max_bytes + 1) if status == 200 else b""
                    if len(body) > self.max_bytes:
                        raise FetchError(f"too large: over {self.max_bytes} bytes", status=status)
                    return status, {k.lower(): v for k, v in response.headers.items()}, body
            except FetchError:
                raise
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                raise FetchError(f"network error: {reason}", retry=True) from exc
            except Exception as exc:  # http.client.HTTPException and kin: a broken response
                raise FetchError(f"broken response: {type(exc).__name__}: {exc}", retry=True) from exc
            finally:
                self._last[host] = time.monotonic()
