#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the store's integration tests,
# installing Debian's postgresql first if it is missing. Prints the URL to export as
# GJ_TEST_DATABASE_URL. State lives in $GJ_PG_DIR (default: a folder under /tmp).
#   usage: eval "$(scripts/postgres/start-test-server.sh)"
set -euo pipefail
PORT="${GJ_PG_PORT:-54329}"
DIR="${GJ_PG_DIR:-/tmp/gongjang-pg}"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  echo "installing postgresql" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# initdb refuses to run as root: run the server as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! as_pg "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  rm -rf "$DIR" && mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_pg "$bin/initdb" -D "$DIR/data" -U gongjang --auth=trust >"$DIR/initdb.log" 2>&1
  as_pg "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=on" >&2
fi
echo "export GJ_TEST_DATABASE_URL=postgres://gongjang@127.0.0.1:$PORT/postgres"
