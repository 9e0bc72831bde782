#!/usr/bin/env bash
# Switching activity (docs/ACTIVITY.md): generate the tiny config, measure activity for random
# data and for all-zero data at H = X = 32, T = 4, and check the JSON: every schema field, cycles
# > 0, memory reads > 0, the clock toggling exactly twice per cycle, and a clearly lower toggle
# rate with zeros than with random data (in sharp_mult and over the whole design).
# Usage: check_activity.sh SHARPGEN [DIR]
#   DIR: where the design is generated (kept, so its coverage simulator is reused next time);
#        default: a temporary directory, removed at the end.
# The coverage simulator of the tiny design takes minutes to build (see docs/ACTIVITY.md).
set -euo pipefail
sharpgen="$1"
here="$(cd "$(dirname "$0")" && pwd)"
config="$here/../../examples/configs/tiny.json"
if [ $# -ge 2 ]; then
  dir="$2"
else
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  dir="$tmp/tiny"
fi
python=$(command -v /usr/bin/python3 || command -v python3)

if [ ! -f "$dir/manifest.json" ]; then
  rm -rf "$dir"
  "$sharpgen" generate --config "$config" --out "$dir" >/dev/null
fi
"$sharpgen" activity --design "$dir" --hidden 32 --input 32 --steps 4 --seed 7 --out "$dir/activity_random.json" --verbose
"$sharpgen" activity --design "$dir" --hidden 32 --input 32 --steps 4 --zero --out "$dir/activity_zero.json" --verbose

"$python" - "$dir/activity_random.json" "$dir/activity_zero.json" "$dir/manifest.json" <<'PY'
import json, math, re, sys

rnd, zero, manifest = (json.load(open(p)) for p in sys.argv[1:4])
failures = []

def check(ok, what):
    if not ok:
        failures.append(what)

def number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

bit_name = re.compile(r"^[A-Za-z_][\w$]*(\[\d+\])*(\.[A-Za-z_][\w$]*(\[\d+\])*)*$")

def check_schema(j, label, data):
    check(set(j) == {"design", "shape", "data", "cycles", "modules", "memories"},
          f"{label}: top-level keys are {sorted(j)}")
    check(j.get("design") == manifest["config"]["name"], f"{label}: design is {j.get('design')!r}")
    s = j.get("shape", {})
    check(set(s) == {"hidden", "input", "steps", "width"}, f"{label}: shape keys {sorted(s)}")
    check((s.get("hidden"), s.get("input"), s.get("steps")) == (32, 32, 4), f"{label}: shape {s}")
    check(isinstance(s.get("width"), int) and s.get("width", 0) > 0, f"{label}: width {s.get('width')}")
    check(j.get("data") == data, f"{label}: data is {j.get('data')!r}, expected {data!r}")
    check(isinstance(j.get("cycles"), int) and j["cycles"] > 0, f"{label}: cycles {j.get('cycles')}")
    mods = j.get("modules", {})
    check(isinstance(mods, dict) and len(mods) > 0, f"{label}: no modules")
    for name, m in mods.items():
        check("__" not in name, f"{label}: module {name} is not a base name")
        check(set(m) == {"instances", "mean_toggle_rate", "bits"}, f"{label}: {name} keys {sorted(m)}")
        check(isinstance(m.get("instances"), int) and m["instances"] > 0, f"{label}: {name} instances")
        check(number(m.get("mean_toggle_rate")) and m["mean_toggle_rate"] >= 0, f"{label}: {name} mean_toggle_rate")
        bits = m.get("bits", {})
        check(isinstance(bits, dict) and len(bits) > 0, f"{label}: {name} has no bits")
        bad = [k for k, v in bits.items() if not bit_name.match(k) or not number(v) or v < 0]
        check(not bad, f"{label}: {name} bad bit entries {bad[:5]}")
    check("sharp_mult" in mods, f"{label}: no sharp_mult")
    mems = j.get("memories", {})
    for name in manifest["memory_modules"]:
        m = mems.get(name)
        check(m is not None, f"{label}: memory module {name} missing")
        if m is None:
            continue
        check(set(m) == {"reads_per_cycle", "writes_per_cycle", "bits_per_access"}, f"{label}: {name} keys {sorted(m)}")
        check(all(number(m.get(k)) for k in m), f"{label}: {name} values {m}")
        check(m.get("reads_per_cycle", 0) > 0, f"{label}: {name} reads_per_cycle {m.get('reads_per_cycle')}")
        check(m.get("writes_per_cycle", 0) > 0, f"{label}: {name} writes_per_cycle {m.get('writes_per_cycle')}")
        check(m.get("bits_per_access", 0) > 0, f"{label}: {name} bits_per_access {m.get('bits_per_access')}")
    # The clock toggles exactly twice per counted cycle: the counts and `cycles` agree.
    clk = mods.get("sharp_mult", {}).get("bits", {}).get("clk_i")
    if clk is not None:
        check(abs(clk - 2.0) < 1e-9, f"{label}: sharp_mult clk_i toggles {clk} per cycle, expected 2")

def overall(j):
    # Mean over every bit of every instance: mean_toggle_rate is weighted that way per module,
    # so weight each module by its instance bits (instances x bits is exact for one
    # parameterization per base name and close otherwise).
    t = n = 0.0
    for m in j["modules"].values():
        w = m["instances"] * len(m["bits"])
        t += m["mean_toggle_rate"] * w
        n += w
    return t / n

check_schema(rnd, "random", "random seed 7")
check_schema(zero, "zeros", "all zeros")
if not failures:
    r, z = rnd["modules"]["sharp_mult"]["mean_toggle_rate"], zero["modules"]["sharp_mult"]["mean_toggle_rate"]
    ro, zo = overall(rnd), overall(zero)
    print(f"sharp_mult mean toggle rate: random {r:.4f}, zeros {z:.4f}")
    print(f"whole design (instance-bit weighted): random {ro:.4f}, zeros {zo:.4f}")
    for name in manifest["memory_modules"]:
        print(f"{name}: random {rnd['memories'][name]}, zeros {zero['memories'][name]}")
    check(z < 0.5 * r, f"sharp_mult: zeros {z:.4f} is not clearly below random {r:.4f}")
    check(zo < 0.5 * ro, f"whole design: zeros {zo:.4f} is not clearly below random {ro:.4f}")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"activity checks passed ({rnd['cycles']} cycles, {len(rnd['modules'])} modules)")
PY
