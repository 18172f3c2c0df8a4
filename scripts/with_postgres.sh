#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server:
#
#   scripts/with_postgres.sh make test
#   scripts/with_postgres.sh .venv/bin/pytest tests/web/test_security.py
#   scripts/with_postgres.sh psql          # look around (PGHOST/PGUSER/PGDATABASE are set)
#
# Creates a new cluster in a temporary folder (Debian's `postgresql` package
# provides the server: `sudo apt-get install postgresql`), listening only on a
# unix socket inside that folder (no TCP port, so it never clashes with another
# server), with role and database `archive` (the role has CREATEDB, which the
# tests need to create test_archive). Runs CMD with
# DATABASE_URL=postgres://archive@/archive?host=<socket folder>, then stops
# the server and deletes the folder, whatever happens. Exits with CMD's status,
# or 1 when the server cannot start.
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres`
# user (PG_RUN_AS to change it); otherwise as the calling user.
# PG_BIN: folder of initdb/pg_ctl (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

say() { echo "with_postgres: $*" >&2; }

find_bindir() {
  local dir
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return 0; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

if ! bindir="$(find_bindir)"; then
  say "PostgreSQL server not found (initdb, pg_ctl). Install it: sudo apt-get install postgresql"
  exit 1
fi

run_as=""
if [ "$(id -u)" = 0 ]; then
  run_as="${PG_RUN_AS:-postgres}"
  if ! id "$run_as" >/dev/null 2>&1; then
    say "user '$run_as' does not exist (PostgreSQL does not run as root); install Debian's postgresql or set PG_RUN_AS"
    exit 1
  fi
fi

# Run a server program as the server's user, from a folder it can read.
as_pg() {
  if [ -z "$run_as" ]; then
    (cd / && "$@")
  elif command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u "$run_as" -- "$@")
  else
    (cd / && su "$run_as" -s /bin/sh -c "$(printf '%q ' "$@")")
  fi
}

base="$(mktemp -d "${PG_TMPDIR:-/tmp}/archive-pg.XXXXXXXX")"
data="$base/data"
sock="$base/sock"
log="$base/server.log"
mkdir -p "$sock"
if [ -n "$run_as" ]; then
  chown -R "$run_as" "$base"
fi

started=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$started" ]; then
    as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$base"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  say "$1"
  [ -f "$log" ] && tail -n 20 "$log" >&2
  exit 1
}

as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; fail "initdb failed"; }

# Unix socket only; durability off: this cluster is thrown away.
cat >>"$data/postgresql.conf" <<EOF

# with_postgres.sh: throwaway test server
listen_addresses = ''
unix_socket_directories = '$sock'
port = ${PG_PORT:-5432}
max_connections = 50
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

started=1
as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null || fail "the server did not start"

psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "${PG_PORT:-5432}" -U postgres -d postgres)
as_pg "${psql[@]}" -c "CREATE ROLE archive LOGIN CREATEDB" -c "CREATE DATABASE archive OWNER archive" \
  || fail "could not create role and database 'archive'"

export DATABASE_URL="postgres://archive@/archive?host=$sock&port=${PG_PORT:-5432}"
export PGHOST="$sock" PGPORT="${PG_PORT:-5432}" PGUSER=archive PGDATABASE=archive
say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running, DATABASE_URL=$DATABASE_URL"

set +e
"$@"
status=$?
set -e
exit "$status"
