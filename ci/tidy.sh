#!/usr/bin/env bash
# clang-tidy's readability-function-size (at most 200 lines per function) over the C++ of
# generator/, synth/ and verif/, from the build's compile_commands.json.
# Usage: ci/tidy.sh [BUILD_DIR]     (default: build; configure it first)
# Exit status: 0 clean, 1 a function is too long (clang-tidy's message names it), 77 no clang-tidy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
command -v clang-tidy >/dev/null 2>&1 || { echo "tidy: clang-tidy not found (Debian: clang-tidy)" >&2; exit 77; }
[ -f "$build/compile_commands.json" ] || { echo "tidy: $build/compile_commands.json not found (configure with cmake first)" >&2; exit 2; }
cd "$root"
mapfile -t files < <(find generator synth verif -name '*.cpp' -not -path 'verif/fuzz/*' | sort)
checks='-*,readability-function-size'
config='{CheckOptions: [{key: readability-function-size.LineThreshold, value: 200}]}'
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Two at a time (the machine's cores); only the project's own headers count.
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --checks="$checks" \
  --config="$config" --header-filter="$root/(generator|synth|verif)/.*" --warnings-as-errors='*' >"$log" 2>&1 || true
if grep -q "readability-function-size" "$log"; then
  grep -A2 "readability-function-size" "$log" | grep -v '^--$' >&2
  echo "tidy: $(grep -c 'warning\|error' "$log" | head -1) finding(s); functions must stay within 200 lines" >&2
  exit 1
fi
if grep -qE "error:" "$log"; then cat "$log" >&2; echo "tidy: clang-tidy failed" >&2; exit 1; fi
echo "tidy: ${#files[@]} files, every function within 200 lines"
