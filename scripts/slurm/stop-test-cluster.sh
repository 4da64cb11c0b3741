#!/usr/bin/env bash
# Stops the cluster start-test-cluster.sh started in $GJ_SLURM_DIR: only the daemons
# whose pid files live there, so a system Slurm or another test dir is never touched.
# Pass --purge to delete the directory too.
set -uo pipefail
DIR="${GJ_SLURM_DIR:-/tmp/gj-slurm}"
stop() {
  local pidfile="$1" tenths="${2:-50}"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
# Cancel jobs first so no slurmstepd outlives its slurmd.
if [ -f "$DIR/etc/slurm.conf" ] && [ -f "$DIR/run/slurmctld.pid" ]; then
  SLURM_CONF="$DIR/etc/slurm.conf" timeout 5 scancel --user="$(id -un)" 2>/dev/null && sleep 1
fi
for f in "$DIR"/run/slurmd-*.pid; do [ -e "$f" ] && stop "$f"; done
stop "$DIR/run/slurmctld.pid"
stop "$DIR/run/slurmdbd.pid"
# MariaDB flushes InnoDB on SIGTERM: give it time before the SIGKILL.
stop "$DIR/run/mariadbd.pid" 300
stop "$DIR/munge/munged.pid"
[ "${1:-}" = "--purge" ] && rm -rf "$DIR"
echo "stop-test-cluster: stopped ($DIR)" >&2
