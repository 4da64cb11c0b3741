# Sourced by start-test-cluster.sh when GJ_SLURM_ACCOUNTING=1: a private MariaDB and a
# slurmdbd for the test cluster, so `sacct` answers. Everything lives under $DIR:
#   $DIR/mysql/data      mariadbd's datadir (mariadb-install-db, once; kept across starts)
#   $DIR/mysql/sock      its socket; TCP on 127.0.0.1:$DB_PORT only (slurmdbd connects by TCP:
#                        22.05 passes no socket path, so "localhost" would mean the system's)
#   $DIR/etc/slurmdbd.conf  mode 600 (it holds the database password)
#   $DIR/run/{mariadbd,slurmdbd}.pid, $DIR/log/{mariadbd,slurmdbd}.log
# Uses DIR, PORT, HOST, CONF and log() from the caller. Each cold start drops the
# accounting database, like `slurmctld -c` drops the controller's jobs, so sacct never
# shows an earlier run's jobs.

DBD_PORT=$((PORT + 50))
DB_PORT=$((PORT + 51))
DB_SOCK="$DIR/mysql/sock"

# The slurm.conf lines that point slurmctld at slurmdbd. AccountingStoragePass names the
# munge socket for slurmdbd connections (AuthInfo covers only slurmctld/slurmd ones);
# job_comment stores --comment, which is how gongjang finds its jobs in sacct.
accounting_conf() {
  cat <<CONF
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$DBD_PORT
AccountingStoragePass=$DIR/munge/munge.socket
AccountingStorageTRES=gres/gpu
AccountingStoreFlags=job_comment
CONF
}

accounting_packages() {
  command -v slurmdbd >/dev/null && command -v mariadbd >/dev/null &&
    command -v mariadb-install-db >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || { log "slurmdbd/MariaDB are not installed and installing them needs root"; exit 1; }
  log "installing mariadb-server slurmdbd"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # Docker images deny service starts (policy-rc.d), so the system MariaDB stays down;
  # either way this script never uses or touches it.
  apt-get install -y -qq --no-install-recommends mariadb-server slurmdbd >&2
}

db() { mariadb --no-defaults --socket="$DB_SOCK" -u root "$@"; }

# Starts mariadbd (creating its datadir the first time) and waits until it answers.
start_mariadb() {
  mkdir -p "$DIR/mysql"
  if [ ! -d "$DIR/mysql/data/mysql" ]; then
    log "creating MariaDB datadir"
    mariadb-install-db --no-defaults --datadir="$DIR/mysql/data" --user=root \
      --auth-root-authentication-method=socket --skip-test-db >"$DIR/log/mariadb-install.log" 2>&1 ||
      { log "mariadb-install-db failed:"; tail -5 "$DIR/log/mariadb-install.log" >&2; exit 1; }
  fi
  # setsid + nohup: the daemon must outlive this script and its caller's session.
  setsid nohup mariadbd --no-defaults --user=root --datadir="$DIR/mysql/data" \
    --socket="$DB_SOCK" --port="$DB_PORT" --bind-address=127.0.0.1 \
    --pid-file="$DIR/run/mariadbd.pid" --log-error="$DIR/log/mariadbd.log" \
    --skip-log-bin --innodb-buffer-pool-size=128M --innodb-log-file-size=64M \
    --innodb-lock-wait-timeout=900 --max-connections=50 </dev/null >/dev/null 2>&1 &
  local deadline=$((SECONDS + 30))
  until db -e 'select 1' >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] ||
      { log "mariadbd did not answer:"; tail -5 "$DIR/log/mariadbd.log" >&2; exit 1; }
    sleep 0.2
  done
}

# Starts slurmdbd on a fresh accounting database and waits until it answers.
start_slurmdbd() {
  local pass
  pass="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  db <<SQL
DROP DATABASE IF EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pass';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL
  (
    umask 077
    cat >"$DIR/etc/slurmdbd.conf" <<CONF
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
DbdHost=$HOST
DbdAddr=127.0.0.1
DbdPort=$DBD_PORT
SlurmUser=root
LogFile=$DIR/log/slurmdbd.log
PidFile=$DIR/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=$pass
StorageLoc=slurm_acct_db
CONF
  )
  chmod 600 "$DIR/etc/slurmdbd.conf"
  # slurmdbd reads slurmdbd.conf from the directory of $SLURM_CONF.
  SLURM_CONF="$CONF" slurmdbd || { log "slurmdbd failed; see $DIR/log/slurmdbd.log"; exit 1; }
  local deadline=$((SECONDS + 30))
  until SLURM_CONF="$CONF" timeout 3 sacctmgr -n list cluster >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] ||
      { log "slurmdbd did not answer:"; tail -5 "$DIR/log/slurmdbd.log" >&2; exit 1; }
    sleep 0.2
  done
  SLURM_CONF="$CONF" sacctmgr -i add cluster gongjang-test >/dev/null
}

# Up means: sacct answers (it asks slurmdbd, which asks MariaDB).
accounting_up() {
  [ -f "$DIR/etc/slurmdbd.conf" ] && grep -q accounting_storage/slurmdbd "$CONF" 2>/dev/null &&
    SLURM_CONF="$CONF" timeout 3 sacct -n -X -S now >/dev/null 2>&1
}
