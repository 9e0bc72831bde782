// sharp_sim (AXI): the Verilator harness of a design's AXI shell, sharp_axi_top. The design is
// driven the way a system drives it: the C driver the design ships (sharp_driver.c, included
// below) runs load -> configure -> start -> wait over an AXI4-Lite master model, and DMA-like
// AXI4-Stream source and sink models move the beats. Every channel stalls at random: the
// masters' VALIDs (AW, W, AR and the four stream sources) wait --valid-prob, the READYs (B, R
// and the output sink) --ready-prob.
//
// Same command line, stimulus file, output file and JSON line as sim_main.cpp (see there),
// which verify reads alike, plus:
//   "protocol_violations": N, "protocol_problems": "..."  the checker below;
//   "bus_checks": N                                       SLVERR, strobe and interrupt checks
//                                                         that passed (a failed one is a
//                                                         scenario problem);
//   --inject-violation KIND  self-test of the checker: the harness itself breaks the protocol
//                            once (valid_drop: the x source drops TVALID while stalled;
//                            data_change: the x source changes TDATA while stalled;
//                            tlast_flip: the checker sees one output beat's TLAST inverted).
//
// The protocol checker watches every channel at every clock edge:
//   - a VALID, once high, stays high with its payload unchanged until READY (all channels);
//   - no VALID the design drives (BVALID, RVALID, m_axis_h_tvalid) nor its payload changes when
//     its READY alone changes in the same cycle (no combinational path from READY to VALID);
//   - one response per request: BVALID only with a write whose address and data were both
//     accepted and not yet answered, RVALID only with an accepted read not yet answered;
//   - the output stream's framing: TLAST on the last beat of each stream's h_t, TUSER[0] on the
//     last beat of the run, TKEEP of the lanes holding a neuron, and nothing else.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vsharp_axi_top.h"
#include "sharp_driver.h"
#include "sim_common.hpp"
#include "verilated.h"
#ifdef SHARP_TRACE
#include "verilated_fst_c.h"
#endif

// The design's driver, compiled into the harness unchanged (it is C99 and C++ alike).
extern "C" {
#include "sharp_driver.c"
}

namespace {

constexpr int EB = SHARP_ELEM_BYTES, CB = SHARP_CELL_BYTES;  // bytes per element on the streams

// Element values in and out of little-endian bytes.
void put_elem(std::vector<uint8_t>& out, int64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i)));
}
int64_t get_elem(const uint8_t* p, int bytes) {
  uint64_t u = 0;
  for (int i = 0; i < bytes; ++i) u |= static_cast<uint64_t>(p[i]) << (8 * i);
  if (bytes < 8 && ((u >> (8 * bytes - 1)) & 1)) u |= ~((uint64_t{1} << (8 * bytes)) - 1);
  return static_cast<int64_t>(u);
}
std::vector<uint32_t> bytes_to_words(const uint8_t* p, size_t n) {
  std::vector<uint32_t> w(n / 4 + 3, 0);
  for (size_t i = 0; i < n; ++i) w[i / 4] |= static_cast<uint32_t>(p[i]) << (8 * (i % 4));
  return w;
}
std::vector<uint8_t> words_to_bytes(const std::vector<uint32_t>& w, size_t n) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(w[i / 4] >> (8 * (i % 4)));
  return b;
}

// Breaks of the protocol, as found.
struct Violations {
  long count = 0;
  std::string text;  // the first few
  void add(uint64_t cycle, const std::string& what) {
    if (count++ < 8) text += (text.empty() ? "" : "; ") + ("cycle " + std::to_string(cycle) + ": " + what);
  }
};

// One VALID/READY channel as the checker sees it before each clock edge.
struct Channel {
  std::string name;
  bool valid = false, ready = false;
  std::vector<uint32_t> payload;
  void sample(bool v, bool r, std::vector<uint32_t> pl, Violations& out, uint64_t cycle) {
    if (valid && !ready) {
      if (!v)
        out.add(cycle, name + ": VALID dropped before READY");
      else if (pl != payload)
        out.add(cycle, name + ": payload changed while stalled");
    }
    valid = v;
    ready = r;
    payload = std::move(pl);
  }
  void reset() { valid = ready = false; }
};

// A DMA source of one AXI4-Stream: transfers queued by the driver, beats offered with random
// gaps; once offered, a beat stays until taken.
struct Source {
  size_t beat = 0;                     // TDATA bytes
  std::deque<std::vector<uint8_t>> q;  // beats not yet taken
  bool valid = false;
  void start(const uint8_t* p, size_t bytes) {
    for (size_t i = 0; i + beat <= bytes; i += beat) q.emplace_back(p + i, p + i + beat);
  }
};

// The DMA sink of the output stream: receive buffers armed by the driver; READY at random while
// one has room.
struct Sink {
  struct Recv {
    uint8_t* p;
    size_t bytes, got;
  };
  std::deque<Recv> q;
  bool ready = false;
};

// One AXI4-Lite transfer of the master model.
struct LiteOp {
  bool active = false, write = false;
  uint32_t addr = 0, data = 0, strb = 0xF;
  bool aw = false, w = false, ar = false;  // address / data accepted
  bool aw_v = false, w_v = false, ar_v = false;
  bool done = false;
  uint32_t rdata = 0, resp = 0;
};

class AxiBench {
 public:
  AxiBench(const Options& o, const Stimulus& st, int argc, char** argv);
  int execute();

  // The driver's bus.
  int read32(uint32_t addr, uint32_t* v);
  int write32(uint32_t addr, uint32_t v) { return lite_write(addr, v, 0xF); }
  int stream_start(int stream, void* buf, size_t bytes);
  int stream_wait(int stream);
  void idle();

 private:
  bool chance(double p) { return p >= 1.0 || u01_(rng_) < p; }
  int lite_write(uint32_t addr, uint32_t v, uint32_t strb);
  int lite(LiteOp op, uint32_t* rdata);
  void cycle();
  void drive();
  void check_channels();
  void check_no_comb_paths();
  void advance();
  void check_output_beat(uint32_t keep, bool last, bool user);
  void reset(int cycles);
  Source& source(int stream);
  void expect(bool ok, const std::string& what) {
    if (!ok) problems_ += (problems_.empty() ? "" : "; ") + what;
  }
  uint32_t reg(uint32_t word);
  void wreg(uint32_t word, uint32_t v);
  void bus_checks();
  std::vector<uint8_t> weight_bytes(int set) const;
  std::vector<uint8_t> bias_bytes(int set) const;
  std::vector<uint8_t> x_bytes() const;
  std::vector<uint8_t> state_bytes() const;
  int load_set(int set, uint32_t slot, int h = -1, int x = -1, int width = -1);
  int request(uint32_t ctrl);
  int load_all();
  sharp_run_cfg run_cfg() const;
  void legal_run(bool loaded);
  bool misuse_before_run();
  void misuse_reset();
  void during_run_misuse();
  void expect_refused(int rc, uint32_t bits, const std::string& what);
  void print_report();

  const Options& o_;
  const Stimulus& st_;
  const std::string& scenario_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vsharp_axi_top> top_;
#ifdef SHARP_TRACE
  std::unique_ptr<VerilatedFstC> tfp_;
#endif
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> u01_{0.0, 1.0};
  sharp_bus bus_{};
  sharp_dev dev_{};
  uint64_t cycle_ = 0;
  std::array<Source, 4> src_;
  Sink sink_;
  LiteOp op_;
  Channel ch_aw_{"AW"}, ch_w_{"W"}, ch_b_{"B"}, ch_ar_{"AR"}, ch_r_{"R"};
  std::array<Channel, 5> ch_s_{Channel{"s_axis_w"}, Channel{"s_axis_b"}, Channel{"s_axis_x"}, Channel{"s_axis_s"},
                               Channel{"m_axis_h"}};
  uint64_t aw_acc_ = 0, w_acc_ = 0, b_cnt_ = 0, ar_acc_ = 0, r_cnt_ = 0;
  Violations viol_;
  std::string problems_;
  int bus_checks_ = 0;
  bool injected_violation_ = false, injected_ = false, during_run_ = false, in_run_ = false;
  std::vector<uint32_t> reg_values_;
  uint64_t load_cycles_ = 0, run_start_ = 0;
  long out_beats_ = 0, x_taken_ = 0, vec_beat_ = 0, vec_count_ = 0;
  std::vector<int32_t> out_;
  std::vector<uint8_t> out_buf_;
  bool done_ = false;
  uint32_t err_ = 0;
  std::vector<std::array<uint64_t, 2>> at_start_, at_end_;
};

// The driver's bus callbacks: the context is the bench.
int cb_read32(void* ctx, uint32_t a, uint32_t* v) { return static_cast<AxiBench*>(ctx)->read32(a, v); }
int cb_write32(void* ctx, uint32_t a, uint32_t v) { return static_cast<AxiBench*>(ctx)->write32(a, v); }
int cb_stream_start(void* ctx, int s, void* buf, size_t n) {
  return static_cast<AxiBench*>(ctx)->stream_start(s, buf, n);
}
int cb_stream_wait(void* ctx, int s) { return static_cast<AxiBench*>(ctx)->stream_wait(s); }
void cb_idle(void* ctx) { static_cast<AxiBench*>(ctx)->idle(); }

AxiBench::AxiBench(const Options& o, const Stimulus& st, int argc, char** argv)
    : o_(o), st_(st), scenario_(o.scenario), rng_(o.seed) {
  ctx_ = std::make_unique<VerilatedContext>();
  ctx_->commandArgs(argc, argv);
  top_ = std::make_unique<Vsharp_axi_top>(ctx_.get(), "TOP");
#ifdef SHARP_TRACE
  if (!o_.trace_path.empty()) {
    ctx_->traceEverOn(true);
    tfp_ = std::make_unique<VerilatedFstC>();
    top_->trace(tfp_.get(), 99);
    tfp_->open(o_.trace_path.c_str());
  }
#else
  if (!o_.trace_path.empty()) die("this simulator was built without tracing");
#endif
  if (!o_.coverage_path.empty()) die("the AXI harness has no coverage build");
  src_[SHARP_STREAM_W].beat = SHARP_AXIS_W_BYTES;
  src_[SHARP_STREAM_B].beat = SHARP_AXIS_B_BYTES;
  src_[SHARP_STREAM_X].beat = SHARP_AXIS_X_BYTES;
  src_[SHARP_STREAM_S].beat = SHARP_AXIS_S_BYTES;
  bus_.ctx = this;
  bus_.read32 = cb_read32;
  bus_.write32 = cb_write32;
  bus_.stream_start = cb_stream_start;
  bus_.stream_wait = cb_stream_wait;
  bus_.idle = cb_idle;
  during_run_ =
      scenario_ == "reset" || scenario_ == "start_busy" || scenario_ == "load_busy" || scenario_ == "config_busy";
}

Source& AxiBench::source(int stream) {
  if (stream < 0 || stream > SHARP_STREAM_S) die("no source stream " + std::to_string(stream));
  return src_[static_cast<size_t>(stream)];
}

// ---------------------------------------------------------------------------------------------
// One clock cycle: the models drive, the checker looks, the edge, the models see what fired.

void AxiBench::drive() {
  auto* t = top_.get();
  // AXI4-Lite master: each VALID rises at random and then holds.
  if (op_.active && op_.write) {
    op_.aw_v = !op_.aw && (op_.aw_v || chance(o_.valid_prob));
    op_.w_v = !op_.w && (op_.w_v || chance(o_.valid_prob));
  } else {
    op_.aw_v = op_.w_v = false;
  }
  op_.ar_v = op_.active && !op_.write && !op_.ar && (op_.ar_v || chance(o_.valid_prob));
  t->s_axi_awvalid = op_.aw_v;
  t->s_axi_awaddr = op_.aw_v ? op_.addr : 0;
  t->s_axi_awprot = 0;
  t->s_axi_wvalid = op_.w_v;
  t->s_axi_wdata = op_.w_v ? op_.data : 0;
  t->s_axi_wstrb = op_.w_v ? op_.strb : 0;
  t->s_axi_arvalid = op_.ar_v;
  t->s_axi_araddr = op_.ar_v ? op_.addr : 0;
  t->s_axi_arprot = 0;
  t->s_axi_bready = chance(o_.ready_prob);
  t->s_axi_rready = chance(o_.ready_prob);
  // Stream sources.
  for (size_t s = 0; s < src_.size(); ++s) {
    Source& so = src_[s];
    so.valid = !so.q.empty() && (so.valid || chance(o_.valid_prob));
  }
  const bool inj_drop = o_.inject_violation == "valid_drop" && !injected_violation_ && src_[SHARP_STREAM_X].valid &&
                        ch_s_[SHARP_STREAM_X].valid && !ch_s_[SHARP_STREAM_X].ready;
  const bool inj_data = o_.inject_violation == "data_change" && !injected_violation_ && src_[SHARP_STREAM_X].valid &&
                        ch_s_[SHARP_STREAM_X].valid && !ch_s_[SHARP_STREAM_X].ready;
  injected_violation_ = injected_violation_ || inj_drop || inj_data;
  auto data_of = [&](size_t s, bool flip) {
    std::vector<uint8_t> b = src_[s].valid ? src_[s].q.front() : std::vector<uint8_t>(src_[s].beat, 0);
    if (flip) b[0] ^= 1;
    return bytes_to_words(b.data(), b.size());
  };
  t->s_axis_w_tvalid = src_[0].valid;
  assign_port(t->s_axis_w_tdata, data_of(0, false));
  t->s_axis_b_tvalid = src_[1].valid;
  assign_port(t->s_axis_b_tdata, data_of(1, false));
  t->s_axis_x_tvalid = src_[2].valid && !inj_drop;
  assign_port(t->s_axis_x_tdata, data_of(2, inj_data));
  t->s_axis_s_tvalid = src_[3].valid;
  assign_port(t->s_axis_s_tdata, data_of(3, false));
  // Output sink: ready at random while a receive buffer has room.
  sink_.ready = !sink_.q.empty() && chance(o_.ready_prob);
  t->m_axis_h_tready = sink_.ready;
}

// Every VALID the design drives, with its payload, must not follow its READY within a cycle.
void AxiBench::check_no_comb_paths() {
  auto* t = top_.get();
  auto snapshot = [&]() {
    std::vector<uint32_t> v = {t->s_axi_bvalid,   t->s_axi_bresp,    t->s_axi_rvalid,
                               t->s_axi_rdata,    t->s_axi_rresp,    t->m_axis_h_tvalid,
                               t->m_axis_h_tlast, t->m_axis_h_tuser, static_cast<uint32_t>(t->m_axis_h_tkeep)};
    for (uint32_t w : read_port(t->m_axis_h_tdata)) v.push_back(w);
    return v;
  };
  const auto before = snapshot();
  const uint8_t b = t->s_axi_bready, r = t->s_axi_rready, h = t->m_axis_h_tready;
  t->s_axi_bready = !b;
  t->s_axi_rready = !r;
  t->m_axis_h_tready = !h;
  t->eval();
  if (snapshot() != before) viol_.add(cycle_, "a VALID or its payload follows its READY combinationally");
  t->s_axi_bready = b;
  t->s_axi_rready = r;
  t->m_axis_h_tready = h;
  t->eval();
}

void AxiBench::check_channels() {
  auto* t = top_.get();
  const uint64_t c = cycle_;
  ch_aw_.sample(t->s_axi_awvalid, t->s_axi_awready, {static_cast<uint32_t>(t->s_axi_awaddr)}, viol_, c);
  ch_w_.sample(t->s_axi_wvalid, t->s_axi_wready, {t->s_axi_wdata, t->s_axi_wstrb}, viol_, c);
  ch_b_.sample(t->s_axi_bvalid, t->s_axi_bready, {t->s_axi_bresp}, viol_, c);
  ch_ar_.sample(t->s_axi_arvalid, t->s_axi_arready, {static_cast<uint32_t>(t->s_axi_araddr)}, viol_, c);
  ch_r_.sample(t->s_axi_rvalid, t->s_axi_rready, {t->s_axi_rdata, t->s_axi_rresp}, viol_, c);
  ch_s_[0].sample(t->s_axis_w_tvalid, t->s_axis_w_tready, read_port(t->s_axis_w_tdata), viol_, c);
  ch_s_[1].sample(t->s_axis_b_tvalid, t->s_axis_b_tready, read_port(t->s_axis_b_tdata), viol_, c);
  ch_s_[2].sample(t->s_axis_x_tvalid, t->s_axis_x_tready, read_port(t->s_axis_x_tdata), viol_, c);
  ch_s_[3].sample(t->s_axis_s_tvalid, t->s_axis_s_tready, read_port(t->s_axis_s_tdata), viol_, c);
  std::vector<uint32_t> h = read_port(t->m_axis_h_tdata);
  h.push_back(static_cast<uint32_t>(t->m_axis_h_tkeep));
  h.push_back(t->m_axis_h_tlast);
  h.push_back(t->m_axis_h_tuser);
  ch_s_[4].sample(t->m_axis_h_tvalid, t->m_axis_h_tready, h, viol_, c);
  // One response per request.
  if (t->s_axi_bvalid && std::min(aw_acc_, w_acc_) <= b_cnt_) viol_.add(c, "B: BVALID without an open write");
  if (t->s_axi_rvalid && ar_acc_ <= r_cnt_) viol_.add(c, "R: RVALID without an open read");
}

// The handshakes of this cycle, taken at the rising edge.
void AxiBench::advance() {
  auto* t = top_.get();
  const bool aw = t->s_axi_awvalid && t->s_axi_awready, w = t->s_axi_wvalid && t->s_axi_wready;
  const bool b = t->s_axi_bvalid && t->s_axi_bready, ar = t->s_axi_arvalid && t->s_axi_arready;
  const bool r = t->s_axi_rvalid && t->s_axi_rready;
  aw_acc_ += aw;
  w_acc_ += w;
  ar_acc_ += ar;
  b_cnt_ += b;
  r_cnt_ += r;
  if (op_.active) {
    if (aw && op_.write) op_.aw = true, op_.aw_v = false;
    if (w && op_.write) op_.w = true, op_.w_v = false;
    if (ar && !op_.write) op_.ar = true, op_.ar_v = false;
    if (b && op_.write && op_.aw && op_.w) op_.done = true, op_.resp = t->s_axi_bresp;
    if (r && !op_.write && op_.ar) op_.done = true, op_.resp = t->s_axi_rresp, op_.rdata = t->s_axi_rdata;
  }
  const bool fire[4] = {t->s_axis_w_tvalid && t->s_axis_w_tready, t->s_axis_b_tvalid && t->s_axis_b_tready,
                        t->s_axis_x_tvalid && t->s_axis_x_tready, t->s_axis_s_tvalid && t->s_axis_s_tready};
  for (size_t s = 0; s < 4; ++s)
    if (fire[s]) {
      src_[s].q.pop_front();
      src_[s].valid = false;
      if (s == SHARP_STREAM_X) ++x_taken_;
    }
  if (t->m_axis_h_tvalid && t->m_axis_h_tready) {
    const auto tdata = words_to_bytes(read_port(t->m_axis_h_tdata), SHARP_AXIS_H_BYTES);
    const bool flip = o_.inject_violation == "tlast_flip" && !injected_violation_;
    injected_violation_ = injected_violation_ || flip;
    check_output_beat(static_cast<uint32_t>(t->m_axis_h_tkeep), t->m_axis_h_tlast != flip, t->m_axis_h_tuser);
    Sink::Recv& rv = sink_.q.front();
    std::memcpy(rv.p + rv.got, tdata.data(), tdata.size());
    rv.got += tdata.size();
    if (rv.got + SHARP_AXIS_H_BYTES > rv.bytes) sink_.q.pop_front();
  }
}

// The framing of output beat out_beats_ of the run: lanes, TLAST, TUSER.
void AxiBench::check_output_beat(uint32_t keep, bool last, bool user) {
  const long groups = (st_.H + L - 1) / L;
  const bool want_last = vec_beat_ == groups - 1;
  const bool want_user = want_last && vec_count_ == static_cast<long>(st_.T) * st_.streams - 1;
  uint32_t want_keep = 0;
  for (int l = 0; l < L; ++l)
    if (vec_beat_ * L + l < st_.H) {
      for (int i = 0; i < EB; ++i) want_keep |= 1u << (l * EB + i);
      for (int i = 0; i < CB; ++i) want_keep |= 1u << (L * EB + l * CB + i);
    }
  if (last != want_last)
    viol_.add(cycle_, "m_axis_h: TLAST " + std::to_string(last) + " on beat " + std::to_string(out_beats_));
  if (user != want_user)
    viol_.add(cycle_, "m_axis_h: TUSER " + std::to_string(user) + " on beat " + std::to_string(out_beats_));
  if (keep != want_keep)
    viol_.add(cycle_, "m_axis_h: TKEEP " + std::to_string(keep) + " on beat " + std::to_string(out_beats_));
  ++out_beats_;
  if (want_last) {
    vec_beat_ = 0;
    ++vec_count_;
  } else {
    ++vec_beat_;
  }
}

void AxiBench::cycle() {
  auto* t = top_.get();
  drive();
  t->eval();
  if (t->aresetn) {
    check_no_comb_paths();
    check_channels();
  } else {  // in reset every VALID may drop; nothing is open afterwards
    for (auto* c : {&ch_aw_, &ch_w_, &ch_b_, &ch_ar_, &ch_r_}) c->reset();
    for (auto& c : ch_s_) c.reset();
    aw_acc_ = w_acc_ = b_cnt_ = ar_acc_ = r_cnt_ = 0;
  }
  advance();  // the handshakes as the edge will take them; the models change their inputs next cycle
  t->aclk = 1;
  t->eval();
#ifdef SHARP_TRACE
  if (tfp_) tfp_->dump(ctx_->time());
#endif
  ctx_->timeInc(5);
  t->aclk = 0;
  t->eval();
#ifdef SHARP_TRACE
  if (tfp_) tfp_->dump(ctx_->time());
#endif
  ctx_->timeInc(5);
  ++cycle_;
  if (cycle_ > o_.max_cycles) die("timeout after " + std::to_string(cycle_) + " cycles");
}

void AxiBench::reset(int cycles) {
  op_ = LiteOp{};
  for (auto& s : src_) {
    s.q.clear();
    s.valid = false;
  }
  sink_.q.clear();
  top_->aresetn = 0;
  for (int i = 0; i < cycles; ++i) cycle();
  top_->aresetn = 1;
  vec_beat_ = vec_count_ = 0;
  cycle();
}

// ---------------------------------------------------------------------------------------------
// The driver's bus: blocking transfers, the clock running (and every stream moving) meanwhile.

int AxiBench::lite(LiteOp op, uint32_t* rdata) {
  op.active = true;
  op_ = op;
  while (!op_.done) cycle();
  if (rdata) *rdata = op_.rdata;
  const uint32_t resp = op_.resp;
  op_ = LiteOp{};
  return resp == 0 ? 0 : 1;
}

int AxiBench::read32(uint32_t addr, uint32_t* v) {
  LiteOp op;
  op.addr = addr;
  return lite(op, v);
}

int AxiBench::lite_write(uint32_t addr, uint32_t v, uint32_t strb) {
  // The start of a run: the access counts of the load phase end here.
  if (!in_run_ && addr == SHARP_REG_CTRL_BYTE && (v & SHARP_CTRL_START_MASK) && strb == 0xF) {
    at_start_ = access_counts().count;
    in_run_ = true;
  }
  LiteOp op;
  op.write = true;
  op.addr = addr;
  op.data = v;
  op.strb = strb;
  const int rc = lite(op, nullptr);
  if (in_run_ && run_start_ == 0) run_start_ = cycle_;
  return rc;
}

int AxiBench::stream_start(int stream, void* buf, size_t bytes) {
  if (stream == SHARP_STREAM_H) {
    if (bytes % SHARP_AXIS_H_BYTES != 0) return 1;
    sink_.q.push_back({static_cast<uint8_t*>(buf), bytes, 0});
    return 0;
  }
  source(stream).start(static_cast<const uint8_t*>(buf), bytes);
  return 0;
}

int AxiBench::stream_wait(int stream) {
  if (stream == SHARP_STREAM_H) {
    while (!sink_.q.empty()) cycle();
  } else {
    Source& s = source(stream);
    while (!s.q.empty()) cycle();
  }
  return 0;
}

// Between two status polls of the driver: a during-run scenario's misuse, once.
void AxiBench::idle() {
  if (!in_run_ || injected_ || scenario_ == "none" || scenario_ == "reset" || !during_run_) return;
  if (cycle_ - run_start_ < o_.inject_at) return;
  injected_ = true;
  during_run_misuse();
}

uint32_t AxiBench::reg(uint32_t word) {
  uint32_t v = 0;
  if (sharp_read(&dev_, word, &v) != SHARP_OK) expect(false, "register " + std::to_string(word) + " answered SLVERR");
  return v;
}

void AxiBench::wreg(uint32_t word, uint32_t v) {
  if (sharp_write(&dev_, word, v) != SHARP_OK)
    expect(false, "write of register " + std::to_string(word) + " answered SLVERR");
}

// SLVERR for unmapped, read-only and write-only accesses; byte strobes; OKAY elsewhere.
void AxiBench::bus_checks() {
  uint32_t v = 0;
  auto check = [&](bool ok, const std::string& what) {
    expect(ok, "bus: " + what);
    bus_checks_ += ok;
  };
  check(read32(4 * 0x03, &v) != 0 && v == 0, "read of unmapped word 0x03 did not answer SLVERR with RDATA 0");
  check(read32(4 * 0xFF, &v) != 0, "read of unmapped word 0xff did not answer SLVERR");
  check(read32(SHARP_REG_CTRL_BYTE, &v) != 0, "read of write-only CTRL did not answer SLVERR");
  check(write32(SHARP_REG_STATUS_BYTE, 0xFFFFFFFFu) != 0, "write of read-only STATUS did not answer SLVERR");
  check(write32(4 * 0x03, 1u) != 0, "write of unmapped word 0x03 did not answer SLVERR");
  check(read32(SHARP_REG_STATUS_BYTE, &v) == 0 && v == 0, "STATUS not 0 after reset, or not OKAY");
  // Strobes: bytes 0 and 2 of 0xaabbccdd over 0x11223344.
  check(write32(SHARP_REG_HIDDEN_BYTE, 0x11223344u) == 0, "write of HIDDEN not OKAY");
  check(lite_write(SHARP_REG_HIDDEN_BYTE, 0xAABBCCDDu, 0x5) == 0, "strobed write of HIDDEN not OKAY");
  check(read32(SHARP_REG_HIDDEN_BYTE, &v) == 0 && v == 0x11BB33DDu,
        "HIDDEN after a write of 0xaabbccdd with WSTRB 0101 over 0x11223344 reads " + std::to_string(v) +
            ", expected 0x11bb33dd");
  check(write32(SHARP_REG_HIDDEN_BYTE, 1u) == 0, "write of HIDDEN not OKAY");
  check(read32(SHARP_REG_P_MACS_BYTE, &v) == 0 && v == SHARP_P_MACS_VALUE, "P_MACS not OKAY or not the design's");
}

// ---------------------------------------------------------------------------------------------
// The stimulus as the shell's beats.

std::vector<uint8_t> AxiBench::weight_bytes(int set) const {
  std::vector<uint8_t> b;
  for (long i = 0; i < st_.nw; ++i)
    for (int k = 0; k < st_.K; ++k) put_elem(b, st_.wbeat(set, i)[k], EB);
  return b;
}
std::vector<uint8_t> AxiBench::bias_bytes(int set) const {
  std::vector<uint8_t> b;
  for (long i = 0; i < st_.nb; ++i) put_elem(b, *st_.bbeat(set, i), EB);
  return b;
}
std::vector<uint8_t> AxiBench::x_bytes() const {
  std::vector<uint8_t> b;
  for (long i = 0; i < st_.nx; ++i)
    for (int k = 0; k < st_.K; ++k) put_elem(b, st_.xbeat(i)[k], EB);
  return b;
}
std::vector<uint8_t> AxiBench::state_bytes() const {
  std::vector<uint8_t> b;
  for (long i = 0; i < st_.ns; ++i) {
    for (int l = 0; l < L; ++l) put_elem(b, st_.sbeat(i)[l], EB);
    for (int l = 0; l < L; ++l) put_elem(b, st_.sbeat(i)[L + l], CB);
  }
  return b;
}

// One weight set into `slot` through the driver.
int AxiBench::load_set(int set, uint32_t slot, int h, int x, int width) {
  const auto w = weight_bytes(set), b = bias_bytes(set);
  sharp_layer l{};
  l.slot = slot;
  l.hidden = static_cast<uint32_t>(h < 0 ? st_.H : h);
  l.input = static_cast<uint32_t>(x < 0 ? st_.X : x);
  l.width = static_cast<uint32_t>(width < 0 ? st_.width : width);
  l.weights = w.data();
  l.weight_bytes = w.size();
  l.biases = b.data();
  l.bias_bytes = b.size();
  return sharp_load(&dev_, &l);
}

int AxiBench::load_all() {
  const uint64_t t0 = cycle_;
  for (int set = 0; set < st_.sets; ++set) {
    const int rc = load_set(set, static_cast<uint32_t>(set));
    if (rc != SHARP_OK) return rc;
  }
  load_cycles_ = cycle_ - t0;
  return SHARP_OK;
}

sharp_run_cfg AxiBench::run_cfg() const {
  sharp_run_cfg c{};
  c.run_slot = 0;
  c.steps = static_cast<uint32_t>(st_.T);
  c.streams = static_cast<uint32_t>(st_.streams);
  c.stream_slots = st_.stream_slots;
  c.wavefront = st_.wavefront;
  c.cell = st_.cell;
  c.init_state = st_.init;
  return c;
}

void AxiBench::expect_refused(int rc, uint32_t bits, const std::string& what) {
  expect(rc == SHARP_E_REFUSED && dev_.last_error == bits,
         what + ": driver returned " + std::string(sharp_result_text(rc)) + " with ERROR " +
             std::to_string(dev_.last_error) + ", expected ERROR " + std::to_string(bits));
  const uint32_t st = reg(SHARP_REG_STATUS);
  expect((st & SHARP_STATUS_BUSY_MASK) == 0 && (st & SHARP_STATUS_ERROR_MASK) != 0,
         what + ": not idle with the error flag (STATUS = " + std::to_string(st) + ")");
  // The refusal raised IRQ_STATUS.ERROR and, enabled, the interrupt; write 1 clears it.
  expect((reg(SHARP_REG_IRQ_STATUS) & SHARP_IRQ_STATUS_ERROR_MASK) != 0 && top_->irq, what + ": no error interrupt");
  wreg(SHARP_REG_IRQ_STATUS, SHARP_IRQ_STATUS_ERROR_MASK);
  expect((reg(SHARP_REG_IRQ_STATUS) & SHARP_IRQ_STATUS_ERROR_MASK) == 0, what + ": IRQ_STATUS.ERROR not cleared");
  dev_.last_error = 0;
}

// A raw CTRL request, answered like the driver's: SHARP_E_REFUSED with ERROR in last_error.
int AxiBench::request(uint32_t ctrl) {
  wreg(SHARP_REG_CTRL, ctrl);
  dev_.last_error = reg(SHARP_REG_ERROR);
  return dev_.last_error ? SHARP_E_REFUSED : SHARP_OK;
}

// ---------------------------------------------------------------------------------------------
// The scenarios of sim_main.cpp, over AXI (the same expected ERROR bits).

bool AxiBench::misuse_before_run() {
  const std::string& sc = scenario_;
  sharp_run_cfg cfg = run_cfg();
  auto start = [&]() {
    sharp_configure(&dev_, &cfg);
    return sharp_start(&dev_);
  };
  if (sc == "hidden_over" || sc == "input_over" || sc == "bad_width") {
    const int wd = kKMin + 1 < kK ? kKMin + 1 : kK * 2;
    const int rc = load_set(0, 0, sc == "hidden_over" ? kMaxHidden + 1 : -1, sc == "input_over" ? kMaxInput + 1 : -1,
                            sc == "bad_width" ? wd : -1);
    expect_refused(rc, sc == "bad_width" ? 4u : 1u, sc + " load");
    expect_refused(start(), 16u, sc + " start (nothing loaded)");
  } else if (sc == "start_unloaded") {
    expect_refused(start(), 16u, "start before load");
  } else if (sc == "steps_zero") {
    expect(load_all() == SHARP_OK, "steps_zero: the load was refused");
    cfg.steps = 0;
    expect_refused(start(), 2u, "start with T = 0");
    return true;
  } else if (sc == "shape_after_load") {
    expect(load_all() == SHARP_OK, "shape_after_load: the load was refused");
    wreg(SHARP_REG_HIDDEN, static_cast<uint32_t>(st_.H % kMaxHidden + 1));
    expect((reg(SHARP_REG_STATUS) & SHARP_STATUS_LOADED_MASK) != 0, "shape_after_load: not loaded after HIDDEN");
    return true;
  } else if (sc == "load_loading") {
    // A second load request while the first is loading: ERROR bit 3, the first load goes on.
    wreg(SHARP_REG_HIDDEN, static_cast<uint32_t>(st_.H));
    wreg(SHARP_REG_INPUT, static_cast<uint32_t>(st_.X));
    wreg(SHARP_REG_WIDTH, static_cast<uint32_t>(st_.width));
    wreg(SHARP_REG_LOAD_SLOT, 0);
    expect(request(SHARP_CTRL_LOAD_MASK) == SHARP_OK, "load_loading: the first load was refused");
    expect(request(SHARP_CTRL_LOAD_MASK) == SHARP_E_REFUSED && dev_.last_error == 8u,
           "load_loading: ERROR = " + std::to_string(dev_.last_error) + ", expected 8");
    expect((reg(SHARP_REG_STATUS) & SHARP_STATUS_LOADING_MASK) != 0, "load_loading: the first load stopped");
    const auto w = weight_bytes(0), b = bias_bytes(0);
    stream_start(SHARP_STREAM_B, const_cast<uint8_t*>(b.data()), b.size());
    stream_start(SHARP_STREAM_W, const_cast<uint8_t*>(w.data()), w.size());
    stream_wait(SHARP_STREAM_B);
    stream_wait(SHARP_STREAM_W);
    while ((reg(SHARP_REG_LOADED) & 1u) == 0) idle();
    for (int set = 1; set < st_.sets; ++set)
      expect(load_set(set, static_cast<uint32_t>(set)) == SHARP_OK, "load_loading: a further load was refused");
    return true;
  } else if (sc == "slot_over") {
    wreg(SHARP_REG_LOAD_SLOT, static_cast<uint32_t>(kWeightSlots));
    expect_refused(request(SHARP_CTRL_LOAD_MASK), 128u, "load into slot weight_slots");
    cfg.run_slot = static_cast<uint32_t>(kWeightSlots);
    expect_refused(start(), 128u, "start of slot weight_slots");
    wreg(SHARP_REG_LOAD_SLOT, 0);
  } else if (sc == "streams_over") {
    expect(load_all() == SHARP_OK, "streams_over: the load was refused");
    for (uint32_t n : {0u, static_cast<uint32_t>(kStreams) + 1u}) {
      cfg.streams = n;
      expect_refused(start(), 32u, "start with STREAMS = " + std::to_string(n));
    }
    if (kStreams >= 2) {
      cfg.streams = 2;
      cfg.steps = 0xFFFFFFFFu;
      expect_refused(start(), 32u, "start with STEPS x STREAMS >= 2^32");
      cfg.steps = static_cast<uint32_t>(st_.T);
      cfg.stream_slots = static_cast<uint32_t>(kWeightSlots) << 4;
      expect_refused(start(), 128u, "start with stream 1 on slot weight_slots");
      cfg.stream_slots = st_.stream_slots;
      cfg.wavefront = 2;
      expect_refused(start(), 512u, "start with WAVEFRONT = STREAMS");
    }
    cfg.streams = 1;
    cfg.wavefront = 1;
    expect_refused(start(), 512u, "start with WAVEFRONT = 1 and STREAMS = 1");
    return true;
  } else if (sc == "cell_bad") {
    expect(load_all() == SHARP_OK, "cell_bad: the load was refused");
    for (uint32_t k = 0; k <= 4; ++k) {
      if (k < 4 && ((kCells >> k) & 1)) continue;
      cfg.cell = k;
      expect_refused(start(), 1024u, "start with CELL = " + std::to_string(k));
    }
    return true;
  } else if (sc == "init_bad") {
    expect(load_all() == SHARP_OK, "init_bad: the load was refused");
    const bool wave_legal = kStreams >= 2 && st_.X == st_.H;
    cfg.streams = wave_legal ? 2u : 1u;
    cfg.wavefront = 1;
    cfg.init_state = 1;
    expect_refused(start(), wave_legal ? 2048u : 2048u | 512u, "start with INIT_STATE = 1 and WAVEFRONT = 1");
    return true;
  } else if (sc == "reset") {
    misuse_reset();
  }
  return false;
}

// start_busy, load_busy, config_busy: one register write in the middle of the run.
void AxiBench::during_run_misuse() {
  const std::string& sc = scenario_;
  const uint32_t other_h = static_cast<uint32_t>(st_.H % kMaxHidden + 1);
  if (sc == "config_busy") {
    wreg(SHARP_REG_HIDDEN, other_h);
  } else {
    wreg(SHARP_REG_CTRL, sc == "start_busy" ? SHARP_CTRL_START_MASK : SHARP_CTRL_LOAD_MASK);
  }
  const uint32_t want = sc == "config_busy" ? 0u : sc == "load_busy" ? 64u : 8u;
  const uint32_t e = reg(SHARP_REG_ERROR), st = reg(SHARP_REG_STATUS);
  expect(e == want, sc + ": ERROR = " + std::to_string(e) + ", expected " + std::to_string(want));
  expect((st & SHARP_STATUS_BUSY_MASK) != 0, sc + ": the run stopped (STATUS = " + std::to_string(st) + ")");
  const uint32_t h = sc == "config_busy" ? other_h : static_cast<uint32_t>(st_.H);
  expect(reg(SHARP_REG_HIDDEN) == h, sc + ": HIDDEN does not read " + std::to_string(h));
  expect(!top_->s_axis_w_tready && !top_->s_axis_b_tready, sc + ": a load began while running");
}

// A run cut short by aresetn; then nothing of it may remain, over AXI.
void AxiBench::misuse_reset() {
  expect(load_all() == SHARP_OK, "reset: the first load was refused");
  const sharp_run_cfg cfg = run_cfg();
  const auto x = x_bytes(), s = state_bytes();
  out_buf_.assign(static_cast<size_t>(st_.out_beats) * SHARP_AXIS_H_BYTES, 0);
  sharp_configure(&dev_, &cfg);
  stream_start(SHARP_STREAM_H, out_buf_.data(), out_buf_.size());
  if (!s.empty()) stream_start(SHARP_STREAM_S, const_cast<uint8_t*>(s.data()), s.size());
  stream_start(SHARP_STREAM_X, const_cast<uint8_t*>(x.data()), x.size());
  expect(sharp_start(&dev_) == SHARP_OK, "reset: the first start was refused");
  while (cycle_ - run_start_ < o_.inject_at) cycle();
  injected_ = true;
  reset(3);
  in_run_ = false;
  run_start_ = 0;
  out_beats_ = x_taken_ = 0;
  sharp_counters c{};
  expect(sharp_read_counters(&dev_, &c) == SHARP_OK, "reset: counters not readable");
  for (uint64_t v : {c.cycles, c.active, c.macs, c.stall_input, c.stall_h, c.stall_drain, c.stall_output, c.stall_act})
    expect(v == 0, "reset: a counter is " + std::to_string(v) + " after reset");
  expect(reg(SHARP_REG_STATUS) == 0, "reset: STATUS not 0");
  expect(reg(SHARP_REG_ERROR) == 0, "reset: ERROR not 0");
  expect(reg(SHARP_REG_IRQ_ENABLE) == 0 && reg(SHARP_REG_IRQ_STATUS) == 0 && !top_->irq,
         "reset: the interrupt registers are not 0");
  expect(reg(SHARP_REG_HIDDEN) == 1 && reg(SHARP_REG_INPUT) == 1 && reg(SHARP_REG_STEPS) == 1 &&
             reg(SHARP_REG_STREAMS) == 1,
         "reset: HIDDEN, INPUT, STEPS, STREAMS not back to 1");
  expect(!top_->m_axis_h_tvalid && !top_->s_axis_w_tready && !top_->s_axis_b_tready && !top_->s_axis_x_tready &&
             !top_->s_axis_s_tready,
         "reset: a stream is active after reset");
  wreg(SHARP_REG_IRQ_ENABLE, 7u);
}

void AxiBench::legal_run(bool loaded) {
  const int lrc = loaded ? SHARP_OK : load_all();
  done_ = false;
  err_ = 0;
  if (lrc != SHARP_OK) {
    err_ = dev_.last_error;
    expect(lrc == SHARP_E_REFUSED, std::string("load: ") + sharp_result_text(lrc));
    return;
  }
  // The load's interrupt (IRQ_ENABLE is 7), cleared by writing 1s.
  expect((reg(SHARP_REG_IRQ_STATUS) & SHARP_IRQ_STATUS_LOADED_MASK) != 0 && top_->irq, "irq: no load interrupt");
  wreg(SHARP_REG_IRQ_STATUS, 7u);
  expect(reg(SHARP_REG_IRQ_STATUS) == 0 && !top_->irq, "irq: IRQ_STATUS not cleared by writing 1s");
  bus_checks_ += 2;
  const sharp_run_cfg cfg = run_cfg();
  const auto x = x_bytes(), s = state_bytes();
  out_buf_.assign(static_cast<size_t>(st_.out_beats) * SHARP_AXIS_H_BYTES, 0);
  out_beats_ = x_taken_ = vec_beat_ = vec_count_ = 0;
  const int rc = sharp_run(&dev_, &cfg, x.data(), x.size(), s.empty() ? nullptr : s.data(), s.size(), out_buf_.data(),
                           out_buf_.size());
  at_end_ = access_counts().count;
  in_run_ = false;
  done_ = rc == SHARP_OK;
  // No beat beyond the run's: the sink has no buffer left, so one would wait on TVALID.
  for (int i = 0; i < 8; ++i) cycle();
  expect(!top_->m_axis_h_tvalid, "m_axis_h offers a beat beyond the run's " + std::to_string(st_.out_beats));
  if (rc == SHARP_E_REFUSED) err_ = dev_.last_error;
  if (rc != SHARP_OK && rc != SHARP_E_REFUSED) expect(false, std::string("run: ") + sharp_result_text(rc));
  if (done_) {
    err_ = reg(SHARP_REG_ERROR);
    if (during_run_ && scenario_ != "reset")
      err_ &= scenario_ == "load_busy" ? ~64u : scenario_ == "start_busy" ? ~8u : ~0u;
    expect((reg(SHARP_REG_IRQ_STATUS) & SHARP_IRQ_STATUS_DONE_MASK) != 0 && top_->irq, "irq: no done interrupt");
    bus_checks_ += 1;
  }
  out_.clear();
  for (long i = 0; i < out_beats_; ++i) {
    const uint8_t* b = out_buf_.data() + i * SHARP_AXIS_H_BYTES;
    for (int l = 0; l < L; ++l) out_.push_back(static_cast<int32_t>(get_elem(b + l * EB, EB)));
    for (int l = 0; l < L; ++l) out_.push_back(static_cast<int32_t>(get_elem(b + L * EB + l * CB, CB)));
  }
}

void AxiBench::print_report() {
  std::string note;
  for (char c : problems_) note += (c == '"' || c == '\\') ? '\'' : c;
  std::string vnote;
  for (char c : viol_.text) vnote += (c == '"' || c == '\\') ? '\'' : c;
  sharp_counters c{};
  if (sharp_read_counters(&dev_, &c) != SHARP_OK) note += "; counters not readable";
  const uint32_t status = reg(SHARP_REG_STATUS);
  auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf(
      "{\"done\": %s, \"error\": %u, \"status\": %u, \"cycles\": %llu, \"active\": %llu, \"macs\": %llu, "
      "\"stall_input\": %llu, \"stall_h\": %llu, \"stall_drain\": %llu, \"stall_output\": %llu, \"stall_act\": %llu, "
      "\"load_cycles\": %llu, \"run_cycles\": %llu, \"out_beats\": %ld, \"x_beats\": %ld, "
      "\"scenario\": \"%s\", \"scenario_ok\": %s, \"scenario_problems\": \"%s\", \"shell\": \"axi\", "
      "\"protocol_violations\": %ld, \"protocol_problems\": \"%s\", \"bus_checks\": %d",
      done_ ? "true" : "false", err_, status, u(c.cycles), u(c.active), u(c.macs), u(c.stall_input), u(c.stall_h),
      u(c.stall_drain), u(c.stall_output), u(c.stall_act), u(load_cycles_), u(cycle_ - run_start_), out_beats_,
      x_taken_, scenario_.c_str(), problems_.empty() ? "true" : "false", note.c_str(), viol_.count, vnote.c_str(),
      bus_checks_);
  print_regs(o_.read_regs, reg_values_);
  const AccessCounts& a = access_counts();
  std::printf(", \"accesses\": {");
  for (size_t i = 0; i < a.paths.size(); ++i) {
    const auto& s = i < at_start_.size() ? at_start_[i] : a.count[i];
    const auto& e = i < at_end_.size() ? at_end_[i] : a.count[i];
    std::printf("%s\"%s\": [%llu, %llu, %llu, %llu]", i ? ", " : "", macro_path(a.paths[i]).c_str(), u(s[0]), u(s[1]),
                u(e[0] - s[0]), u(e[1] - s[1]));
  }
  std::printf("}");
  print_events();
  std::printf("}\n");
}

int AxiBench::execute() {
  top_->aclk = 0;
  reset(4);
  for (int r : o_.read_regs) {
    uint32_t v = 0;
    if (read32(4u * static_cast<uint32_t>(r), &v) != 0) v = 0xFFFFFFFFu;
    reg_values_.push_back(v);
  }
  bus_checks();
  const int init = sharp_init(&dev_, &bus_);
  expect(init == SHARP_OK, std::string("sharp_init: ") + sharp_result_text(init));
  wreg(SHARP_REG_IRQ_ENABLE, 7u);
  const bool loaded = misuse_before_run();
  legal_run(loaded);
  if (during_run_) expect(injected_, scenario_ + ": the run ended before the misuse could be applied");
  if (!o_.inject_violation.empty() && !injected_violation_)
    expect(false, "--inject-violation " + o_.inject_violation + ": no stalled beat to break the protocol on");
  FILE* f = std::fopen(o_.out_path.c_str(), "wb");
  if (!f) die("cannot write " + o_.out_path);
  if (!out_.empty()) std::fwrite(out_.data(), 4, out_.size(), f);
  std::fclose(f);
  print_report();
#ifdef SHARP_TRACE
  if (tfp_) tfp_->close();
#endif
  top_->final();
  return 0;  // violations are in the JSON line: verify fails the case
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  std::vector<int32_t> words = read_words(o.stim_path);
  if (words[1] == 5) die("the AXI harness runs single-run stimulus files (version 7), not programs");
  const Stimulus st = read_stimulus(std::move(words), o.stim_path);
  AxiBench bench(o, st, argc, argv);
  return bench.execute();
}
