#!/usr/bin/env python3
"""Cross-check the golden double-precision models against torch.nn.LSTM, GRU and RNN.

Builds random torch.nn.LSTM models (stacked, odd sizes), runs them in float64 in PyTorch and
through `sharpgen golden`, and requires every h and c to agree within 1e-5; then the same for
torch.nn.GRU and torch.nn.RNN (tanh and relu), comparing every layer's h; then every kind from a
random initial state (h0, and c0 for the LSTM).
Exit 77 (CTest: skipped) when python3-torch is not installed.
Usage: torch_crosscheck.py SHARPGEN WORKDIR
"""
import json
import os
import subprocess
import sys

try:
    import torch
except ImportError:
    print("SKIPPED: python3-torch is not installed (ci/setup.sh installs it)")
    sys.exit(77)

sharpgen, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
torch.manual_seed(1234)
worst_all = 0.0
cases = [(1, 1, 1, 1), (13, 37, 2, 5), (40, 100, 1, 4), (8, 3, 3, 6), (64, 64, 2, 3)]
for X, H, layers, T in cases:
    lstm = torch.nn.LSTM(input_size=X, hidden_size=H, num_layers=layers).double()
    x = torch.rand(T, 1, X, dtype=torch.float64) * 2 - 1
    with torch.no_grad():
        # Per-layer outputs: run the layers one at a time to also compare c_t at every step.
        ref = []
        inp = x
        for l in range(layers):
            one = torch.nn.LSTM(input_size=inp.shape[2], hidden_size=H).double()
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(one, name + "_l0").copy_(getattr(lstm, f"{name}_l{l}"))
            hs, cs = [], []
            h = torch.zeros(1, 1, H, dtype=torch.float64)
            c = torch.zeros(1, 1, H, dtype=torch.float64)
            for t in range(T):
                _, (h, c) = one(inp[t:t + 1], (h, c))
                hs.append(h[0, 0].tolist())
                cs.append(c[0, 0].tolist())
            ref.append((hs, cs))
            inp = torch.tensor(hs, dtype=torch.float64).reshape(T, 1, H)
        full, _ = lstm(x)
    # The stacked torch model's output is the last layer's h sequence.
    assert torch.allclose(full[:, 0, :], torch.tensor(ref[-1][0], dtype=torch.float64), atol=1e-12)
    model = {"x": x[:, 0, :].tolist(), "layers": []}
    for l in range(layers):
        model["layers"].append({n: getattr(lstm, f"{n}_l{l}").tolist()
                                for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})
        model["layers"][-1] = {"w_ih": model["layers"][-1]["weight_ih"], "w_hh": model["layers"][-1]["weight_hh"],
                               "b_ih": model["layers"][-1]["bias_ih"], "b_hh": model["layers"][-1]["bias_hh"]}
    fin, fout = os.path.join(work, "model.json"), os.path.join(work, "golden.json")
    with open(fin, "w") as f:
        json.dump(model, f)
    subprocess.run([sharpgen, "golden", "--in", fin, "--out", fout], check=True)
    with open(fout) as f:
        got = json.load(f)["layers"]
    worst = 0.0
    for l in range(layers):
        for key, idx in (("h", 0), ("c", 1)):
            for t in range(T):
                for j in range(H):
                    worst = max(worst, abs(got[l][key][t][j] - ref[l][idx][t][j]))
    print(f"X={X:3d} H={H:3d} layers={layers} T={T}: max |golden - torch| = {worst:.3e}")
    worst_all = max(worst_all, worst)
    if worst > 1e-5:
        print("FAIL: the golden double model disagrees with torch.nn.LSTM")
        sys.exit(1)


def golden_h_error(model, tag, ref, layers, T, H):
    """Runs `sharpgen golden` on `model` and returns the worst |h - ref| over layers and steps."""
    fin, fout = os.path.join(work, f"model_{tag}.json"), os.path.join(work, f"golden_{tag}.json")
    with open(fin, "w") as f:
        json.dump(model, f)
    subprocess.run([sharpgen, "golden", "--in", fin, "--out", fout], check=True)
    with open(fout) as f:
        got = json.load(f)["layers"]
    return max(abs(got[l]["h"][t][j] - ref[l][t][j]) for l in range(layers) for t in range(T) for j in range(H))


# GRU and RNN: the per-layer h sequences of a stacked module, by running the layers one at a time.
other = [("gru", lambda i, h: torch.nn.GRU(i, h)), ("rnn_tanh", lambda i, h: torch.nn.RNN(i, h)),
         ("rnn_relu", lambda i, h: torch.nn.RNN(i, h, nonlinearity="relu"))]
for cell, make in other:
    for X, H, layers, T in cases:
        stack = [make(X if l == 0 else H, H).double() for l in range(layers)]
        x = torch.rand(T, 1, X, dtype=torch.float64) * 2 - 1
        ref, inp = [], x
        with torch.no_grad():
            for one in stack:
                inp, _ = one(inp)
                ref.append(inp[:, 0, :].tolist())
        model = {"cell": cell, "x": x[:, 0, :].tolist(),
                 "layers": [{"w_ih": m.weight_ih_l0.tolist(), "w_hh": m.weight_hh_l0.tolist(),
                             "b_ih": m.bias_ih_l0.tolist(), "b_hh": m.bias_hh_l0.tolist()} for m in stack]}
        worst = golden_h_error(model, cell, ref, layers, T, H)
        print(f"{cell:8s} X={X:3d} H={H:3d} layers={layers} T={T}: max |golden - torch| = {worst:.3e}")
        worst_all = max(worst_all, worst)
        if worst > 1e-5:
            print(f"FAIL: the golden double model disagrees with torch for cell {cell}")
            sys.exit(1)

# Initial states: every kind, 2 stacked layers, random h0 (and c0 for the LSTM) per layer.
for cell, make in [("lstm", lambda i, h: torch.nn.LSTM(i, h))] + other:
    X, H, layers, T = 7, 9, 2, 4
    stack = [make(X if l == 0 else H, H).double() for l in range(layers)]
    x = torch.rand(T, 1, X, dtype=torch.float64) * 2 - 1
    h0 = [torch.rand(1, 1, H, dtype=torch.float64) * 2 - 1 for _ in range(layers)]
    c0 = [torch.rand(1, 1, H, dtype=torch.float64) * 2 - 1 for _ in range(layers)]
    ref, inp = [], x
    with torch.no_grad():
        for l, one in enumerate(stack):
            inp, _ = one(inp, (h0[l], c0[l]) if cell == "lstm" else h0[l])
            ref.append(inp[:, 0, :].tolist())
    model = {"cell": cell, "x": x[:, 0, :].tolist(), "layers": []}
    for l, m in enumerate(stack):
        lj = {"w_ih": m.weight_ih_l0.tolist(), "w_hh": m.weight_hh_l0.tolist(), "b_ih": m.bias_ih_l0.tolist(),
              "b_hh": m.bias_hh_l0.tolist(), "h0": h0[l][0, 0].tolist()}
        if cell == "lstm":
            lj["c0"] = c0[l][0, 0].tolist()
        model["layers"].append(lj)
    worst = golden_h_error(model, cell + "_h0", ref, layers, T, H)
    print(f"{cell:8s} with h0{'/c0' if cell == 'lstm' else ''}, X={X} H={H} layers={layers} T={T}: "
          f"max |golden - torch| = {worst:.3e}")
    worst_all = max(worst_all, worst)
    if worst > 1e-5:
        print(f"FAIL: the golden double model disagrees with torch for cell {cell} with an initial state")
        sys.exit(1)
print(f"torch cross-check passed: worst difference {worst_all:.3e} (limit 1e-5), torch {torch.__version__}")
