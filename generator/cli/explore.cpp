// sharpgen explore (see explore.hpp). The flow:
//  1. Candidates: every combination of the search space on the base config, sized to hold the
//     models' largest layer (max_hidden, max_input). Invalid combinations are rejected with the
//     config checker's message. For each, the cycle model gives the latency of every model
//     (the planner's width per layer), exactly.
//  2. Area pre-estimate: memories from the SRAM model (the same figures synth uses) and logic from
//     a line a + b x MACs fitted to Yosys results: first to two anchors (the smallest and the
//     largest candidate whose memories alone fit), then to every synthesized candidate. Both
//     parts are scaled by what Yosys reported for the anchors.
//  3. Candidates whose estimate exceeds target x (1 + margin) are rejected; of the rest, the
//     estimated Pareto front (area, latency), best objective first, up to --max-synth, are
//     synthesized, and so is the naive baseline (the largest MAC count of the old width rule
//     whose synthesis fits).
//  4. Among the synthesized candidates that fit (and meet --min-fmax), the best objective wins.
// Syntheses are jobs: `sharpgen synth --design D --json` into a cache file named by the content
// hash of the design's files, the library and the version, written under a temporary name and
// renamed, so a killed job leaves nothing behind. A failed job is run once more.
#include "explore.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench.hpp"
#include "cli_util.hpp"
#include "sharp/emit.hpp"
#include "sharp/error.hpp"
#include "sharp/hash.hpp"
#include "sharp/manifest.hpp"
#include "sharp/plan.hpp"
#include "sharp/process.hpp"
#include "sharp/sram_model.hpp"
#include "sharp/svg_writer.hpp"
#include "sharp/text_file.hpp"
#include "sharp/version.hpp"

namespace sharp::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Candidate {
  std::string id;  // m<macs>_k<kmax>_<kmin>_l<lanes>_u<unfold>_s<streams>
  Config cfg;
  std::string rejected;     // why, "" while in the running
  bool naive_rule = false;  // the old --target-area width rule
  // Exact (cycle model).
  uint64_t cycles = 0;        // per sequence, summed over the models
  double seq_per_kcycle = 0;  // streams x models' sequences per 1000 cycles (throughput)
  // Estimates.
  double mem_model_mm2 = 0;  // SRAM model, unscaled
  double est_logic_mm2 = 0, est_total_mm2 = 0;
  // Yosys.
  bool synthesized = false, anchor = false;
  double logic_mm2 = 0, memory_mm2 = 0, total_mm2 = 0, fmax_mhz = 0;
  std::string key;  // cache key
};

[[noreturn]] void fail(const std::string& field, const std::string& value, const std::string& allowed) {
  throw Error(fmt::format("explore: field '{}': value {} is not allowed ({})", field, value, allowed));
}

// The models' layer runs, checked against the suite.
std::vector<std::pair<std::string, std::vector<std::pair<int, int>>>> model_runs(const ExploreArgs& a) {
  std::vector<std::pair<std::string, std::vector<std::pair<int, int>>>> r;
  std::string names;
  for (const auto& m : bench_suite()) names += (names.empty() ? "" : ", ") + m.name;
  if (a.models.empty()) fail("--models", "(none)", "one or more of the suite's models: " + names);
  for (const auto& n : a.models) {
    const auto it =
        std::find_if(bench_suite().begin(), bench_suite().end(), [&](const SuiteModel& m) { return m.name == n; });
    if (it == bench_suite().end()) fail("--models", "'" + n + "'", "one of the suite's models: " + names);
    r.push_back({n, suite_layer_runs(*it)});
  }
  return r;
}

// The candidates of the search space (defaults: every power of two of MACs from 16 to 65536;
// k_max the bench's rule and one step either side; k_min = k_max / 8 (at least 2)).
std::vector<Candidate> enumerate(const ExploreArgs& a, const Config& base, int max_h, int max_x) {
  std::vector<int> macs = a.macs;
  if (macs.empty())
    for (int n = 16; n <= 65536; n *= 2) macs.push_back(n);
  const std::vector<int> lanes = a.act_lanes.empty() ? std::vector<int>{base.act_lanes} : a.act_lanes;
  const std::vector<int> unfold = a.unfold_depth.empty() ? std::vector<int>{base.unfold_depth} : a.unfold_depth;
  const std::vector<int> streams = a.streams.empty() ? std::vector<int>{base.streams} : a.streams;
  std::vector<Candidate> out;
  std::set<std::string> seen;
  for (int n : macs) {
    std::vector<int> ks = a.k_max;
    if (ks.empty()) ks = {width_for(n) / 2, width_for(n), width_for(n) * 2};
    for (int k : ks) {
      std::vector<int> kmins = a.k_min;
      if (kmins.empty()) kmins = {std::max(2, k / 8)};
      for (int km : kmins)
        for (int l : lanes)
          for (int u : unfold)
            for (int s : streams) {
              Candidate c;
              c.id = fmt::format("m{}_k{}_{}_l{}_u{}_s{}", n, k, km, l, u, s);
              if (!seen.insert(c.id).second) continue;
              c.cfg = base;
              c.cfg.macs = n;
              c.cfg.k_max = k;
              c.cfg.k_min = km;
              c.cfg.act_lanes = l;
              c.cfg.unfold_depth = u;
              c.cfg.streams = s;
              c.cfg.max_hidden = max_h;
              c.cfg.max_input = max_x;
              c.cfg.name = "explore_" + c.id;
              c.naive_rule = k == std::min(width_for(n), n / 4) && km == std::max(2, k / 8) && l == base.act_lanes &&
                             u == base.unfold_depth && s == base.streams;
              try {
                validate(c.cfg);
              } catch (const Error& e) {
                c.rejected = std::string("invalid: ") + e.what();
              }
              out.push_back(c);
            }
    }
  }
  if (out.empty()) fail("search space", "(empty)", "at least one value for each of --macs, --k-max, ...");
  return out;
}

// Exact cycles per sequence (summed over the models) and the SRAM model's memory area.
void evaluate(Candidate& c, const std::vector<std::pair<std::string, std::vector<std::pair<int, int>>>>& models,
              int steps) {
  const Plan p = make_plan(c.cfg);
  uint64_t cycles = 0;
  for (const auto& [name, runs] : models)
    for (auto [h, x] : runs) {
      RunShape s{h, x, steps, 0, c.cfg.streams};
      s.width = choose_width(p, h, x, steps, c.cfg.streams).width;
      cycles += predict_cycles(p, s);
    }
  c.cycles = cycles;
  c.seq_per_kcycle = 1000.0 * c.cfg.streams * static_cast<double>(models.size()) / static_cast<double>(cycles);
  double um2 = 0;
  for (const auto& m : p.memories)
    um2 += synth::macro_figures(synth::default_sram_model(), m.depth, m.word_bits()).area_um2;
  c.mem_model_mm2 = um2 / 1e6;
}

// Better objective first: fewer cycles, or more sequences per cycle; then the smaller area, id.
bool better(const ExploreArgs& a, const Candidate& x, const Candidate& y, bool yosys) {
  const double ox = a.objective == "latency" ? static_cast<double>(x.cycles) : -x.seq_per_kcycle;
  const double oy = a.objective == "latency" ? static_cast<double>(y.cycles) : -y.seq_per_kcycle;
  if (ox != oy) return ox < oy;
  const double ax = yosys ? x.total_mm2 : x.est_total_mm2, ay = yosys ? y.total_mm2 : y.est_total_mm2;
  if (ax != ay) return ax < ay;
  return x.id < y.id;
}

// ---------------------------------------------------------------------------------------------
// Jobs: one synthesis each, cached by content hash.

struct Jobs {
  explicit Jobs(const ExploreArgs& args) : a(args) {}
  const ExploreArgs& a;
  fs::path work, cache, exe;
  std::string liberty_hash;
  int reused = 0, ran = 0, retried = 0, rounds = 0;

  std::string key_of(const fs::path& design) const {
    const Manifest m = read_manifest(design);
    return content_hash(json(m.files).dump() + "|" + liberty_hash + "|" + kVersion);
  }
  fs::path result(const std::string& key) const { return cache / (key + ".json"); }
  // The shell command of one job: synthesize into a temporary file, then rename it into place.
  std::string command(const fs::path& design, const std::string& key) const {
    const std::string tmp = result(key).string() + ".tmp.$$";
    std::string lib = a.liberty.empty() ? "" : " --liberty '" + fs::absolute(a.liberty).string() + "'";
    return fmt::format("'{}' synth --design '{}'{} --json > '{}' 2> '{}.log' && mv '{}' '{}'", exe.string(),
                       fs::absolute(design).string(), lib, tmp, (cache / key).string(), tmp, result(key).string());
  }
  void run_local(const std::vector<std::string>& cmds) {
    std::atomic<size_t> next{0};
    std::mutex mu;
    auto worker = [&]() {
      for (size_t i = next++; i < cmds.size(); i = next++) {
        run_child({"/bin/bash", "-c", cmds[i]}, nullptr);
        std::lock_guard<std::mutex> lock(mu);
        std::fprintf(stderr, "explore:   job %zu of %zu finished\n", i + 1, cmds.size());
      }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, a.jobs); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  void run_slurm(const std::vector<std::string>& cmds, int round) {
    const fs::path dir = work / "jobs";
    fs::create_directories(dir);
    const fs::path list = dir / fmt::format("round{}.txt", round), script = dir / fmt::format("round{}.sh", round);
    std::string text;
    for (const auto& c : cmds) text += c + "\n";
    write_text(list, text);
    write_text(script, fmt::format("#!/bin/bash\n# sharpgen explore, round {}: task i runs line i + 1 of {}\n"
                                   "cmd=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" '{}')\nexec /bin/bash -c \"$cmd\"\n",
                                   round, list.string(), list.string()));
    std::vector<std::string> argv = {
        "sbatch",
        "--wait",
        "--parsable",
        "--job-name=sharpgen-explore",
        fmt::format("--array=0-{}{}", cmds.size() - 1, a.jobs > 0 ? fmt::format("%{}", a.jobs) : std::string()),
        "--output=" + (dir / fmt::format("round{}_%a.log", round)).string()};
    if (!a.partition.empty()) argv.push_back("--partition=" + a.partition);
    if (!a.account.empty()) argv.push_back("--account=" + a.account);
    if (!a.time_limit.empty()) argv.push_back("--time=" + a.time_limit);
    argv.push_back(script.string());
    std::fprintf(stderr, "explore:   sbatch --array of %zu jobs (waiting for them)\n", cmds.size());
    std::string out;
    const ChildResult r = run_child(argv, [&out](const std::string& l) { out += l + "\n"; });
    // A failed array task makes sbatch --wait exit non-zero: the missing results say which.
    if (!r.ok() && out.find_first_of("0123456789") != 0)
      throw Error("explore: field '--executor': sbatch failed (is Slurm reachable? SLURM_CONF=" +
                  std::string(getenv("SLURM_CONF") ? getenv("SLURM_CONF") : "(unset)") + "): " + out);
  }
  // Runs every job whose result is not cached; a failed one once more.
  void run(const std::vector<std::pair<fs::path, std::string>>& todo) {
    std::vector<std::pair<fs::path, std::string>> missing;
    for (const auto& t : todo)
      if (fs::exists(result(t.second)))
        ++reused;
      else
        missing.push_back(t);
    for (int attempt = 0; attempt < 2 && !missing.empty(); ++attempt) {
      std::vector<std::string> cmds;
      for (const auto& [d, k] : missing) cmds.push_back(command(d, k));
      std::fprintf(stderr, "explore: %zu synthesis job(s)%s on the %s executor\n", cmds.size(),
                   attempt ? " (retry of the failed ones)" : "", a.executor.c_str());
      if (a.executor == "slurm")
        run_slurm(cmds, rounds);
      else
        run_local(cmds);
      ++rounds;
      ran += attempt == 0 ? static_cast<int>(cmds.size()) : 0;
      retried += attempt == 1 ? static_cast<int>(cmds.size()) : 0;
      std::vector<std::pair<fs::path, std::string>> still;
      for (const auto& t : missing)
        if (!fs::exists(result(t.second))) still.push_back(t);
      missing = still;
    }
  }
};

void check_slurm() {
  std::string out;
  ChildResult r;
  try {
    // (sinfo retries for a minute when it cannot read its config: 15 s are enough to know.)
    r = run_child({"timeout", "15", "sinfo", "-h", "-o", "%P %a"}, [&out](const std::string& l) { out += l + "\n"; });
  } catch (const Error&) {
    throw Error("explore: field '--executor': value slurm is not allowed here (Slurm's sinfo is not on PATH)");
  }
  if (!r.ok() || out.empty())
    throw Error(fmt::format("explore: field '--executor': Slurm is not reachable (sinfo exit {}: {}; SLURM_CONF={})",
                            r.exit_code, out.empty() ? "no partition" : out.substr(0, out.find('\n')),
                            getenv("SLURM_CONF") ? getenv("SLURM_CONF") : "(unset)"));
}

// ---------------------------------------------------------------------------------------------
// The area model: logic = a + b x MACs (least squares over the synthesized candidates), memory
// = s x the SRAM model's figure (s: Yosys' memory area over the model's, mean of the synthesized).

struct AreaModel {
  double a = 0, b = 0, mem_scale = 1;
  void fit(const std::vector<const Candidate*>& pts) {
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, ms = 0;
    for (const auto* c : pts) {
      const double x = c->cfg.macs, y = c->logic_mm2;
      n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
      ms += c->memory_mm2 / std::max(1e-12, c->mem_model_mm2);
    }
    if (n == 0) return;
    mem_scale = ms / n;
    const double den = n * sxx - sx * sx;
    if (n < 2 || den <= 0) {  // one point: proportional to MACs
      b = sy / std::max(1.0, sx);
      a = 0;
      return;
    }
    b = (n * sxy - sx * sy) / den;
    a = (sy - b * sx) / n;
  }
  void estimate(Candidate& c) const {
    c.est_logic_mm2 = std::max(0.0, a + b * c.cfg.macs);
    c.est_total_mm2 = c.est_logic_mm2 + mem_scale * c.mem_model_mm2;
  }
};

void read_result(Candidate& c, const Jobs& jobs) {
  const fs::path f = jobs.result(c.key);
  if (!fs::exists(f)) {
    c.rejected = fmt::format("synthesis failed twice (log: {}.log)", (jobs.cache / c.key).string());
    return;
  }
  const json r = json::parse(read_text(f, "synthesis result"));
  c.synthesized = true;
  c.logic_mm2 = r.at("logic_area_um2").get<double>() / 1e6;
  c.memory_mm2 = r.at("memory_area_um2").get<double>() / 1e6;
  c.total_mm2 = r.at("total_area_um2").get<double>() / 1e6;
  const double d = r.value("abc_delay_ns", 0.0);
  c.fmax_mhz = d > 0 ? 1000.0 / d : 0;
}

// The designs of `cs` written (if not yet) and synthesized (if not cached).
void synthesize(std::vector<Candidate*> cs, Jobs& jobs) {
  std::vector<std::pair<fs::path, std::string>> todo;
  for (auto* c : cs) {
    const fs::path dir = jobs.work / "designs" / c->id;
    if (!fs::exists(dir / "manifest.json")) write_design(make_plan(c->cfg), dir, "sharpgen explore");
    c->key = jobs.key_of(dir);
    todo.push_back({dir, c->key});
  }
  jobs.run(todo);
  for (auto* c : cs) read_result(*c, jobs);
}

// ---------------------------------------------------------------------------------------------
// The report: JSON, CSV, an SVG scatter (area x cycles), the table.

json candidate_json(const Candidate& c) {
  json j = {{"id", c.id},
            {"macs", c.cfg.macs},
            {"k_max", c.cfg.k_max},
            {"k_min", c.cfg.k_min},
            {"act_lanes", c.cfg.act_lanes},
            {"unfold_depth", c.cfg.unfold_depth},
            {"streams", c.cfg.streams},
            {"naive_rule", c.naive_rule},
            {"cycles_per_sequence", c.cycles},
            {"sequences_per_kcycle", c.seq_per_kcycle},
            {"estimated_total_mm2", c.est_total_mm2},
            {"estimated_logic_mm2", c.est_logic_mm2},
            {"synthesized", c.synthesized},
            {"anchor", c.anchor},
            {"rejected", c.rejected}};
  if (c.synthesized) {
    j["yosys_total_mm2"] = c.total_mm2;
    j["yosys_logic_mm2"] = c.logic_mm2;
    j["yosys_memory_mm2"] = c.memory_mm2;
    j["fmax_mhz_abc"] = c.fmax_mhz;
    j["estimate_error_pct"] = 100.0 * (c.est_total_mm2 / c.total_mm2 - 1.0);
  }
  return j;
}

std::string scatter_svg(const std::vector<Candidate>& cs, const std::set<std::string>& front, const std::string& best,
                        double target) {
  // x: area from the smallest candidate to twice the target (larger ones sit on the right edge);
  // y: cycles, log scale.
  double amin = target, amax = 0, cmin = 1e300, cmax = 0;
  for (const auto& c : cs) {
    if (c.rejected.rfind("invalid", 0) == 0) continue;
    const double area = c.synthesized ? c.total_mm2 : c.est_total_mm2;
    amin = std::min(amin, area);
    amax = std::max(amax, area);
    cmin = std::min(cmin, static_cast<double>(c.cycles));
    cmax = std::max(cmax, static_cast<double>(c.cycles));
  }
  amax = std::min(amax, 2 * target);
  amin = std::min(amin, target) * 0.98;
  amax = std::max(amax, target) * 1.02;
  const double W = 720, H = 420, L = 80, R = 20, T = 40, B = 50;
  const double lc0 = std::log10(std::max(1.0, cmin)), lc1 = std::log10(std::max(cmin * 1.01, cmax));
  auto X = [&](double area) { return L + (W - L - R) * (std::min(area, amax) - amin) / (amax - amin); };
  auto Y = [&](double cyc) { return T + (H - T - B) * (1.0 - (std::log10(cyc) - lc0) / (lc1 - lc0 + 1e-9)); };
  svg::Document d;
  d.line(svg::text({{"x", svg::num(L)}, {"y", "24"}}, "explore: cycles per sequence (log) against area; target " +
                                                          svg::escape(fmt::format("{:.3g} mm2", target))));
  d.line(svg::line({{"x1", svg::num(X(target))},
                    {"y1", svg::num(T)},
                    {"x2", svg::num(X(target))},
                    {"y2", svg::num(H - B)},
                    {"stroke", "#e15759"},
                    {"stroke-dasharray", "4 3"}}));
  d.line(svg::line({{"x1", svg::num(L)},
                    {"y1", svg::num(H - B)},
                    {"x2", svg::num(W - R)},
                    {"y2", svg::num(H - B)},
                    {"stroke", "#333"}}));
  d.line(svg::line(
      {{"x1", svg::num(L)}, {"y1", svg::num(T)}, {"x2", svg::num(L)}, {"y2", svg::num(H - B)}, {"stroke", "#333"}}));
  for (double v : {amin, target, amax})
    d.line(svg::text({{"x", svg::num(X(v))}, {"y", svg::num(H - B + 16)}, {"text-anchor", "middle"}},
                     svg::escape(fmt::format("{:.3g}", v))));
  for (double v : {cmin, cmax})
    d.line(svg::text({{"x", svg::num(L - 6)}, {"y", svg::num(Y(v) + 4)}, {"text-anchor", "end"}},
                     svg::escape(fmt::format("{:.3g}", v))));
  d.line(svg::text({{"x", svg::num(W / 2)}, {"y", svg::num(H - 12)}, {"text-anchor", "middle"}},
                   "area, mm2 (Yosys where synthesized, else estimate; beyond 2x the target on the right edge)"));
  for (const auto& c : cs) {
    if (c.rejected.rfind("invalid", 0) == 0) continue;
    const double area = c.synthesized ? c.total_mm2 : c.est_total_mm2;
    const std::string fill = c.id == best ? "#e15759" : front.count(c.id) ? "#4e79a7" : "#bab0ac";
    d.line(svg::element(
        "circle",
        {{"cx", svg::num(X(area))},
         {"cy", svg::num(Y(static_cast<double>(c.cycles)))},
         {"r", c.synthesized ? "5" : "3"},
         {"fill", fill}},
        svg::title(fmt::format("{}: {:.4f} mm2{}, {} cycles{}", c.id, area, c.synthesized ? "" : " (estimate)",
                               c.cycles, c.rejected.empty() ? "" : "; " + c.rejected)),
        false));
  }
  return d.str(W, H, {{"font-family", "sans-serif"}, {"font-size", "12"}}) + "\n";
}

// Pareto front over (area, cycles): no other candidate is at most as large and at most as slow.
std::set<std::string> pareto(const std::vector<const Candidate*>& cs, bool yosys) {
  std::set<std::string> f;
  for (const auto* c : cs) {
    const double ac = yosys ? c->total_mm2 : c->est_total_mm2;
    bool dominated = false;
    for (const auto* o : cs) {
      const double ao = yosys ? o->total_mm2 : o->est_total_mm2;
      if (o != c && ao <= ac && o->cycles <= c->cycles && (ao < ac || o->cycles < c->cycles)) dominated = true;
    }
    if (!dominated) f.insert(c->id);
  }
  return f;
}

// The report files (explore.json, explore.csv, pareto.svg: the same for either executor) and the
// terminal summary; throws when nothing fits.
void write_report(const ExploreArgs& a, const std::vector<Candidate>& cs, const std::vector<Candidate*>& anchors,
                  const AreaModel& model, const Candidate* best, const Candidate* baseline, const Jobs& jobs,
                  size_t n_models, std::chrono::steady_clock::time_point t0) {
  std::vector<const Candidate*> synth_done;
  for (const auto& c : cs)
    if (c.synthesized) synth_done.push_back(&c);
  const std::set<std::string> front = pareto(synth_done, true);
  double err_max = 0, err_sum = 0;
  int err_n = 0;
  for (const auto* c : synth_done) {
    if (c->anchor) continue;  // the fit's own points
    const double e = std::fabs(100.0 * (c->est_total_mm2 / c->total_mm2 - 1.0));
    err_max = std::max(err_max, e);
    err_sum += e;
    ++err_n;
  }
  json rep = {{"target_area_mm2", a.target_area_mm2},
              {"objective", a.objective},
              {"models", a.models},
              {"steps", a.steps},
              {"min_fmax_mhz", a.min_fmax_mhz},
              {"area_model",
               {{"logic_mm2", fmt::format("{:.6g} + {:.6g} x macs", model.a, model.b)},
                {"memory_scale", model.mem_scale},
                {"fitted_on", json::array()},
                {"estimate_error_pct_max", err_max},
                {"estimate_error_pct_mean", err_n ? err_sum / err_n : 0.0},
                {"estimate_error_candidates", err_n}}},
              {"best", best ? json(best->id) : json(nullptr)},
              {"naive_baseline", baseline ? json(baseline->id) : json(nullptr)},
              {"pareto_front", json(std::vector<std::string>(front.begin(), front.end()))},
              {"candidates", json::array()}};
  for (auto* c : anchors) rep["area_model"]["fitted_on"].push_back(c->id);
  std::string csv =
      "id,macs,k_max,k_min,act_lanes,unfold_depth,streams,cycles_per_sequence,estimated_total_mm2,synthesized,"
      "yosys_total_mm2,fmax_mhz_abc,pareto,rejected\n";
  for (const auto& c : cs) {
    rep["candidates"].push_back(candidate_json(c));
    std::string why = c.rejected;
    std::replace(why.begin(), why.end(), ',', ';');
    csv += fmt::format("{},{},{},{},{},{},{},{},{:.6f},{},{},{},{},{}\n", c.id, c.cfg.macs, c.cfg.k_max, c.cfg.k_min,
                       c.cfg.act_lanes, c.cfg.unfold_depth, c.cfg.streams, c.cycles, c.est_total_mm2,
                       c.synthesized ? 1 : 0, c.synthesized ? fmt::format("{:.6f}", c.total_mm2) : "",
                       c.synthesized ? fmt::format("{:.1f}", c.fmax_mhz) : "", front.count(c.id) ? 1 : 0,
                       c.id == (best ? best->id : "") ? "chosen" : why);
  }
  const fs::path rdir = jobs.work / "report";
  fs::create_directories(rdir);
  write_text(rdir / "explore.json", rep.dump(2) + "\n");
  write_text(rdir / "explore.csv", csv);
  write_text(rdir / "pareto.svg", scatter_svg(cs, front, best ? best->id : "", a.target_area_mm2));

  std::printf("explore: %zu candidates, %zu synthesized (%d jobs run, %d reused from the cache, %d retried), %.0f s\n",
              cs.size(), synth_done.size(), jobs.ran, jobs.reused, jobs.retried, seconds_since(t0));
  std::printf(
      "area estimate: logic %s mm2, memories %.4f x SRAM model; error against Yosys on %d synthesized "
      "candidate(s) besides the anchors: max %.1f %%, mean %.1f %%\n",
      rep["area_model"]["logic_mm2"].get<std::string>().c_str(), model.mem_scale, err_n, err_max,
      err_n ? err_sum / err_n : 0.0);
  std::printf("%-28s %10s %12s %12s %9s  %s\n", "candidate (Pareto front)", "MACs", "cycles/seq", "area mm2",
              "fmax MHz", "verdict");
  for (const auto* c : synth_done)
    std::printf("%-28s %10d %12llu %12.4f %9.0f  %s\n", (c->id + (front.count(c->id) ? " *" : "")).c_str(), c->cfg.macs,
                static_cast<unsigned long long>(c->cycles), c->total_mm2, c->fmax_mhz,
                c == best ? "CHOSEN" : c->rejected.c_str());
  if (!best)
    throw Error(fmt::format(
        "explore: field '--target-area': value {} mm2: no synthesized candidate fits{} (report: {})", a.target_area_mm2,
        a.min_fmax_mhz > 0 ? " and meets --min-fmax" : "", (rdir / "explore.json").string()));
  std::printf("chosen: %s (%d MACs, widths %d..%d): %llu cycles per sequence over %zu model(s), %.4f mm2\n",
              best->id.c_str(), best->cfg.macs, best->cfg.k_min, best->cfg.k_max,
              static_cast<unsigned long long>(best->cycles), n_models, best->total_mm2);
  if (baseline)
    std::printf(
        "naive baseline (largest MACs of the old width rule that fits): %s, %llu cycles, %.4f mm2: the "
        "chosen design takes %.3fx its cycles\n",
        baseline->id.c_str(), static_cast<unsigned long long>(baseline->cycles), baseline->total_mm2,
        static_cast<double>(best->cycles) / static_cast<double>(baseline->cycles));
  std::printf("report: %s (explore.json, explore.csv, pareto.svg)\n", rdir.string().c_str());
}

}  // namespace

int cmd_explore(const ExploreArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!(a.target_area_mm2 > 0)) fail("--target-area", fmt::format("{}", a.target_area_mm2), "a positive area in mm2");
  const auto models = model_runs(a);
  if (a.executor == "slurm") check_slurm();
  fs::path cfg_file(a.config);
  const Config base = load_config(a.config.empty() ? nullptr : &cfg_file, a.overrides);
  int max_h = 1, max_x = 1;
  for (const auto& [n, runs] : models)
    for (auto [h, x] : runs) max_h = std::max(max_h, h), max_x = std::max(max_x, x);
  std::vector<Candidate> cs = enumerate(a, base, max_h, max_x);
  for (auto& c : cs)
    if (c.rejected.empty()) evaluate(c, models, a.steps);

  Jobs jobs(a);
  jobs.work = fs::absolute(a.work);
  jobs.cache = jobs.work / "cache";
  fs::create_directories(jobs.cache);
  jobs.exe = a.sharpgen.empty() ? fs::read_symlink("/proc/self/exe") : fs::absolute(a.sharpgen);
  jobs.liberty_hash = a.liberty.empty() ? "default" : content_hash(read_text(a.liberty, "liberty"));

  // Calibration anchors: the smallest valid candidate by MACs (of those whose memories alone, at
  // the SRAM model's figure, fit the target); then the largest whose area, with logic scaled from
  // the first in proportion to MACs, fits (that overestimates large designs' logic, so the
  // second anchor stays near the target's end of the space).
  std::vector<Candidate*> valid;
  for (auto& c : cs)
    if (c.rejected.empty()) valid.push_back(&c);
  if (valid.empty()) fail("search space", "(every candidate is invalid)", "see explore.json's reasons");
  std::vector<Candidate*> mem_fit;
  for (auto* c : valid)
    if (c->mem_model_mm2 <= a.target_area_mm2) mem_fit.push_back(c);
  if (mem_fit.empty())
    fail("--target-area", fmt::format("{} mm2", a.target_area_mm2),
         fmt::format("at least the memories that hold the models' largest layer (H {}, X {}): {:.3f} mm2 at the "
                     "SRAM model's figure; choose smaller models or a larger area",
                     max_h, max_x,
                     std::min_element(valid.begin(), valid.end(),
                                      [](auto* x, auto* y) { return x->mem_model_mm2 < y->mem_model_mm2; })[0]
                         ->mem_model_mm2));
  auto by_macs = [](const Candidate* x, const Candidate* y) {
    return x->cfg.macs != y->cfg.macs ? x->cfg.macs < y->cfg.macs : x->id < y->id;
  };
  std::sort(mem_fit.begin(), mem_fit.end(), by_macs);
  std::fprintf(stderr, "explore: %zu candidates (%zu valid); calibrating the area estimate on anchors\n", cs.size(),
               valid.size());
  std::vector<Candidate*> anchors = {mem_fit.front()};
  anchors[0]->anchor = true;
  synthesize(anchors, jobs);
  if (!anchors[0]->synthesized)
    throw Error("explore: the calibration synthesis failed (see the logs in " + jobs.cache.string() + ")");
  {
    const Candidate& c0 = *anchors[0];
    const double scale = c0.memory_mm2 / std::max(1e-12, c0.mem_model_mm2), per_mac = c0.logic_mm2 / c0.cfg.macs;
    for (auto it = mem_fit.rbegin(); it != mem_fit.rend(); ++it)
      if (*it != anchors[0] && scale * (*it)->mem_model_mm2 + per_mac * (*it)->cfg.macs <= a.target_area_mm2) {
        (*it)->anchor = true;
        anchors.push_back(*it);
        synthesize({*it}, jobs);
        break;
      }
  }
  AreaModel model;
  {
    std::vector<const Candidate*> pts;
    for (auto* c : anchors)
      if (c->synthesized) pts.push_back(c);
    model.fit(pts);
  }
  for (auto* c : valid) model.estimate(*c);
  // Prune by the estimate, then the estimated Pareto front, best objective first.
  std::vector<const Candidate*> alive;
  for (auto* c : valid) {
    if (c->est_total_mm2 > a.target_area_mm2 * (1 + a.margin))
      c->rejected = fmt::format("estimated {:.4f} mm2 > target {:.4g} mm2 (+{:.0f} % margin)", c->est_total_mm2,
                                a.target_area_mm2, 100 * a.margin);
    else
      alive.push_back(c);
  }
  const std::set<std::string> est_front = pareto(alive, false);
  std::vector<Candidate*> pick;
  for (auto* c : valid)
    if (c->rejected.empty() && est_front.count(c->id) && !c->anchor) pick.push_back(c);
  std::sort(pick.begin(), pick.end(), [&](const Candidate* x, const Candidate* y) { return better(a, *x, *y, false); });
  if (static_cast<int>(pick.size()) > a.max_synth) {
    for (size_t i = static_cast<size_t>(a.max_synth); i < pick.size(); ++i)
      pick[i]->rejected = fmt::format("not synthesized: beyond --max-synth {} on the estimated front", a.max_synth);
    pick.resize(static_cast<size_t>(a.max_synth));
  }
  for (auto* c : valid)
    if (c->rejected.empty() && !c->anchor && !est_front.count(c->id))
      c->rejected = "dominated on the estimated front (area, cycles)";
  // The naive baseline: the old rule's largest MAC count whose estimate fits, synthesized, going
  // down until Yosys agrees.
  std::vector<Candidate*> naive;
  for (auto* c : valid)
    if (c->naive_rule) naive.push_back(c);
  std::sort(naive.begin(), naive.end(), by_macs);
  std::fprintf(stderr, "explore: synthesizing %zu candidate(s) of the estimated front\n", pick.size());
  synthesize(pick, jobs);
  const Candidate* baseline = nullptr;
  for (auto it = naive.rbegin(); it != naive.rend(); ++it) {
    Candidate* c = *it;
    if (c->est_total_mm2 > a.target_area_mm2 * (1 + a.margin)) continue;
    if (!c->synthesized) synthesize({c}, jobs);
    if (c->synthesized && c->total_mm2 <= a.target_area_mm2) {
      baseline = c;
      break;
    }
  }
  // Verdicts on the synthesized.
  const Candidate* best = nullptr;
  for (auto& c : cs) {
    if (!c.synthesized) continue;
    if (c.total_mm2 > a.target_area_mm2) {
      c.rejected = fmt::format("Yosys {:.4f} mm2 > target {:.4g} mm2", c.total_mm2, a.target_area_mm2);
    } else if (a.min_fmax_mhz > 0 && c.fmax_mhz < a.min_fmax_mhz) {
      c.rejected = fmt::format("fmax {:.0f} MHz (ABC estimate) < --min-fmax {:.0f}", c.fmax_mhz, a.min_fmax_mhz);
    } else {
      c.rejected.clear();
      if (!best || better(a, c, *best, true)) best = &c;
    }
  }
  for (auto& c : cs)
    if (c.synthesized && best && c.rejected.empty() && &c != best) c.rejected = "fits, but " + best->id + " is better";

  write_report(a, cs, anchors, model, best, baseline, jobs, models.size(), t0);
  if (!a.out.empty()) {
    write_design(make_plan(best->cfg), a.out, "sharpgen explore");
    std::printf("generated %s\n", a.out.c_str());
  }
  return 0;
}

}  // namespace sharp::cli
