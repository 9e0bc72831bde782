#!/usr/bin/env python3
"""Import the recurrent layers of an ONNX model into the model directory `sharpgen run` reads
(docs/MODEL_FORMAT.md; this importer: docs/ONNX.md).

The graph must be a chain of LSTM, GRU or RNN nodes of one kind (one per layer, each forward or
bidirectional) joined by shape-only glue (Squeeze, Transpose, Reshape, ... as torch.onnx.export
writes it). GRU nodes need linear_before_reset = 1 (PyTorch's form); RNN nodes tanh or relu. Whatever
sharpgen cannot run is refused with one line naming the node, the attribute and what is
supported, and exit code 2.

As a module:  from import_onnx import import_onnx; info = import_onnx("m.onnx", "out/model")
As a script:  import_onnx.py MODEL.onnx OUT_DIR [--data DIR] [--inputs-npy FILE] [--h0-npy F] [--c0-npy F]
  --data DIR        values of graph inputs that are not initializers (ONNX's backend test
                    cases pass W, R and B as inputs): DIR/input_<k>.pb, matched by tensor name
  --inputs-npy F    also write the model input X (from --data) as F, shape (N, T, X)
  --h0-npy F, --c0-npy F
                    write a non-zero initial state the graph holds (constants, or graph inputs
                    given with --data) as F, shape (layers x directions, N, H), for
                    `sharpgen run --h0 F --c0 F`
Initial states that are graph inputs (torch.onnx.export of a module called with (h0, c0)) stay
inputs of the model: the importer checks that layer l takes rows l D .. l D + D - 1 of them, as
torch lays h0 and c0 out, so the same arrays go to `sharpgen run --h0 --c0`.
Needs python3-onnx and python3-numpy (Debian packages).
"""
import argparse
import glob
import json
import os
import sys

import numpy as np

try:
    import onnx
    from onnx import numpy_helper
except ImportError:  # pragma: no cover - reported as an error by main()
    onnx = None

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torch"))
from export_lstm import export_state  # noqa: E402

RECURRENT = {"LSTM", "GRU", "RNN"}
# Nodes that only move or reshape data, or compute shapes and constants.
GLUE = {"Constant", "ConstantOfShape", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Expand",
        "Transpose", "Reshape", "Identity", "Cast", "Slice"}


class Refused(Exception):
    """A model sharpgen cannot run: the message names the node, the attribute and what is allowed."""


def node_label(node):
    if node.name:
        return f"node '{node.name}' ({node.op_type})"
    out = next((o for o in node.output if o), "")
    return f"the {node.op_type} node with output '{out}'" if out else f"an unnamed {node.op_type} node"


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def text(v):
    return v.decode() if isinstance(v, bytes) else v


# ----------------------------------------------------------------------------------------------
# A small numpy evaluator for the glue: enough to compute initial states (Expand of a zero
# constant to a shape taken from the input) and to probe what the glue between layers does.


def axes_of(node, inputs, values, k):
    a = attrs(node)
    if "axes" in a:
        return list(a["axes"])
    if len(node.input) > k and node.input[k]:
        return [int(v) for v in values[node.input[k]]]
    return None


def eval_glue(node, values):
    """Evaluate one glue node on `values` (name -> ndarray); returns its outputs."""
    op, a = node.op_type, attrs(node)
    x = [values[i] if i else None for i in node.input]
    if op == "Constant":
        if "value" not in a:
            raise Refused(f"{node_label(node)}: attribute '{next(iter(a), '?')}' is not supported (only 'value')")
        return [numpy_helper.to_array(a["value"])]
    if op == "ConstantOfShape":
        fill = numpy_helper.to_array(a["value"]).reshape(-1)[0] if "value" in a else np.float32(0)
        return [np.full([int(v) for v in x[0]], fill, dtype=np.asarray(fill).dtype)]
    if op == "Shape":
        return [np.array(x[0].shape, dtype=np.int64)]
    if op == "Gather":
        return [np.take(x[0], x[1], axis=a.get("axis", 0))]
    if op == "Unsqueeze":
        out = x[0]
        axes = axes_of(node, x, values, 1)
        rank = out.ndim + len(axes)
        for ax in sorted(v % rank for v in axes):
            out = np.expand_dims(out, ax)
        return [out]
    if op == "Squeeze":
        axes = axes_of(node, x, values, 1)
        return [np.squeeze(x[0], axis=None if axes is None else tuple(axes))]
    if op == "Concat":
        return [np.concatenate([v for v in x if v is not None], axis=a["axis"])]
    if op == "Expand":
        shape = np.broadcast_shapes(x[0].shape, tuple(int(v) for v in x[1]))
        return [np.broadcast_to(x[0], shape).copy()]
    if op == "Transpose":
        return [np.transpose(x[0], a.get("perm"))]
    if op == "Reshape":
        shape = [int(v) for v in x[1]]
        if not a.get("allowzero", 0):
            shape = [x[0].shape[k] if v == 0 else v for k, v in enumerate(shape)]
        return [np.reshape(x[0], shape)]
    if op in ("Identity", "Cast"):
        return [x[0]]
    if op == "Slice":
        starts, ends = [int(v) for v in x[1]], [int(v) for v in x[2]]
        axes = [int(v) for v in x[3]] if len(x) > 3 and x[3] is not None else list(range(len(starts)))
        steps = [int(v) for v in x[4]] if len(x) > 4 and x[4] is not None else [1] * len(starts)
        sl = [slice(None)] * x[0].ndim
        for s, e, ax, st in zip(starts, ends, axes, steps):
            sl[ax] = slice(s, e, st)
        return [x[0][tuple(sl)]]
    raise Refused(f"{node_label(node)}: operator {op} is not supported between recurrent layers "
                  f"(supported: {', '.join(sorted(GLUE))})")


def recurrent_zeros(node, values):
    """Zeros of the shapes a recurrent node's outputs Y, Y_h, Y_c have (for the glue's shapes)."""
    x = values[node.input[0]]
    a = attrs(node)
    D = 2 if text(a.get("direction", "forward")) == "bidirectional" else 1
    H = int(a["hidden_size"])
    if a.get("layout", 0) == 1:
        N, T = x.shape[0], x.shape[1]
        return [np.zeros((N, T, D, H)), np.zeros((N, D, H)), np.zeros((N, D, H))]
    T, N = x.shape[0], x.shape[1]
    return [np.zeros((T, D, N, H)), np.zeros((D, N, H)), np.zeros((D, N, H))]


def reach(nodes, src):
    """Every value name the glue computes from `src` (itself included; not through a recurrent node)."""
    names = {src}
    for node in nodes:
        if node.op_type not in RECURRENT and any(i in names for i in node.input if i):
            names.update(o for o in node.output if o)
    return names


def evaluate(nodes, values):
    """Evaluate the graph in order where a node's inputs are known (a recurrent node's outputs
    as zeros of their shape, unless given); returns values."""
    values = dict(values)
    for node in nodes:
        if not all((not i) or i in values for i in node.input):
            continue
        outs = recurrent_zeros(node, values) if node.op_type in RECURRENT else eval_glue(node, values)
        for name, v in zip(node.output, outs):
            if name and name not in values:
                values[name] = v
    return values


# ----------------------------------------------------------------------------------------------


# Per operator: the gates (rows per neuron), the default activations of one direction, and the
# attributes accepted besides hidden_size, direction, layout and activations.
OPS = {"LSTM": (4, ["Sigmoid", "Tanh", "Tanh"], {"input_forget"}),
       "GRU": (3, ["Sigmoid", "Tanh"], {"linear_before_reset"}),
       "RNN": (1, ["Tanh"], set())}


def check_attributes(node):
    """The node's direction, hidden size, layout and cell kind; Refused for what sharpgen cannot run."""
    a = attrs(node)
    op = node.op_type
    gates, default1, extra = OPS[op]
    allowed = {"hidden_size", "direction", "layout", "activations", "activation_alpha", "activation_beta",
               "clip"} | extra
    for name in a:
        if name not in allowed:
            raise Refused(f"{node_label(node)}: attribute '{name}' is not supported (supported: hidden_size, "
                          "direction, layout, activations at their defaults"
                          f"{', linear_before_reset = 1' if op == 'GRU' else ''})")
    direction = text(a.get("direction", "forward"))
    if direction not in ("forward", "bidirectional"):
        raise Refused(f"{node_label(node)}: attribute 'direction' = '{direction}' is not supported "
                      f"(forward or bidirectional; a reverse-only layer has no torch.nn.{op} equivalent)")
    D = 2 if direction == "bidirectional" else 1
    acts = [text(v) for v in a.get("activations", [])]
    cell = {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn_tanh"}[op]
    if op == "RNN" and acts and acts == ["Relu"] * D:
        cell = "rnn_relu"
    elif acts and acts != default1 * D:
        options = f"{default1 * D}" + (f" or {['Relu'] * D}" if op == "RNN" else "")
        raise Refused(f"{node_label(node)}: attribute 'activations' = {acts} is not supported (only {options})")
    for name in ("activation_alpha", "activation_beta", "clip"):
        if name in a:
            raise Refused(f"{node_label(node)}: attribute '{name}' is not supported (the hardware has no "
                          f"{'clipping' if name == 'clip' else 'activation parameters'})")
    if a.get("input_forget", 0):
        raise Refused(f"{node_label(node)}: attribute 'input_forget' = 1 is not supported (only 0)")
    if op == "GRU" and a.get("linear_before_reset", 0) != 1:
        raise Refused(f"{node_label(node)}: attribute 'linear_before_reset' = {a.get('linear_before_reset', 0)} "
                      "is not supported (only 1, PyTorch's GRU: r scales U_n h + b_hn; with 0, r scales h before "
                      "U_n, a second dependency inside each step the hardware does not schedule)")
    return direction, int(a["hidden_size"]), int(a.get("layout", 0)), cell


def frac_bits_for(peak, data_bits=16):
    """Fraction bits of a data_bits-bit format that holds values up to `peak`: the smallest k >= 0
    with 2^k > peak integer bits besides the sign (at least one fraction bit)."""
    k = 0
    while k < data_bits - 2 and 2.0 ** k <= peak:
        k += 1
    return data_bits - 1 - k


def formats_for(w_peak, x_peak, b_peak, data_bits=16):
    """(frac_bits, weight_frac_bits) for a model: the weights' from their own range; the others'
    from the inputs and biases, with at least 3 integer bits, so that pre-activations reach the
    activation tables' domain (+-8, beyond which sigmoid and tanh are within half an LSB of their
    limits)."""
    return min(frac_bits_for(max(x_peak, b_peak), data_bits), data_bits - 4), frac_bits_for(w_peak, data_bits)


def reorder(op, m, H):
    """ONNX gate blocks to PyTorch's order: LSTM i, o, f, c -> i, f, g(c), o; GRU z, r, h -> r, z, n;
    RNN unchanged."""
    if op == "RNN":
        return m
    blocks = [m[k * H:(k + 1) * H] for k in range(OPS[op][0])]
    order = (0, 2, 3, 1) if op == "LSTM" else (1, 0, 2)
    return np.concatenate([blocks[k] for k in order], axis=0)


def import_onnx(model_path, out_dir, data=None):
    """Write OUT_DIR/model.json and the tensors; returns a dict describing the import.
    `data`: name -> ndarray for graph inputs that are not initializers."""
    if onnx is None:
        raise Refused("python3-onnx is not installed (ci/setup.sh installs it)")
    model = onnx.load(model_path)
    g = model.graph
    values = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    values.update(data or {})
    inits = {t.name for t in g.initializer}
    graph_inputs = [i for i in g.input if i.name not in inits]
    recurrent = [n for n in g.node if n.op_type in RECURRENT]
    for n in g.node:
        if n.op_type not in RECURRENT and n.op_type not in GLUE:
            raise Refused(f"{node_label(n)}: operator {n.op_type} is not supported (a chain of recurrent layers joined "
                          f"by shape-only glue: {', '.join(sorted(GLUE))})")
    if not recurrent:
        raise Refused("the graph has no LSTM, GRU or RNN node")
    op = recurrent[0].op_type
    for n in recurrent:
        if n.op_type != op:
            raise Refused(f"{node_label(n)}: cell {n.op_type} differs from the first layer's {op} (one cell kind "
                          "per model)")
    # The model input: one graph input that is not a weight, handed to the first layer's X as it
    # is or with its first two axes swapped (a batch-first model: torch.onnx.export writes a
    # Transpose), which the probe below tells apart.
    weight_names = {i for n in recurrent for i in n.input[1:5] if i} | {n.input[7] for n in recurrent
                                                                        if len(n.input) > 7 and n.input[7]}
    # Initial-state inputs: graph inputs from which a recurrent node's initial_h (5) or initial_c
    # (6) is computed.
    state_slots = {k: {n.input[k] for n in recurrent if len(n.input) > k and n.input[k]} for k in (5, 6)}
    state_inputs = {}  # 5 / 6 -> graph input name
    others = [i for i in graph_inputs if i.name not in weight_names]
    # (The sequence may reach them too: torch.onnx.export builds zero states of its shape.)
    for i in list(others):
        r = reach(g.node, i.name)
        kinds = [k for k in (5, 6) if r & state_slots[k]]
        if not kinds or r & {n.input[0] for n in recurrent}:
            continue
        if len(kinds) > 1 or kinds[0] in state_inputs:
            raise Refused(f"graph input '{i.name}' feeds more than one kind of initial state, or another input "
                          "feeds the same kind (supported: one graph input for all layers' initial_h, one for "
                          "initial_c)")
        state_inputs[kinds[0]] = i.name
        others.remove(i)
    x_inputs = others
    if len(x_inputs) != 1:
        raise Refused(f"the graph has {len(x_inputs)} inputs besides the weights and initial states "
                      f"({', '.join(i.name for i in x_inputs) or 'none'}): one, the sequence, is supported")
    x_name = x_inputs[0].name
    if x_name in values:
        x_probe = np.asarray(values[x_name])
    else:
        dims = [d.dim_value if d.dim_value > 0 else 2 + k for k, d in enumerate(x_inputs[0].type.tensor_type.shape.dim)]
        x_probe = np.zeros(dims, dtype=np.float32)
    if x_probe.ndim != 3:
        raise Refused(f"graph input '{x_name}' has {x_probe.ndim} dimensions (3 are supported)")
    first_x = recurrent[0].input[0]
    swapped = False
    if first_x != x_name:
        probe = np.arange(x_probe.size, dtype=np.float64).reshape(x_probe.shape)
        got = evaluate(g.node, {**values, x_name: probe}).get(first_x)
        if got is not None and got.shape == probe.transpose(1, 0, 2).shape and np.array_equal(
                got, probe.transpose(1, 0, 2)):
            swapped = True
        elif got is None or not np.array_equal(got, probe):
            raise Refused(f"{node_label(recurrent[0])}: input X ('{first_x}') is neither graph input '{x_name}' nor "
                          "it with its first two axes swapped")
        x_probe = x_probe.transpose(1, 0, 2) if swapped else x_probe

    # The initial-state inputs not given a value: probes of distinct non-zero values in torch's
    # layout (layers x directions, N, H), so each layer's initial_h/c shows which rows it takes.
    a0 = attrs(recurrent[0])
    L0, D0, H0 = len(recurrent), 2 if text(a0.get("direction", "forward")) == "bidirectional" else 1, int(a0["hidden_size"])
    N0 = x_probe.shape[0 if a0.get("layout", 0) == 1 else 1]
    probes = {}
    for k, name in state_inputs.items():
        if name not in values:
            probes[name] = (1.0 + np.arange(L0 * D0 * N0 * H0, dtype=np.float64) + 1e6 * (k - 5)).reshape(
                L0 * D0, N0, H0)
    # Initial states held by the graph (constants, or graph inputs given with --data), per layer
    # in ONNX's layout-0 shape (D, N, H); None: zero.
    held = {5: [None] * L0, 6: [None] * L0}

    state, layers, H, X0, directions, layout0, cell0 = {}, [], None, None, None, None, None
    G = OPS[op][0]
    prev_out = None  # name of the previous layer's Y
    for l, node in enumerate(recurrent):
        W_name, R_name = node.input[1], node.input[2]
        for name, what in ((W_name, "W"), (R_name, "R")):
            if name not in values:
                raise Refused(f"{node_label(node)}: input {what} ('{name}') has no value (an initializer, "
                              "or a graph input given with --data)")
        W, R = np.asarray(values[W_name], np.float64), np.asarray(values[R_name], np.float64)
        ins = list(node.input) + [""] * (8 - len(node.input))
        direction, h, layout, cell = check_attributes(node)
        D = 2 if direction == "bidirectional" else 1
        if W.ndim != 3 or W.shape[:2] != (D, G * h) or R.shape != (D, G * h, h):
            raise Refused(f"{node_label(node)}: W {W.shape} / R {R.shape} do not match hidden_size {h} and "
                          f"{D} direction(s)")
        if l == 0:
            H, X0, directions, layout0, cell0 = h, W.shape[2], D, layout, cell
        elif cell != cell0:
            raise Refused(f"{node_label(node)}: activations ({cell}) differ from the first layer's ({cell0}): "
                          "one cell kind per model")
        elif h != H or D != directions:
            raise Refused(f"{node_label(node)}: hidden_size {h} / {direction} differs from the first layer's "
                          f"({H}, {'bidirectional' if directions == 2 else 'forward'}): every layer must match")
        elif layout != layout0:
            raise Refused(f"{node_label(node)}: attribute 'layout' = {layout} differs from the first layer's")
        elif W.shape[2] != H * D:
            raise Refused(f"{node_label(node)}: input size {W.shape[2]} is not the previous layer's output "
                          f"(hidden_size x directions = {H * D})")
        if op == "LSTM" and ins[7]:
            raise Refused(f"{node_label(node)}: input P (peepholes, '{ins[7]}') is not supported (the hardware's "
                          "cell has no peephole connections)")
        if ins[3] and ins[3] not in values:
            raise Refused(f"{node_label(node)}: input B ('{ins[3]}') has no value")
        B = np.asarray(values[ins[3]], np.float64) if ins[3] else np.zeros((D, 2 * G * H))
        if B.shape != (D, 2 * G * H):
            raise Refused(f"{node_label(node)}: B {B.shape} does not match hidden_size {H} and {D} direction(s)")
        # Glue values (initial states, sequence lengths) from the probe input.
        known = evaluate(g.node, {**values, **probes, x_name: x_probe.transpose(1, 0, 2) if swapped else x_probe})
        if ins[4]:
            if ins[4] not in known:
                raise Refused(f"{node_label(node)}: input sequence_lens ('{ins[4]}') has no value")
            lens = np.asarray(known[ins[4]]).reshape(-1)
            steps = x_probe.shape[1 if layout == 1 else 0]
            if l == 0 and np.any(lens != steps):
                raise Refused(f"{node_label(node)}: input sequence_lens = {lens.tolist()} is not supported (every "
                              f"sequence must run all {steps} steps)")
        for k, what in ((5, "initial_h"), (6, "initial_c"))[:2 if op == "LSTM" else 1]:
            src = state_inputs.get(k)
            if src in probes:  # a graph input of the model: layer l must take rows l D .. l D + D - 1
                rows = probes[src][l * D:(l + 1) * D]
                want = rows.transpose(1, 0, 2) if layout == 1 else rows
                got = np.asarray(known[ins[k]]) if ins[k] and ins[k] in known else None
                if got is None or got.shape != want.shape or not np.array_equal(got, want):
                    raise Refused(f"{node_label(node)}: input {what} is not rows {l * D} .. {(l + 1) * D - 1} of "
                                  f"graph input '{src}' (supported: every layer's initial state from one input laid "
                                  "out as torch's (layers x directions, N, H))")
            elif ins[k]:
                if ins[k] not in known:
                    raise Refused(f"{node_label(node)}: input {what} ('{ins[k]}') has no value")
                v = np.asarray(known[ins[k]], np.float64)
                if np.any(v != 0):
                    held[k][l] = v.transpose(1, 0, 2) if layout == 1 else v
        # The glue from the previous layer's Y (T, D, N, H) must hand on the directions'
        # outputs concatenated, forward first: (T, N, D*H) (layout 0) or (N, T, D*H) (layout 1).
        if l > 0:
            check_between(g.node, prev_out, node.input[0], node, D, H, layout, values)
        for d in range(D):
            sfx = "_reverse" if d == 1 else ""
            state[f"weight_ih_l{l}{sfx}"] = reorder(op, W[d], H)
            state[f"weight_hh_l{l}{sfx}"] = reorder(op, R[d], H)
            state[f"bias_ih_l{l}{sfx}"] = reorder(op, B[d, :G * H], H)
            state[f"bias_hh_l{l}{sfx}"] = reorder(op, B[d, G * H:], H)
        layers.append({"node": node.name or node.output[0], "cell": cell, "direction": direction, "hidden_size": H,
                       "input_size": int(W.shape[2])})
        prev_out = node.output[0] if node.output and node.output[0] else None
        if l + 1 < len(recurrent) and not prev_out:
            raise Refused(f"{node_label(node)}: output Y is not used, but layer {l + 1} follows it")
    index = export_state(state, out_dir, X0, H, len(recurrent), directions == 2, True, cell0)
    # The input's layout as the graph receives it: (N, T, X) when batch first.
    batch_first = (layout0 == 1) != swapped
    # The value ranges the formats come from: the weights (W, U: format.weight_frac_bits) and the
    # biases (with x, h and the pre-activations: format.frac_bits).
    w_peak = max(float(np.max(np.abs(state[k]))) for k in state if k.startswith("weight_"))
    b_peak = max(float(np.max(np.abs(state[k]))) for k in state if k.startswith("bias_"))
    info = {"layers": layers, "layout": layout0, "x_input": x_name, "batch_first": batch_first, "model": index,
            "weight_peak": w_peak, "bias_peak": b_peak,
            "state_inputs": {("h0" if k == 5 else "c0"): n for k, n in sorted(state_inputs.items()) if n in probes}}
    # A held initial state in torch's layout (layers x directions, N, H); layers without: zero.
    for k, key in ((5, "h0"), (6, "c0")):
        if any(v is not None for v in held[k]):
            info[key] = np.concatenate([v if v is not None else np.zeros((directions, N0, H)) for v in held[k]])
    return info


def check_between(nodes, y_name, x_name, node, D, H, layout, values):
    """Probe the glue from one layer's Y to the next layer's X with distinct values."""
    T, N = 3, 2
    shape = (N, T, D, H) if layout == 1 else (T, D, N, H)
    probe = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    known = evaluate(nodes, {**values, y_name: probe})
    if x_name not in known:
        raise Refused(f"{node_label(node)}: input X ('{x_name}') is not computed from the previous layer's output "
                      "by shape-only glue")
    if layout == 1:
        want = probe.reshape(N, T, D * H)
    else:
        want = np.transpose(probe, (0, 2, 1, 3)).reshape(T, N, D * H)
    got = np.asarray(known[x_name])
    if got.shape != want.shape or not np.array_equal(got, want):
        raise Refused(f"{node_label(node)}: input X is not the previous layer's output with its directions "
                      f"concatenated (forward first), as sharpgen runs stacked layers (shape {got.shape})")


def read_data(data_dir):
    out = {}
    for f in sorted(glob.glob(os.path.join(data_dir, "input_*.pb"))):
        t = onnx.TensorProto()
        with open(f, "rb") as fh:
            t.ParseFromString(fh.read())
        out[t.name] = numpy_helper.to_array(t)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="an .onnx file")
    ap.add_argument("out_dir")
    ap.add_argument("--data", help="directory of input_<k>.pb tensors (values of graph inputs)")
    ap.add_argument("--inputs-npy", help="write the model input X from --data here, shape (N, T, X)")
    ap.add_argument("--h0-npy", help="write the initial hidden state the graph holds here (layers x directions, N, H)")
    ap.add_argument("--c0-npy", help="write the initial cell state the graph holds here")
    ap.add_argument("--data-bits", type=int, default=16, help="data width of the design the formats are chosen for")
    ap.add_argument("--json", action="store_true", help="print what was imported as JSON")
    a = ap.parse_args()
    try:
        data = read_data(a.data) if a.data else {}
        info = import_onnx(a.model, a.out_dir, data)
        if a.inputs_npy:
            if info["x_input"] not in data:
                raise Refused(f"--inputs-npy: --data has no tensor '{info['x_input']}'")
            x = np.asarray(data[info["x_input"]], np.float32)
            np.save(a.inputs_npy, x if info["batch_first"] else np.transpose(x, (1, 0, 2)))
        for key, path in (("h0", a.h0_npy), ("c0", a.c0_npy)):
            if key in info and not path:
                raise Refused(f"the graph holds a non-zero initial state {key}: write it with --{key}-npy FILE and "
                              f"pass it to sharpgen run --{key} FILE")
            if path and key not in info:
                raise Refused(f"--{key}-npy: the graph holds no non-zero initial state {key} (zero, absent, or a "
                              "graph input without --data)")
            if path:
                np.save(path, np.asarray(info[key], np.float32))
    except Refused as e:
        print(f"import_onnx: {a.model}: {e}", file=sys.stderr)
        return 2
    if a.json:
        print(json.dumps({k: v for k, v in info.items() if k not in ("model", "h0", "c0")}, indent=2, sort_keys=True))
    else:
        print(f"import_onnx: wrote {a.out_dir}/model.json ({len(info['layers'])} {info['model']['cell']} layer(s))")
        x_note = ""
        if info["x_input"] in data:
            x_peak = float(np.max(np.abs(np.asarray(data[info["x_input"]]))))
            x_note = f", inputs within +-{x_peak:.3g}"
        else:
            x_peak = 1.0
            x_note = " (inputs assumed within +-1)"
        frac, wfrac = formats_for(info["weight_peak"], x_peak, info["bias_peak"], a.data_bits)
        print(f"import_onnx: formats for {a.data_bits}-bit data: weights within +-{info['weight_peak']:.3g} -> "
              f"format.weight_frac_bits={wfrac}; biases within +-{info['bias_peak']:.3g}{x_note} and "
              f"pre-activations to +-8 -> format.frac_bits={frac}")
        for key, name in info["state_inputs"].items():
            print(f"import_onnx: graph input '{name}' is the initial state {key}: pass it to sharpgen run --{key} "
                  "(shape (layers x directions, N, H))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
