// Verification of a generated design: build its Verilator simulator once (cached), run
// run-time cases through it, and compare every h_t and c_t bit for bit with the golden model.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/manifest.hpp"

#include "sharp/golden.hpp"
#include "sharp/plan.hpp"
#include "sharp/program.hpp"
#include "sharp/stimulus.hpp"

namespace sharp {

// A generated design on disk: its manifest, config and plan.
struct Design {
  std::filesystem::path dir;
  Manifest manifest;
  Plan plan;
};
// Reads DIR/manifest.json; checks the version and that the RTL files match their hashes.
Design load_design(const std::filesystem::path& dir);

struct SimBuildOptions {
  bool trace = false;  // compile FST tracing in (a separate cached build)
  // Compile toggle coverage and the memory access counters in (a separate cached build,
  // DIR/sim-cov; see docs/ACTIVITY.md). The simulator then accepts --coverage FILE.
  bool coverage = false;
  bool verbose = false;  // show Verilator's output
  // The AXI shell's harness (axi_main.cpp: the design's C driver over AXI4-Lite and AXI4-Stream
  // models with a protocol checker; DIR/sim-axi). Needs a design generated with shell = "axi".
  bool axi = false;
  int jobs = 2;
};
// Builds (or reuses) DIR/sim[-trace][-cov]/sharp_sim. Returns the executable.
std::filesystem::path build_simulator(const Design& d, const SimBuildOptions& o, bool* rebuilt = nullptr);

struct SimOptions {
  uint64_t seed = 1;
  double valid_prob = 1.0;  // probability an input stream offers a beat in a cycle
  double ready_prob = 1.0;  // probability the output stream is ready in a cycle
  std::optional<std::filesystem::path> trace;
  // Write the coverage database (Verilator's coverage.dat format, one entry per instance) at
  // the end of the run; needs a simulator built with SimBuildOptions::coverage.
  std::optional<std::filesystem::path> coverage;
  std::filesystem::path work;  // scratch directory for the stimulus and outputs
  // Checker self-test: flip this bit of h[step][neuron] in the RTL outputs before comparing.
  std::optional<std::array<int, 3>> flip;
  // Self-test of a run with initial state: flip this bit of h_{-1}[neuron] of stream 0 in the
  // state stream only (the golden model keeps the true value), so the outputs must differ.
  std::optional<std::array<int, 2>> flip_state;
  // Checker self-test: flip bit 0 of this design-parameter register (P_*) as read from the RTL
  // before comparing it with the plan.
  std::optional<std::string> flip_param;
  // Checker self-test: add one run read to the measured counts of this SRAM macro (its path
  // below the top, as in Plan::memories) before comparing them with the access model.
  std::optional<std::string> flip_count;
  // Misuse of the hardware before or during the run (see kScenarios); "none" for a plain run.
  std::string scenario = "none";
  // AXI harness only, checker self-test: the harness breaks the protocol once (valid_drop,
  // data_change, tlast_flip), so the case must fail with a protocol violation.
  std::string inject_violation;
};
// The harness's scenarios: reset in mid-run, and illegal requests the hardware must refuse.
extern const std::vector<std::string> kScenarios;

// Hardware outputs of one run, per step and neuron, with the counters.
struct SimResult {
  std::vector<std::vector<int64_t>> h, c;
  nlohmann::json counters;  // the simulator's JSON line
  bool done = false;
};
// `more`: further weight sets (set i + 1 is loaded into slot i + 1, `stim` into slot 0), and
// `stream_slots` the STREAM_SLOTS register (stream s computes slot bits 4s+3..4s).
SimResult run_simulator(const Design& d, const std::filesystem::path& exe, const RunShape& shape, const Stimulus& stim,
                        const SimOptions& o, const std::vector<Stimulus>& more = {}, uint32_t stream_slots = 0);

struct Mismatch {
  int step, neuron;
  std::string what;  // "h" or "c"
  int64_t expected, got;
};
// Compares hardware outputs with the golden trace; returns every mismatch (empty = bit-exact).
std::vector<Mismatch> compare_outputs(const FixedTrace& golden, const std::vector<std::vector<int64_t>>& h,
                                      const std::vector<std::vector<int64_t>>& c);

// One complete case: random layer and inputs from `seed`, golden model, RTL, comparison,
// counters and the cycle model.
struct CaseResult {
  RunShape shape;
  uint64_t seed = 0;
  bool bit_exact = false;
  long mismatches = 0;
  std::vector<Mismatch> first_mismatches;  // up to 8
  uint64_t cycles = 0, predicted_cycles = 0, active = 0, macs = 0;
  double utilization = 0;  // 4H(X+H)T / (N * cycles)
  nlohmann::json counters;
  std::string scenario = "none";
  std::string scenario_problems;  // empty: the hardware did what the scenario expects
  // Every design-parameter register (P_*) is read after reset and compared with the plan's
  // value; empty when all agree.
  std::string param_problems;
  int params_checked = 0;
  // The reads and writes of every SRAM macro, in the load and in the run, as the simulator
  // counted them, against sharp::predict_counts (not for misuse scenarios); empty when every
  // count agrees and the macros are those of the plan.
  std::string access_problems;
  int macros_checked = 0;     // macros compared, 4 counts each (load/run reads/writes)
  int events_checked = 0;     // datapath and stream events compared (sharp::kEventNames)
  bool backpressure = false;  // streams stalled at random: the cycle model does not apply
  // AXI harness: the protocol checker's findings (empty: none) and the bus checks passed.
  std::string protocol_problems;
  long protocol_violations = 0;
  int bus_checks = 0;
  bool model_exact() const { return cycles == predicted_cycles; }
  bool passed() const {
    return bit_exact && (backpressure || model_exact()) && macs == frame_macs(shape) && scenario_problems.empty() &&
           param_problems.empty() && access_problems.empty() && protocol_problems.empty();
  }
  nlohmann::json to_json() const;
};
struct CaseData {
  FixedLayer layer;
  std::vector<std::vector<int64_t>> xs;  // steps x streams vectors, virtual-step order (t n + s)
  // Weights of its own for every stream (stream s: own[s], loaded into slot s), as the two
  // directions of a bidirectional layer have; empty: every stream computes `layer`.
  std::vector<FixedLayer> own;
  // Initial state of every stream (the run's INIT_STATE: sent through the state stream); empty:
  // every stream starts from h = c = 0.
  std::vector<FixedState> init;
  const FixedLayer& of_stream(int s) const { return own.empty() ? layer : own[static_cast<size_t>(s)]; }
};
// The golden trace of `streams` sequences, in virtual-step order: xs[t n + s] is step t of
// stream s, and so are the trace's entries; stream s computes data.of_stream(s). With
// `wavefront` g > 0 the streams are a skewed stack (sharp_scheduler): stream s >= g (layer
// s / g) reads h of stream s - g of the previous time slot instead of its xs (0 in slot 0),
// and stream s starts from zero state in slot 0 and again in slot s / g. Otherwise stream s
// starts from data.init[s] when given.
FixedTrace golden_streams(const FixedLstm& golden, const CaseData& data, int streams, int wavefront = 0);
// Random weights (PyTorch's init scale) and inputs in ±1, quantized, from the seed; with
// `own_weights`, a layer of its own for every stream; with s.init, a random initial state for
// every stream (h in ±1, c in ±2; c also for the kinds that ignore it, as the hardware must).
CaseData random_case(const Plan& p, const RunShape& s, uint64_t seed, bool own_weights = false);
// `hw_out` (if given) receives the hardware outputs as the comparison saw them.
CaseResult run_case(const Design& d, const std::filesystem::path& exe, const RunShape& s, uint64_t seed,
                    const SimOptions& o, const CaseData* data = nullptr, SimResult* hw_out = nullptr);

// A program (sharp/program.hpp) in one simulator process: every load's layer and every run's
// inputs, each run compared bit for bit with the golden model, the end-to-end cycles and every
// run's CYCLES counter with the program model, every macro's reads and writes over the whole
// program with program_counts, the P_* registers with the plan.
struct ProgramData {
  std::vector<FixedLayer> layers;  // one per load
  // One sequence per run (steps x streams vectors in virtual-step order with streams).
  std::vector<std::vector<std::vector<int64_t>>> inputs;
  // Per run: every stream's initial state for a run with ProgramRun::init (empty otherwise).
  std::vector<std::vector<FixedState>> init;
};
struct ProgramRunResult {
  bool bit_exact = false;
  long mismatches = 0;
  std::vector<Mismatch> first_mismatches;  // up to 8
  uint64_t cycles = 0, predicted_cycles = 0, macs = 0;
  std::pair<int64_t, int64_t> span{-1, -1}, predicted_span{-1, -1};  // request, seen finished
  std::vector<std::vector<int64_t>> h, c;                            // the hardware's outputs
  uint32_t error = 0;
};
struct ProgramResult {
  std::vector<ProgramRunResult> runs;
  std::vector<std::pair<int64_t, int64_t>> load_spans, predicted_load_spans;
  uint64_t cycles = 0, predicted_cycles = 0;  // end to end
  uint64_t compute = 0, loading = 0;          // sums of the runs' CYCLES and of the load spans (model)
  std::string access_problems, param_problems;
  int macros_checked = 0, params_checked = 0, events_checked = 0;
  nlohmann::json counters;  // the simulator's JSON line
  bool bit_exact() const;
  bool model_exact() const;  // end to end, every span and every CYCLES counter
  bool passed() const { return bit_exact() && model_exact() && access_problems.empty() && param_problems.empty(); }
};
// `o`: seed, trace, work, flip (step, neuron, bit of run 0), flip_count and flip_param as in
// run_case; no back-pressure, no scenario.
ProgramResult run_program(const Design& d, const std::filesystem::path& exe, const Program& g, const ProgramData& data,
                          const SimOptions& o);

}  // namespace sharp
