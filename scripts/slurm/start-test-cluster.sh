#!/usr/bin/env bash
# Starts a throwaway Slurm cluster on loopback for gongjang's Slurm executor tests:
# munged + slurmctld + N slurmd (multiple-slurmd style: one host, one port per node),
# each node advertising 4 fake H100s as GRES. Everything lives in $GJ_SLURM_DIR.
# Idempotent: a re-run with the cluster up only prints the env. Prints `export ...`
# lines (source them, or eval "$(scripts/slurm/start-test-cluster.sh)").
#
# Env: GJ_SLURM_DIR (default /tmp/gj-slurm), GJ_SLURM_PORT (slurmctld port, default
# 16817; slurmd ports follow it), GJ_SLURM_NODES (default 2), GJ_SLURM_GPUS (per node, 4),
# GJ_SLURM_ACCOUNTING (default 1: also a private MariaDB + slurmdbd so `sacct` works, on
# ports GJ_SLURM_PORT+50 and +51; see accounting.sh; 0: none, sacct is disabled).
set -euo pipefail

DIR="${GJ_SLURM_DIR:-/tmp/gj-slurm}"
PORT="${GJ_SLURM_PORT:-16817}"
NODES="${GJ_SLURM_NODES:-2}"
GPUS="${GJ_SLURM_GPUS:-4}"
ACCT="${GJ_SLURM_ACCOUNTING:-1}"
HOST="$(hostname -s)"
CONF="$DIR/etc/slurm.conf"
log() { echo "start-test-cluster: $*" >&2; }
# shellcheck source=accounting.sh
. "$(dirname "$0")/accounting.sh"

print_env() {
  echo "export SLURM_CONF=$CONF"
  echo "export GJ_SLURM_DIR=$DIR"
}

# Up means: the controller answers and every node is usable.
is_up() {
  # Every node responding and in a usable state (idle, mixed or allocated), not just
  # registered: right after start a node can respond while still "unk" or "down".
  [ -f "$CONF" ] || return 1
  local up
  up=$(SLURM_CONF="$CONF" timeout 3 sinfo -h -N -r -o '%N %t' 2>/dev/null |
    awk '$2 ~ /^(idle|mix|alloc)$/ {print $1}' | sort -u | wc -l) || return 1
  [ "$up" -ge "$NODES" ] || return 1
  [ "$ACCT" != 1 ] || accounting_up
}
if is_up; then
  log "already up ($CONF)"
  print_env
  exit 0
fi

# 1. Packages (Debian bookworm ships Slurm 22.05).
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
  ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { log "Slurm is not installed and installing it needs root"; exit 1; }
  log "installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >&2
fi
[ "$ACCT" != 1 ] || accounting_packages

# Leftovers from an earlier run in this dir (crashed or half started).
"$(dirname "$0")/stop-test-cluster.sh" >/dev/null 2>&1 || true

mkdir -p "$DIR"/{etc,munge,ctld,log,dev,run}
# munged wants its socket dir world-executable and nothing else writable.
chmod 711 "$DIR/munge"
for ((n = 1; n <= NODES; n++)); do mkdir -p "$DIR/spool-gj-n$n"; done

# 2. munge, with its own key and socket so it never touches the system's.
if [ ! -s "$DIR/munge/munge.key" ]; then
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge/munge.key"
fi
munged --force --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" \
  --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/log/munged.log" \
  --seed-file="$DIR/munge/munged.seed"

# 3. Config. Fake GPUs: slurmd insists each gres File= is a character device, and then
# sets CUDA_VISIBLE_DEVICES for each job like on a real node. Nothing ever opens them,
# so they are /dev/null's twins (mknod), or symlinks to it where mknod is not allowed.
for ((g = 0; g < GPUS; g++)); do
  f="$DIR/dev/nvidia$g"
  [ -c "$f" ] && continue
  rm -f "$f"
  mknod "$f" c 1 3 2>/dev/null || ln -s /dev/null "$f"
done
last=$((GPUS - 1))
{
  cat <<CONF
ClusterName=gongjang-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/spool-%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd-%n.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd-%n.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=3600
SlurmdTimeout=10
SlurmctldTimeout=10
MessageTimeout=5
InactiveLimit=0
KillWait=2
SchedulerParameters=sched_interval=1,bf_interval=1
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
JobAcctGatherType=jobacct_gather/none
MailProg=/bin/true
CONF
  if [ "$ACCT" = 1 ]; then accounting_conf; else echo "AccountingStorageType=accounting_storage/none"; fi
  for ((n = 1; n <= NODES; n++)); do
    echo "NodeName=gj-n$n NodeHostname=$HOST NodeAddr=127.0.0.1 Port=$((PORT + n)) CPUs=8 RealMemory=16000 Gres=gpu:h100:$GPUS State=UNKNOWN"
  done
  echo "PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP"
} >"$CONF.new"
mv "$CONF.new" "$CONF"
echo "Name=gpu Type=h100 File=$DIR/dev/nvidia[0-$last]" >"$DIR/etc/gres.conf"

# 4. Daemons. -c: do not recover the last run's jobs, so each start is a clean cluster
# (-i would only ignore errors in the state files). Accounting first: slurmctld
# registers with slurmdbd as it starts.
if [ "$ACCT" = 1 ]; then
  start_mariadb
  start_slurmdbd
fi
export SLURM_CONF="$CONF"
slurmctld -c || { log "slurmctld failed; see $DIR/log/slurmctld.log"; exit 1; }
for ((n = 1; n <= NODES; n++)); do
  slurmd -N "gj-n$n" || { log "slurmd gj-n$n failed; see $DIR/log/slurmd-gj-n$n.log"; exit 1; }
done

# 5. Wait until every node is idle (slurmd registered with its GRES).
deadline=$((SECONDS + 30))
while ! is_up && [ "$SECONDS" -lt "$deadline" ]; do
  kill -0 "$(cat "$DIR/run/slurmctld.pid" 2>/dev/null || echo 0)" 2>/dev/null ||
    { log "slurmctld died:"; tail -3 "$DIR/log/slurmctld.log" >&2; exit 1; }
  sleep 0.5
done
if ! is_up; then
  log "nodes did not come up; see $DIR/log"
  sinfo -N >&2 || true
  exit 1
fi
if [ "$ACCT" = 1 ]; then
  deadline=$((SECONDS + 30))
  until accounting_up; do
    [ "$SECONDS" -lt "$deadline" ] || { log "sacct does not answer; see $DIR/log/slurmdbd.log"; exit 1; }
    sleep 0.2
  done
  log "accounting: slurmdbd on 127.0.0.1:$DBD_PORT, MariaDB on 127.0.0.1:$DB_PORT"
fi
log "up: $NODES nodes x $GPUS GPUs, slurmctld on 127.0.0.1:$PORT"
print_env
