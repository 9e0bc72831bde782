#!/usr/bin/env bash
# 4-state cross-check of one case: `sharpgen verify` (Verilator, bit-exact against the golden
# model) writes stim.bin and out.bin; the same stimulus then runs in Icarus Verilog through
# verif/icarus/tb_sharp.sv (X/Z checks on control outputs, STATUS and counters), and the Icarus
# outputs must equal out.bin bit for bit and the counters must equal Verilator's.
# Usage: ci/icarus.sh DESIGN_DIR H X T SEED [extra sharpgen verify options, e.g. --width 8]
#   DESIGN_DIR is generated from examples/configs/tiny.json when it does not exist yet.
# Environment: SHARPGEN (default: build/sharpgen), ICARUS_PLUSARGS (extra testbench plusargs,
#   default "+strict_data": X or Z on o_h_o/o_c_o is an error even while o_valid_o is low).
#   Prints "icarus: PASS ..." or "icarus: FAIL ..." as its last line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -lt 5 ]; then sed -n '6,10p' "$0" >&2; exit 2; fi
design="$1"; H="$2"; X="$3"; T="$4"; seed="$5"; shift 5
sharpgen="${SHARPGEN:-$root/build/sharpgen}"
n=1  # streams: the run directory of `sharpgen verify` names them
prev=""
for arg in "$@"; do
  [ "$prev" = "--streams" ] && n="$arg"
  # --shell axi: the AXI shell, through verif/icarus/tb_sharp_axi.sv
  [ "$prev" = "--shell" ] && [ "$arg" = axi ] && export SHARP_TB=axi
  prev="$arg"
done
case_name="H${H}_X${X}_T${T}_n${n}_s${seed}"
fail() { echo "icarus: FAIL $case_name: $*"; exit 1; }

[ -x "$sharpgen" ] || fail "no sharpgen executable at $sharpgen (build it, or set SHARPGEN)"
if [ ! -e "$design" ]; then
  echo "icarus: generating $design from examples/configs/tiny.json"
  "$sharpgen" generate --config "$root/examples/configs/tiny.json" --out "$design" >/dev/null
fi
[ -f "$design/manifest.json" ] || fail "$design has no manifest.json"
t0=$(date +%s.%N)

# 1. Verilator + golden model: writes runs/<case>/stim.bin and out.bin.
run="$design/runs/$case_name"
rm -f "$run/stim.bin" "$run/out.bin"
set +e
vjson=$("$sharpgen" verify --design "$design" --hidden "$H" --input "$X" --steps "$T" --seed "$seed" --json "$@" 2>&1)
vrc=$?
set -e
if [ $vrc -ne 0 ] || ! grep -q '"bit_exact": true' <<<"$vjson"; then
  echo "$vjson"
  fail "sharpgen verify (Verilator) did not pass (exit $vrc)"
fi
[ -f "$run/stim.bin" ] && [ -f "$run/out.bin" ] || fail "sharpgen verify left no $run/stim.bin / out.bin"
t1=$(date +%s.%N)

# 2. Icarus on the same stimulus.
work="$design/icarus/$case_name"
# shellcheck disable=SC2086
if ! "$root/verif/icarus/run_icarus.sh" "$design" "$run/stim.bin" "$work/out.bin" "$work" ${ICARUS_PLUSARGS:-+strict_data}; then
  fail "Icarus run failed (see above; logs in $work)"
fi
t2=$(date +%s.%N)

# 3. Bit-for-bit comparison of the outputs.
vbytes=$(stat -c %s "$run/out.bin"); ibytes=$(stat -c %s "$work/out.bin")
if ! cmp -s "$run/out.bin" "$work/out.bin"; then
  echo "icarus: outputs differ (Verilator $vbytes bytes, Icarus $ibytes bytes); first differing int32 words:"
  lanes=$(sed -n 's/^constexpr int kLanes *= *\([0-9]*\);.*/\1/p' "$design/sharp_design.h")
  { cmp -l "$run/out.bin" "$work/out.bin" 2>/dev/null || true; } | awk '{print int(($1-1)/4)}' | uniq | head -5 |
    while read -r w; do
      v=$(od -An -t d4 -j $((w*4)) -N 4 "$run/out.bin" | tr -d ' '); i=$(od -An -t d4 -j $((w*4)) -N 4 "$work/out.bin" | tr -d ' ')
      beat=$((w / (2*lanes))); pos=$((w % (2*lanes)))
      if [ "$pos" -lt "$lanes" ]; then what="h lane $pos"; else what="c lane $((pos-lanes))"; fi
      echo "  word $w (output beat $beat, $what): Verilator ${v:-<none>}, Icarus ${i:-<none>}"
    done || true
  [ "$vbytes" = "$ibytes" ] || echo "  (lengths differ: Verilator $((vbytes/4)) words, Icarus $((ibytes/4)) words)"
  fail "Icarus outputs differ from Verilator's out.bin"
fi

# 4. Counters: every counter Verilator's harness reported must be equal in Icarus. With random
#    stream gaps in Icarus (+valid_pct / +ready_pct) the timing differs; then only the counters
#    that do not depend on it are compared.
ctr=$(grep '^TB: COUNTERS' "$work/sim.log" | sed 's/^TB: COUNTERS //')
if grep -Eq '\+(valid|ready)_pct=' <<<"${ICARUS_PLUSARGS:-}"; then
  ctr=$(tr ' ' '\n' <<<"$ctr" | grep -E '^(status|out_beats|x_beats|active|macs)=' | tr '\n' ' ')
fi
# The scalar counters of verify's JSON (its "counters" object also holds nested access counts).
vctr=$(python3 -c 'import json, sys
for k, v in json.load(sys.stdin)["counters"].items():
    if isinstance(v, (int, float)) and not isinstance(v, bool): print(f"{k}={v}")' <<<"$vjson")
checked=0; diffs=""
for kv in $ctr; do
  k="${kv%%=*}"; v="${kv#*=}"
  # load_cycles and run_cycles are the testbenches' own bookkeeping (they count the register
  # writes around a run differently), not hardware counters.
  case "$k" in load_cycles|run_cycles) continue ;; esac
  vv=$(grep -m1 "^$k=" <<<"$vctr" | cut -d= -f2 || true)
  [ -n "$vv" ] || continue
  checked=$((checked+1))
  [ "$vv" = "$v" ] || diffs="$diffs $k(verilator=$vv,icarus=$v)"
done
[ -z "$diffs" ] || fail "counters differ:$diffs"
[ "$checked" -gt 0 ] || fail "no counters to compare: Icarus printed '$ctr', verify's counters were '$vctr'"

warn=$(sed -n 's/.*; \([0-9]*\) data-port X warnings.*/\1/p' "$work/sim.log")
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo "icarus: PASS $case_name: $vbytes output bytes bit-identical to Verilator's out.bin, $checked counters equal," \
     "no X/Z on control outputs, STATUS or counters (${warn:-0} cycles with X on o_h_o/o_c_o while o_valid_o low);" \
     "verify $(secs "$t0" "$t1") s, icarus $(secs "$t1" "$t2") s"
