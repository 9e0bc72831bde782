#!/usr/bin/env python3
"""One kind of bad model file must give one clear error and a non-zero exit from `sharpgen run`.
Builds a valid 1-layer model with numpy (no torch needed), breaks it as CASE says, runs it and
requires the exit status to be non-zero and the error to contain the expected words.
Usage: check_bad_model.py SHARPGEN DESIGN_DIR WORK_DIR CASE
CASE: missing_tensor | missing_file | wrong_shape | nan_weight | too_large | bad_dtype | truncated
      | bad_index | unknown_field | inputs_shape | wide_layer | bad_cell | gru_rows | cell_not_in_design
      | h0_shape | h0_nan | c0_for_gru"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

sharpgen, design, work, case = sys.argv[1:5]
X, H = 6, 8
d = os.path.join(work, case)
shutil.rmtree(d, ignore_errors=True)
m = os.path.join(d, "model")
os.makedirs(m)
rng = np.random.default_rng(3)
index = {"format": "sharpgen-lstm", "version": 1, "input_size": X, "hidden_size": H, "num_layers": 1,
         "bidirectional": False, "bias": True, "tensors": {}}
for name, shape in (("weight_ih_l0", (4 * H, X)), ("weight_hh_l0", (4 * H, H)), ("bias_ih_l0", (4 * H,)),
                    ("bias_hh_l0", (4 * H,))):
    np.save(os.path.join(m, name + ".npy"), rng.uniform(-0.3, 0.3, shape).astype(np.float32))
    index["tensors"][name] = name + ".npy"
inputs = os.path.join(d, "inputs.npy")
np.save(inputs, rng.uniform(-1, 1, (4, X)).astype(np.float32))
max_hidden = json.load(open(os.path.join(design, "manifest.json")))["config"]["max_hidden"]
max_input = json.load(open(os.path.join(design, "manifest.json")))["config"]["max_input"]

expect = {
    "missing_tensor": "tensor 'weight_hh_l0' is missing",
    "missing_file": "does not exist",
    "wrong_shape": "tensor 'weight_ih_l0' has shape (32, 5), expected (32, 6)",
    "nan_weight": "holds nan",
    "too_large": f"field 'hidden_size': value {max_hidden + 1} is not allowed (at most the design's max_hidden",
    "bad_dtype": "dtype '<i8'",
    "truncated": "data bytes",
    "bad_index": "not valid JSON",
    "unknown_field": "unknown field 'layers'",
    "inputs_shape": "field '--inputs'",
    "wide_layer": f"(at most the design's max_input = {max_input})",
    "bad_cell": "field 'cell': value \"lstmx\" is not allowed (one of lstm, gru, rnn_tanh, rnn_relu)",
    "gru_rows": "tensor 'weight_ih_l0' has shape (32, 6), expected (24, 6)",
    "cell_not_in_design": "field 'cell': value 'gru' is not allowed (the design's cells: [\"lstm\"]",
    "h0_shape": "field '--h0': '" + os.path.join(d, "h0.npy") + f"' has shape (2, {H}), expected (1, 1, {H})",
    "h0_nan": "field '--h0': '" + os.path.join(d, "h0.npy") + "' holds nan at index 3",
    "c0_for_gru": "field '--c0': the model's cell 'gru' has no cell state",
}[case]
run_extra = []
if case == "missing_tensor":
    del index["tensors"]["weight_hh_l0"]
elif case == "missing_file":
    os.remove(os.path.join(m, "bias_hh_l0.npy"))
elif case == "wrong_shape":
    np.save(os.path.join(m, "weight_ih_l0.npy"), np.zeros((4 * H, X - 1), np.float32))
elif case == "nan_weight":
    w = np.load(os.path.join(m, "weight_hh_l0.npy"))
    w[3, 2] = np.nan
    np.save(os.path.join(m, "weight_hh_l0.npy"), w)
elif case == "too_large":
    H2 = max_hidden + 1
    index["hidden_size"] = H2
    for name, shape in (("weight_ih_l0", (4 * H2, X)), ("weight_hh_l0", (4 * H2, H2)), ("bias_ih_l0", (4 * H2,)),
                        ("bias_hh_l0", (4 * H2,))):
        np.save(os.path.join(m, name + ".npy"), np.zeros(shape, np.float32))
elif case == "wide_layer":
    X2 = max_input + 1
    index["input_size"] = X2
    np.save(os.path.join(m, "weight_ih_l0.npy"), np.zeros((4 * H, X2), np.float32))
    np.save(inputs, np.zeros((3, X2), np.float32))
elif case == "bad_dtype":
    np.save(os.path.join(m, "bias_ih_l0.npy"), np.zeros(4 * H, np.int64))
elif case == "truncated":
    p = os.path.join(m, "weight_ih_l0.npy")
    data = open(p, "rb").read()
    open(p, "wb").write(data[:-7])
elif case == "unknown_field":
    index["layers"] = 3
elif case == "bad_cell":
    index["cell"] = "lstmx"
elif case == "gru_rows":  # an LSTM's 4H rows declared as a GRU (3H rows)
    index["cell"] = "gru"
elif case == "cell_not_in_design":
    index["cell"] = "gru"
    for name, shape in (("weight_ih_l0", (3 * H, X)), ("weight_hh_l0", (3 * H, H)), ("bias_ih_l0", (3 * H,)),
                        ("bias_hh_l0", (3 * H,))):
        np.save(os.path.join(m, name + ".npy"), np.zeros(shape, np.float32))
elif case == "inputs_shape":
    np.save(inputs, np.zeros((4, X + 1), np.float32))
elif case in ("h0_shape", "h0_nan"):
    h0 = np.zeros((2, H) if case == "h0_shape" else (1, 1, H), np.float32)
    if case == "h0_nan":
        h0[0, 0, 3] = np.nan
    np.save(os.path.join(d, "h0.npy"), h0)
    run_extra = ["--h0", os.path.join(d, "h0.npy")]
elif case == "c0_for_gru":  # needs a design with the gru
    index["cell"] = "gru"
    for name, shape in (("weight_ih_l0", (3 * H, X)), ("weight_hh_l0", (3 * H, H)), ("bias_ih_l0", (3 * H,)),
                        ("bias_hh_l0", (3 * H,))):
        np.save(os.path.join(m, name + ".npy"), np.zeros(shape, np.float32))
    np.save(os.path.join(d, "c0.npy"), np.zeros((1, 1, H), np.float32))
    run_extra = ["--c0", os.path.join(d, "c0.npy")]
with open(os.path.join(m, "model.json"), "w") as f:
    if case == "bad_index":
        f.write(json.dumps(index)[:-5])
    else:
        json.dump(index, f)

res = subprocess.run([sharpgen, "run", "--design", design, "--model", m, "--inputs", inputs, "--out",
                      os.path.join(d, "out")] + run_extra, capture_output=True, text=True)
err = res.stderr.strip().splitlines()
print(f"exit {res.returncode}: {err[-1] if err else '(no error line)'}")
if res.returncode == 0:
    print(f"FAIL: sharpgen run accepted the bad model ({case})")
    sys.exit(1)
if not any(expect in line and line.startswith("sharpgen: error:") for line in err):
    print(f"FAIL: expected an error line containing: {expect}")
    sys.exit(1)
print(f"PASS: {case} rejected with a clear error")
