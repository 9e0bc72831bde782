#!/usr/bin/env python3
"""Latency per sequence of torch.nn.LSTM at batch 1: what a user would run instead of the
accelerator. `sharpgen bench` runs it once per bench run on its suite (docs/BENCHMARKS.md).

Usage:  cpu_latency.py [SHAPES.json | -] [--out RESULT.json]
        (shapes from the file, or from stdin when it is "-" or missing; the result goes to
        RESULT.json, or to stdout; progress goes to stderr)

SHAPES.json:
  {"steps": 32, "repeats": 5, "warmup": 1, "seed": 1, "threads": 0, "cell": "lstm",
   "models": [{"name": "eesen",
               "layers": [{"hidden": 320, "input": 120, "bidirectional": true}, ...]}, ...]}
  steps: the sequence length T; repeats R, warmup W: W untimed runs, then the median of R timed
  runs; threads: torch.set_num_threads(threads) when > 0, else torch's default; cell: lstm (default),
  gru, rnn_tanh or rnn_relu (torch.nn.LSTM, GRU, RNN with that nonlinearity). Each layer's
  input must be the previous layer's output (hidden, or 2 * hidden when bidirectional).

Method: every model is torch.nn.LSTM modules in float32 (consecutive layers of one hidden size
and direction count are one multi-layer nn.LSTM, as a user would write it), weights from torch's
default initialization and an input of shape (T, 1, X), both seeded; latency = wall time of one
forward pass over the whole sequence (every layer and direction) under torch.inference_mode().
On a CUDA device the same is timed with torch.cuda.synchronize() before and after each run.
Weights are random: the latency of a dense LSTM does not depend on their values.

Exit status: 0 done, 2 bad shapes, 3 torch cannot be imported (the message says why).
Needs python3-torch (Debian package).
"""
import argparse
import json
import platform
import statistics
import sys
import time


def fail(code, msg):
    print(f"cpu_latency: {msg}", file=sys.stderr)
    sys.exit(code)


def read_shapes(path):
    try:
        text = sys.stdin.read() if path in (None, "-") else open(path).read()
        spec = json.loads(text)
    except (OSError, ValueError) as e:
        fail(2, f"cannot read the shapes ({e})")
    try:
        steps = int(spec["steps"])
        models = spec["models"]
        for m in models:
            prev = None
            for layer in m["layers"]:
                h, x = int(layer["hidden"]), int(layer["input"])
                if h < 1 or x < 1:
                    raise ValueError(f"model {m['name']}: hidden and input must be positive")
                if prev is not None and x != prev:
                    raise ValueError(f"model {m['name']}: layer input {x} is not the previous output {prev}")
                prev = h * (2 if layer.get("bidirectional") else 1)
        if steps < 1 or not models:
            raise ValueError("steps must be positive and models not empty")
        if spec.get("cell", "lstm") not in CELLS:
            raise ValueError(f"cell {spec['cell']!r} is not one of {', '.join(CELLS)}")
    except (KeyError, TypeError, ValueError) as e:
        fail(2, f"bad shapes ({e})")
    return spec


CELLS = ("lstm", "gru", "rnn_tanh", "rnn_relu")


def build_model(torch, layers, cell="lstm"):
    """nn.LSTM (GRU, RNN) modules for the layers: one multi-layer module per run of equal layers."""
    groups = []
    for layer in layers:
        h, x, bi = int(layer["hidden"]), int(layer["input"]), bool(layer.get("bidirectional"))
        if groups and groups[-1]["hidden"] == h and groups[-1]["bidirectional"] == bi:
            groups[-1]["num_layers"] += 1
        else:
            groups.append({"input": x, "hidden": h, "bidirectional": bi, "num_layers": 1})
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}.get(cell, torch.nn.RNN)
    extra = {"nonlinearity": cell[len("rnn_"):]} if cell.startswith("rnn_") else {}
    mods = [cls(g["input"], g["hidden"], num_layers=g["num_layers"], bidirectional=g["bidirectional"], **extra)
            for g in groups]
    text = " -> ".join(f"nn.{cls.__name__}({g['input']}, {g['hidden']}, num_layers={g['num_layers']}"
                       f"{', bidirectional=True' if g['bidirectional'] else ''}"
                       f"{', nonlinearity=' + repr(extra['nonlinearity']) if extra else ''})" for g in groups)
    return mods, text


def time_model(torch, mods, x, warmup, repeats, cuda):
    def forward():
        y = x
        for m in mods:
            y, _ = m(y)
        return y

    def sync():
        if cuda:
            torch.cuda.synchronize()

    runs = []
    with torch.inference_mode():
        for _ in range(warmup):
            forward()
        sync()
        for _ in range(repeats):
            sync()
            t0 = time.perf_counter()
            forward()
            sync()
            runs.append((time.perf_counter() - t0) * 1e6)
    return runs


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shapes", nargs="?", help="shapes JSON file ('-' or none: stdin)")
    ap.add_argument("--out", help="write the result JSON here (default: stdout)")
    a = ap.parse_args()
    spec = read_shapes(a.shapes)
    try:
        import torch
    except Exception as e:  # noqa: BLE001 -- any import failure means "no torch here"
        fail(3, f"cannot import torch ({type(e).__name__}: {e})")

    steps = int(spec["steps"])
    repeats = max(1, int(spec.get("repeats", 5)))
    warmup = max(0, int(spec.get("warmup", 1)))
    seed = int(spec.get("seed", 1))
    cell = spec.get("cell", "lstm")
    if int(spec.get("threads", 0)) > 0:
        torch.set_num_threads(int(spec["threads"]))
    threads = torch.get_num_threads()
    devices = [("cpu", torch.device("cpu"))]
    if torch.cuda.is_available():
        devices.append(("gpu", torch.device("cuda")))
        gpu = {"available": True, "name": torch.cuda.get_device_name(0)}
    else:
        gpu = {"available": False, "skipped": "torch.cuda.is_available() is False"}

    result = {
        "torch_version": torch.__version__,
        "python": platform.python_version(),
        "threads": threads,
        "cpu": cpu_name(),
        "gpu": gpu,
        "dtype": "float32",
        "batch": 1,
        "steps": steps,
        "warmup": warmup,
        "repeats": repeats,
        "seed": seed,
        "cell": cell,
        "method": (f"torch.nn.{ {'lstm': 'LSTM', 'gru': 'GRU'}.get(cell, 'RNN') }, float32, batch 1, T = {steps}, "
                   "torch.inference_mode(); "
                   f"median of {repeats} timed runs after {warmup} warm-up run(s); "
                   f"CPU: {threads} thread(s) (torch.get_num_threads()); "
                   "GPU: torch.cuda.synchronize() before and after each run"),
        "models": [],
    }
    for i, m in enumerate(spec["models"]):
        torch.manual_seed(seed)
        mods, text = build_model(torch, m["layers"], cell)
        for mod in mods:
            mod.eval()
        x = torch.randn(steps, 1, int(m["layers"][0]["input"]), dtype=torch.float32)
        entry = {"name": m["name"], "modules": text}
        for dev_name, dev in devices:
            dm = [mod.to(dev) for mod in mods]
            runs = time_model(torch, dm, x.to(dev), warmup, repeats, dev.type == "cuda")
            entry[dev_name] = {"median_us": statistics.median(runs), "min_us": min(runs), "max_us": max(runs),
                               "runs_us": runs}
            print(f"cpu_latency: {i + 1}/{len(spec['models'])} {m['name']} {dev_name}: "
                  f"{entry[dev_name]['median_us']:.1f} us/seq (median of {repeats})", file=sys.stderr, flush=True)
        result["models"].append(entry)

    text = json.dumps(result, indent=2) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
