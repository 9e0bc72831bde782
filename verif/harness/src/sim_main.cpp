// sharp_sim: the Verilator harness of one generated design. It drives only the top-level
// ports of sharp_top: the register port and the valid/ready streams. One compiled design
// serves every run-time case: H, X, T and the width come from the stimulus file.
//
//   sharp_sim --stim FILE --out FILE [--seed S] [--valid-prob P] [--ready-prob P]
//             [--trace FILE.fst] [--max-cycles N] [--scenario NAME] [--inject-at N]
//             [--coverage FILE] [--read-regs LIST]
//
// A scenario misuses the hardware before or during the run, checks that the ERROR and STATUS
// registers say so, and then lets the legal run go on (its outputs are compared as usual):
//   reset             reset in the middle of a run (after --inject-at run cycles), then check
//                     that every register and counter is back to its reset value; a fresh run
//   start_busy        CTRL start while running           (ERROR bit 3; the run is not disturbed)
//   load_busy         CTRL load into the slot being run  (ERROR bit 6; the run is not disturbed)
//   config_busy       HIDDEN written while running       (accepted, ERROR 0: the run keeps the
//                                                         shape recorded with its slot)
//   hidden_over       load with H = max_hidden + 1       (ERROR bit 0), start (bit 4: not loaded)
//   input_over        load with X = max_input + 1        (ERROR bit 0), start (bit 4)
//   steps_zero        start with T = 0                   (ERROR bit 1)
//   bad_width         load with an unsupported width     (ERROR bit 2), start (bit 4)
//   start_unloaded    start before any load              (ERROR bit 4)
//   shape_after_load  HIDDEN rewritten after the load, then start (accepted: the run computes
//                     the shape of the load)
//   load_loading      a second load request while loading (ERROR bit 3; the first load goes on)
//   slot_over         load into LOAD_SLOT = weight_slots, start of RUN_SLOT = weight_slots
//                     (ERROR bit 7 each)
//   streams_over      start with STREAMS = 0 and with STREAMS = streams + 1 (ERROR bit 5 each),
//                     STEPS x STREAMS >= 2^32 (bit 5), a stream's slot beyond the design's
//                     (bit 7), not loaded (bit 4) or of another shape (bit 8), WAVEFRONT not below
//                     STREAMS or (X != H)
//                     any wavefront (bit 9)
//   cell_bad          start with CELL = 4 and with every kind the design lacks (ERROR bit 10 each)
//   init_bad          start with INIT_STATE = 1 and a wavefront (ERROR bit 11; with bit 9 where
//                     the wavefront itself is refused)
//
// Stimulus (little-endian int32): magic 'SHAR', version 7, H, X, T, width, beats of the weight,
// bias and x streams, K, streams n, weight sets m, STREAM_SLOTS, WAVEFRONT, CELL, INIT_STATE,
// then the beats themselves: m sets of weight and bias beats (set i is loaded into slot i), x in
// virtual-step order (step t of stream s is virtual step t n + s), and, when INIT_STATE is not 0,
// the state beats (n ceil(H / Lanes), stream 0 first, each Lanes h values then Lanes c values,
// sent through the state stream with random gaps). Output: every output beat's Lanes h values
// then Lanes c values (int32), in the same order. A JSON line with the counters goes to stdout.
//
// Coverage build (Verilator --coverage-toggle, VM_COVERAGE): the counts start from zero after
// the first reset; --coverage FILE writes them (one entry per instance) at the end, and the
// JSON line gains "coverage_cycles", the clock cycles they span.
//
// --read-regs LIST (comma-separated decimal register word addresses, e.g. 32,33,34) reads those
// registers right after the first reset, before anything else (and before the coverage counts
// start, so that the reads are no activity); the JSON line gains "regs": {"32": value, ...},
// in the order given.
//
// Every build binds a probe into each SRAM macro (sharp_count_probe, written by the harness
// next to this file): it registers the macro's instance path once and reports every clock edge
// with re_i or we_i high through the DPI-C functions below. The JSON line gains
// "accesses": {"<macro path below sharp_top>": [load reads, load writes, run reads, run writes]},
// the load phase being everything before the CTRL start write of the (last) run, the run phase
// the start write up to done. "events": [...] are the counts of the event probe bound into
// sharp_core (activation groups, cell updates, weight, bias, x and output beats), whole run.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "Vsharp_top.h"
#include "sharp_design.h"
#include "verilated.h"
#ifdef SHARP_TRACE
#include "verilated_fst_c.h"
#endif
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

#include "sim_common.hpp"

namespace {

struct Sim {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vsharp_top> top;
#ifdef SHARP_TRACE
  std::unique_ptr<VerilatedFstC> tfp;
#endif
  uint64_t cycle = 0;

  // The model, and the waveform when a trace file is given (a tracing build only).
  Vsharp_top* open(int argc, char** argv, const std::string& trace_path) {
    ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    top = std::make_unique<Vsharp_top>(ctx.get(), "TOP");
#ifdef SHARP_TRACE
    if (!trace_path.empty()) {
      ctx->traceEverOn(true);
      tfp = std::make_unique<VerilatedFstC>();
      top->trace(tfp.get(), 99);
      tfp->open(trace_path.c_str());
    }
#else
    if (!trace_path.empty()) die("this simulator was built without tracing");
#endif
    return top.get();
  }

  void half(int clk) {
    top->clk_i = clk;
    top->eval();
#ifdef SHARP_TRACE
    if (tfp) tfp->dump(ctx->time());
#endif
    ctx->timeInc(5);
  }
  // One clock cycle: falling edge (inputs already set), rising edge.
  void tick() {
    half(1);
    half(0);
    ++cycle;
  }
  void settle() { top->eval(); }
  void reg_write(int addr, uint32_t data) {
    top->reg_we_i = 1;
    top->reg_addr_i = static_cast<uint8_t>(addr);
    top->reg_wdata_i = data;
    tick();
    top->reg_we_i = 0;
  }
  uint32_t reg_read(int addr) {
    top->reg_addr_i = static_cast<uint8_t>(addr);
    settle();
    return top->reg_rdata_o;
  }
  uint64_t reg_read64(int lo) { return reg_read(lo) | (static_cast<uint64_t>(reg_read(lo + 1)) << 32); }
  // The output beat on o_h_o / o_c_o, appended to `out` (L h elements, then L c elements).
  void take_output(std::vector<int32_t>& out) const {
    const auto hw = read_port(top->o_h_o);
    const auto cw = read_port(top->o_c_o);
    for (int l = 0; l < L; ++l) out.push_back(static_cast<int32_t>(get_bits(hw.data(), l * D, D)));
    for (int l = 0; l < L; ++l) out.push_back(static_cast<int32_t>(get_bits(cw.data(), l * C, C)));
  }
  // No register write, no stream beat offered, no output taken.
  void idle_inputs() {
    top->reg_we_i = 0;
    top->w_valid_i = 0;
    top->b_valid_i = 0;
    top->x_valid_i = 0;
    top->s_valid_i = 0;
    top->o_ready_i = 0;
  }
  // A state beat on s_h_i / s_c_i: L h elements, then L c elements.
  void offer_state(const int32_t* beat) {
    assign_port(top->s_h_i, pack(beat, L, D));
    assign_port(top->s_c_i, pack(beat + L, L, C));
  }
  // Inputs idle, reset held for `cycles` clock edges, then one edge out of reset.
  void reset(int cycles) {
    idle_inputs();
    top->rst_ni = 0;
    for (int i = 0; i < cycles; ++i) tick();
    top->rst_ni = 1;
    tick();
  }
  // --read-regs: combinational reads only (no clock edge); the address port is put back as it
  // was, so the model is exactly where it would be without them.
  std::vector<uint32_t> read_regs(const std::vector<int>& addrs) {
    if (addrs.empty()) return {};
    std::vector<uint32_t> values;
    const auto addr = top->reg_addr_i;
    for (int a : addrs) values.push_back(reg_read(a));
    top->reg_addr_i = addr;
    settle();
    return values;
  }
};

// One simulation: the model, the random valid/ready patterns, the scenario's checks, the
// outputs and the counters of the report.
class Bench {
 public:
  Bench(const Options& o, const Stimulus& st, int argc, char** argv);
  int execute();

 private:
  bool chance(double p) { return p >= 1.0 || u01_(rng_) < p; }
  void expect_refused(uint32_t bits, const std::string& what);
  void configure(int h, int x, int t, int wd);
  uint32_t load();
  uint32_t load_set(int set);
  bool run(bool inject);
  void apply_injection();
  void check_injection();
  uint32_t injection_flag() const;
  void capture_output();
  bool misuse_before_run();
  void misuse_shape();
  void misuse_reset();
  void legal_run(bool loaded);
  void write_outputs();
  void print_report();
  void print_accesses();

  const Options& o_;
  const Stimulus& st_;
  const std::string& scenario_;
  Sim sim_;
  Vsharp_top* top_ = nullptr;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> u01_{0.0, 1.0};
  Checks chk_;
  bool during_run_ = false;
  std::vector<uint32_t> reg_values_;  // of o_.read_regs
  uint64_t load_cycles_ = 0, run_start_ = 0, coverage_start_ = 0, coverage_cycles_ = 0;
  std::vector<int32_t> out_;
  long xi_ = 0, oi_ = 0, si_ = 0;
  bool injected_ = false, done_ = false;
  uint32_t err_ = 0;
  // The access counters at the CTRL start write of the last run, and at its end.
  std::vector<std::array<uint64_t, 2>> at_start_, at_end_;
};

Bench::Bench(const Options& o, const Stimulus& st, int argc, char** argv)
    : o_(o), st_(st), scenario_(o.scenario), rng_(o.seed) {
  top_ = sim_.open(argc, argv, o_.trace_path);
#if !VM_COVERAGE
  if (!o_.coverage_path.empty()) die("this simulator was built without coverage");
#endif
  during_run_ =
      scenario_ == "reset" || scenario_ == "start_busy" || scenario_ == "load_busy" || scenario_ == "config_busy";
}

// ERROR after a request, and the core idle (a refused request must not start anything).
void Bench::expect_refused(uint32_t bits, const std::string& what) {
  const uint32_t e = sim_.reg_read(kRegERROR);
  chk_.expect(e == bits, what + ": ERROR = " + std::to_string(e) + ", expected " + std::to_string(bits));
  for (int i = 0; i < 4; ++i) sim_.tick();
  const uint32_t st = sim_.reg_read(kRegSTATUS);
  chk_.expect((st & 1u) == 0 && (st & 8u) != 0 && !top_->w_ready_o && !top_->b_ready_o && !top_->x_ready_o,
              what + ": the core is not idle with the error flag after the refused request (STATUS = " +
                  std::to_string(st) + ")");
}

void Bench::configure(int h, int x, int t, int wd) {
  sim_.reg_write(kRegHIDDEN, static_cast<uint32_t>(h));
  sim_.reg_write(kRegINPUT, static_cast<uint32_t>(x));
  sim_.reg_write(kRegSTEPS, static_cast<uint32_t>(t));
  sim_.reg_write(kRegWIDTH, static_cast<uint32_t>(wd));
  sim_.reg_write(kRegSTREAMS, static_cast<uint32_t>(st_.streams));
  sim_.reg_write(kRegSTREAM_SLOTS, st_.stream_slots);
  sim_.reg_write(kRegWAVEFRONT, st_.wavefront);
  sim_.reg_write(kRegCELL, st_.cell);
  sim_.reg_write(kRegINIT_STATE, st_.init);
}

// Loads every weight set (set i into slot i when there are several; else into LOAD_SLOT);
// returns ERROR after the first refused request.
uint32_t Bench::load() {
  const uint64_t load_start = sim_.cycle;
  for (int set = 0; set < st_.sets; ++set) {
    if (st_.sets > 1) sim_.reg_write(kRegLOAD_SLOT, static_cast<uint32_t>(set));
    const uint32_t err = load_set(set);
    if (err != 0) return err;
  }
  load_cycles_ = sim_.cycle - load_start;
  return 0;
}

// One weight set through the weight and bias streams (random gaps).
uint32_t Bench::load_set(int set) {
  sim_.reg_write(kRegCTRL, 2u);
  const uint32_t err = sim_.reg_read(kRegERROR);
  if (err != 0) return err;
  if (scenario_ == "load_loading") {
    sim_.reg_write(kRegCTRL, 2u);
    const uint32_t e2 = sim_.reg_read(kRegERROR), st = sim_.reg_read(kRegSTATUS);
    chk_.expect(e2 == 8u, "load_loading: ERROR = " + std::to_string(e2) + ", expected 8");
    chk_.expect((st & 16u) != 0, "load_loading: the first load stopped (STATUS = " + std::to_string(st) + ")");
  }
  long wi = 0, bi = 0;
  const uint64_t load_start = sim_.cycle;
  // Loaded: slot RUN_SLOT (STATUS bit 2) for a single set, else bit `set` of LOADED.
  auto loaded = [&]() {
    return st_.sets == 1 ? (sim_.reg_read(kRegSTATUS) & 4u) != 0 : ((sim_.reg_read(kRegLOADED) >> set) & 1u) != 0;
  };
  while (!loaded()) {
    // Present the next beats (with random gaps), fire on the rising edge if ready.
    const bool wv = wi < st_.nw && chance(o_.valid_prob);
    const bool bv = bi < st_.nb && chance(o_.valid_prob);
    top_->w_valid_i = wv;
    top_->b_valid_i = bv;
    if (wv) assign_port(top_->w_data_i, pack(st_.wbeat(set, wi), st_.K, D));
    if (bv) assign_port(top_->b_data_i, pack(st_.bbeat(set, bi), 1, D));
    sim_.settle();
    const bool wf = wv && top_->w_ready_o, bf = bv && top_->b_ready_o;
    sim_.tick();
    wi += wf;
    bi += bf;
    if (sim_.cycle - load_start > o_.max_cycles)
      die("timeout while loading weights (" + std::to_string(wi) + " of " + std::to_string(st_.nw) + " weight beats, " +
          std::to_string(bi) + " of " + std::to_string(st_.nb) + " bias beats accepted)");
  }
  top_->w_valid_i = 0;
  top_->b_valid_i = 0;
  if (wi != st_.nw || bi != st_.nb)
    die("design reported loaded after " + std::to_string(wi) + "/" + std::to_string(st_.nw) + " weight and " +
        std::to_string(bi) + "/" + std::to_string(st_.nb) + " bias beats");
  return 0;
}

// Streams x in and h, c out until done. During-run scenarios act at run cycle `inject_at`:
// a register write in the same cycle as the stream traffic (no beat is held back for it), or,
// for `reset`, the end of this run. Returns whether the run finished.
bool Bench::run(bool inject) {
  out_.clear();
  xi_ = 0;
  oi_ = 0;
  si_ = 0;
  at_start_ = access_counts().count;
  at_end_ = at_start_;
  sim_.reg_write(kRegCTRL, 1u);
  if (sim_.reg_read(kRegERROR) != 0) return false;
  run_start_ = sim_.cycle;
  bool done = false;
  for (;;) {
    const uint32_t status = sim_.reg_read(kRegSTATUS);
    if ((status & 2u) && oi_ == st_.out_beats) {
      done = true;
      break;
    }
    const bool act = inject && sim_.cycle - run_start_ == o_.inject_at;
    injected_ = injected_ || act;
    if (act && scenario_ == "reset") break;
    const bool xv = xi_ < st_.nx && chance(o_.valid_prob);
    const bool sv = si_ < st_.ns && chance(o_.valid_prob);
    const bool orr = chance(o_.ready_prob);
    top_->x_valid_i = xv;
    if (xv) assign_port(top_->x_data_i, pack(st_.xbeat(xi_), st_.K, D));
    top_->s_valid_i = sv;
    if (sv) sim_.offer_state(st_.sbeat(si_));
    top_->o_ready_i = orr;
    if (act) apply_injection();
    sim_.settle();
    const bool xf = xv && top_->x_ready_o, sf = sv && top_->s_ready_o;
    if (top_->o_valid_o && orr) capture_output();
    sim_.tick();
    top_->reg_we_i = 0;
    xi_ += xf;
    si_ += sf;
    if (act) check_injection();
    if (sim_.cycle - run_start_ > o_.max_cycles) break;
  }
  top_->x_valid_i = 0;
  top_->s_valid_i = 0;
  top_->o_ready_i = 0;
  at_end_ = access_counts().count;
  return done;
}

// The misuse of a during-run scenario: a register write in this cycle.
void Bench::apply_injection() {
  top_->reg_we_i = 1;
  if (scenario_ == "config_busy") {
    top_->reg_addr_i = static_cast<uint8_t>(kRegHIDDEN);
    top_->reg_wdata_i = static_cast<uint32_t>(st_.H % kMaxHidden + 1);
  } else {
    top_->reg_addr_i = static_cast<uint8_t>(kRegCTRL);
    top_->reg_wdata_i = scenario_ == "start_busy" ? 1u : 2u;
  }
}

// The flag a during-run scenario expects in ERROR (config_busy: none, the write is accepted).
uint32_t Bench::injection_flag() const {
  if (scenario_ == "config_busy") return 0u;
  return scenario_ == "load_busy" ? 64u : 8u;
}

void Bench::check_injection() {
  const uint32_t e = sim_.reg_read(kRegERROR), st = sim_.reg_read(kRegSTATUS);
  const uint32_t want = injection_flag();
  chk_.expect(e == want, scenario_ + ": ERROR = " + std::to_string(e) + ", expected " + std::to_string(want));
  chk_.expect((st & 1u) != 0, scenario_ + ": the run stopped (STATUS = " + std::to_string(st) + ")");
  const uint32_t h =
      scenario_ == "config_busy" ? static_cast<uint32_t>(st_.H % kMaxHidden + 1) : static_cast<uint32_t>(st_.H);
  chk_.expect(
      sim_.reg_read(kRegHIDDEN) == h,
      scenario_ + ": HIDDEN reads " + std::to_string(sim_.reg_read(kRegHIDDEN)) + ", expected " + std::to_string(h));
  chk_.expect(!top_->w_ready_o && !top_->b_ready_o, scenario_ + ": a load began while running");
}

// The output beat on the ports: Lanes h values, then Lanes c values.
void Bench::capture_output() {
  // The framing outputs: lanes holding a neuron, the last beat of each h_t, the run's last beat.
  const long groups = (st_.H + L - 1) / L, g = oi_ % groups;
  const bool last = g == groups - 1, end = oi_ == st_.out_beats - 1;
  uint32_t keep = 0;
  for (int l = 0; l < L; ++l)
    if (g * L + l < st_.H) keep |= 1u << l;
  if (static_cast<bool>(top_->o_last_o) != last || static_cast<bool>(top_->o_end_o) != end ||
      static_cast<uint32_t>(top_->o_keep_o) != keep)
    chk_.expect(false, "output beat " + std::to_string(oi_) + ": o_last_o " + std::to_string(top_->o_last_o) +
                           " o_end_o " + std::to_string(top_->o_end_o) + " o_keep_o " + std::to_string(top_->o_keep_o) +
                           ", expected " + std::to_string(last) + " " + std::to_string(end) + " " +
                           std::to_string(keep));
  sim_.take_output(out_);
  ++oi_;
}

// Misuse before the legal run. Returns whether the weights are loaded for it.
bool Bench::misuse_before_run() {
  const int H = st_.H, X = st_.X, T = st_.T, width = st_.width;
  if (scenario_ == "hidden_over" || scenario_ == "input_over" || scenario_ == "bad_width") {
    misuse_shape();
  } else if (scenario_ == "start_unloaded") {
    configure(H, X, T, width);
    sim_.reg_write(kRegCTRL, 1u);
    expect_refused(16u, "start before load");
  } else if (scenario_ == "steps_zero") {
    configure(H, X, 0, width);
    chk_.expect(load() == 0, "steps_zero: the load was refused");
    sim_.reg_write(kRegCTRL, 1u);
    expect_refused(2u, "start with T = 0");
    sim_.reg_write(kRegSTEPS, static_cast<uint32_t>(T));  // keeps the loaded weights
    return true;
  } else if (scenario_ == "shape_after_load") {
    // The run computes the shape recorded with the slot at its load, whatever HIDDEN says now.
    configure(H, X, T, width);
    chk_.expect(load() == 0, "shape_after_load: the load was refused");
    sim_.reg_write(kRegHIDDEN, static_cast<uint32_t>(H % kMaxHidden + 1));
    chk_.expect((sim_.reg_read(kRegSTATUS) & 4u) != 0, "shape_after_load: not loaded after HIDDEN was written");
    return true;
  } else if (scenario_ == "cell_bad") {
    // CELL beyond the kinds (4), and every kind the design lacks: ERROR bit 10 each.
    configure(H, X, T, width);
    chk_.expect(load() == 0, "cell_bad: the load was refused");
    for (uint32_t k = 0; k <= 4; ++k) {
      if (k < 4 && ((kCells >> k) & 1)) continue;
      sim_.reg_write(kRegCELL, k);
      sim_.reg_write(kRegCTRL, 1u);
      expect_refused(1024u, "start with CELL = " + std::to_string(k));
    }
    sim_.reg_write(kRegCELL, st_.cell);
    return true;
  } else if (scenario_ == "init_bad") {
    // An initial state with a wavefront: bit 11 (and bit 9 where the wavefront itself is refused:
    // a single-stream design, or X != H).
    configure(H, X, T, width);
    chk_.expect(load() == 0, "init_bad: the load was refused");
    const bool wave_legal = kStreams >= 2 && X == H;
    sim_.reg_write(kRegSTREAMS, wave_legal ? 2u : 1u);
    sim_.reg_write(kRegWAVEFRONT, 1u);
    sim_.reg_write(kRegINIT_STATE, 1u);
    sim_.reg_write(kRegCTRL, 1u);
    expect_refused(wave_legal ? 2048u : 2048u | 512u, "start with INIT_STATE = 1 and WAVEFRONT = 1");
    sim_.reg_write(kRegWAVEFRONT, st_.wavefront);
    sim_.reg_write(kRegSTREAMS, static_cast<uint32_t>(st_.streams));
    sim_.reg_write(kRegINIT_STATE, st_.init);
    return true;
  } else if (scenario_ == "slot_over") {
    configure(H, X, T, width);
    sim_.reg_write(kRegLOAD_SLOT, static_cast<uint32_t>(kWeightSlots));
    sim_.reg_write(kRegCTRL, 2u);
    expect_refused(128u, "load into slot weight_slots");
    sim_.reg_write(kRegRUN_SLOT, static_cast<uint32_t>(kWeightSlots));
    sim_.reg_write(kRegCTRL, 1u);
    expect_refused(128u, "start of slot weight_slots");
    sim_.reg_write(kRegLOAD_SLOT, 0u);
    sim_.reg_write(kRegRUN_SLOT, 0u);
  } else if (scenario_ == "streams_over") {
    configure(H, X, T, width);
    chk_.expect(load() == 0, "streams_over: the load was refused");
    for (uint32_t n : {0u, static_cast<uint32_t>(kStreams) + 1u}) {
      sim_.reg_write(kRegSTREAMS, n);
      sim_.reg_write(kRegCTRL, 1u);
      expect_refused(32u, "start with STREAMS = " + std::to_string(n));
    }
    if (kStreams >= 2) {  // 2 x (2^32 - 1) virtual steps do not fit the 32-bit step counter
      sim_.reg_write(kRegSTEPS, 0xFFFFFFFFu);
      sim_.reg_write(kRegSTREAMS, 2u);
      sim_.reg_write(kRegCTRL, 1u);
      expect_refused(32u, "start with STEPS x STREAMS >= 2^32");
      sim_.reg_write(kRegSTEPS, static_cast<uint32_t>(T));
      // Stream 1 on a slot beyond the design's (bit 7), and on a slot not loaded (bit 4).
      sim_.reg_write(kRegSTREAM_SLOTS, static_cast<uint32_t>(kWeightSlots) << 4);
      sim_.reg_write(kRegCTRL, 1u);
      expect_refused(128u, "start with stream 1 on slot weight_slots");
      if (kWeightSlots >= 2 && st_.sets == 1) {
        sim_.reg_write(kRegSTREAM_SLOTS, 1u << 4);
        sim_.reg_write(kRegCTRL, 1u);
        expect_refused(16u, "start with stream 1 on a slot not loaded");
        // Stream 1 on a slot holding another shape (bit 8): slot 1 loaded (zero beats, as many
        // as the loader takes) with H one larger or smaller than slot 0's.
        const int other_h = H < kMaxHidden ? H + 1 : H - 1;
        if (other_h >= 1) {
          sim_.reg_write(kRegHIDDEN, static_cast<uint32_t>(other_h));
          sim_.reg_write(kRegLOAD_SLOT, 1u);
          sim_.reg_write(kRegCTRL, 2u);
          chk_.expect(sim_.reg_read(kRegERROR) == 0, "streams_over: the load of another shape was refused");
          const uint64_t t0 = sim_.cycle;
          assign_port(top_->w_data_i, std::vector<uint32_t>((st_.K * D + 31) / 32, 0u));
          assign_port(top_->b_data_i, std::vector<uint32_t>((D + 31) / 32, 0u));
          while ((sim_.reg_read(kRegLOADED) & 2u) == 0) {
            top_->w_valid_i = 1;
            top_->b_valid_i = 1;
            sim_.tick();
            if (sim_.cycle - t0 > o_.max_cycles) die("streams_over: timeout while loading slot 1");
          }
          top_->w_valid_i = 0;
          top_->b_valid_i = 0;
          sim_.reg_write(kRegCTRL, 1u);
          expect_refused(256u, "start with stream 1 on a slot of another shape");
          sim_.reg_write(kRegHIDDEN, static_cast<uint32_t>(H));
          sim_.reg_write(kRegLOAD_SLOT, 0u);
        }
      }
      sim_.reg_write(kRegSTREAM_SLOTS, st_.stream_slots);
      // A wavefront of as many groups as streams (bit 9), and one with X != H (bit 9).
      sim_.reg_write(kRegSTREAMS, 2u);
      sim_.reg_write(kRegWAVEFRONT, 2u);
      sim_.reg_write(kRegCTRL, 1u);
      expect_refused(512u, "start with WAVEFRONT = STREAMS");
      if (X != H) {
        sim_.reg_write(kRegWAVEFRONT, 1u);
        sim_.reg_write(kRegCTRL, 1u);
        expect_refused(512u, "start of a wavefront with X != H");
      }
    }
    // Any wavefront of a single stream (bit 9).
    sim_.reg_write(kRegSTREAMS, 1u);
    sim_.reg_write(kRegWAVEFRONT, 1u);
    sim_.reg_write(kRegCTRL, 1u);
    expect_refused(512u, "start with WAVEFRONT = 1 and STREAMS = 1");
    sim_.reg_write(kRegWAVEFRONT, st_.wavefront);
    sim_.reg_write(kRegSTREAMS, static_cast<uint32_t>(st_.streams));
    return true;
  } else if (scenario_ == "reset") {
    misuse_reset();
  }
  return false;
}

// hidden_over, input_over, bad_width: a load and a start with an illegal shape.
void Bench::misuse_shape() {
  const std::string& scenario = scenario_;
  int wd = st_.width;
  if (scenario == "bad_width") wd = kKMin + 1 < kK ? kKMin + 1 : kK * 2;  // not a power of two, or too wide
  configure(scenario == "hidden_over" ? kMaxHidden + 1 : st_.H, scenario == "input_over" ? kMaxInput + 1 : st_.X, st_.T,
            wd);
  sim_.reg_write(kRegCTRL, 2u);
  expect_refused(scenario == "bad_width" ? 4u : 1u, scenario + " load");
  sim_.reg_write(kRegCTRL, 1u);
  expect_refused(16u, scenario + " start (nothing loaded)");
}

// A run cut short by reset; then nothing of it may remain.
void Bench::misuse_reset() {
  configure(st_.H, st_.X, st_.T, st_.width);
  chk_.expect(load() == 0, "reset: the first load was refused");
  run(true);
  sim_.reset(3);
  sim_.settle();
  const uint64_t ctrs[] = {sim_.reg_read64(kRegCYCLES_LO),       sim_.reg_read64(kRegACTIVE_LO),
                           sim_.reg_read64(kRegMACS_LO),         sim_.reg_read64(kRegSTALL_INPUT_LO),
                           sim_.reg_read64(kRegSTALL_H_LO),      sim_.reg_read64(kRegSTALL_DRAIN_LO),
                           sim_.reg_read64(kRegSTALL_OUTPUT_LO), sim_.reg_read64(kRegSTALL_ACT_LO)};
  for (uint64_t c : ctrs) chk_.expect(c == 0, "reset: a counter is " + std::to_string(c) + " after reset");
  chk_.expect(sim_.reg_read(kRegSTATUS) == 0, "reset: STATUS = " + std::to_string(sim_.reg_read(kRegSTATUS)));
  chk_.expect(sim_.reg_read(kRegERROR) == 0, "reset: ERROR = " + std::to_string(sim_.reg_read(kRegERROR)));
  chk_.expect(sim_.reg_read(kRegHIDDEN) == 1 && sim_.reg_read(kRegINPUT) == 1 && sim_.reg_read(kRegSTEPS) == 1 &&
                  sim_.reg_read(kRegSTREAMS) == 1,
              "reset: HIDDEN, INPUT, STEPS, STREAMS not back to 1");
  chk_.expect(!top_->o_valid_o && !top_->w_ready_o && !top_->b_ready_o && !top_->x_ready_o && !top_->s_ready_o,
              "reset: a stream is active after reset");
}

// The legal run.
void Bench::legal_run(bool loaded) {
  if (!loaded) configure(st_.H, st_.X, st_.T, st_.width);
  err_ = loaded ? 0 : load();
  done_ = false;
  if (err_ == 0) {
    done_ = run(during_run_ && scenario_ != "reset");
    err_ = sim_.reg_read(kRegERROR);
    if (during_run_ && scenario_ != "reset") err_ &= ~injection_flag();  // the expected flag
  }
}

void Bench::write_outputs() {
  FILE* f = std::fopen(o_.out_path.c_str(), "wb");
  if (!f) die("cannot write " + o_.out_path);
  if (!out_.empty()) std::fwrite(out_.data(), 4, out_.size(), f);
  std::fclose(f);
}

void Bench::print_report() {
  std::string note;
  for (char c : chk_.problems) note += (c == '"' || c == '\\') ? '\'' : c;
  std::printf(
      "{\"done\": %s, \"error\": %u, \"status\": %u, \"cycles\": %llu, \"active\": %llu, \"macs\": %llu, "
      "\"stall_input\": %llu, \"stall_h\": %llu, \"stall_drain\": %llu, \"stall_output\": %llu, \"stall_act\": %llu, "
      "\"load_cycles\": %llu, \"run_cycles\": %llu, \"out_beats\": %ld, \"x_beats\": %ld, "
      "\"scenario\": \"%s\", \"scenario_ok\": %s, \"scenario_problems\": \"%s\"",
      done_ ? "true" : "false", err_, sim_.reg_read(kRegSTATUS),
      static_cast<unsigned long long>(sim_.reg_read64(kRegCYCLES_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegACTIVE_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegMACS_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegSTALL_INPUT_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegSTALL_H_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegSTALL_DRAIN_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegSTALL_OUTPUT_LO)),
      static_cast<unsigned long long>(sim_.reg_read64(kRegSTALL_ACT_LO)), static_cast<unsigned long long>(load_cycles_),
      static_cast<unsigned long long>(sim_.cycle - run_start_), oi_, xi_, scenario_.c_str(),
      chk_.problems.empty() ? "true" : "false", note.c_str());
#if VM_COVERAGE
  std::printf(", \"coverage_cycles\": %llu", static_cast<unsigned long long>(coverage_cycles_));
#endif
  print_regs(o_.read_regs, reg_values_);
  print_accesses();
  print_events();
  std::printf("}\n");
}

// "accesses": per macro, below sharp_top: load reads, load writes, run reads, run writes.
void Bench::print_accesses() {
  const AccessCounts& a = access_counts();
  std::printf(", \"accesses\": {");
  for (size_t i = 0; i < a.paths.size(); ++i) {
    const std::string path = macro_path(a.paths[i]);
    // Without a run (a refused request), everything counted is of the load phase.
    const auto& s = i < at_start_.size() ? at_start_[i] : a.count[i];
    const auto& e = i < at_end_.size() ? at_end_[i] : a.count[i];
    std::printf("%s\"%s\": [%llu, %llu, %llu, %llu]", i ? ", " : "", path.c_str(),
                static_cast<unsigned long long>(s[0]), static_cast<unsigned long long>(s[1]),
                static_cast<unsigned long long>(e[0] - s[0]), static_cast<unsigned long long>(e[1] - s[1]));
  }
  std::printf("}");
}

int Bench::execute() {
  top_->clk_i = 0;
  sim_.reset(4);
  reg_values_ = sim_.read_regs(o_.read_regs);
#if VM_COVERAGE
  // Count from here: the power-on values and the reset itself are not part of the run.
  sim_.ctx->coveragep()->zero();
  coverage_start_ = sim_.cycle;
#endif
  const bool loaded = misuse_before_run();
  legal_run(loaded);
  if (during_run_) chk_.expect(injected_, scenario_ + ": the run ended before the misuse could be applied");
#if VM_COVERAGE
  // Written before the register reads of the report below (they would count as activity).
  coverage_cycles_ = sim_.cycle - coverage_start_;
  if (!o_.coverage_path.empty()) {
    sim_.ctx->coveragep()->forcePerInstance(true);  // one entry per instance, not summed per module
    sim_.ctx->coveragep()->write(o_.coverage_path.c_str());
  }
#endif
  write_outputs();
  print_report();
#ifdef SHARP_TRACE
  if (sim_.tfp) sim_.tfp->close();
#endif
  top_->final();
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Program mode (stimulus version 5): several layers ("loads", each into a weight slot) and runs
// of them, in one simulation, driven by the host protocol of docs/VERIFICATION.md:
//   - one register write per cycle; a load is HIDDEN, INPUT, WIDTH, LOAD_SLOT, CTRL = 2; a run
//     is STEPS, RUN_SLOT, each of STREAMS, STREAM_SLOTS, WAVEFRONT, CELL, INIT_STATE whose value
//     differs from the one last written (reset values 1, 0, 0, the design's first kind, 0),
//     CTRL = 1 (the last write of each is the request);
//   - when the register port is free, the host starts the next run if no run is going on and
//     every layer its streams compute has finished loading; otherwise the next load, if no load
//     is going on and every run computing an earlier layer in the same slot has finished;
//   - a load has finished when STATUS.loading is clear again, a run when STATUS.done is set
//     and every output beat of it has been taken;
//   - the weight and bias streams deliver their beats no faster than the DMA rate: beats of a
//     load leave DRAM biases first, then weights, at `rate_bits` bits per `rate_cycles` cycles
//     (0: as fast as the streams take them); the x, state and output streams never stall.
// The file: magic, 5, K, loads, runs, rate_bits (lo, hi), rate_cycles, then every load (slot,
// H, X, width, weight beats, bias beats, the beats) and every run (load, T, streams n,
// WAVEFRONT, CELL, INIT_STATE, STREAM_SLOTS, m, the loads of streams 1 .. m, x beats, the beats,
// state beats, the beats: Lanes h values then Lanes c values each).
// Output: every run's output beats one run after another. The JSON line has the cycle of every
// request and completion, each run's counters, and every macro's reads and writes in total.
struct ProgLoad {
  int slot = 0, H = 0, X = 0, width = 0;
  long nw = 0, nb = 0;
  size_t at = 0;  // first int32 of its beats in Program::s
};
struct ProgRun {
  int load = 0, T = 0, streams = 1;
  uint32_t wave = 0, cell = 0, init = 0, stream_slots = 0;
  std::vector<int> loads;  // every load its streams compute (load first)
  long nx = 0, ns = 0, out_beats = 0;
  size_t at = 0, s_at = 0;  // first int32 of its x beats, of its state beats
};
struct Program {
  std::vector<int32_t> s;
  int K = 0;
  uint64_t rate_bits = 0, rate_cycles = 1;
  std::vector<ProgLoad> loads;
  std::vector<ProgRun> runs;
};

Program read_program(std::vector<int32_t> words, const std::string& path) {
  Program pr;
  pr.s = std::move(words);
  std::vector<int32_t>& s = pr.s;
  size_t i = 0;
  auto next = [&]() -> int32_t {
    if (i >= s.size()) die("program file " + path + " is truncated");
    return s[i++];
  };
  if (next() != 0x53484152 || next() != 5) die("bad program file " + path);
  pr.K = next();
  if (pr.K != sharp_design::kK)
    die("program packs " + std::to_string(pr.K) + " elements per beat, design has " + std::to_string(sharp_design::kK));
  const int nl = next(), nr = next();
  const uint32_t lo = static_cast<uint32_t>(next()), hi = static_cast<uint32_t>(next());
  pr.rate_bits = lo | (static_cast<uint64_t>(hi) << 32);
  pr.rate_cycles = static_cast<uint64_t>(next());
  if (nl < 0 || nr < 0 || pr.rate_cycles < 1) die("bad program header in " + path);
  for (int l = 0; l < nl; ++l) {
    ProgLoad d;
    d.slot = next();
    d.H = next();
    d.X = next();
    d.width = next();
    d.nw = next();
    d.nb = next();
    d.at = i;
    i += static_cast<size_t>(d.nw * pr.K + d.nb);
    if (d.slot < 0 || d.slot >= sharp_design::kWeightSlots) die("program: a load names slot " + std::to_string(d.slot));
    pr.loads.push_back(d);
  }
  for (int r = 0; r < nr; ++r) {
    ProgRun u;
    u.load = next();
    u.T = next();
    u.streams = next();
    u.wave = static_cast<uint32_t>(next());
    u.cell = static_cast<uint32_t>(next());
    u.init = static_cast<uint32_t>(next());
    u.stream_slots = static_cast<uint32_t>(next());
    const int m = next();
    if (u.streams < 1 || u.streams > sharp_design::kStreams || m < 0 || m >= u.streams)
      die("program: run " + std::to_string(r) + " has " + std::to_string(u.streams) + " streams and " +
          std::to_string(m) + " stream loads");
    u.loads.push_back(u.load);
    for (int k = 0; k < m; ++k) {
      u.loads.push_back(next());
      if (u.loads.back() < 0 || u.loads.back() >= nl) die("program: run " + std::to_string(r) + " names a bad load");
    }
    u.nx = next();
    u.at = i;
    i += static_cast<size_t>(u.nx * pr.K);
    u.ns = next();
    u.s_at = i;
    i += static_cast<size_t>(u.ns * 2 * L);
    if (u.load < 0 || u.load >= nl || (r > 0 && u.load < pr.runs.back().load))
      die("program: run " + std::to_string(r) + " names load " + std::to_string(u.load) + " (loads are run in order)");
    u.out_beats = static_cast<long>(u.T) * u.streams * ((pr.loads[static_cast<size_t>(u.load)].H + L - 1) / L);
    pr.runs.push_back(u);
  }
  if (i != s.size()) die("program file size does not match its header: " + path);
  return pr;
}

class ProgramBench {
 public:
  ProgramBench(const Options& o, const Program& p, int argc, char** argv) : o_(o), p_(p) {
    top_ = sim_.open(argc, argv, o_.trace_path);
    if (!o_.coverage_path.empty()) die("--coverage is not supported with a program");
    if (o_.scenario != "none") die("--scenario is not supported with a program");
    if (o_.valid_prob < 1.0 || o_.ready_prob < 1.0) die("random stalls are not supported with a program");
  }
  int execute();

 private:
  struct LoadState {
    int64_t request = -1, end = -1;  // cycle of the CTRL write; first cycle it is seen finished
    long wi = 0, bi = 0;
  };
  struct RunState {
    int64_t request = -1, end = -1;
    long xi = 0, oi = 0, si = 0;
    uint64_t cycles = 0, active = 0, macs = 0;
    uint32_t error = 0;
  };
  // Cycle (after the load's request) from which beat `i` of a stream may be offered: the DMA
  // has sent the bits of every beat before it and of this one.
  int64_t available(uint64_t bits_through) const {
    if (p_.rate_bits == 0) return 0;
    return static_cast<int64_t>((bits_through * p_.rate_cycles + p_.rate_bits - 1) / p_.rate_bits) - 1;
  }
  bool slot_free(int l) const;
  // Every load and run requested and seen finished.
  bool finished() const {
    return next_load_ == static_cast<int>(p_.loads.size()) && next_run_ == static_cast<int>(p_.runs.size()) &&
           cur_load_ < 0 && cur_run_ < 0;
  }
  // The state of load or run `i` (cur_load_, cur_run_) once its CTRL write lies before cycle
  // `now`, else nullptr (none current, or not requested yet).
  template <class S>
  static S* started(std::vector<S>& v, int i, int64_t now) {
    if (i < 0) return nullptr;
    S& x = v[static_cast<size_t>(i)];
    return x.request >= 0 && x.request < now ? &x : nullptr;
  }
  void observe();
  void decide();
  void drive_and_tick();
  void print_report();

  const Options& o_;
  const Program& p_;
  Sim sim_;
  Vsharp_top* top_ = nullptr;
  std::vector<LoadState> ls_;
  std::vector<RunState> rs_;
  std::vector<std::pair<int, uint32_t>> writes_;  // pending register writes, front first
  size_t wpos_ = 0;
  int next_load_ = 0, next_run_ = 0, cur_load_ = -1, cur_run_ = -1;
  int64_t t0_ = 0;
  std::vector<uint32_t> reg_values_;
  std::vector<int32_t> out_;
  uint32_t first_error_ = 0;
  uint32_t streams_reg_ = 1, stream_slots_reg_ = 0, wave_reg_ = 0, init_reg_ = 0;  // as last written
  // CELL's reset value: the design's lowest kind.
  uint32_t cell_reg_ = static_cast<uint32_t>(__builtin_ctz(static_cast<unsigned>(sharp_design::kCells)));
};

// Every run of an earlier load into the same slot has finished.
bool ProgramBench::slot_free(int l) const {
  const int slot = p_.loads[static_cast<size_t>(l)].slot;
  for (size_t r = 0; r < p_.runs.size(); ++r)
    for (int u : p_.runs[r].loads)
      if (u < l && p_.loads[static_cast<size_t>(u)].slot == slot && rs_[r].end < 0) return false;
  return true;
}

// Completions seen at the start of this cycle (combinational register reads).
void ProgramBench::observe() {
  const int64_t now = static_cast<int64_t>(sim_.cycle) - t0_;
  const uint32_t status = sim_.reg_read(kRegSTATUS);
  if (LoadState* lp = started(ls_, cur_load_, now); lp && !(status & 16u)) {
    LoadState& l = *lp;
    const ProgLoad& d = p_.loads[static_cast<size_t>(cur_load_)];
    if (l.wi != d.nw || l.bi != d.nb)
      die("load " + std::to_string(cur_load_) + " reported finished after " + std::to_string(l.wi) + "/" +
          std::to_string(d.nw) + " weight and " + std::to_string(l.bi) + "/" + std::to_string(d.nb) + " bias beats");
    l.end = now;
    cur_load_ = -1;
  }
  if (RunState* rp = started(rs_, cur_run_, now)) {
    RunState& r = *rp;
    if ((status & 2u) && r.oi == p_.runs[static_cast<size_t>(cur_run_)].out_beats) {
      r.end = now;
      r.cycles = sim_.reg_read64(kRegCYCLES_LO);
      r.active = sim_.reg_read64(kRegACTIVE_LO);
      r.macs = sim_.reg_read64(kRegMACS_LO);
      r.error = sim_.reg_read(kRegERROR);
      if (r.error && !first_error_) first_error_ = r.error;
      cur_run_ = -1;
    }
  }
}

// With the register port free: the next run, else the next load (see the protocol above).
void ProgramBench::decide() {
  if (wpos_ < writes_.size()) return;
  writes_.clear();
  wpos_ = 0;
  if (cur_run_ < 0 && next_run_ < static_cast<int>(p_.runs.size())) {
    const ProgRun& r = p_.runs[static_cast<size_t>(next_run_)];
    bool loaded = true;
    for (int u : r.loads) loaded = loaded && ls_[static_cast<size_t>(u)].end >= 0;
    if (loaded) {
      writes_ = {{kRegSTEPS, static_cast<uint32_t>(r.T)},
                 {kRegRUN_SLOT, static_cast<uint32_t>(p_.loads[static_cast<size_t>(r.load)].slot)}};
      // The stream registers only where they change.
      for (auto [reg, want, cur] :
           {std::tuple{kRegSTREAMS, static_cast<uint32_t>(r.streams), &streams_reg_},
            std::tuple{kRegSTREAM_SLOTS, r.stream_slots, &stream_slots_reg_},
            std::tuple{kRegWAVEFRONT, r.wave, &wave_reg_}, std::tuple{kRegCELL, r.cell, &cell_reg_},
            std::tuple{kRegINIT_STATE, r.init, &init_reg_}})
        if (want != *cur) {
          writes_.push_back({reg, want});
          *cur = want;
        }
      writes_.push_back({kRegCTRL, 1u});
      cur_run_ = next_run_++;
      return;
    }
  }
  if (cur_load_ < 0 && next_load_ < static_cast<int>(p_.loads.size()) && slot_free(next_load_)) {
    const ProgLoad& d = p_.loads[static_cast<size_t>(next_load_)];
    writes_ = {{kRegHIDDEN, static_cast<uint32_t>(d.H)},
               {kRegINPUT, static_cast<uint32_t>(d.X)},
               {kRegWIDTH, static_cast<uint32_t>(d.width)},
               {kRegLOAD_SLOT, static_cast<uint32_t>(d.slot)},
               {kRegCTRL, 2u}};
    cur_load_ = next_load_++;
  }
}

// One cycle: the register write, the stream beats, the output, the clock edge.
void ProgramBench::drive_and_tick() {
  const int64_t now = static_cast<int64_t>(sim_.cycle) - t0_;
  top_->reg_we_i = 0;
  if (wpos_ < writes_.size()) {
    const auto [addr, data] = writes_[wpos_++];
    top_->reg_we_i = 1;
    top_->reg_addr_i = static_cast<uint8_t>(addr);
    top_->reg_wdata_i = data;
    if (addr == kRegCTRL && data == 2u) ls_[static_cast<size_t>(cur_load_)].request = now;
    if (addr == kRegCTRL && data == 1u) rs_[static_cast<size_t>(cur_run_)].request = now;
  }
  const int K = p_.K;
  bool wv = false, bv = false, xv = false, sv = false;
  LoadState* l = started(ls_, cur_load_, now);
  if (l) {
    const ProgLoad* d = &p_.loads[static_cast<size_t>(cur_load_)];
    const int64_t since = now - l->request - 1;
    const uint64_t bbits = static_cast<uint64_t>(D), wbits = static_cast<uint64_t>(K) * D;
    const uint64_t all_b = static_cast<uint64_t>(d->nb) * bbits;
    bv = l->bi < d->nb && available(static_cast<uint64_t>(l->bi + 1) * bbits) <= since;
    wv = l->wi < d->nw && available(all_b + static_cast<uint64_t>(l->wi + 1) * wbits) <= since;
    if (wv) assign_port(top_->w_data_i, pack(p_.s.data() + d->at + static_cast<size_t>(l->wi * K), K, D));
    if (bv) assign_port(top_->b_data_i, pack(p_.s.data() + d->at + static_cast<size_t>(d->nw * K + l->bi), 1, D));
  }
  RunState* r = started(rs_, cur_run_, now);
  if (r) {
    const ProgRun* u = &p_.runs[static_cast<size_t>(cur_run_)];
    xv = r->xi < u->nx;
    if (xv) assign_port(top_->x_data_i, pack(p_.s.data() + u->at + static_cast<size_t>(r->xi * K), K, D));
    sv = r->si < u->ns;
    if (sv) sim_.offer_state(p_.s.data() + u->s_at + static_cast<size_t>(r->si * 2 * L));
  }
  top_->w_valid_i = wv;
  top_->b_valid_i = bv;
  top_->x_valid_i = xv;
  top_->s_valid_i = sv;
  top_->o_ready_i = 1;
  sim_.settle();
  const bool wf = wv && top_->w_ready_o, bf = bv && top_->b_ready_o, xf = xv && top_->x_ready_o,
             sf = sv && top_->s_ready_o;
  if (top_->o_valid_o) {
    if (!r) die("an output beat outside a run at cycle " + std::to_string(now));
    sim_.take_output(out_);
    ++r->oi;
  }
  sim_.tick();
  if (l) {
    l->wi += wf;
    l->bi += bf;
  }
  if (r) {
    r->xi += xf;
    r->si += sf;
  }
}

int ProgramBench::execute() {
  top_->clk_i = 0;
  sim_.reset(4);
  reg_values_ = sim_.read_regs(o_.read_regs);
  ls_.assign(p_.loads.size(), {});
  rs_.assign(p_.runs.size(), {});
  t0_ = static_cast<int64_t>(sim_.cycle);
  for (;;) {
    observe();
    if (finished()) break;
    decide();
    drive_and_tick();
    if (sim_.cycle - static_cast<uint64_t>(t0_) > o_.max_cycles)
      die("timeout after " + std::to_string(o_.max_cycles) + " cycles (run " + std::to_string(cur_run_) + ", load " +
          std::to_string(cur_load_) + ")");
  }
  FILE* f = std::fopen(o_.out_path.c_str(), "wb");
  if (!f) die("cannot write " + o_.out_path);
  if (!out_.empty()) std::fwrite(out_.data(), 4, out_.size(), f);
  std::fclose(f);
  print_report();
#ifdef SHARP_TRACE
  if (sim_.tfp) sim_.tfp->close();
#endif
  top_->final();
  return 0;
}

void ProgramBench::print_report() {
  const auto ull = [](auto v) { return static_cast<unsigned long long>(v); };
  std::printf("{\"program\": true, \"cycles\": %llu, \"error\": %u, \"loads\": [",
              ull(static_cast<int64_t>(sim_.cycle) - t0_), first_error_);
  for (size_t i = 0; i < ls_.size(); ++i)
    std::printf("%s[%lld, %lld]", i ? ", " : "", static_cast<long long>(ls_[i].request),
                static_cast<long long>(ls_[i].end));
  std::printf("], \"runs\": [");
  for (size_t i = 0; i < rs_.size(); ++i)
    std::printf("%s{\"span\": [%lld, %lld], \"cycles\": %llu, \"active\": %llu, \"macs\": %llu, \"error\": %u}",
                i ? ", " : "", static_cast<long long>(rs_[i].request), static_cast<long long>(rs_[i].end),
                ull(rs_[i].cycles), ull(rs_[i].active), ull(rs_[i].macs), rs_[i].error);
  std::printf("]");
  print_regs(o_.read_regs, reg_values_);
  // Every macro's reads and writes over the whole program.
  const AccessCounts& a = access_counts();
  std::printf(", \"accesses\": {");
  for (size_t i = 0; i < a.paths.size(); ++i) {
    const std::string path = macro_path(a.paths[i]);
    std::printf("%s\"%s\": [%llu, %llu]", i ? ", " : "", path.c_str(), ull(a.count[i][0]), ull(a.count[i][1]));
  }
  std::printf("}");
  print_events();
  std::printf("}\n");
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  if (!o.inject_violation.empty()) die("--inject-violation: only the AXI shell's harness has a protocol checker");
  std::vector<int32_t> words = read_words(o.stim_path);
  if (words[1] == 5) {
    const Program prog = read_program(std::move(words), o.stim_path);
    ProgramBench bench(o, prog, argc, argv);
    return bench.execute();
  }
  const Stimulus st = read_stimulus(std::move(words), o.stim_path);
  Bench bench(o, st, argc, argv);
  return bench.execute();
}
