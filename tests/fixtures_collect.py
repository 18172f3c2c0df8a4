"""Collector fixtures: a local HTTP server on 127.0.0.1 serving recorded
feeds, sitemaps and pages, and outlet pages built from corpus articles.

- ``web``: a threaded server; ``web.put(path, body, content_type=..., status=...,
  headers=...)`` sets a response, ``web.requests`` lists (path, headers) seen.
  ETag / If-None-Match is honoured for every response (304), as outlets do.
- ``corpus_pages``: ``corpus_pages(n, base_url)`` -> SamplePage list (skips
  the test when ../shared/corpus is absent).
"""
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.fixtures_archive import CORPUS_DIR


class LocalWeb:
    def __init__(self):
        self.routes = {}
        self.requests = []
        self.times = []  # arrival time of each request (time.monotonic)
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                web.requests.append((self.path, dict(self.headers.items())))
                web.times.append(time.monotonic())
                status, ctype, body, headers = web.routes.get(self.path, (404, "text/plain", b"not found", {}))
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if status == 200:
                    self.send_header("ETag", etag)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return self.base + path

    def put(self, path, body, content_type="text/html; charset=utf-8", status=200, headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = (status, content_type, body, headers or {})

    def paths_requested(self):
        return [path for path, _ in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web():
    server = LocalWeb()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def corpus_pages():
    corpus = CORPUS_DIR / "articles.jsonl.gz"
    if not corpus.exists():
        pytest.skip("corpus absent (../shared/corpus)")
    from archive.collect.sample_pages import sample_pages

    def make(count, base_url="http://127.0.0.1"):
        return sample_pages(corpus, count, base_url=base_url)

    return make


def rss(items, title="أخبار اليوم"):
    """An RSS 2.0 document listing (url, title) items."""
    from html import escape

    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link>"
        f"<pubDate>Mon, 04 Mar 2024 10:00:00 +0300</pubDate></item>"
        for u, t in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://127.0.0.1/</link>{entries}</channel></rss>")


def sitemap(urls):
    from html import escape

    body = "".join(f"<url><loc>{escape(u)}</loc><lastmod>2024-03-04</lastmod></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>')
