// sharp_sim: the Verilator harness of one generated design. It drives only the top-level
// ports of sharp_top: the register port and the valid/ready streams. One compiled design
// serves every run-time case: H, X, T and the width come from the stimulus file.
//
//   sharp_sim --stim FILE --out FILE [--seed S] [--valid-prob P] [--ready-prob P]
//             [--trace FILE.fst] [--max-cycles N] [--scenario NAME] [--inject-at N]
//             [--coverage FILE]
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

}  // namespace

int main(int argc, char** argv) {
  std::string stim_path, out_path, trace_path, coverage_path, scenario = "none";
  uint64_t seed = 1, max_cycles = 200000000ull, inject_at = 50;
  double valid_prob = 1.0, ready_prob = 1.0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("option " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--stim")
      stim_path = next();
    else if (a == "--out")
      out_path = next();
    else if (a == "--seed")
      seed = std::stoull(next());
    else if (a == "--valid-prob")
      valid_prob = std::stod(next());
    else if (a == "--ready-prob")
      ready_prob = std::stod(next());
    else if (a == "--trace")
      trace_path = next();
    else if (a == "--max-cycles")
      max_cycles = std::stoull(next());
    else if (a == "--scenario")
      scenario = next();
    else if (a == "--inject-at")
      inject_at = std::stoull(next());
    else if (a == "--coverage")
      coverage_path = next();
    else if (a.rfind("+verilator", 0) == 0)
      continue;
    else
      die("unknown option " + a);
  }
  if (stim_path.empty() || out_path.empty()) die("--stim and --out are required");
  {
    bool known = false;
    for (const char* n : kScenarios) known = known || scenario == n;
    if (!known) die("unknown scenario " + scenario);
  }

  // Read the stimulus.
  std::vector<int32_t> s;
  {
    FILE* f = std::fopen(stim_path.c_str(), "rb");
    if (!f) die("cannot open " + stim_path);
    int32_t v;
    while (std::fread(&v, 4, 1, f) == 1) s.push_back(v);
    std::fclose(f);
  }
  if (s.size() < 10 || s[0] != 0x53484152 || s[1] != 1) die("bad stimulus file " + stim_path);
  const int H = s[2], X = s[3], T = s[4], width = s[5];
  const long nw = s[6], nb = s[7], nx = s[8];
  const int K = s[9];
  if (K != sharp_design::kK)
    die("stimulus packs " + std::to_string(K) + " elements per beat, design has " + std::to_string(sharp_design::kK));
  if (s.size() != static_cast<size_t>(10 + nw * K + nb + nx * K)) die("stimulus file size does not match its header");
  const int32_t* wbeats = s.data() + 10;
  const int32_t* bbeats = wbeats + nw * K;
  const int32_t* xbeats = bbeats + nb;
  const int D = sharp_design::kDataBits, C = sharp_design::kCellBits, L = sharp_design::kLanes;
  const long out_beats = static_cast<long>(T) * ((H + L - 1) / L);

  Sim sim;
  sim.ctx = std::make_unique<VerilatedContext>();
  sim.ctx->commandArgs(argc, argv);
  sim.top = std::make_unique<Vsharp_top>(sim.ctx.get(), "TOP");
#ifdef SHARP_TRACE
  if (!trace_path.empty()) {
    sim.ctx->traceEverOn(true);
    sim.tfp = std::make_unique<VerilatedFstC>();
    sim.top->trace(sim.tfp.get(), 99);
    sim.tfp->open(trace_path.c_str());
  }
#else
  if (!trace_path.empty()) die("this simulator was built without tracing");
#endif
#if !VM_COVERAGE
  if (!coverage_path.empty()) die("this simulator was built without coverage");
#endif
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  auto chance = [&](double p) { return p >= 1.0 || u01(rng) < p; };
  using namespace sharp_design;

  auto& top = *sim.top;
  auto idle_inputs = [&]() {
    top.reg_we_i = 0;
    top.w_valid_i = 0;
    top.b_valid_i = 0;
    top.x_valid_i = 0;
    top.o_ready_i = 0;
  };
  auto reset = [&](int cycles) {
    idle_inputs();
    top.rst_ni = 0;
    for (int i = 0; i < cycles; ++i) sim.tick();
    top.rst_ni = 1;
    sim.tick();
  };
  top.clk_i = 0;
  reset(4);
#if VM_COVERAGE
  // Count from here: the power-on values and the reset itself are not part of the run.
  sim.ctx->coveragep()->zero();
  const uint64_t coverage_start = sim.cycle;
#endif

  Checks chk;
  const bool during_run =
      scenario == "reset" || scenario == "start_busy" || scenario == "load_busy" || scenario == "config_busy";
  // ERROR after a request, and the core idle (a refused request must not start anything).
  auto expect_refused = [&](uint32_t bits, const std::string& what) {
    const uint32_t e = sim.reg_read(kRegERROR);
    chk.expect(e == bits, what + ": ERROR = " + std::to_string(e) + ", expected " + std::to_string(bits));
    for (int i = 0; i < 4; ++i) sim.tick();
    const uint32_t st = sim.reg_read(kRegSTATUS);
    chk.expect((st & 1u) == 0 && (st & 8u) != 0 && !top.w_ready_o && !top.b_ready_o && !top.x_ready_o,
               what + ": the core is not idle with the error flag after the refused request (STATUS = " +
                   std::to_string(st) + ")");
  };
  auto configure = [&](int h, int x, int t, int wd) {
    sim.reg_write(kRegHIDDEN, static_cast<uint32_t>(h));
    sim.reg_write(kRegINPUT, static_cast<uint32_t>(x));
    sim.reg_write(kRegSTEPS, static_cast<uint32_t>(t));
    sim.reg_write(kRegWIDTH, static_cast<uint32_t>(wd));
  };

  // Loads weights and biases through their streams (random gaps); returns ERROR after the request.
  uint64_t load_cycles = 0;
  auto load = [&]() -> uint32_t {
    sim.reg_write(kRegCTRL, 2u);
    const uint32_t err = sim.reg_read(kRegERROR);
    if (err != 0) return err;
    long wi = 0, bi = 0;
    const uint64_t load_start = sim.cycle;
    while (!(sim.reg_read(kRegSTATUS) & 4u)) {
      // Present the next beats (with random gaps), fire on the rising edge if ready.
      const bool wv = wi < nw && chance(valid_prob);
      const bool bv = bi < nb && chance(valid_prob);
      top.w_valid_i = wv;
      top.b_valid_i = bv;
      if (wv) assign_port(top.w_data_i, pack(wbeats + wi * K, K, D));
      if (bv) assign_port(top.b_data_i, pack(bbeats + bi, 1, D));
      sim.settle();
      const bool wf = wv && top.w_ready_o, bf = bv && top.b_ready_o;
      sim.tick();
      wi += wf;
      bi += bf;
      if (sim.cycle - load_start > max_cycles)
        die("timeout while loading weights (" + std::to_string(wi) + " of " + std::to_string(nw) + " weight beats, " +
            std::to_string(bi) + " of " + std::to_string(nb) + " bias beats accepted)");
    }
    top.w_valid_i = 0;
    top.b_valid_i = 0;
    if (wi != nw || bi != nb)
      die("design reported loaded after " + std::to_string(wi) + "/" + std::to_string(nw) + " weight and " +
          std::to_string(bi) + "/" + std::to_string(nb) + " bias beats");
    load_cycles = sim.cycle - load_start;
    return 0;
  };

  // Streams x in and h, c out until done. During-run scenarios act at run cycle `inject_at`:
  // a register write in the same cycle as the stream traffic (no beat is held back for it), or,
  // for `reset`, the end of this run. Returns whether the run finished.
  std::vector<int32_t> out;
  long xi = 0, oi = 0;
  uint64_t run_start = 0;
  bool injected = false;
  auto run = [&](bool inject) -> bool {
    out.clear();
    xi = 0;
    oi = 0;
    sim.reg_write(kRegCTRL, 1u);
    if (sim.reg_read(kRegERROR) != 0) return false;
    run_start = sim.cycle;
    bool done = false;
    for (;;) {
      const uint32_t status = sim.reg_read(kRegSTATUS);
      if ((status & 2u) && oi == out_beats) {
        done = true;
        break;
      }
      const bool act = inject && sim.cycle - run_start == inject_at;
      injected = injected || act;
      if (act && scenario == "reset") break;
      const bool xv = xi < nx && chance(valid_prob);
      const bool orr = chance(ready_prob);
      top.x_valid_i = xv;
      if (xv) assign_port(top.x_data_i, pack(xbeats + xi * K, K, D));
      top.o_ready_i = orr;
      if (act) {
        top.reg_we_i = 1;
        if (scenario == "config_busy") {
          top.reg_addr_i = static_cast<uint8_t>(kRegHIDDEN);
          top.reg_wdata_i = static_cast<uint32_t>(H % kMaxHidden + 1);
        } else {
          top.reg_addr_i = static_cast<uint8_t>(kRegCTRL);
          top.reg_wdata_i = scenario == "start_busy" ? 1u : 2u;
        }
      }
      sim.settle();
      const bool xf = xv && top.x_ready_o;
      if (top.o_valid_o && orr) {
        const auto hw = read_port(top.o_h_o);
        const auto cw = read_port(top.o_c_o);
        for (int l = 0; l < L; ++l) out.push_back(static_cast<int32_t>(get_bits(hw.data(), l * D, D)));
        for (int l = 0; l < L; ++l) out.push_back(static_cast<int32_t>(get_bits(cw.data(), l * C, C)));
        ++oi;
      }
      sim.tick();
      top.reg_we_i = 0;
      xi += xf;
      if (act) {
        const uint32_t e = sim.reg_read(kRegERROR), st = sim.reg_read(kRegSTATUS);
        const uint32_t want = scenario == "config_busy" ? 32u : 8u;
        chk.expect(e == want, scenario + ": ERROR = " + std::to_string(e) + ", expected " + std::to_string(want));
        chk.expect((st & 1u) != 0, scenario + ": the run stopped (STATUS = " + std::to_string(st) + ")");
        chk.expect(sim.reg_read(kRegHIDDEN) == static_cast<uint32_t>(H),
                   scenario + ": HIDDEN changed while running (" + std::to_string(sim.reg_read(kRegHIDDEN)) + ")");
        chk.expect(!top.w_ready_o && !top.b_ready_o, scenario + ": a load began while running");
      }
      if (sim.cycle - run_start > max_cycles) break;
    }
    top.x_valid_i = 0;
    top.o_ready_i = 0;
    return done;
  };

  // Misuse before the legal run.
  bool loaded = false;
  if (scenario == "hidden_over" || scenario == "input_over" || scenario == "bad_width") {
    int wd = width;
    if (scenario == "bad_width") wd = kKMin + 1 < kK ? kKMin + 1 : kK * 2;  // not a power of two, or too wide
    configure(scenario == "hidden_over" ? kMaxHidden + 1 : H, scenario == "input_over" ? kMaxInput + 1 : X, T, wd);
    sim.reg_write(kRegCTRL, 2u);
    const uint32_t bit = scenario == "bad_width" ? 4u : 1u;
    expect_refused(bit, scenario + " load");
    sim.reg_write(kRegCTRL, 1u);
    expect_refused(bit | 16u, scenario + " start");
  } else if (scenario == "start_unloaded") {
    configure(H, X, T, width);
    sim.reg_write(kRegCTRL, 1u);
    expect_refused(16u, "start before load");
  } else if (scenario == "steps_zero") {
    configure(H, X, 0, width);
    chk.expect(load() == 0, "steps_zero: the load was refused");
    sim.reg_write(kRegCTRL, 1u);
    expect_refused(2u, "start with T = 0");
    sim.reg_write(kRegSTEPS, static_cast<uint32_t>(T));  // keeps the loaded weights
    loaded = true;
  } else if (scenario == "shape_after_load") {
    configure(H, X, T, width);
    chk.expect(load() == 0, "shape_after_load: the load was refused");
    sim.reg_write(kRegHIDDEN, static_cast<uint32_t>(H));
    chk.expect((sim.reg_read(kRegSTATUS) & 4u) == 0, "shape_after_load: still loaded after HIDDEN was written");
    sim.reg_write(kRegCTRL, 1u);
    expect_refused(16u, "start after HIDDEN was rewritten");
  } else if (scenario == "reset") {
    // A run cut short by reset; then nothing of it may remain.
    configure(H, X, T, width);
    chk.expect(load() == 0, "reset: the first load was refused");
    run(true);
    reset(3);
    sim.settle();
    const uint64_t ctrs[] = {sim.reg_read64(kRegCYCLES_LO),       sim.reg_read64(kRegACTIVE_LO),
                             sim.reg_read64(kRegMACS_LO),         sim.reg_read64(kRegSTALL_INPUT_LO),
                             sim.reg_read64(kRegSTALL_H_LO),      sim.reg_read64(kRegSTALL_DRAIN_LO),
                             sim.reg_read64(kRegSTALL_OUTPUT_LO), sim.reg_read64(kRegSTALL_ACT_LO)};
    for (uint64_t c : ctrs) chk.expect(c == 0, "reset: a counter is " + std::to_string(c) + " after reset");
    chk.expect(sim.reg_read(kRegSTATUS) == 0, "reset: STATUS = " + std::to_string(sim.reg_read(kRegSTATUS)));
    chk.expect(sim.reg_read(kRegERROR) == 0, "reset: ERROR = " + std::to_string(sim.reg_read(kRegERROR)));
    chk.expect(sim.reg_read(kRegHIDDEN) == 1 && sim.reg_read(kRegINPUT) == 1 && sim.reg_read(kRegSTEPS) == 1,
               "reset: HIDDEN, INPUT, STEPS not back to 1");
    chk.expect(!top.o_valid_o && !top.w_ready_o && !top.b_ready_o && !top.x_ready_o,
               "reset: a stream is active after reset");
  }

  // The legal run.
  if (!loaded) configure(H, X, T, width);
  uint32_t err = loaded ? 0 : load();
  bool done = false;
  if (err == 0) {
    done = run(during_run && scenario != "reset");
    err = sim.reg_read(kRegERROR);
    if (during_run && scenario != "reset") err &= ~(scenario == "config_busy" ? 32u : 8u);  // the expected flag
  }

  if (during_run) chk.expect(injected, scenario + ": the run ended before the misuse could be applied");
#if VM_COVERAGE
  // Written before the register reads of the report below (they would count as activity).
  const uint64_t coverage_cycles = sim.cycle - coverage_start;
  if (!coverage_path.empty()) {
    sim.ctx->coveragep()->forcePerInstance(true);  // one entry per instance, not summed per module
    sim.ctx->coveragep()->write(coverage_path.c_str());
  }
#endif
  {
    FILE* f = std::fopen(out_path.c_str(), "wb");
    if (!f) die("cannot write " + out_path);
    if (!out.empty()) std::fwrite(out.data(), 4, out.size(), f);
    std::fclose(f);
  }
  std::string note;
  for (char c : chk.problems) note += (c == '"' || c == '\\') ? '\'' : c;
  std::printf(
      "{\"done\": %s, \"error\": %u, \"status\": %u, \"cycles\": %llu, \"active\": %llu, \"macs\": %llu, "
      "\"stall_input\": %llu, \"stall_h\": %llu, \"stall_drain\": %llu, \"stall_output\": %llu, \"stall_act\": %llu, "
      "\"load_cycles\": %llu, \"run_cycles\": %llu, \"out_beats\": %ld, \"x_beats\": %ld, "
      "\"scenario\": \"%s\", \"scenario_ok\": %s, \"scenario_problems\": \"%s\"",
      done ? "true" : "false", err, sim.reg_read(kRegSTATUS),
      static_cast<unsigned long long>(sim.reg_read64(kRegCYCLES_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegACTIVE_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegMACS_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegSTALL_INPUT_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegSTALL_H_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegSTALL_DRAIN_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegSTALL_OUTPUT_LO)),
      static_cast<unsigned long long>(sim.reg_read64(kRegSTALL_ACT_LO)), static_cast<unsigned long long>(load_cycles),
      static_cast<unsigned long long>(sim.cycle - run_start), oi, xi, scenario.c_str(),
      chk.problems.empty() ? "true" : "false", note.c_str());
#if VM_COVERAGE
  std::printf(", \"coverage_cycles\": %llu", static_cast<unsigned long long>(coverage_cycles));
#endif
  std::printf("}\n");
#ifdef SHARP_TRACE
  if (sim.tfp) sim.tfp->close();
#endif
  top.final();
  return 0;
}
