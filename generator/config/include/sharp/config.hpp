// Design configuration: a JSON file plus `key=value` overrides, parsed into one typed,
// validated structure. Every rejection is a sharp::Error naming field, value and what is allowed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/numerics.hpp"

namespace sharp {

// The tile schedule. The values are the hardware's codes: the `Schedule` parameter of
// rtl_templates/sharp_scheduler.sv and the P_SCHEDULE register; the cycle model that mirrors
// that scheduler is predict_cycles() in generator/plan/src/plan.cpp.
enum class Schedule : int { Sequential = 0, Intergate = 1, Unfolded = 2 };
const char* schedule_name(Schedule s);

// The built-in defaults are Sharp's default design, equal to examples/configs/default.json
// (a test checks it); only the name differs.
struct Config {
  std::string name = "custom";
  int macs = 256;        // multipliers in the array (N)
  int k_max = 16;        // widest dot-product width
  int k_min = 4;         // narrowest dot-product width (k_max when only k_max is given)
  int max_hidden = 256;  // largest H the buffers hold
  int max_input = 256;   // largest X the buffers hold
  NumFormat format;      // number format
  Schedule schedule = Schedule::Unfolded;
  int unfold_depth = 2;  // future steps of W·x that may be precomputed
  int act_lanes = 0;     // neurons per cycle in activation/cell update; 0 = auto
  int sram_kb = 32;      // largest SRAM macro, KB: every buffer is built of macros of at most this size
  int sram_width = 256;  // widest SRAM macro word, bits (at least one element): wider buffers are split by width
  int weight_slots = 1;  // layers the weight and bias memories hold (load one while another runs)
  int streams = 1;       // independent sequences a run may interleave (h and c state for each)
  int cells = 1;         // cell kinds the design supports: bit c for Cell c (1 = lstm only)
  // Host interface wrapped around the core: "none" (the bare register port and valid/ready
  // streams of sharp_top) or "axi" (also sharp_axi_top: AXI4-Lite registers, AXI4-Stream data).
  std::string shell = "none";
  bool axi() const { return shell == "axi"; }

  bool has_cell(Cell c) const { return (cells >> static_cast<int>(c)) & 1; }
  // The lowest kind the design has (register CELL's reset value).
  Cell first_cell() const;

  nlohmann::json to_json() const;
};

// Parse a JSON document (already loaded) with overrides applied; validates everything.
Config config_from_json(const nlohmann::json& j);
// Load a config file (or none: defaults) and apply `key=value` overrides (dotted keys for
// nested fields, e.g. format.data_bits=12; values are JSON scalars or bare strings).
Config load_config(const std::filesystem::path* file, const std::vector<std::string>& overrides);
// Check cross-field rules; throws sharp::Error.
void validate(const Config& c);

}  // namespace sharp
