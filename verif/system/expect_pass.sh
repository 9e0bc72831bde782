#!/usr/bin/env bash
# Runs a command that must succeed: exit code 0 AND the expected text in its output (both are
# required; CTest's PASS_REGULAR_EXPRESSION alone would ignore the exit code).
# Usage: expect_pass.sh "expected text" command [args...]
set -u
want="$1"; shift
out=$(mktemp)
"$@" </dev/null 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
fail=0
if [ "$rc" -ne 0 ]; then echo "expect_pass: FAIL: exit code $rc (command: $*)"; fail=1; fi
if ! grep -qF -- "$want" "$out"; then echo "expect_pass: FAIL: the output does not contain: $want"; fail=1; fi
rm -f "$out"
exit $fail
