#!/usr/bin/env bash
# docs/REGISTERS.md must be what `sharpgen registers` prints for the default config today.
# Usage: ci/check_registers_doc.sh SHARPGEN REPO_ROOT WORK_DIR
# To update it: sharpgen registers --config examples/configs/default.json --out docs/REGISTERS.md
set -euo pipefail
sharpgen="$1"; root="$2"; work="$3"
mkdir -p "$work"
cd "$root"
"$sharpgen" registers --config examples/configs/default.json --out "$work/REGISTERS.md" 2>/dev/null
if ! diff -u docs/REGISTERS.md "$work/REGISTERS.md"; then
  echo "docs/REGISTERS.md is out of date; regenerate it from the repository root with:" >&2
  echo "  build/sharpgen registers --config examples/configs/default.json --out docs/REGISTERS.md" >&2
  exit 1
fi
echo "docs/REGISTERS.md is current ($(grep -c '^| 0x' docs/REGISTERS.md) registers)"
