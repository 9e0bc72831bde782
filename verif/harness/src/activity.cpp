#include "sharp/activity.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sharp/error.hpp"
#include "sharp/golden.hpp"

namespace sharp {

namespace fs = std::filesystem;

namespace {

// Names of the access probe that build_simulator binds into every memory module of the
// coverage build (verify.cpp, coverage_probe_source): module, instance and cover labels.
constexpr const char* kProbeModule = "sharp_cov_mem_probe";
constexpr const char* kProbeInstance = "u_sharp_cov_probe";
constexpr const char* kProbeRead = "sharp_cov_read";
constexpr const char* kProbeWrite = "sharp_cov_write";

// The part of a coverage page after "v_toggle/" or "v_user/" (the Verilator module name).
std::string page_module(const std::string& page) {
  const size_t slash = page.find('/');
  return slash == std::string::npos ? page : page.substr(slash + 1);
}
bool page_is(const std::string& page, const char* kind) { return page.rfind(kind, 0) == 0; }

}  // namespace

std::vector<CoveragePoint> read_coverage(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("activity: cannot read the coverage database '{}'", file.string()));
  std::vector<CoveragePoint> pts;
  std::string line;
  long lineno = 0;
  auto bad = [&](const char* why) {
    return Error(
        fmt::format("activity: '{}' line {}: {} (not a Verilator coverage database?)", file.string(), lineno, why));
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    // C '<\1key\2value...>' count
    if (line.rfind("C '", 0) != 0) throw bad("expected C '...' count");
    const size_t close = line.rfind('\'');
    if (close == std::string::npos || close < 3) throw bad("unterminated key");
    CoveragePoint p;
    const std::string keys = line.substr(3, close - 3);
    size_t at = 0;
    while (at < keys.size()) {
      if (keys[at] != '\001') throw bad("key does not start with \\001");
      const size_t sep = keys.find('\002', at + 1);
      if (sep == std::string::npos) throw bad("key without \\002 value");
      size_t next = keys.find('\001', sep + 1);
      if (next == std::string::npos) next = keys.size();
      const std::string k = keys.substr(at + 1, sep - at - 1), v = keys.substr(sep + 1, next - sep - 1);
      if (k == "page")
        p.page = v;
      else if (k == "o")
        p.comment = v;
      else if (k == "h")
        p.hier = v;
      at = next;
    }
    try {
      size_t used = 0;
      const std::string num = line.substr(close + 1);
      p.count = std::stoull(num, &used);
    } catch (const std::exception&) {
      throw bad("no count after the key");
    }
    pts.push_back(std::move(p));
  }
  return pts;
}

std::string module_base_name(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  for (const auto& k : known)
    if (k.size() > best.size() && (name == k || (name.rfind(k + "__", 0) == 0))) best = k;
  if (!best.empty()) return best;
  const size_t dunder = name.find("__");
  return dunder == std::string::npos ? name : name.substr(0, dunder);
}

nlohmann::json activity_from_coverage(const std::vector<CoveragePoint>& pts, uint64_t cycles, const Design& d) {
  if (cycles == 0) throw Error("activity: no clock cycles were counted");
  std::vector<std::string> known;
  for (const auto& m : d.manifest.modules) known.push_back(m.name);
  const std::set<std::string> memory_modules(d.manifest.memory_modules.begin(), d.manifest.memory_modules.end());
  const std::string& top = d.manifest.top;

  // Toggle points: per base module, per signal bit, the sum over instances and how many
  // instances have that bit.
  struct Bit {
    uint64_t toggles = 0;
    long instances = 0;
  };
  std::map<std::string, std::map<std::string, Bit>> bits;
  std::map<std::string, std::set<std::string>> instances;
  std::map<std::string, std::string> module_of;                  // instance path -> base module
  std::map<std::string, std::map<std::string, int>> rdata_bits;  // instance -> "rdata_o" width (fallback)
  for (const auto& p : pts) {
    if (!page_is(p.page, "v_toggle/")) continue;
    const std::string base = module_base_name(page_module(p.page), known);
    if (base == kProbeModule) continue;
    Bit& b = bits[base][p.comment];
    b.toggles += p.count;
    b.instances += 1;
    instances[base].insert(p.hier);
    module_of[p.hier] = base;
    if (p.comment.rfind("rdata_o[", 0) == 0) ++rdata_bits[base][p.hier];
  }
  nlohmann::json modules = nlohmann::json::object();
  for (const auto& [base, sigs] : bits) {
    nlohmann::json jb = nlohmann::json::object();
    double total = 0, inst_bits = 0;
    for (const auto& [sig, b] : sigs) {
      jb[sig] = static_cast<double>(b.toggles) / (static_cast<double>(b.instances) * static_cast<double>(cycles));
      total += static_cast<double>(b.toggles);
      inst_bits += static_cast<double>(b.instances);
    }
    modules[base] = {{"instances", instances[base].size()},
                     {"mean_toggle_rate", inst_bits > 0 ? total / (inst_bits * static_cast<double>(cycles)) : 0.0},
                     {"bits", std::move(jb)}};
  }

  // Memory accesses: the probe's cover points, one pair per memory instance.
  struct Mem {
    uint64_t reads = 0, writes = 0;
    std::set<std::string> instances;
    std::map<std::string, uint64_t> inst_reads, inst_writes;  // per instance path
  };
  std::map<std::string, Mem> mems;
  std::map<std::string, std::pair<long, long>> manifest_bits;  // path -> elems * elem_bits (summed, count)
  std::map<std::string, long> path_bits;
  for (const auto& m : d.manifest.memories) {
    const long b = m.elems * m.elem_bits;
    path_bits["TOP." + top + "." + m.path] = b;
    auto& mb = manifest_bits[m.module];
    mb.first += b;
    mb.second += 1;
  }
  const std::string probe_tag = std::string(".") + kProbeInstance;
  for (const auto& p : pts) {
    if (!page_is(p.page, "v_user/") || module_base_name(page_module(p.page), known) != kProbeModule) continue;
    const size_t cut = p.hier.rfind(probe_tag);
    if (cut == std::string::npos) continue;
    const std::string inst = p.hier.substr(0, cut);
    std::string base;
    if (auto it = module_of.find(inst); it != module_of.end())
      base = it->second;
    else if (memory_modules.size() == 1)
      base = *memory_modules.begin();
    else
      continue;  // cannot tell which memory module this is
    Mem& m = mems[base];
    m.instances.insert(inst);
    if (p.comment == kProbeRead) {
      m.reads += p.count;
      m.inst_reads[inst] += p.count;
    } else if (p.comment == kProbeWrite) {
      m.writes += p.count;
      m.inst_writes[inst] += p.count;
    }
  }
  nlohmann::json memories = nlohmann::json::object();
  for (const auto& name : memory_modules) {
    const Mem& m = mems[name];
    // Bits per access: Elems x ElemBits of each instance (from the manifest), averaged.
    double sum = 0;
    long n = 0;
    nlohmann::json per_inst = nlohmann::json::object();
    const std::string top_prefix = "TOP." + top + ".";
    for (const auto& inst : m.instances) {
      long b = 0;
      if (auto it = path_bits.find(inst); it != path_bits.end())
        b = it->second;
      else if (auto mb = manifest_bits.find(name); mb != manifest_bits.end() && mb->second.second > 0)
        b = mb->second.first / mb->second.second;
      else if (auto rb = rdata_bits.find(name); rb != rdata_bits.end() && rb->second.count(inst))
        b = rb->second.at(inst);
      sum += static_cast<double>(b);
      ++n;
      // Per instance, keyed by the manifest's instance path (without TOP.<top>.).
      std::string key = inst.rfind(top_prefix, 0) == 0 ? inst.substr(top_prefix.size()) : inst;
      auto count = [&](const std::map<std::string, uint64_t>& c) {
        auto it = c.find(inst);
        return it == c.end() ? 0.0 : static_cast<double>(it->second) / static_cast<double>(cycles);
      };
      per_inst[key] = {
          {"reads_per_cycle", count(m.inst_reads)}, {"writes_per_cycle", count(m.inst_writes)}, {"bits_per_access", b}};
    }
    memories[name] = {{"reads_per_cycle", static_cast<double>(m.reads) / static_cast<double>(cycles)},
                      {"writes_per_cycle", static_cast<double>(m.writes) / static_cast<double>(cycles)},
                      {"bits_per_access", n ? sum / static_cast<double>(n) : 0.0},
                      {"instances", std::move(per_inst)}};
  }
  return {{"modules", std::move(modules)}, {"memories", std::move(memories)}};
}

nlohmann::json measure_activity(const Design& d, const RunShape& shape_in, const ActivityOptions& o) {
  RunShape s = shape_in;
  check_shape(d.plan, s);
  if (s.width == 0) s.width = d.plan.k;

  CaseData data;
  if (o.zero_data) {
    const size_t H = static_cast<size_t>(s.hidden), X = static_cast<size_t>(s.input);
    data.layer.hidden = s.hidden;
    data.layer.input = s.input;
    data.layer.w.assign(4 * H * X, 0);
    data.layer.u.assign(4 * H * H, 0);
    data.layer.b.assign(4 * H, 0);
    data.xs.assign(static_cast<size_t>(s.steps), std::vector<int64_t>(X, 0));
  } else {
    data = random_case(d.plan, s, o.seed);
  }

  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  SimBuildOptions bo;
  bo.coverage = true;
  bo.verbose = o.verbose;
  bool rebuilt = false;
  const fs::path exe = build_simulator(d, bo, &rebuilt);
  const double build_s = std::chrono::duration<double>(clock::now() - t0).count();

  SimOptions so;
  so.seed = o.seed;
  so.work = o.work.empty() ? d.dir / "runs" /
                                 fmt::format("activity_H{}_X{}_T{}_K{}_{}", s.hidden, s.input, s.steps, s.width,
                                             o.zero_data ? std::string("zero") : fmt::format("s{}", o.seed))
                           : o.work;
  so.coverage = fs::absolute(so.work / "coverage.dat");
  const auto t1 = clock::now();
  SimResult hw;
  const CaseResult r = run_case(d, exe, s, o.seed, so, &data, &hw);
  const double run_s = std::chrono::duration<double>(clock::now() - t1).count();
  if (!r.bit_exact)
    throw Error(
        fmt::format("activity: the coverage simulator's run (H={} X={} T={} width={}, {}) is not bit-exact "
                    "against the golden model ({} mismatches{})",
                    s.hidden, s.input, s.steps, s.width, o.zero_data ? "all zeros" : fmt::format("seed {}", o.seed),
                    r.mismatches, hw.done ? "" : ", the run did not finish"));
  const uint64_t cycles = hw.counters.value("coverage_cycles", 0ull);
  if (cycles == 0) throw Error("activity: the simulator reported no coverage_cycles (not a coverage build?)");

  const auto t2 = clock::now();
  const auto points = read_coverage(*so.coverage);
  nlohmann::json act = activity_from_coverage(points, cycles, d);
  const double parse_s = std::chrono::duration<double>(clock::now() - t2).count();
  if (o.verbose)
    std::fprintf(stderr,
                 "activity: coverage simulator %s in %.1f s; run %.2f s (%llu cycles counted, start-up included); "
                 "%zu coverage points parsed in %.2f s\n",
                 rebuilt ? "built" : "reused", build_s, run_s, static_cast<unsigned long long>(cycles), points.size(),
                 parse_s);

  nlohmann::json j;
  j["design"] = d.manifest.config.value("name", d.dir.filename().string());
  j["shape"] = {{"hidden", s.hidden}, {"input", s.input}, {"steps", s.steps}, {"width", s.width}};
  j["data"] = o.zero_data ? std::string("all zeros") : fmt::format("random seed {}", o.seed);
  j["cycles"] = cycles;
  j["modules"] = std::move(act["modules"]);
  j["memories"] = std::move(act["memories"]);
  return j;
}

}  // namespace sharp
