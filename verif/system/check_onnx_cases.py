#!/usr/bin/env python3
"""ONNX's own operator test cases (Debian's libonnx-testdata) through sharpgen: every
test_lstm_*, test_gru_*, test_simple_rnn_* and test_rnn_* case is imported with
examples/onnx/import_onnx.py, run with `sharpgen run` on a design generated from CONFIG with a
number format that holds the case's values, and compared with the case's expected outputs.

Per case:
- `sharpgen run` must pass: every layer bit-exact between the RTL and the golden fixed-point
  model, the cycles and SRAM counts exact (its own checks);
- the golden double-precision model must equal ONNX's expected Y / Y_h within 1e-5 (this
  checks the import: gate order, biases, directions, layout);
- the RTL's outputs must be within the format's tolerance of them: 2 x the worst h_t error
  `sharpgen numerics` measures for that format and cell kind (printed with the case);
- or the import is refused, and then the refusal must be the expected one (EXPECTED_REFUSALS:
  features the docs list as unsupported). A case refused for another reason, or an expected
  refusal that now imports, fails the test.
Prints a table: case, cell, shape, result, errors. Exit 77 (CTest: skipped) when
libonnx-testdata or python3-onnx is not installed.
Usage: check_onnx_cases.py SHARPGEN CONFIG WORK_DIR
"""
import glob
import json
import os
import re
import subprocess
import sys

CASES = "/usr/share/libonnx-testdata/data/node"
try:
    import numpy as np
    import onnx
    from onnx import numpy_helper
except ImportError:
    print("SKIPPED: python3-onnx is not installed (ci/setup.sh installs it)")
    sys.exit(77)
if not os.path.isdir(CASES):
    print(f"SKIPPED: {CASES} does not exist (ci/setup.sh installs libonnx-testdata)")
    sys.exit(77)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "onnx"))
from import_onnx import Refused, formats_for, import_onnx, read_data  # noqa: E402

# Features sharpgen does not run (docs/ONNX.md lists them): case -> text the refusal must hold.
EXPECTED_REFUSALS = {
    "test_lstm_with_peepholes": "input P (peepholes",
    # ONNX's default GRU (r applied to h before U_n); PyTorch's GRU is linear_before_reset = 1.
    "test_gru_batchwise": "'linear_before_reset' = 0 is not supported",
    "test_gru_defaults": "'linear_before_reset' = 0 is not supported",
    "test_gru_seq_length": "'linear_before_reset' = 0 is not supported",
    "test_gru_with_initial_bias": "'linear_before_reset' = 0 is not supported",
}

sharpgen, config, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
with open(config) as f:
    data_bits = json.load(f).get("format", {}).get("data_bits", 16)


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as fh:
        t.ParseFromString(fh.read())
    return t.name, numpy_helper.to_array(t)


designs, tolerances = {}, {}


def design_for(frac, wfrac, cell):
    """A design of CONFIG with `frac` fraction bits (weights `wfrac`) and every cell kind (generated
    once), and the tolerance for `cell`: 2 x the worst h_t error `sharpgen numerics` measures for
    that cell in that format."""
    key = (frac, wfrac)
    if key not in designs:
        d = os.path.join(work, f"design_f{frac}_w{wfrac}")
        fmt_set = ["--set", f"format.frac_bits={frac}", "--set", f"format.weight_frac_bits={wfrac}"]
        subprocess.run([sharpgen, "generate", "-c", config] + fmt_set + ["--set", "cells=lstm,gru,rnn_tanh,rnn_relu",
                                                                        "-o", d], check=True, capture_output=True)
        num = subprocess.run([sharpgen, "numerics", "-c", config] + fmt_set,
                             check=True, capture_output=True, text=True).stdout
        # Sections "  <cell> h_t, ..." (the lstm's "LSTM h_t") followed by "max |dh|" lines.
        tol = {}
        for name, body in re.findall(r"^  (\S+) h_t[^\n]*\n((?:    [^\n]*\n)+)", num, re.M):
            errs = [float(v) for v in re.findall(r"max \|dh\| ([0-9.e+-]+)", body)]
            tol["lstm" if name == "LSTM" else name] = 2 * max(errs)
        if sorted(tol) != ["gru", "lstm", "rnn_relu", "rnn_tanh"]:
            sys.exit(f"check_onnx_cases: no 'max |dh|' lines of every cell in sharpgen numerics' output:\n{num}")
        designs[key], tolerances[key] = d, tol
    return designs[key], tolerances[key][cell]


rows, failures = [], []
for case_dir in sorted(glob.glob(os.path.join(CASES, "test_*"))):
    case = os.path.basename(case_dir)
    if not re.match(r"test_(lstm|gru|simple_rnn|rnn)_", case):
        continue
    model = onnx.load(os.path.join(case_dir, "model.onnx"))
    cell = next((n.op_type for n in model.graph.node if n.op_type in ("LSTM", "GRU", "RNN")), "?")
    data_dir = os.path.join(case_dir, "test_data_set_0")
    data = read_data(data_dir)
    expected = dict(read_pb(p) for p in sorted(glob.glob(os.path.join(data_dir, "output_*.pb"))))
    # Which output of the (last) recurrent node each expected tensor is: 0 Y, 1 Y_h, 2 Y_c.
    out_names = list([n for n in model.graph.node if n.op_type in ("LSTM", "GRU", "RNN")][-1].output)
    model_dir = os.path.join(work, case, "model")
    try:
        info = import_onnx(os.path.join(case_dir, "model.onnx"), model_dir, data)
    except Refused as e:
        want = EXPECTED_REFUSALS.get(case)
        ok = want is not None and want in str(e)
        rows.append((case, cell, "-", f"refused: {e}" + ("" if ok else "  << UNEXPECTED"), "", "", ""))
        if not ok:
            failures.append(f"{case}: refused unexpectedly: {e}")
        continue
    if case in EXPECTED_REFUSALS:
        failures.append(f"{case}: imported, but EXPECTED_REFUSALS lists it (update the list and docs/ONNX.md)")
    x = np.asarray(data[info["x_input"]], np.float64)
    layout = info["layout"]
    xs = x if info["batch_first"] else np.transpose(x, (1, 0, 2))  # (N, T, X)
    N, T, X = xs.shape
    layers = info["layers"]
    H, D = layers[0]["hidden_size"], 2 if layers[0]["direction"] == "bidirectional" else 1
    # The formats (the importer's rule): the weights' fraction bits from their own range; the
    # others' from the inputs and biases, with room for pre-activations to +-8.
    frac, wfrac = formats_for(info["weight_peak"], float(np.max(np.abs(xs))), info["bias_peak"], data_bits)
    design, tol = design_for(frac, wfrac, info["model"]["cell"])
    inputs = os.path.join(work, case, "inputs.npy")
    np.save(inputs, xs.astype(np.float32))
    out = os.path.join(work, case, "out")
    res = subprocess.run([sharpgen, "run", "-d", design, "-m", model_dir, "-i", inputs, "-o", out, "--json"],
                         capture_output=True, text=True)
    shape = f"X={X} H={H} T={T} N={N} D={D} L={len(layers)} F={frac} Fw={wfrac}"
    if res.returncode != 0:
        rows.append((case, cell, shape, f"FAIL: sharpgen run exited {res.returncode}", "", "", ""))
        failures.append(f"{case}: sharpgen run exited {res.returncode}: {res.stderr[-600:]}")
        continue
    gd = np.load(os.path.join(out, "output_golden_double.npy"))  # (N, T, D*H)
    rtl = np.load(os.path.join(out, "output_rtl.npy"))
    err_gd = err_rtl = 0.0
    for name, ref in expected.items():
        kind = out_names.index(name) if name in out_names else -1
        if kind == 0:  # Y: (T, D, N, H) or (N, T, D, H)
            ref_nt = np.transpose(ref, (2, 0, 1, 3)) if layout == 0 else ref
            ref_nt = ref_nt.reshape(N, T, D * H)
            got_gd, got_rtl = gd, rtl
        elif kind == 1:  # Y_h: (D, N, H) or (N, D, H); the reverse direction ends at t = 0
            ref_nt = (np.transpose(ref, (1, 0, 2)) if layout == 0 else ref).reshape(N, D * H)
            last = [T - 1 if d == 0 else 0 for d in range(D)]
            pick = lambda a: np.concatenate([a[:, last[d], d * H:(d + 1) * H] for d in range(D)], axis=1)  # noqa: E731
            got_gd, got_rtl = pick(gd), pick(rtl)
        else:  # Y_c: sharpgen run returns h only
            continue
        err_gd = max(err_gd, float(np.max(np.abs(got_gd - ref_nt))))
        err_rtl = max(err_rtl, float(np.max(np.abs(got_rtl - ref_nt))))
    ok = err_gd <= 1e-5 and err_rtl <= tol
    rows.append((case, cell, shape, "pass" if ok else "FAIL", f"{err_gd:.2e}", f"{err_rtl:.2e}", f"{tol:.2e}"))
    if not ok:
        failures.append(f"{case}: golden double vs ONNX {err_gd:.3e} (<= 1e-5), RTL vs ONNX {err_rtl:.3e} "
                        f"(<= {tol:.3e})")

# torch.onnx.export round trips (when python3-torch is there): stacked and bidirectional LSTMs
# with the glue torch writes between layers (Transpose/Reshape), for the zero initial states
# (Shape/Gather/Concat/Expand) and for initial states given as inputs (Slice), against torch's
# own float64 outputs.
try:
    import torch
except ImportError:
    torch = None
    rows.append(("torch.onnx.export", "LSTM", "-", "skipped: python3-torch is not installed", "", "", ""))
# The last one has inputs up to 20: a design with 10 fraction bits (+-32), whose activation
# tables saturate their inputs beyond +-8 (docs/NUMERICS.md), which its pre-activations reach.
# init: the module is called with random initial states (h0, and c0 for the LSTM), which the
# export makes graph inputs; the same arrays go to sharpgen run --h0 --c0.
EXPORTS = (
    ("LSTM", 2, False, False, 1, False), ("LSTM", 2, True, False, 1, False), ("LSTM", 1, False, True, 1, False),
    ("LSTM", 1, False, False, 20, False), ("GRU", 2, True, False, 1, False), ("GRU", 1, False, True, 1, False),
    ("RNN", 2, True, False, 1, False), ("RNN_relu", 2, False, False, 1, False), ("LSTM", 2, False, False, 1, True),
    ("LSTM", 2, True, True, 1, True), ("GRU", 2, True, False, 1, True))
for op, L, bi, bf, x_scale, init in EXPORTS if torch else ():
    case = (f"torch_{op.lower()}_{L}_layers{'_bidirectional' if bi else ''}{'_batch_first' if bf else ''}"
            f"{'_inputs_to_' + str(x_scale) if x_scale != 1 else ''}"
            f"{('_from_h0_c0' if op == 'LSTM' else '_from_h0') if init else ''}")
    torch.manual_seed(11)
    X, H, N, T = 5, 6, 2, 4
    if op == "RNN_relu":
        lstm = torch.nn.RNN(X, H, num_layers=L, bidirectional=bi, batch_first=bf, nonlinearity="relu")
    else:
        lstm = getattr(torch.nn, op)(X, H, num_layers=L, bidirectional=bi, batch_first=bf)
    outputs = ["y", "hn", "cn"] if op == "LSTM" else ["y", "hn"]
    x = (torch.rand(N, T, X) * 2 - 1) * x_scale
    if not bf:
        x = x.transpose(0, 1)
    path = os.path.join(work, case, "model.onnx")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    D = 2 if bi else 1
    state, state_names, state_opts = None, [], []
    if init:
        h0 = torch.rand(L * D, N, H) * 2 - 1
        c0 = torch.rand(L * D, N, H) * 4 - 2
        state, state_names = ((h0, c0), ["h0", "c0"]) if op == "LSTM" else (h0, ["h0"])
        for name, v in zip(state_names, (h0, c0)):
            np.save(os.path.join(work, case, f"{name}.npy"), v.numpy())
            state_opts += [f"--{name}", os.path.join(work, case, f"{name}.npy")]
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(lstm, (x, state) if init else (x,), path, input_names=["x"] + state_names,
                          output_names=outputs, opset_version=14)
    model_dir = os.path.join(work, case, "model")
    try:
        info = import_onnx(path, model_dir)
        if sorted(info["state_inputs"]) != sorted(state_names):
            raise Refused(f"the importer found initial-state inputs {info['state_inputs']}, expected {state_names}")
    except Refused as e:
        rows.append((case, op, "-", f"refused: {e}  << UNEXPECTED", "", "", ""))
        failures.append(f"{case}: refused: {e}")
        continue
    with torch.no_grad():
        dstate = None if state is None else (tuple(v.double() for v in state) if op == "LSTM" else state.double())
        ref = lstm.double()(x.double(), dstate)[0]
        ref = (ref if bf else ref.transpose(0, 1)).numpy()  # (N, T, D*H)
    frac, wfrac = formats_for(info["weight_peak"], x_scale, info["bias_peak"], data_bits)
    design, tol = design_for(frac, wfrac, {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn_tanh", "RNN_relu": "rnn_relu"}[op])
    inputs = os.path.join(work, case, "inputs.npy")
    np.save(inputs, (x if bf else x.transpose(0, 1)).numpy())
    out = os.path.join(work, case, "out")
    res = subprocess.run([sharpgen, "run", "-d", design, "-m", model_dir, "-i", inputs, "-o", out, "--json"] +
                         state_opts, capture_output=True, text=True)
    shape = f"X={X} H={H} T={T} N={N} D={D} L={L} F={frac} Fw={wfrac}"
    if res.returncode != 0:
        rows.append((case, op, shape, f"FAIL: sharpgen run exited {res.returncode}", "", "", ""))
        failures.append(f"{case}: sharpgen run exited {res.returncode}: {res.stderr[-600:]}")
        continue
    err_gd = float(np.max(np.abs(np.load(os.path.join(out, "output_golden_double.npy")) - ref)))
    err_rtl = float(np.max(np.abs(np.load(os.path.join(out, "output_rtl.npy")) - ref)))
    ok = err_gd <= 1e-5 and err_rtl <= tol
    rows.append((case, op, shape, "pass" if ok else "FAIL", f"{err_gd:.2e}", f"{err_rtl:.2e}", f"{tol:.2e}"))
    if not ok:
        failures.append(f"{case}: golden double vs torch {err_gd:.3e}, RTL vs torch {err_rtl:.3e} (<= {tol:.3e})")

head = ("case", "cell", "shape", "result", "double err", "RTL err", "RTL tolerance")
widths = [max(len(str(r[k])) for r in rows + [head]) for k in range(len(head))]
for r in [head] + rows:
    print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip())
passed = sum(1 for r in rows if r[3] == "pass")
print(f"\n{passed} passed, {sum(1 for r in rows if r[3].startswith('refused'))} refused, {len(rows)} cases")
if failures:
    print("\n".join(["FAIL:"] + failures))
    sys.exit(1)
