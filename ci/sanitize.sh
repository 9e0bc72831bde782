#!/usr/bin/env bash
# The C++ test suite under AddressSanitizer + UndefinedBehaviorSanitizer (g++), in a build
# directory of its own: configure with
#   -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
# build, run the CTest tests labelled `unit` and `golden`, then (unless --no-flow) run the
# instrumented sharpgen itself through generate -> regress (Verilator, bit-exact) on the tiny
# design and the benchmark's cycle model. Any sanitizer report fails the job.
# The Verilator-built simulators are not instrumented (verilator compiles them with its own
# flags); the `system` and `synth` CTest levels are left to ci/test.sh.
# Usage: ci/sanitize.sh [BUILD_DIR] [--no-flow]        (BUILD_DIR default: build-asan)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-asan"
flow=1
for a in "$@"; do
  case "$a" in
    --no-flow) flow=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "sanitize: unknown option '$a'" >&2; exit 2 ;;
    *) build="$a" ;;
  esac
done
mkdir -p "$build"
build="$(cd "$build" && pwd)"   # absolute: the steps below run from inside it
jobs="$(nproc 2>/dev/null || echo 2)"
t0=$(date +%s)

# -Werror off, and -Wmaybe-uninitialized off: under instrumentation gcc 12 reports false
# maybe-uninitialized warnings inside libstdc++'s <regex> (synth/ adds -Werror on its own);
# this job is about run-time findings. The normal build keeps every warning as an error.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHARP_WERROR=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-maybe-uninitialized" >/dev/null
cmake --build "$build" -j "$jobs"
t1=$(date +%s)

# Every sanitizer report is fatal, with a stack; leaks are reported at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# LeakSanitizer cannot run under ptrace (some containers, debuggers): then switch it off, say so.
if ! "$build/sharpgen" --version >/dev/null 2>"$build/lsan_probe.log"; then
  if grep -q "LeakSanitizer has encountered a fatal error\|LeakSanitizer does not work under ptrace" "$build/lsan_probe.log"; then
    echo "sanitize: note: LeakSanitizer cannot run here; leak detection off"
    export ASAN_OPTIONS="${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0}"
  fi
fi

status=0
cd "$build"
ctest --output-on-failure -j "$jobs" -L 'unit|golden' || status=1
t2=$(date +%s)

if [ "$flow" = 1 ]; then
  design="$build/asan_tiny"
  rm -rf "$design"
  echo "sanitize: instrumented sharpgen: generate -> regress on tiny"
  "$build/sharpgen" generate --config "$root/examples/configs/tiny.json" --out "$design" || status=1
  "$build/sharpgen" regress --design "$design" --cases 6 --seed 1 || status=1
  echo "sanitize: instrumented sharpgen: bench (cycle model, whole suite)"
  "$build/sharpgen" bench --rtl-budget-s 0 --out "$build/asan_bench" > "$build/asan_bench.log" || status=1
  tail -n 3 "$build/asan_bench.log"
  echo "sanitize: instrumented sharpgen: numerics"
  "$build/sharpgen" numerics --config "$root/examples/configs/tiny.json" > /dev/null || status=1
fi
t3=$(date +%s)

if [ $status -eq 0 ]; then
  echo "sanitize: PASS: ASan+UBSan clean (build $((t1 - t0)) s, ctest unit+golden $((t2 - t1)) s, sharpgen flow $((t3 - t2)) s)"
else
  echo "sanitize: FAIL: see the sanitizer reports / failing tests above (build dir $build)"
fi
exit $status
