#!/usr/bin/env python3
"""Whole models in one simulator process (`sharpgen run`'s program path), with numpy only.
A random 3-layer LSTM (and a 2-layer bidirectional one) in the model directory format runs on a
design with 2 weight slots, in two regimes:
  - bandwidth-bound: weights stream from DRAM at a low rate (--dram-gbps), so each load takes
    far longer than a run; the next layer loads while one runs;
  - compute-bound: loads at the streams' full rate, a batch of sequences per layer.
Checks, for each: every run bit-exact with the golden model, the end-to-end cycles equal to the
program model (and every request and completion cycle, every CYCLES counter, every macro's reads
and writes: `program.cycle_model_exact`, `program.access_problems`), the end-to-end cycles at
most 1.05 x max(sum of compute, sum of loads) and below their sum (the overlap is real).
Then the checker's self-tests: one flipped output bit, and one extra count on one macro, must
each make the run fail.
Also `generate --fit-models`: a design sized for both models (max_hidden, max_input, and a weight
slot for every layer and direction of the larger one) runs the bidirectional model exactly, and
--fit-models refuses a conflicting --set and a directory without model.json.
Usage: check_program.py SHARPGEN DESIGN_DIR WORK_DIR CONFIG (CONFIG: the fitted design's base)"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

sharpgen, design, work, config = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(11)


def write_model(d, x, h, layers, bidirectional):
    os.makedirs(d, exist_ok=True)
    dirs = 2 if bidirectional else 1
    tensors = {}
    k = 1.0 / np.sqrt(h)
    for l in range(layers):
        xin = x if l == 0 else h * dirs
        for sfx in ["", "_reverse"][:dirs]:
            for name, shape in [("weight_ih", (4 * h, xin)), ("weight_hh", (4 * h, h)), ("bias_ih", (4 * h,)),
                                ("bias_hh", (4 * h,))]:
                key = f"{name}_l{l}{sfx}"
                np.save(os.path.join(d, key + ".npy"), rng.uniform(-k, k, shape).astype(np.float32))
                tensors[key] = key + ".npy"
    with open(os.path.join(d, "model.json"), "w") as f:
        json.dump({"format": "sharpgen-lstm", "version": 1, "input_size": x, "hidden_size": h,
                   "num_layers": layers, "bidirectional": bidirectional, "bias": True, "tensors": tensors}, f)


def run(name, model, n, t, x, extra, expect_ok=True):
    inputs = os.path.join(work, name + "_inputs.npy")
    np.save(inputs, rng.uniform(-1, 1, (n, t, x)).astype(np.float32))
    out = os.path.join(work, name)
    cmd = [sharpgen, "run", "--design", design, "--model", model, "--inputs", inputs, "--out", out] + extra
    res = subprocess.run(cmd, capture_output=True, text=True)
    print("$ " + " ".join(cmd))
    print(res.stderr[-1500:])
    if not expect_ok:
        return res
    if res.returncode != 0:
        print(f"FAIL: {name}: sharpgen run exited {res.returncode}")
        sys.exit(1)
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


ok = True
m3 = os.path.join(work, "model3")
write_model(m3, 20, 32, 3, False)
m2b = os.path.join(work, "model2b")
write_model(m2b, 10, 16, 2, True)
cases = [("bandwidth_bound", m3, 2, 6, 20, ["--dram-gbps", "0.3", "--clock-mhz", "500"]),
         ("compute_bound", m3, 8, 6, 20, []),
         ("bidirectional_compute_bound", m2b, 8, 5, 10, [])]
for name, model, n, t, x, extra in cases:
    r = run(name, model, n, t, x, extra)
    g = r["program"]
    ratio = g["end_to_end_over_bound"]
    line = (f"{name}: end to end {g['end_to_end_cycles']} cycles, model {g['predicted_end_to_end_cycles']}; "
            f"compute {g['compute_cycles']}, loads {g['load_cycles']}: {ratio:.3f} x max(compute, loads)")
    print(line)
    checks = [(r["bit_exact"], "every run bit-exact"),
              (g["cycle_model_exact"], "the program model exact (end to end, every span and CYCLES counter)"),
              (g["access_problems"] == "" and g["macros_checked"] > 0, "every macro's reads and writes as predicted"),
              (g["events_checked"] == 6, "the 6 datapath and stream events compared"),
              (ratio <= 1.05, "end to end <= 1.05 x max(compute, loads)"),
              (g["end_to_end_cycles"] < g["compute_cycles"] + g["load_cycles"], "loads overlap runs")]
    for good, what in checks:
        if not good:
            print(f"FAIL: {name}: {what}")
            ok = False

# generate --fit-models: a design sized for both models, every layer and direction resident.
fit_dir = os.path.join(work, "fitted")
shutil.rmtree(fit_dir, ignore_errors=True)
res = subprocess.run([sharpgen, "generate", "--config", config, "--fit-models", m3, m2b, "--out", fit_dir],
                     capture_output=True, text=True)
print(res.stdout + res.stderr)
if res.returncode != 0:
    print("FAIL: generate --fit-models exited", res.returncode)
    sys.exit(1)
cfg = json.load(open(os.path.join(fit_dir, "manifest.json")))["config"]
want = {"max_hidden": 32, "max_input": 32, "weight_slots": 4}
got = {k: cfg[k] for k in want}
if got != want:
    print(f"FAIL: --fit-models gave {got}, expected {want}")
    ok = False
for bad_args, needle in [(["--set", "max_hidden=64"], "field '--set'"),
                         ([], "not a model directory")]:
    extra = bad_args + ["--fit-models", m3 if bad_args else work]
    res = subprocess.run([sharpgen, "generate", "--config", config, "--out", os.path.join(work, "bad_fit")] + extra,
                         capture_output=True, text=True)
    if res.returncode == 0 or needle not in res.stderr:
        print(f"FAIL: generate {' '.join(extra)}: expected an error naming {needle!r}, got: {res.stderr}")
        ok = False
res = subprocess.run([sharpgen, "run", "--design", fit_dir, "--model", m2b, "--inputs",
                      os.path.join(work, "bidirectional_compute_bound_inputs.npy"), "--out",
                      os.path.join(work, "fitted_run"), "--json"], capture_output=True, text=True)
if res.returncode != 0:
    print(res.stderr[-1500:])
    print("FAIL: the bidirectional model on the fitted design")
    ok = False
else:
    g = json.loads(res.stdout)["program"]
    print(f"fitted design (4 slots): the bidirectional model end to end {g['end_to_end_cycles']} cycles, model "
          f"{g['predicted_end_to_end_cycles']}, exact = {g['cycle_model_exact']}")
    ok = ok and g["cycle_model_exact"] and g["access_problems"] == ""

# The checkers must fail on one corrupted bit and on one extra access.
res = run("flip", m3, 1, 4, 20, ["--flip", "1:3:0"], expect_ok=False)
if res.returncode == 0 or "MISMATCH" not in res.stderr:
    print("FAIL: a flipped output bit was not caught")
    ok = False
macro = "u_core.u_weight_mem.gen_bank[0].u_bank.gen_macro[0].u_macro"
res = run("flip_count", m3, 1, 4, 20, ["--flip-count", macro], expect_ok=False)
if res.returncode == 0 or "accesses:" not in res.stderr:
    print("FAIL: an extra access count was not caught")
    ok = False
res = run("flip_event", m3, 1, 4, 20, ["--flip-count", "x_beats"], expect_ok=False)
if res.returncode == 0 or "x_beats predicted" not in res.stderr:
    print("FAIL: an extra x beat was not caught")
    ok = False
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
