#!/usr/bin/env python3
"""Start a `make serve`-like gunicorn on a free 127.0.0.1 port, load it, stop it.

    python scripts/load_serve.py --data-dir /tmp/copy-of-data [--workers 4] \
        [--clients 20] [--duration 60] [--during-import FILE --import-limit 5000]
    python scripts/load_serve.py --smoke        # CI size: a throwaway folder with
                                                # the seeds + 60 corpus articles

Like ``make serve``: DJANGO_ENV=production with a throwaway DJANGO_SECRET_KEY,
migrations, collectstatic and ``ensure_index`` on ``--data-dir`` (SQLite there;
DATABASE_URL is ignored), then gunicorn with config/gunicorn.conf.py. The API
rate limit is switched off (every client is the same IP). Then
scripts/load.py runs, the server is stopped (SIGTERM, then SIGKILL) and its
log is scanned: a traceback or a LockError in it fails the run. Exit status:
0 pass, 1 fail.

Never point --data-dir at data you care about: the load and the import
write to it.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import load_import_file  # noqa: E402

ROOT = load.ROOT
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir, workers) -> dict:
    return load.app_env(data_dir, DJANGO_ENV="production", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                        GUNICORN_WORKERS=str(workers), GUNICORN_LOG_LEVEL="warning")


def run_manage(env, *args, timeout=3600):
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    if proc.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}")
    return proc.stdout


class Server:
    """gunicorn as `make serve` runs it, logging to a file."""

    def __init__(self, data_dir, workers, log_path):
        self.data_dir = Path(data_dir)
        self.workers = workers
        self.port = free_port()
        self.env = server_env(data_dir, workers)
        self.log_path = Path(log_path)
        self.proc = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def prepare(self):
        run_manage(self.env, "migrate", "--noinput", "-v", "0")
        run_manage(self.env, "collectstatic", "--noinput", "-v", "0")
        return run_manage(self.env, "ensure_index").strip()

    def start(self, ready_timeout=180.0):
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--config", "config/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "-", "config.wsgi"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); log: {self.log_path}")
            try:
                status, _ = asyncio.run(load.fetch("127.0.0.1", self.port, "/api/search/?page_size=1", timeout=60))
                if status == 200:
                    return
            except (OSError, asyncio.TimeoutError, ConnectionError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn not ready after {ready_timeout:.0f} s; log: {self.log_path}")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # gunicorn's master: graceful stop of its workers
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group gunicorn started (start_new_session)
            self.proc.wait(timeout=10)

    def log_problems(self) -> list[str]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        bad = [line for line in text.splitlines()
               if "Traceback" in line or "LockError" in line or "[ERROR]" in line or "WORKER TIMEOUT" in line]
        return bad


def make_smoke_data(folder: Path, articles: int = 60) -> Path:
    """A throwaway data folder: the seeds plus a few corpus articles, indexed."""
    data_dir = folder / "data"
    env = server_env(data_dir, 1)
    env.pop("DJANGO_ENV")
    run_manage(env, "migrate", "--noinput", "-v", "0")
    run_manage(env, "import_articles", "seeds", "--no-progress", "--workers", "1")
    corpus = load_import_file.DEFAULT_CORPUS
    if corpus.exists():
        run_manage(env, "import_articles", str(corpus), "--limit", str(articles), "--no-progress", "--workers", "1")
    return data_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="ARCHIVE_DATA_DIR to serve (a copy: it is written to)")
    parser.add_argument("--smoke", action="store_true", help="CI size: throwaway data, 4 clients x 5 s, an import of 40")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--during-import", metavar="FILE")
    parser.add_argument("--import-limit", type=int, default=None)
    parser.add_argument("--make-import", type=int, default=0, metavar="N",
                        help="generate an import file of N new articles from the corpus (in the scratch folder)")
    parser.add_argument("--marker", default=None)
    parser.add_argument("--json-out")
    parser.add_argument("--keep-log", help="copy the gunicorn log here")
    args = parser.parse_args(argv)
    if not args.smoke and not args.data_dir:
        parser.error("give --data-dir (a copy of a data folder) or --smoke")

    scratch = Path(tempfile.mkdtemp(prefix="archive-load-"))
    try:
        if args.smoke:
            data_dir = make_smoke_data(scratch)
            args.workers, args.clients = min(args.workers, 2), min(args.clients, 4)
            args.duration, args.warmup = min(args.duration, 5.0), min(args.warmup, 1.0)
            if not args.during_import and load_import_file.DEFAULT_CORPUS.exists():
                args.make_import = args.make_import or 40
        else:
            data_dir = Path(args.data_dir)
        if args.make_import:
            args.during_import = str(scratch / "import.jsonl")
            args.marker = args.marker or load_import_file.DEFAULT_MARKER
            load_import_file.write_import_file(args.during_import, args.make_import, skip=1000,
                                               marker=args.marker, tag=f"load{int(time.time())}")
        server = Server(data_dir, args.workers, scratch / "gunicorn.log")
        print(f"load_serve: preparing {data_dir}: {server.prepare().splitlines()[-1]}")
        server.start()
        print(f"load_serve: gunicorn ({args.workers} workers) on {server.base_url}; load average {os.getloadavg()}")
        try:
            load_args = ["--base-url", server.base_url, "--clients", str(args.clients),
                         "--duration", str(args.duration), "--warmup", str(args.warmup)]
            if args.during_import:
                load_args += ["--during-import", args.during_import, "--data-dir", str(data_dir)]
                if args.import_limit:
                    load_args += ["--import-limit", str(args.import_limit)]
                if args.marker:
                    load_args += ["--marker", args.marker]
            if args.json_out:
                load_args += ["--json-out", args.json_out]
            status = load.main(load_args)
        finally:
            server.stop()
        problems = server.log_problems()
        if args.keep_log:
            shutil.copy(server.log_path, args.keep_log)
        if problems:
            print(f"load_serve: {len(problems)} problem line(s) in the server log, e.g.:")
            for line in problems[:5]:
                print("  " + line[:300])
            status = 1
        print("load_serve: " + ("PASS" if status == 0 else "FAIL"))
        return status
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
