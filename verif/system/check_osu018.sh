#!/usr/bin/env bash
# Cross-check of the shipped sharp_generic45.lib against a real library, OSU 0.18 um
# osu018_stdcells.lib (Debian qflow-tech-osu018, installed by synth/lib/fetch_osu018.sh).
# The same 16-MAC design is synthesized with both (area and OpenSTA timing) and:
#   - both runs are clean: check_problems 0, no unmapped cells, the same flip-flop count;
#   - the logic area in NAND2-equivalents agrees within a factor 1.15 over the whole design
#     (measured: OSU/default = 1.008), within a factor 1.10 for the combinational cells other
#     than buffers (measured 1.001), and within a factor 1.5 for every module of at least
#     1000 NAND2-eq (measured: 0.88 to 1.05). This checks that the default library's cell areas
#     relative to its NAND2 are sane. Why these factors: synth/lib/README.md, "Cross-check";
#   - the OpenSTA critical path under OSU018 is at least 2x the default one (0.18 um is slower:
#     an FO4 inverter takes ~0.10 ns in OSU018 against 0.032 ns in sharp_generic45, 3.1x);
#   - under both, the per-module analysis with boundary arrivals is within [flat - 1 ps, 1.10 flat].
# Usage: check_osu018.sh SHARPGEN WORKDIR LIBFILE
set -euo pipefail
sharpgen="$1"; work="$2"; osulib="$3"
if [ ! -s "$osulib" ]; then
  echo "check_osu018: liberty file '$osulib' not found (install it with synth/lib/fetch_osu018.sh)" >&2
  exit 1
fi
rm -rf "$work"; mkdir -p "$work"
"$sharpgen" generate --set macs=16 k_max=4 k_min=2 max_hidden=8 max_input=8 name=osucheck --out "$work/def" >/dev/null
# One copy of the design per library: each keeps its own work directory (<design>/synth), so
# neither run can reuse the other's results.
cp -r "$work/def" "$work/osu"
"$sharpgen" synth --design "$work/def" --timing --json > "$work/def.json"
"$sharpgen" synth --design "$work/osu" --timing --json --liberty "$osulib" > "$work/osu.json"
python3 - "$work/def.json" "$work/osu.json" <<'PY'
import collections, json, re, sys
d = json.load(open(sys.argv[1])); o = json.load(open(sys.argv[2]))

def cell_classes(path):
    """Cell -> (area, class) from a Liberty file: 'ff' (has an ff/latch group), 'buf' (one input,
    function = that input), else 'logic'. Enough for the two libraries compared here."""
    text = open(path).read()
    heads = list(re.finditer(r'\bcell\s*\(\s*"?([\w$]+)"?\s*\)\s*\{', text))
    cells = {}
    for i, h in enumerate(heads):
        body = text[h.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        a = re.search(r'\barea\s*:\s*([0-9.eE+-]+)', body)
        assert a, f"{path}: cell {h.group(1)} has no area"
        ins = re.findall(r'pin\s*\(\s*"?(\w+)"?\s*\)\s*\{\s*direction\s*:\s*input', body)
        fn = re.findall(r'function\s*:\s*"\(?\s*(\w+)\s*\)?"', body)
        if re.search(r'\b(ff|latch)\s*\(', body):
            cls = "ff"
        elif len(ins) == 1 and fn and fn[0] == ins[0]:
            cls = "buf"
        else:
            cls = "logic"
        cells[h.group(1)] = (float(a.group(1)), cls)
    return cells

def breakdown(r, lib):
    """NAND2-eq per class over the whole design (cells x instances)."""
    cells = cell_classes(lib)
    eq = collections.Counter()
    for m in r["modules"]:
        for t, n in m["cell_types"].items():
            if t in cells:
                eq[cells[t][1]] += n * m["instances"] * cells[t][0] / r["nand2_area_um2"]
    total = r["logic_area_um2"] / r["nand2_area_um2"]
    assert abs(sum(eq.values()) - total) <= 1e-3 * total, \
        f"{r['liberty_name']}: the cell breakdown ({sum(eq.values()):.1f}) does not add up to the logic area ({total:.1f} NAND2-eq)"
    return eq

assert d["liberty_name"] == "sharp_generic45", d["liberty_name"]
assert o["liberty_name"] == "osu018_stdcells", o["liberty_name"]
for tag, r in (("default", d), ("osu018", o)):
    assert not r["yosys"]["reused"], f"{tag}: results were reused from an earlier run"
    assert r["check_problems"] == 0, f"{tag}: check_problems = {r['check_problems']}: {r['check_messages']}"
    bad = [m["module"] for m in r["modules"] if m["unmapped_cells_each"] != 0]
    assert not bad, f"{tag}: unmapped cells in {bad}"
    assert r["nand2_cell"] and r["nand2_area_um2"] > 0, f"{tag}: no NAND2 reference cell"
    assert r["logic_area_um2"] > 0 and r["flip_flops"] > 0
assert d["flip_flops"] == o["flip_flops"], f"flip-flops differ: {d['flip_flops']} vs {o['flip_flops']}"

# Area in NAND2-equivalents (logic only: the memory model scales with the NAND2 area by
# construction, so it would agree whatever the library).
ed = d["logic_area_um2"] / d["nand2_area_um2"]
eo = o["logic_area_um2"] / o["nand2_area_um2"]
ratio = eo / ed
print(f"NAND2: default {d['nand2_cell']} {d['nand2_area_um2']:.3f} um2, osu018 {o['nand2_cell']} {o['nand2_area_um2']:.3f} um2")
print(f"logic area: default {d['logic_area_um2']:.0f} um2 = {ed:.0f} NAND2-eq; "
      f"osu018 {o['logic_area_um2']:.0f} um2 = {eo:.0f} NAND2-eq; ratio osu018/default {ratio:.3f}")
print(f"flip-flops {d['flip_flops']}, logic cells: default {d['logic_cells']}, osu018 {o['logic_cells']}")
TOTAL_FACTOR = 1.15
assert 1 / TOTAL_FACTOR <= ratio <= TOTAL_FACTOR, \
    f"NAND2-eq logic area differs by more than a factor {TOTAL_FACTOR}: osu018/default = {ratio:.3f}"
bd, bo = breakdown(d, d["liberty_path"]), breakdown(o, o["liberty_path"])
for cls, what in (("ff", "flip-flops"), ("buf", "buffers"), ("logic", "other combinational")):
    print(f"  {what:20s} default {bd[cls]:9.0f}  osu018 {bo[cls]:9.0f} NAND2-eq"
          + (f"  ({bo[cls] / bd[cls]:.3f})" if bd[cls] > 0 else ""))
# The combinational cells other than buffers: ABC maps the same logic under both libraries, so
# this is where the relative gate areas are compared most directly (measured 1.001).
LOGIC_FACTOR = 1.10
lr = bo["logic"] / bd["logic"]
assert 1 / LOGIC_FACTOR <= lr <= LOGIC_FACTOR, \
    f"combinational NAND2-eq (buffers excluded) differs by more than a factor {LOGIC_FACTOR}: osu018/default = {lr:.3f}"
dm = {(m["module"], m["params"]): m for m in d["modules"]}
om = {(m["module"], m["params"]): m for m in o["modules"]}
MODULE_FACTOR, MODULE_MIN = 1.5, 1000.0
checked = 0
lo = hi = None
for k, m in sorted(dm.items(), key=lambda kv: -kv[1]["nand2_eq_each"]):
    if m["nand2_eq_each"] < MODULE_MIN:
        continue
    assert k in om, f"module {k[0]}({k[1]}) is missing from the osu018 run"
    r = om[k]["nand2_eq_each"] / m["nand2_eq_each"]
    print(f"  {k[0]:24s} x{m['instances']:<3d} {m['nand2_eq_each']:9.1f} -> {om[k]['nand2_eq_each']:9.1f} NAND2-eq  ({r:.3f})")
    assert 1 / MODULE_FACTOR <= r <= MODULE_FACTOR, \
        f"module {k[0]}({k[1]}): NAND2-eq ratio {r:.3f} outside a factor {MODULE_FACTOR}"
    lo = r if lo is None else min(lo, r)
    hi = r if hi is None else max(hi, r)
    checked += 1
assert checked >= 3, f"only {checked} modules of at least {MODULE_MIN:.0f} NAND2-eq"
print(f"{checked} modules of >= {MODULE_MIN:.0f} NAND2-eq: ratios {lo:.3f} .. {hi:.3f} (allowed factor {MODULE_FACTOR})")

# OpenSTA critical path.
td, to = d["timing_power"], o["timing_power"]
cd, co = td["critical_path_ns"], to["critical_path_ns"]
assert cd > 0 and co > 0, f"no critical path: default {cd}, osu018 {co}"
print(f"critical path: default {cd:.3f} ns ({td['startpoint']} -> {td['endpoint']}), "
      f"osu018 {co:.3f} ns ({to['startpoint']} -> {to['endpoint']}); ratio {co / cd:.1f}")
assert co >= 2 * cd, f"the osu018 critical path ({co:.3f} ns) is not at least 2x the default one ({cd:.3f} ns)"
# The per-module analysis with boundary arrivals, transitions and loads (what designs above the
# flat limit get) against the flat one, under both libraries: never shorter (it may be longer:
# each module's inputs take their worst arrival over its instances). Measured: default equal to
# 0.1 ps, osu018 +3.0 %; the cut figure (every input at 0) is shorter than both.
for tag, t in (("default", td), ("osu018", to)):
    c = t["crosscheck"]
    flat, bnd, cut = c["flat_critical_path_ns"], c["boundary_critical_path_ns"], c["per_module_critical_path_ns"]
    print(f"{tag}: flat {flat:.4f} ns, boundary {bnd:.4f} ns ({c['boundary_passes']} passes), cut {cut:.4f} ns")
    assert t["method"] == "opensta-flat" and c["boundary_converged"], f"{tag}: {t['method']}, converged {c['boundary_converged']}"
    assert flat - 0.001 <= bnd <= 1.10 * flat, f"{tag}: boundary {bnd:.4f} ns outside [flat - 1 ps, 1.10 flat] (flat {flat:.4f})"
    assert cut < bnd, f"{tag}: the cut figure {cut:.4f} is not below the boundary one {bnd:.4f}"
print("osu018 cross-check: PASS")
PY
