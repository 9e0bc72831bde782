#!/usr/bin/env python3
"""Digits on the generated hardware: an LSTM (or GRU, or Elman RNN: --cell) classifier for
scikit-learn's 8x8 digits (each image read as 8 time steps of 8 pixels; the data ship inside
Debian's python3-sklearn), trained on the CPU, exported with examples/torch/export_lstm.py (or,
with --onnx, with torch.onnx.export and imported with examples/onnx/import_onnx.py), and its
held-out set run through a generated design in Verilator with `sharpgen run`. The classifier head (one linear layer on the
last h_t) runs in float on the host for all three. Prints the accuracy of PyTorch float, of the
golden fixed-point model and of the RTL.
With --compare-paths it also times the held-out run both ways, side by side: the whole set in one
simulator process (the default) and one simulator process per sequence (`--separate-runs`, the
layer's weights loaded for each), each the median of --repeats runs, and prints the ratio.
Usage: digits.py SHARPGEN DESIGN_DIR WORK_DIR [--cell lstm|gru|rnn_tanh|rnn_relu] [--onnx] [--epochs N]
       [--hidden H] [--seed S] [--compare-paths] [--repeats R]"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torch"))
from export_lstm import export_lstm  # noqa: E402


class Classifier(torch.nn.Module):
    def __init__(self, hidden, cell):
        super().__init__()
        if cell == "lstm":
            self.lstm = torch.nn.LSTM(input_size=8, hidden_size=hidden)
        elif cell == "gru":
            self.lstm = torch.nn.GRU(input_size=8, hidden_size=hidden)
        else:
            self.lstm = torch.nn.RNN(input_size=8, hidden_size=hidden, nonlinearity=cell[len("rnn_"):])
        self.head = torch.nn.Linear(hidden, 10)

    def forward(self, x):  # x: (N, T, 8)
        out, _ = self.lstm(x.transpose(0, 1))
        return self.head(out[-1])


def compare_paths(a, model_dir, inputs):
    """Wall time of `sharpgen run` in one process and per sequence, alternated, medians."""
    times = {"one process": [], "separate runs": []}
    for i in range(a.repeats):
        for name, extra in (("one process", []), ("separate runs", ["--separate-runs"])):
            out = os.path.join(a.work, "compare_" + name.replace(" ", "_"))
            t0 = time.time()
            res = subprocess.run([a.sharpgen, "run", "--design", a.design, "--model", model_dir, "--inputs", inputs,
                                  "--out", out, "--json"] + extra, capture_output=True, text=True)
            times[name].append(time.time() - t0)
            if res.returncode != 0 or not json.loads(res.stdout)["bit_exact"]:
                print(f"digits: FAIL: the {name} run did not pass")
                return False
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    print(f"digits: wall time of the held-out run (median of {a.repeats}, simulator already built): one process "
          f"{med['one process']:.2f} s, one process per sequence {med['separate runs']:.2f} s: "
          f"{med['separate runs'] / med['one process']:.2f}x")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sharpgen")
    ap.add_argument("design")
    ap.add_argument("work")
    ap.add_argument("--cell", choices=("lstm", "gru", "rnn_tanh", "rnn_relu"), default="lstm")
    ap.add_argument("--onnx", action="store_true",
                    help="export with torch.onnx.export and import with examples/onnx/import_onnx.py")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compare-paths", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)

    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)  # pixels 0..16 -> 0..1; rows are time steps
    xtr, xte, ytr, yte = train_test_split(x, d.target, test_size=0.2, random_state=a.seed, stratify=d.target)
    model = Classifier(a.hidden, a.cell)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    xt, yt = torch.tensor(xtr), torch.tensor(ytr)
    t0 = time.time()
    for epoch in range(a.epochs):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    train_s = time.time() - t0
    with torch.no_grad():
        acc_float = float((model(torch.tensor(xte)).argmax(1).numpy() == yte).mean())
    print(f"digits: trained a {a.cell} classifier {a.epochs} epochs on {len(xtr)} images in {train_s:.1f} s (CPU); "
          f"{len(xte)} held-out images")

    model_dir = os.path.join(a.work, "model")
    if a.onnx:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "onnx"))
        import warnings

        from import_onnx import import_onnx
        path = os.path.join(a.work, "model.onnx")
        outputs = ["y", "hn", "cn"] if a.cell == "lstm" else ["y", "hn"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model.lstm, (torch.tensor(xte[:2]).transpose(0, 1),), path, input_names=["x"],
                              output_names=outputs, opset_version=14)
        info = import_onnx(path, model_dir)
        print(f"digits: exported {path} with torch.onnx.export, imported {len(info['layers'])} "
              f"{info['layers'][0]['cell']} layer(s) with import_onnx.py")
    else:
        export_lstm(model.lstm, model_dir)
    inputs = os.path.join(a.work, "test_inputs.npy")
    np.save(inputs, xte)
    out = os.path.join(a.work, "out")
    t0 = time.time()
    res = subprocess.run([a.sharpgen, "run", "--design", a.design, "--model", model_dir, "--inputs", inputs,
                          "--out", out, "--json"], capture_output=True, text=True)
    if res.returncode != 0:
        print(res.stderr[-3000:])
        print(f"digits: FAIL: sharpgen run exited {res.returncode}")
        return 1
    report = json.loads(res.stdout)
    frac = json.load(open(os.path.join(a.design, "manifest.json")))["config"]["format"]["frac_bits"]
    w = model.head.weight.detach().double().numpy()
    b = model.head.bias.detach().double().numpy()

    def accuracy(h_last):
        return float(((h_last @ w.T + b).argmax(1) == yte).mean())

    rtl = np.load(os.path.join(out, "output_rtl.npy"))[:, -1, :]
    golden = np.load(os.path.join(out, "output_golden_codes.npy"))[:, -1, :] / float(1 << frac)
    acc_rtl, acc_golden = accuracy(rtl), accuracy(golden)
    sat = sum(sum(q["saturated"].values()) for q in report["quantization"])
    print(f"digits: RTL run of {len(xte)} sequences: every layer bit-exact = {report['bit_exact']}, "
          f"{report['cycles']} accelerator cycles, {time.time() - t0:.1f} s; {sat} weights saturated, "
          f"{report['input_saturations']} inputs saturated; format {report['format']}")
    prog = report.get("program")
    if prog:
        print(f"digits: one simulator process, {prog['loads']} layer load(s) into {prog['weight_slots']} weight "
              f"slot(s): end to end {prog['end_to_end_cycles']} cycles (program model "
              f"{prog['predicted_end_to_end_cycles']}, exact = {prog['cycle_model_exact']}), of which compute "
              f"{prog['compute_cycles']} and loads {prog['load_cycles']}")
    print(f"digits: accuracy  PyTorch float {100 * acc_float:.2f} %   golden fixed point {100 * acc_golden:.2f} %   "
          f"RTL {100 * acc_rtl:.2f} %")
    summary = {"cell": a.cell, "onnx": a.onnx, "float": acc_float, "golden_fixed": acc_golden, "rtl": acc_rtl, "test_images": len(xte),
               "train_seconds": train_s, "bit_exact": report["bit_exact"]}
    with open(os.path.join(a.work, "accuracy.json"), "w") as f:
        json.dump(summary, f, indent=2)
    ok = report["bit_exact"] and acc_rtl == acc_golden and abs(acc_float - acc_rtl) <= 0.01
    if a.compare_paths:
        ok = compare_paths(a, model_dir, inputs) and ok
    print("digits: PASS (RTL = golden fixed point exactly; within 1 point of float)" if ok else "digits: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
