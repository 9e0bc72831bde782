// Switching activity of a generated design, for power estimation: one layer run through a
// Verilator simulator built with toggle coverage (and a probe counting memory accesses),
// bit-exact against the golden model, reduced to per-module toggle rates. See docs/ACTIVITY.md
// for the method, the JSON schema and what is (not) covered.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/plan.hpp"
#include "sharp/verify.hpp"

namespace sharp {

struct ActivityOptions {
  uint64_t seed = 1;
  bool zero_data = false;      // all-zero weights, biases and inputs
  std::filesystem::path work;  // scratch directory (empty: DIR/runs/activity_...)
  bool verbose = false;
};

// Builds (cached, DIR/sim-cov) the coverage simulator of the design, runs one layer of shape
// `shape` (random data from the seed, or all zeros; width 0 = the design's k_max), checks the
// run is bit-exact against the golden model (throws sharp::Error if not), parses the coverage
// database and returns the activity JSON:
//   {"design", "shape": {"hidden","input","steps","width"}, "data": "random seed S" | "all zeros",
//    "cycles", "modules": {BASE: {"instances", "mean_toggle_rate", "bits": {SIGNAL: rate}}},
//    "memories": {BASE: {"reads_per_cycle", "writes_per_cycle", "bits_per_access"}}}
nlohmann::json measure_activity(const Design& d, const RunShape& shape, const ActivityOptions& o);

// --- The pieces, for tools and tests ---------------------------------------------------------

// One entry of a Verilator coverage database (coverage.dat, "SystemC::Coverage-3").
struct CoveragePoint {
  std::string page;     // e.g. "v_toggle/sharp_mult__W10", "v_user/sharp_cov_mem_probe"
  std::string comment;  // the "o" key: signal bit ("p_o[31]", "valid_q") or cover label
  std::string hier;     // the "h" key: instance path ("TOP.sharp_top.u_core....")
  uint64_t count = 0;
};
// Reads a coverage.dat; throws sharp::Error if it cannot be read or a line is malformed.
std::vector<CoveragePoint> read_coverage(const std::filesystem::path& file);

// Base module name of a Verilator module name (parameterized copies are named BASE__...):
// the longest of `known` that is the name or its prefix followed by "__"; else the part
// before the first "__".
std::string module_base_name(const std::string& verilator_name, const std::vector<std::string>& known);

// Reduces per-instance coverage points over `cycles` clock cycles to the "modules" and
// "memories" objects of the activity JSON (the design supplies module names, memory modules
// and memory geometry from its manifest).
nlohmann::json activity_from_coverage(const std::vector<CoveragePoint>& points, uint64_t cycles, const Design& d);

}  // namespace sharp
