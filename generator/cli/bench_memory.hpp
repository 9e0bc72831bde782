// bench's memory-system figures for one (model, budget): the on-chip capacity the model's
// weights need (MB, and mm² from the SRAM model), the latency per sequence with the weights
// resident and with them streamed from DRAM (LPDDR4, HBM2) into a design of two weight slots,
// which bound applies (compute, recurrence or bandwidth), the DRAM traffic and its energy; and
// the roofline chart of the streamed rows. Every cycle figure is the program model's
// (sharp/program.hpp), exact against the RTL where both run.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/plan.hpp"

namespace sharp::cli {

struct MemoryRowInput {
  const Plan* plan = nullptr;              // Sharp's design at the budget, with 2 weight slots
  std::vector<std::pair<int, int>> units;  // (H, X) of every layer and direction, in run order
  std::vector<int> widths;                 // the planner's width of each
  std::vector<uint64_t> cycles;            // each one's CYCLES (cycle model) at `steps`
  int steps = 1;
  double clock_mhz = 0;
  std::string clock_source;  // where the clock comes from (fmax or --clock-mhz)
};
// The figures of one row (JSON, documented in docs/BENCHMARKS.md).
nlohmann::json memory_row(const MemoryRowInput& in);

// With --estimate: the energy per inference of a row with its weights streamed from each DRAM
// kind, from the row's resident estimate (row["estimate"]), its memory figures and the budget's
// leakage and clock powers: resident energy + the loads' SRAM writes + DRAM bits x pJ/bit + leakage
// and the logic's clock pins over the extra time. Returns {kind: {energy_uj, pj_per_mac,
// dram_pj_per_mac, gops_per_w, method}}.
nlohmann::json streamed_energy(const nlohmann::json& row, double logic_leakage_mw, double memory_leakage_mw,
                               double logic_clock_mw);

// bench.csv's memory section: one line per (model, budget, weights resident / streamed kind).
std::string memory_csv(const nlohmann::json& rows);
// The terminal table of every row's "memory" figures.
void print_memory_table(const nlohmann::json& rows);
// A deterministic SVG roofline: attainable GOP/s against operations per DRAM byte, the roofs of
// every budget at its clock and of LPDDR4 and HBM2, and the streamed rows as points.
std::string roofline_svg(const nlohmann::json& rows, const std::vector<int>& budgets);

}  // namespace sharp::cli
