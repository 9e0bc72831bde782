// sharpgen explore: the best design for the user's models within a target area, and the Pareto
// front of the candidates (area x latency x energy), with syntheses run on a local process pool or as a
// Slurm job array, cached by content hash.
#pragma once

#include <string>
#include <vector>

namespace sharp::cli {

struct ExploreArgs {
  std::string config;                  // base config (every field the space does not set); "" = defaults
  std::vector<std::string> overrides;  // --set key=value on the base config
  std::vector<std::string> models;     // suite names (BENCHMARKS.md), model directories or .onnx files
  // latency (cycles per sequence, summed), energy (per inference, summed) or throughput
  std::string objective = "latency";
  double target_area_mm2 = 0;  // the area constraint (required)
  double min_fmax_mhz = 0;     // 0: none (OpenSTA's fmax of each synthesized candidate)
  double max_power_mw = 0;     // 0: none (mean power over the models' runs at fmax)
  // resident: every layer's weights on chip when it runs (loads not counted); onchip: the same
  // with weight slots for every layer and direction of the largest model (no load after the
  // first); or a DRAM kind of the SRAM model's table (LPDDR4, HBM2): streamed from it into two
  // weight slots once per inference
  std::string weights = "resident";
  // The search space (empty: the defaults documented in --help).
  std::vector<int> macs, k_max, k_min, act_lanes, unfold_depth, streams;
  std::vector<std::string> formats;  // number formats, D:F:A:C[:S] each (empty: the base config's)
  int steps = 32;                    // T of every sequence
  int max_synth = 8;                 // candidates synthesized besides the calibration anchors and the baseline
  double margin = 0.10;              // an estimate within target x (1 + margin) is still synthesized
  std::string executor = "local";    // local or slurm
  int jobs = 2;                      // local: processes at a time; slurm: array tasks at a time (0: no limit)
  std::string partition, account, time_limit;  // slurm: --partition, --account, --time ("" = the cluster's)
  std::string liberty;                         // "" = the shipped library
  std::string work = "out/explore";            // designs, job files, the cache and the report
  std::string out;                             // also generate the chosen design here
  std::string sharpgen;                        // the executable the jobs run ("" = this one)
};
int cmd_explore(const ExploreArgs& a);

}  // namespace sharp::cli
