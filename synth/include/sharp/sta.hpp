// sharp::synth -- static timing and power estimation with OpenSTA on top of the Yosys area flow.
//
// Input: a Report from sharp::synth::run() (its mapped netlist as Yosys JSON, Report::netlist_json,
// and its Liberty file).
// run_sta() analyses each distinct synthesized module alone with OpenSTA (its sub-module
// instances are cut out and their pins become ports with zero input/output delay), and, when
// the whole design is small enough, the flat design as well (true worst path). Power is
// rolled up per module like the area: instances x power of one instance, with the nets that
// cross module boundaries accounted for by sharpgen's own net model (see docs/TIMING_POWER.md).
// Memories (black boxes) are timed as registers at their pins; their power is the SRAM model's
// energy per read and per write times the measured accesses, plus each macro's leakage. A missing `sta` executable
// falls back to Report::abc_delay_ns.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/synth.hpp"

namespace sharp::synth {

struct StaOptions {
  std::string sta = "sta";                             // executable (name on PATH, or a path)
  std::filesystem::path work_dir;                      // scripts, netlists and logs go here (created)
  double clock_period_ns = 0;                          // power is computed at this period; 0 = at the fmax found
  long flat_cell_limit = 2'000'000;                    // analyse the whole design flat only up to this many leaf cells
  std::optional<std::filesystem::path> activity_json;  // switching activity measured in simulation
  double default_activity = 0.1;                       // toggles per cycle for nets with nothing better
  bool verbose = false;                                // progress lines on stderr
  // Extras (defaults give the documented method):
  std::string clock_port = "clk_i";  // preferred clock port name (then clk, clock, clk*)
  double sram_access_ns = 0.0;       // clock-to-output time of a memory read (0 = ideal register)
  // Nets with more loads than this (cell and sub-module input pins) get a tree of the library's
  // smallest buffer before the analysis, as a physical flow would: ABC buffers inside a module,
  // but a net through module boundaries (one register driving every accumulator row) is never
  // seen whole by it. 0: no buffering.
  int max_fanout = 8;
  // Passes of the per-module analysis that carry the worst arrival at each module's outputs to
  // the inputs they feed (docs/TIMING_POWER.md, "Paths across module boundaries"); it stops
  // when no input arrival changes. 1: the cut analysis only (every input at 0).
  int boundary_passes = 16;
  // OpenSTA processes at a time for the modules of one pass (0: one per hardware thread).
  int jobs = 0;
};

struct ModuleTiming {
  std::string module, params, block;
  long instances = 0;
  double worst_path_ns = 0;  // arrival + setup of the worst path ending in the module, inputs at their boundary arrival
  std::string startpoint, endpoint;
  double dynamic_mw_each = 0;  // switching (boundary nets included) + internal + clock pins
  double leakage_mw_each = 0;
  // Extras:
  std::string yosys_name;
  long cells_each = 0;
  long cut_pins = 0;                     // sub-module / boundary pins turned into ports for the analysis
  std::string clock_port;                // port used as clock ("" = virtual clock)
  double switching_mw_each = 0;          // net switching, activity-weighted, boundary nets included
  double internal_mw_each = 0;           // Liberty internal power (OpenSTA, at the module's default activity)
  double clock_mw_each = 0;              // clock pins of this module's cells, 2 transitions per cycle
  double opensta_switching_mw_each = 0;  // OpenSTA report_power switching at the module's default
                                         // activity, this module's own nets only (cross-check)
  double default_activity = 0;           // toggles/cycle used for nets without a measured rate
  long activity_matched = 0;             // activity-file names found as nets of this module
};

struct MemoryPower {
  std::string path, module, block;
  long bits = 0;
  long depth = 0;                                    // words (manifest)
  long word_bits = 0;                                // bits per access (manifest elem_bits x elems)
  double reads_per_cycle = 0, writes_per_cycle = 0;  // measured for this instance (else file totals / instances)
  bool dynamic_estimated = false;                    // false: no activity data, dynamic_mw is 0 (not an estimate)
  double read_pj = 0, write_pj = 0;                  // SRAM model, per access
  double dynamic_mw = 0, leakage_mw = 0;             // leakage: SRAM model, always
};

struct StaReport {
  std::string method;  // "opensta-flat", "opensta-boundary" (per module with boundary arrivals), or "abc-estimate"
  double critical_path_ns = 0, fmax_mhz = 0;
  std::string critical_module, startpoint, endpoint;
  double clock_period_ns = 0;  // period used for power
  double dynamic_mw = 0, leakage_mw = 0, memory_dynamic_mw = 0, memory_leakage_mw = 0, total_mw = 0;
  std::map<std::string, double> block_power_mw;  // logic dynamic+leakage by block, plus memories
  std::vector<ModuleTiming> modules;
  std::string activity_source;     // "simulation: <file>" or "default <x> toggles/cycle"
  std::vector<std::string> notes;  // every caveat (cut paths, black boxes, unmatched nets ...)

  // Extras:
  std::string sta_version;
  double voltage = 0;                      // supply used for switching power (V)
  double clock_mw = 0;                     // part of dynamic_mw: clock pins (ideal clock net)
  double per_module_critical_path_ns = 0;  // max over modules (cut paths: every input at 0)
  double boundary_critical_path_ns = 0;    // max over modules, inputs at their boundary arrivals
  int boundary_passes = 0;                 // OpenSTA passes of the per-module analysis
  bool boundary_converged = false;         // the last pass changed no input arrival
  double flat_critical_path_ns = -1;       // -1: no flat run
  double flat_switching_mw = -1;           // flat report_power switching at default_activity, at the power period
  double flat_leakage_mw = -1;
  double rollup_uniform_switching_mw = -1;  // roll-up at default_activity everywhere (compare with flat)
  double opensta_rollup_switching_mw = 0;   // instances x per-module report_power (no boundary nets)
  std::vector<MemoryPower> memories;
  bool memory_dynamic_estimated = false;  // every memory's accesses came from the activity file
  nlohmann::json sram_model;              // the SRAM model used (version, method, coefficients, sources)
  long activity_matched = 0, activity_unmatched = 0;
  long cut_pins = 0;
  std::string fanout_buffer_cell;     // buffer used for the fanout trees ("" = none)
  long fanout_buffers = 0;            // buffers added, all instances counted
  double fanout_buffer_area_um2 = 0;  // their area (not in the synthesis area report)
  double per_module_seconds = 0, flat_seconds = 0;
  std::string work_dir;

  nlohmann::json to_json() const;
  std::string table() const;
};

// True if `sta` (a name on PATH or a path) runs; *version gets its `-version` output.
bool sta_available(const std::string& sta, std::string* version = nullptr);

// Runs the analysis; throws SynthError with a one-line "sta: ..." message.
StaReport run_sta(const Report& area, const StaOptions&);

}  // namespace sharp::synth
