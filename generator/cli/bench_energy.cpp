#include "bench_energy.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "sharp/accesses.hpp"
#include "sharp/svg_writer.hpp"

namespace sharp::cli {

using nlohmann::json;

namespace {

// The logic components and the manifest blocks of each (docs/ARCHITECTURE.md); every other
// block is control.
struct LogicComponent {
  const char* key;
  std::vector<std::string> blocks;
};
const std::vector<LogicComponent>& logic_parts() {
  static const std::vector<LogicComponent> parts = {{"mult_adder", {"array", "adder trees"}},
                                                    {"accumulators", {"accumulators"}},
                                                    {"act_cell", {"activation", "cell updater"}},
                                                    {"control", {}}};
  return parts;
}

std::string component_of(const std::string& block) {
  for (const auto& c : logic_parts())
    if (std::find(c.blocks.begin(), c.blocks.end(), block) != c.blocks.end()) return c.key;
  return "control";
}

const char* const kColors[] = {"#4e79a7", "#a0cbe8", "#f28e2b", "#59a14f", "#e15759",
                               "#ff9d9a", "#b07aa1", "#9c755f", "#bab0ac"};

}  // namespace

const std::vector<std::pair<std::string, std::string>>& energy_components() {
  static const std::vector<std::pair<std::string, std::string>> c = {
      {"mult_adder", "multipliers + adder trees"},
      {"accumulators", "accumulators"},
      {"act_cell", "activation + cell update"},
      {"control", "control (scheduler, host interface, buffers, memory decode and read select)"},
      {"weight_sram", "weight SRAM"},
      {"other_sram", "other SRAM"},
      {"dram", "DRAM"},
      {"logic_leakage", "logic leakage"},
      {"sram_leakage", "SRAM leakage"}};
  return c;
}

json logic_components(const synth::StaReport& sr) { return logic_components(sr.to_json().at("modules")); }

json logic_components(const json& sta_modules) {
  json out = json::object();
  for (const auto& c : logic_parts())
    out[c.key] = {{"blocks", json::array()}, {"dynamic_mw", 0.0}, {"clock_mw", 0.0}, {"leakage_mw", 0.0}};
  for (const auto& m : sta_modules) {
    const std::string block = m.at("block").get<std::string>();
    json& c = out[component_of(block)];
    const double n = m.at("instances").get<double>();
    c["dynamic_mw"] = c["dynamic_mw"].get<double>() + n * m.at("dynamic_mw_each").get<double>();
    c["clock_mw"] = c["clock_mw"].get<double>() + n * m.at("clock_mw_each").get<double>();
    c["leakage_mw"] = c["leakage_mw"].get<double>() + n * m.at("leakage_mw_each").get<double>();
    auto& blocks = c["blocks"];
    if (std::find(blocks.begin(), blocks.end(), block) == blocks.end()) blocks.push_back(block);
  }
  for (auto& [k, c] : out.items()) {
    auto b = c["blocks"].get<std::vector<std::string>>();
    std::sort(b.begin(), b.end());
    c["blocks"] = b;
  }
  return out;
}

json row_energy(const Plan& ep, const std::vector<synth::MacroFigures>& figs,
                const std::vector<std::pair<int, int>>& units, const std::vector<int>& widths, int steps,
                uint64_t cycles, uint64_t useful_macs, const json& e, int streams) {
  double weight_pj = 0, other_pj = 0, load_pj = 0;
  uint64_t tiles = 0, act_groups = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const LayerCounts c = predict_counts(ep, {units[i].first, units[i].second, steps, widths[i], streams});
    tiles += c.tiles;
    act_groups += c.act_groups;
    for (size_t j = 0; j < ep.memories.size(); ++j) {
      const double run = static_cast<double>(c.run[j].reads) * figs[j].read_pj +
                         static_cast<double>(c.run[j].writes) * figs[j].write_pj;
      (ep.memories[j].role == "weights" ? weight_pj : other_pj) += run;
      load_pj += static_cast<double>(c.load[j].reads) * figs[j].read_pj +
                 static_cast<double>(c.load[j].writes) * figs[j].write_pj;
    }
  }
  const double f_hz = e["fmax_mhz"].get<double>() * 1e6;
  const double C = static_cast<double>(cycles);
  const double latency_s = f_hz > 0 ? C / f_hz : 0;
  // Cycles each logic component works: the array, adder trees and accumulators one per tile
  // issued, activation and cell update one per group, control every cycle.
  const std::map<std::string, double> busy = {{"mult_adder", static_cast<double>(tiles)},
                                              {"accumulators", static_cast<double>(tiles)},
                                              {"act_cell", static_cast<double>(act_groups)},
                                              {"control", C}};
  // mW / Hz = mJ per cycle = 1e9 pJ per cycle.
  const double pj_per_mw_cycle = f_hz > 0 ? 1e9 / f_hz : 0;
  std::map<std::string, double> pj;
  double logic_pj = 0;
  json duty = json::object();
  for (const auto& [k, b] : busy) {
    const json& lc = e["logic_components"][k];
    const double clock = lc["clock_mw"].get<double>(), rest = lc["dynamic_mw"].get<double>() - clock;
    pj[k] = (clock * C + rest * b) * pj_per_mw_cycle;
    logic_pj += pj[k];
    duty[k] = C > 0 ? b / C : 0.0;
  }
  pj["weight_sram"] = weight_pj;
  pj["other_sram"] = other_pj;
  pj["dram"] = 0;
  pj["logic_leakage"] = e["logic_leakage_mw"].get<double>() * latency_s * 1e9;  // mW x s = 1e9 pJ
  pj["sram_leakage"] = e["memory_leakage_mw"].get<double>() * latency_s * 1e9;
  double total_pj = 0;
  for (const auto& [k, v] : pj) total_pj += v;
  const double macs = static_cast<double>(useful_macs);
  auto per_mac = [&](double x) { return macs > 0 ? x / macs : 0.0; };
  json breakdown = json::object();
  for (const auto& [k, label] : energy_components()) breakdown[k] = per_mac(pj.at(k));
  breakdown["logic_dynamic"] = per_mac(logic_pj);
  breakdown["total"] = per_mac(total_pj);
  return {{"latency_us", latency_s * 1e6},
          {"gops", latency_s > 0 ? 2.0 * macs / latency_s / 1e9 : 0},
          {"energy_uj", total_pj * 1e-6},
          {"power_mw", latency_s > 0 ? total_pj * 1e-9 / latency_s : 0},
          {"gops_per_w", total_pj > 0 ? 2.0 * macs / total_pj * 1e3 : 0},
          {"pj_per_mac", breakdown},
          {"busy_fraction", duty},
          {"weight_load_uj", load_pj * 1e-6},
          {"method",
           "SRAM dynamic: exact per-macro access counts (cycle model) x SRAM model energies; logic dynamic: "
           "OpenSTA power of each block at the --activity toggle rate, charged for the cycles the block works "
           "by the cycle model's counts (tiles for multipliers, adder trees and accumulators; activation groups "
           "for activation and cell update; every cycle for control), its clock pins every cycle; leakage: "
           "liberty (logic) and SRAM model (every macro) x latency; weights resident (no DRAM traffic)"}};
}

void print_energy_table(const json& rows) {
  std::printf(
      "\nenergy per inference (one sequence, every layer and direction, weights resident; pJ per useful MAC by "
      "component):\n");
  std::printf("%-13s %6s | %10s %8s %10s %9s | %7s %7s %7s %7s %7s %7s %7s %7s | %7s | %9s\n", "model", "MACs",
              "latency us", "GOP/s", "energy uJ", "load uJ", "mul+add", "acc", "act+cel", "control", "W SRAM", "SRAM",
              "leak L", "leak S", "total", "GOP/s/W");
  for (const auto& r : rows) {
    const auto& e = r["estimate"];
    const auto& p = e["pj_per_mac"];
    std::printf("%-13s %6d | %10.2f %8.1f %10.3f %9.3f |", r["model"].get<std::string>().c_str(),
                r["budget"].get<int>(), e["latency_us"].get<double>(), e["gops"].get<double>(),
                e["energy_uj"].get<double>(), e["weight_load_uj"].get<double>());
    for (const char* k : {"mult_adder", "accumulators", "act_cell", "control", "weight_sram", "other_sram",
                          "logic_leakage", "sram_leakage"})
      std::printf(" %7.3f", p[k].get<double>());
    std::printf(" | %7.3f | %9.2f\n", p["total"].get<double>(), e["gops_per_w"].get<double>());
  }
  std::printf(
      "  (logic parts: OpenSTA per block while it works, the cycles from the cycle model's counts, clock pins every "
      "cycle; W SRAM / SRAM: exact access counts x SRAM model energies; leak L / S: logic / SRAM leakage x "
      "latency; load: writing the weights once, not in the latency; DRAM: none, weights resident)\n");
}

std::string energy_csv(const json& rows) {
  std::string csv = "\nmodel,budget,latency_us,energy_uj,gops_per_w";
  for (const auto& [k, label] : energy_components()) csv += ",pj_per_mac_" + k;
  csv += ",pj_per_mac_total\n";
  for (const auto& r : rows) {
    const json& e = r["estimate"];
    csv += fmt::format("{},{},{:.4f},{:.6f},{:.3f}", r["model"].get<std::string>(), r["budget"].get<int>(),
                       e["latency_us"].get<double>(), e["energy_uj"].get<double>(), e["gops_per_w"].get<double>());
    for (const auto& [k, label] : energy_components()) csv += fmt::format(",{:.5f}", e["pj_per_mac"][k].get<double>());
    csv += fmt::format(",{:.5f}\n", e["pj_per_mac"]["total"].get<double>());
  }
  return csv;
}

std::string energy_svg(const json& rows, const std::vector<int>& budgets) {
  namespace s = sharp::svg;
  const auto& comps = energy_components();
  const double x0 = 150, bar_h = 11, gap = 3, group_gap = 22, pw = 560, top = 60;
  double max_total = 0;
  for (const auto& r : rows)
    if (r.contains("estimate")) max_total = std::max(max_total, r["estimate"]["pj_per_mac"]["total"].get<double>());
  const double H = top + static_cast<double>(rows.size()) * (bar_h + gap) +
                   static_cast<double>(budgets.size()) * group_gap + 30 + 18.0 * static_cast<double>(comps.size());
  const double W = x0 + pw + 170;
  s::Document doc;
  doc.line(s::text({{"x", s::num(10)}, {"y", s::num(22)}, {"font-size", "15"}},
                   s::escape("Energy per useful MAC by component (Sharp, weights resident, at each budget's fmax)")));
  doc.line(s::text({{"x", s::num(10)}, {"y", s::num(40)}, {"font-size", "10"}, {"fill", "#555"}},
                   s::escape("SRAM: exact access counts x SRAM model; logic: OpenSTA per block x cycles it works "
                             "(cycle model); leakage x latency")));
  if (max_total <= 0) return doc.str(W, H, {{"font-family", "sans-serif"}, {"font-size", "10"}}) + "\n";
  auto X = [&](double v) { return x0 + v / max_total * pw; };
  double y = top;
  for (int b : budgets) {
    doc.line(s::text({{"x", s::num(10)}, {"y", s::num(y + 10)}, {"font-weight", "bold"}},
                     s::escape(fmt::format("{} MACs", b))));
    y += 14;
    for (const auto& r : rows) {
      if (r["budget"].get<int>() != b || !r.contains("estimate")) continue;
      const json& p = r["estimate"]["pj_per_mac"];
      doc.line(s::text({{"x", s::num(x0 - 6)}, {"y", s::num(y + bar_h - 2)}, {"text-anchor", "end"}},
                       s::escape(r["model"].get<std::string>())));
      double at = 0;
      for (size_t c = 0; c < comps.size(); ++c) {
        const double v = p[comps[c].first].get<double>();
        if (v <= 0) continue;
        doc.line(s::element("rect",
                            {{"x", s::num(X(at))},
                             {"y", s::num(y)},
                             {"width", s::num(X(at + v) - X(at))},
                             {"height", s::num(bar_h)},
                             {"fill", kColors[c]}},
                            s::title(fmt::format("{} at {} MACs: {} {:.3f} pJ/MAC", r["model"].get<std::string>(), b,
                                                 comps[c].second, v)),
                            false));
        at += v;
      }
      doc.line(s::text(
          {{"x", s::num(X(at) + 4)}, {"y", s::num(y + bar_h - 2)}},
          s::escape(fmt::format("{:.2f} pJ/MAC, {:.0f} GOP/s/W", at, r["estimate"]["gops_per_w"].get<double>()))));
      y += bar_h + gap;
    }
    y += group_gap - 14;
  }
  y += 10;
  for (size_t c = 0; c < comps.size(); ++c) {
    doc.line(s::rect(
        {{"x", s::num(x0)}, {"y", s::num(y)}, {"width", s::num(12)}, {"height", s::num(12)}, {"fill", kColors[c]}}));
    doc.line(s::text({{"x", s::num(x0 + 18)}, {"y", s::num(y + 10)}}, s::escape(comps[c].second)));
    y += 18;
  }
  return doc.str(W, H, {{"font-family", "sans-serif"}, {"font-size", "10"}}) + "\n";
}

}  // namespace sharp::cli
