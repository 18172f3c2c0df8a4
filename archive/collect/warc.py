"""Web archives (WARC, gzipped or not) -> articles, through the page extractor.

Each HTML ``response`` record with status 200 becomes one article: its
original URL (``WARC-Target-URI``) and capture date (``WARC-Date``, also
the publication date when the page gives none) are kept. Other records
(requests, metadata, images, redirects) are passed over; a page that holds
no article is reported with its offset in the file.

Plain Python, no Django. To keep ``archive.importing.readers`` free of a cycle, this
module yields plain values that the reader turns into its ``Record`` /
``Rejected``: ``("record", fields)`` and ``("rejected", location, reason)``.
Extraction is CPU work: big files are extracted by a pool of processes,
chunk by chunk, in file order.
"""
from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os

from archive.batching import chunked
from archive.collect.extract import HTML_TYPES, ExtractionError, extract_html_bytes
from archive.collect.fetch import MAX_BYTES
from archive.collect.urls import canonical_url, origin_for

CHUNK = 64          # responses extracted per task
POOL_MIN = CHUNK    # files with fewer responses are extracted in-process


def _capture_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def page_fields(data: bytes, url: str, content_type: str, captured: dt.datetime | None, location: str):
    """One response body -> ("record", fields) or ("rejected", location, reason)."""
    try:
        page = extract_html_bytes(data, url, content_type=content_type)
    except ExtractionError as exc:
        return ("rejected", location, str(exc))
    page_url = canonical_url(page.url) or canonical_url(url)
    captured_line = f"captured {captured.isoformat()}\n" if captured else ""
    return ("record", dict(
        origin=origin_for(url),
        location=location,
        raw_text=f"{url}\n{captured_line}\n{page.text}",
        kind="html",
        title=page.title,
        body="\n".join(page.paragraphs),
        url=page_url[:1000],
        published=page.published or (captured.date() if captured else None),
        source_name=page.sitename or None,
        author=page.author,
    ))


def _extract_chunk(items):
    return [item if item[0] == "rejected" else page_fields(*item) for item in items]


def _responses(path):
    """(body, url, content type, capture date, location) of each HTML
    response, and ("rejected", ...) tuples for unusable ones."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        try:
            for record in iterator:
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                http = record.http_headers
                if http is None:
                    continue
                status = http.get_statuscode() or ""
                ctype = http.get_header("Content-Type") or ""
                if status != "200" or ctype.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                body = record.content_stream().read(MAX_BYTES + 1)
                location = f"{path}@{iterator.get_record_offset()}"  # known once the body is read
                if len(body) > MAX_BYTES:
                    yield ("rejected", location, f"page larger than {MAX_BYTES} bytes: {url[:200]}")
                    continue
                captured = _capture_date(record.rec_headers.get_header("WARC-Date") or "")
                yield (body, url, ctype, captured, location)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield ("rejected", str(path), f"web archive is truncated or corrupt: {exc}")



def read_warc(path, limit: int | None = None, processes: int | None = None):
    """("record", fields) / ("rejected", location, reason) for each page."""
    processes = processes if processes is not None else min(2, os.cpu_count() or 1)
    chunks = chunked(_responses(path), CHUNK)
    first = next(chunks, [])
    pool = None
    try:
        if len(first) >= POOL_MIN and processes > 1:
            pool = multiprocessing.get_context("fork").Pool(processes)
            results = pool.imap(_extract_chunk, itertools.chain([first], chunks), chunksize=1)
        else:
            results = map(_extract_chunk, itertools.chain([first], chunks))
        count = 0
        for batch in results:
            for out in batch:
                yield out
                if out[0] == "record":
                    count += 1
                    if limit and count >= limit:
                        return
    finally:
        if pool is not None:
            pool.terminate()
