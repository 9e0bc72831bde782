#!/usr/bin/env bash
# The whole test suite: configure, build, run every CTest test (cheap levels first), then the
# C++ code again under AddressSanitizer + UndefinedBehaviorSanitizer (ci/sanitize.sh, in
# BUILD_DIR-asan; SHARP_NO_SANITIZE=1 skips it).
# Usage: ci/test.sh [BUILD_DIR]      (the README's second command)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${1:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)"
(
  cd "$build"
  # Unit level first; the system and synth levels after (they use the generated designs).
  ctest --output-on-failure -j "$(nproc)" -L unit
  ctest --output-on-failure -j "$(nproc)" -LE unit
)
if [ "${SHARP_NO_SANITIZE:-0}" != 1 ]; then
  bash "$root/ci/sanitize.sh" "${build%/}-asan"
fi
