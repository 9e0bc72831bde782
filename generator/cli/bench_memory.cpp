// bench's memory-system figures: see bench_memory.hpp.
#include "bench_memory.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sharp/program.hpp"
#include "sharp/sram_model.hpp"
#include "sharp/svg_writer.hpp"

namespace sharp::cli {

using nlohmann::json;

namespace {

// The DRAM kinds of the SRAM table that have a bandwidth (LPDDR4, HBM2).
std::vector<const synth::DramRow*> streamed_kinds() {
  std::vector<const synth::DramRow*> k;
  for (const auto& d : synth::default_sram_model().table.dram)
    if (d.bandwidth_gbs) k.push_back(&d);
  return k;
}

// "compute" or "recurrence": which term of the dependency bound, summed over the layers, is larger.
std::string compute_bound_kind(const MemoryRowInput& in) {
  uint64_t mac = 0, chain = 0;
  for (size_t i = 0; i < in.units.size(); ++i) {
    const BoundTerms b = dependency_terms(*in.plan, {in.units[i].first, in.units[i].second, in.steps, in.widths[i]});
    mac += std::max(b.mac, b.act);
    chain += b.chain;
  }
  return chain > mac ? "recurrence" : "compute";
}

// Area of `bits` of weights in macros of the design's sram_kb and sram_width, with the words of
// the weight banks' columns, as sharp_mem splits a large weight bank.
double capacity_mm2(const Plan& p, uint64_t bits) {
  const int d = p.cfg.format.data_bits;
  const MacroSplit sp = split_buffer(static_cast<long>(p.cfg.sram_kb) * 8192, p.cfg.sram_width, d, p.k, 1 << 30);
  const int word = sp.elems * d;
  const uint64_t per = static_cast<uint64_t>(sp.depth) * static_cast<uint64_t>(word);
  const uint64_t n = (bits + per - 1) / per;
  return static_cast<double>(n) * synth::macro_figures(synth::default_sram_model(), sp.depth, word).area_um2 / 1e6;
}

}  // namespace

json memory_row(const MemoryRowInput& in) {
  const Plan& p = *in.plan;
  Program g;
  for (size_t u = 0; u < in.units.size(); ++u) {
    g.loads.push_back({in.units[u].first, in.units[u].second, in.widths[u], static_cast<int>(u) % p.cfg.weight_slots});
    g.runs.push_back({static_cast<int>(u), in.steps, 1, 0, {}});
  }
  uint64_t bits = 0, macs = 0;
  const uint64_t d = static_cast<uint64_t>(p.cfg.format.data_bits);
  for (size_t u = 0; u < g.loads.size(); ++u) {
    const LoadBeats n = load_beats(p, g.loads[u]);
    bits += n.weights * static_cast<uint64_t>(p.k) * d + n.biases * d;
    macs += useful_macs(*in.plan, {in.units[u].first, in.units[u].second, in.steps, in.widths[u]});
  }
  const double f = in.clock_mhz;
  const std::string kind = compute_bound_kind(in);
  const uint64_t resident = resident_cycles(p, g, &in.cycles);
  json row = {{"clock_mhz", f},
              {"clock_source", in.clock_source},
              {"weights_mb", static_cast<double>(bits) / 8.0 / 1048576.0},
              {"weights_mm2", capacity_mm2(p, bits)},
              {"useful_macs", macs},
              {"resident", {{"cycles", resident}, {"latency_us", static_cast<double>(resident) / f}, {"bound", kind}}}};
  json streamed = json::object();
  for (const synth::DramRow* k : streamed_kinds()) {
    g.rate = dma_rate(*k->bandwidth_gbs, f);
    const ProgramTiming t = predict_program(p, g, &in.cycles);
    const double lat_us = static_cast<double>(t.cycles) / f;
    const double bytes = static_cast<double>(bits) / 8.0;
    streamed[k->kind] = {
        {"gbps", *k->bandwidth_gbs},
        {"bits_per_cycle", g.rate.bits_per_cycle()},
        {"cycles", t.cycles},
        {"compute_cycles", t.compute},
        {"load_cycles", t.loading},
        {"latency_us", lat_us},
        {"bound", t.loading > t.compute ? "bandwidth" : kind},
        // What limits a load: the DRAM, or the weight stream's one beat of
        // k_max x data_bits per cycle when the DRAM could deliver more.
        {"load_limit",
         g.rate.bits_per_cycle() < static_cast<double>(p.k) * static_cast<double>(d) ? "DRAM" : "weight stream"},
        {"dram_bits", bits},
        {"ops_per_dram_byte", 2.0 * static_cast<double>(macs) / bytes},
        {"gops", 2.0 * static_cast<double>(macs) / (lat_us * 1e3)},
        {"dram_uj", static_cast<double>(bits) * k->pj_per_bit * 1e-6},
        {"dram_pj_per_mac", static_cast<double>(bits) * k->pj_per_bit / static_cast<double>(macs)},
        {"dram_source", k->source}};
  }
  row["streamed"] = streamed;
  row["method"] =
      "program model (sharp/program.hpp): resident = the runs back to back with every layer loaded; streamed = "
      "every layer loaded from DRAM at the stated rate into 2 weight slots while the previous one runs, batch 1; "
      "capacity = the padded weights and biases the loads write; mm2 = macros of sram_kb from the SRAM model";
  return row;
}

json streamed_energy(const json& row, double logic_leakage_mw, double memory_leakage_mw, double logic_clock_mw) {
  const json& e = row["estimate"];
  const double macs = static_cast<double>(row["useful_macs"].get<uint64_t>());
  json out = json::object();
  for (const auto& [k, v] : row["memory"]["streamed"].items()) {
    // Extra time over the resident latency (at the same clock), charged leakage and the clock
    // pins of the logic (no clock gating); mW x us = nJ.
    const double extra_us = std::max(0.0, v["latency_us"].get<double>() - e["latency_us"].get<double>());
    const double leak_uj = (logic_leakage_mw + memory_leakage_mw + logic_clock_mw) * extra_us * 1e-3;
    const double uj =
        e["energy_uj"].get<double>() + e["weight_load_uj"].get<double>() + v["dram_uj"].get<double>() + leak_uj;
    out[k] = {{"energy_uj", uj},
              {"pj_per_mac", uj * 1e6 / macs},
              {"dram_pj_per_mac", v["dram_uj"].get<double>() * 1e6 / macs},
              {"gops_per_w", 2.0 * macs / (uj * 1e6) * 1e3},
              {"method",
               "resident energy + the loads' SRAM writes (SRAM model) + DRAM bits x pJ/bit (SRAM table's DRAM rows) "
               "+ leakage of logic and macros and the logic's clock pins over the extra latency; logic dynamic "
               "otherwise as resident (same work)"}};
  }
  return out;
}

std::string memory_csv(const json& rows) {
  std::string csv =
      "\nmodel,budget,clock_mhz,weights_mb,weights_mm2,weights,cycles,latency_us,bound,dram_bits,dram_uj\n";
  for (const auto& r : rows) {
    const json& m = r["memory"];
    const std::string head =
        fmt::format("{},{},{:.1f},{:.4f},{:.4f}", r["model"].get<std::string>(), r["budget"].get<int>(),
                    m["clock_mhz"].get<double>(), m["weights_mb"].get<double>(), m["weights_mm2"].get<double>());
    csv += fmt::format("{},resident,{},{:.3f},{},0,0\n", head, m["resident"]["cycles"].get<uint64_t>(),
                       m["resident"]["latency_us"].get<double>(), m["resident"]["bound"].get<std::string>());
    for (const auto& [k, v] : m["streamed"].items())
      csv += fmt::format("{},{},{},{:.3f},{},{},{:.3f}\n", head, k, v["cycles"].get<uint64_t>(),
                         v["latency_us"].get<double>(), v["bound"].get<std::string>(), v["dram_bits"].get<uint64_t>(),
                         v["dram_uj"].get<double>());
  }
  return csv;
}

void print_memory_table(const json& rows) {
  std::vector<std::string> kinds;
  for (const synth::DramRow* k : streamed_kinds()) kinds.push_back(k->kind);
  std::printf(
      "\nMemory system, latency per sequence (batch 1; weights resident, or streamed from DRAM into 2 weight "
      "slots; program model):\n");
  std::printf("%-13s %6s %7s %8s %8s %10s %-10s", "model", "MACs", "MHz", "wts MB", "wts mm2", "resident us", "bound");
  for (const auto& k : kinds) std::printf(" %10s %-10s", (k + " us").c_str(), "bound");
  std::printf("\n");
  for (const auto& r : rows) {
    const json& m = r["memory"];
    std::printf("%-13s %6d %7.1f %8.3f %8.3f %10.2f %-10s", r["model"].get<std::string>().c_str(),
                r["budget"].get<int>(), m["clock_mhz"].get<double>(), m["weights_mb"].get<double>(),
                m["weights_mm2"].get<double>(), m["resident"]["latency_us"].get<double>(),
                m["resident"]["bound"].get<std::string>().c_str());
    for (const auto& k : kinds)
      std::printf(" %10.2f %-10s", m["streamed"][k]["latency_us"].get<double>(),
                  m["streamed"][k]["bound"].get<std::string>().c_str());
    std::printf("\n");
  }
  if (rows.empty() || !rows[0].contains("estimate") || !rows[0]["estimate"].contains("streamed")) return;
  std::printf("\nEnergy per inference with the weights streamed (pJ per useful MAC: all, of it DRAM; GOP/s/W):\n");
  std::printf("%-13s %6s", "model", "MACs");
  for (const auto& k : kinds) std::printf(" | %8s %8s %9s", (k + " pJ").c_str(), "DRAM pJ", "GOP/s/W");
  std::printf("\n");
  for (const auto& r : rows) {
    std::printf("%-13s %6d", r["model"].get<std::string>().c_str(), r["budget"].get<int>());
    for (const auto& k : kinds) {
      const json& e = r["estimate"]["streamed"][k];
      std::printf(" | %8.2f %8.2f %9.1f", e["pj_per_mac"].get<double>(), e["dram_pj_per_mac"].get<double>(),
                  e["gops_per_w"].get<double>());
    }
    std::printf("\n");
  }
  std::printf(
      "  (resident energy + the loads' SRAM writes + DRAM bits x pJ/bit + leakage over the extra latency; DRAM "
      "energies per bit: the SRAM table's DRAM rows, with their sources in synth/lib/sram_model.json)\n");
}

std::string roofline_svg(const json& rows, const std::vector<int>& budgets) {
  namespace s = sharp::svg;
  const double W = 860, H = 520, x0 = 80, y0 = 40, pw = 600, ph = 420;
  // Axes: log10 of ops per DRAM byte and of GOP/s, over the range the rows and roofs need.
  double xmin = 1e30, xmax = 0, ymax = 0;
  std::map<int, double> peak;  // GOP/s of each budget at its clock
  for (const auto& r : rows) {
    const json& m = r["memory"];
    peak[r["budget"].get<int>()] = 2.0 * r["budget"].get<double>() * m["clock_mhz"].get<double>() / 1e3;
    for (const auto& [k, v] : m["streamed"].items()) {
      xmin = std::min(xmin, v["ops_per_dram_byte"].get<double>());
      xmax = std::max(xmax, v["ops_per_dram_byte"].get<double>());
    }
  }
  for (const auto& [b, g] : peak) ymax = std::max(ymax, g);
  if (rows.empty() || xmax <= 0) return s::Document().str(W, H);
  const double lx0 = std::floor(std::log10(xmin)) - 1, lx1 = std::ceil(std::log10(xmax)) + 1;
  const double ly1 = std::ceil(std::log10(ymax)) + 0.5, ly0 = ly1 - 6;
  auto X = [&](double v) { return x0 + (std::log10(v) - lx0) / (lx1 - lx0) * pw; };
  auto Y = [&](double v) { return y0 + ph - (std::log10(std::max(v, 1e-12)) - ly0) / (ly1 - ly0) * ph; };
  s::Document doc;
  doc.line(s::text({{"x", s::num(x0)}, {"y", s::num(24)}, {"font-size", "15"}},
                   s::escape("Roofline: Sharp with weights streamed from DRAM (batch 1, program model)")));
  doc.line(s::rect({{"x", s::num(x0)},
                    {"y", s::num(y0)},
                    {"width", s::num(pw)},
                    {"height", s::num(ph)},
                    {"fill", "none"},
                    {"stroke", "#888"}}));
  for (int e = static_cast<int>(lx0); e <= static_cast<int>(lx1); ++e) {
    const double px = X(std::pow(10.0, e));
    doc.line(s::line(
        {{"x1", s::num(px)}, {"y1", s::num(y0)}, {"x2", s::num(px)}, {"y2", s::num(y0 + ph)}, {"stroke", "#eee"}}));
    doc.line(s::text({{"x", s::num(px - 10)}, {"y", s::num(y0 + ph + 16)}, {"font-size", "11"}},
                     s::escape(fmt::format("1e{}", e))));
  }
  for (int e = static_cast<int>(std::ceil(ly0)); e <= static_cast<int>(ly1); ++e) {
    const double py = Y(std::pow(10.0, e));
    doc.line(s::line(
        {{"x1", s::num(x0)}, {"y1", s::num(py)}, {"x2", s::num(x0 + pw)}, {"y2", s::num(py)}, {"stroke", "#eee"}}));
    doc.line(s::text({{"x", s::num(x0 - 44)}, {"y", s::num(py + 4)}, {"font-size", "11"}},
                     s::escape(fmt::format("1e{}", e))));
  }
  doc.line(s::text({{"x", s::num(x0 + pw / 2 - 90)}, {"y", s::num(y0 + ph + 36)}, {"font-size", "12"}},
                   s::escape("operations per DRAM byte (2 x MACs / weight bytes)")));
  doc.line(s::text({{"x", s::num(14)}, {"y", s::num(y0 + ph / 2)}, {"font-size", "12"}}, s::escape("GOP/s")));
  const char* colors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"};
  std::map<std::string, std::string> kind_color;
  int ci = 0;
  for (const synth::DramRow* k : streamed_kinds()) {
    const std::string c = colors[ci++ % 6];
    kind_color[k->kind] = c;
    // Bandwidth roof: GB/s x ops per byte, up to the largest peak.
    const double bw = *k->bandwidth_gbs, xe = std::min(std::pow(10.0, lx1), ymax / bw);
    doc.line(s::polyline({{X(std::pow(10.0, lx0)), Y(bw * std::pow(10.0, lx0))}, {X(xe), Y(bw * xe)}},
                         {{"fill", "none"}, {"stroke", c}, {"stroke-dasharray", "5,3"}}));
    doc.line(
        s::text({{"x", s::num(x0 + pw + 10)}, {"y", s::num(y0 + 16 + 18 * (ci - 1))}, {"font-size", "11"}, {"fill", c}},
                s::escape(fmt::format("{} {} GB/s", k->kind, bw))));
  }
  int bi = 0;
  for (int b : budgets) {
    if (!peak.count(b)) continue;
    const double py = Y(peak[b]);
    doc.line(s::line(
        {{"x1", s::num(x0)}, {"y1", s::num(py)}, {"x2", s::num(x0 + pw)}, {"y2", s::num(py)}, {"stroke", "#555"}}));
    doc.line(s::text({{"x", s::num(x0 + pw + 10)}, {"y", s::num(py + 4)}, {"font-size", "11"}},
                     s::escape(fmt::format("{} MACs peak", b))));
    ++bi;
  }
  for (const auto& r : rows)
    for (const auto& [k, v] : r["memory"]["streamed"].items()) {
      const double px = X(v["ops_per_dram_byte"].get<double>()), py = Y(v["gops"].get<double>());
      doc.line(s::element(
          "circle",
          {{"cx", s::num(px)}, {"cy", s::num(py)}, {"r", "3.5"}, {"fill", kind_color[k]}, {"fill-opacity", "0.7"}},
          s::title(fmt::format("{} at {} MACs, {}: {:.1f} GOP/s, {}-bound", r["model"].get<std::string>(),
                               r["budget"].get<int>(), k, v["gops"].get<double>(), v["bound"].get<std::string>())),
          false));
    }
  return doc.str(W, H, {{"font-family", "sans-serif"}});
}

}  // namespace sharp::cli
