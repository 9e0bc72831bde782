// sim_common.hpp: what the two Verilator harnesses share (sim_main.cpp drives sharp_top's own
// ports, axi_main.cpp the AXI shell sharp_axi_top): the DPI-C functions of the access and event
// probes, bit packing, the command line, and the stimulus file. Included by exactly one
// translation unit of each harness, next to the design's sharp_design.h.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "sharp_design.h"
#include "verilated.h"

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

// The event probe bound into sharp_core: activation groups, cell updates, and the weight, bias,
// x and output beats (the order of sharp::kEventNames), counted over the whole simulation.
namespace {
std::array<uint64_t, 6>& event_counts() {
  static std::array<uint64_t, 6> e{};
  return e;
}
// ", \"events\": [...]" of the JSON line.
void print_events() {
  const auto& e = event_counts();
  std::printf(", \"events\": [");
  for (size_t i = 0; i < e.size(); ++i) std::printf("%s%llu", i ? ", " : "", static_cast<unsigned long long>(e[i]));
  std::printf("]");
}
}  // namespace
extern "C" void sharp_count_event(int event_index);
// Called at every clock edge at which event `event_index` happens.
void sharp_count_event(int event_index) { ++event_counts().at(static_cast<size_t>(event_index)); }

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "sharp_sim: error: %s\n", msg.c_str());
  std::exit(2);
}

// A probe's instance path as the plan names its macro: below sharp_top, without the probe.
std::string macro_path(std::string path) {
  // sharp_top is the Verilated top, or instance u_top of the AXI shell.
  const std::string top = "sharp_top.", shell = ".u_top.", probe = ".u_sharp_count";
  if (const size_t at = path.find(shell); at != std::string::npos)
    path = path.substr(at + shell.size());
  else if (const size_t at2 = path.find(top); at2 != std::string::npos)
    path = path.substr(at2 + top.size());
  if (path.size() > probe.size() && path.compare(path.size() - probe.size(), probe.size(), probe) == 0)
    path.resize(path.size() - probe.size());
  return path;
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

using namespace sharp_design;
constexpr int D = kDataBits, C = kCellBits, L = kLanes;

// ", \"regs\": {...}" of the JSON line: the --read-regs values, in the order given.
void print_regs(const std::vector<int>& addrs, const std::vector<uint32_t>& values) {
  if (addrs.empty()) return;
  std::printf(", \"regs\": {");
  for (size_t i = 0; i < addrs.size(); ++i) std::printf("%s\"%d\": %u", i ? ", " : "", addrs[i], values[i]);
  std::printf("}");
}

// The checks of a scenario: each failed expectation adds a line to `problems`.
struct Checks {
  std::string problems;
  void expect(bool ok, const std::string& what) {
    if (!ok) problems += (problems.empty() ? "" : "; ") + what;
  }
};

const char* const kScenarios[] = {"none",        "reset",          "start_busy",       "load_busy",
                                  "config_busy", "hidden_over",    "input_over",       "steps_zero",
                                  "bad_width",   "start_unloaded", "shape_after_load", "load_loading",
                                  "slot_over",   "streams_over",   "cell_bad",         "init_bad"};

// The command line.
struct Options {
  std::string stim_path, out_path, trace_path, coverage_path, scenario = "none";
  std::string inject_violation;  // AXI harness only: break the protocol once (checker self-test)
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
    else if (a == "--inject-violation")
      o.inject_violation = next();
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
  if (!o.inject_violation.empty() && o.inject_violation != "valid_drop" && o.inject_violation != "data_change" &&
      o.inject_violation != "tlast_flip")
    die("--inject-violation: unknown kind " + o.inject_violation + " (valid_drop, data_change, tlast_flip)");
  return o;
}

// The stimulus file: the header's fields and the beats of the three streams.
struct Stimulus {
  static constexpr long kHeader = 16;
  std::vector<int32_t> s;
  int H = 0, X = 0, T = 0, width = 0, K = 0, streams = 1, sets = 1;
  uint32_t stream_slots = 0, wavefront = 0, cell = 0, init = 0;
  long nw = 0, nb = 0, nx = 0, ns = 0;  // ns: state beats
  long out_beats = 0;
  long set_words() const { return nw * K + nb; }
  const int32_t* wbeat(int set, long i) const { return s.data() + kHeader + set * set_words() + i * K; }
  const int32_t* bbeat(int set, long i) const { return s.data() + kHeader + set * set_words() + nw * K + i; }
  const int32_t* xbeat(long i) const { return s.data() + kHeader + sets * set_words() + i * K; }
  const int32_t* sbeat(long i) const { return s.data() + kHeader + sets * set_words() + nx * K + i * 2 * L; }
};

// Every little-endian int32 of a stimulus or program file; dies unless it starts with the magic
// word and a version.
std::vector<int32_t> read_words(const std::string& path) {
  std::vector<int32_t> s;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) die("cannot open " + path);
  int32_t v;
  while (std::fread(&v, 4, 1, f) == 1) s.push_back(v);
  std::fclose(f);
  if (s.size() < 2 || s[0] != 0x53484152) die("bad stimulus file " + path);
  return s;
}

Stimulus read_stimulus(std::vector<int32_t> words, const std::string& path) {
  Stimulus st;
  st.s = std::move(words);
  std::vector<int32_t>& s = st.s;
  if (s.size() < static_cast<size_t>(Stimulus::kHeader) || s[0] != 0x53484152 || s[1] != 7)
    die("bad stimulus file " + path);
  st.H = s[2];
  st.X = s[3];
  st.T = s[4];
  st.width = s[5];
  st.nw = s[6];
  st.nb = s[7];
  st.nx = s[8];
  st.K = s[9];
  st.streams = s[10];
  st.sets = s[11];
  st.stream_slots = static_cast<uint32_t>(s[12]);
  st.wavefront = static_cast<uint32_t>(s[13]);
  st.cell = static_cast<uint32_t>(s[14]);
  st.init = static_cast<uint32_t>(s[15]);
  if (st.sets < 1 || st.sets > sharp_design::kWeightSlots)
    die("stimulus has " + std::to_string(st.sets) + " weight sets, the design " +
        std::to_string(sharp_design::kWeightSlots) + " slots");
  if (st.streams < 1 || st.streams > sharp_design::kStreams)
    die("stimulus has " + std::to_string(st.streams) + " streams, the design at most " +
        std::to_string(sharp_design::kStreams));
  if (st.K != sharp_design::kK)
    die("stimulus packs " + std::to_string(st.K) + " elements per beat, design has " +
        std::to_string(sharp_design::kK));
  st.ns = st.init ? static_cast<long>(st.streams) * ((st.H + L - 1) / L) : 0;
  if (s.size() != static_cast<size_t>(Stimulus::kHeader + st.sets * st.set_words() + st.nx * st.K + st.ns * 2 * L))
    die("stimulus file size does not match its header");
  st.out_beats = static_cast<long>(st.T) * st.streams * ((st.H + L - 1) / L);
  return st;
}

}  // namespace
