#!/usr/bin/env bash
# Stops the server that start-test-server.sh started and removes its state.
set -euo pipefail
DIR="${GJ_PG_DIR:-/tmp/gongjang-pg}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$DIR/data" -m fast stop; else "$bin/pg_ctl" -D "$DIR/data" -m fast stop; fi
rm -rf "$DIR"
