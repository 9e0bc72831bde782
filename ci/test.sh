#!/usr/bin/env bash
# The whole test suite: configure, build, run every CTest test (cheap levels first).
# Usage: ci/test.sh [BUILD_DIR]      (the README's second command)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
# Unit level first; the system and synth levels after (they use the generated designs).
ctest --output-on-failure -j "$(nproc)" -L unit
ctest --output-on-failure -j "$(nproc)" -LE unit
