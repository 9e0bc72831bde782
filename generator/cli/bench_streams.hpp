// bench's streams section: Sharp with a batch of sequences run as streams (the STREAMS
// register: n sequences of a layer interleaved step by step in one run), the two directions of
// a bidirectional layer as streams of one run too (each computing its own weight slot), at every
// budget and batch size, beside the dependency bound. Every cycle figure is the
// cycle model's (exact against the RTL, which the streams regressions check).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/plan.hpp"

namespace sharp::cli {

struct StreamsModel {
  std::string name;
  std::vector<std::pair<int, int>> units;  // (H, X) of every layer and direction, in run order
  bool bidirectional = false;              // units come in pairs: a layer's two directions
};
struct StreamsInput {
  std::vector<int> budgets, batches;
  int steps = 1;
  std::map<int, const Plan*> plans;  // Sharp's design at each budget, with streams >= every batch
  std::map<int, double> clock_mhz;   // each budget's clock (fmax with --estimate)
  std::string clock_source;
  std::vector<StreamsModel> models;
};
// {"design": ..., "rows": [per model, budget and batch], "summary": [per budget and batch]};
// the fields are documented in docs/BENCHMARKS.md.
nlohmann::json streams_section(const StreamsInput& in);
// The terminal table of the summary, and what limits each budget.
void print_streams_table(const nlohmann::json& section);
// bench.csv's streams section: one line per row.
std::string streams_csv(const nlohmann::json& section);

}  // namespace sharp::cli
