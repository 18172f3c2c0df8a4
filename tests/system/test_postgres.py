"""Database settings for PostgreSQL, and what only a real PostgreSQL server can show.

The whole suite runs a second time against PostgreSQL (`make test` with
DATABASE_URL set; CI always does, see .ci/run). The tests marked below need
that server and are skipped on SQLite.
"""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from config import ratelimit

ROOT = Path(__file__).resolve().parents[2]

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: run `make test-postgres` or set DATABASE_URL=postgres://…",
)


def database_settings(url):
    """settings.DATABASES['default'] as a fresh process computes it for DATABASE_URL=url."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("DJANGO_")}
    if url:
        env["DATABASE_URL"] = url
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default'], default=str))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgres_url_gets_no_sqlite_options():
    db = database_settings("postgres://archive:secret@db.example.org:5433/archive")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example.org", 5433, "archive", "archive")
    assert "init_command" not in db.get("OPTIONS", {}) and "timeout" not in db.get("OPTIONS", {})
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True


def test_postgres_over_a_unix_socket():
    db = database_settings("postgres://archive@/archive?host=/run/postgresql")
    assert db["HOST"] == "" and db["OPTIONS"] == {"host": "/run/postgresql"}


def test_default_is_sqlite_with_wal_and_a_lock_timeout():
    db = database_settings("")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["OPTIONS"]["timeout"] == 30 and "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["CONN_MAX_AGE"] == 0


@on_postgres
@pytest.mark.django_db
def test_running_on_postgres_with_every_migration_applied():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
        cursor.execute("SELECT %s::text", ["أرشيف الأخبار العربية"])
        assert cursor.fetchone()[0] == "أرشيف الأخبار العربية"


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rate_counter_is_exact_under_concurrent_workers():
    """Eight threads, each with its own connection (like gunicorn workers), hit one key."""
    rate = ratelimit.Rate(1000, 3600)
    threads, per_thread, errors = 8, 25, []
    start = threading.Barrier(threads)

    def worker():
        try:
            start.wait()
            for _ in range(per_thread):
                ratelimit.hit("api", "192.0.2.77", rate)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)
    assert errors == []
    assert ratelimit.peek("api", "192.0.2.77", rate).count == threads * per_thread
