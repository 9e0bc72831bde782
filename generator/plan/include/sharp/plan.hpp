// Plan stage: everything derived from a config, as pure functions: array shape, memory
// sizes, pipeline latencies, the register map and the cycle model. (The host-side layout of
// the streams is verif/host: sharp/stimulus.hpp.) The emitter prints this plan; the harness and the golden model read
// it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sharp/config.hpp"

namespace sharp {

// A named bit field of a register: bits lsb .. lsb + width - 1.
struct RegField {
  std::string name;
  int lsb = 0, width = 1;
  std::string desc;
};
struct Register {
  std::string name;
  int addr;            // word address on the register port
  std::string access;  // "rw", "ro", "wo"
  std::string desc;
  int64_t value = -1;                 // design parameters (P_*): the constant the register reads; -1 for the others
  std::vector<RegField> fields = {};  // empty: the register is one 32-bit value
};

// One SRAM macro (one sharp_sram instance). A logical buffer of D words of E elements is built
// of macros of at most cfg.sram_kb KB and words of at most cfg.sram_width bits (sharp_mem in
// rtl_templates/), split two ways:
// - by width into columns: column c holds elements elem_base .. elem_base + elems - 1 of every
//   word (elem_base = c * split.elems; the last column holds what is left). All columns are read
//   together; a write enables only the columns whose elements its mask touches.
// - by address into rows: row a of a column holds words base .. base + depth - 1 (base = a *
//   split.depth, a power of two when there are several rows; the last row holds what is left). A
//   read or a write enables only the addressed row, and a read selects that row's data.
// Macro i = c * rows + a.
struct MemoryInfo {
  std::string path;    // instance path of the macro below the top
  std::string role;    // weights, biases, W·x bank, x buffer, h buffer, c buffer
  std::string buffer;  // instance path of its logical buffer (a sharp_mem)
  int elem_bits = 0;
  int elems = 0;      // elements of each word this macro holds
  int depth = 0;      // words this macro holds
  int base = 0;       // first buffer word it holds
  int elem_base = 0;  // first element of each word it holds
  long bits() const { return static_cast<long>(elem_bits) * elems * depth; }
  int word_bits() const { return elem_bits * elems; }
};

// How a buffer of `depth` words of `elems` elements of `elem_bits` bits is split into macros of
// at most `macro_bits` bits and `macro_width`-bit words: columns of as many elements as the width
// holds (at least one; the fewest columns, balanced), each split by address into rows of the
// whole depth if the column fits in a macro, else of the largest power of two of words that
// fits. Throws sharp::Error naming sram_kb when not even one column word fits.
struct MacroSplit {
  int elems = 0, cols = 0;  // elements per column (the last may hold fewer), columns
  int depth = 0, rows = 0;  // words per row (the last may hold fewer), rows
};
MacroSplit split_buffer(long macro_bits, int macro_width, int elem_bits, int elems, int depth);

struct Plan {
  Config cfg;
  // Array.
  int k = 0;           // widest dot-product width (multipliers per row unit)
  int kmin = 0;        // narrowest run-time width
  int rows = 0;        // row units = macs / k
  int rows_max = 0;    // rows of a tile at the narrowest width = macs / kmin
  int lanes = 0;       // neurons per cycle in activation / cell update
  int serial = 0;      // groups per row block at the widest width = rows / (4 lanes)
  int serial_max = 0;  // ... at the narrowest width
  int tree_bits = 0;   // bits of a row sum
  // Buffers.
  int cx_max = 0, ch_max = 0, rb_max = 0, wdepth = 0, cdepth = 0;
  int x_slots = 2;    // x buffer slots (power of two)
  int wx_slots = 2;   // W·x bank slots (power of two)
  int lookahead = 0;  // future steps of W·x the scheduler may compute (unfolded only)
  int fifo_depth = 0;
  // Activation tables.
  int sig_slope_bits = 0, tanh_slope_bits = 0;
  int sig_domain_bits = 0, tanh_domain_bits = 0;  // PwlTable::domain_bits of the two tables
  // Pipeline latencies (cycles).
  int tree_latency = 0;  // issue -> row sums at the accumulators, widest width (2 + log2 K)
  int act_latency = 2;
  int cell_latency = 4;   // 5 in designs with the gru (sharp_cell_lane's last stage split)
  int schedule_code = 0;  // 0 sequential, 1 intergate, 2 unfolded

  std::vector<Register> registers;
  std::vector<MemoryInfo> memories;
  const Register& reg(const std::string& name) const;
  // The run-time widths: kmin, 2 kmin, ..., k.
  std::vector<int> widths() const;
  int tree_latency_at(int width) const;
};

Plan make_plan(const Config& cfg);

// Bits of one weight slot: every weight bank's WDepth words and the bias memory's RbMax words
// (the weight memory holds cfg.weight_slots of them).
uint64_t weight_slot_bits(const Plan& p);

// One run of one layer on a design.
struct RunShape {
  int hidden = 1, input = 1, steps = 1, width = 0;  // width 0: the design's k_max
  int streams = 1;  // independent sequences of this layer interleaved step by step (the STREAMS register)
  // Wavefront g (the WAVEFRONT register): 0, or 1 .. streams - 1 when the streams are the layers
  // of a stack, g per layer: stream s >= g takes x_t from h_t of stream s - g (needs input == hidden).
  int wavefront = 0;
  // Cell kind (sharp::Cell; the CELL register), one of the design's `cells`; -1: the design's
  // first kind. The tiling and the cycle model do not depend on it.
  int cell = -1;
  // Initial state (the INIT_STATE register): the run first takes every stream's h_{-1} (and
  // c_{-1}) from the state stream; not with a wavefront.
  bool init = false;
};
// Throws sharp::Error naming the field when the shape does not fit the design.
void check_shape(const Plan& p, const RunShape& s);
// The kind a run of cell code `cell` computes (-1: the design's first kind).
int run_cell(const Plan& p, int cell);

// Tiling of one layer at one width (what sharp_reconfig computes in hardware).
struct Tiling {
  int k = 0;       // width
  int rows = 0;    // rows per tile = macs / k
  int serial = 0;  // groups per row block = rows / (4 lanes)
  int rb = 0, cx = 0, ch = 0, cb = 0, period = 0, groups = 0;
  int x_beats = 0;  // x stream beats per step = ceil(X / k_max)
};
Tiling tiling(const Plan& p, const RunShape& s);

// Exact start-to-done cycle count (the CYCLES counter) when no stream ever stalls.
uint64_t predict_cycles(const Plan& p, const RunShape& s);
// Cycles the state phase of a run with initial state adds before the CYCLES counter starts
// (sharp_core: one beat per cycle, streams x ceil(H / lanes) beats, and a cycle to start the
// scheduler); 0 without.
uint64_t state_phase_cycles(const Plan& p, const RunShape& s);
// The dependency bound (ARCHITECTURE.md): no schedule of this array can beat
//   max(all padded tiles, T * (padded U·h tiles per step + pipeline depth), T * output groups),
// pipeline depth = cycles from issuing a tile to the first tile that may read its result.
uint64_t dependency_bound(const Plan& p, const RunShape& s);
// The three terms of the dependency bound: all padded tiles (the array's throughput), the
// recurrence chain, the activation throughput.
struct BoundTerms {
  uint64_t mac = 0, chain = 0, act = 0;
};
BoundTerms dependency_terms(const Plan& p, const RunShape& s);
// The planner: predicted cycles at every run-time width; the choice is the fewest cycles,
// ties going to the wider width (fewer accumulator updates and partial-sum moves per MAC,
// so less energy for the same work).
struct WidthChoice {
  int width = 0;
  std::vector<std::pair<int, uint64_t>> cycles;  // (width, predicted cycles), every width
};
WidthChoice choose_width(const Plan& p, int hidden, int input, int steps, int streams = 1, int wavefront = 0);
// Multiply-accumulate slots of the four-row frame every cell kind runs in: 4H(X+H)T for each
// stream (the MACS counter; the LSTM's useful MACs).
uint64_t frame_macs(const RunShape& s);
// Useful multiply-accumulates of the run's cell kind: G H(X+H)T for each stream, G its gate rows
// (4 lstm, 3 gru, 1 rnn); the rest of the frame's slots multiply zeros.
uint64_t useful_macs(const Plan& p, const RunShape& s);

}  // namespace sharp
