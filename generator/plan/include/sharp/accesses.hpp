// Access counts of one layer: for every SRAM macro of the plan (Plan::memories), the reads and
// writes of the weight and bias load and of the run, and the datapath and stream events that an
// energy estimate multiplies by a cost per event. Each count is derived from what the RTL does
// (rtl_templates/: sharp_loader, sharp_x_loader, sharp_scheduler, sharp_tag_pipe,
// sharp_accumulators, sharp_vector_buffers, sharp_mem), address by address, and mapped to the
// macro holding that address. Counts do not depend on timing (back-pressure changes when an
// access happens, never whether), so no cycle simulation is needed. The Verilator harness counts
// the same per macro instance and `sharpgen verify` requires the two to agree exactly.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sharp/plan.hpp"

namespace sharp {

// Cycles in which one macro was read (re_i high at a clock edge) and written (we_i high).
struct MacroCount {
  uint64_t reads = 0, writes = 0;
  bool operator==(const MacroCount& o) const { return reads == o.reads && writes == o.writes; }
  bool operator!=(const MacroCount& o) const { return !(*this == o); }
};

// Beats of one stream and the bits they carry (data only, no handshake).
struct StreamCount {
  uint64_t beats = 0, bits = 0;
};

struct LayerCounts {
  // One entry per Plan::memories entry, in the same order.
  std::vector<MacroCount> load;  // the weight and bias load (CTRL load .. loaded)
  std::vector<MacroCount> run;   // the run (CTRL start .. done)
  // Datapath events of the run.
  uint64_t wx_tiles = 0, uh_tiles = 0;  // issued tiles of each kind, padding included
  uint64_t tiles = 0;                   // wx_tiles + uh_tiles: the ACTIVE counter
  uint64_t mac_slots = 0;               // tiles x N multipliers (each fed, padding or not)
  uint64_t frame_macs = 0;              // 4H(X+H)T: the MACS counter (the frame's slots)
  uint64_t act_groups = 0;              // groups through activation: T x row blocks x serial (padding too)
  uint64_t cell_updates = 0;            // groups written to h and c: T x ceil(H / lanes)
  // Streams: weights and biases (load), x and h/c out (run).
  StreamCount w, b, x, out;
};

// The events the Verilator harness counts beside the macro accesses (an event probe bound into
// sharp_core, verif/harness/src/verify.cpp), in this order: groups entering the activation
// (padding groups too), groups written to h and c, and the handshakes of the weight, bias, x and
// output streams.
inline constexpr std::array<const char*, 6> kEventNames = {"act_groups", "cell_updates", "w_beats",
                                                           "b_beats",    "x_beats",      "out_beats"};
using EventCounts = std::array<uint64_t, 6>;
// A layer's events in kEventNames order: the stream beats of its load (`load`) and the
// datapath and stream events of its run (`run`).
EventCounts layer_events(const LayerCounts& c, bool load, bool run);

// Throws sharp::Error (check_shape) when the shape does not fit the design. The load is that of
// the shape's width: the weight words written are RB(Kw) x CB(Kw) per bank, which differ
// between widths whenever H or X pads differently.
// `slot`: the weight slot the layer is loaded into and run from (its weight and bias words are
// those of the slot: slot x WDepth + ..., slot x RbMax + ...). `stream_slots` (one per stream,
// when the streams compute slots of their own): every slot listed is loaded once and stream s
// reads slot stream_slots[s]; empty: every stream computes `slot`.
LayerCounts predict_counts(const Plan& p, const RunShape& s, int slot = 0, const std::vector<int>& stream_slots = {});

}  // namespace sharp
