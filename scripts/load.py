#!/usr/bin/env python3
"""Bounded load test of a running archive server (loopback only, stdlib only).

    python scripts/load.py --base-url http://127.0.0.1:8000 --clients 20 --duration 60
    python scripts/load.py ... --during-import FILE --import-limit 5000 --data-dir DIR

N clients run for D seconds, each sending one request after another (no
think time) drawn from a mixed workload:

- ``search``: the search page for a query of search/bench/data/query_mix.json;
- ``facet``: the search page with a filter (country, the largest source, a
  date range; with or without a query);
- ``article``: an article page (ids collected from the API before the run);
- ``api``: the JSON API (``/api/search/``), with or without a filter.

Reported per kind and overall: requests, errors, p50/p95/max latency (ms),
requests/s. An error is an exception or a status other than 2xx/3xx. Exit
status 1 when any request failed (or the import check failed), 2 on a usage
error. The server's API rate limit counts every client as one IP: start the
server with ``API_RATE_LIMIT=off`` (scripts/load_serve.py does).

``--during-import FILE``: runs ``manage.py import_articles FILE --limit N``
against ``--data-dir`` while the load runs, waits for it after the load, then
checks that every imported article is searchable (``check_index --quick``
reports no drift, and ``--marker WORD``, if given, is found in as many
articles as were created).
"""
from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
QUERY_MIX = ROOT / "search" / "bench" / "data" / "query_mix.json"
KINDS = {"search": 35, "facet": 25, "article": 25, "api": 15}
REQUEST_TIMEOUT = 60.0


# --- the HTTP client -------------------------------------------------------------------

def check_loopback(base_url: str) -> tuple[str, int]:
    """(host, port) of base_url; ValueError unless it is a loopback http URL."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"only http://<loopback>:<port> URLs are allowed, not {base_url!r}")
    host = parts.hostname
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        raise ValueError(f"cannot resolve {host!r}: {exc}") from None
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise ValueError(f"refusing to load a non-loopback host: {host!r} ({', '.join(sorted(addresses))})")
    return host, parts.port or 80


async def fetch(host: str, port: int, path: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    """GET path over a fresh connection (gunicorn's sync workers close it anyway)."""

    async def run():
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: archive-load\r\n"
                "Accept-Encoding: identity\r\nConnection: close\r\n\r\n".encode("ascii")
            )
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except Exception:
                pass
        head, _, body = raw.partition(b"\r\n\r\n")
        match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
        if not match:
            raise ConnectionError(f"bad response ({len(raw)} bytes)")
        if b"transfer-encoding: chunked" in head.lower():
            body = _dechunk(body)
        return int(match.group(1)), body

    return await asyncio.wait_for(run(), timeout)


def _dechunk(data: bytes) -> bytes:
    out, pos = [], 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            break
        out.append(data[end + 2:end + 2 + size])
        pos = end + 2 + size + 2
    return b"".join(out)


# --- the workload ------------------------------------------------------------------

@dataclass
class Workload:
    queries: list[str]
    filters: list[dict]
    article_ids: list[int]
    rng: random.Random = field(default_factory=random.Random)

    def pick(self) -> tuple[str, str]:
        kind = self.rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        if kind == "article" and not self.article_ids:
            kind = "search"
        q = self.rng.choice(self.queries)
        if kind == "search":
            return kind, "/search/?" + urlencode({"q": q})
        if kind == "facet":
            params = dict(self.rng.choice(self.filters))
            if self.rng.random() < 0.7:
                params["q"] = q
            return kind, "/search/?" + urlencode(params)
        if kind == "article":
            return kind, f"/articles/{self.rng.choice(self.article_ids)}/"
        params = {"q": q} if self.rng.random() < 0.8 else {}
        if self.rng.random() < 0.4:
            params.update(self.rng.choice(self.filters))
        return kind, "/api/search/?" + urlencode(params)


async def prepare_workload(host, port, seed: int = 7) -> Workload:
    """Queries and filters from query_mix.json; '@top' and article ids from the API."""
    mix = json.loads(QUERY_MIX.read_text(encoding="utf-8"))
    queries = [q for group in mix["queries"].values() for q in group]
    status, body = await fetch(host, port, "/api/search/?page_size=100")
    if status != 200:
        raise RuntimeError(f"the API answered {status} before the run: {body[:200]!r}")
    data = json.loads(body)
    sources = data.get("facets", {}).get("source") or []
    top = sources[0]["value"] if sources else None
    filters = []
    for f in mix["filters"]:
        f = dict(f)
        if f.get("source") == "@top":
            if top is None:
                continue
            f["source"] = top
        filters.append(f)
    ids = {r["id"] for r in data["results"]}
    for q in queries[:: max(len(queries) // 6, 1)]:
        status, body = await fetch(host, port, "/api/search/?" + urlencode({"q": q, "page_size": 50}))
        if status == 200:
            ids.update(r["id"] for r in json.loads(body)["results"])
    return Workload(queries, filters or [{}], sorted(ids), random.Random(seed))


# --- running and reporting -----------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    seconds: float
    status: int | None
    error: str | None = None

    @property
    def ok(self):
        return self.error is None and self.status is not None and 200 <= self.status < 400


async def client(host, port, workload: Workload, deadline: float, samples: list):
    while time.monotonic() < deadline:
        kind, path = workload.pick()
        started = time.perf_counter()
        try:
            status, _body = await fetch(host, port, path)
            samples.append(Sample(kind, time.perf_counter() - started, status,
                                  None if 200 <= status < 400 else f"HTTP {status} {path}"))
        except Exception as exc:  # counted, never raised
            samples.append(Sample(kind, time.perf_counter() - started, None, f"{type(exc).__name__}: {exc} {path}"))


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(samples: list[Sample], seconds: float) -> dict:
    def stats(group):
        ms = [s.seconds * 1000 for s in group]
        return {
            "requests": len(group),
            "errors": sum(not s.ok for s in group),
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": round(max(ms), 1) if ms else 0.0,
            "mean_ms": round(statistics.fmean(ms), 1) if ms else 0.0,
        }

    kinds = {kind: stats([s for s in samples if s.kind == kind]) for kind in KINDS}
    total = stats(samples)
    total["requests_per_s"] = round(len(samples) / seconds, 1) if seconds else 0.0
    errors = [s.error for s in samples if not s.ok]
    return {"seconds": round(seconds, 1), "total": total, "kinds": kinds, "error_samples": errors[:10]}


async def run_load(base_url, clients, duration, *, seed=7, warmup=0.0) -> dict:
    host, port = check_loopback(base_url)
    workload = await prepare_workload(host, port, seed)
    if warmup > 0:  # every worker opens its searcher; not counted
        await asyncio.gather(*(client(host, port, workload, time.monotonic() + warmup, [])
                               for _ in range(clients)))
    samples: list[Sample] = []
    started = time.monotonic()
    await asyncio.gather(*(client(host, port, workload, started + duration, samples) for _ in range(clients)))
    report = summarize(samples, time.monotonic() - started)
    report.update(clients=clients, duration=duration, articles_in_pool=len(workload.article_ids))
    return report


def print_report(report: dict, out=sys.stdout):
    t = report["total"]
    print(f"load: {report['clients']} clients x {report['duration']} s: {t['requests']} requests, "
          f"{t['requests_per_s']} req/s, {t['errors']} errors", file=out)
    print(f"  {'kind':8} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}", file=out)
    for name, s in list(report["kinds"].items()) + [("all", t)]:
        print(f"  {name:8} {s['requests']:>8} {s['errors']:>6} {s['p50_ms']:>8} {s['p95_ms']:>8} {s['max_ms']:>8}",
              file=out)
    for error in report["error_samples"]:
        print(f"  error: {error}", file=out)


# --- the import running beside the load --------------------------------------------------------

def app_env(data_dir, **extra) -> dict:
    """The environment of the app on ``data_dir`` (its SQLite database; DEBUG
    and the API rate limit off); ``extra`` adds or overrides variables."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ENV"):
        env.pop(name, None)
    env.update(ARCHIVE_DATA_DIR=str(data_dir), DJANGO_DEBUG="0", API_RATE_LIMIT="off", **extra)
    return env


def run_manage(data_dir, *args, timeout=900) -> subprocess.CompletedProcess:
    """``manage.py args`` on ``data_dir``, waited for (output in ``.stdout``)."""
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=app_env(data_dir), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)


def check_index(data_dir, *args) -> tuple[int, dict | None, str]:
    """``check_index --json args`` on ``data_dir``: (exit status, its report or None, output)."""
    proc = run_manage(data_dir, "check_index", "--json", *args)
    start = proc.stdout.find("{")
    try:
        data = json.loads(proc.stdout[start:proc.stdout.rfind("}") + 1]) if start >= 0 else None
    except ValueError:
        data = None
    return proc.returncode, data, proc.stdout


def manage(args, data_dir, **kwargs):
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=app_env(data_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def start_import(path, limit, data_dir):
    args = ["import_articles", str(path), "--no-progress"]
    if limit:
        args += ["--limit", str(limit)]
    return manage(args, data_dir)


def check_imported(proc, data_dir, host, port, marker=None, timeout=1800) -> dict:
    """Wait for the import, then check its articles are indexed and searchable."""
    out, _ = proc.communicate(timeout=timeout)
    result = {"import_exit": proc.returncode, "import_output": out.strip().splitlines()[-3:]}
    created = re.search(r"created (\d+)", out)
    result["created"] = int(created.group(1)) if created else None
    check_code, report, check_out = check_index(data_dir, "--quick")
    result["check_index_exit"] = check_code
    try:
        before = report["before"]
        result["missing"] = len(before["missing"])
        result["extra"] = len(before["extra"])
        result["indexed"] = before["indexed"]
    except (TypeError, KeyError):
        result["check_index_output"] = check_out[-500:]
    ok = proc.returncode == 0 and check_code == 0
    if marker:
        status, body = asyncio.run(fetch(host, port, "/api/search/?" + urlencode({"q": marker, "page_size": 1})))
        result["marker_status"] = status
        result["marker_found"] = json.loads(body)["count"] if status == 200 else None
        ok = ok and status == 200 and result["created"] is not None and result["marker_found"] >= result["created"]
    result["ok"] = ok
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds of uncounted requests first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--during-import", metavar="FILE", help="import this file while the load runs")
    parser.add_argument("--import-limit", type=int, default=None)
    parser.add_argument("--data-dir", help="ARCHIVE_DATA_DIR of the server (for --during-import)")
    parser.add_argument("--marker", help="a word every imported article contains (checked after the import)")
    parser.add_argument("--json-out", help="write the report as JSON here")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or args.clients > 200 or args.duration > 3600:
        parser.error("--clients must be 1..200 and --duration 0..3600 s")
    try:
        host, port = check_loopback(args.base_url)
    except ValueError as exc:
        parser.error(str(exc))
    if args.during_import and not args.data_dir:
        parser.error("--during-import needs --data-dir (the server's ARCHIVE_DATA_DIR)")
    return run(args, host, port)


def run(args, host, port) -> int:
    importer = None
    if args.during_import:
        importer = start_import(args.during_import, args.import_limit, args.data_dir)
    try:
        report = asyncio.run(run_load(args.base_url, args.clients, args.duration,
                                      seed=args.seed, warmup=args.warmup))
    except Exception:
        if importer is not None:
            importer.kill()
        raise
    report["loadavg"] = os.getloadavg()
    print_report(report)
    failed = report["total"]["errors"] > 0 or report["total"]["requests"] == 0
    if importer is not None:
        waited = time.monotonic()
        report["import"] = check_imported(importer, args.data_dir, host, port, args.marker)
        report["import"]["waited_after_load_s"] = round(time.monotonic() - waited, 1)
        print(f"import during load: {json.dumps(report['import'], ensure_ascii=False)}")
        failed = failed or not report["import"]["ok"]
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print("load: FAIL" if failed else "load: PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
