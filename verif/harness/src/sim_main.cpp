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
//   load_busy         CTRL load while running            (ERROR bit 3)
//   config_busy       HIDDEN written while running       (ERROR bit 5; the write is dropped)
//   hidden_over       load with H = max_hidden + 1       (ERROR bit 0), start (bits 0 and 4)
//   input_over        load with X = max_input + 1        (ERROR bit 0)
//   steps_zero        start with T = 0                   (ERROR bit 1)
//   bad_width         load with an unsupported width     (ERROR bit 2)
//   start_unloaded    start before any load              (ERROR bit 4)
//   shape_after_load  HIDDEN rewritten after the load, then start (ERROR bit 4: reload needed)
//
// Stimulus (little-endian int32): magic 'SHAR', version 1, H, X, T, width, beats of the weight,
// bias and x streams, K, then the beats themselves. Output: every output beat's Lanes h values
// then Lanes c values (int32). A JSON line with the counters goes to stdout.
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
// the start write up to done.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
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

// The access counters of the macros, one entry per probe instance (sharp_count_probe).
namespace {
struct AccessCounts {
  std::vector<std::string> paths;              // as %m prints them
  std::vector<std::array<uint64_t, 2>> count;  // reads, writes
};
AccessCounts& access_counts() {
  static AccessCounts a;
  return a;
}
}  // namespace

// The probe's DPI-C imports (as Verilator declares them in Vsharp_top__Dpi.h, declared here so
// that the harness also compiles against a design built without the probe, as ci/tidy.sh does).
extern "C" int sharp_count_register(const char* path);
extern "C" void sharp_count_access(int id, int is_write);

// Called once per macro from the probe's initial block; returns the macro's id.
int sharp_count_register(const char* path) {
  AccessCounts& a = access_counts();
  a.paths.emplace_back(path);
  a.count.push_back({0, 0});
  return static_cast<int>(a.paths.size() - 1);
}
// Called at every clock edge at which the macro's re_i (is_write = 0) or we_i (1) is high.
void sharp_count_access(int id, int is_write) { ++access_counts().count.at(static_cast<size_t>(id))[is_write ? 1 : 0]; }

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "sharp_sim: error: %s\n", msg.c_str());
  std::exit(2);
}

// Packing of element vectors into ports of any width.
void put_bits(std::vector<uint32_t>& words, int pos, int bits, int64_t v) {
  for (int b = 0; b < bits; ++b)
    if ((static_cast<uint64_t>(v) >> b) & 1) words[(pos + b) / 32] |= 1u << ((pos + b) % 32);
}
int64_t get_bits(const uint32_t* words, int pos, int bits) {
  uint64_t u = 0;
  for (int b = 0; b < bits; ++b) u |= static_cast<uint64_t>((words[(pos + b) / 32] >> ((pos + b) % 32)) & 1) << b;
  if (bits < 64 && ((u >> (bits - 1)) & 1)) u |= ~((uint64_t{1} << bits) - 1);
  return static_cast<int64_t>(u);
}
template <typename T>
void assign_port(T& port, const std::vector<uint32_t>& w) {
  uint64_t v = w[0];
  if (w.size() > 1) v |= static_cast<uint64_t>(w[1]) << 32;
  port = static_cast<T>(v);
}
template <std::size_t N>
void assign_port(VlWide<N>& port, const std::vector<uint32_t>& w) {
  for (std::size_t i = 0; i < N; ++i) port[i] = i < w.size() ? w[i] : 0;
}
template <typename T>
std::vector<uint32_t> read_port(const T& port) {
  const uint64_t v = static_cast<uint64_t>(port);
  return {static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)};
}
template <std::size_t N>
std::vector<uint32_t> read_port(const VlWide<N>& port) {
  std::vector<uint32_t> w(N);
  for (std::size_t i = 0; i < N; ++i) w[i] = port[i];
  return w;
}
std::vector<uint32_t> pack(const int32_t* elems, int n, int bits) {
  std::vector<uint32_t> w(static_cast<size_t>((n * bits + 31) / 32 + 2), 0);
  for (int i = 0; i < n; ++i) put_bits(w, i * bits, bits, elems[i]);
  return w;
}

struct Sim {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vsharp_top> top;
#ifdef SHARP_TRACE
  std::unique_ptr<VerilatedFstC> tfp;
#endif
  uint64_t cycle = 0;

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
};

// The checks of a scenario: each failed expectation adds a line to `problems`.
struct Checks {
  std::string problems;
  void expect(bool ok, const std::string& what) {
    if (!ok) problems += (problems.empty() ? "" : "; ") + what;
  }
};

const char* const kScenarios[] = {"none",        "reset",          "start_busy",      "load_busy",
                                  "config_busy", "hidden_over",    "input_over",      "steps_zero",
                                  "bad_width",   "start_unloaded", "shape_after_load"};

// The command line.
struct Options {
  std::string stim_path, out_path, trace_path, coverage_path, scenario = "none";
  uint64_t seed = 1, max_cycles = 200000000ull, inject_at = 50;
  double valid_prob = 1.0, ready_prob = 1.0;
  std::vector<int> read_regs;  // --read-regs: word addresses read after the first reset
};

// --read-regs LIST: comma-separated decimal word addresses, each at most 255.
std::vector<int> parse_reg_list(const std::string& list) {
  auto bad = [&list]() {
    die("--read-regs: bad register list '" + list + "' (comma-separated decimal word addresses 0..255)");
  };
  std::vector<int> regs;
  size_t at = 0;
  for (;;) {
    const size_t comma = list.find(',', at);
    const std::string e = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (e.empty()) bad();
    int a = 0;
    for (char c : e) {
      if (c < '0' || c > '9') bad();
      a = a * 10 + (c - '0');
      if (a > 255) bad();
    }
    regs.push_back(a);
    if (comma == std::string::npos) return regs;
    at = comma + 1;
  }
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("option " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--stim")
      o.stim_path = next();
    else if (a == "--out")
      o.out_path = next();
    else if (a == "--seed")
      o.seed = std::stoull(next());
    else if (a == "--valid-prob")
      o.valid_prob = std::stod(next());
    else if (a == "--ready-prob")
      o.ready_prob = std::stod(next());
    else if (a == "--trace")
      o.trace_path = next();
    else if (a == "--max-cycles")
      o.max_cycles = std::stoull(next());
    else if (a == "--scenario")
      o.scenario = next();
    else if (a == "--inject-at")
      o.inject_at = std::stoull(next());
    else if (a == "--coverage")
      o.coverage_path = next();
    else if (a == "--read-regs")
      o.read_regs = parse_reg_list(next());
    else if (a.rfind("+verilator", 0) == 0)
      continue;
    else
      die("unknown option " + a);
  }
  if (o.stim_path.empty() || o.out_path.empty()) die("--stim and --out are required");
  bool known = false;
  for (const char* n : kScenarios) known = known || o.scenario == n;
  if (!known) die("unknown scenario " + o.scenario);
  return o;
}

// The stimulus file: the header's fields and the beats of the three streams.
struct Stimulus {
  std::vector<int32_t> s;
  int H = 0, X = 0, T = 0, width = 0, K = 0;
  long nw = 0, nb = 0, nx = 0;
  long out_beats = 0;
  const int32_t* wbeat(long i) const { return s.data() + 10 + i * K; }
  const int32_t* bbeat(long i) const { return s.data() + 10 + nw * K + i; }
  const int32_t* xbeat(long i) const { return s.data() + 10 + nw * K + nb + i * K; }
};

Stimulus read_stimulus(const std::string& path) {
  Stimulus st;
  std::vector<int32_t>& s = st.s;
  {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) die("cannot open " + path);
    int32_t v;
    while (std::fread(&v, 4, 1, f) == 1) s.push_back(v);
    std::fclose(f);
  }
  if (s.size() < 10 || s[0] != 0x53484152 || s[1] != 1) die("bad stimulus file " + path);
  st.H = s[2];
  st.X = s[3];
  st.T = s[4];
  st.width = s[5];
  st.nw = s[6];
  st.nb = s[7];
  st.nx = s[8];
  st.K = s[9];
  if (st.K != sharp_design::kK)
    die("stimulus packs " + std::to_string(st.K) + " elements per beat, design has " +
        std::to_string(sharp_design::kK));
  if (s.size() != static_cast<size_t>(10 + st.nw * st.K + st.nb + st.nx * st.K))
    die("stimulus file size does not match its header");
  const int L = sharp_design::kLanes;
  st.out_beats = static_cast<long>(st.T) * ((st.H + L - 1) / L);
  return st;
}

using namespace sharp_design;
constexpr int D = kDataBits, C = kCellBits, L = kLanes;

// One simulation: the model, the random valid/ready patterns, the scenario's checks, the
// outputs and the counters of the report.
class Bench {
 public:
  Bench(const Options& o, const Stimulus& st, int argc, char** argv);
  int execute();

 private:
  bool chance(double p) { return p >= 1.0 || u01_(rng_) < p; }
  void idle_inputs();
  void reset(int cycles);
  void read_requested_regs();
  void expect_refused(uint32_t bits, const std::string& what);
  void configure(int h, int x, int t, int wd);
  uint32_t load();
  bool run(bool inject);
  void apply_injection();
  void check_injection();
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
  long xi_ = 0, oi_ = 0;
  bool injected_ = false, done_ = false;
  uint32_t err_ = 0;
  // The access counters at the CTRL start write of the last run, and at its end.
  std::vector<std::array<uint64_t, 2>> at_start_, at_end_;
};

Bench::Bench(const Options& o, const Stimulus& st, int argc, char** argv)
    : o_(o), st_(st), scenario_(o.scenario), rng_(o.seed) {
  sim_.ctx = std::make_unique<VerilatedContext>();
  sim_.ctx->commandArgs(argc, argv);
  sim_.top = std::make_unique<Vsharp_top>(sim_.ctx.get(), "TOP");
  top_ = sim_.top.get();
#ifdef SHARP_TRACE
  if (!o_.trace_path.empty()) {
    sim_.ctx->traceEverOn(true);
    sim_.tfp = std::make_unique<VerilatedFstC>();
    top_->trace(sim_.tfp.get(), 99);
    sim_.tfp->open(o_.trace_path.c_str());
  }
#else
  if (!o_.trace_path.empty()) die("this simulator was built without tracing");
#endif
#if !VM_COVERAGE
  if (!o_.coverage_path.empty()) die("this simulator was built without coverage");
#endif
  during_run_ =
      scenario_ == "reset" || scenario_ == "start_busy" || scenario_ == "load_busy" || scenario_ == "config_busy";
}

void Bench::idle_inputs() {
  top_->reg_we_i = 0;
  top_->w_valid_i = 0;
  top_->b_valid_i = 0;
  top_->x_valid_i = 0;
  top_->o_ready_i = 0;
}

void Bench::reset(int cycles) {
  idle_inputs();
  top_->rst_ni = 0;
  for (int i = 0; i < cycles; ++i) sim_.tick();
  top_->rst_ni = 1;
  sim_.tick();
}

// --read-regs: combinational reads only (no clock edge); the address port is put back as it
// was, so the model is exactly where it would be without them.
void Bench::read_requested_regs() {
  if (o_.read_regs.empty()) return;
  const auto addr = top_->reg_addr_i;
  for (int a : o_.read_regs) reg_values_.push_back(sim_.reg_read(a));
  top_->reg_addr_i = addr;
  sim_.settle();
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
}

// Loads weights and biases through their streams (random gaps); returns ERROR after the request.
uint32_t Bench::load() {
  sim_.reg_write(kRegCTRL, 2u);
  const uint32_t err = sim_.reg_read(kRegERROR);
  if (err != 0) return err;
  long wi = 0, bi = 0;
  const uint64_t load_start = sim_.cycle;
  while (!(sim_.reg_read(kRegSTATUS) & 4u)) {
    // Present the next beats (with random gaps), fire on the rising edge if ready.
    const bool wv = wi < st_.nw && chance(o_.valid_prob);
    const bool bv = bi < st_.nb && chance(o_.valid_prob);
    top_->w_valid_i = wv;
    top_->b_valid_i = bv;
    if (wv) assign_port(top_->w_data_i, pack(st_.wbeat(wi), st_.K, D));
    if (bv) assign_port(top_->b_data_i, pack(st_.bbeat(bi), 1, D));
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
  load_cycles_ = sim_.cycle - load_start;
  return 0;
}

// Streams x in and h, c out until done. During-run scenarios act at run cycle `inject_at`:
// a register write in the same cycle as the stream traffic (no beat is held back for it), or,
// for `reset`, the end of this run. Returns whether the run finished.
bool Bench::run(bool inject) {
  out_.clear();
  xi_ = 0;
  oi_ = 0;
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
    const bool orr = chance(o_.ready_prob);
    top_->x_valid_i = xv;
    if (xv) assign_port(top_->x_data_i, pack(st_.xbeat(xi_), st_.K, D));
    top_->o_ready_i = orr;
    if (act) apply_injection();
    sim_.settle();
    const bool xf = xv && top_->x_ready_o;
    if (top_->o_valid_o && orr) capture_output();
    sim_.tick();
    top_->reg_we_i = 0;
    xi_ += xf;
    if (act) check_injection();
    if (sim_.cycle - run_start_ > o_.max_cycles) break;
  }
  top_->x_valid_i = 0;
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

void Bench::check_injection() {
  const uint32_t e = sim_.reg_read(kRegERROR), st = sim_.reg_read(kRegSTATUS);
  const uint32_t want = scenario_ == "config_busy" ? 32u : 8u;
  chk_.expect(e == want, scenario_ + ": ERROR = " + std::to_string(e) + ", expected " + std::to_string(want));
  chk_.expect((st & 1u) != 0, scenario_ + ": the run stopped (STATUS = " + std::to_string(st) + ")");
  chk_.expect(sim_.reg_read(kRegHIDDEN) == static_cast<uint32_t>(st_.H),
              scenario_ + ": HIDDEN changed while running (" + std::to_string(sim_.reg_read(kRegHIDDEN)) + ")");
  chk_.expect(!top_->w_ready_o && !top_->b_ready_o, scenario_ + ": a load began while running");
}

// The output beat on the ports: Lanes h values, then Lanes c values.
void Bench::capture_output() {
  const auto hw = read_port(top_->o_h_o);
  const auto cw = read_port(top_->o_c_o);
  for (int l = 0; l < L; ++l) out_.push_back(static_cast<int32_t>(get_bits(hw.data(), l * D, D)));
  for (int l = 0; l < L; ++l) out_.push_back(static_cast<int32_t>(get_bits(cw.data(), l * C, C)));
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
    configure(H, X, T, width);
    chk_.expect(load() == 0, "shape_after_load: the load was refused");
    sim_.reg_write(kRegHIDDEN, static_cast<uint32_t>(H));
    chk_.expect((sim_.reg_read(kRegSTATUS) & 4u) == 0, "shape_after_load: still loaded after HIDDEN was written");
    sim_.reg_write(kRegCTRL, 1u);
    expect_refused(16u, "start after HIDDEN was rewritten");
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
  const uint32_t bit = scenario == "bad_width" ? 4u : 1u;
  expect_refused(bit, scenario + " load");
  sim_.reg_write(kRegCTRL, 1u);
  expect_refused(bit | 16u, scenario + " start");
}

// A run cut short by reset; then nothing of it may remain.
void Bench::misuse_reset() {
  configure(st_.H, st_.X, st_.T, st_.width);
  chk_.expect(load() == 0, "reset: the first load was refused");
  run(true);
  reset(3);
  sim_.settle();
  const uint64_t ctrs[] = {sim_.reg_read64(kRegCYCLES_LO),       sim_.reg_read64(kRegACTIVE_LO),
                           sim_.reg_read64(kRegMACS_LO),         sim_.reg_read64(kRegSTALL_INPUT_LO),
                           sim_.reg_read64(kRegSTALL_H_LO),      sim_.reg_read64(kRegSTALL_DRAIN_LO),
                           sim_.reg_read64(kRegSTALL_OUTPUT_LO), sim_.reg_read64(kRegSTALL_ACT_LO)};
  for (uint64_t c : ctrs) chk_.expect(c == 0, "reset: a counter is " + std::to_string(c) + " after reset");
  chk_.expect(sim_.reg_read(kRegSTATUS) == 0, "reset: STATUS = " + std::to_string(sim_.reg_read(kRegSTATUS)));
  chk_.expect(sim_.reg_read(kRegERROR) == 0, "reset: ERROR = " + std::to_string(sim_.reg_read(kRegERROR)));
  chk_.expect(sim_.reg_read(kRegHIDDEN) == 1 && sim_.reg_read(kRegINPUT) == 1 && sim_.reg_read(kRegSTEPS) == 1,
              "reset: HIDDEN, INPUT, STEPS not back to 1");
  chk_.expect(!top_->o_valid_o && !top_->w_ready_o && !top_->b_ready_o && !top_->x_ready_o,
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
    if (during_run_ && scenario_ != "reset") err_ &= ~(scenario_ == "config_busy" ? 32u : 8u);  // the expected flag
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
  if (!o_.read_regs.empty()) {
    std::printf(", \"regs\": {");
    for (size_t i = 0; i < o_.read_regs.size(); ++i)
      std::printf("%s\"%d\": %u", i ? ", " : "", o_.read_regs[i], reg_values_[i]);
    std::printf("}");
  }
  print_accesses();
  std::printf("}\n");
}

// "accesses": per macro, below sharp_top: load reads, load writes, run reads, run writes.
void Bench::print_accesses() {
  const AccessCounts& a = access_counts();
  std::printf(", \"accesses\": {");
  for (size_t i = 0; i < a.paths.size(); ++i) {
    std::string path = a.paths[i];
    const std::string top = "sharp_top.", probe = ".u_sharp_count";
    if (const size_t at = path.find(top); at != std::string::npos) path = path.substr(at + top.size());
    if (path.size() > probe.size() && path.compare(path.size() - probe.size(), probe.size(), probe) == 0)
      path.resize(path.size() - probe.size());
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
  reset(4);
  read_requested_regs();
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

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  const Stimulus st = read_stimulus(o.stim_path);
  Bench bench(o, st, argc, argv);
  return bench.execute();
}
