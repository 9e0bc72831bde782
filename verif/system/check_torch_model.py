#!/usr/bin/env python3
"""A trained-model round trip: a 2-layer bidirectional torch.nn.LSTM (or GRU, or RNN) is exported
with examples/torch/export_lstm.py and run through a design with `sharpgen run`.
Checks: every layer and direction bit-exact between RTL and the golden fixed-point model (the
run's report), and the golden double model's outputs equal PyTorch's float64 outputs within
1e-5. Prints the RTL's (quantized) distance from PyTorch for information.
Exit 77 (CTest: skipped) when python3-torch is not installed.
Usage: check_torch_model.py SHARPGEN DESIGN_DIR WORK_DIR [KEY=VALUE ...] [--sharpgen-run-option ...]
  KEY: layers (2), bidirectional (1), input (10), hidden (16), sequences (2), steps (5), init (0; 1:
  random initial states h0 (and c0 for the lstm) given to torch and to `sharpgen run --h0/--c0`),
  cell (lstm, gru, rnn_tanh or rnn_relu); options
  starting with -- go to `sharpgen run` (e.g. --wavefront on)."""
import json
import os
import subprocess
import sys

try:
    import torch
except ImportError:
    print("SKIPPED: python3-torch is not installed (ci/setup.sh installs it)")
    sys.exit(77)
import numpy as np

sharpgen, design, work = sys.argv[1:4]
params = {"layers": 2, "bidirectional": 1, "input": 10, "hidden": 16, "sequences": 2, "steps": 5, "init": 0}
run_opts = []  # from the first argument starting with "--" on
cell = "lstm"
for a in sys.argv[4:]:
    key = a.split("=")[0]
    if run_opts or a.startswith("--"):
        run_opts.append(a)
    elif key == "cell" and a.split("=")[1] in ("lstm", "gru", "rnn_tanh", "rnn_relu"):
        cell = a.split("=")[1]
    elif "=" in a and key in params:
        params[key] = int(a.split("=")[1])
    else:
        sys.exit(f"check_torch_model.py: unknown argument '{a}' (KEY=VALUE with KEY in {sorted(params)}, or --option)")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "torch"))
from export_lstm import export_lstm  # noqa: E402

os.makedirs(work, exist_ok=True)
torch.manual_seed(7)
X, H, L, N, T = params["input"], params["hidden"], params["layers"], params["sequences"], params["steps"]
D = 2 if params["bidirectional"] else 1
if cell == "lstm":
    lstm = torch.nn.LSTM(input_size=X, hidden_size=H, num_layers=L, bidirectional=D == 2)
elif cell == "gru":
    lstm = torch.nn.GRU(input_size=X, hidden_size=H, num_layers=L, bidirectional=D == 2)
else:
    lstm = torch.nn.RNN(input_size=X, hidden_size=H, num_layers=L, bidirectional=D == 2,
                        nonlinearity=cell[len("rnn_"):])
model_dir = os.path.join(work, "model")
export_lstm(lstm, model_dir)
x = (torch.rand(N, T, X) * 2 - 1).float()
np.save(os.path.join(work, "inputs.npy"), x.numpy())
state_opts = []
state = None
if params["init"]:
    h0 = (torch.rand(L * D, N, H) * 2 - 1).double()
    c0 = (torch.rand(L * D, N, H) * 4 - 2).double()
    np.save(os.path.join(work, "h0.npy"), h0.numpy())
    state_opts = ["--h0", os.path.join(work, "h0.npy")]
    state = h0
    if cell == "lstm":
        np.save(os.path.join(work, "c0.npy"), c0.numpy())
        state_opts += ["--c0", os.path.join(work, "c0.npy")]
        state = (h0, c0)
with torch.no_grad():
    ref, _ = lstm.double()(x.double().transpose(0, 1), state)  # (T, N, 2H)
ref = ref.transpose(0, 1).numpy()

out_dir = os.path.join(work, "out")
res = subprocess.run([sharpgen, "run", "--design", design, "--model", model_dir, "--inputs",
                      os.path.join(work, "inputs.npy"), "--out", out_dir, "--json"] + state_opts + run_opts,
                     capture_output=True, text=True)
print(res.stderr[-2000:])
if res.returncode != 0:
    print(res.stdout[-4000:])
    print(f"FAIL: sharpgen run exited {res.returncode}")
    sys.exit(1)
report = json.loads(res.stdout)
runs = report["layer_runs"]
for r in runs:
    print(f"layer {r['layer']} {r['direction']:7s} H={r['hidden']} X={r['input']} T={r['steps']} K={r['width']}: "
          f"{'bit-exact' if r['bit_exact'] else 'MISMATCH'} ({r['cycles']} cycles, model {r['predicted_cycles']})")
# One report per layer and direction; on a design with streams, one per run of a layer (its
# sequences and both directions as streams of one run).
streamed = any(r.get("streams", 1) > 1 for r in runs)
ok = report["bit_exact"] and all(r["bit_exact"] for r in runs) and (
    len(runs) == D * L if not streamed else
    sorted({r["layer"] + k for r in runs for k in range(r.get("layers", 1))}) == list(range(L)))
codes = np.load(os.path.join(out_dir, "output_codes.npy"))
gcodes = np.load(os.path.join(out_dir, "output_golden_codes.npy"))
if codes.shape != gcodes.shape or (codes != gcodes).any():
    print("FAIL: the RTL's output codes differ from the golden fixed-point model's")
    ok = False
gold = np.load(os.path.join(out_dir, "output_golden_double.npy"))
rtl = np.load(os.path.join(out_dir, "output_rtl.npy"))
if gold.shape != ref.shape or rtl.shape != ref.shape:
    print(f"FAIL: output shapes {gold.shape} / {rtl.shape}, PyTorch {ref.shape}")
    sys.exit(1)
d_gold = float(np.abs(gold - ref).max())
d_rtl = float(np.abs(rtl - ref).max())
print(f"max |golden double - torch| = {d_gold:.3e} (limit 1e-5); max |RTL ({report['format']}) - torch| = {d_rtl:.3e}")
if d_gold > 1e-5:
    print(f"FAIL: the golden double model disagrees with torch ({cell})")
    ok = False
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
