#!/usr/bin/env bash
# The digits example in one command: build sharpgen if needed, generate the 64-MAC design
# (examples/configs/tiny.json), train the LSTM classifier on scikit-learn's digits, run the
# held-out set through the RTL in Verilator, and print the three accuracies.
# Usage: examples/digits/run.sh [OUT_DIR [--cell KIND] [--onnx] [--compare-paths]]   (default: out/digits;
#        needs ci/setup.sh's packages; --cell gru|rnn_tanh|rnn_relu trains that cell instead, on a design
#        with that kind; --onnx goes through torch.onnx.export and import_onnx.py; --compare-paths also
#        times the RTL run in one process against one process per sequence)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/out/digits}"
sharpgen="${SHARPGEN:-$root/build/sharpgen}"
if [ ! -x "$sharpgen" ]; then
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build" -j "$(nproc)"
fi
mkdir -p "$out"
# Generated every time (a fraction of a second, the same bytes for the same version; the
# simulator is rebuilt only when they change), so a design from an older sharpgen is replaced.
cells=lstm prev=
for a in "${@:2}"; do [ "$prev" = --cell ] && cells="$a"; prev="$a"; done
"$sharpgen" generate --config "$root/examples/configs/tiny.json" --set "cells=$cells" --out "$out/design"
exec /usr/bin/python3 "$root/examples/digits/digits.py" "$sharpgen" "$out/design" "$out" "${@:2}"
