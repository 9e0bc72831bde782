#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the main job on a
# config (default: examples/configs/default.json): generate -> verify bit-exact in
# Verilator -> Yosys estimate -> summary table.
# Usage: ci/run_main.sh [CONFIG] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-examples/configs/default.json}"
out="${2:-out/$(basename "$config" .json)}"
bash ci/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
./build/sharpgen flow --config "$config" --out "$out"
