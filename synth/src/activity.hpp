// The activity file of run_sta (sharpgen activity's output: toggles per cycle per module and per
// net, memory accesses) and how it is applied: each module's default rate, and each net's own rate
// matched to the netlist's names.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net_model.hpp"

namespace sharp::synth::detail {

struct ModActivity {
  std::optional<double> mean;
  long instances = -1;
  std::vector<std::pair<std::string, double>> bits;
};

struct MemActivity {
  std::optional<double> reads, writes, bits_per_access;
  // Per instance path (manifest form, e.g. u_core.u_weight_mem.gen_bank[0].u_bank): reads, writes.
  std::map<std::string, std::pair<double, double>> instances;
};

struct ActivityFile {
  std::string path;
  long cycles = -1;
  std::map<std::string, ModActivity> modules;
  std::map<std::string, MemActivity> memories;
};

// Reads and checks the file; throws SynthError "sta: activity file '<path>': <field>: <what>".
ActivityFile read_activity(const std::filesystem::path& path);

// Netlist names an activity name can have: "a_i[3]" is the net a_i_3_ after Yosys'
// `splitnets -ports -format __`; "gen_x[2].sum_q[5]" is gen_x[2].sum_q_5_.
std::vector<std::string> activity_candidates(const std::string& name);

// Sets every module's alpha0 (the file's mean rate, else default_activity) and its nets' measured
// rates; notes what matched in R (activity_matched / activity_unmatched and the notes).
void apply_activity(StaDesign& d, const ActivityFile* act, double default_activity, StaReport& R);

}  // namespace sharp::synth::detail
