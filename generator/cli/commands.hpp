// The sharpgen subcommands, kept apart from argument parsing (main.cpp, the one file that
// includes CLI11). Each returns the process exit code; errors are thrown as sharp::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sharp::cli {

struct GenerateArgs {
  std::string config;                  // empty: built-in defaults
  std::vector<std::string> overrides;  // key=value
  std::string out;
  std::string command;         // for the banners
  double target_area_mm2 = 0;  // > 0: pick the largest budget whose estimate fits
  std::string liberty;         // for --target-area
  std::string yosys = "yosys";
  // Model directories (docs/MODEL_FORMAT.md) the design must hold: max_hidden, max_input and
  // weight_slots (every layer and direction of the largest model resident) are set from them.
  std::vector<std::string> fit_models;
  // With --target-area: the benchmark suite's models the design is for; the design is then
  // sharpgen explore's answer (latency over these models) instead of the largest budget.
  std::vector<std::string> models;
};
int cmd_generate(const GenerateArgs& a);

struct VerifyArgs {
  std::string design;
  int hidden = 0, input = 0, steps = 0, width = 0;
  int streams = 1;           // sequences of the layer interleaved in one run (the STREAMS register)
  int wavefront = 0;         // the streams as a stack's layers, g per layer (the WAVEFRONT register)
  bool own_weights = false;  // every stream computes a layer of its own (slot s), as directions do
  std::string cell;          // cell kind of the run (one of the design's cells); empty: the design's first
  bool init = false;         // the run starts from a random initial state (INIT_STATE, the state stream)
  uint64_t seed = 1;
  bool json = false;
  std::string dump, trace;
  double valid_prob = 1.0, ready_prob = 1.0;
  bool verbose = false;
  std::string flip;               // "STEP:NEURON:BIT": corrupt one RTL output bit (checker self-test)
  std::string flip_param;         // a P_* register: corrupt one bit of it as read (checker self-test)
  std::string flip_state;         // "NEURON:BIT": corrupt one bit of stream 0's h_{-1} sent to the RTL
  std::string flip_count;         // an SRAM macro path: add one run read to its measured counts (self-test)
  std::string scenario = "none";  // misuse of the hardware (sharp::kScenarios)
  std::string shell = "none";     // "axi": through the design's AXI shell, C driver and protocol checker
  std::string inject_violation;   // AXI shell: the harness breaks the protocol once (checker self-test)
};
int cmd_verify(const VerifyArgs& a);

struct RegressArgs {
  std::string design;
  int cases = 20;
  int streams = 1;           // every case runs this many sequences of its layer at once
  int wavefront = 0;         // ... as the layers of a stack, g per layer (input = hidden)
  bool own_weights = false;  // ... each with a layer of its own (slot s)
  std::string cell;          // every case's cell kind; empty: the design's first
  bool init = false;         // every case starts from a random initial state
  uint64_t seed = 1;
  bool json = false;
  bool backpressure = false;
  bool scenarios = false;
  std::string shell = "none";  // "axi": every case through the design's AXI shell
};
int cmd_regress(const RegressArgs& a);

struct SynthArgs {
  std::string design;
  std::string liberty;
  std::string yosys = "yosys";
  bool json = false;
  bool verbose = false;
  bool reconfig_overhead = false;  // also synthesize the fixed-width twin and compare
  std::string fpga;                // "xilinx": FPGA resources instead of the ASIC estimate
  bool flat = false;               // synthesize flattened (cross-check of the roll-up)
  bool force = false;              // rerun Yosys even if its results for identical inputs exist
  int jobs = 0;                    // Yosys (and OpenSTA) processes at a time (0: one per hardware thread)
  bool netlist = false;            // also write the mapped netlist (implied by timing/power)
  bool timing = false;             // OpenSTA critical path and fmax (ABC's estimate without sta)
  bool power = false;              // also power (implies timing)
  std::string activity;            // activity JSON from `sharpgen activity` (power)
  double clock_ns = 0;             // power at this period (0: at the estimated fmax)
  std::string sta = "sta";
  std::string svg;     // also write the area (and power) breakdown chart to this file
  bool shell = false;  // synthesize sharp_axi_top (the AXI shell around the core)
};
int cmd_synth(const SynthArgs& a);

struct ActivityArgs {
  std::string design, out;
  int hidden = 0, input = 0, steps = 0, width = 0;
  uint64_t seed = 1;
  bool zero = false;
  bool verbose = false;
};
int cmd_activity(const ActivityArgs& a);

struct FlowArgs {
  std::string config;
  std::vector<std::string> overrides;
  std::string out;
  int cases = 6;
  uint64_t seed = 1;
  bool skip_synth = false;
  std::string command;
};
int cmd_flow(const FlowArgs& a);

struct GoldenArgs {
  std::string in, out;
};
// Runs the double-precision golden model on a JSON model+inputs file (see cmd_golden).
int cmd_golden(const GoldenArgs& a);

struct PlanArgs {
  std::string design;
  int hidden = 0, input = 0, steps = 0;
  int streams = 1, wavefront = 0;  // the run's STREAMS and WAVEFRONT (steps: time slots then)
  std::string cell;                // the run's cell kind (one of the design's); empty: its first
  bool json = false;
};
// Picks the dot-product width for a layer with the cycle model and explains the choice.
int cmd_plan(const PlanArgs& a);

struct NumericsArgs {
  std::string config;
  std::vector<std::string> overrides;
  uint64_t seed = 1;
};
// Measures the number format: activation-table error and fixed-vs-double LSTM error.
int cmd_numerics(const NumericsArgs& a);

struct RegistersArgs {
  std::string config;
  std::vector<std::string> overrides;
  std::string out;            // empty: stdout
  std::string format = "md";  // md (REGISTERS.md), c (sharp_regs.h) or rdl (sharp_regs.rdl)
  std::string command;        // for the banner
};
// Prints the register map of a config's design as Markdown (docs/REGISTERS.md).
int cmd_registers(const RegistersArgs& a);

}  // namespace sharp::cli
