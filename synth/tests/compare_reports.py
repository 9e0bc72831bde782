#!/usr/bin/env python3
"""compare_reports.py: the key figures of two `sharpgen synth --power --json` reports side by side.

Usage: compare_reports.py OLD.json NEW.json [--rtol R]
Prints area, cell counts, critical path and power (totals, per block, per module) of both reports
and exits 1 if any figure differs: text and integers must be equal, numbers within R relative
(default 0: equal). Exit 2 for unreadable input.
"""
import argparse
import json
import sys


def figures(r):
    """Flat dict name -> value of the figures that must not change."""
    f = {}
    for k in ("top", "liberty_name", "nand2_cell", "nand2_area_um2", "total_area_um2", "logic_area_um2",
              "memory_area_um2", "logic_cells", "flip_flops", "check_problems", "abc_delay_ns"):
        f[k] = r.get(k)
    for b, v in sorted(r.get("block_area_um2", {}).items()):
        f["block_area_um2[%s]" % b] = v
    for m in r.get("modules", []):
        key = m.get("yosys_name", m.get("module"))
        f["module[%s].instances" % key] = m.get("instances")
        f["module[%s].cells_each" % key] = m.get("cells_each")
        f["module[%s].area_each_um2" % key] = m.get("area_each_um2")
    t = r.get("timing_power", {})
    for k in ("method", "critical_path_ns", "fmax_mhz", "critical_module", "startpoint", "endpoint",
              "clock_period_ns", "voltage", "dynamic_mw", "leakage_mw", "clock_mw", "memory_dynamic_mw",
              "memory_leakage_mw", "total_mw"):
        f["timing." + k] = t.get(k)
    fb = t.get("fanout_buffers", {})
    f["timing.fanout_buffers.cell"] = fb.get("cell")
    f["timing.fanout_buffers.count"] = fb.get("count")
    for b, v in sorted(t.get("block_power_mw", {}).items()):
        f["timing.block_power_mw[%s]" % b] = v
    for m in t.get("modules", []):
        key = m.get("yosys_name", m.get("module"))
        for k in ("worst_path_ns", "dynamic_mw_each", "leakage_mw_each", "cut_pins"):
            f["timing.module[%s].%s" % (key, k)] = m.get(k)
    cc = t.get("crosscheck", {})
    for k in ("flat_critical_path_ns", "flat_switching_mw", "rollup_uniform_switching_mw"):
        f["timing.crosscheck." + k] = cc.get(k)
    return f


def same(a, b, rtol):
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return abs(a - b) <= rtol * max(abs(a), abs(b))


def shown(v):
    if isinstance(v, float):
        return "%.10g" % v
    s = str(v)
    return s if len(s) <= 44 else s[:41] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rtol", type=float, default=0.0)
    a = ap.parse_args()
    try:
        old, new = (json.load(open(p)) for p in (a.old, a.new))
    except (OSError, ValueError) as e:
        print("compare_reports: %s" % e, file=sys.stderr)
        return 2
    fo, fn = figures(old), figures(new)
    keys = list(fo) + [k for k in fn if k not in fo]
    width = min(70, max(len(k) for k in keys))
    print("%-*s  %-46s %-46s %s" % (width, "figure", a.old[-46:], a.new[-46:], "same"))
    diffs = 0
    for k in keys:
        vo, vn = fo.get(k), fn.get(k)
        ok = same(vo, vn, a.rtol)
        diffs += not ok
        name = k if len(k) <= width else k[:width - 3] + "..."
        print("%-*s  %-46s %-46s %s" % (width, name, shown(vo), shown(vn), "yes" if ok else "NO"))
    print("compare_reports: %d figures, %d differ (rtol %g)" % (len(keys), diffs, a.rtol))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
