#!/usr/bin/env python3
"""sharpgen explore with models given three ways: a suite name, a model directory and an ONNX file.

Builds, with torch, an LSTM model directory (examples/torch/export_lstm.py) and a GRU ONNX file
(torch.onnx.export), both of the suite model odd-small's shape (one layer, H 100, X 40), plus a
two-layer bidirectional GRU as ONNX, and runs one explore over all four with a one-candidate
space. Requires:
- the three odd-small-shaped models take the same cycles per sequence as odd-small itself
  (the cycle model does not depend on the cell kind);
- the two-layer bidirectional GRU takes the cycles of its four layer runs: twice those of a
  one-layer bidirectional GRU of input 40 plus twice those of a one-layer GRU of input 200
  (the second layer's input is both directions' h), each measured by explore on its own;
- the candidates hold both cell kinds (cells lstm,gru), since the models use both;
- the report names energy per inference and power for the synthesized candidate;
- with --weights LPDDR4 the designs hold two weight slots and take at least the resident cycles;
  with --weights onchip they hold the largest model's four layer runs, in more memory;
- an ONNX file the importer refuses gives one error naming the file and the refusal.
Exit 77 (CTest: skipped) without python3-torch or python3-onnx.
Usage: check_explore_models.py SHARPGEN WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import warnings

try:
    import torch
    import onnx  # noqa: F401  (the importer needs it)
except ImportError:
    print("SKIPPED: python3-torch or python3-onnx is not installed (ci/setup.sh installs them)")
    sys.exit(77)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "examples", "torch"))
from export_lstm import export_lstm  # noqa: E402

sharpgen, work = sys.argv[1], os.path.abspath(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
torch.manual_seed(3)


def onnx_file(module, name, x_size):
    path = os.path.join(work, name + ".onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.rand(4, 1, x_size),), path, input_names=["x"], output_names=["y", "hn"],
                          opset_version=14)
    return path


lstm_dir = os.path.join(work, "lstm_dir")
export_lstm(torch.nn.LSTM(40, 100), lstm_dir)
gru = onnx_file(torch.nn.GRU(40, 100), "gru", 40)
gru2bi = onnx_file(torch.nn.GRU(40, 100, num_layers=2, bidirectional=True), "gru2bi", 40)
gru_bi40 = onnx_file(torch.nn.GRU(40, 100, bidirectional=True), "gru_bi40", 40)
gru_200 = onnx_file(torch.nn.GRU(200, 100), "gru_200", 200)
SPACE = ["--target-area", "50", "--macs", "16", "--k-max", "4", "--k-min", "2", "--steps", "8", "--max-synth", "0"]
failures = []


def explore(models, name):
    out = subprocess.run([sharpgen, "explore", "--models", ",".join(models), *SPACE, "--work",
                          os.path.join(work, name)], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        sys.exit(f"FAIL: explore {name} exited {out.returncode}")
    with open(os.path.join(work, name, "report", "explore.json")) as f:
        return json.load(f)


rep = explore(["odd-small", lstm_dir, gru, gru2bi], "all")
cand = rep["candidates"][0]
by_model = cand["cycles_per_sequence_by_model"]
print(f"cycles per sequence: odd-small {by_model[0]}, LSTM directory {by_model[1]}, GRU ONNX {by_model[2]}, "
      f"2-layer bidirectional GRU ONNX {by_model[3]}; cells {cand['cells']}")
if not (by_model[0] == by_model[1] == by_model[2]):
    failures.append(f"the odd-small-shaped models differ in cycles: {by_model[:3]}")
if sum(by_model) != cand["cycles_per_sequence"]:
    failures.append(f"cycles_per_sequence {cand['cycles_per_sequence']} is not the sum {sum(by_model)}")
if cand["cells"] != "lstm,gru":
    failures.append(f"cells {cand['cells']}, expected lstm,gru")
if not cand.get("synthesized") or not cand.get("energy_uj", 0) > 0 or not cand.get("power_mw", 0) > 0:
    failures.append(f"no energy or power for the synthesized candidate: {cand}")

# The stacked bidirectional GRU against its layers, each measured by explore on its own.
bi40 = explore([gru_bi40], "bi40")["candidates"][0]["cycles_per_sequence"]
in200 = explore([gru_200], "in200")["candidates"][0]["cycles_per_sequence"]
print(f"one-layer bidirectional GRU (X 40): {bi40}; one-layer GRU (X 200): {in200}")
if by_model[3] != bi40 + 2 * in200:
    failures.append(f"2-layer bidirectional GRU: {by_model[3]} cycles, expected {bi40} + 2 x {in200}")

# Weights streamed from LPDDR4 (two weight slots, program model): never fewer cycles or less
# energy than resident, and the designs hold two slots.
SPACE_RESIDENT = SPACE
SPACE = SPACE + ["--weights", "LPDDR4"]
streamed = explore([lstm_dir, gru2bi], "streamed")["candidates"][0]
SPACE = SPACE_RESIDENT
print(f"streamed from LPDDR4: {streamed['cycles_per_sequence']} cycles (resident {streamed['resident_cycles_per_sequence']}),"
      f" {streamed.get('energy_uj')} uJ; weight slots {streamed['weight_slots']}")
if streamed["resident_cycles_per_sequence"] != by_model[1] + by_model[3]:
    failures.append(f"streamed run's resident cycles {streamed['resident_cycles_per_sequence']} != "
                    f"{by_model[1]} + {by_model[3]}")
if streamed["cycles_per_sequence"] < streamed["resident_cycles_per_sequence"] or streamed["weight_slots"] != 2:
    failures.append(f"streamed weights: {streamed}")

# All weights on chip: slots for the largest model's four layer runs, the resident cycles.
SPACE = SPACE_RESIDENT + ["--weights", "onchip"]
onchip = explore([lstm_dir, gru2bi], "onchip")["candidates"][0]
SPACE = SPACE_RESIDENT
print(f"onchip: {onchip['cycles_per_sequence']} cycles, weight slots {onchip['weight_slots']}, "
      f"{onchip.get('yosys_memory_mm2')} mm2 of memories (2 slots, streamed: {streamed.get('yosys_memory_mm2')})")
if onchip["weight_slots"] != 4 or onchip["cycles_per_sequence"] != by_model[1] + by_model[3]:
    failures.append(f"onchip: {onchip}")
if not onchip.get("yosys_memory_mm2", 0) > streamed.get("yosys_memory_mm2", 1e9):
    failures.append("onchip: four weight slots take no more memory than two")

# A refused ONNX file: one error line naming the file.
bad = os.path.join(work, "not_recurrent.onnx")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    torch.onnx.export(torch.nn.Linear(4, 3), (torch.rand(2, 4),), bad, input_names=["x"], opset_version=14)
out = subprocess.run([sharpgen, "explore", "--models", bad, *SPACE, "--work", os.path.join(work, "bad")],
                     capture_output=True, text=True)
err = [line for line in out.stderr.splitlines() if line.startswith("error") or "field '--models'" in line]
print(f"refused ONNX file: exit {out.returncode}: {out.stderr.strip().splitlines()[-1] if out.stderr else ''}")
if out.returncode == 0 or len(err) != 1 or bad not in err[0]:
    failures.append(f"a refused ONNX file gave exit {out.returncode}: {out.stderr}")

for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("PASS: explore takes suite names, model directories and ONNX files")
