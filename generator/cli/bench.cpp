#include "bench.hpp"

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

#include "sharp/emit.hpp"
#include "sharp/error.hpp"
#include "sharp/sta.hpp"
#include "sharp/svg_writer.hpp"
#include "sharp/synth.hpp"
#include "sharp/text_file.hpp"
#include "sharp/verify.hpp"

namespace sharp::cli {

namespace fs = std::filesystem;
using nlohmann::json;

int width_for(int budget) {
  int k = 16;
  while (k * k < budget && k < 256) k *= 2;
  return k;
}

namespace {

// The suite of BENCHMARKS.md: public LSTM architectures, dimensions per layer.
struct Model {
  std::string name, task;
  int layers;
  bool bidirectional;
  std::vector<int> hidden;  // per layer
  int input;                // of layer 1
};
const std::vector<Model>& suite() {
  static const std::vector<Model> s = {
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

// Every layer run of a model: (H, X), a reverse direction being one more run of the same shape.
std::vector<std::pair<int, int>> layer_runs(const Model& m) {
  std::vector<std::pair<int, int>> r;
  int x = m.input;
  for (int l = 0; l < m.layers; ++l) {
    const int h = m.hidden[static_cast<size_t>(l)];
    for (int d = 0; d < (m.bidirectional ? 2 : 1); ++d) r.push_back({h, x});
    x = m.bidirectional ? 2 * h : h;
  }
  return r;
}

// Sharp's array at a budget: widths k_max / 8 .. k_max, chosen per layer at run time.
// The bench's designs are typed configs (built-in defaults plus the fields below), checked by
// validate() like any config.
Plan typed_plan(Config c) {
  validate(c);
  return make_plan(c);
}

Plan bench_plan(int budget, Schedule schedule, int max_h, int max_x) {
  Config c;
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
Plan epur_plan(int budget) {
  Config c;
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
Plan brainwave_plan(int budget) {
  Config c;
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

// Area, fmax and power of each budget's Sharp design (Yosys + OpenSTA), then latency and
// throughput of every row at that clock.
json run_estimates(const BenchArgs& a, json& rows) {
  json estimates = json::object();
  // Estimates: area, fmax and power of each budget's Sharp design, then latency and throughput
  // of every row at that clock.
  for (int budget : a.budgets) {
    const fs::path dir = fs::path(a.out) / "designs" / fmt::format("est_{}", budget);
    std::fprintf(stderr, "bench: estimating the %d-MAC design (%s)...\n", budget, dir.string().c_str());
    const auto te = std::chrono::steady_clock::now();
    write_design(bench_plan(budget, Schedule::Unfolded, 2048, 4096), dir, "sharpgen bench --estimate");
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
    estimates[std::to_string(budget)] = {{"area_mm2", area.total_area_um2 / 1e6},
                                         {"logic_area_mm2", area.logic_area_um2 / 1e6},
                                         {"fmax_mhz", sr.fmax_mhz},
                                         {"timing_method", sr.method},
                                         {"critical_module", sr.critical_module},
                                         {"power_mw", sr.total_mw},
                                         {"logic_dynamic_mw", sr.dynamic_mw},
                                         {"leakage_mw", sr.leakage_mw + sr.memory_leakage_mw},
                                         {"memory_dynamic_mw", sr.memory_dynamic_mw},
                                         {"activity", sr.activity_source},
                                         {"liberty", area.liberty_name}};
    std::fprintf(stderr, "bench: %d MACs estimated in %.0f s\n", budget, seconds_since(te));
  }
  for (auto& r : rows) {
    const json& e = estimates[std::to_string(r["budget"].get<int>())];
    const double f_hz = e["fmax_mhz"].get<double>() * 1e6;
    const double cycles = static_cast<double>(r["unfolded"]["cycles"].get<uint64_t>());
    const double latency_s = f_hz > 0 ? cycles / f_hz : 0;
    const double gops =
        latency_s > 0 ? 2.0 * static_cast<double>(r["useful_macs"].get<uint64_t>()) / latency_s / 1e9 : 0;
    const double watts = e["power_mw"].get<double>() / 1e3;
    r["estimate"] = {{"latency_us", latency_s * 1e6}, {"gops", gops}, {"gops_per_w", watts > 0 ? gops / watts : 0}};
  }
  return estimates;
}

// The terminal table and the mean utilization per budget; returns the worst unfolded
// measured/bound ratio and counts the pairs where unfolded is slower than a baseline.
double print_table(const BenchArgs& a, const json& rows, int& slower) {
  double worst_ratio = 0;
  slower = 0;
  // Terminal table.
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
      "\nestimates (Sharp, unfolded schedule; Yosys + OpenSTA, liberty %s, every net at %.2f toggles/cycle, "
      "power at fmax):\n",
      estimates.begin().value()["liberty"].get<std::string>().c_str(), a.activity);
  std::printf("  %6s %9s %9s %10s  %s\n", "MACs", "area mm2", "fmax MHz", "power mW", "timing");
  for (int b : a.budgets) {
    const json& e = estimates[std::to_string(b)];
    std::printf("  %6d %9.3f %9.1f %10.1f  %s (%s)\n", b, e["area_mm2"].get<double>(), e["fmax_mhz"].get<double>(),
                e["power_mw"].get<double>(), e["timing_method"].get<std::string>().c_str(),
                e["critical_module"].get<std::string>().c_str());
  }
  std::printf("\n%-13s %6s | %12s %10s %10s\n", "model", "MACs", "latency us", "GOP/s", "GOP/s/W");
  for (const auto& r : rows) {
    const auto& e = r["estimate"];
    std::printf("%-13s %6d | %12.2f %10.1f %10.1f\n", r["model"].get<std::string>().c_str(), r["budget"].get<int>(),
                e["latency_us"].get<double>(), e["gops"].get<double>(), e["gops_per_w"].get<double>());
  }
}

double geomean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += std::log(x);
  return v.empty() ? 0.0 : std::exp(s / static_cast<double>(v.size()));
}

}  // namespace

int cmd_bench(const BenchArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<const Model*> models;
  for (const auto& m : suite())
    if (a.models.empty() || std::find(a.models.begin(), a.models.end(), m.name) != a.models.end()) models.push_back(&m);
  for (const auto& n : a.models)
    if (std::none_of(suite().begin(), suite().end(), [&](const Model& m) { return m.name == n; })) {
      std::string allowed;
      for (const auto& m : suite()) allowed += (allowed.empty() ? "" : ", ") + m.name;
      throw Error(fmt::format("bench: field '--models': value '{}' is not allowed (one of {})", n, allowed));
    }
  for (int b : a.budgets)
    if (b < 256 || b > 65536 || (b & (b - 1)))
      throw Error(
          fmt::format("bench: field '--budgets': value {} is not allowed (powers of two from 256 to 65536)", b));
  if (!a.liberty.empty() && !a.estimate) throw Error("bench: field '--liberty': only used with --estimate");
  if (!a.liberty.empty() && !fs::is_regular_file(a.liberty))
    throw Error(
        fmt::format("bench: field '--liberty': file '{}' does not exist (give a Liberty .lib file)", a.liberty));
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
  for (int budget : a.budgets) {
    std::map<std::string, Plan> plans;
    for (const char* s : scheds) plans.emplace(s, bench_plan(budget, sched_of.at(s), 2048, 4096));
    const Plan epur = epur_plan(budget), bw = brainwave_plan(budget);
    const int nd = brainwave_nd(budget);
    for (const auto* m : models) {
      ++done;
      const auto runs = layer_runs(*m);
      uint64_t macs = 0;
      for (auto [h, x] : runs) macs += useful_macs({h, x, a.steps, 0});
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
      for (const char* s : scheds) {
        SchedRow r;
        for (size_t li = 0; li < runs.size(); ++li) {
          const auto [h, x] = runs[li];
          const RunShape shape{h, x, a.steps, widths[li]};
          const uint64_t model_cycles = predict_cycles(plans.at(s), shape);
          r.bound += dependency_bound(plans.at(s), shape);
          if (use_rtl) {
            const std::string key = fmt::format("{}_{}", budget, s);
            if (!rtl_design.count(key)) {
              const fs::path dir = fs::path(a.out) / "designs" / key;
              const Plan rp = bench_plan(budget, sched_of.at(s), rtl_max, rtl_max);
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
      std::fprintf(stderr, "\rbench: %zu/%zu (%s, %d MACs)%-20s", done, total, m->name.c_str(), budget, "");
    }
  }
  std::fprintf(stderr, "\n");

  const json estimates = a.estimate ? run_estimates(a, rows) : json::object();

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

  const json report = {{"steps", a.steps},
                       {"budgets", a.budgets},
                       {"rows", rows},
                       {"geomean_speedup_vs_sequential", g_seq},
                       {"geomean_speedup_vs_intergate", g_int},
                       {"geomean_speedup_vs_epur", g_epur},
                       {"geomean_speedup_vs_brainwave", g_bw},
                       {"worst_over_bound", worst_ratio},
                       {"pairs_slower_than_a_baseline", slower},
                       {"estimates", estimates}};
  write_text(fs::path(a.out) / "bench.json", report.dump(2) + "\n");
  write_text(fs::path(a.out) / "bench.csv", csv);
  write_text(fs::path(a.out) / "utilization.svg", svg_plot(rows, a.budgets, model_names));
  std::printf("wrote %s/bench.json, bench.csv, utilization.svg\n", a.out.c_str());
  return 0;
}

}  // namespace sharp::cli
