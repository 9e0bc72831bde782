#!/usr/bin/env bash
# C and C++ formatting check: every tracked .cpp/.hpp/.h/.c file (but the golden-text files, which are
# generated) must be formatted as .clang-format says.
# Usage: ci/format.sh [--fix]     (--fix rewrites the files in place)
# Exit status: 0 clean, 1 a file needs formatting (the files are listed), 77 clang-format missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
fix=0
case "${1:-}" in
  --fix) fix=1 ;;
  "") ;;
  -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
  *) echo "format: unknown argument '$1' (allowed: --fix)" >&2; exit 2 ;;
esac
command -v clang-format >/dev/null 2>&1 || { echo "format: clang-format not found (Debian: clang-format)" >&2; exit 77; }
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.h' '*.c' | grep -v '^generator/tests/golden/')
else
  mapfile -t files < <(find generator synth verif examples \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) -not -path 'generator/tests/golden/*' | sort)
fi
if [ "$fix" = 1 ]; then
  clang-format -i "${files[@]}"
  echo "format: ${#files[@]} files formatted"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "format: ${#bad[@]} of ${#files[@]} files are not formatted as .clang-format says:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "format: fix with: ci/format.sh --fix" >&2
  exit 1
fi
echo "format: ${#files[@]} files clean"
