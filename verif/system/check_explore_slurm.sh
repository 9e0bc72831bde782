#!/usr/bin/env bash
# sharpgen explore on a real Slurm cluster: starts a single-node cluster (ci/slurm.sh), runs a
# small sweep through sbatch --array and the same sweep on the local executor, and requires:
#   - the two reports (explore.json, explore.csv, pareto.svg) byte-identical;
#   - a sweep interrupted midway (one cached result removed, one half-written file left behind)
#     and rerun finishes, reusing the other results and ignoring the half-written file;
#   - explore --executor slurm with an unreachable cluster stops with one clear error.
# The cluster is stopped at the end, whatever happened.
# Usage: check_explore_slurm.sh SHARPGEN WORK_DIR
# Exit status: 0 pass, 1 fail, 77 no Slurm on this machine (skipped).
set -euo pipefail
sharpgen="$1"; work="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
rm -rf "$work"; mkdir -p "$work"
work="$(cd "$work" && pwd)"
set +e
bash "$root/ci/slurm.sh" start "$work/cluster"
rc=$?
set -e
[ $rc -eq 77 ] && { echo "SKIP: no Slurm on this machine (ci/setup.sh installs slurm-wlm and munge)"; exit 77; }
trap 'bash "$root/ci/slurm.sh" stop "$work/cluster" >/dev/null 2>&1 || true' EXIT
[ $rc -eq 0 ] || { echo "FAIL: the cluster did not start"; exit 1; }
export SLURM_CONF="$work/cluster/slurm.conf"

sweep=(explore --models odd-small --target-area 5 --macs 16,32 --k-max 4 --k-min 2 --steps 8)
t0=$(date +%s)
"$sharpgen" "${sweep[@]}" --executor slurm --work "$work/slurm" | tee "$work/slurm.txt"
t1=$(date +%s)
"$sharpgen" "${sweep[@]}" --executor local --work "$work/local" | tee "$work/local.txt"
t2=$(date +%s)
[ -f "$work/slurm/jobs/round0.sh" ] || { echo "FAIL: no array job script written"; exit 1; }
ls "$work/slurm/jobs/"round0_*.log >/dev/null 2>&1 || { echo "FAIL: no Slurm job logs: the jobs did not run under Slurm"; exit 1; }
for f in explore.json explore.csv pareto.svg; do
  cmp "$work/slurm/report/$f" "$work/local/report/$f" || { echo "FAIL: $f differs between the executors"; exit 1; }
done
echo "reports byte-identical on the Slurm and the local executor (Slurm $((t1 - t0)) s, local $((t2 - t1)) s)"

# An interrupted sweep: one result gone, a half-written one left by a killed job.
victim=$(ls "$work/local/cache/"*.json | head -1)
n=$(ls "$work/local/cache/"*.json | wc -l)
rm "$victim"
echo '{"logic_area_um2": ' > "$victim.tmp.99999"
"$sharpgen" "${sweep[@]}" --executor local --work "$work/local" | tee "$work/rerun.txt"
grep -q "(1 jobs run, $((n - 1)) reused from the cache, 0 retried)" "$work/rerun.txt" ||
  { echo "FAIL: the rerun did not reuse the $((n - 1)) cached results"; exit 1; }
for f in explore.json explore.csv pareto.svg; do
  cmp "$work/slurm/report/$f" "$work/local/report/$f" || { echo "FAIL: $f differs after the rerun"; exit 1; }
done
echo "interrupted sweep rerun: 1 job run, $((n - 1)) reused, the same report"

# Slurm not reachable.
set +e
err=$(SLURM_CONF="$work/none.conf" "$sharpgen" "${sweep[@]}" --executor slurm --work "$work/unreachable" 2>&1 >/dev/null)
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "field '--executor': Slurm is not reachable" <<<"$err" ||
  { echo "FAIL: an unreachable cluster gave exit $rc: $err"; exit 1; }
[ "$(grep -c . <<<"$err")" -eq 1 ] || { echo "FAIL: more than one error line: $err"; exit 1; }
echo "unreachable cluster: $err"
echo "PASS: explore on Slurm"
