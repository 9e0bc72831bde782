// sharpgen explore: the best design for the user's models within a target area, and the Pareto
// front of the candidates (area x latency), with syntheses run on a local process pool or as a
// Slurm job array, cached by content hash.
#pragma once

#include <string>
#include <vector>

namespace sharp::cli {

struct ExploreArgs {
  std::string config;                  // base config (every field the space does not set); "" = defaults
  std::vector<std::string> overrides;  // --set key=value on the base config
  std::vector<std::string> models;     // names of BENCHMARKS.md's suite
  std::string objective = "latency";   // latency (cycles per sequence, summed) or throughput
  double target_area_mm2 = 0;          // the area constraint (required)
  double min_fmax_mhz = 0;             // 0: none (ABC's delay estimate of each synthesized candidate)
  // The search space (empty: the defaults documented in --help).
  std::vector<int> macs, k_max, k_min, act_lanes, unfold_depth, streams;
  int steps = 32;                  // T of every sequence
  int max_synth = 8;               // candidates synthesized besides the calibration anchors and the baseline
  double margin = 0.10;            // an estimate within target x (1 + margin) is still synthesized
  std::string executor = "local";  // local or slurm
  int jobs = 2;                    // local: processes at a time; slurm: array tasks at a time (0: no limit)
  std::string partition, account, time_limit;  // slurm: --partition, --account, --time ("" = the cluster's)
  std::string liberty;                         // "" = the shipped library
  std::string work = "out/explore";            // designs, job files, the cache and the report
  std::string out;                             // also generate the chosen design here
  std::string sharpgen;                        // the executable the jobs run ("" = this one)
};
int cmd_explore(const ExploreArgs& a);

}  // namespace sharp::cli
