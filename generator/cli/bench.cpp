#include "bench.hpp"

#include "bench_energy.hpp"
#include "bench_memory.hpp"
#include "bench_streams.hpp"
#include "cli_util.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sharp/accesses.hpp"
#include "sharp/emit.hpp"
#include "sharp/error.hpp"
#include "sharp/process.hpp"
#include "sharp/sram_model.hpp"
#include "sharp/sta.hpp"
#include "sharp/svg_writer.hpp"
#include "sharp/synth.hpp"
#include "sharp/text_file.hpp"
#include "sharp/verify.hpp"

// examples/torch/cpu_latency.py of the source tree (set by generator/cli/CMakeLists.txt).
#ifndef SHARP_TORCH_LATENCY_SCRIPT
#define SHARP_TORCH_LATENCY_SCRIPT "examples/torch/cpu_latency.py"
#endif

namespace sharp::cli {

namespace fs = std::filesystem;
using nlohmann::json;

int width_for(int budget) {
  int k = 16;
  while (k * k < budget && k < 256) k *= 2;
  return k;
}

const std::vector<SuiteModel>& bench_suite() {
  static const std::vector<SuiteModel> s = {
      {"eesen", "speech recognition (CTC)", 4, true, {320, 320, 320, 320}, 120},
      {"deepspeech", "speech recognition", 1, false, {2048}, 2048},
      {"las-listener", "speech recognition", 3, true, {256, 256, 256}, 240},
      {"gnmt", "translation", 8, false, std::vector<int>(8, 1024), 1024},
      {"ptb-small", "language model", 2, false, {200, 200}, 200},
      {"ptb-medium", "language model", 2, false, {650, 650}, 650},
      {"ptb-large", "language model", 2, false, {1500, 1500}, 1500},
      {"awd-lstm", "language model", 3, false, {1150, 1150, 400}, 400},
      {"show-tell", "image captioning", 1, false, {512}, 512},
      {"imdb", "sentiment", 1, false, {128}, 128},
      {"seq2seq", "translation", 4, false, {1000, 1000, 1000, 1000}, 1000},
      {"odd-small", "adaptiveness probe", 1, false, {100}, 40},
  };
  return s;
}

std::vector<std::pair<int, int>> suite_layer_runs(const SuiteModel& m) {
  std::vector<std::pair<int, int>> r;
  int x = m.input;
  for (int l = 0; l < m.layers; ++l) {
    const int h = m.hidden[static_cast<size_t>(l)];
    for (int d = 0; d < (m.bidirectional ? 2 : 1); ++d) r.push_back({h, x});
    x = m.bidirectional ? 2 * h : h;
  }
  return r;
}

namespace {

using Model = SuiteModel;
const std::vector<Model>& suite() { return bench_suite(); }
std::vector<std::pair<int, int>> layer_runs(const Model& m) { return suite_layer_runs(m); }

// Sharp's array at a budget: widths k_max / 8 .. k_max, chosen per layer at run time.
// The bench's designs are typed configs (built-in defaults plus the fields below), checked by
// validate() like any config.
Plan typed_plan(Config c) {
  validate(c);
  return make_plan(c);
}

// The bench's designs hold one cell kind, --cell's: runs of kind -1 compute it, and useful MACs
// count its gate rows.
int cells_of(const BenchArgs& a) {
  Cell k = Cell::Lstm;
  if (!parse_cell(a.cell, &k))
    throw Error(
        fmt::format("bench: field '--cell': value '{}' is not allowed (one of lstm, gru, rnn_tanh, rnn_relu)", a.cell));
  return 1 << static_cast<int>(k);
}

Plan bench_plan(int budget, Schedule schedule, int max_h, int max_x, int weight_slots = 1, int streams = 1,
                int cells = 1) {
  Config c;
  c.cells = cells;
  c.weight_slots = weight_slots;
  c.streams = streams;
  c.macs = budget;
  c.k_max = width_for(budget);
  c.k_min = std::max(2, c.k_max / 8);
  c.max_hidden = max_h;
  c.max_input = max_x;
  c.schedule = schedule;
  c.unfold_depth = 2;
  c.name = fmt::format("bench{}_{}", budget, schedule_name(schedule));
  return typed_plan(c);
}

// E-PUR-like: four gate units each a dot-product unit of width N/4 (our array at the fixed
// width K = N/4: one neuron's four gate rows per cycle), steps strictly one after another.
Plan epur_plan(int budget, int cells) {
  Config c;
  c.cells = cells;
  c.macs = budget;
  c.k_max = c.k_min = budget / 4;
  c.max_hidden = c.max_input = 8192;
  c.schedule = Schedule::Sequential;
  c.act_lanes = 1;
  c.name = fmt::format("epur{}", budget);
  return typed_plan(c);
}

// BrainWave-like: native dimension ND (256, or N/4 when the budget is smaller), matrices padded
// to ND x ND tiles, ND-wide dot products over N / ND lanes, steps one after another.
int brainwave_nd(int budget) { return std::min(256, budget / 4); }
Plan brainwave_plan(int budget, int cells) {
  Config c;
  c.cells = cells;
  c.macs = budget;
  c.k_max = c.k_min = brainwave_nd(budget);
  c.max_hidden = c.max_input = 8192;
  c.schedule = Schedule::Intergate;
  c.name = fmt::format("brainwave{}", budget);
  return typed_plan(c);
}
int pad_to(int v, int m) { return (v + m - 1) / m * m; }

struct SchedRow {
  uint64_t cycles = 0, bound = 0;
  bool rtl = false;
};

std::string svg_plot(const json& rows, const std::vector<int>& budgets, const std::vector<std::string>& models) {
  namespace svg = sharp::svg;
  using svg::num;
  const char* sched[] = {"unfolded", "intergate", "sequential", "epur", "brainwave"};
  const char* label[] = {"Sharp (unfolded, planned K)", "intergate (same array)", "sequential (same array)",
                         "E-PUR-like", "BrainWave-like"};
  const char* color[] = {"#1f77b4", "#ff7f0e", "#7f7f7f", "#2ca02c", "#d62728"};
  const int NS = 5;
  const int bw = 9, group = NS * bw + 12, panel_w = static_cast<int>(models.size()) * group + 20, panel_h = 160;
  const int W = std::max(920, 110 + panel_w), Hh = 70 + static_cast<int>(budgets.size()) * (panel_h + 60);
  svg::Document doc;
  doc.line(svg::rect({{"width", "100%"}, {"height", "100%"}, {"fill", "white"}}));
  doc.line(svg::text({{"x", num(10)}, {"y", num(20)}, {"font-size", "14"}},
                     "Utilization per model and multiplier budget: Sharp against the baselines at the same budget"));
  for (int i = 0; i < NS; ++i)
    doc.line(
        svg::rect({{"x", num(90 + i * 160)}, {"y", num(30)}, {"width", "10"}, {"height", "10"}, {"fill", color[i]}}) +
        svg::text({{"x", num(104 + i * 160)}, {"y", num(39)}}, svg::escape(label[i])));
  for (size_t b = 0; b < budgets.size(); ++b) {
    const int y0 = 80 + static_cast<int>(b) * (panel_h + 60);
    doc.line(svg::text({{"x", num(90)}, {"y", num(y0 - 8)}, {"font-size", "12"}},
                       fmt::format("{} MACs (Sharp: widths up to {})", budgets[b], width_for(budgets[b]))));
    for (int g = 0; g <= 4; ++g) {
      const int y = y0 + panel_h - g * panel_h / 4;
      doc.line(
          svg::line({{"x1", num(80)}, {"x2", num(80 + panel_w)}, {"y1", num(y)}, {"y2", num(y)}, {"stroke", "#ddd"}}) +
          svg::text({{"x", num(60)}, {"y", num(y + 3)}}, fmt::format("{:.2f}", g / 4.0)));
    }
    for (size_t m = 0; m < models.size(); ++m) {
      const int x0 = 90 + static_cast<int>(m) * group;
      for (const auto& r : rows) {
        if (r["budget"] != budgets[b] || r["model"] != models[m]) continue;
        for (int i = 0; i < NS; ++i) {
          const double u = r[sched[i]]["utilization"].get<double>();
          const int h = static_cast<int>(std::lround(u * panel_h));
          doc.line(svg::rect({{"x", num(x0 + i * bw)},
                              {"y", num(y0 + panel_h - h)},
                              {"width", num(bw)},
                              {"height", num(h)},
                              {"fill", color[i]}}));
        }
      }
      const std::string at = num(x0) + " " + num(y0 + panel_h + 10);
      doc.line(svg::text(
          {{"x", num(x0)}, {"y", num(y0 + panel_h + 10)}, {"transform", "rotate(45 " + at + ")"}, {"font-size", "8"}},
          svg::escape(models[m])));
    }
  }
  return doc.str(W, Hh, {{"font-family", "sans-serif"}, {"font-size", "10"}}) + "\n";
}

// Area, fmax and power of each budget's Sharp design (Yosys + OpenSTA), then latency,
// throughput and energy of every row at that clock.
json run_estimates(const BenchArgs& a, json& rows) {
  json estimates = json::object();
  // The estimate design holds the largest layer of the models benched (H = 2048, X = 4096 for
  // the whole suite): its memories are sized, and estimated, for what those models need.
  int max_h = 1, max_x = 1;
  for (const auto& r : rows) {
    const auto it = std::find_if(suite().begin(), suite().end(), [&](const Model& m) { return m.name == r["model"]; });
    for (auto [h, x] : layer_runs(*it)) {
      max_h = std::max(max_h, h);
      max_x = std::max(max_x, x);
    }
  }
  std::map<int, Plan> est_plans;
  for (int budget : a.budgets) {
    const fs::path dir = fs::path(a.out) / "designs" / fmt::format("est_{}", budget);
    std::fprintf(stderr, "bench: estimating the %d-MAC design (%s)...\n", budget, dir.string().c_str());
    const auto te = std::chrono::steady_clock::now();
    const Plan& ep = est_plans.emplace(budget, bench_plan(budget, Schedule::Unfolded, max_h, max_x, 1, 1, cells_of(a)))
                         .first->second;
    write_design(ep, dir, "sharpgen bench --estimate");
    synth::Options so;
    so.design_dir = dir;
    so.work_dir = dir / "synth";
    if (!a.liberty.empty()) so.liberty = fs::path(a.liberty);
    so.verbose = true;
    const synth::Report area = synth::run(so);
    synth::StaOptions to;
    to.work_dir = dir / "sta";
    to.default_activity = a.activity;
    to.verbose = true;
    const synth::StaReport sr = synth::run_sta(area, to);
    long sram_bits = 0;
    for (const auto& m : ep.memories) sram_bits += m.bits();
    estimates[std::to_string(budget)] = {{"area_mm2", area.total_area_um2 / 1e6},
                                         {"logic_area_mm2", area.logic_area_um2 / 1e6},
                                         {"memory_area_mm2", area.memory_area_um2 / 1e6},
                                         {"sram_mb", static_cast<double>(sram_bits) / 8.0 / 1048576.0},
                                         {"sram_macros", ep.memories.size()},
                                         {"max_hidden", max_h},
                                         {"max_input", max_x},
                                         {"fmax_mhz", sr.fmax_mhz},
                                         {"critical_path_ns", sr.critical_path_ns},
                                         {"timing_method", sr.method},
                                         {"critical_module", sr.critical_module},
                                         {"timing_startpoint", sr.startpoint},
                                         {"timing_endpoint", sr.endpoint},
                                         {"boundary_critical_path_ns", sr.boundary_critical_path_ns},
                                         {"cut_critical_path_ns", sr.per_module_critical_path_ns},
                                         {"boundary_passes", sr.boundary_passes},
                                         {"boundary_converged", sr.boundary_converged},
                                         {"logic_dynamic_mw", sr.dynamic_mw},
                                         {"logic_leakage_mw", sr.leakage_mw},
                                         {"logic_clock_mw", sr.clock_mw},
                                         {"logic_components", logic_components(sr)},
                                         {"memory_leakage_mw", sr.memory_leakage_mw},
                                         {"activity", sr.activity_source},
                                         {"liberty", area.liberty_name}};
    std::fprintf(stderr, "bench: %d MACs estimated in %.0f s\n", budget, seconds_since(te));
  }
  const synth::SramModel& model = synth::default_sram_model();
  std::map<int, std::vector<synth::MacroFigures>> figs;
  for (const auto& [budget, ep] : est_plans)
    for (const auto& m : ep.memories) figs[budget].push_back(synth::macro_figures(model, m.depth, m.word_bits()));
  for (auto& r : rows) {
    const int budget = r["budget"].get<int>();
    const auto it = std::find_if(suite().begin(), suite().end(), [&](const Model& m) { return m.name == r["model"]; });
    r["estimate"] = row_energy(est_plans.at(budget), figs.at(budget), layer_runs(*it),
                               r["widths"].get<std::vector<int>>(), a.steps, r["unfolded"]["cycles"].get<uint64_t>(),
                               r["useful_macs"].get<uint64_t>(), estimates[std::to_string(budget)]);
  }
  return estimates;
}

// The terminal table and the mean utilization per budget; returns the worst unfolded
// measured/bound ratio and counts the pairs where unfolded is slower than a baseline.
double print_table(const BenchArgs& a, const json& rows, int& slower) {
  double worst_ratio = 0;
  slower = 0;
  // Terminal table.
  if (a.cell != "lstm")
    std::printf("every layer as a %s layer (designs with only that kind; util counts its gate rows)\n", a.cell.c_str());
  std::printf("%-13s %6s %-12s| %9s %6s %6s | %6s %6s | %6s %6s | %6s %6s | %7s %7s | %s\n", "model", "MACs",
              "K (layers)", "Sharp", "util", "/bound", "interg", "seq", "E-PUR", "/bound", "BW", "/bound", "vs EPUR",
              "vs BW", "source");
  for (const auto& r : rows) {
    const auto& u = r["unfolded"];
    worst_ratio = std::max(worst_ratio, u["over_bound"].get<double>());
    if (r["speedup_vs_sequential"].get<double>() < 1.0 || r["speedup_vs_intergate"].get<double>() < 1.0) ++slower;
    std::string k = r["k"].get<std::string>();
    if (k.size() > 11) k = k.substr(0, 10) + "+";
    std::printf("%-13s %6d %-12s| %9llu %6.3f %6.3f | %6.3f %6.3f | %6.3f %6.3f | %6.3f %6.3f | %6.2fx %6.2fx | %s\n",
                r["model"].get<std::string>().c_str(), r["budget"].get<int>(), k.c_str(),
                u["cycles"].get<unsigned long long>(), u["utilization"].get<double>(), u["over_bound"].get<double>(),
                r["intergate"]["utilization"].get<double>(), r["sequential"]["utilization"].get<double>(),
                r["epur"]["utilization"].get<double>(), r["epur"]["over_bound"].get<double>(),
                r["brainwave"]["utilization"].get<double>(), r["brainwave"]["over_bound"].get<double>(),
                r["speedup_vs_epur"].get<double>(), r["speedup_vs_brainwave"].get<double>(),
                u["source"].get<std::string>().c_str());
  }
  // Mean utilization per budget.
  std::printf("\nmean utilization per budget (Sharp / intergate / sequential / E-PUR-like / BrainWave-like):\n");
  for (int b : a.budgets) {
    double sum[5] = {0, 0, 0, 0, 0};
    int n = 0;
    const char* keys[] = {"unfolded", "intergate", "sequential", "epur", "brainwave"};
    for (const auto& r : rows)
      if (r["budget"] == b) {
        for (int i = 0; i < 5; ++i) sum[i] += r[keys[i]]["utilization"].get<double>();
        ++n;
      }
    if (n)
      std::printf("  %6d MACs: %.3f / %.3f / %.3f / %.3f / %.3f\n", b, sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n,
                  sum[4] / n);
  }
  return worst_ratio;
}

// The estimates per budget and per row.
void print_estimates(const BenchArgs& a, const json& rows, const json& estimates) {
  std::printf(
      "\nestimates (Sharp, unfolded schedule; Yosys + OpenSTA, liberty %s; logic mW: every net at %.2f "
      "toggles/cycle, every block busy; SRAM from the SRAM model; at fmax):\n",
      estimates.begin().value()["liberty"].get<std::string>().c_str(), a.activity);
  std::printf("  %6s %9s %9s %9s %8s %9s %11s %11s %11s  %s\n", "MACs", "area mm2", "SRAM mm2", "SRAM MB", "macros",
              "fmax MHz", "logic mW", "logic leak", "SRAM leak", "timing");
  for (int b : a.budgets) {
    const json& e = estimates[std::to_string(b)];
    std::printf("  %6d %9.3f %9.3f %9.2f %8zu %9.1f %11.1f %11.2f %11.1f  %s (%s)\n", b, e["area_mm2"].get<double>(),
                e["memory_area_mm2"].get<double>(), e["sram_mb"].get<double>(), e["sram_macros"].get<size_t>(),
                e["fmax_mhz"].get<double>(), e["logic_dynamic_mw"].get<double>(), e["logic_leakage_mw"].get<double>(),
                e["memory_leakage_mw"].get<double>(), e["timing_method"].get<std::string>().c_str(),
                e["critical_module"].get<std::string>().c_str());
  }
  print_energy_table(rows);
}

// ---- torch.nn.LSTM on this machine: what a user would run instead ----

// The shapes examples/torch/cpu_latency.py times: every layer of every model, T = --steps.
json torch_shapes(const BenchArgs& a, const std::vector<const Model*>& models) {
  json ms = json::array();
  for (const auto* m : models) {
    json layers = json::array();
    int x = m->input;
    for (int l = 0; l < m->layers; ++l) {
      const int h = m->hidden[static_cast<size_t>(l)];
      layers.push_back({{"hidden", h}, {"input", x}, {"bidirectional", m->bidirectional}});
      x = m->bidirectional ? 2 * h : h;
    }
    ms.push_back({{"name", m->name}, {"layers", layers}});
  }
  return {{"steps", a.steps}, {"repeats", a.torch_repeats}, {"warmup", a.torch_warmup},
          {"seed", a.seed},   {"threads", a.torch_threads}, {"cell", a.cell},
          {"models", ms}};
}

// The script's result, checked to hold every field the table reads: a positive latency for
// every model asked for (CPU, and GPU where one was used), threads, version, method.
json read_torch_result(const fs::path& file, const std::vector<const Model*>& models) {
  json j = json::parse(read_text(file, "torch latency result"));
  const json& ms = j.at("models");
  const bool gpu = j.at("gpu").at("available").get<bool>();
  if (!gpu) j.at("gpu").at("skipped").get<std::string>();
  if (ms.size() != models.size()) throw Error("the result has a different number of models");
  for (size_t i = 0; i < models.size(); ++i) {
    if (ms[i].at("name").get<std::string>() != models[i]->name ||
        !(ms[i].at("cpu").at("median_us").get<double>() > 0) ||
        (gpu && !(ms[i].at("gpu").at("median_us").get<double>() > 0)))
      throw Error(fmt::format("no positive latency for {}", models[i]->name));
  }
  if (j.at("threads").get<int>() < 1 || j.at("repeats").get<int>() < 1 || j.at("warmup").get<int>() < 0)
    throw Error("bad threads, repeats or warm-up count");
  j.at("torch_version").get<std::string>();
  j.at("cpu").get<std::string>();
  j.at("method").get<std::string>();
  return j;
}

// torch.nn.LSTM's latency per sequence (examples/torch/cpu_latency.py, run once): the script's
// JSON plus the interpreter used, or {"skipped": one-line reason}. Never throws: a missing
// interpreter, a missing torch or a failing script only skips the comparison.
json run_torch(const BenchArgs& a, const std::vector<const Model*>& models) {
  if (!a.torch) return {{"skipped", "--no-torch"}};
  const fs::path script = SHARP_TORCH_LATENCY_SCRIPT;
  std::error_code ec;
  if (!fs::is_regular_file(script, ec)) return {{"skipped", fmt::format("{} not found", script.string())}};
  const fs::path shapes = fs::path(a.out) / "torch_shapes.json", result = fs::path(a.out) / "torch_latency.json";
  std::vector<std::string> candidates = {a.python};
  if (a.python.empty()) candidates = {"python3", "/usr/bin/python3"};
  std::string reasons;
  std::vector<fs::path> tried;
  for (const auto& c : candidates) {
    const auto exe = find_executable(c);
    std::string why;
    if (!exe) {
      why = c.find('/') == std::string::npos ? fmt::format("no {} on PATH", c) : fmt::format("{} not found", c);
    } else if (std::find(tried.begin(), tried.end(), fs::weakly_canonical(*exe, ec)) != tried.end()) {
      continue;
    } else {
      tried.push_back(fs::weakly_canonical(*exe, ec));
      std::fprintf(stderr, "bench: timing torch.nn.LSTM with %s (%s)...\n", exe->c_str(), script.c_str());
      const auto t0 = std::chrono::steady_clock::now();
      try {
        write_text(shapes, torch_shapes(a, models).dump(2) + "\n");
        fs::remove(result, ec);
        const ChildResult r = run_child({exe->string(), script.string(), shapes.string(), "--out", result.string()},
                                        [](const std::string& l) { std::fprintf(stderr, "bench: %s\n", l.c_str()); });
        if (r.ok()) {
          json j = read_torch_result(result, models);
          j["python_exe"] = exe->string();
          j["script"] = script.string();
          std::fprintf(stderr, "bench: torch.nn.LSTM timed in %.0f s\n", seconds_since(t0));
          return j;
        }
        const std::string last = r.tail.empty() ? "" : r.tail.back();
        why = fmt::format("{}: {}", exe->string(),
                          !last.empty() ? last
                          : r.signal    ? fmt::format("killed by signal {}", r.signal)
                                        : fmt::format("exit status {}", r.exit_code));
      } catch (const std::exception& e) {
        why = fmt::format("{}: {}", exe->string(), e.what());
      }
    }
    reasons += (reasons.empty() ? "" : "; ") + why;
  }
  return {{"skipped", reasons}};
}

// The bench row of (model, budget): Sharp's unfolded cycles per sequence and, with --estimate,
// its latency at fmax.
const json* find_row(const json& rows, const std::string& model, int budget) {
  for (const auto& r : rows)
    if (r["model"] == model && r["budget"] == budget) return &r;
  return nullptr;
}

// The terminal table: torch.nn.LSTM per sequence next to Sharp's cycles (and µs at fmax).
void print_torch(const BenchArgs& a, const json& rows, const json& t) {
  const std::string module = std::string("torch.nn.") + (a.cell == "lstm" ? "LSTM" : a.cell == "gru" ? "GRU" : "RNN");
  if (t.contains("skipped")) {
    std::printf("\n%s comparison: skipped (%s)\n", module.c_str(), t["skipped"].get<std::string>().c_str());
    return;
  }
  const bool gpu = t["gpu"]["available"].get<bool>();
  const int threads = t["threads"].get<int>();
  std::printf(
      "\n%s (what a user would run instead) against Sharp (unfolded), per sequence of T = %d, every "
      "layer and direction:\n  torch %s, %s; float32, batch 1, median of %d runs after %d warm-up run(s)\n"
      "  CPU: %s, %d thread%s (torch.get_num_threads())\n",
      module.c_str(), a.steps, t["torch_version"].get<std::string>().c_str(),
      t["python_exe"].get<std::string>().c_str(), t["repeats"].get<int>(), t["warmup"].get<int>(),
      t["cpu"].get<std::string>().c_str(), threads, threads == 1 ? "" : "s");
  if (gpu)
    std::printf("  GPU: %s (torch.cuda.synchronize() around each run)\n", t["gpu"]["name"].get<std::string>().c_str());
  else
    std::printf("  GPU: skipped (%s)\n", t["gpu"]["skipped"].get<std::string>().c_str());
  const int largest = *std::max_element(a.budgets.begin(), a.budgets.end());
  // Two header lines: the group, then the column (one per budget in the Sharp groups).
  const std::string cyc_label = "Sharp cycles/seq at MACs", us_label = "Sharp us/seq at fmax";
  const size_t nb = a.budgets.size();
  const int cyc_w = static_cast<int>(std::max(nb * 10, cyc_label.size()));
  const int us_w = static_cast<int>(std::max(nb * 9, us_label.size()));
  const std::string cpu_col = fmt::format("CPU us ({} thread{})", threads, threads == 1 ? "" : "s");
  std::string head1 = fmt::format("{:<13} | {:>18}", "", module);
  std::string head2 = fmt::format("{:<13} | {:>18}", "model", cpu_col);
  if (gpu) {
    head1 += fmt::format(" | {:>10}", "");
    head2 += fmt::format(" | {:>10}", "GPU us");
  }
  std::string cyc_cols, us_cols;
  for (int b : a.budgets) {
    cyc_cols += fmt::format(" {:>9}", b);
    us_cols += fmt::format(" {:>8}", b);
  }
  head1 += fmt::format(" | {:>{}}", cyc_label, cyc_w);
  head2 += fmt::format(" | {:>{}}", cyc_cols, cyc_w);
  if (a.estimate) {
    head1 += fmt::format(" | {:>{}} | {:>13}", us_label, us_w, "CPU / Sharp");
    head2 += fmt::format(" | {:>{}} | {:>13}", us_cols, us_w, fmt::format("at {}", largest));
  }
  std::printf("%s\n%s\n", head1.c_str(), head2.c_str());
  for (const auto& m : t["models"]) {
    const std::string name = m["name"].get<std::string>();
    const double cpu = m["cpu"]["median_us"].get<double>();
    std::string line = fmt::format("{:<13} | {:>18.1f}", name, cpu);
    if (gpu) line += fmt::format(" | {:>10.1f}", m["gpu"]["median_us"].get<double>());
    std::string cyc, us;
    for (int b : a.budgets) {
      const json& r = *find_row(rows, name, b);
      cyc += fmt::format(" {:>9}", r["unfolded"]["cycles"].get<uint64_t>());
      if (a.estimate) us += fmt::format(" {:>8.1f}", r["estimate"]["latency_us"].get<double>());
    }
    line += fmt::format(" | {:>{}}", cyc, cyc_w);
    if (a.estimate) {
      const double at_largest = (*find_row(rows, name, largest))["estimate"]["latency_us"].get<double>();
      line += fmt::format(" | {:>{}} | {:>13}", us, us_w,
                          at_largest > 0 ? fmt::format("{:.1f}x", cpu / at_largest) : std::string("-"));
    }
    std::printf("%s\n", line.c_str());
  }
  if (!a.estimate) std::printf("  (Sharp's latency in us needs an fmax: add --estimate)\n");
}

// bench.csv's second table (after a blank line), one line per (model, budget); empty when skipped.
std::string torch_csv(const BenchArgs& a, const json& rows, const json& t, const json& estimates) {
  if (t.contains("skipped")) return "";
  const bool gpu = t["gpu"]["available"].get<bool>();
  std::string csv =
      "\nmodel,steps,budget,torch_cpu_us,torch_cpu_threads,torch_gpu_us,sharp_cycles,sharp_fmax_mhz,sharp_us\n";
  for (const auto& m : t["models"]) {
    const std::string name = m["name"].get<std::string>();
    for (int b : a.budgets) {
      const json& r = *find_row(rows, name, b);
      const std::string fmax =
          a.estimate ? fmt::format("{:.1f}", estimates[std::to_string(b)]["fmax_mhz"].get<double>()) : "";
      const std::string us = a.estimate ? fmt::format("{:.2f}", r["estimate"]["latency_us"].get<double>()) : "";
      csv += fmt::format("{},{},{},{:.1f},{},{},{},{},{}\n", name, a.steps, b, m["cpu"]["median_us"].get<double>(),
                         t["threads"].get<int>(),
                         gpu ? fmt::format("{:.1f}", m["gpu"]["median_us"].get<double>()) : std::string(),
                         r["unfolded"]["cycles"].get<uint64_t>(), fmax, us);
    }
  }
  return csv;
}

}  // namespace

namespace {

void check_bench_args(const BenchArgs& a) {
  for (int b : a.budgets)
    if (b < 256 || b > 65536 || (b & (b - 1)))
      throw Error(
          fmt::format("bench: field '--budgets': value {} is not allowed (powers of two from 256 to 65536)", b));
  if (!a.liberty.empty() && !a.estimate) throw Error("bench: field '--liberty': only used with --estimate");
  if (!a.liberty.empty() && !fs::is_regular_file(a.liberty))
    throw Error(
        fmt::format("bench: field '--liberty': file '{}' does not exist (give a Liberty .lib file)", a.liberty));
}

// The memory figures of every row at its budget's fmax (--estimate) or at --clock-mhz, and with
// --estimate the energy per inference with the weights streamed.
void add_memory_figures(const BenchArgs& a, const json& estimates, std::vector<MemoryRowInput>& in, json& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string b = std::to_string(rows[i]["budget"].get<int>());
    in[i].clock_mhz = a.estimate ? estimates[b]["fmax_mhz"].get<double>() : a.clock_mhz;
    in[i].clock_source = a.estimate ? "fmax (OpenSTA, --estimate)" : "--clock-mhz";
    rows[i]["memory"] = memory_row(in[i]);
    if (a.estimate)
      rows[i]["estimate"]["streamed"] = streamed_energy(rows[i], estimates[b]["logic_leakage_mw"].get<double>(),
                                                        estimates[b]["memory_leakage_mw"].get<double>(),
                                                        estimates[b]["logic_clock_mw"].get<double>());
  }
}

}  // namespace

namespace {
// The suite's models that --models names (all without it); an unknown name is an error.
std::vector<const Model*> selected_models(const BenchArgs& a) {
  std::vector<const Model*> models;
  for (const auto& m : suite())
    if (a.models.empty() || std::find(a.models.begin(), a.models.end(), m.name) != a.models.end()) models.push_back(&m);
  for (const auto& n : a.models)
    if (std::none_of(suite().begin(), suite().end(), [&](const Model& m) { return m.name == n; })) {
      std::string allowed;
      for (const auto& m : suite()) allowed += (allowed.empty() ? "" : ", ") + m.name;
      throw Error(fmt::format("bench: field '--models': value '{}' is not allowed (one of {})", n, allowed));
    }
  return models;
}

// The streams section: Sharp's design at each budget with room for the largest batch (a power
// of two), every model at every batch size.
json run_streams(const BenchArgs& a, const json& estimates, const std::vector<const Model*>& models) {
  std::map<int, Plan> plans;
  StreamsInput si;
  si.budgets = a.budgets;
  si.batches = a.batches;
  si.steps = a.steps;
  int smax = 1;
  while (smax < *std::max_element(a.batches.begin(), a.batches.end())) smax *= 2;
  for (int b : a.budgets) {
    plans.emplace(b, bench_plan(b, Schedule::Unfolded, 2048, 4096, 1, smax, cells_of(a)));
    si.plans[b] = &plans.at(b);
    si.clock_mhz[b] = a.estimate ? estimates[std::to_string(b)]["fmax_mhz"].get<double>() : a.clock_mhz;
  }
  si.clock_source = a.estimate ? "fmax (OpenSTA, --estimate)" : fmt::format("--clock-mhz {}", a.clock_mhz);
  for (const auto* m : models) si.models.push_back({m->name, layer_runs(*m), m->bidirectional});
  return streams_section(si);
}
}  // namespace

int cmd_bench(const BenchArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<const Model*> models = selected_models(a);
  check_bench_args(a);
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) throw Error(fmt::format("bench: field '--out': cannot create '{}' ({})", a.out, ec.message()));

  // RTL: small designs (max H = X = 512) for budgets up to 1K, simulated while the time allows.
  const int rtl_max = 512;
  std::map<std::string, fs::path> rtl_exe;
  std::map<std::string, Design> rtl_design;
  double rtl_spent = 0;
  const char* scheds[] = {"unfolded", "intergate", "sequential"};
  const std::map<std::string, Schedule> sched_of = {
      {"unfolded", Schedule::Unfolded}, {"intergate", Schedule::Intergate}, {"sequential", Schedule::Sequential}};

  json rows = json::array();
  std::vector<std::string> model_names;
  for (const auto* m : models) model_names.push_back(m->name);
  const size_t total = models.size() * a.budgets.size();
  size_t done = 0;
  std::vector<double> sp_seq, sp_int;
  std::string csv = "model,budget,widths,design,cycles,bound,measured_over_bound,utilization,source\n";
  std::vector<double> sp_epur, sp_bw;
  // Sharp's design at each budget with 2 weight slots (the memory figures: streamed weights).
  std::map<int, Plan> slots2;
  std::vector<MemoryRowInput> mem_in;
  for (int budget : a.budgets) {
    slots2.emplace(budget, bench_plan(budget, Schedule::Unfolded, 2048, 4096, 2, 1, cells_of(a)));
    std::map<std::string, Plan> plans;
    for (const char* s : scheds) plans.emplace(s, bench_plan(budget, sched_of.at(s), 2048, 4096, 1, 1, cells_of(a)));
    const Plan epur = epur_plan(budget, cells_of(a)), bw = brainwave_plan(budget, cells_of(a));
    const int nd = brainwave_nd(budget);
    for (const auto* m : models) {
      ++done;
      const auto runs = layer_runs(*m);
      uint64_t macs = 0;
      for (auto [h, x] : runs) macs += useful_macs(plans.at("unfolded"), {h, x, a.steps, 0});
      // The planner's width for every layer (Sharp's array; the same width for the
      // same-array baselines, so only the schedule differs).
      std::vector<int> widths;
      for (auto [h, x] : runs) widths.push_back(choose_width(plans.at("unfolded"), h, x, a.steps).width);
      // RTL simulation: only where the whole model fits the small design and the budget allows.
      bool fits_rtl = budget <= 1024 && a.rtl_budget_s > 0;
      for (auto [h, x] : runs) fits_rtl = fits_rtl && h <= rtl_max && x <= rtl_max;
      uint64_t est_cycles = 0;
      for (size_t i = 0; i < runs.size(); ++i)
        est_cycles += predict_cycles(plans.at("sequential"), {runs[i].first, runs[i].second, a.steps, widths[i]});
      // Verilator runs this array at roughly 1e8 / budget cycles per second, three schedules.
      double est_s = 3.0 * static_cast<double>(est_cycles) * budget / 1e8 + 3.0 * runs.size() * 0.5;
      // A simulator not built yet costs its Verilator build too (about 10 s + N / 50 s each).
      if (!rtl_design.count(fmt::format("{}_unfolded", budget))) est_s += 3.0 * (10.0 + budget / 50.0);
      const bool use_rtl = fits_rtl && rtl_spent + est_s <= a.rtl_budget_s;
      std::string wlist;
      for (int w : widths) wlist += (wlist.empty() ? "" : "/") + std::to_string(w);
      json row = {{"model", m->name}, {"budget", budget}, {"k", wlist}, {"widths", widths}, {"useful_macs", macs}};
      // The exhaustive sweep the planner's choice is checked against: every layer at every
      // width of Sharp's array, cycles from the cycle model (exact against the RTL).
      json sweep = json::array();
      for (auto [h, x] : runs) {
        json per_width = json::object();
        for (int w : plans.at("unfolded").widths())
          per_width[std::to_string(w)] = predict_cycles(plans.at("unfolded"), {h, x, a.steps, w});
        sweep.push_back(per_width);
      }
      row["width_sweep"] = sweep;
      std::map<std::string, SchedRow> res;
      MemoryRowInput mi;
      mi.plan = &slots2.at(budget);
      mi.units = runs;
      mi.widths = widths;
      mi.steps = a.steps;
      for (const char* s : scheds) {
        SchedRow r;
        for (size_t li = 0; li < runs.size(); ++li) {
          const auto [h, x] = runs[li];
          const RunShape shape{h, x, a.steps, widths[li]};
          const uint64_t model_cycles = predict_cycles(plans.at(s), shape);
          if (std::string(s) == "unfolded") mi.cycles.push_back(model_cycles);
          r.bound += dependency_bound(plans.at(s), shape);
          if (use_rtl) {
            const std::string key = fmt::format("{}_{}", budget, s);
            if (!rtl_design.count(key)) {
              const fs::path dir = fs::path(a.out) / "designs" / key;
              const Plan rp = bench_plan(budget, sched_of.at(s), rtl_max, rtl_max, 1, 1, cells_of(a));
              std::fprintf(stderr, "\nbench: building the RTL simulator for %d MACs, %s...\n", budget, s);
              const auto tb = std::chrono::steady_clock::now();
              write_design(rp, dir, "sharpgen bench");
              rtl_design.emplace(key, load_design(dir));
              rtl_exe.emplace(key, build_simulator(rtl_design.at(key), SimBuildOptions{}));
              rtl_spent += seconds_since(tb);
            }
            const auto ts = std::chrono::steady_clock::now();
            SimOptions so;
            so.seed = a.seed;
            so.work = fs::path(a.out) / "runs" / key;
            const CaseResult cr = run_case(rtl_design.at(key), rtl_exe.at(key), shape, a.seed, so);
            rtl_spent += seconds_since(ts);
            if (!cr.bit_exact || cr.cycles != model_cycles)
              throw Error(
                  fmt::format("bench: RTL and cycle model disagree or not bit-exact for {} H={} X={} K={} at "
                              "{} MACs ({}): rtl {} cycles, model {}, mismatches {}",
                              m->name, h, x, widths[li], budget, s, cr.cycles, model_cycles, cr.mismatches));
            r.cycles += cr.cycles;
            r.rtl = true;
          } else {
            r.cycles += model_cycles;
          }
        }
        res[s] = r;
      }
      // The other organizations, from the cycle model of their own arrays.
      for (auto [h, x] : runs) {
        const RunShape e{h, x, a.steps, 0};
        res["epur"].cycles += predict_cycles(epur, e);
        res["epur"].bound += dependency_bound(epur, e);
        const RunShape b{pad_to(h, nd), pad_to(x, nd), a.steps, 0};
        res["brainwave"].cycles += predict_cycles(bw, b);
        res["brainwave"].bound += dependency_bound(bw, b);
      }
      for (const char* s : {"unfolded", "intergate", "sequential", "epur", "brainwave"}) {
        const SchedRow& r = res[s];
        const double util = static_cast<double>(macs) / (static_cast<double>(budget) * r.cycles);
        row[s] = {{"cycles", r.cycles},
                  {"bound", r.bound},
                  {"over_bound", static_cast<double>(r.cycles) / r.bound},
                  {"utilization", util},
                  {"source", r.rtl ? "rtl" : "model"}};
        csv += fmt::format("{},{},{},{},{},{},{:.4f},{:.4f},{}\n", m->name, budget, wlist, s, r.cycles, r.bound,
                           static_cast<double>(r.cycles) / r.bound, util, r.rtl ? "rtl" : "model");
      }
      auto speedup = [&](const char* base) {
        return static_cast<double>(res[base].cycles) / static_cast<double>(res["unfolded"].cycles);
      };
      row["speedup_vs_sequential"] = speedup("sequential");
      row["speedup_vs_intergate"] = speedup("intergate");
      row["speedup_vs_epur"] = speedup("epur");
      row["speedup_vs_brainwave"] = speedup("brainwave");
      sp_seq.push_back(speedup("sequential"));
      sp_int.push_back(speedup("intergate"));
      sp_epur.push_back(speedup("epur"));
      sp_bw.push_back(speedup("brainwave"));
      rows.push_back(row);
      mem_in.push_back(std::move(mi));
      std::fprintf(stderr, "\rbench: %zu/%zu (%s, %d MACs)%-20s", done, total, m->name.c_str(), budget, "");
    }
  }
  std::fprintf(stderr, "\n");

  const json estimates = a.estimate ? run_estimates(a, rows) : json::object();
  add_memory_figures(a, estimates, mem_in, rows);
  const json streams = run_streams(a, estimates, models);
  const json torch = run_torch(a, models);

  int slower = 0;
  const double worst_ratio = print_table(a, rows, slower);
  const double g_seq = geomean(sp_seq), g_int = geomean(sp_int), g_epur = geomean(sp_epur), g_bw = geomean(sp_bw);
  std::printf(
      "geometric-mean speedup of Sharp: %.3fx over E-PUR-like, %.3fx over BrainWave-like; "
      "%.3fx over sequential, %.3fx over intergate on its own array (%zu pairs)\n",
      g_epur, g_bw, g_seq, g_int, rows.size());
  std::printf("worst unfolded measured/bound: %.3f; pairs where unfolded is slower than a baseline: %d\n", worst_ratio,
              slower);
  std::printf("RTL-simulated rows agree with the cycle model exactly (checked); RTL time %.0f s, total %.0f s\n",
              rtl_spent, seconds_since(t0));

  if (a.estimate) print_estimates(a, rows, estimates);
  print_memory_table(rows);
  print_streams_table(streams);
  print_torch(a, rows, torch);

  const json report = {{"steps", a.steps},
                       {"cell", a.cell},
                       {"budgets", a.budgets},
                       {"rows", rows},
                       {"geomean_speedup_vs_sequential", g_seq},
                       {"geomean_speedup_vs_intergate", g_int},
                       {"geomean_speedup_vs_epur", g_epur},
                       {"geomean_speedup_vs_brainwave", g_bw},
                       {"worst_over_bound", worst_ratio},
                       {"pairs_slower_than_a_baseline", slower},
                       {"estimates", estimates},
                       {"streams", streams},
                       {"torch", torch}};
  write_text(fs::path(a.out) / "bench.json", report.dump(2) + "\n");
  write_text(fs::path(a.out) / "bench.csv", csv + memory_csv(rows) + (a.estimate ? energy_csv(rows) : "") +
                                                streams_csv(streams) + torch_csv(a, rows, torch, estimates));
  write_text(fs::path(a.out) / "utilization.svg", svg_plot(rows, a.budgets, model_names));
  write_text(fs::path(a.out) / "roofline.svg", roofline_svg(rows, a.budgets));
  if (a.estimate) write_text(fs::path(a.out) / "energy.svg", energy_svg(rows, a.budgets));
  std::printf("wrote %s/bench.json, bench.csv, utilization.svg, roofline.svg%s\n", a.out.c_str(),
              a.estimate ? ", energy.svg" : "");
  return 0;
}

}  // namespace sharp::cli
