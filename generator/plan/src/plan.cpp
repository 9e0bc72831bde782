#include "sharp/plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sharp/error.hpp"

namespace sharp {

namespace {
int ceil_div(int a, int b) { return (a + b - 1) / b; }
int pow2_at_least(int v) {
  int p = 1;
  while (p < v) p <<= 1;
  return p;
}
}  // namespace

const Register& Plan::reg(const std::string& name) const {
  for (const auto& r : registers)
    if (r.name == name) return r;
  throw Error("plan: no register named " + name);
}

Plan make_plan(const Config& cfg) {
  validate(cfg);
  Plan p;
  p.cfg = cfg;
  const auto& f = cfg.format;
  p.k = cfg.k_max;
  p.rows = cfg.macs / cfg.k_max;
  p.lanes = cfg.act_lanes ? cfg.act_lanes : std::min(p.k, p.rows / 4);
  p.serial = p.rows / (4 * p.lanes);
  p.tree_bits = 2 * f.data_bits + clog2(static_cast<uint64_t>(p.k));
  p.cx_max = ceil_div(cfg.max_input, p.k);
  p.ch_max = ceil_div(cfg.max_hidden, p.k);
  p.rb_max = ceil_div(4 * cfg.max_hidden, p.rows);
  p.wdepth = p.rb_max * (p.cx_max + p.ch_max);
  p.cdepth = ceil_div(cfg.max_hidden, p.lanes);
  p.x_slots = 2;
  p.tree_latency = 2 + clog2(static_cast<uint64_t>(p.k));
  p.sig_slope_bits = PwlTable(ActFn::Sigmoid, f).slope_bits();
  p.tanh_slope_bits = PwlTable(ActFn::Tanh, f).slope_bits();
  // Output FIFO: room for every group that can be in flight between a row block's
  // reservation and the host's pop when the host is always ready (blocks at least
  // max(2, serial) cycles apart, each reserving `serial` entries).
  const int pipe = p.tree_latency + p.act_latency + p.cell_latency + 4;
  p.fifo_depth = pow2_at_least(std::max(2, p.serial * (3 + ceil_div(pipe, std::max(2, p.serial)))));

  p.registers = {
      {"CTRL", 0x00, "wo", "bit 0: start a run; bit 1: start loading weights and biases"},
      {"STATUS", 0x01, "ro", "bit 0: busy; bit 1: done (sticky until start); bit 2: loaded; bit 3: error"},
      {"ERROR", 0x02, "ro",
       "last start/load rejected: bit 0 H or X out of range, bit 1 T = 0, bit 2 width unsupported, "
       "bit 3 busy, bit 4 not loaded"},
      {"HIDDEN", 0x04, "rw", "H, hidden size of the layer (1 .. max_hidden)"},
      {"INPUT", 0x05, "rw", "X, input size of the layer (1 .. max_input)"},
      {"STEPS", 0x06, "rw", "T, time steps of the run (>= 1)"},
      {"WIDTH", 0x07, "rw", "K, dot-product width (k_min .. k_max, a power of two)"},
      {"CYCLES_LO", 0x10, "ro", "cycles from start to done, low word"},
      {"CYCLES_HI", 0x11, "ro", "cycles from start to done, high word"},
      {"ACTIVE_LO", 0x12, "ro", "cycles in which the array issued a tile, low word"},
      {"ACTIVE_HI", 0x13, "ro", "cycles in which the array issued a tile, high word"},
      {"MACS_LO", 0x14, "ro", "useful multiply-accumulates, low word"},
      {"MACS_HI", 0x15, "ro", "useful multiply-accumulates, high word"},
      {"STALL_INPUT_LO", 0x16, "ro", "cycles waiting for x_t (input stream empty), low word"},
      {"STALL_INPUT_HI", 0x17, "ro", "cycles waiting for x_t, high word"},
      {"STALL_DRAIN_LO", 0x18, "ro", "cycles waiting for h_{t-1} (pipeline drain), low word"},
      {"STALL_DRAIN_HI", 0x19, "ro", "cycles waiting for h_{t-1}, high word"},
      {"STALL_OUTPUT_LO", 0x1A, "ro", "cycles waiting for output FIFO room (back-pressure), low word"},
      {"STALL_OUTPUT_HI", 0x1B, "ro", "cycles waiting for output FIFO room, high word"},
      {"STALL_ACT_LO", 0x1C, "ro", "cycles spacing row blocks for the activation unit, low word"},
      {"STALL_ACT_HI", 0x1D, "ro", "cycles spacing row blocks for the activation unit, high word"},
      {"P_MACS", 0x20, "ro", "design parameter: multipliers"},
      {"P_K_MAX", 0x21, "ro", "design parameter: k_max"},
      {"P_K_MIN", 0x22, "ro", "design parameter: k_min"},
      {"P_MAX_HIDDEN", 0x23, "ro", "design parameter: max_hidden"},
      {"P_MAX_INPUT", 0x24, "ro", "design parameter: max_input"},
      {"P_LANES", 0x25, "ro", "design parameter: activation lanes"},
      {"P_FORMAT", 0x26, "ro", "design parameter: data_bits | frac_bits << 8 | cell_bits << 16"},
      {"P_SCHEDULE", 0x27, "ro", "design parameter: 0 sequential, 1 intergate, 2 unfolded"},
  };

  const std::string core = "u_core.";
  for (int r = 0; r < p.rows; ++r)
    p.memories.push_back({fmt::format("{}u_weight_mem.gen_bank[{}].u_bank", core, r), "weights", f.data_bits, p.k,
                          p.wdepth});
  p.memories.push_back({core + "u_weight_mem.u_bias", "biases", f.data_bits, p.rows, p.rb_max});
  p.memories.push_back({core + "u_vector_buffers.u_xbuf", "x buffer", f.data_bits, p.k, p.x_slots * p.cx_max});
  p.memories.push_back({core + "u_vector_buffers.u_hbuf", "h buffer", f.data_bits, p.k, 2 * p.ch_max});
  p.memories.push_back({core + "u_vector_buffers.u_cbuf", "c buffer", f.cell_bits, p.lanes, p.cdepth});
  return p;
}

void check_shape(const Plan& p, const RunShape& s) {
  if (s.hidden < 1 || s.hidden > p.cfg.max_hidden)
    throw Error(fmt::format("shape: field 'hidden': value {} is not allowed (1 to max_hidden = {} of this design)",
                            s.hidden, p.cfg.max_hidden));
  if (s.input < 1 || s.input > p.cfg.max_input)
    throw Error(fmt::format("shape: field 'input': value {} is not allowed (1 to max_input = {} of this design)",
                            s.input, p.cfg.max_input));
  if (s.steps < 1)
    throw Error(fmt::format("shape: field 'steps': value {} is not allowed (at least 1)", s.steps));
  if (s.width != 0 && s.width != p.k)
    throw Error(fmt::format("shape: field 'width': value {} is not allowed ({} is the only width of this design)",
                            s.width, p.k));
}

Tiling tiling(const Plan& p, const RunShape& s) {
  Tiling t;
  t.rb = ceil_div(4 * s.hidden, p.rows);
  t.cx = ceil_div(s.input, p.k);
  t.ch = ceil_div(s.hidden, p.k);
  t.cb = t.cx + t.ch;
  t.period = std::max(t.cb, p.serial);
  t.groups = ceil_div(s.hidden, p.lanes);
  return t;
}

uint64_t useful_macs(const RunShape& s) {
  return 4ull * s.hidden * (static_cast<uint64_t>(s.input) + s.hidden) * s.steps;
}

uint64_t predict_cycles(const Plan& p, const RunShape& s) {
  check_shape(p, s);
  const Tiling t = tiling(p, s);
  // Issue phase of one step: RB row blocks spaced `period` apart, the last one CB long.
  const uint64_t issue = static_cast<uint64_t>(t.rb - 1) * t.period + t.cb;
  // From the last tile to h_t complete: row sums, the last group leaving the serializer,
  // activation and cell update; the scheduler sees the last write in the same cycle.
  const uint64_t drain = p.tree_latency + p.serial + p.act_latency + p.cell_latency;
  // Before the first step: CX beats of x_0, one cycle to see them, one to issue.
  const uint64_t lead = t.cx + 1;
  return lead + static_cast<uint64_t>(s.steps) * (issue + drain) + 1;
}

Stimulus make_stimulus(const Plan& p, const FixedLayer& L, const std::vector<std::vector<int64_t>>& xs) {
  const RunShape s{L.hidden, L.input, static_cast<int>(xs.size()), 0};
  check_shape(p, s);
  const Tiling t = tiling(p, s);
  const int H = L.hidden, X = L.input, K = p.k;
  Stimulus st;
  st.elem_bits = p.cfg.format.data_bits;
  // Hardware row q = 4 * neuron + gate; torch row = gate * H + neuron.
  auto torch_row = [H](int q) { return (q % 4) * H + q / 4; };
  for (int rb = 0; rb < t.rb; ++rb)
    for (int cb = 0; cb < t.cb; ++cb)
      for (int r = 0; r < p.rows; ++r) {
        std::vector<int64_t> beat(K, 0);
        const int q = rb * p.rows + r;
        if (q < 4 * H) {
          const int tr = torch_row(q);
          for (int e = 0; e < K; ++e) {
            if (cb < t.cx) {
              const int col = cb * K + e;
              if (col < X) beat[e] = L.w[static_cast<size_t>(tr) * X + col];
            } else {
              const int col = (cb - t.cx) * K + e;
              if (col < H) beat[e] = L.u[static_cast<size_t>(tr) * H + col];
            }
          }
        }
        st.weights.push_back(std::move(beat));
      }
  for (int q = 0; q < t.rb * p.rows; ++q) st.biases.push_back(q < 4 * H ? L.b[torch_row(q)] : 0);
  for (const auto& x : xs)
    for (int cb = 0; cb < t.cx; ++cb) {
      std::vector<int64_t> beat(K, 0);
      for (int e = 0; e < K; ++e)
        if (cb * K + e < X) beat[e] = x[cb * K + e];
      st.inputs.push_back(std::move(beat));
    }
  return st;
}

}  // namespace sharp
