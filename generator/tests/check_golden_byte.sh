#!/usr/bin/env bash
# The golden-text tests can fail: for each golden file, a copy with one byte changed must make
# test_generator "[golden-text]" fail and name the file.
# Usage: check_golden_byte.sh TEST_GENERATOR GOLDEN_DIR WORK_DIR
set -euo pipefail
exe="$1"; golden="$2"; work="$3"
n=0
for f in $(cd "$golden" && find . -type f | sort); do
  rm -rf "$work"; mkdir -p "$work"; cp -r "$golden/." "$work/"
  # Change the middle byte to a different one.
  size=$(stat -c %s "$work/$f"); at=$((size / 2))
  old=$(dd if="$work/$f" bs=1 skip="$at" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
  new=$(( old == 65 ? 66 : 65 ))
  printf "$(printf '\\%03o' "$new")" | dd of="$work/$f" bs=1 seek="$at" count=1 conv=notrunc 2>/dev/null
  if out=$(SHARP_GOLDEN_DIR="$work" "$exe" "[golden-text]" 2>&1); then
    echo "FAIL: $f with byte $at changed ($old -> $new) still passed"; exit 1
  fi
  if ! grep -q "differs from" <<<"$out"; then echo "FAIL: no mismatch message for $f:"; echo "$out"; exit 1; fi
  echo "ok: $f with byte $at changed is caught"
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no golden files in $golden"; exit 1; }
echo "golden-text: $n files, each one-byte change caught"
