#!/usr/bin/env bash
# System checks of one named config: generate it (if needed) into OUT, then run one check.
# Usage: gen_and_check.sh SHARPGEN CONFIG OUT CHECK [args...]
#   CHECK: fresh | regress CASES SEED [--backpressure] [--scenarios] [--streams N] | lint | determinism
#          | flip [verify options] | flip_state [verify options] | params | counts
#          | synth | fpga
#          | scenario NAME H X T (misuse the hardware, see sharpgen verify --scenario)
#          | icarus H X T SEED [verify options] (4-state Icarus run of the same case, ci/icarus.sh)
#          | axi_violation KIND (the AXI protocol checker catches a violation the harness injects)
#          | packaging (the design's IP-XACT component and FuseSoC core, ci/check_packaging.py)
set -euo pipefail
sharpgen="$1"; config="$2"; out="$3"; check="$4"; shift 4
# Extra config overrides come from SHARPGEN_SET ("key=value key=value").
sets=()
for kv in ${SHARPGEN_SET:-}; do sets+=(--set "$kv"); done
gen() { "$sharpgen" generate --config "$config" "${sets[@]}" --out "$1" >/dev/null; }
# A checker self-test: `sharpgen verify ARGS --json` must exit non-zero; its JSON goes to $res.
verify_must_fail() {
  set +e
  res=$("$sharpgen" verify --design "$out" "$@" --json)
  local rc=$?
  set -e
  [ $rc -ne 0 ] || { echo "FAIL: verify passed with $*"; exit 1; }
}
if [ "$check" = fresh ]; then rm -rf "$out"; fi
[ -f "$out/manifest.json" ] || gen "$out"
case "$check" in
  fresh) echo "generated $out" ;;
  regress)
    cases="$1"; seed="$2"; shift 2
    "$sharpgen" regress --design "$out" --cases "$cases" --seed "$seed" "$@" ;;
  scenario)
    # The hardware must refuse the misuse (ERROR/STATUS as documented), never hang, and the
    # legal run must stay bit-exact with the cycle model exact.
    name="$1"; shift
    "$sharpgen" verify --design "$out" --hidden "$1" --input "$2" --steps "$3" --seed 11 --scenario "$name" ;;
  icarus)
    SHARPGEN="$sharpgen" bash "$(dirname "$0")/../../ci/icarus.sh" "$out" "$@" ;;
  lint)
    # Every generated design lints clean with -Wall (waivers are in the sources, each explained),
    # and so does its AXI shell where it has one.
    top=sharp_top
    grep -q '"shell": "axi"' "$out/config.json" && top=sharp_axi_top
    cd "$out" && verilator --lint-only -Wall --top-module "$top" -f filelist.f && echo "lint clean: $out ($top)" ;;
  packaging)
    # The packaging of the design's top: IP-XACT (well-formed; against the 2014 schema where one
    # is installed, else structure) and the FuseSoC core (YAML; its files exist in filelist.f's order).
    python3 "$(dirname "$0")/../../ci/check_packaging.py" "$out" ;;
  axi_violation)
    # The harness breaks the AXI protocol once (KIND); the same case without it passes, with it
    # the checker must report a violation and verify must fail.
    kind="$1"
    "$sharpgen" verify --design "$out" --hidden 37 --input 13 --steps 3 --seed 5 --shell axi --valid-prob 0.5 \
      --ready-prob 0.5 >/dev/null
    verify_must_fail --hidden 37 --input 13 --steps 3 --seed 5 --shell axi --valid-prob 0.5 --ready-prob 0.5 \
      --inject-violation "$kind"
    python3 - "$res" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["protocol_violations"] >= 1 and r["bit_exact"] and not r["passed"], r
print(f"caught: {r['protocol_problems']}")
PY
    ;;
  determinism)
    # Generating twice (into another directory) gives byte-identical files.
    other=$(mktemp -d); trap 'rm -rf "$other"' EXIT
    gen "$other/a"; gen "$other/b"
    diff -r "$other/a" "$other/b"
    for f in $(cd "$other/a" && find . -type f | sort); do cmp "$other/a/$f" "$out/$f"; done
    echo "byte-identical: $(cd "$other/a" && find . -type f | wc -l) files" ;;
  flip_state)
    # The initial state must reach the RTL: one bit of stream 0's h_{-1} flipped in the state
    # stream only (the golden model keeps the true state) has to make the verify run fail. Extra
    # arguments go to both runs; the run without the flip must pass.
    "$sharpgen" verify --design "$out" --hidden 5 --input 3 --steps 2 --seed 3 --init "$@" >/dev/null
    set +e
    res=$("$sharpgen" verify --design "$out" --hidden 5 --input 3 --steps 2 --seed 3 --init "$@" --flip-state 2:4 --json)
    rc=$?
    set -e
    echo "$res" | grep -q '"mismatches": 0' && { echo "FAIL: the flipped state bit changed no output"; echo "$res"; exit 1; }
    [ $rc -ne 0 ] || { echo "FAIL: verify passed with a flipped initial-state bit"; exit 1; }
    echo "the flipped initial-state bit was caught (exit $rc)" ;;
  flip)
    # The comparator must catch one flipped output bit: the verify run has to fail. Extra
    # arguments (e.g. --streams 3) go to both runs; the bit is in virtual step 1 (with streams,
    # step 0 of stream 1).
    "$sharpgen" verify --design "$out" --hidden 5 --input 3 --steps 2 --seed 3 "$@" >/dev/null
    set +e
    res=$("$sharpgen" verify --design "$out" --hidden 5 --input 3 --steps 2 --seed 3 "$@" --flip 1:2:0 --json)
    rc=$?
    set -e
    echo "$res" | grep -q '"mismatches": 1' || { echo "FAIL: expected exactly one mismatch"; echo "$res"; exit 1; }
    [ $rc -ne 0 ] || { echo "FAIL: verify passed with a flipped bit"; exit 1; }
    echo "the flipped bit was caught (exit $rc)" ;;
  params)
    # Every design-parameter register (P_*) reads the plan's value, and the check can fail.
    res=$("$sharpgen" verify --design "$out" --hidden 3 --input 2 --steps 1 --json)
    python3 - "$res" "$out/manifest.json" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); m = json.load(open(sys.argv[2]))
params = [x for x in m["registers"] if x["name"].startswith("P_")]
assert params, "no P_* registers in the manifest"
assert r["param_registers_checked"] == len(params), (r["param_registers_checked"], len(params))
assert r["param_problems"] == "" and r["passed"], r
print(f"{len(params)} design-parameter registers read, each equal to the plan")
PY
    for reg in $(python3 -c "import json,sys; print(' '.join(x['name'] for x in json.load(open(sys.argv[1]))['registers'] if x['name'].startswith('P_')))" "$out/manifest.json"); do
      verify_must_fail --hidden 3 --input 2 --steps 1 --flip-param "$reg"
      echo "$res" | grep -q "\"param_problems\": \"$reg reads" || { echo "FAIL: no problem reported for $reg"; echo "$res"; exit 1; }
    done
    echo "a one-bit corruption of each P_* register was caught" ;;
  counts)
    # The reads and writes of every SRAM macro (load and run) equal the access model, and the
    # check fails, naming the macro, when one measured count is off by one (--flip-count).
    res=$("$sharpgen" verify --design "$out" --hidden 37 --input 13 --steps 3 --width 8 --json)
    python3 - "$res" "$out/manifest.json" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); m = json.load(open(sys.argv[2]))
mems = m["memories"]
assert mems, "no memories in the manifest"
assert r["macros_checked"] == len(mems), (r["macros_checked"], len(mems))
assert r["access_problems"] == "" and r["passed"], r
acc = r["counters"]["accesses"]
assert sorted(acc) == sorted(x["path"] for x in mems), "the simulator's macros are not the manifest's"
ev = r["counters"]["events"]
assert len(ev) == 6 and all(v > 0 for v in ev) and r["events_checked"] == 6, (ev, r["events_checked"])
used = sum(1 for v in acc.values() if any(v))
print(f"{len(mems)} macros ({used} accessed), 4 counts each, equal to the access model")
PY
    for mac in $(python3 -c "import json,sys; print(' '.join(x['path'] for x in json.load(open(sys.argv[1]))['memories']))" "$out/manifest.json"); do
      verify_must_fail --hidden 37 --input 13 --steps 3 --width 8 --flip-count "$mac"
      python3 - "$res" "$mac" <<'PY' || { echo "FAIL: no problem reported for $mac"; echo "$res"; exit 1; }
import json, sys
r = json.loads(sys.argv[1]); mac = sys.argv[2]
n = r["counters"]["accesses"][mac][2]
want = f"{mac}: run reads predicted {n}, measured {n + 1}"
assert r["access_problems"] == want and not r["passed"], (r["access_problems"], want)
PY
    done
    # The datapath and stream events (activation groups, cell updates, stream beats) likewise.
    for ev in act_groups cell_updates w_beats b_beats x_beats out_beats; do
      verify_must_fail --hidden 37 --input 13 --steps 3 --width 8 --flip-count "$ev"
      echo "$res" | grep -q "\"access_problems\": \"$ev predicted" || { echo "FAIL: no problem reported for $ev"; echo "$res"; exit 1; }
    done
    echo "one extra run read of each macro and one extra of each event was caught, naming it" ;;
  fpga)
    # FPGA resources: every multiplier of the array maps to one DSP48E1, memories to RAM cells.
    "$sharpgen" synth --design "$out" --fpga xilinx --json > "$out/fpga.json"
    python3 - "$out/fpga.json" "$out/manifest.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); m = json.load(open(sys.argv[2]))
macs = m["config"]["macs"]
arr = r["blocks"].get("array", {})
print(f"LUT {r['luts']} FF {r['ffs']} DSP {r['dsps']} (array {arr.get('DSP', 0)}) BRAM36 {r['bram36_equivalent']}")
assert arr.get("DSP", 0) == macs, f"array DSPs {arr.get('DSP', 0)} != {macs} multipliers"
assert r["dsps"] >= macs and r["luts"] > 0 and r["ffs"] > 0
# tiny's macros are 4 KB (8 to 128 words deep): Yosys may map them to LUT RAM instead of block RAM.
assert r["bram36_equivalent"] > 0 or r["lutram_cells"] > 0, "memories should map to block RAM or LUT RAM"
PY
    ;;
  synth)
    "$sharpgen" synth --design "$out" --json > "$out/synth.json"
    python3 - "$out/synth.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["check_problems"] == 0, r.get("check_messages")
assert r["total_area_um2"] > 0 and r["logic_cells"] > 0
print("synth ok: %.0f um2, %d cells, check clean" % (r["total_area_um2"], r["logic_cells"]))
PY
    ;;
  *) echo "unknown check $check" >&2; exit 2 ;;
esac
