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
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench.hpp"
#include "bench_energy.hpp"
#include "bench_memory.hpp"
#include "cli_util.hpp"
#include "sharp/emit.hpp"
#include "sharp/error.hpp"
#include "sharp/hash.hpp"
#include "sharp/manifest.hpp"
#include "sharp/model_file.hpp"
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
  std::string id;      // m<macs>_k<kmax>_<kmin>_l<lanes>_u<unfold>_s<streams>[_f<data>.<frac>.<acc>.<cell>.<segments>]
  std::string format;  // D:F:A:C:S of its number format (the estimates are fitted per format)
  Config cfg;
  Plan plan;                // make_plan(cfg), once the candidate is valid (evaluate)
  std::string rejected;     // why, "" while in the running
  bool naive_rule = false;  // the old --target-area width rule
  // Exact (cycle model).
  uint64_t resident_cycles = 0;            // per sequence, summed over the models, weights resident
  std::vector<std::pair<int, int>> units;  // (H, X) of every layer run of every model, in order
  std::vector<int> widths;                 // the planner's width of each
  std::vector<uint64_t> unit_cycles;       // the cycles of each
  std::vector<size_t> model_units;         // units of each model
  // The objective's cycles: resident_cycles, or with --weights streamed from DRAM the program
  // model's cycles at the candidate's fmax (estimated until synthesized).
  uint64_t cycles = 0;
  double seq_per_kcycle = 0;  // streams x models' sequences per 1000 cycles (throughput)
  uint64_t useful_macs = 0;   // of one run of every unit (all its streams)
  // The SRAM model's figures of every macro.
  std::vector<synth::MacroFigures> figs;
  double mem_model_mm2 = 0, sram_leakage_mw = 0;
  // Estimates (area, and energy per inference: one sequence of every model, summed).
  double est_logic_mm2 = 0, est_total_mm2 = 0;
  double est_fmax_mhz = 0, est_energy_uj = 0, est_power_mw = 0;
  // Yosys and OpenSTA.
  bool synthesized = false, anchor = false;
  double logic_mm2 = 0, memory_mm2 = 0, total_mm2 = 0, fmax_mhz = 0;
  json power;  // OpenSTA's figures for row_energy: fmax, logic power by component, leakage
  double energy_uj = 0, power_mw = 0, latency_us = 0;
  std::string key;  // cache key
};

// The power figures row_energy takes, from `sharpgen synth --power --json`.
json power_figures(const json& synth_result) {
  const json& t = synth_result.at("timing_power");
  return {{"fmax_mhz", t.at("fmax_mhz").get<double>()},
          {"logic_leakage_mw", t.at("leakage_mw").get<double>()},
          {"memory_leakage_mw", t.at("memory_leakage_mw").get<double>()},
          {"logic_components", logic_components(t.at("modules"))}};
}

// Energy per inference (one sequence of every model, summed), mean power and latency at the
// figures `e`: bench --estimate's row_energy over every unit of the models.
// With --weights KIND (streamed), each model's layers load their weights from that DRAM into two
// slots while the previous layer runs: bench's memory_row (program model) and streamed_energy.
struct Energy {
  double energy_uj = 0, power_mw = 0, latency_us = 0;
  uint64_t cycles = 0;
};
bool streamed(const ExploreArgs& a) { return a.weights != "resident" && a.weights != "onchip"; }

Energy energy_of(const Candidate& c, const json& e, const ExploreArgs& a) {
  const Plan& p = c.plan;
  if (!streamed(a)) {
    const json r =
        row_energy(p, c.figs, c.units, c.widths, a.steps, c.resident_cycles, c.useful_macs, e, c.cfg.streams);
    return {r.at("energy_uj").get<double>() / c.cfg.streams, r.at("power_mw").get<double>(),
            r.at("latency_us").get<double>(), c.resident_cycles};
  }
  double clock_mw = 0;
  for (const auto& [k, lc] : e.at("logic_components").items()) clock_mw += lc.at("clock_mw").get<double>();
  Energy out;
  size_t at = 0;
  for (size_t m = 0; m < c.model_units.size(); ++m) {
    const auto first = static_cast<std::ptrdiff_t>(at), last = static_cast<std::ptrdiff_t>(at + c.model_units[m]);
    at += c.model_units[m];
    MemoryRowInput in;
    in.plan = &p;
    in.units.assign(c.units.begin() + first, c.units.begin() + last);
    in.widths.assign(c.widths.begin() + first, c.widths.begin() + last);
    in.cycles.assign(c.unit_cycles.begin() + first, c.unit_cycles.begin() + last);
    in.steps = a.steps;
    in.clock_mhz = e.at("fmax_mhz").get<double>();
    in.clock_source = "fmax";
    json row = {{"memory", memory_row(in)}};
    row["useful_macs"] = row["memory"]["useful_macs"];
    uint64_t resident = 0;
    for (uint64_t x : in.cycles) resident += x;
    row["estimate"] =
        row_energy(p, c.figs, in.units, in.widths, a.steps, resident, row["useful_macs"].get<uint64_t>(), e);
    const json se =
        streamed_energy(row, e.at("logic_leakage_mw").get<double>(), e.at("memory_leakage_mw").get<double>(), clock_mw);
    const json& st = row["memory"]["streamed"].at(a.weights);
    out.energy_uj += se.at(a.weights).at("energy_uj").get<double>();
    out.latency_us += st.at("latency_us").get<double>();
    out.cycles += st.at("cycles").get<uint64_t>();
  }
  out.power_mw = out.latency_us > 0 ? out.energy_uj / out.latency_us * 1e3 : 0;  // uJ / us = W
  return out;
}

// The objective's cycles and throughput from an energy evaluation (they depend on the clock only
// when the weights stream from DRAM).
void set_cycles(Candidate& c, const Energy& e, size_t n_models) {
  c.cycles = e.cycles;
  c.seq_per_kcycle = 1000.0 * c.cfg.streams * static_cast<double>(n_models) / static_cast<double>(c.cycles);
}

[[noreturn]] void fail(const std::string& field, const std::string& value, const std::string& allowed) {
  throw Error(fmt::format("explore: field '{}': value {} is not allowed ({})", field, value, allowed));
}

using ModelRuns = std::vector<std::pair<std::string, std::vector<std::pair<int, int>>>>;

// The layer runs of a model directory's index: (H, input) of every layer and direction.
std::vector<std::pair<int, int>> index_runs(const ModelIndex& m) {
  std::vector<std::pair<int, int>> r;
  for (int l = 0; l < m.num_layers; ++l)
    for (int d = 0; d < m.directions(); ++d) r.push_back({m.hidden_size, m.layer_input(l)});
  return r;
}

// An ONNX file imported (examples/onnx/import_onnx.py) into `dir` by the first python3 with
// onnx (the one on PATH, then Debian's); its refusal as the error.
void import_onnx(const std::string& file, const fs::path& dir) {
  std::string python;
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    try {
      if (run_child({py, "-c", "import onnx, numpy"}, nullptr).ok()) {
        python = py;
        break;
      }
    } catch (const Error&) {  // not there
    }
  }
  if (python.empty())
    fail("--models", "'" + file + "'", "an ONNX file needs python3 with python3-onnx and numpy (ci/setup.sh)");
  std::string out;
  const ChildResult r =
      run_child({python, SHARP_ONNX_IMPORTER, file, dir.string()}, [&out](const std::string& l) { out = l; });
  if (!r.ok()) fail("--models", "'" + file + "'", "an ONNX file the importer takes (docs/ONNX.md): " + out);
}

// The models' layer runs, by name: suite models, model directories (model.json) and ONNX files
// (imported into WORK/models/). `cells`: the kinds they use (bit c for Cell c).
ModelRuns model_runs(const ExploreArgs& a, const fs::path& work, int* cells) {
  ModelRuns r;
  std::string names;
  for (const auto& m : bench_suite()) names += (names.empty() ? "" : ", ") + m.name;
  const std::string allowed = "a model of the suite (" + names + "), a model directory (model.json) or an .onnx file";
  if (a.models.empty()) fail("--models", "(none)", "one or more of: " + allowed);
  *cells = 0;
  std::set<std::string> taken;
  for (const auto& n : a.models) {
    const auto it =
        std::find_if(bench_suite().begin(), bench_suite().end(), [&](const SuiteModel& m) { return m.name == n; });
    if (it != bench_suite().end()) {
      r.push_back({n, suite_layer_runs(*it)});
      *cells |= 1 << static_cast<int>(Cell::Lstm);
      continue;
    }
    fs::path dir = n;
    if (fs::is_regular_file(n) && fs::path(n).extension() == ".onnx") {
      std::string stem = fs::path(n).stem().string();
      for (int k = 2; !taken.insert(stem).second; ++k) stem = fs::path(n).stem().string() + fmt::format("_{}", k);
      dir = work / "models" / stem;
      fs::remove_all(dir);
      std::fprintf(stderr, "explore: importing %s into %s\n", n.c_str(), dir.string().c_str());
      import_onnx(n, dir);
    } else if (!fs::is_regular_file(dir / "model.json")) {
      fail("--models", "'" + n + "'", allowed);
    }
    const ModelIndex m = parse_model_index(read_text(dir / "model.json", "model.json"), (dir / "model.json").string());
    r.push_back({n, index_runs(m)});
    *cells |= 1 << static_cast<int>(m.cell);
  }
  return r;
}

// A --formats entry D:F:A:C[:S]: data, fraction, accumulator and cell bits, activation segments
// (default: the base config's); the config checker judges the combination.
NumFormat parse_format(const std::string& text, const NumFormat& base) {
  std::vector<int> v;
  bool ok = !text.empty() && text.back() != ':';
  std::istringstream in(text);
  for (std::string part; ok && std::getline(in, part, ':');) {
    ok = !part.empty() && part.size() <= 6 && part.find_first_not_of("0123456789") == std::string::npos;
    if (ok) v.push_back(std::stoi(part));
  }
  ok = ok && (v.size() == 4 || v.size() == 5);
  if (ok && v.size() == 5) ok = v[4] >= 2 && (v[4] & (v[4] - 1)) == 0;
  if (!ok)
    fail("--formats", "'" + text + "'",
         "data_bits:frac_bits:acc_bits:cell_bits[:act_segments] in integers, act_segments a power of two, e.g. "
         "16:12:40:20 or 8:5:24:12:32");
  NumFormat f = base;
  f.data_bits = v[0];
  f.frac_bits = v[1];
  f.acc_bits = v[2];
  f.cell_bits = v[3];
  if (v.size() == 5) f.act_seg_bits = static_cast<int>(std::log2(v[4]));
  return f;
}

std::string format_key(const NumFormat& f) {
  return fmt::format("{}:{}:{}:{}:{}", f.data_bits, f.frac_bits, f.acc_bits, f.cell_bits, 1 << f.act_seg_bits);
}

// The candidates of the search space in number format `f` (defaults: every power of two of MACs
// from 16 to 65536; k_max the bench's rule and one step either side; k_min = k_max / 8 (at
// least 2)), appended to `out`.
void enumerate_format(const ExploreArgs& a, const Config& base, const NumFormat& f, const std::string& suffix,
                      int max_h, int max_x, std::set<std::string>& seen, std::vector<Candidate>& out) {
  std::vector<int> macs = a.macs;
  if (macs.empty())
    for (int n = 16; n <= 65536; n *= 2) macs.push_back(n);
  const std::vector<int> lanes = a.act_lanes.empty() ? std::vector<int>{base.act_lanes} : a.act_lanes;
  const std::vector<int> unfold = a.unfold_depth.empty() ? std::vector<int>{base.unfold_depth} : a.unfold_depth;
  const std::vector<int> streams = a.streams.empty() ? std::vector<int>{base.streams} : a.streams;
  const bool base_format = format_key(f) == format_key(base.format);
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
              c.id = fmt::format("m{}_k{}_{}_l{}_u{}_s{}{}", n, k, km, l, u, s, suffix);
              if (!seen.insert(c.id).second) continue;
              c.cfg = base;
              c.cfg.macs = n;
              c.cfg.k_max = k;
              c.cfg.k_min = km;
              c.cfg.act_lanes = l;
              c.cfg.unfold_depth = u;
              c.cfg.streams = s;
              c.cfg.format = f;
              c.format = format_key(f);
              c.cfg.max_hidden = max_h;
              c.cfg.max_input = max_x;
              c.cfg.name = "explore_" + c.id;
              c.naive_rule = k == std::min(width_for(n), n / 4) && km == std::max(2, k / 8) && l == base.act_lanes &&
                             u == base.unfold_depth && s == base.streams && base_format;
              try {
                validate(c.cfg);
              } catch (const Error& e) {
                c.rejected = std::string("invalid: ") + e.what();
              }
              if (c.rejected.empty() && streamed(a) && s != 1)
                c.rejected =
                    "invalid: with --weights " + a.weights + " every model runs one sequence at a time (streams 1)";
              out.push_back(c);
            }
    }
  }
}

std::vector<Candidate> enumerate(const ExploreArgs& a, const Config& base, int max_h, int max_x) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  std::vector<NumFormat> formats;
  for (const auto& t : a.formats) formats.push_back(parse_format(t, base.format));
  if (formats.empty()) formats.push_back(base.format);
  for (const NumFormat& f : formats) {
    std::string suffix = format_key(f);
    std::replace(suffix.begin(), suffix.end(), ':', '.');
    enumerate_format(a, base, f, a.formats.empty() ? "" : "_f" + suffix, max_h, max_x, seen, out);
  }
  if (out.empty()) fail("search space", "(empty)", "at least one value for each of --macs, --k-max, ...");
  return out;
}

// Exact cycles per sequence (summed over the models) and the SRAM model's memory area.
void evaluate(Candidate& c, const ModelRuns& models, int steps) {
  c.plan = make_plan(c.cfg);
  const Plan& p = c.plan;
  uint64_t cycles = 0;
  for (const auto& [name, runs] : models) {
    c.model_units.push_back(runs.size());
    for (auto [h, x] : runs) {
      RunShape s{h, x, steps, 0, c.cfg.streams};
      s.width = choose_width(p, h, x, steps, c.cfg.streams).width;
      c.unit_cycles.push_back(predict_cycles(p, s));
      cycles += c.unit_cycles.back();
      c.useful_macs += useful_macs(p, s);
      c.units.push_back({h, x});
      c.widths.push_back(s.width);
    }
  }
  c.resident_cycles = c.cycles = cycles;
  c.seq_per_kcycle = 1000.0 * c.cfg.streams * static_cast<double>(models.size()) / static_cast<double>(cycles);
  double um2 = 0;
  for (const auto& m : p.memories) {
    c.figs.push_back(synth::macro_figures(synth::default_sram_model(), m.depth, m.word_bits()));
    um2 += c.figs.back().area_um2;
    c.sram_leakage_mw += c.figs.back().leakage_mw;
  }
  c.mem_model_mm2 = um2 / 1e6;
}

// The objective, smaller is better: cycles, energy per inference (OpenSTA's where synthesized,
// else the estimate), or minus the sequences per cycle.
double objective(const ExploreArgs& a, const Candidate& c, bool yosys) {
  if (a.objective == "energy") return yosys ? c.energy_uj : c.est_energy_uj;
  if (a.objective == "throughput") return -c.seq_per_kcycle;
  return static_cast<double>(c.cycles);
}

// Better objective first; then the smaller area, id.
bool better(const ExploreArgs& a, const Candidate& x, const Candidate& y, bool yosys) {
  const double ox = objective(a, x, yosys), oy = objective(a, y, yosys);
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
    return content_hash(json(m.files).dump() + "|" + liberty_hash + "|power|" + kVersion);
  }
  fs::path result(const std::string& key) const { return cache / (key + ".json"); }
  // The shell command of one job: synthesize into a temporary file, then rename it into place.
  std::string command(const fs::path& design, const std::string& key) const {
    const std::string tmp = result(key).string() + ".tmp.$$";
    std::string lib = a.liberty.empty() ? "" : " --liberty '" + fs::absolute(a.liberty).string() + "'";
    return fmt::format("'{}' synth --design '{}'{} --power --json > '{}' 2> '{}.log' && mv '{}' '{}'", exe.string(),
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
// The estimates of a candidate not synthesized, fitted to the synthesized anchors:
//  - logic area = a + b x MACs; memory area = s x the SRAM model's figure (s: Yosys' memory area
//    over the model's, mean of the anchors);
//  - energy: each logic component's power per MHz (its clock pins, and the rest) = a + b x MACs,
//    logic leakage = a + b x MACs, fmax = a + b x log2(MACs) held within the anchors' range, SRAM
//    leakage and access energies from the SRAM model; then row_energy as for a synthesized one.

// Least squares y = a + b x; one point: proportional.
struct Line {
  double a = 0, b = 0;
  void fit(const std::vector<std::pair<double, double>>& pts) {
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (auto [x, y] : pts) n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
    const double den = n * sxx - sx * sx;
    if (n < 2 || den <= 0) {
      a = 0;
      b = n > 0 ? sy / std::max(1e-12, sx) : 0;
      return;
    }
    b = (n * sxy - sx * sy) / den;
    a = (sy - b * sx) / n;
  }
  double at(double x) const { return std::max(0.0, a + b * x); }
  std::string str(const char* x) const { return fmt::format("{:.6g} + {:.6g} x {}", a, b, x); }
};

struct EstimateModel {
  Line logic, leakage, fmax;
  std::map<std::string, Line> clock_per_mhz, rest_per_mhz;  // mW per MHz of each logic component
  double mem_scale = 1, fmax_lo = 0, fmax_hi = 0;
  void fit(const std::vector<const Candidate*>& pts) {
    if (pts.empty()) return;
    std::vector<std::pair<double, double>> lg, lk, fm;
    std::map<std::string, std::vector<std::pair<double, double>>> ck, rs;
    double ms = 0;
    fmax_lo = 1e300;
    for (const auto* c : pts) {
      const double n = c->cfg.macs, f = c->power.at("fmax_mhz").get<double>();
      lg.push_back({n, c->logic_mm2});
      lk.push_back({n, c->power.at("logic_leakage_mw").get<double>()});
      fm.push_back({std::log2(n), f});
      fmax_lo = std::min(fmax_lo, f);
      fmax_hi = std::max(fmax_hi, f);
      for (const auto& [k, lc] : c->power.at("logic_components").items()) {
        const double clock = lc.at("clock_mw").get<double>();
        ck[k].push_back({n, clock / f});
        rs[k].push_back({n, (lc.at("dynamic_mw").get<double>() - clock) / f});
      }
      ms += c->memory_mm2 / std::max(1e-12, c->mem_model_mm2);
    }
    mem_scale = ms / static_cast<double>(pts.size());
    logic.fit(lg);
    leakage.fit(lk);
    fmax.fit(fm);
    for (auto& [k, v] : ck) clock_per_mhz[k].fit(v);
    for (auto& [k, v] : rs) rest_per_mhz[k].fit(v);
  }
  void estimate(Candidate& c, const ExploreArgs& a) const {
    const double n = c.cfg.macs;
    c.est_logic_mm2 = logic.at(n);
    c.est_total_mm2 = c.est_logic_mm2 + mem_scale * c.mem_model_mm2;
    c.est_fmax_mhz = std::clamp(fmax.at(std::log2(n)), fmax_lo, fmax_hi);
    json comps = json::object();
    for (const auto& [k, l] : clock_per_mhz) {
      const double clock = l.at(n) * c.est_fmax_mhz;
      comps[k] = {{"clock_mw", clock}, {"dynamic_mw", clock + rest_per_mhz.at(k).at(n) * c.est_fmax_mhz}};
    }
    const json e = {{"fmax_mhz", c.est_fmax_mhz},
                    {"logic_leakage_mw", leakage.at(n)},
                    {"memory_leakage_mw", c.sram_leakage_mw},
                    {"logic_components", comps}};
    const Energy en = energy_of(c, e, a);
    c.est_energy_uj = en.energy_uj;
    c.est_power_mw = en.power_mw;
    if (!c.synthesized) set_cycles(c, en, c.model_units.size());
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
  c.power = power_figures(r);
  c.fmax_mhz = c.power.at("fmax_mhz").get<double>();
  const Energy e = energy_of(c, c.power, jobs.a);
  set_cycles(c, e, c.model_units.size());
  c.energy_uj = e.energy_uj;
  c.power_mw = e.power_mw;
  c.latency_us = e.latency_us;
}

// The designs of `cs` written (if not yet) and synthesized (if not cached).
void synthesize(std::vector<Candidate*> cs, Jobs& jobs) {
  std::vector<std::pair<fs::path, std::string>> todo;
  for (auto* c : cs) {
    const fs::path dir = jobs.work / "designs" / c->id;
    if (!fs::exists(dir / "manifest.json")) write_design(c->plan, dir, "sharpgen explore");
    c->key = jobs.key_of(dir);
    todo.push_back({dir, c->key});
  }
  jobs.run(todo);
  for (auto* c : cs) read_result(*c, jobs);
}

// ---------------------------------------------------------------------------------------------
// The report: JSON, CSV, an SVG scatter (area x cycles), the table.

// The resident cycles per sequence of each model.
std::vector<uint64_t> model_cycles(const Candidate& c) {
  std::vector<uint64_t> r;
  size_t at = 0;
  for (size_t n : c.model_units) {
    r.push_back(0);
    for (size_t i = 0; i < n; ++i) r.back() += c.unit_cycles[at++];
  }
  return r;
}

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
            {"resident_cycles_per_sequence", c.resident_cycles},
            {"weight_slots", c.cfg.weight_slots},
            {"cycles_per_sequence_by_model", model_cycles(c)},
            {"cells", cell_list(c.cfg.cells, ",")},
            {"sequences_per_kcycle", c.seq_per_kcycle},
            {"estimated_total_mm2", c.est_total_mm2},
            {"estimated_logic_mm2", c.est_logic_mm2},
            {"estimated_fmax_mhz", c.est_fmax_mhz},
            {"estimated_energy_uj", c.est_energy_uj},
            {"estimated_power_mw", c.est_power_mw},
            {"synthesized", c.synthesized},
            {"anchor", c.anchor},
            {"rejected", c.rejected}};
  if (c.synthesized) {
    j["yosys_total_mm2"] = c.total_mm2;
    j["yosys_logic_mm2"] = c.logic_mm2;
    j["yosys_memory_mm2"] = c.memory_mm2;
    j["fmax_mhz"] = c.fmax_mhz;
    j["latency_us"] = c.latency_us;
    j["energy_uj"] = c.energy_uj;
    j["power_mw"] = c.power_mw;
    j["estimate_error_pct"] = 100.0 * (c.est_total_mm2 / c.total_mm2 - 1.0);
    j["energy_estimate_error_pct"] = 100.0 * (c.est_energy_uj / c.energy_uj - 1.0);
  }
  return j;
}

// One panel of the scatter at height offset `top`: area (x) against `value` (y, log scale).
// x runs from the smallest candidate to twice the target (larger ones sit on the right edge).
void scatter_panel(svg::Document& d, const std::vector<Candidate>& cs, const std::set<std::string>& front,
                   const std::string& best, double target, double top, const std::string& title,
                   const std::function<double(const Candidate&)>& value, const char* unit) {
  auto shown = [](const Candidate& c) { return c.rejected.rfind("invalid", 0) != 0; };
  auto area_of = [](const Candidate& c) { return c.synthesized ? c.total_mm2 : c.est_total_mm2; };
  double amin = target, amax = 0, vmin = 1e300, vmax = 0;
  for (const auto& c : cs)
    if (shown(c)) {
      amin = std::min(amin, area_of(c));
      amax = std::max(amax, area_of(c));
      vmin = std::min(vmin, value(c));
      vmax = std::max(vmax, value(c));
    }
  amax = std::max(std::min(amax, 2 * target), target) * 1.02;
  amin = std::min(amin, target) * 0.98;
  const double W = 720, H = 420, L = 80, R = 20, T = top + 40, B = top + H - 50;
  const double l0 = std::log10(std::max(1e-9, vmin)), l1 = std::log10(std::max(vmin * 1.01, vmax));
  auto X = [&](double area) { return L + (W - L - R) * (std::min(area, amax) - amin) / (amax - amin); };
  auto Y = [&](double v) { return T + (B - T) * (1.0 - (std::log10(std::max(1e-9, v)) - l0) / (l1 - l0 + 1e-9)); };
  d.line(svg::text({{"x", svg::num(L)}, {"y", svg::num(top + 24)}},
                   svg::escape(fmt::format("explore: {} (log) against area; target {:.3g} mm2", title, target))));
  const auto axis = [&](double x1, double y1, double x2, double y2, const char* colour, bool dashed) {
    svg::Attrs at = {{"x1", svg::num(x1)}, {"y1", svg::num(y1)}, {"x2", svg::num(x2)}, {"y2", svg::num(y2)}};
    at.push_back({"stroke", colour});
    if (dashed) at.push_back({"stroke-dasharray", "4 3"});
    d.line(svg::line(at));
  };
  axis(X(target), T, X(target), B, "#e15759", true);
  axis(L, B, W - R, B, "#333", false);
  axis(L, T, L, B, "#333", false);
  for (double v : {amin, target, amax})
    d.line(svg::text({{"x", svg::num(X(v))}, {"y", svg::num(B + 16)}, {"text-anchor", "middle"}},
                     svg::escape(fmt::format("{:.3g}", v))));
  for (double v : {vmin, vmax})
    d.line(svg::text({{"x", svg::num(L - 6)}, {"y", svg::num(Y(v) + 4)}, {"text-anchor", "end"}},
                     svg::escape(fmt::format("{:.3g}", v))));
  d.line(svg::text({{"x", svg::num(W / 2)}, {"y", svg::num(B + 38)}, {"text-anchor", "middle"}},
                   "area, mm2 (Yosys where synthesized, else estimate; beyond 2x the target on the right edge)"));
  for (const auto& c : cs) {
    if (!shown(c)) continue;
    const std::string fill = c.id == best ? "#e15759" : front.count(c.id) ? "#4e79a7" : "#bab0ac";
    d.line(svg::element(
        "circle",
        {{"cx", svg::num(X(area_of(c)))},
         {"cy", svg::num(Y(value(c)))},
         {"r", c.synthesized ? "5" : "3"},
         {"fill", fill}},
        svg::title(fmt::format("{}: {:.4f} mm2, {:.6g} {}{}{}", c.id, area_of(c), value(c), unit,
                               c.synthesized ? "" : " (estimates)", c.rejected.empty() ? "" : "; " + c.rejected)),
        false));
  }
}

// The scatter of every valid candidate: cycles against area above, energy against area below;
// the Pareto front (area, cycles, energy) in blue, the choice in red.
std::string scatter_svg(const std::vector<Candidate>& cs, const std::set<std::string>& front, const std::string& best,
                        double target) {
  svg::Document d;
  scatter_panel(
      d, cs, front, best, target, 0, "cycles per sequence",
      [](const Candidate& c) { return static_cast<double>(c.cycles); }, "cycles");
  scatter_panel(
      d, cs, front, best, target, 420, "energy per inference, uJ",
      [](const Candidate& c) { return c.synthesized ? c.energy_uj : c.est_energy_uj; }, "uJ");
  return d.str(720, 840, {{"font-family", "sans-serif"}, {"font-size", "12"}}) + "\n";
}

// Pareto front over (area, cycles, energy per inference): no other candidate is at most as
// large, as slow and as costly in energy, and better in one of them.
std::set<std::string> pareto(const std::vector<const Candidate*>& cs, bool yosys) {
  auto point = [yosys](const Candidate* c) {
    return std::array<double, 3>{yosys ? c->total_mm2 : c->est_total_mm2, static_cast<double>(c->cycles),
                                 yosys ? c->energy_uj : c->est_energy_uj};
  };
  std::set<std::string> f;
  for (const auto* c : cs) {
    const auto pc = point(c);
    bool dominated = false;
    for (const auto* o : cs) {
      const auto po = point(o);
      bool no_worse = true, better_somewhere = false;
      for (size_t i = 0; i < 3; ++i) {
        no_worse = no_worse && po[i] <= pc[i];
        better_somewhere = better_somewhere || po[i] < pc[i];
      }
      dominated = dominated || (o != c && no_worse && better_somewhere);
    }
    if (!dominated) f.insert(c->id);
  }
  return f;
}

// Max and mean |estimate / measured - 1| in % over the synthesized candidates besides the anchors.
struct ErrorStats {
  double max = 0, mean = 0;
  int n = 0;
};
ErrorStats error_stats(const std::vector<const Candidate*>& synth_done, bool energy) {
  ErrorStats e;
  for (const auto* c : synth_done) {
    if (c->anchor) continue;  // the fit's own points
    const double v = energy ? std::fabs(100.0 * (c->est_energy_uj / c->energy_uj - 1.0))
                            : std::fabs(100.0 * (c->est_total_mm2 / c->total_mm2 - 1.0));
    e.max = std::max(e.max, v);
    e.mean += v;
    ++e.n;
  }
  if (e.n) e.mean /= e.n;
  return e;
}

std::string report_csv(const std::vector<Candidate>& cs, const std::set<std::string>& front, const Candidate* best) {
  std::string csv =
      "id,macs,k_max,k_min,act_lanes,unfold_depth,streams,cycles_per_sequence,estimated_total_mm2,"
      "estimated_energy_uj,synthesized,yosys_total_mm2,fmax_mhz,latency_us,energy_uj,power_mw,pareto,rejected\n";
  for (const auto& c : cs) {
    std::string why = c.rejected;
    std::replace(why.begin(), why.end(), ',', ';');
    auto synth = [&c](double v, const char* f) { return c.synthesized ? fmt::format(fmt::runtime(f), v) : ""; };
    csv +=
        fmt::format("{},{},{},{},{},{},{},{},{:.6f},{:.6f},{},{},{},{},{},{},{},{}\n", c.id, c.cfg.macs, c.cfg.k_max,
                    c.cfg.k_min, c.cfg.act_lanes, c.cfg.unfold_depth, c.cfg.streams, c.cycles, c.est_total_mm2,
                    c.est_energy_uj, c.synthesized ? 1 : 0, synth(c.total_mm2, "{:.6f}"), synth(c.fmax_mhz, "{:.1f}"),
                    synth(c.latency_us, "{:.3f}"), synth(c.energy_uj, "{:.6f}"), synth(c.power_mw, "{:.3f}"),
                    front.count(c.id) ? 1 : 0, c.id == (best ? best->id : "") ? "chosen" : why);
  }
  return csv;
}

// The error when no synthesized candidate meets the constraints, naming the one that failed: the
// area, else the power (the lowest of those within the area), else the fmax.
[[noreturn]] void no_choice(const ExploreArgs& a, const std::vector<const Candidate*>& synth_done,
                            const fs::path& report) {
  double low_power = 1e300, high_fmax = 0;
  for (const auto* c : synth_done)
    if (c->total_mm2 <= a.target_area_mm2) {
      low_power = std::min(low_power, c->power_mw);
      if (a.max_power_mw <= 0 || c->power_mw <= a.max_power_mw) high_fmax = std::max(high_fmax, c->fmax_mhz);
    }
  if (low_power == 1e300)
    throw Error(fmt::format("explore: field '--target-area': value {} mm2: no synthesized candidate fits (report: {})",
                            a.target_area_mm2, report.string()));
  if (a.max_power_mw > 0 && low_power > a.max_power_mw)
    throw Error(
        fmt::format("explore: field '--max-power': value {} mW: no synthesized candidate within the area meets "
                    "it (the lowest: {:.1f} mW; report: {})",
                    a.max_power_mw, low_power, report.string()));
  throw Error(
      fmt::format("explore: field '--min-fmax': value {} MHz: no synthesized candidate within the area{} meets "
                  "it (the highest: {:.0f} MHz; report: {})",
                  a.min_fmax_mhz, a.max_power_mw > 0 ? " and power" : "", high_fmax, report.string()));
}

// The report files (explore.json, explore.csv, pareto.svg: the same for either executor) and the
// terminal summary; throws when nothing fits.
void write_report(const ExploreArgs& a, const std::vector<Candidate>& cs, const std::vector<Candidate*>& anchors,
                  const std::map<std::string, EstimateModel>& models, const Candidate* best, const Candidate* baseline,
                  const Jobs& jobs, size_t n_models, std::chrono::steady_clock::time_point t0) {
  std::vector<const Candidate*> synth_done;
  for (const auto& c : cs)
    if (c.synthesized) synth_done.push_back(&c);
  const std::set<std::string> front = pareto(synth_done, true);
  const ErrorStats area_err = error_stats(synth_done, false), energy_err = error_stats(synth_done, true);
  json rep = {
      {"target_area_mm2", a.target_area_mm2},
      {"objective", a.objective},
      {"models", a.models},
      {"steps", a.steps},
      {"min_fmax_mhz", a.min_fmax_mhz},
      {"max_power_mw", a.max_power_mw},
      {"weights", a.weights},
      {"estimate_models", json::object()},
      {"estimate_error",
       {{"area_error_pct_max", area_err.max},
        {"area_error_pct_mean", area_err.mean},
        {"energy_error_pct_max", energy_err.max},
        {"energy_error_pct_mean", energy_err.mean},
        {"error_candidates", area_err.n}}},
      {"energy_method",
       std::string("per inference: one sequence of every model; bench --estimate's method: SRAM access counts "
                   "(cycle model) x SRAM model energies, OpenSTA's power of each logic block at 0.1 "
                   "toggles/cycle charged for the cycles it works, leakage x latency at fmax (OpenSTA); ") +
           (!streamed(a)
                ? "weights resident (loads not counted)" +
                      std::string(a.weights == "onchip" ? ", every layer of the largest model held at once" : "")
                : "every layer's weights streamed from " + a.weights +
                      " into 2 weight slots while the previous layer runs (program model), plus the loads' "
                      "SRAM writes, the DRAM energy and leakage and clock over the extra time")},
      {"best", best ? json(best->id) : json(nullptr)},
      {"naive_baseline", baseline ? json(baseline->id) : json(nullptr)},
      {"pareto_front", json(std::vector<std::string>(front.begin(), front.end()))},
      {"candidates", json::array()}};
  for (const auto& [k, m] : models) {
    json fitted = json::array();
    for (auto* c : anchors)
      if (c->format == k) fitted.push_back(c->id);
    rep["estimate_models"][k] = {
        {"logic_mm2", m.logic.str("macs")},
        {"memory_scale", m.mem_scale},
        {"logic_leakage_mw", m.leakage.str("macs")},
        {"fmax_mhz", m.fmax.str("log2(macs)") + fmt::format(", within {:.1f} .. {:.1f}", m.fmax_lo, m.fmax_hi)},
        {"fitted_on", fitted}};
  }
  for (const auto& c : cs) rep["candidates"].push_back(candidate_json(c));
  const fs::path rdir = jobs.work / "report";
  fs::create_directories(rdir);
  write_text(rdir / "explore.json", rep.dump(2) + "\n");
  write_text(rdir / "explore.csv", report_csv(cs, front, best));
  write_text(rdir / "pareto.svg", scatter_svg(cs, front, best ? best->id : "", a.target_area_mm2));

  std::printf("explore: %zu candidates, %zu synthesized (%d jobs run, %d reused from the cache, %d retried), %.0f s\n",
              cs.size(), synth_done.size(), jobs.ran, jobs.reused, jobs.retried, seconds_since(t0));
  std::printf(
      "estimates against Yosys and OpenSTA on %d synthesized candidate(s) besides the anchors: area max %.1f %%, "
      "mean %.1f %%; energy max %.1f %%, mean %.1f %%\n",
      area_err.n, area_err.max, area_err.mean, energy_err.max, energy_err.mean);
  for (const auto& [k, m] : models)
    std::printf("  format %s: logic %s mm2, memories %.4f x SRAM model\n", k.c_str(), m.logic.str("MACs").c_str(),
                m.mem_scale);
  int w = 28;
  for (const auto* c : synth_done) w = std::max(w, static_cast<int>(c->id.size()) + 2);
  std::printf("%-*s %7s %12s %10s %8s %10s %9s  %s\n", w, "candidate (Pareto front *)", "MACs", "cycles/seq",
              "area mm2", "fmax MHz", "energy uJ", "power mW", "verdict");
  for (const auto* c : synth_done)
    std::printf("%-*s %7d %12llu %10.4f %8.0f %10.3f %9.1f  %s\n", w,
                (c->id + (front.count(c->id) ? " *" : "")).c_str(), c->cfg.macs,
                static_cast<unsigned long long>(c->cycles), c->total_mm2, c->fmax_mhz, c->energy_uj, c->power_mw,
                c == best ? "CHOSEN" : c->rejected.c_str());
  if (!best) no_choice(a, synth_done, rdir / "explore.json");
  std::printf(
      "chosen: %s (%d MACs, widths %d..%d): %llu cycles per sequence over %zu model(s) (%.2f us at %.0f MHz), "
      "%.3f uJ per inference, %.1f mW, %.4f mm2\n",
      best->id.c_str(), best->cfg.macs, best->cfg.k_min, best->cfg.k_max, static_cast<unsigned long long>(best->cycles),
      n_models, best->latency_us, best->fmax_mhz, best->energy_uj, best->power_mw, best->total_mm2);
  if (baseline)
    std::printf(
        "naive baseline (largest MACs of the old width rule that meets the constraints): %s, %llu cycles, %.3f uJ, "
        "%.4f mm2: the "
        "chosen design takes %.3fx its cycles and %.3fx its energy\n",
        baseline->id.c_str(), static_cast<unsigned long long>(baseline->cycles), baseline->energy_uj,
        baseline->total_mm2, static_cast<double>(best->cycles) / static_cast<double>(baseline->cycles),
        best->energy_uj / baseline->energy_uj);
  std::printf("report: %s (explore.json, explore.csv, pareto.svg)\n", rdir.string().c_str());
}

bool by_macs(const Candidate* x, const Candidate* y) {
  return x->cfg.macs != y->cfg.macs ? x->cfg.macs < y->cfg.macs : x->id < y->id;
}

// The estimate model of each number format, fitted to its calibration anchors (appended to
// `anchors`): the smallest candidate by MACs of those whose memories alone, at the SRAM model's
// figure, fit the target (`mem_fit`, by MACs); then the largest whose area, with logic scaled from
// the first in proportion to MACs, fits (that overestimates large designs' logic, so the second
// anchor stays near the target's end of the space). The formats' anchors are synthesized
// together, in two rounds.
std::map<std::string, EstimateModel> calibrate(const ExploreArgs& a, const std::vector<Candidate*>& mem_fit, Jobs& jobs,
                                               std::vector<Candidate*>& anchors) {
  std::map<std::string, std::vector<Candidate*>> groups;
  for (auto* c : mem_fit) groups[c->format].push_back(c);
  std::vector<Candidate*> first, second;
  for (auto& [k, g] : groups) first.push_back(g.front());
  for (auto* c : first) c->anchor = true;
  synthesize(first, jobs);
  for (auto& [k, g] : groups) {
    const Candidate& c0 = *g.front();
    if (!c0.synthesized)
      throw Error("explore: the calibration synthesis of " + c0.id + " failed (see the logs in " + jobs.cache.string() +
                  ")");
    const double scale = c0.memory_mm2 / std::max(1e-12, c0.mem_model_mm2), per_mac = c0.logic_mm2 / c0.cfg.macs;
    for (auto it = g.rbegin(); it != g.rend(); ++it)
      if (*it != g.front() && scale * (*it)->mem_model_mm2 + per_mac * (*it)->cfg.macs <= a.target_area_mm2) {
        (*it)->anchor = true;
        second.push_back(*it);
        break;
      }
  }
  synthesize(second, jobs);
  anchors = first;
  anchors.insert(anchors.end(), second.begin(), second.end());
  std::map<std::string, EstimateModel> models;
  for (auto& [k, g] : groups) {
    std::vector<const Candidate*> pts;
    for (auto* c : anchors)
      if (c->format == k && c->synthesized) pts.push_back(c);
    models[k].fit(pts);
  }
  return models;
}

}  // namespace

int cmd_explore(const ExploreArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!(a.target_area_mm2 > 0)) fail("--target-area", fmt::format("{}", a.target_area_mm2), "a positive area in mm2");
  {
    std::string kinds = "resident, onchip";
    bool known = !streamed(a);
    for (const auto& d : synth::default_sram_model().table.dram)
      if (d.bandwidth_gbs) {
        kinds += ", " + d.kind;
        known = known || a.weights == d.kind;
      }
    if (!known) fail("--weights", "'" + a.weights + "'", kinds);
  }
  int cells = 0;
  const ModelRuns models = model_runs(a, fs::absolute(a.work), &cells);
  if (a.executor == "slurm") check_slurm();
  fs::path cfg_file(a.config);
  Config base = load_config(a.config.empty() ? nullptr : &cfg_file, a.overrides);
  base.cells |= cells;  // every kind the models use
  int max_h = 1, max_x = 1, max_units = 1;
  for (const auto& [n, runs] : models) {
    max_units = std::max(max_units, static_cast<int>(runs.size()));
    for (auto [h, x] : runs) max_h = std::max(max_h, h), max_x = std::max(max_x, x);
  }
  // The weight slots the --weights mode needs (the config checker refuses more than it allows).
  if (a.weights == "onchip")
    base.weight_slots = std::max(base.weight_slots, max_units);
  else if (streamed(a))
    base.weight_slots = std::max(base.weight_slots, 2);
  std::vector<Candidate> cs = enumerate(a, base, max_h, max_x);
  for (auto& c : cs)
    if (c.rejected.empty()) evaluate(c, models, a.steps);

  Jobs jobs(a);
  jobs.work = fs::absolute(a.work);
  jobs.cache = jobs.work / "cache";
  fs::create_directories(jobs.cache);
  jobs.exe = a.sharpgen.empty() ? fs::read_symlink("/proc/self/exe") : fs::absolute(a.sharpgen);
  jobs.liberty_hash = a.liberty.empty() ? "default" : content_hash(read_text(a.liberty, "liberty"));

  std::vector<Candidate*> valid;
  for (auto& c : cs)
    if (c.rejected.empty()) valid.push_back(&c);
  if (valid.empty()) fail("search space", "(every candidate is invalid)", "see explore.json's reasons");
  std::vector<Candidate*> mem_fit;
  for (auto* c : valid)
    if (c->mem_model_mm2 <= a.target_area_mm2) mem_fit.push_back(c);
  if (mem_fit.empty())
    fail("--target-area", fmt::format("{} mm2", a.target_area_mm2),
         fmt::format("at least the memories that hold the models' largest layer (H {}, X {}) in {} weight slot(s): "
                     "{:.3f} mm2 at the SRAM model's figure; choose smaller models or a larger area",
                     max_h, max_x, valid.front()->cfg.weight_slots,
                     std::min_element(valid.begin(), valid.end(),
                                      [](auto* x, auto* y) { return x->mem_model_mm2 < y->mem_model_mm2; })[0]
                         ->mem_model_mm2));
  std::sort(mem_fit.begin(), mem_fit.end(), by_macs);
  std::fprintf(stderr, "explore: %zu candidates (%zu valid); calibrating the estimates on anchors\n", cs.size(),
               valid.size());
  std::vector<Candidate*> anchors;
  const std::map<std::string, EstimateModel> models_by_format = calibrate(a, mem_fit, jobs, anchors);
  for (auto* c : valid) {
    const auto m = models_by_format.find(c->format);
    if (m != models_by_format.end())
      m->second.estimate(*c, a);
    else
      c->rejected = fmt::format("memories alone {:.4f} mm2 (SRAM model) > target {:.4g} mm2", c->mem_model_mm2,
                                a.target_area_mm2);
  }
  // Prune by the estimate, then the estimated Pareto front, best objective first.
  std::vector<const Candidate*> alive;
  for (auto* c : valid) {
    if (!c->rejected.empty()) continue;
    if (c->est_total_mm2 > a.target_area_mm2 * (1 + a.margin))
      c->rejected = fmt::format("estimated {:.4f} mm2 > target {:.4g} mm2 (+{:.0f} % margin)", c->est_total_mm2,
                                a.target_area_mm2, 100 * a.margin);
    else if (a.max_power_mw > 0 && c->est_power_mw > a.max_power_mw * (1 + a.margin))
      c->rejected = fmt::format("estimated {:.1f} mW > --max-power {:.4g} mW (+{:.0f} % margin)", c->est_power_mw,
                                a.max_power_mw, 100 * a.margin);
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
      c->rejected = "dominated on the estimated front (area, cycles, energy)";
  // The naive baseline: the old rule's largest MAC count whose estimate fits, synthesized, going
  // down until Yosys (and OpenSTA, for --max-power and --min-fmax) agree.
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
    if (a.max_power_mw > 0 && c->est_power_mw > a.max_power_mw * (1 + a.margin)) continue;
    if (!c->synthesized) synthesize({c}, jobs);
    if (c->synthesized && c->total_mm2 <= a.target_area_mm2 && (a.max_power_mw <= 0 || c->power_mw <= a.max_power_mw) &&
        c->fmax_mhz >= a.min_fmax_mhz) {
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
      c.rejected = fmt::format("fmax {:.0f} MHz (OpenSTA) < --min-fmax {:.0f}", c.fmax_mhz, a.min_fmax_mhz);
    } else if (a.max_power_mw > 0 && c.power_mw > a.max_power_mw) {
      c.rejected = fmt::format("power {:.1f} mW > --max-power {:.4g}", c.power_mw, a.max_power_mw);
    } else {
      c.rejected.clear();
      if (!best || better(a, c, *best, true)) best = &c;
    }
  }
  for (auto& c : cs)
    if (c.synthesized && best && c.rejected.empty() && &c != best) c.rejected = "fits, but " + best->id + " is better";

  write_report(a, cs, anchors, models_by_format, best, baseline, jobs, models.size(), t0);
  if (!a.out.empty()) {
    write_design(best->plan, a.out, "sharpgen explore");
    std::printf("generated %s\n", a.out.c_str());
  }
  return 0;
}

}  // namespace sharp::cli
