#include "sharp/plan.hpp"

#include <algorithm>
#include <map>

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

MacroSplit split_buffer(long macro_bits, int macro_width, int elem_bits, int elems, int depth) {
  MacroSplit sp;
  const int per_col = std::max(1, macro_width / elem_bits);
  sp.cols = ceil_div(elems, per_col);
  sp.elems = ceil_div(elems, sp.cols);
  const long col_word = static_cast<long>(sp.elems) * elem_bits;
  if (col_word > macro_bits)
    throw Error(
        fmt::format("config: field 'sram_kb': value {} is not allowed (a macro must hold one {}-bit column word "
                    "of this design: at least {} KB)",
                    macro_bits / 8192, col_word, pow2_at_least(static_cast<int>((col_word + 8191) / 8192))));
  if (col_word * depth <= macro_bits) {
    sp.depth = depth;
  } else {
    sp.depth = 1;
    while (col_word * sp.depth * 2 <= macro_bits) sp.depth *= 2;
  }
  sp.rows = ceil_div(depth, sp.depth);
  return sp;
}

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
  p.kmin = cfg.k_min;
  p.rows = cfg.macs / cfg.k_max;
  p.rows_max = cfg.macs / cfg.k_min;
  p.lanes = cfg.act_lanes ? cfg.act_lanes : std::min(p.k, p.rows / 4);
  p.serial = p.rows / (4 * p.lanes);
  p.serial_max = p.rows_max / (4 * p.lanes);
  p.tree_bits = 2 * f.data_bits + clog2(static_cast<uint64_t>(p.k));
  p.cx_max = ceil_div(cfg.max_input, p.k);
  p.ch_max = ceil_div(cfg.max_hidden, p.k);
  p.rb_max = ceil_div(4 * cfg.max_hidden, p.rows);
  p.wdepth = 1;
  for (int w = p.kmin; w <= p.k; w *= 2) {
    const int rows_w = cfg.macs / w;
    p.wdepth = std::max(
        p.wdepth, ceil_div(4 * cfg.max_hidden, rows_w) * (ceil_div(cfg.max_input, w) + ceil_div(cfg.max_hidden, w)));
  }
  p.cdepth = ceil_div(cfg.max_hidden, p.lanes);
  // The Schedule parameter of sharp_core / sharp_scheduler (rtl_templates/sharp_scheduler.sv)
  // and the P_SCHEDULE register: the values of the enum sharp::Schedule (sharp/config.hpp).
  p.schedule_code = static_cast<int>(cfg.schedule);
  p.lookahead = cfg.schedule == Schedule::Unfolded ? cfg.unfold_depth : 0;
  p.x_slots = pow2_at_least(p.lookahead + 2);
  p.wx_slots = pow2_at_least(p.lookahead + 2);
  p.tree_latency = 2 + clog2(static_cast<uint64_t>(p.k));
  p.cell_latency = cfg.has_cell(Cell::Gru) ? 5 : 4;
  p.sig_slope_bits = PwlTable(ActFn::Sigmoid, f).slope_bits();
  p.tanh_slope_bits = PwlTable(ActFn::Tanh, f).slope_bits();
  p.sig_domain_bits = PwlTable(ActFn::Sigmoid, f).domain_bits();
  p.tanh_domain_bits = PwlTable(ActFn::Tanh, f).domain_bits();
  // Output FIFO: room for every group that can be in flight between a row block's
  // reservation and the host's pop when the host is always ready (blocks at least
  // max(2, serial) cycles apart, each reserving `serial` entries).
  const int pipe = p.tree_latency + p.act_latency + p.cell_latency + 4;
  p.fifo_depth = pow2_at_least(std::max(2, p.serial_max * (3 + ceil_div(pipe, std::max(2, p.serial_max)))));

  p.registers = {
      {"CTRL", 0x00, "wo",
       "bit 0: start a run of slot RUN_SLOT; bit 1: start loading weights and biases into slot LOAD_SLOT "
       "(both bits: a start)"},
      {"STATUS", 0x01, "ro",
       "bit 0: busy (running); bit 1: done (sticky until start); bit 2: loaded (slot RUN_SLOT holds a "
       "complete load); bit 3: error; bit 4: loading"},
      {"ERROR", 0x02, "ro",
       "last start/load rejected: bit 0 H or X out of range (load), bit 1 T = 0 (start), bit 2 width "
       "unsupported (load), bit 3 start while running or load while loading, bit 4 slot RUN_SLOT not "
       "loaded (start), bit 5 STREAMS not in 1 .. streams or STEPS x STREAMS >= 2^32 (start), bit 6 load into a "
       "slot being run, bit 7 LOAD_SLOT / RUN_SLOT / a stream's slot >= weight_slots, bit 8 a stream's slot "
       "holds another shape than RUN_SLOT (start), bit 9 WAVEFRONT not 0 and not below STREAMS, or X != H "
       "(start), bit 10 CELL not one of the design's cell kinds (start), bit 11 INIT_STATE not 0 with WAVEFRONT "
       "not 0 (start)"},
      {"HIDDEN", 0x04, "rw", "H, hidden size of the layer to load (1 .. max_hidden)"},
      {"INPUT", 0x05, "rw", "X, input size of the layer to load (1 .. max_input)"},
      {"STEPS", 0x06, "rw", "T, time steps of the next run (>= 1)"},
      {"WIDTH", 0x07, "rw", "K, dot-product width of the layer to load (k_min .. k_max, a power of two)"},
      {"LOAD_SLOT", 0x08, "rw", "weight slot the next load writes (0 .. weight_slots - 1)"},
      {"RUN_SLOT", 0x09, "rw", "weight slot the next run computes, in the shape loaded with it"},
      {"LOADED", 0x0A, "ro", "bit s: slot s holds a complete load"},
      {"STREAMS", 0x0B, "rw",
       "n, sequences the next run computes (1 .. streams), interleaved step by step: x_t and the outputs of "
       "step t go stream by stream (virtual step t n + s)"},
      {"STREAM_SLOTS", 0x0C, "rw",
       "bits 4s+3..4s, s >= 1: stream s computes slot RUN_SLOT + this (0: the run slot, as a batch; the "
       "directions of a bidirectional layer use two slots of the same shape); stream 0 computes RUN_SLOT"},
      {"WAVEFRONT", 0x0D, "rw",
       "g, 0: off; 1 .. STREAMS - 1: the streams are the layers of a stack, g per layer (a batch of g), skewed "
       "by a time slot per layer: stream s of layer l = s / g computes its step t in slot l + t (STEPS = slots = "
       "T + layers - 1), taking x from h of stream s - g in the slot before (0 in slot 0) and starting from zero "
       "state in slot 0 and again in slot l; outputs of the other slots are discarded by the host. Needs X = H; "
       "the host still sends an x vector for every virtual step, and those of streams s >= g are not read"},
      {"CELL", 0x0E, "rw",
       "cell kind of the next run, one of the design's (P_CELLS): 0 lstm, 1 gru, 2 rnn_tanh, 3 rnn_relu; every "
       "kind runs in the four-row frame (see sharp::FixedLayer). Reset: the lowest kind the design has"},
      {"INIT_STATE", 0x0F, "rw",
       "0: the next run starts from h = c = 0; not 0: it first takes every stream's initial state h_{-1} and "
       "c_{-1} from the state stream (s_*: ceil(H / lanes) beats per stream, stream 0 first, laid out as the "
       "output stream's beats; the gru and rnn kinds ignore c), then computes; CYCLES starts after the last "
       "state beat. Not with a wavefront"},
      {"CYCLES_LO", 0x10, "ro", "cycles from start (after the state phase of an INIT_STATE run) to done, low word"},
      {"CYCLES_HI", 0x11, "ro", "cycles from start to done, high word"},
      {"ACTIVE_LO", 0x12, "ro", "cycles in which the array issued a tile, low word"},
      {"ACTIVE_HI", 0x13, "ro", "cycles in which the array issued a tile, high word"},
      {"MACS_LO", 0x14, "ro",
       "multiply-accumulates of the four-row frame, 4H(X+H) per step and stream (the useful ones of the lstm; "
       "3/4 of them are useful for the gru, 1/4 for the rnn kinds), low word"},
      {"MACS_HI", 0x15, "ro", "multiply-accumulates of the four-row frame, high word"},
      {"STALL_INPUT_LO", 0x16, "ro", "cycles waiting for x_t (input stream empty), low word"},
      {"STALL_INPUT_HI", 0x17, "ro", "cycles waiting for x_t, high word"},
      {"STALL_DRAIN_LO", 0x18, "ro", "cycles with no tile left to issue (pipeline drain), low word"},
      {"STALL_DRAIN_HI", 0x19, "ro", "cycles with no tile left to issue, high word"},
      {"STALL_OUTPUT_LO", 0x1A, "ro", "cycles waiting for output FIFO room (back-pressure), low word"},
      {"STALL_OUTPUT_HI", 0x1B, "ro", "cycles waiting for output FIFO room, high word"},
      {"STALL_ACT_LO", 0x1C, "ro", "cycles spacing row blocks for the activation unit, low word"},
      {"STALL_ACT_HI", 0x1D, "ro", "cycles spacing row blocks for the activation unit, high word"},
      {"STALL_H_LO", 0x1E, "ro", "cycles waiting for h_{t-1} elements (recurrent dependency), low word"},
      {"STALL_H_HI", 0x1F, "ro", "cycles waiting for h_{t-1} elements, high word"},
      {"P_MACS", 0x20, "ro", "design parameter: multipliers"},
      {"P_K_MAX", 0x21, "ro", "design parameter: k_max"},
      {"P_K_MIN", 0x22, "ro", "design parameter: k_min"},
      {"P_MAX_HIDDEN", 0x23, "ro", "design parameter: max_hidden"},
      {"P_MAX_INPUT", 0x24, "ro", "design parameter: max_input"},
      {"P_LANES", 0x25, "ro", "design parameter: activation lanes"},
      {"P_FORMAT", 0x26, "ro",
       "design parameter: data_bits | frac_bits << 8 | cell_bits << 16 | weight_frac_bits << 24"},
      {"P_SCHEDULE", 0x27, "ro", "design parameter: 0 sequential, 1 intergate, 2 unfolded"},
      {"P_WEIGHT_SLOTS", 0x28, "ro", "design parameter: weight slots (layers the weight memory holds)"},
      {"P_STREAMS", 0x29, "ro", "design parameter: streams (sequences a run may interleave)"},
      {"P_CELLS", 0x2A, "ro", "design parameter: cell kinds, bit c for kind c (the values of CELL)"},
      {"IRQ_ENABLE", 0x30, "rw",
       "interrupt enable, bits as IRQ_STATUS: irq (irq_o, the AXI shell's irq) is high while IRQ_STATUS & "
       "IRQ_ENABLE is not 0. Reset 0"},
      {"IRQ_STATUS", 0x31, "rw1c",
       "interrupt events, sticky until written with 1 (write 1 to clear; an event in the same cycle wins): "
       "bit 0 a run is done, bit 1 a start or load was refused (ERROR), bit 2 a load finished. Reset 0"},
  };
  // The constants the P_* registers read (the emitter prints them, the harness checks them).
  const std::map<std::string, int64_t> params = {
      {"P_MACS", cfg.macs},
      {"P_K_MAX", cfg.k_max},
      {"P_K_MIN", cfg.k_min},
      {"P_MAX_HIDDEN", cfg.max_hidden},
      {"P_MAX_INPUT", cfg.max_input},
      {"P_LANES", p.lanes},
      {"P_FORMAT", f.data_bits | (f.frac_bits << 8) | (f.cell_bits << 16) | (f.wfrac() << 24)},
      {"P_SCHEDULE", static_cast<int>(cfg.schedule)},
      {"P_WEIGHT_SLOTS", cfg.weight_slots},
      {"P_STREAMS", cfg.streams},
      {"P_CELLS", cfg.cells},
  };
  for (auto& r : p.registers)
    if (auto it = params.find(r.name); it != params.end()) r.value = it->second;
  // Bit fields (the C header, the SystemRDL description and REGISTERS.md list them).
  const std::map<std::string, std::vector<RegField>> fields = {
      {"CTRL", {{"START", 0, 1, "start a run of slot RUN_SLOT"}, {"LOAD", 1, 1, "start a load into LOAD_SLOT"}}},
      {"STATUS",
       {{"BUSY", 0, 1, "running"},
        {"DONE", 1, 1, "the last run is done (sticky until the next start)"},
        {"LOADED", 2, 1, "slot RUN_SLOT holds a complete load"},
        {"ERROR", 3, 1, "ERROR is not 0"},
        {"LOADING", 4, 1, "a load is going on"}}},
      {"ERROR",
       {{"SHAPE", 0, 1, "load: H or X out of range"},
        {"STEPS", 1, 1, "start: T = 0"},
        {"WIDTH", 2, 1, "load: width not supported"},
        {"BUSY", 3, 1, "start while running, or load while loading"},
        {"NOT_LOADED", 4, 1, "start: a slot the run computes holds no complete load"},
        {"STREAMS", 5, 1, "start: STREAMS not in 1 .. streams, or STEPS x STREAMS >= 2^32"},
        {"SLOT_BUSY", 6, 1, "load into a slot being run"},
        {"SLOT", 7, 1, "LOAD_SLOT, RUN_SLOT or a stream's slot >= weight_slots"},
        {"SLOT_SHAPE", 8, 1, "start: a stream's slot holds another shape than RUN_SLOT"},
        {"WAVEFRONT", 9, 1, "start: WAVEFRONT not 0 and not below STREAMS, or X != H"},
        {"CELL", 10, 1, "start: CELL not one of the design's cell kinds"},
        {"INIT_STATE", 11, 1, "start: INIT_STATE not 0 with WAVEFRONT not 0"}}},
      {"IRQ_ENABLE",
       {{"DONE", 0, 1, "interrupt when a run is done"},
        {"ERROR", 1, 1, "interrupt when a request is refused"},
        {"LOADED", 2, 1, "interrupt when a load finishes"}}},
      {"IRQ_STATUS",
       {{"DONE", 0, 1, "a run is done"},
        {"ERROR", 1, 1, "a start or load was refused (see ERROR)"},
        {"LOADED", 2, 1, "a load finished"}}},
      {"P_FORMAT",
       {{"DATA_BITS", 0, 8, "data_bits"},
        {"FRAC_BITS", 8, 8, "frac_bits"},
        {"CELL_BITS", 16, 8, "cell_bits"},
        {"WEIGHT_FRAC_BITS", 24, 8, "weight_frac_bits"}}},
  };
  for (auto& r : p.registers)
    if (auto it = fields.find(r.name); it != fields.end()) r.fields = it->second;

  const std::string core = "u_core.";
  auto buffer = [&](const std::string& path, const std::string& role, int elem_bits, int elems, int depth) {
    const MacroSplit sp = split_buffer(static_cast<long>(cfg.sram_kb) * 8192, cfg.sram_width, elem_bits, elems, depth);
    for (int i = 0; i < sp.cols * sp.rows; ++i) {
      const int c = i / sp.rows, a = i % sp.rows;
      MemoryInfo m{fmt::format("{}{}.gen_macro[{}].u_macro", core, path, i), role, core + path, elem_bits};
      m.elem_base = c * sp.elems;
      m.elems = std::min(sp.elems, elems - m.elem_base);
      m.base = a * sp.depth;
      m.depth = std::min(sp.depth, depth - m.base);
      p.memories.push_back(m);
    }
  };
  for (int r = 0; r < p.rows; ++r)
    buffer(fmt::format("u_weight_mem.gen_bank[{}].u_bank", r), "weights", f.data_bits, p.k,
           cfg.weight_slots * p.wdepth);
  buffer("u_weight_mem.u_bias", "biases", f.data_bits, p.rows_max, cfg.weight_slots * p.rb_max);
  buffer("u_accumulators.u_wx_bank", "W·x bank", f.acc_bits, p.rows_max, p.wx_slots * p.rb_max);
  buffer("u_vector_buffers.u_xbuf", "x buffer", f.data_bits, p.k, p.x_slots * p.cx_max);
  buffer("u_vector_buffers.u_hbuf", "h buffer", f.data_bits, p.k, 2 * cfg.streams * p.ch_max);
  buffer("u_vector_buffers.u_cbuf", "c buffer", f.cell_bits, p.lanes, cfg.streams * p.cdepth);
  return p;
}

uint64_t weight_slot_bits(const Plan& p) {
  const uint64_t d = static_cast<uint64_t>(p.cfg.format.data_bits);
  return static_cast<uint64_t>(p.rows) * static_cast<uint64_t>(p.wdepth) * static_cast<uint64_t>(p.k) * d +
         static_cast<uint64_t>(p.rb_max) * static_cast<uint64_t>(p.rows_max) * d;
}

int run_cell(const Plan& p, int cell) { return cell < 0 ? static_cast<int>(p.cfg.first_cell()) : cell; }

void check_shape(const Plan& p, const RunShape& s) {
  if (s.hidden < 1 || s.hidden > p.cfg.max_hidden)
    throw Error(fmt::format("shape: field 'hidden': value {} is not allowed (1 to max_hidden = {} of this design)",
                            s.hidden, p.cfg.max_hidden));
  if (s.input < 1 || s.input > p.cfg.max_input)
    throw Error(fmt::format("shape: field 'input': value {} is not allowed (1 to max_input = {} of this design)",
                            s.input, p.cfg.max_input));
  if (s.steps < 1) throw Error(fmt::format("shape: field 'steps': value {} is not allowed (at least 1)", s.steps));
  if (s.streams < 1 || s.streams > p.cfg.streams)
    throw Error(fmt::format("shape: field 'streams': value {} is not allowed (1 to streams = {} of this design)",
                            s.streams, p.cfg.streams));
  if (s.wavefront < 0 || (s.wavefront > 0 && s.wavefront >= s.streams))
    throw Error(fmt::format(
        "shape: field 'wavefront': value {} is not allowed (0, or 1 to streams - 1 = {}: the streams of a layer)",
        s.wavefront, s.streams - 1));
  if (s.wavefront > 0 && s.input != s.hidden)
    throw Error(fmt::format(
        "shape: field 'wavefront': a wavefront needs input == hidden (layer l + 1 reads h of layer l as x), "
        "the shape has input {} and hidden {}",
        s.input, s.hidden));
  if (s.cell < -1 || s.cell >= kCellKinds || (s.cell >= 0 && !p.cfg.has_cell(static_cast<Cell>(s.cell)))) {
    throw Error(
        fmt::format("shape: field 'cell': value {} is not allowed (this design's cells: {})",
                    s.cell >= 0 && s.cell < kCellKinds ? cell_name(static_cast<Cell>(s.cell)) : std::to_string(s.cell),
                    cell_list(p.cfg.cells)));
  }
  if (s.width != 0 && (s.width < p.kmin || s.width > p.k || !is_pow2(static_cast<uint64_t>(s.width))))
    throw Error(
        fmt::format("shape: field 'width': value {} is not allowed (a power of two from k_min = {} to "
                    "k_max = {} for this design)",
                    s.width, p.kmin, p.k));
  if (s.init && s.wavefront > 0)
    throw Error(fmt::format(
        "shape: field 'init': an initial state is not allowed with wavefront {} (a wavefront's layers start "
        "from zero state in their first time slot); run the layers one after another instead",
        s.wavefront));
}

uint64_t state_phase_cycles(const Plan& p, const RunShape& s) {
  if (!s.init) return 0;
  const uint64_t groups = static_cast<uint64_t>((s.hidden + p.lanes - 1) / p.lanes);
  return static_cast<uint64_t>(s.streams) * groups + 1;
}

std::vector<int> Plan::widths() const {
  std::vector<int> w;
  for (int k_ = kmin; k_ <= k; k_ *= 2) w.push_back(k_);
  return w;
}

int Plan::tree_latency_at(int width) const { return 2 + clog2(static_cast<uint64_t>(width)); }

Tiling tiling(const Plan& p, const RunShape& s) {
  Tiling t;
  t.k = s.width ? s.width : p.k;
  t.rows = p.cfg.macs / t.k;
  t.serial = t.rows / (4 * p.lanes);
  t.rb = ceil_div(4 * s.hidden, t.rows);
  t.cx = ceil_div(s.input, t.k);
  t.ch = ceil_div(s.hidden, t.k);
  t.cb = t.cx + t.ch;
  t.period = std::max(t.cb, t.serial);
  t.groups = ceil_div(s.hidden, p.lanes);
  t.x_beats = ceil_div(s.input, p.k);
  return t;
}

uint64_t frame_macs(const RunShape& s) {
  return 4ull * s.hidden * (static_cast<uint64_t>(s.input) + s.hidden) * s.steps * static_cast<uint64_t>(s.streams);
}

uint64_t useful_macs(const Plan& p, const RunShape& s) {
  return frame_macs(s) / 4 * static_cast<uint64_t>(cell_gates(static_cast<Cell>(run_cell(p, s.cell))));
}

// A cycle-accurate model of sharp_scheduler (rtl_templates/sharp_scheduler.sv; a change to
// either must change the other: the harness checks the CYCLES counter against this model) and
// of the pipeline timing it depends on: the scheduler's registers are mirrored one for one,
// and the cycles at which the cell updater writes h (which feed the scoreboard and the output
// FIFO) are derived from the pipeline latencies. Streams never stall: the host offers an x
// beat and takes an output beat every cycle. Cycle 0 is the cycle of the start write; the
// count is of cycles not idle.
uint64_t predict_cycles(const Plan& p, const RunShape& s) {
  check_shape(p, s);
  const Tiling g = tiling(p, s);
  // Streams interleave step by step: virtual step v is step v / n of stream v % n, and its U·h
  // work reads h of virtual step v - n (h_{-1} = 0 for v < n). Steps complete in virtual order.
  const int64_t n = s.streams, T = static_cast<int64_t>(s.steps) * n, H = s.hidden, S = g.serial, L = p.lanes, K = g.k;
  const int64_t TL = p.tree_latency_at(g.k);
  // Wavefront g: W·x of stream s >= g reads h of virtual step v - n - g (stream s - g, the previous
  // time slot; complete once hw_step + n + g > v).
  const int64_t wave = s.wavefront;
  // Decision of a U·h row block's last tile -> cell-updater write of its group s (and FIFO push):
  // one cycle in the scheduler's issue register, then TL + act + cell + 1, + s. The scoreboard
  // hears of each write one cycle before it (sharp_core's early tag), and the run ends one
  // cycle after it hears of the last step (the scheduler's fin_q).
  const int64_t write_lat = 1 + TL + p.act_latency + p.cell_latency + 1;
  struct Ev {
    bool write = false, step_done = false, push = false;  // write, step_done: as the scoreboard hears them
    int64_t written = 0;
  };
  std::vector<Ev> ev;
  auto at = [&ev](int64_t c) -> Ev& {
    if (static_cast<size_t>(c) >= ev.size()) ev.resize(static_cast<size_t>(c) + 64);
    return ev[static_cast<size_t>(c)];
  };
  // Scheduler registers (value during the current cycle).
  int64_t t_uh = 0, rb_uh = 0, cb_uh = 0, t_wx = 0, rb_wx = 0, cb_wx = 0;
  int64_t wx_issued = 0, wx_ready = 0, hw_step = 0, hw_cnt = 0, since = S, reserved = 0;
  int64_t groups_left = g.groups;
  bool fin = false;
  // x loader registers.
  int64_t x_loaded = 0, x_beat = 0;
  for (int64_t c = 1;; ++c) {
    // --- combinational decisions of cycle c ---
    const bool uh_left = t_uh < T;
    const bool uh_first = cb_uh == 0, uh_last = cb_uh == g.ch - 1, uh_rb_last = rb_uh == g.rb - 1;
    const int64_t need = std::min(H, (cb_uh + 1) * K);
    bool h_ok;
    if (t_uh < n || hw_step + n > t_uh)
      h_ok = true;
    else if (p.schedule_code != 0 && hw_step + n == t_uh)
      h_ok = hw_cnt >= need;
    else
      h_ok = false;
    const bool wx_ok = wx_ready > t_uh;
    const int64_t need_groups = std::min<int64_t>(S, groups_left);
    const bool credit_ok = !uh_first || reserved + need_groups <= p.fifo_depth;
    const bool spacing_ok = !uh_last || since >= S;
    const bool uh_go = uh_left && h_ok && wx_ok && credit_ok && spacing_ok;
    const bool wx_left = t_wx<T, x_ok = x_loaded> t_wx;
    bool window;
    if (p.schedule_code == 2)
      window = t_wx <= t_uh + p.lookahead;
    else if (p.schedule_code == 1)
      window = t_wx <= t_uh;
    else
      window = t_wx <= t_uh && hw_step + n > t_wx;
    const bool wf_ok = wave == 0 || t_wx % n < wave || hw_step + n + wave > t_wx;
    const bool wx_go = !uh_go && wx_left && window && x_ok && wf_ok;
    const bool pop = c >= 1 && at(c - 1).push;
    // x slots are released one cycle after the step's last W·x tile left the issue register
    // (x_released = wx_ready).
    const bool x_fire = x_loaded < T && x_loaded - wx_ready < p.x_slots;
    const Ev e = at(c);
    if (fin) return static_cast<uint64_t>(c + 1);  // StDone follows
    const bool n_fin = !uh_left && hw_step == T;

    // --- register updates at the end of cycle c ---
    int64_t n_since = since >= S ? since : since + 1;
    int64_t n_reserved = reserved - (pop ? 1 : 0) + (uh_go && uh_first ? need_groups : 0);
    int64_t n_wx_issued = wx_issued;
    if (uh_go) {
      if (uh_first) groups_left -= need_groups;
      if (!uh_last) {
        ++cb_uh;
      } else {
        for (int64_t k = 0; k < S; ++k) {
          const int64_t grp = rb_uh * S + k, n0 = grp * L;
          if (n0 < H) at(c + write_lat + k).push = true;  // first: at() may grow the vector
          Ev& w = at(c + write_lat - 1 + k);
          if (n0 < H) {
            w.write = true;
            w.written = std::min(H, n0 + L);
          }
          if (uh_rb_last && k == S - 1) w.step_done = true;
        }
        cb_uh = 0;
        n_since = 1;
        if (uh_rb_last) {
          ++t_uh;
          rb_uh = 0;
          groups_left = g.groups;
        } else {
          ++rb_uh;
        }
      }
    } else if (wx_go) {
      if (cb_wx != g.cx - 1) {
        ++cb_wx;
      } else {
        cb_wx = 0;
        if (rb_wx == g.rb - 1) {
          ++t_wx;
          rb_wx = 0;
          ++n_wx_issued;
        } else {
          ++rb_wx;
        }
      }
    }
    if (e.step_done) {
      ++hw_step;
      hw_cnt = 0;
    } else if (e.write) {
      hw_cnt = e.written;
    }
    if (x_fire) {
      if (x_beat == g.x_beats - 1) {
        x_beat = 0;
        ++x_loaded;
      } else {
        ++x_beat;
      }
    }
    wx_ready = wx_issued;
    wx_issued = n_wx_issued;
    since = n_since;
    reserved = n_reserved;
    fin = n_fin;
  }
}

WidthChoice choose_width(const Plan& p, int hidden, int input, int steps, int streams, int wavefront) {
  WidthChoice c;
  uint64_t best = UINT64_MAX;
  for (int w : p.widths()) {
    const uint64_t cyc = predict_cycles(p, {hidden, input, steps, w, streams, wavefront});
    c.cycles.push_back({w, cyc});
    if (cyc <= best) {  // widths ascend: ties go to the wider one
      best = cyc;
      c.width = w;
    }
  }
  return c;
}

BoundTerms dependency_terms(const Plan& p, const RunShape& s) {
  const Tiling g = tiling(p, s);
  const uint64_t T = static_cast<uint64_t>(s.steps);
  const uint64_t depth = static_cast<uint64_t>(p.tree_latency_at(g.k) + p.act_latency + p.cell_latency + 2);
  // n streams: each stream's chain is as long as one stream's, and the n streams' U·h tiles
  // share the array.
  const uint64_t n = static_cast<uint64_t>(s.streams);
  const uint64_t uh = static_cast<uint64_t>(g.rb) * static_cast<uint64_t>(g.ch);
  BoundTerms b;
  b.mac = n * T * static_cast<uint64_t>(g.rb) * static_cast<uint64_t>(g.cb);
  b.chain = T * std::max(n * uh, uh + depth);
  b.act = n * T * static_cast<uint64_t>(g.groups);
  return b;
}

uint64_t dependency_bound(const Plan& p, const RunShape& s) {
  const BoundTerms b = dependency_terms(p, s);
  return std::max({b.mac, b.chain, b.act});
}

}  // namespace sharp
