#!/usr/bin/env bash
# `sharpgen generate --target-area A` picks a design whose estimated area fits in A while the next
# larger budget does not. A is set between the estimates of the 32- and 64-MAC candidates
# (measured first with `sharpgen synth`), so the choice must be 32 MACs.
# Usage: check_target_area.sh SHARPGEN WORKDIR
set -euo pipefail
sharpgen="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
base=(--set max_hidden=8 max_input=8 name=areacheck)
# The 32-MAC candidate exactly as --target-area builds it (widths 2..8).
"$sharpgen" generate "${base[@]}" --set macs=32 k_max=8 k_min=2 --out "$work/m32" >/dev/null
"$sharpgen" synth --design "$work/m32" --json > "$work/m32.json"
target=$(python3 -c 'import json,sys; print("%.6f" % (json.load(open(sys.argv[1]))["total_area_um2"] * 1e-6 * 1.005))' "$work/m32.json")
echo "target area: $target mm^2 (0.5 % above the 32-MAC estimate)"
"$sharpgen" generate "${base[@]}" --target-area "$target" --out "$work/chosen"
python3 - "$work/chosen" "$target" <<'PY'
import json, sys, os
d, target = sys.argv[1], float(sys.argv[2])
r = json.load(open(os.path.join(d, "target_area.json")))
m = json.load(open(os.path.join(d, "manifest.json")))
c = r["chosen"]
assert c["macs"] == 32, f"expected 32 MACs to be chosen, got {c['macs']}"
assert m["config"]["macs"] == c["macs"], "the generated design is not the chosen one"
assert c["total_mm2"] <= target, "the chosen design does not fit"
cands = {x["macs"]: x for x in r["candidates"]}
nxt = cands.get(2 * c["macs"])
assert nxt is not None, "the next larger budget was not estimated"
assert nxt["total_mm2"] > target and not nxt["fits"], "the next larger budget fits too"
for n, x in cands.items():
    assert x["fits"] == (x["total_mm2"] <= target), f"fit flag wrong for {n}"
print(f"chosen {c['macs']} MACs at {c['total_mm2']:.4f} mm^2 <= {target:.4f}; next {nxt['macs']} MACs at {nxt['total_mm2']:.4f} mm^2 does not fit: PASS")
PY
