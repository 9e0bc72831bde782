// bench --estimate's energy per inference (generator/cli/bench_energy.cpp): the logic power summed
// by component, each component charged its clock pins every cycle and the rest only for the
// cycles the cycle model says it works, the SRAM part from the exact access counts.
#include <catch2/catch.hpp>

#include <string>

#include "bench_energy.hpp"
#include "sharp/accesses.hpp"
#include "sharp/config.hpp"
#include "sharp/plan.hpp"

using namespace sharp;
using nlohmann::json;

namespace {

synth::ModuleTiming module(const std::string& block, long instances, double dynamic, double clock, double leakage) {
  synth::ModuleTiming m;
  m.block = block;
  m.instances = instances;
  m.dynamic_mw_each = dynamic;
  m.clock_mw_each = clock;
  m.leakage_mw_each = leakage;
  return m;
}

// A timing report with one module in each of the four components (scheduler and host interface
// both control).
synth::StaReport report() {
  synth::StaReport r;
  r.modules = {module("array", 4, 1.0, 0.25, 0.1),         module("adder trees", 4, 0.5, 0.125, 0.05),
               module("accumulators", 1, 2.0, 0.5, 0.2),   module("activation", 1, 0.75, 0.25, 0.05),
               module("cell updater", 1, 0.25, 0.0, 0.05), module("scheduler", 1, 1.0, 0.5, 0.1),
               module("host interface", 1, 0.5, 0.25, 0.1)};
  return r;
}

}  // namespace

TEST_CASE("bench energy: logic power summed by component over every instance", "[bench][energy]") {
  const json c = cli::logic_components(report());
  REQUIRE(c.size() == 4);
  CHECK(c["mult_adder"]["dynamic_mw"].get<double>() == Approx(4 * 1.0 + 4 * 0.5));
  CHECK(c["mult_adder"]["clock_mw"].get<double>() == Approx(4 * 0.25 + 4 * 0.125));
  CHECK(c["mult_adder"]["blocks"] == json::array({"adder trees", "array"}));
  CHECK(c["accumulators"]["leakage_mw"].get<double>() == Approx(0.2));
  CHECK(c["act_cell"]["dynamic_mw"].get<double>() == Approx(1.0));
  CHECK(c["control"]["dynamic_mw"].get<double>() == Approx(1.5));
  CHECK(c["control"]["blocks"] == json::array({"host interface", "scheduler"}));
  // explore reads the same from `synth --power --json`'s modules.
  CHECK(cli::logic_components(report().to_json().at("modules")) == c);
}

TEST_CASE("bench energy: each component works only for the cycles the cycle model counts", "[bench][energy]") {
  const Plan p =
      make_plan(load_config(nullptr, {"macs=64", "k_max=16", "k_min=4", "max_hidden=64", "max_input=64", "sram_kb=4"}));
  const std::vector<std::pair<int, int>> units = {{37, 13}, {20, 37}};
  const std::vector<int> widths = {8, 16};
  const int steps = 3;
  const uint64_t cycles = 5000, macs = 123456;
  const json e = {{"fmax_mhz", 200.0},
                  {"logic_leakage_mw", 1.0},
                  {"memory_leakage_mw", 2.0},
                  {"logic_components", cli::logic_components(report())}};
  // One figure per macro: reads 1 pJ, writes 2 pJ.
  const std::vector<synth::MacroFigures> figs(p.memories.size(), synth::MacroFigures{1.0, 2.0, 0, 0});
  const json r = cli::row_energy(p, figs, units, widths, steps, cycles, macs, e);

  uint64_t tiles = 0, act = 0;
  double weight_pj = 0, other_pj = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const LayerCounts c = predict_counts(p, {units[i].first, units[i].second, steps, widths[i]});
    tiles += c.tiles;
    act += c.act_groups;
    for (size_t j = 0; j < p.memories.size(); ++j)
      (p.memories[j].role == "weights" ? weight_pj : other_pj) +=
          static_cast<double>(c.run[j].reads) + 2.0 * static_cast<double>(c.run[j].writes);
  }
  REQUIRE(tiles > 0);
  REQUIRE(tiles < cycles);
  const double pj_per_mw_cycle = 1e9 / 200e6, C = static_cast<double>(cycles), n = static_cast<double>(macs);
  const json& q = r["pj_per_mac"];
  // Multipliers + adder trees: clock 1.5 mW every cycle, the other 4.5 mW for the tiles only.
  CHECK(q["mult_adder"].get<double>() == Approx((1.5 * C + 4.5 * static_cast<double>(tiles)) * pj_per_mw_cycle / n));
  CHECK(q["accumulators"].get<double>() == Approx((0.5 * C + 1.5 * static_cast<double>(tiles)) * pj_per_mw_cycle / n));
  CHECK(q["act_cell"].get<double>() == Approx((0.25 * C + 0.75 * static_cast<double>(act)) * pj_per_mw_cycle / n));
  CHECK(q["control"].get<double>() == Approx(1.5 * C * pj_per_mw_cycle / n));
  CHECK(q["weight_sram"].get<double>() == Approx(weight_pj / n));
  CHECK(q["other_sram"].get<double>() == Approx(other_pj / n));
  CHECK(q["dram"].get<double>() == 0);
  CHECK(q["logic_leakage"].get<double>() == Approx(1.0 * C * pj_per_mw_cycle / n));
  CHECK(q["sram_leakage"].get<double>() == Approx(2.0 * C * pj_per_mw_cycle / n));
  double sum = 0;
  for (const auto& [k, label] : cli::energy_components()) sum += q[k].get<double>();
  CHECK(q["total"].get<double>() == Approx(sum));
  CHECK(r["energy_uj"].get<double>() == Approx(sum * n * 1e-6));
  CHECK(r["gops_per_w"].get<double>() == Approx(2.0 * n / (sum * n) * 1e3));
  CHECK(r["busy_fraction"]["mult_adder"].get<double>() == Approx(static_cast<double>(tiles) / C));
  CHECK(r["busy_fraction"]["control"].get<double>() == 1.0);
  CHECK(r["latency_us"].get<double>() == Approx(C / 200.0));
}

TEST_CASE("bench energy: the SVG is deterministic and names every component", "[bench][energy]") {
  json rows = json::array();
  for (int b : {256, 1024}) {
    json p = {{"total", 0.0}};
    double t = 0;
    for (const auto& [k, label] : cli::energy_components()) {
      p[k] = 0.25 * static_cast<double>(b / 256);
      t += p[k].get<double>();
    }
    p["total"] = t;
    rows.push_back({{"model", "m<&>"}, {"budget", b}, {"estimate", {{"pj_per_mac", p}, {"gops_per_w", 100.0}}}});
  }
  const std::string a = cli::energy_svg(rows, {256, 1024}), b = cli::energy_svg(rows, {256, 1024});
  CHECK(a == b);
  CHECK(a.rfind("<svg", 0) == 0);
  CHECK(a.find("m&lt;&amp;&gt;") != std::string::npos);
  for (const auto& [k, label] : cli::energy_components()) CHECK(a.find(label) != std::string::npos);
  CHECK(cli::energy_svg(json::array(), {256}).rfind("<svg", 0) == 0);
}
