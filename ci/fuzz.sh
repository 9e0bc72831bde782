#!/usr/bin/env bash
# Fuzz the config and model-file readers (verif/fuzz/fuzz_config.cpp: JSON documents, key=value
# overrides and config files through generator/config; model.json indexes and .npy files through
# verif/model/model_file, compiled in directly with AddressSanitizer and
# UndefinedBehaviorSanitizer). Uses libFuzzer (clang -fsanitize=fuzzer) when it is available,
# otherwise the seeded random-mutation driver verif/fuzz/fuzz_main.cpp (g++ or clang++).
# Seeds: examples/configs/*.json and verif/fuzz/corpus/; dictionary verif/fuzz/config.dict.
#
# Usage: ci/fuzz.sh [RUNS] [--keep-going]        (RUNS: inputs to run, default 100000)
#   --keep-going  do not stop at the first crash: libFuzzer -fork=1 -ignore_crashes=1, or the
#                 driver's -keep_going; every crash input is kept
# Environment:
#   FUZZ_ENGINE  auto (default) | libfuzzer | driver
#   FUZZ_BUILD   build and work directory (default: build-fuzz)
#   FUZZ_SEED    random seed (default 1)
#   FUZZ_CXX     compiler for the driver (default: g++, else clang++)
# Exit status: 0 no crash, 1 crash (inputs saved in FUZZ_BUILD/artifacts), 2 build error,
# 77 no usable compiler. The last line says engine, inputs run, crashes and time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=100000
keep_going=0
for a in "$@"; do
  case "$a" in
    --keep-going) keep_going=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *[!0-9]*|'') echo "fuzz: unknown argument '$a' (usage: ci/fuzz.sh [RUNS] [--keep-going])" >&2; exit 2 ;;
    *) runs="$a" ;;
  esac
done
engine="${FUZZ_ENGINE:-auto}"
build="${FUZZ_BUILD:-$root/build-fuzz}"
seed="${FUZZ_SEED:-1}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"

srcs=("$root/verif/fuzz/fuzz_config.cpp" "$root/generator/config/src/config.cpp" "$root/generator/numerics/src/numerics.cpp"
      "$root/verif/model/src/model_file.cpp" "$root/generator/base/src/base.cpp")
deps=("${srcs[@]}" "$root/verif/fuzz/fuzz_main.cpp" "$root/verif/fuzz/fuzz_config.hpp"
      "$root/generator/config/include/sharp/config.hpp" "$root/generator/numerics/include/sharp/numerics.hpp"
      "$root/generator/base/include/sharp/error.hpp" "$root/verif/model/include/sharp/model_file.hpp" "$0")
common=(-std=c++17 -g -O1 -fno-omit-frame-pointer -DFMT_HEADER_ONLY
        -I"$root/generator/config/include" -I"$root/generator/numerics/include" -I"$root/verif/model/include"
        -I"$root/generator/base/include" -I"$root/verif/host/include"
        -I"$root/verif/fuzz")
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)

# Can this compiler build a libFuzzer target?
has_libfuzzer() {
  command -v clang++ >/dev/null 2>&1 || return 1
  local t="$build/probe"
  mkdir -p "$t"
  printf '#include <cstdint>\n#include <cstddef>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' > "$t/p.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$t/p.cpp" -o "$t/p" >/dev/null 2>&1
}

if [ "$engine" = auto ]; then
  if has_libfuzzer; then engine=libfuzzer; else engine=driver; fi
fi
case "$engine" in
  libfuzzer)
    has_libfuzzer || { echo "fuzz: SKIP: clang++ with libFuzzer not available (Debian: clang, libclang-rt-14-dev)"; exit 77; }
    cxx=clang++; exe="$build/fuzz_config_libfuzzer"; flags=("${common[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
    objs_srcs=("${srcs[@]}") ;;
  driver)
    cxx="${FUZZ_CXX:-}"
    if [ -z "$cxx" ]; then
      if command -v g++ >/dev/null 2>&1; then cxx=g++; elif command -v clang++ >/dev/null 2>&1; then cxx=clang++; fi
    fi
    [ -n "$cxx" ] || { echo "fuzz: SKIP: no C++ compiler (g++ or clang++)"; exit 77; }
    exe="$build/fuzz_config_driver"; flags=("${common[@]}" "${san[@]}")
    objs_srcs=("${srcs[@]}" "$root/verif/fuzz/fuzz_main.cpp") ;;
  *) echo "fuzz: FUZZ_ENGINE must be auto, libfuzzer or driver (got '$engine')" >&2; exit 2 ;;
esac

# Build (again only when a source is newer than the executable), one object per source, in
# parallel: the sanitizers make these slow to compile.
stale=0
[ -x "$exe" ] || stale=1
for f in "${deps[@]}"; do [ "$stale" = 1 ] || [ "$f" -nt "$exe" ] && stale=1; done
if [ "$stale" = 1 ]; then
  echo "fuzz: building $exe with $cxx ($engine)"
  tb=$(date +%s)
  objdir="$build/obj-$engine"; mkdir -p "$objdir"
  pids=(); objs=()
  for s in "${objs_srcs[@]}"; do
    o="$objdir/$(basename "$s" .cpp).o"; objs+=("$o")
    "$cxx" "${flags[@]}" -c "$s" -o "$o" > "$o.log" 2>&1 & pids+=($!)
  done
  ok=1
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then ok=0; cat "${objs[$i]}.log" >&2; fi
  done
  [ "$ok" = 1 ] || { echo "fuzz: FAIL: build error"; exit 2; }
  "$cxx" "${flags[@]}" "${objs[@]}" -o "$exe" || { echo "fuzz: FAIL: link error"; exit 2; }
  echo "fuzz: built in $(( $(date +%s) - tb )) s"
fi

# Run. A fresh work corpus each time (libFuzzer adds the inputs it finds interesting to the
# first corpus directory; the seed directories are only read).
work="$build/corpus"; art="$build/artifacts"
rm -rf "$work" "$art"; mkdir -p "$work" "$art"
log="$build/fuzz.log"
seeds=("$root/verif/fuzz/corpus" "$root/examples/configs")
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
t0=$(date +%s.%N)
set +e
if [ "$engine" = libfuzzer ]; then
  extra=()
  [ "$keep_going" = 1 ] && extra=(-fork=1 -ignore_crashes=1)
  "$exe" -runs="$runs" -seed="$seed" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$root/verif/fuzz/config.dict" -artifact_prefix="$art/" "${extra[@]}" "$work" "${seeds[@]}" > "$log" 2>&1
else
  extra=(-quiet)
  [ "$keep_going" = 1 ] && extra+=(-keep_going)
  (cd "$art" && "$exe" -runs="$runs" -seed="$seed" -max_len=4096 -dict="$root/verif/fuzz/config.dict" \
    -artifact_prefix="$art/" "${extra[@]}" "${seeds[@]}") > "$log" 2>&1
fi
rc=$?
set -e
t1=$(date +%s.%N)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

# Count what ran.
if [ "$engine" = libfuzzer ]; then
  n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  [ -n "$n" ] || n=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  [ -n "$n" ] || n=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
else
  n=$(sed -n 's/^fuzz_config_driver: \([0-9]*\) inputs.*/\1/p' "$log" | tail -1)
fi
n="${n:-unknown}"
mapfile -t crashes < <(find "$art" -maxdepth 1 -type f -name 'crash-*' | sort)

if [ ${#crashes[@]} -gt 0 ] || { [ $rc -ne 0 ] && [ $rc -ne 77 ]; } || { [ "$engine" = libfuzzer ] && [ $rc -eq 77 ]; }; then
  # Classify: run each saved input once more (at most 40) and group by the first error line,
  # quoted text and numbers blanked out; show one input and the first sharp:: frame per kind.
  echo "fuzz: crash report (full log: $log)"
  declare -A kind_count=() kind_example=() kind_frame=()
  for c in "${crashes[@]:0:40}"; do
    if [ "$engine" = libfuzzer ]; then out=$("$exe" "$c" 2>&1 || true); else out=$("$exe" -runs=0 -quiet "$c" 2>&1 || true); fi
    line=$(grep -m1 -E "what\(\)|runtime error|ERROR: (AddressSanitizer|LeakSanitizer)|fuzz_config: BUG|deadly signal" <<<"$out" || echo "unclassified")
    # the message up to the first quote or colon after the "[json.exception...]" id
    kind=$(sed -e 's/^ *//' -e "s/\(\] [^':]*\)[':].*/\1/" -e 's/[0-9][0-9]*/#/g' <<<"$line")
    kind_count[$kind]=$(( ${kind_count[$kind]:-0} + 1 ))
    if [ -z "${kind_example[$kind]:-}" ]; then
      kind_example[$kind]="$c"
      kind_frame[$kind]=$(grep -m1 -E ' in sharp::' <<<"$out" |
        sed -e 's/^ *#[0-9]* 0x[0-9a-f]* in //' -e 's/(anonymous namespace)/{anon}/g' \
            -e 's/^\([^(]*\)(.*) \(\/[^ ]*\)$/\1() \2/' | cut -c1-200 || true)
    fi
  done
  for k in "${!kind_count[@]}"; do
    c="${kind_example[$k]}"
    echo "  ${kind_count[$k]} x $k"
    [ -z "${kind_frame[$k]}" ] || echo "      at ${kind_frame[$k]}"
    printf '      e.g. %s (%s bytes): %s\n' "$(basename "$c")" "$(stat -c %s "$c")" \
      "$(head -c 160 "$c" | cat -v | awk 'BEGIN { ORS = "\\n" } { print }')"
  done
  [ ${#crashes[@]} -le 40 ] || echo "  (${#crashes[@]} crash inputs; the first 40 classified)"
  echo "  reproduce: $exe $([ "$engine" = driver ] && echo '-runs=0 ')<input>"
  echo "fuzz: FAIL ($engine): $n inputs in $secs s, ${#crashes[@]} crash input(s) in $art"
  exit 1
fi
rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { if (s > 0 && n ~ /^[0-9]+$/) printf "%.0f", n / s; else print "?" }')
echo "fuzz: PASS ($engine): $n inputs in $secs s ($rate/s), 0 crashes"
