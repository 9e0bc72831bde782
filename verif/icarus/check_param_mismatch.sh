#!/usr/bin/env bash
# The derived sizes the plan computes (sharp::Plan) reach the RTL as parameters of sharp_core
# (through the generated sharp_top); sharp_core and its submodules check them at elaboration
# against the primary parameters (`SHARP_CHECK, rtl_templates/sharp_checks.svh). This script
# proves that a wrong value fails elaboration: on a copy of the design it lints the generated
# top as is (must pass), then with each derived parameter of u_core set one too high (must
# fail with that parameter's check message).
# Usage: verif/icarus/check_param_mismatch.sh DESIGN_DIR [PARAM ...]   (default: every one)
# Prints "param-mismatch: PASS ..." or "param-mismatch: FAIL ..." as its last line.
set -euo pipefail
if [ $# -lt 1 ]; then sed -n '2,8p' "$0" >&2; exit 2; fi
design="$1"; shift
[ -f "$design/filelist.f" ] && [ -f "$design/rtl/sharp_top.sv" ] ||
  { echo "param-mismatch: FAIL: $design is not a generated design (no filelist.f / rtl/sharp_top.sv)"; exit 1; }
command -v verilator >/dev/null 2>&1 || { echo "param-mismatch: FAIL: verilator not found"; exit 1; }

# Parameter -> the check message that must refuse a wrong value.
declare -A msg=(
  [TreeBits]="sharp_core: TreeBits must be"
  [RowsMax]="sharp_core: RowsMax must be"
  [SerialMax]="sharp_core: SerialMax must be"
  [CxMax]="sharp_core: CxMax must be"
  [ChMax]="sharp_core: ChMax must be"
  [RbMax]="sharp_core: RbMax must be"
  [WDepth]="sharp_core: WDepth must be"
  [CDepth]="sharp_core: CDepth must be"
  [TreeLatency]="sharp_core: TreeLatency must be"
  [ActLatency]="sharp_activation: Lanes must be positive and Latency 2"
  [CellLatency]="sharp_cell_update: Latency must be 4"
)
params=("$@")
[ ${#params[@]} -gt 0 ] || params=(TreeBits RowsMax SerialMax CxMax ChMax RbMax WDepth CDepth TreeLatency ActLatency CellLatency)

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$design/rtl" "$design/filelist.f" "$work/"
cp "$work/rtl/sharp_top.sv" "$work/top.orig"
lint() {
  (cd "$work" && verilator --lint-only -Wall --top-module sharp_top -f filelist.f) > "$work/lint.log" 2>&1
}

if ! lint; then
  cat "$work/lint.log"; echo "param-mismatch: FAIL: the design as generated does not lint clean"; exit 1
fi
n=0
for p in "${params[@]}"; do
  [ -n "${msg[$p]:-}" ] || { echo "param-mismatch: FAIL: unknown parameter $p"; exit 1; }
  v=$(sed -n "s/^ *\.$p *(\([0-9]*\)),\{0,1\}$/\1/p" "$work/top.orig")
  [ -n "$v" ] || { echo "param-mismatch: FAIL: sharp_top.sv passes no .$p (...) to u_core"; exit 1; }
  bad=$((v + 1))
  sed "s/^\( *\.$p *(\)$v)/\1$bad)/" "$work/top.orig" > "$work/rtl/sharp_top.sv"
  if lint; then
    echo "param-mismatch: FAIL: $p = $bad (plan: $v) was accepted"; exit 1
  fi
  if ! grep -qF "${msg[$p]}" "$work/lint.log"; then
    cat "$work/lint.log"
    echo "param-mismatch: FAIL: $p = $bad was refused, but not with \"${msg[$p]}\""; exit 1
  fi
  echo "param-mismatch: $p = $bad (plan: $v) refused: $(grep -m1 -oF "${msg[$p]}" "$work/lint.log")..."
  n=$((n + 1))
done
echo "param-mismatch: PASS: the generated values lint clean; $n wrong values each refused with their check's message"
