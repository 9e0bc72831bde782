#!/usr/bin/env bash
# clang-tidy's readability-function-size (at most 200 lines per function) over the C++ of
# generator/, synth/ and verif/: every file the build compiles (compile_commands.json), and the
# Verilator harnesses verif/harness/src/sim_main.cpp and axi_main.cpp, which Verilator compiles
# against a design (checked here against tiny's generated headers, with the AXI shell for the
# second).
# Usage: ci/tidy.sh [BUILD_DIR]     (default: build; built first, sharpgen is used)
# Exit status: 0 clean, 1 a function is too long (clang-tidy's message names it), 77 no clang-tidy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
command -v clang-tidy >/dev/null 2>&1 || { echo "tidy: clang-tidy not found (Debian: clang-tidy)" >&2; exit 77; }
[ -f "$build/compile_commands.json" ] || { echo "tidy: $build/compile_commands.json not found (configure with cmake first)" >&2; exit 2; }
cd "$root"
mapfile -t files < <(python3 - "$build/compile_commands.json" "$root" <<'PY'
import json, os, sys
root = sys.argv[2]
for f in sorted({e["file"] for e in json.load(open(sys.argv[1]))}):
    rel = os.path.relpath(f, root)
    if rel.split(os.sep)[0] in ("generator", "synth", "verif") and not rel.startswith("verif/fuzz"):
        print(rel)
PY
)
checks='-*,readability-function-size'
config='{CheckOptions: [{key: readability-function-size.LineThreshold, value: 200}]}'
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/tidy.log"
# Two at a time (the machine's cores); only the project's own headers count.
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --checks="$checks" \
  --config="$config" --header-filter="$root/(generator|synth|verif)/.*" >"$log" 2>&1 || true
# The harnesses: against tiny's sharp_design.h and Verilator's headers of its sharp_top (and of
# sharp_axi_top).
"$build/sharpgen" generate --config examples/configs/tiny.json --out "$work/tiny" >/dev/null
(cd "$work/tiny" && verilator --cc --top-module sharp_top -Wno-fatal -Mdir "$work/obj" -f filelist.f >/dev/null 2>&1)
vinc="$(dirname "$(command -v verilator)")/../share/verilator/include"
clang-tidy --quiet --checks="$checks" --config="$config" verif/harness/src/sim_main.cpp -- -std=c++17 \
  -I"$work/tiny" -I"$work/obj" -I"$vinc" -I"$vinc/vltstd" >>"$log" 2>&1 || true
"$build/sharpgen" generate --config examples/configs/tiny.json --set shell=axi --out "$work/tiny_axi" >/dev/null
(cd "$work/tiny_axi" && verilator --cc --top-module sharp_axi_top -Wno-fatal -Mdir "$work/obj_axi" -f filelist.f \
  >/dev/null 2>&1)
clang-tidy --quiet --checks="$checks" --config="$config" verif/harness/src/axi_main.cpp -- -std=c++17 \
  -I"$work/tiny_axi" -I"$work/obj_axi" -I"$vinc" -I"$vinc/vltstd" >>"$log" 2>&1 || true
n=$((${#files[@]} + 2))
if grep -q "readability-function-size" "$log"; then
  grep -A1 "readability-function-size" "$log" | grep -v '^--$' >&2
  echo "tidy: functions must stay within 200 lines (checked $n files)" >&2
  exit 1
fi
if grep -qE "error:" "$log"; then cat "$log" >&2; echo "tidy: clang-tidy failed" >&2; exit 1; fi
echo "tidy: $n files, every function within 200 lines"
