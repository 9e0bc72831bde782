#!/usr/bin/env python3
"""examples/onnx/import_onnx.py refuses what sharpgen cannot run, with one line naming the node,
the attribute or input, and what is supported, and exit code 2; and imports what it can, with
ONNX's gate order (i, o, f, c) mapped to PyTorch's (i, f, g, o) and B split into b_ih and b_hh.
Each case builds a one- or two-node model with onnx.helper. Exit 77 (CTest: skipped) when
python3-onnx is not installed.
Usage: check_onnx_refusals.py WORK_DIR
"""
import json
import os
import subprocess
import sys

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError:
    print("SKIPPED: python3-onnx is not installed (ci/setup.sh installs it)")
    sys.exit(77)
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "examples", "onnx", "import_onnx.py")
work = sys.argv[1]
os.makedirs(work, exist_ok=True)
X, H, T, N = 3, 2, 4, 1
rng = np.random.default_rng(5)


def init(name, shape):
    return numpy_helper.from_array(rng.uniform(-1, 1, shape).astype(np.float32), name)


def lstm_model(path, attrs=None, extra_inputs=None, extra_inits=(), op="LSTM", gates=4, second=None):
    """One recurrent node (name 'rec') on input x; `extra_inputs` fills its inputs 3.. by name."""
    D = 2 if (attrs or {}).get("direction") == "bidirectional" else 1
    inits = [init("W", (D, gates * H, X)), init("R", (D, gates * H, H)), init("B", (D, 2 * gates * H))]
    inits += list(extra_inits)
    ins = ["x", "W", "R"] + (extra_inputs if extra_inputs is not None else ["B"])
    nodes = [helper.make_node(op, ins, ["y", "y_h"], name="rec", hidden_size=H, **(attrs or {}))]
    outputs = [helper.make_tensor_value_info("y_h", TensorProto.FLOAT, None)]
    if second:
        nodes.append(second)
        outputs = [helper.make_tensor_value_info(second.output[0], TensorProto.FLOAT, None)]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [T, N, X])], outputs,
                          initializer=inits)
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), path)


def run(path, *extra):
    r = subprocess.run([sys.executable, SCRIPT, path, os.path.join(work, "out_" + os.path.basename(path))] + list(extra),
                       capture_output=True, text=True)
    return r.returncode, r.stderr.strip()


failures = []


def expect_refusal(tag, must_hold, **kw):
    path = os.path.join(work, tag + ".onnx")
    lstm_model(path, **kw)
    rc, err = run(path)
    lines = err.splitlines()
    ok = rc == 2 and len(lines) == 1 and all(m in err for m in must_hold)
    print(f"{'ok  ' if ok else 'FAIL'} {tag}: rc {rc}: {err}")
    if not ok:
        failures.append(f"{tag}: wanted exit 2 and one line holding {must_hold}, got rc {rc}: {err!r}")


zeros_h = numpy_helper.from_array(np.zeros((1, N, H), np.float32), "h0")
ones_h = numpy_helper.from_array(np.ones((1, N, H), np.float32), "h0")
short = numpy_helper.from_array(np.array([T - 1], np.int32), "lens")
peep = numpy_helper.from_array(np.zeros((1, 3 * H), np.float32), "P")
expect_refusal("clip", ["node 'rec'", "'clip'", "not supported"], attrs={"clip": 3.0})
expect_refusal("input_forget", ["node 'rec'", "'input_forget'", "only 0"], attrs={"input_forget": 1})
expect_refusal("activations", ["node 'rec'", "'activations'", "only ['Sigmoid', 'Tanh', 'Tanh']"],
               attrs={"activations": ["Sigmoid", "Relu", "Tanh"]})
expect_refusal("reverse", ["node 'rec'", "'direction' = 'reverse'", "forward or bidirectional"],
               attrs={"direction": "reverse"})
expect_refusal("sequence_lens", ["node 'rec'", "sequence_lens", f"all {T} steps"],
               extra_inputs=["B", "lens"], extra_inits=[short])
# A non-zero initial state the graph holds: imported only with --h0-npy to write it to (for
# sharpgen run --h0), checked below.
expect_refusal("initial_h", ["non-zero initial state h0", "--h0-npy"], extra_inputs=["B", "", "h0"],
               extra_inits=[ones_h])
expect_refusal("peepholes", ["node 'rec'", "input P", "no peephole"], extra_inputs=["B", "", "", "", "P"], extra_inits=[peep])
expect_refusal("gru_lbr0", ["node 'rec'", "'linear_before_reset' = 0", "only 1"], op="GRU", gates=3)
expect_refusal("rnn_activation", ["node 'rec'", "'activations'", "['Tanh'] or ['Relu']"], op="RNN", gates=1,
               attrs={"activations": ["Sigmoid"]})
expect_refusal("mixed_cells", ["node 'rec2'", "cell GRU differs from the first layer's LSTM"],
               second=helper.make_node("GRU", ["y2", "W2", "R2"], ["z", "z_h"], name="rec2", hidden_size=H,
                                       linear_before_reset=1),
               extra_inits=[init("W2", (1, 3 * H, H)), init("R2", (1, 3 * H, H))])
expect_refusal("other_op", ["Relu", "not supported"], second=helper.make_node("Relu", ["y"], ["r"], name="relu"))
expect_refusal("unknown_attr", ["node 'rec'", "'layoutx'", "supported: hidden_size"], attrs={"layoutx": 1})


def expect_import(tag, check, args=(), **kw):
    """Builds a model, imports it (exit 0; `args` go to the importer) and applies
    check(initializers, out_dir) -> ok."""
    path = os.path.join(work, tag + ".onnx")
    lstm_model(path, **kw)
    rc, err = run(path, *args)
    if rc != 0:
        failures.append(f"{tag}: exit {rc}: {err}")
        return
    inits = {t.name: numpy_helper.to_array(t)[0] for t in onnx.load(path).graph.initializer}
    ok, what = check(inits, os.path.join(work, "out_" + tag + ".onnx"))
    print(f"{'ok  ' if ok else 'FAIL'} {tag}: {what}")
    if not ok:
        failures.append(f"{tag}: {what}: not so")


def lstm_order(inits, out):
    """Imported: zero initial_h is fine, gates reordered, B split."""
    i, o, f, c = (inits["W"][k * H:(k + 1) * H] for k in range(4))
    rb = inits["B"][4 * H:]
    want_b = np.concatenate([rb[0:H], rb[2 * H:3 * H], rb[3 * H:4 * H], rb[H:2 * H]])
    ok = np.array_equal(np.load(os.path.join(out, "weight_ih_l0.npy")), np.concatenate([i, f, c, o])) and \
        np.array_equal(np.load(os.path.join(out, "bias_hh_l0.npy")), want_b)
    return ok, "gates i,o,f,c -> i,f,g,o and R's bias as bias_hh"


def gru_order(inits, out):
    """A GRU (linear_before_reset = 1) imports: gates z, r, h -> r, z, n, cell "gru"."""
    z, r, h = (inits["R"][k * H:(k + 1) * H] for k in range(3))
    ok = np.array_equal(np.load(os.path.join(out, "weight_hh_l0.npy")), np.concatenate([r, z, h])) and \
        json.load(open(os.path.join(out, "model.json")))["cell"] == "gru"
    return ok, "gates z,r,h -> r,z,n and cell gru"


def held_state(inits, out):
    """A constant initial_h written by --h0-npy in torch's layout (layers x directions, N, H)."""
    h0 = np.load(os.path.join(work, "h0_held.npy"))
    return h0.shape == (1, N, H) and bool(np.all(h0 == 1)), f"--h0-npy wrote the held h0, shape {h0.shape}"


expect_import("good", lstm_order, extra_inputs=["B", "", "h0"], extra_inits=[zeros_h])
expect_import("held_h0", held_state, args=("--h0-npy", os.path.join(work, "h0_held.npy")),
              extra_inputs=["B", "", "h0"], extra_inits=[ones_h])
expect_import("good_gru", gru_order, op="GRU", gates=3, attrs={"linear_before_reset": 1})
if failures:
    print("\n".join(["FAIL:"] + failures))
    sys.exit(1)
print("all refusals named the node, the attribute and what is supported")
