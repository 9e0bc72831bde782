#!/usr/bin/env bash
# The whole test suite: configure, build, the style checks (ci/format.sh: clang-format; ci/tidy.sh:
# clang-tidy, no function over 200 lines), every CTest test (cheap levels first), then the C++
# code again under AddressSanitizer + UndefinedBehaviorSanitizer (ci/sanitize.sh, in
# BUILD_DIR-asan; SHARP_NO_SANITIZE=1 skips it).
# On CI (CI=true) every tool a test needs must be installed (SHARP_REQUIRE_TOOLS: a missing one
# is a configure error) and no test may be skipped.
# Usage: ci/test.sh [BUILD_DIR]      (the README's second command)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${1:-build}"
require=OFF
[ "${CI:-}" = true ] && require=ON
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHARP_REQUIRE_TOOLS="$require" >/dev/null
cmake --build "$build" -j "$(nproc)"
bash "$root/ci/format.sh"
bash "$root/ci/tidy.sh" "$build"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
(
  cd "$build"
  # Unit level first; the system and synth levels after (they use the generated designs).
  ctest --output-on-failure -j "$(nproc)" -L unit
  ctest --output-on-failure -j "$(nproc)" -LE unit
) 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
if grep -qE '\*\*\*Skipped|Not Run' "$log"; then
  echo "test: some tests were skipped:" >&2
  grep -E '\*\*\*Skipped|Not Run' "$log" >&2
  [ "$require" = ON ] && { echo "test: on CI every test must run" >&2; exit 1; }
fi
if [ "${SHARP_NO_SANITIZE:-0}" != 1 ]; then
  bash "$root/ci/sanitize.sh" "${build%/}-asan"
fi
