#!/usr/bin/env python3
"""Checks a bench.json written by `sharpgen bench`.
Usage: check_bench.py BENCH_JSON [--max-over-bound R] [--require-rtl N]
Fails when unfolded is slower than a baseline anywhere, exceeds R x the dependency bound, the
planner's width of a layer is not the fastest of the row's exhaustive width sweep, or
fewer than N rows were RTL-simulated (RTL rows were already checked against the cycle model
by the bench itself, which stops on any disagreement)."""
import json
import sys

path = sys.argv[1]
args = sys.argv[2:]
max_ratio = float(args[args.index("--max-over-bound") + 1]) if "--max-over-bound" in args else 1.05
need_rtl = int(args[args.index("--require-rtl") + 1]) if "--require-rtl" in args else 0
r = json.load(open(path))
rows = r["rows"]
bad = []
rtl = 0
swept = 0
for row in rows:
    u = row["unfolded"]
    if u["over_bound"] > max_ratio:
        bad.append(f"{row['model']} @ {row['budget']}: unfolded/bound = {u['over_bound']:.3f}")
    for base in ("intergate", "sequential"):
        if u["cycles"] > row[base]["cycles"]:
            bad.append(f"{row['model']} @ {row['budget']}: unfolded slower than {base}")
    rtl += sum(row[s]["source"] == "rtl" for s in ("unfolded", "intergate", "sequential"))
    # The planner's width of every layer is the fastest of the exhaustive sweep (ties: wider).
    for layer, (chosen, sweep) in enumerate(zip(row["widths"], row["width_sweep"])):
        best = min(sweep.values())
        fastest = max(int(w) for w, c in sweep.items() if c == best)
        swept += 1
        if chosen != fastest:
            bad.append(f"{row['model']} @ {row['budget']} layer {layer}: planner chose width {chosen}, "
                       f"the sweep's fastest is {fastest} ({sweep})")
print(f"{len(rows)} rows, worst unfolded/bound {r['worst_over_bound']:.3f}, "
      f"geomean speedup {r['geomean_speedup_vs_sequential']:.3f}x vs sequential, {rtl} RTL-simulated schedule rows, "
      f"planner = fastest of the width sweep for {swept} layers")
if rtl < need_rtl:
    bad.append(f"only {rtl} RTL-simulated rows, expected at least {need_rtl}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
