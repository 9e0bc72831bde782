// Runs OpenSTA for run_sta: the script is synth/scripts/sta.tcl (embedded at build time) with its
// two placeholders filled in; one process times every module's cut netlist, a second one the flat
// design when it is small enough. Results come back as "@@SHARP<TAB>..." lines on stdout.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "net_model.hpp"

namespace sharp::synth::detail {

// Replaces every @NAME@ of `text` by values[NAME]. Throws SynthError "sta: <where>: ..." for a
// placeholder with no value and for a value whose placeholder the text does not have.
std::string fill_placeholders(const std::string& text, const std::map<std::string, std::string>& values,
                              const std::string& where);

// One analysis of the script: sharp_analyse tag key netlist top clock period activity.
struct StaJob {
  std::string tag;  // "module" or "flat"
  size_t key = 0;   // ModCtx::key (0 for flat)
  std::filesystem::path netlist;
  std::string top, clock;  // clock "" = virtual clock
  double period_ns = 0, activity = 0;
  std::filesystem::path delays;  // set_input_delay commands sourced after the defaults ("": none)
  bool arrivals = false;         // emit the worst arrival at every output port
};
// The script reading `liberties` and running `jobs` (paths are brace-quoted; throws for a path a
// Tcl script cannot hold).
std::string sta_script(const std::vector<std::filesystem::path>& liberties, const std::vector<StaJob>& jobs);

struct StaRun {
  std::vector<std::vector<std::string>> results;  // @@SHARP lines, split at tabs
  std::vector<std::string> errors;                // "Error:" lines
  std::vector<std::string> warnings;              // distinct "Warning:" lines
  long warning_count = 0;
  bool done = false;
  double seconds = 0;
};
// Runs one script; throws SynthError when OpenSTA fails or the script does not finish.
StaRun run_sta_script(const std::filesystem::path& exe, const std::filesystem::path& script,
                      const std::filesystem::path& log_path, bool verbose);

std::string sta_missing_message(const std::string& sta);

struct FlatResult {
  bool ok = false;  // path and power found, no error
  double slack_ns = 0, internal_w = 0, switching_w = 0, leakage_w = 0;
  std::string start, end;
};
struct OpenStaResults {
  double voltage = -1;  // OpenSTA's operating voltage (-1: unknown)
  FlatResult flat;
};
// The per-module run (results into each ModCtx; throws when a module fails) and, when the design
// has at most opt.flat_cell_limit cells, the flat run (a failure there is a note). P0 is the clock
// period the analyses use. Times and notes go to R.
OpenStaResults run_opensta(StaDesign& d, const StaOptions& opt, const std::filesystem::path& exe,
                           const std::filesystem::path& work, double P0, StaReport& R);

}  // namespace sharp::synth::detail
