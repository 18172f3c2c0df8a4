"""Readers for the input formats: scraped ``.txt`` pages, JSON Lines and web archives (WARC).

Plain Python, no Django import. Readers never raise on bad input: they yield
``Rejected`` items that say where (file and line) and why, and go on with the
next record.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")  # web archives: archive/collect/warc.py
METADATA_NAME = "metadata.json"


@dataclass
class Record:
    """One article as read, before cleaning."""

    origin: str
    location: str
    raw_text: str
    kind: str  # "text" or "jsonl"
    title: str = ""
    body: str = ""
    url: str = ""
    published: dt.date | None = None
    source_key: str | None = None
    source_name: str | None = None
    source_slug: str | None = None
    author: str = ""
    categories: list[str] = field(default_factory=list)


@dataclass
class Rejected:
    location: str
    reason: str


def web_url(value) -> str:
    """``value`` stripped if it is an absolute http(s) URL, else "".

    Original-article and outlet links come from files and are shown as
    links: a ``javascript:`` or ``data:`` URL (or a non-string) is dropped.
    """
    if not isinstance(value, str):
        return ""
    value = value.strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


# What no database can store: NUL (PostgreSQL refuses it) and lone surrogates
# (not encodable as UTF-8). JSON can carry both as escapes (\u0000, \ud800).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable_char(match) -> str:
    return "" if match.group() == "\x00" else "\ufffd"


def storable(value):
    """``value`` with NUL removed and lone surrogates replaced by U+FFFD in
    every string (lists and dicts walked), so one bad escape in a file can
    never stop an import."""
    if isinstance(value, str):
        return _UNSTORABLE.sub(_storable_char, value) if _UNSTORABLE.search(value) else value
    if isinstance(value, list):
        return [storable(v) for v in value]
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    return value


def _text_or_none(value) -> str | None:
    """A non-empty string from a metadata file, or None (numbers, lists... too)."""
    return value if isinstance(value, str) and value else None


def _suffix_kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def expand_paths(paths):
    """Files to read, in a stable order: folders are walked recursively.

    Yields ``Path`` objects or ``Rejected`` for paths that do not exist or
    cannot be read as articles.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield Rejected(str(path), "no such file or folder")
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _suffix_kind(child):
                    yield child
        elif _suffix_kind(path):
            yield path
        elif path.name != METADATA_NAME:
            yield Rejected(str(path), "unsupported file type (expected .txt, .jsonl, .jsonl.gz, .warc or .warc.gz)")


def read_metadata(folder: Path):
    """The optional ``metadata.json`` of a folder: {file name: {...}}.

    Returns (metadata, rejected-or-None).
    """
    path = folder / METADATA_NAME
    if not path.exists():
        return {}, None
    try:
        data = storable(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, Rejected(str(path), f"metadata file is not valid UTF-8 JSON: {exc}")
    if not isinstance(data, dict):
        return {}, Rejected(str(path), "metadata file must hold a JSON object keyed by file name")
    return {k: v for k, v in data.items() if isinstance(v, dict) and not k.startswith("_")}, None


def parse_iso_date(value) -> dt.date | None:
    """A YYYY-MM-DD string (or ISO timestamp) as a date; None when absent.

    Raises ValueError for a value that is present but not a date.
    """
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"date must be a string, not {type(value).__name__}")
    return dt.date.fromisoformat(value.strip()[:10])


def read_text_file(path: Path, metadata: dict):
    """One scraped page. Yields a Record or a Rejected."""
    location = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejected(location, f"cannot read file: {exc.strerror or exc}")
        return
    if b"\x00" in data:
        yield Rejected(location, "binary file (contains NUL bytes)")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Rejected(location, f"not UTF-8 text (byte {exc.start})")
        return
    if not text.strip():
        yield Rejected(location, "empty file")
        return
    meta = metadata.get(path.name, {})
    try:
        published = parse_iso_date(meta.get("published"))
    except ValueError:
        yield Rejected(f"{path.parent / METADATA_NAME}", f"bad date for {path.name}: {meta.get('published')!r}")
        published = None
    yield Record(
        origin=storable(path.name),
        location=location,
        raw_text=text,
        kind="text",
        url=web_url(meta.get("url"))[:1000],
        published=published,
        source_name=_text_or_none(meta.get("source")),
        source_slug=_text_or_none(meta.get("source_slug")),
    )


def _open_lines(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def record_from_json(obj, origin_hint: str, location: str, raw_line: str):
    """A corpus JSON object as a Record, or a Rejected saying what is wrong.

    ``raw_line`` is the JSON text ``obj`` was parsed from (kept as raw text).
    """
    if not isinstance(obj, dict):
        return Rejected(location, "line is not a JSON object")
    # NUL and lone surrogates can only come from a \u escape (json refuses raw
    # control characters, and the line was decoded from UTF-8): a line
    # without one needs no walk.
    if "\\u" in raw_line:
        obj = storable(obj)
    origin = obj.get("id")
    if not isinstance(origin, str) or not origin.strip():
        return Rejected(location, "record has no id")
    body = obj.get("body")
    if not isinstance(body, str) or not body.strip():
        return Rejected(location, f"record {origin} has no body")
    title = obj.get("title") if isinstance(obj.get("title"), str) else ""
    try:
        published = parse_iso_date(obj.get("date"))
    except ValueError:
        return Rejected(location, f"record {origin} has a bad date: {obj.get('date')!r}")
    categories = obj.get("categories") or ([obj["category"]] if obj.get("category") else [])
    if not isinstance(categories, list):
        categories = []
    url = web_url(obj.get("url"))
    return Record(
        origin=origin.strip()[:255],
        location=location,
        raw_text=raw_line,
        kind="jsonl",
        title=title.strip(),
        body=body,
        url=url[:1000],
        published=published,
        source_key=obj.get("source_id") if isinstance(obj.get("source_id"), str) else None,
        source_name=obj.get("source") if isinstance(obj.get("source"), str) else None,
        author=(obj.get("author") or "")[:300] if isinstance(obj.get("author"), (str, type(None))) else "",
        categories=[c for c in categories if isinstance(c, str)],
    )


def read_jsonl(path: Path, limit: int | None = None):
    """Records of a JSON Lines file, gzipped or not; bad lines are Rejected."""
    count = 0
    line_no = 0
    try:
        with _open_lines(path) as handle:
            for line_no, raw in enumerate(handle, start=1):
                location = f"{path}:{line_no}"
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield Rejected(location, f"not UTF-8 (byte {exc.start})")
                    continue
                if not line.endswith("\n") and not line.rstrip().endswith("}"):
                    yield Rejected(location, "truncated line")
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Rejected(location, f"invalid JSON ({exc.msg} at column {exc.colno})")
                    continue
                yield record_from_json(obj, path.name, location, line.rstrip("\n"))
                count += 1
                if limit and count >= limit:
                    return
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        yield Rejected(f"{path}:{line_no + 1}", f"file is truncated or corrupt after line {line_no}: {exc}")


def read_all(paths, limit: int | None = None):
    """Every Record and Rejected from the given files and folders."""
    metadata_cache: dict[Path, dict] = {}
    for item in expand_paths(paths):
        if isinstance(item, Rejected):
            yield item
            continue
        kind = _suffix_kind(item)
        if kind == "text":
            folder = item.parent
            if folder not in metadata_cache:
                metadata_cache[folder], problem = read_metadata(folder)
                if problem:
                    yield problem
            yield from read_text_file(item, metadata_cache[folder])
        elif kind == "warc":
            yield from read_warc_file(item, limit=limit)
        else:
            yield from read_jsonl(item, limit=limit)


def read_warc_file(path: Path, limit: int | None = None):
    """The HTML pages of a web archive as Records (kind "html": title and
    body already extracted), unusable pages as Rejected."""
    from archive.collect.warc import read_warc

    for item in read_warc(path, limit=limit):
        if item[0] == "record":
            yield Record(**item[1])
        else:
            yield Rejected(item[1], item[2])
