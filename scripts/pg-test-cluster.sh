#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the DB tests (server/db/testing.ts reads OCS_TEST_PG_URL).
#   scripts/pg-test-cluster.sh start   # init if needed, start, create the database, print the URL
#   scripts/pg-test-cluster.sh url     # print the URL
#   scripts/pg-test-cluster.sh status  # exit 0 when running
#   scripts/pg-test-cluster.sh stop
# Typical use:  export OCS_TEST_PG_URL=$(scripts/pg-test-cluster.sh start)
# Settings: PGTEST_DIR (default $HOME/.cache/ocs-pgtest), PGTEST_PORT (55432), PGTEST_DB (ocs_test),
# PGTEST_FSYNC (off: a test cluster trades durability for speed; set "on" for honest benchmarks),
# PG_BIN (default: the newest /usr/lib/postgresql/*/bin).
# PostgreSQL refuses to run as root, so when we are root the server runs as the `postgres` OS user.
set -euo pipefail

PORT="${PGTEST_PORT:-55432}"
DB="${PGTEST_DB:-ocs_test}"
FSYNC="${PGTEST_FSYNC:-off}"
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
  echo "pg-test-cluster: no PostgreSQL binaries found (install postgresql or set PG_BIN)" >&2
  exit 2
fi

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

DIR="${PGTEST_DIR:-$HOME/.cache/ocs-pgtest}"
if [[ "$(id -u)" == 0 && -z "${PGTEST_DIR:-}" ]]; then
  # root's $HOME is usually mode 0700, which the postgres user cannot traverse: fall back to /var/tmp.
  mkdir -p "$DIR" 2>/dev/null || true
  if ! runuser -u postgres -- test -x "$(dirname "$DIR")" 2>/dev/null || ! runuser -u postgres -- test -x "$DIR" 2>/dev/null; then
    [[ -d "$DIR" && -z "$(ls -A "$DIR")" ]] && rmdir "$DIR" 2>/dev/null || true
    DIR="/var/tmp/ocs-pgtest"
  fi
fi
DATA="$DIR/data"
SOCK="$DIR/sock"
LOG="$DIR/postgres.log"
URL="postgres://postgres@127.0.0.1:${PORT}/${DB}"

running() { [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

psql_admin() { as_owner "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

start() {
  if running; then echo "$URL"; return 0; fi
  mkdir -p "$DIR"
  if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$DIR"; fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
      || { echo "pg-test-cluster: initdb failed, see $DIR/initdb.log" >&2; exit 1; }
    as_owner mkdir -p "$SOCK"
  fi
  # Settings are rewritten on every start so PGTEST_PORT / PGTEST_FSYNC changes take effect.
  as_owner sh -c "cat > '$DATA/postgresql.auto.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 300
fsync = $FSYNC
synchronous_commit = $FSYNC
full_page_writes = $FSYNC
CONF
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 start >/dev/null \
    || { echo "pg-test-cluster: start failed (port $PORT in use?), see $LOG" >&2; exit 1; }
  if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
    psql_admin -c "CREATE DATABASE \"$DB\""
  fi
  echo "$URL"
}

stop() {
  if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  status) running ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
