"""The reader bench through HTTP: gunicorn with ``config/gunicorn.conf.py``
overridden to one worker (no worker recycling, API rate limit off) on a free
127.0.0.1 port, serving the configured data folder and database; every query
once (never seen by the worker), then every query again (warm); the worker's
memory from ``/proc/<pid>/smaps_rollup``; the server stopped at the end.
The run is bounded by a number of queries and a time budget."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from search.bench.memory import smaps_rollup
from search.bench.reader_worker import WARMUP_QUERY

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    from django.conf import settings

    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(ARCHIVE_DATA_DIR=str(settings.DATA_DIR), DJANGO_DEBUG="0", API_RATE_LIMIT="off",
               GUNICORN_WORKERS="1", GUNICORN_MAX_REQUESTS="0", GUNICORN_LOG_LEVEL="warning",
               GUNICORN_TIMEOUT=str(REQUEST_TIMEOUT_S))
    return env


def _children(pid) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _get(url) -> tuple[float, int]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return (time.perf_counter() - t0) * 1000, status


def _url(base, query) -> str:
    params = {"q": query["q"], "page_size": "10", **query.get("params", {})}
    return f"{base}/api/search/?{urllib.parse.urlencode(params)}"


class Gunicorn:
    """``with Gunicorn(log) as server:`` one worker on a free port."""

    def __init__(self, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.proc = None

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [str(gunicorn), "--config", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "config.wsgi"],
            cwd=ROOT, env=server_env(), stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}): see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start in time")
        return self

    def worker_pid(self):
        kids = _children(self.proc.pid)
        return kids[0] if kids else None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def __exit__(self, *exc):
        self.stop()


def run_http(queries, log_path, limit=None, budget_s=600.0) -> dict:
    """Never-seen then warm timings (ms, in query order) through HTTP, the
    worker's memory after the run and the number of failed requests. At most
    ``limit`` queries; each pass stops when half of ``budget_s`` is spent."""
    queries = queries[:limit] if limit else queries
    result = {"never": [], "warm": [], "errors": 0, "memory": {}}
    with Gunicorn(log_path) as server:
        _get(_url(server.base, {"q": WARMUP_QUERY}))  # the worker imports and opens the index
        for label in ("never", "warm"):
            deadline = time.monotonic() + budget_s / 2
            for query in queries:
                if time.monotonic() > deadline:
                    break
                ms, status = _get(_url(server.base, query))
                result[label].append(ms)
                result["errors"] += status != 200
        pid = server.worker_pid()
        result["memory"] = smaps_rollup(pid) if pid else {}
    return result
