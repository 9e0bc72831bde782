#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the explore executor's test: munge,
# slurmctld and slurmd on localhost with a config written here, all in a state directory of
# their own (nothing in /etc is changed; munge's key and socket live there too).
# Usage: ci/slurm.sh start DIR | stop DIR | status DIR
#   start   writes DIR/slurm.conf, starts munged, slurmctld and slurmd, waits until the node is
#           idle (at most 60 s), and prints the environment to use it: SLURM_CONF=DIR/slurm.conf
#   stop    stops the three daemons (by their pid files) and leaves DIR for inspection
#   status  sinfo's view of the node
# Needs root (SlurmUser=root) and Debian's slurm-wlm and munge (ci/setup.sh installs them).
# Exit status: 0 done, 1 a daemon did not come up (its log is printed), 2 usage, 77 no Slurm.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then sed -n '4,9p' "$0" >&2; exit 2; fi
for tool in slurmctld slurmd sinfo munged mungekey; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
    { echo "slurm: '$tool' not found (Debian packages slurm-wlm and munge; ci/setup.sh)" >&2; exit 77; }
done
export PATH="$PATH:/usr/sbin"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"

stop_pid() {  # a daemon's pid file: TERM, then wait for it to go
  local f="$1"
  [ -f "$f" ] || return 0
  local pid
  pid=$(cat "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

case "$cmd" in
  start)
    [ "$(id -u)" -eq 0 ] || { echo "slurm: needs root (the cluster runs jobs as root)" >&2; exit 1; }
    mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
    chmod 700 "$dir/munge"
    # munge: a key and a socket of this cluster's own.
    [ -f "$dir/munge/munge.key" ] || mungekey -c -k "$dir/munge/munge.key" >/dev/null 2>&1 ||
      dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 2>/dev/null
    chmod 400 "$dir/munge/munge.key"
    stop_pid "$dir/munge/munged.pid"
    munged --force -S "$dir/munge/munge.socket" -f --key-file "$dir/munge/munge.key" \
      --pid-file "$dir/munge/munged.pid" --log-file "$dir/log/munged.log" --seed-file "$dir/munge/munge.seed"
    host="$(hostname -s)"
    cat > "$conf" <<EOF
# Written by ci/slurm.sh: a single-node cluster on $host for sharpgen's tests.
ClusterName=sharpgen
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=sharpgen Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    stop_pid "$dir/slurmd.pid"
    stop_pid "$dir/slurmctld.pid"
    slurmctld -f "$conf" -i
    slurmd -f "$conf"
    for _ in $(seq 120); do
      state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
      case "$state" in idle|mix|alloc) echo "slurm: node $host $state (SLURM_CONF=$conf)"; exit 0 ;; esac
      sleep 0.5
    done
    echo "slurm: the node did not become idle in 60 s (state '${state:-none}'); logs:" >&2
    tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
    exit 1 ;;
  stop)
    stop_pid "$dir/slurmd.pid"
    stop_pid "$dir/slurmctld.pid"
    stop_pid "$dir/munge/munged.pid"
    echo "slurm: stopped (state and logs kept in $dir)" ;;
  status)
    sinfo -N ;;
  *)
    sed -n '4,9p' "$0" >&2; exit 2 ;;
esac
