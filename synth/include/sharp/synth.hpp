// sharp::synth -- logic synthesis and area estimation of a generated design with Yosys.
//
// The design directory (written by the generator) holds manifest.json, filelist.f and rtl/*.v.
// run() writes a Yosys script into Options::work_dir, runs Yosys as a child process
// (log: work_dir/yosys.log), keeps the hierarchy (each distinct module is synthesized once),
// maps to a Liberty library (default: the shipped synth/lib/sharp_generic45.lib), parses the
// per-module `stat` output and rolls areas up through the hierarchy by instance count.
// Memory modules listed in the manifest are black-boxed; each manifest memory is one SRAM macro
// whose area comes from the fitted table model synth/lib/sram_model.json (docs/ESTIMATES.md).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sharp::synth {

// Every failure of run() is reported with this type; what() is a one-line message
// starting with "synth: ".
class SynthError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::filesystem::path design_dir;              // contains manifest.json, filelist.f, rtl/*.v
  std::filesystem::path work_dir;                // scripts, logs and netlists go here (created)
  std::optional<std::filesystem::path> liberty;  // default: default_liberty()
  std::string yosys = "yosys";                   // executable (name on PATH, or a path)
  bool verbose = false;                          // echo progress lines to stderr
  // Extras (defaults give the documented flow):
  bool flatten = false;            // one Yosys run of synth -flatten (slow; for cross-checks only)
  bool abc_delay_estimate = true;  // ABC script + `buffer -N 8; stime -p` (false: Yosys' default ABC script)
  bool force = false;              // rerun Yosys even when work_dir holds results of identical inputs
  int jobs = 0;                    // Yosys processes at a time in the hierarchical flow (0: one per hardware thread)
  bool netlist = true;             // write netlist.v and list the JSON netlists (needed for timing and power)
  std::optional<std::filesystem::path> sram_model;  // memory model table (default: the embedded sram_model.json)
  std::string top;                                  // top module to synthesize (default: the manifest's, sharp_top)
};

struct ModuleArea {
  std::string module;        // base name, e.g. sharp_mult
  std::string block;         // manifest "blocks" category of the base name, or "other"
  long instances = 0;        // instances of this (parameterized) module in the whole design
  long cells_each = 0;       // library cells in one instance (sub-module instances excluded)
  double area_each_um2 = 0;  // own cell area of one instance (sub-modules excluded)
  double nand2_eq_each = 0;  // area_each_um2 / NAND2 area
  // Extras:
  std::string yosys_name;                  // Yosys' name, e.g. $paramod\sharp_mult\W=s32'...1000
  std::string params;                      // decoded parameters, e.g. "W=8" ("" if none, "hash ..." if hashed)
  double area_total_um2 = 0;               // instances * area_each_um2
  std::map<std::string, long> cell_types;  // leaf cell type -> count, one instance
  long unmapped_cells_each = 0;            // cells not from the library (e.g. $_DLATCH_P_)
};

struct MemoryArea {
  std::string path;    // instance path from the manifest (one SRAM macro)
  std::string module;  // memory module (base name)
  long bits = 0;
  double area_um2 = 0;   // the SRAM model's macro area, scaled by the library's NAND2 area
  std::string block;     // extra: manifest block of the module, or "memories"
  long depth = 0;        // extra: words (manifest depth)
  long width_bits = 0;   // extra: bits per word (manifest elem_bits x elems)
  std::string buffer{};  // extra: the logical buffer the macro belongs to ("" when the manifest has none)
  long base = 0;         // extra: first buffer word the macro holds
};

struct Report {
  std::string liberty_name;
  double nand2_area_um2 = 0;
  std::vector<ModuleArea> modules;               // every distinct synthesized module, largest total first
  std::map<std::string, double> block_area_um2;  // logic + memories, by block category
  std::vector<MemoryArea> memories;
  double memory_area_um2 = 0;
  double logic_area_um2 = 0;
  long logic_cells = 0;
  long flip_flops = 0;        // extra: sequential library cells among logic_cells
  double total_area_um2 = 0;  // logic + memories
  long check_problems = 0;    // latches, undriven nets, multiple drivers, comb loops
  std::vector<std::string> check_messages;
  double abc_delay_ns = -1;  // max over modules of ABC's `stime` delay; -1 if unknown

  // Extras:
  std::string top;
  std::string liberty_path;
  std::string nand2_cell;          // the cell used as the NAND2 reference
  std::string abc_delay_module;    // module in which abc_delay_ns was found
  double yosys_top_area_um2 = -1;  // Yosys' own "Chip area for top module" (flat runs only)
  std::string yosys_version;
  double yosys_seconds = 0;               // 0 when earlier results were reused
  bool reused = false;                    // Yosys not rerun: same script and inputs as the last run
  std::string log_path;                   // work_dir/yosys.log
  std::string netlist_path;               // work_dir/netlist.v (mapped, hierarchical)
  std::vector<std::string> netlist_json;  // the same as Yosys JSON (one file per module; run_sta reads these)
  bool flattened = false;
  std::vector<std::string> notes;           // model caveats and cross-check mismatches
  std::vector<std::string> yosys_warnings;  // other "Warning:" lines of the log (deduplicated)
  std::string sram_model_path;              // the memory model's table file ("" = the embedded one)
  nlohmann::json sram_model;                // its version, method, fitted coefficients and sources

  nlohmann::json to_json() const;
  std::string table() const;         // per-block table with totals
  std::string module_table() const;  // per-module table
};

// FPGA resources from Yosys' synth_xilinx (7-series), hierarchical, memories included (block RAM
// is inferred from the behavioural sharp_sram). Counts are rolled up by instance count.
struct FpgaOptions {
  std::filesystem::path design_dir;
  std::filesystem::path work_dir;
  std::string yosys = "yosys";
  std::string family = "xc7";
  bool verbose = false;
};
struct FpgaReport {
  std::string family, top, yosys_version, log_path;
  double yosys_seconds = 0;
  std::map<std::string, long> cell_types;  // every primitive, whole design
  long luts = 0;                           // LUT1..LUT6
  long lutram_cells = 0;                   // RAM32M/RAM64M/RAM*X1*/SRL* (distributed memory and shift registers)
  long ffs = 0;                            // FDRE/FDSE/FDCE/FDPE
  long dsps = 0;                           // DSP48E1
  double bram36 = 0;                       // RAMB36E1 + RAMB18E1 / 2
  long carry4 = 0;
  std::map<std::string, std::map<std::string, long>> block_cells;  // block -> summary -> count
  nlohmann::json to_json() const;
  std::string table() const;
};
FpgaReport run_fpga(const FpgaOptions&);

// True if `yosys` (a name on PATH or a path) runs; *version gets its `-V` line.
bool yosys_available(const std::string& yosys, std::string* version = nullptr);

// Runs the flow; throws SynthError.
Report run(const Options&);

// The smallest usable buffer of a Liberty file (a one-input, non-sequential, not dont_use cell
// whose function is its input), as the synthesis flow picks it for `insbuf`; nullopt if none.
struct BufferCell {
  std::string name, in, out;
  double area_um2 = 0;
};
std::optional<BufferCell> liberty_buffer(const std::filesystem::path& liberty);

// The shipped Liberty file (compiled-in path into the source tree).
std::filesystem::path default_liberty();

}  // namespace sharp::synth
