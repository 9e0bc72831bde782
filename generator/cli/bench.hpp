// sharpgen bench: the BENCHMARKS.md suite of public LSTM shapes over multiplier budgets,
// Sharp's unfolded schedule against the sequential and intergate baselines on the same array.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sharp::cli {

struct BenchArgs {
  std::vector<int> budgets = {256, 1024, 4096, 16384, 65536};
  std::vector<std::string> models;  // empty: the whole suite
  std::string cell = "lstm";        // every model's layers as this cell kind (the designs have only it)
  int steps = 32;
  double rtl_budget_s = 120;  // wall time allowed for RTL simulation
  std::string out = "out/bench";
  uint64_t seed = 1;
  // The streams section: Sharp with each sequence of a batch a stream of one run (the design
  // holds the largest batch's streams, rounded up to a power of two).
  std::vector<int> batches = {1, 4, 8};
  // Also synthesize each budget's Sharp design (Yosys, hierarchical; cached in
  // OUT/designs/est_<budget>) and time it (OpenSTA): fmax, power, latency, GOP/s, GOP/s/W.
  bool estimate = false;
  // The clock of the memory figures (DRAM bytes per cycle, latency in us) without --estimate;
  // with it, each budget's fmax.
  double clock_mhz = 225;
  std::string liberty;    // "" = the shipped default library
  double activity = 0.1;  // toggles per cycle of every net for the power estimate
  // "What a user would use instead": torch.nn.LSTM at batch 1 on this machine
  // (examples/torch/cpu_latency.py, run once), next to Sharp's cycles (and µs at fmax) per sequence.
  bool torch = true;      // --no-torch: skip it
  std::string python;     // "" = python3 on PATH, then /usr/bin/python3 if that one has no torch
  int torch_repeats = 5;  // timed runs per model (the median is reported)
  int torch_warmup = 1;   // untimed runs before them
  int torch_threads = 0;  // torch.set_num_threads(); 0 = torch's default
};
int cmd_bench(const BenchArgs& a);

// The suite of BENCHMARKS.md: public LSTM architectures, dimensions per layer.
struct SuiteModel {
  std::string name, task;
  int layers;
  bool bidirectional;
  std::vector<int> hidden;  // per layer
  int input;                // of layer 1
};
const std::vector<SuiteModel>& bench_suite();
// Every layer run of a model: (H, X), a reverse direction being one more run of the same shape.
std::vector<std::pair<int, int>> suite_layer_runs(const SuiteModel& m);

// The widest dot-product width of Sharp's array at a budget: the power of two >= sqrt(budget),
// from 16 up to 256 (rows = budget / width).
int width_for(int budget);

}  // namespace sharp::cli
