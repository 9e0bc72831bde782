#!/usr/bin/env python3
"""The planner's width must be the fastest by RTL measurement: for each shape, run the RTL at
every width the design supports (`sharpgen verify --width K --json`, bit-exact required) and
compare the measured minimum with `sharpgen plan --json` (ties go to the wider width).
Usage: check_planner.py SHARPGEN DESIGN_DIR"""
import json
import subprocess
import sys

sharpgen, design = sys.argv[1], sys.argv[2]
shapes = [(37, 13, 3), (64, 64, 2), (5, 60, 4), (100, 40, 2), (17, 3, 5), (1, 1, 2)]
manifest = json.load(open(f"{design}/manifest.json"))
kmin, kmax = manifest["config"]["k_min"], manifest["config"]["k_max"]
mh, mx = manifest["config"]["max_hidden"], manifest["config"]["max_input"]
widths = []
k = kmin
while k <= kmax:
    widths.append(k)
    k *= 2
failed = 0
for h, x, t in shapes:
    h, x = min(h, mh), min(x, mx)
    measured = {}
    for w in widths:
        out = subprocess.run([sharpgen, "verify", "--design", design, "--hidden", str(h), "--input", str(x),
                              "--steps", str(t), "--width", str(w), "--json"], capture_output=True, text=True)
        r = json.loads(out.stdout)
        if not r["bit_exact"]:
            print(f"FAIL: H={h} X={x} T={t} K={w} not bit-exact")
            failed += 1
        measured[w] = r["cycles"]
    plan = json.loads(subprocess.run([sharpgen, "plan", "--design", design, "--hidden", str(h), "--input", str(x),
                                      "--steps", str(t), "--json"], capture_output=True, text=True, check=True).stdout)
    best = min(measured.values())
    fastest = max(w for w, c in measured.items() if c == best)
    ok = plan["width"] == fastest
    print(f"H={h:3d} X={x:3d} T={t}: RTL cycles by width {measured} -> fastest {fastest}; planner {plan['width']}"
          f" {'ok' if ok else 'WRONG'}")
    failed += not ok
sys.exit(1 if failed else 0)
