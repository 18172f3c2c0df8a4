"""Gunicorn settings for `make serve` (gunicorn --config config/gunicorn.conf.py config.wsgi).

Environment:
- GUNICORN_WORKERS (or WEB_CONCURRENCY): worker processes, default 2 x the
  CPUs this process may use. Each worker holds its own database connection
  and opens the Whoosh index read-only; rate limits are shared through the
  database (config/ratelimit.py), so they hold across workers.
- GUNICORN_BIND: address when gunicorn is started without --bind
  (default 127.0.0.1:8000; `make serve` passes HOST:PORT).
- GUNICORN_TIMEOUT: seconds before a silent worker is restarted (default 30).
- FORWARDED_ALLOW_IPS: proxies whose X-Forwarded-* headers gunicorn trusts
  (gunicorn's own variable; default 127.0.0.1,::1).
- GUNICORN_MALLOC_TRIM_EVERY: a worker hands its freed heap back to the
  system (glibc ``malloc_trim``) every this many requests (default 100; 0:
  never). The engine's caches are bounded in bytes (SEARCH_CACHE_BUDGET_MB),
  but their churn leaves freed pages in the heap otherwise.
"""
import os


def _cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "config.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _env_int("GUNICORN_WORKERS", _env_int("WEB_CONCURRENCY", 2 * _cpus()))
worker_class = "sync"
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so memory growth never accumulates.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs: a slow disk must not get workers killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Requests larger than this are refused before they reach Django.
limit_request_line = 8190
limit_request_fields = 100
proc_name = "arabic-news-archive"
malloc_trim_every = _env_int("GUNICORN_MALLOC_TRIM_EVERY", 100)


def _malloc_trim():
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def post_request(worker, req, environ, resp):
    worker.served_requests = getattr(worker, "served_requests", 0) + 1
    if malloc_trim_every and worker.served_requests % malloc_trim_every == 0:
        _malloc_trim()
