#!/usr/bin/env bash
# Sharp is the default: `sharpgen generate --out D` with no config gives the same design as
# `--config examples/configs/default.json`, byte for byte, apart from the config's name and
# the command recorded in the banners and the manifest.
# Usage: check_default_config.sh SHARPGEN CONFIG_DIR WORK_DIR
set -euo pipefail
sharpgen="$1"; cfgs="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
"$sharpgen" generate --out "$work/builtin" >/dev/null
"$sharpgen" generate --config "$cfgs/default.json" --out "$work/file" >/dev/null
# The only allowed differences: the "Command:" banner line and the name in sharp_top's first line.
norm() { sed -e '/^\/\/ Command: /d' -e "s/config 'custom'/config 'NAME'/; s/config 'default'/config 'NAME'/" "$1"; }
n=0; bad=0
for f in $(cd "$work/file" && find rtl sharp_design.h filelist.f -type f | sort); do
  n=$((n + 1))
  [ -f "$work/builtin/$f" ] || { echo "FAIL: $f missing from the built-in design"; bad=1; continue; }
  if ! diff <(norm "$work/builtin/$f") <(norm "$work/file/$f") >"$work/diff.txt"; then
    echo "FAIL: $f differs:"; head -20 "$work/diff.txt"; bad=1
  fi
done
extra=$(cd "$work/builtin" && find rtl -type f | sort | comm -23 - <(cd "$work/file" && find rtl -type f | sort))
[ -z "$extra" ] || { echo "FAIL: only in the built-in design: $extra"; bad=1; }
[ "$bad" = 0 ] || exit 1
echo "default config: $n files identical apart from name and command"
