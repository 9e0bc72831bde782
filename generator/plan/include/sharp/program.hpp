// A whole model on the hardware: layers loaded into weight slots and runs of them, as one
// sequence of host requests (a "program"), with the exact end-to-end cycle count of the host
// protocol the Verilator harness follows (docs/VERIFICATION.md, "Programs"):
//   - one register write per cycle; a load is HIDDEN, INPUT, WIDTH, LOAD_SLOT, CTRL = 2 (5
//     writes), a run STEPS, RUN_SLOT, then each of STREAMS, STREAM_SLOTS, WAVEFRONT, CELL and
//     INIT_STATE whose value differs from the one last written (reset: 1, 0, 0, the design's
//     first cell kind and 0), then CTRL = 1; the last write is the request;
//   - with the register port free, the host starts the next run if no run is going on and every
//     layer it computes has finished loading, otherwise the next load if no load is going on and
//     every run that computes an earlier layer in the same slot has finished;
//   - the weight and bias beats of a load leave DRAM at a rate (biases first, then weights),
//     and the streams take a beat per cycle at most; x, state and output beats never wait.
// So a load into a free slot overlaps the run before it: with 2 slots, layer l + 1 loads while
// layer l computes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sharp/accesses.hpp"
#include "sharp/plan.hpp"

namespace sharp {

// The DRAM/DMA rate of weight and bias loads: `bits` bits every `cycles` cycles; bits = 0: no
// limit (one weight beat and one bias beat per cycle, as the streams take them).
struct DmaRate {
  uint64_t bits = 0, cycles = 1;
  bool limited() const { return bits != 0; }
  double bits_per_cycle() const { return limited() ? static_cast<double>(bits) / static_cast<double>(cycles) : 0; }
};
// The rate of `gbytes_per_s` (GB/s, 10^9 bytes) at a clock of `clock_mhz`, as a reduced
// fraction of bits per cycles (both given to 1e-3). Throws sharp::Error naming the field for
// values that are not positive and finite.
DmaRate dma_rate(double gbytes_per_s, double clock_mhz);

struct ProgramLoad {
  int hidden = 1, input = 1, width = 0;  // width 0: the design's k_max
  int slot = 0;
};
struct ProgramRun {
  int load = 0;  // index into Program::loads (runs name loads in non-decreasing order)
  int steps = 1;
  // Streams (sharp_scheduler): n sequences at once; stream 0 computes `load`, stream s >= 1
  // stream_loads[s - 1] (empty: every stream computes `load`), a load of the same shape in a
  // slot at or above `load`'s (STREAM_SLOTS holds the difference). wavefront: the WAVEFRONT
  // register (steps are then time slots).
  int streams = 1, wavefront = 0;
  std::vector<int> stream_loads;
  int cell = -1;      // the CELL register (sharp::Cell), one of the design's kinds; -1: the first
  bool init = false;  // INIT_STATE: every stream's initial state comes from the state stream
  // Every stream's load, stream 0 first.
  std::vector<int> loads_of_streams() const;
};
struct Program {
  std::vector<ProgramLoad> loads;
  std::vector<ProgramRun> runs;
  DmaRate rate;
};
// Throws sharp::Error naming the field: shapes that do not fit, slots out of range, runs out of
// order or of loads that do not exist, stream loads of another shape or out of STREAM_SLOTS' reach.
void check_program(const Plan& p, const Program& g);
// A run's shape (its load's, with the run's steps, streams, wavefront and cell), and the STREAM_SLOTS
// value it writes.
RunShape program_run_shape(const Program& g, const ProgramRun& r);
uint32_t program_stream_slots(const Program& g, const ProgramRun& r);

// Beats of a load: weight beats (k_max elements each) and bias beats (one element).
struct LoadBeats {
  uint64_t weights = 0, biases = 0;
};
LoadBeats load_beats(const Plan& p, const ProgramLoad& l);
// Cycles from a load's request (the CTRL write) to the first cycle the host sees it finished.
uint64_t load_span(const Plan& p, const ProgramLoad& l, const DmaRate& rate);
// Cycles from a run's request to the first cycle the host sees it finished (done, and every
// output beat taken): the CYCLES counter (predict_cycles), the state phase of a run with initial
// state (state_phase_cycles) and a constant of the protocol.
uint64_t run_span(const Plan& p, const RunShape& s);

struct ProgramTiming {
  uint64_t cycles = 0;  // first request's first register write .. everything seen finished
  // Per load and run: the cycle of its request and the first cycle it is seen finished.
  std::vector<std::pair<uint64_t, uint64_t>> loads, runs;
  uint64_t compute = 0;  // sum of the runs' CYCLES counters
  uint64_t loading = 0;  // sum of the loads' spans
};
// `run_cycles` (optional): every run's predict_cycles, when the caller has them already.
ProgramTiming predict_program(const Plan& p, const Program& g, const std::vector<uint64_t>* run_cycles = nullptr);
// The runs of a program one after another with every layer already loaded (weights resident):
// each run's register writes and span, back to back, under the same protocol.
uint64_t resident_cycles(const Plan& p, const Program& g, const std::vector<uint64_t>* run_cycles = nullptr);

// Reads and writes of every SRAM macro (Plan::memories order) over the whole program: every
// load's writes and every run's reads and writes, in the slots they use.
std::vector<MacroCount> program_counts(const Plan& p, const Program& g);
// The events of the whole program (kEventNames order): every load's stream beats and every
// run's datapath and stream events.
EventCounts program_events(const Plan& p, const Program& g);

// A stacked (and possibly bidirectional) model, `layers` = (H, X) of each layer, on `sequences`
// sequences of `steps` steps: unit u = layer x directions + direction is loaded once into slot
// u mod weight_slots (at the planner's width) and run once per sequence, as cell kind `cell`.
Program model_program(const Plan& p, const std::vector<std::pair<int, int>>& layers, int directions, int sequences,
                      int steps, const DmaRate& rate, int cell = -1);

}  // namespace sharp
