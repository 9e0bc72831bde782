#!/usr/bin/env python3
"""Checks a bench.json written by `sharpgen bench`.
Usage: check_bench.py BENCH_JSON [--max-over-bound R] [--require-rtl N] [--require-torch] [--require-energy]
Fails when unfolded is slower than a baseline anywhere, exceeds R x the dependency bound, the
planner's width of a layer is not the fastest of the row's exhaustive width sweep, or
fewer than N rows were RTL-simulated (RTL rows were already checked against the cycle model
by the bench itself, which stops on any disagreement). With --require-torch, also when the
torch.nn.LSTM comparison is missing or skipped, a model of the rows has no positive CPU latency
(or GPU latency, where a GPU was used), or the thread count, torch version or method is absent.
With --require-energy (a bench run with --estimate), also when a budget's critical path does not
give its fmax, or its timing lacks the boundary passes, the endpoint or a cut lower bound no
longer than the critical path; when a row has no energy estimate,
an energy or a pJ/MAC component is negative, a logic component (multipliers + adder trees,
accumulators, activation + cell update, control) has none or they do not add up to the logic's,
a busy fraction is outside (0, 1] (control: 1), the components do not add up to the total, the
SRAM dynamic energy is zero (every run reads its weights), or GOP/s/W disagrees with the energy.
Every row must also have memory figures: weights resident (at least the row's cycles) and
streamed from LPDDR4 and HBM2 (the same compute cycles as the row, at least the resident cycles
and the loads, "bandwidth" exactly when the loads take longer than the compute).
No speed is asserted."""
import json
import sys

path = sys.argv[1]
args = sys.argv[2:]
max_ratio = float(args[args.index("--max-over-bound") + 1]) if "--max-over-bound" in args else 1.05
need_rtl = int(args[args.index("--require-rtl") + 1]) if "--require-rtl" in args else 0
need_torch = "--require-torch" in args
need_energy = "--require-energy" in args
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
# The memory figures of every row: weights resident and streamed (program model).
mem_checked = 0
for row in rows:
    name = f"{row['model']} @ {row['budget']}"
    m = row.get("memory")
    if not m:
        bad.append(f"{name}: no memory figures")
        continue
    res = m["resident"]
    if m["weights_mb"] <= 0 or m["weights_mm2"] <= 0 or res["cycles"] < row["unfolded"]["cycles"]:
        bad.append(f"{name}: resident figures out of range ({m['weights_mb']} MB, {res['cycles']} cycles)")
    if res["bound"] not in ("compute", "recurrence"):
        bad.append(f"{name}: resident bound {res['bound']}")
    for kind, v in m["streamed"].items():
        mem_checked += 1
        if v["compute_cycles"] != row["unfolded"]["cycles"]:
            bad.append(f"{name} {kind}: compute cycles {v['compute_cycles']} != the row's {row['unfolded']['cycles']}")
        if v["cycles"] < res["cycles"] or v["cycles"] < v["load_cycles"]:
            bad.append(f"{name} {kind}: streamed {v['cycles']} cycles below the resident {res['cycles']} or the loads")
        want = "bandwidth" if v["load_cycles"] > v["compute_cycles"] else res["bound"]
        if v["bound"] != want or v["load_limit"] not in ("DRAM", "weight stream"):
            bad.append(f"{name} {kind}: bound {v['bound']} ({v['load_limit']}), expected {want}")
    if set(m["streamed"]) != {"LPDDR4", "HBM2"}:
        bad.append(f"{name}: streamed kinds {sorted(m['streamed'])}, expected HBM2 and LPDDR4")
print(f"{len(rows)} rows, worst unfolded/bound {r['worst_over_bound']:.3f}, "
      f"geomean speedup {r['geomean_speedup_vs_sequential']:.3f}x vs sequential, {rtl} RTL-simulated schedule rows, "
      f"planner = fastest of the width sweep for {swept} layers, memory figures of {mem_checked} streamed rows")
if need_energy:
    # Each budget's timing: the critical path behind fmax, and how it was found.
    for budget, est in sorted(r.get("estimates", {}).items()):
        cp = est.get("critical_path_ns", 0)
        if not cp > 0 or abs(est.get("fmax_mhz", 0) * cp - 1000) > 1e-6 * 1000:
            bad.append(f"estimate {budget}: critical_path_ns {cp} does not match fmax_mhz {est.get('fmax_mhz')}")
        if est.get("timing_method") in ("opensta-flat", "opensta-boundary"):
            if not est.get("boundary_passes", 0) >= 1 or not est.get("timing_endpoint"):
                bad.append(f"estimate {budget}: no boundary passes or endpoint reported")
            if not 0 < est.get("cut_critical_path_ns", 0) <= cp + 1e-9:
                bad.append(f"estimate {budget}: the cut lower bound {est.get('cut_critical_path_ns')} exceeds {cp}")
    for row in rows:
        name = f"{row['model']} @ {row['budget']}"
        e = row.get("estimate")
        if not e or "pj_per_mac" not in e:
            bad.append(f"{name}: no energy estimate")
            continue
        p = e["pj_per_mac"]
        comps = ("mult_adder", "accumulators", "act_cell", "control", "weight_sram", "other_sram", "dram",
                 "logic_leakage", "sram_leakage")
        parts = [p[k] for k in comps]
        logic = [p[k] for k in comps[:4]]
        if abs(sum(logic) - p["logic_dynamic"]) > 1e-9 * max(1.0, p["logic_dynamic"]):
            bad.append(f"{name}: logic components add up to {sum(logic)}, logic_dynamic says {p['logic_dynamic']}")
        if min(logic) <= 0:
            bad.append(f"{name}: a logic component has no energy ({p})")
        busy = e.get("busy_fraction", {})
        if sorted(busy) != sorted(comps[:4]) or not all(0 < v <= 1 for v in busy.values()) or busy["control"] != 1:
            bad.append(f"{name}: busy fractions {busy} (every logic component, in (0, 1], control 1)")
        if min(parts) < 0 or e["energy_uj"] <= 0:
            bad.append(f"{name}: negative or zero energy ({p}, {e['energy_uj']} uJ)")
        if abs(sum(parts) - p["total"]) > 1e-9 * max(1.0, p["total"]):
            bad.append(f"{name}: pJ/MAC components add up to {sum(parts)}, total says {p['total']}")
        if p["weight_sram"] <= 0 or p["other_sram"] <= 0:
            bad.append(f"{name}: no SRAM dynamic energy ({p})")
        ops = 2 * row["useful_macs"]
        if abs(e["gops_per_w"] - ops / (e["energy_uj"] * 1e-6) / 1e9) > 1e-6 * e["gops_per_w"]:
            bad.append(f"{name}: GOP/s/W {e['gops_per_w']} disagrees with {ops} ops in {e['energy_uj']} uJ")
    print(f"energy: {len(rows)} rows with a pJ/MAC breakdown")
if need_torch:
    t = r.get("torch", {})
    if "skipped" in t or "models" not in t:
        bad.append(f"torch.nn.LSTM comparison missing or skipped: {t.get('skipped', 'no torch section')}")
    else:
        if not (isinstance(t.get("threads"), int) and t["threads"] >= 1):
            bad.append(f"torch: thread count {t.get('threads')!r} is not a positive integer")
        for key in ("torch_version", "method", "repeats", "warmup"):
            if key not in t:
                bad.append(f"torch: no '{key}'")
        timed = {m["name"]: m for m in t["models"]}
        gpu = t.get("gpu", {}).get("available", False)
        if not gpu and not t.get("gpu", {}).get("skipped"):
            bad.append("torch: no GPU and no reason why it was skipped")
        for name in sorted({row["model"] for row in rows}):
            m = timed.get(name)
            if m is None:
                bad.append(f"torch: {name} not timed")
                continue
            for dev in ("cpu", "gpu") if gpu else ("cpu",):
                d = m.get(dev, {})
                if not (d.get("median_us", 0) > 0 and len(d.get("runs_us", [])) == t.get("repeats")):
                    bad.append(f"torch: {name} on {dev}: no positive median of {t.get('repeats')} runs ({d})")
        print(f"torch {t.get('torch_version')}: {len(timed)} models timed on {t.get('threads')} CPU thread(s), "
              f"GPU {'used' if gpu else 'skipped'}")
if rtl < need_rtl:
    bad.append(f"only {rtl} RTL-simulated rows, expected at least {need_rtl}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
