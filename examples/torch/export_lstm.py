#!/usr/bin/env python3
"""Export a torch.nn.LSTM, GRU or RNN to the model directory `sharpgen run` reads
(docs/MODEL_FORMAT.md): model.json (hyper-parameters, cell kind and tensor file names) plus one
float32 .npy file per tensor of the module's state_dict, named as PyTorch names them
(weight_ih_l0, bias_hh_l1_reverse, ...).

As a module:  from export_lstm import export_lstm; export_lstm(module, "out/model")
As a script:  export_lstm.py STATE_DICT.pt OUT_DIR --input-size X --hidden-size H
                  [--cell lstm|gru|rnn_tanh|rnn_relu] [--num-layers L] [--bidirectional]
                  [--no-bias] [--prefix P]
              (a state_dict saved with torch.save; P strips a prefix such as "lstm.")
Needs python3-torch and python3-numpy (Debian packages).
"""
import argparse
import json
import os
import sys

import numpy as np


CELLS = ("lstm", "gru", "rnn_tanh", "rnn_relu")


def export_state(state, out_dir, input_size, hidden_size, num_layers, bidirectional, bias, cell="lstm"):
    """Write model.json and the .npy tensors of a recurrent state_dict (name -> array-like)."""
    if cell not in CELLS:
        raise SystemExit(f"export_lstm: cell '{cell}' is not one of {', '.join(CELLS)}")
    os.makedirs(out_dir, exist_ok=True)
    tensors = {}
    for layer in range(num_layers):
        for suffix in ([""] + (["_reverse"] if bidirectional else [])):
            for kind in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if bias else ()):
                name = f"{kind}_l{layer}{suffix}"
                if name not in state:
                    raise SystemExit(f"export_lstm: the state_dict has no tensor '{name}'")
                value = np.asarray(state[name], dtype=np.float32)
                np.save(os.path.join(out_dir, name + ".npy"), value)
                tensors[name] = name + ".npy"
    index = {
        "format": "sharpgen-lstm",
        "version": 1,
        "input_size": int(input_size),
        "hidden_size": int(hidden_size),
        "num_layers": int(num_layers),
        "cell": cell,
        "bidirectional": bool(bidirectional),
        "bias": bool(bias),
        "tensors": tensors,
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(index, f, indent=2, sort_keys=True)
        f.write("\n")
    return index


def cell_of(module):
    """The cell kind of a torch.nn.LSTM, GRU or RNN module."""
    kind = type(module).__name__
    if kind == "LSTM":
        return "lstm"
    if kind == "GRU":
        return "gru"
    if kind == "RNN":
        return "rnn_" + module.nonlinearity
    raise SystemExit(f"export_lstm: a {kind} is not a torch.nn.LSTM, GRU or RNN")


def export_lstm(module, out_dir):
    """Export a torch.nn.LSTM, GRU or RNN module (batch_first or not; an LSTM's proj_size must be 0)."""
    if getattr(module, "proj_size", 0):
        raise SystemExit("export_lstm: LSTMs with proj_size > 0 are not supported")
    state = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
    return export_state(state, out_dir, module.input_size, module.hidden_size, module.num_layers,
                        module.bidirectional, module.bias, cell_of(module))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("state_dict", help="a state_dict saved with torch.save")
    ap.add_argument("out_dir")
    ap.add_argument("--input-size", type=int, required=True)
    ap.add_argument("--hidden-size", type=int, required=True)
    ap.add_argument("--cell", choices=CELLS, default="lstm")
    ap.add_argument("--num-layers", type=int, default=1)
    ap.add_argument("--bidirectional", action="store_true")
    ap.add_argument("--no-bias", action="store_true")
    ap.add_argument("--prefix", default="", help="strip this prefix from the state_dict's keys")
    a = ap.parse_args()
    import torch
    raw = torch.load(a.state_dict, map_location="cpu")
    state = {k[len(a.prefix):]: v.numpy() for k, v in raw.items() if k.startswith(a.prefix)}
    export_state(state, a.out_dir, a.input_size, a.hidden_size, a.num_layers, a.bidirectional, not a.no_bias,
                 a.cell)
    print(f"export_lstm: wrote {a.out_dir}/model.json")


if __name__ == "__main__":
    sys.exit(main())
