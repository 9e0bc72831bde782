#!/usr/bin/env bash
# Runs a command that must fail: non-zero exit, no crash, and exactly one error line on
# stderr that contains the expected text (the field and what is allowed).
# Usage: expect_error.sh "expected text" command [args...]
set -u
want="$1"; shift
err=$(mktemp); out=$(mktemp)
"$@" >"$out" 2>"$err" </dev/null
rc=$?
lines=$(grep -c . "$err" || true)
echo "command: $*"; echo "exit: $rc"; echo "stderr:"; cat "$err"
fail=0
if [ "$rc" -eq 0 ]; then echo "FAIL: exit code 0, expected an error"; fail=1; fi
if [ "$rc" -ge 3 ]; then echo "FAIL: exit code $rc looks like a crash or internal error"; fail=1; fi
if [ "$lines" -ne 1 ]; then echo "FAIL: expected exactly one error line, got $lines"; fail=1; fi
if ! grep -qF -- "$want" "$err"; then echo "FAIL: stderr does not contain: $want"; fail=1; fi
rm -f "$err" "$out"
[ $fail -eq 0 ] && echo "ok"
exit $fail
