#include "bench_streams.hpp"

#include "cli_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

namespace sharp::cli {

using json = nlohmann::json;

namespace {

// The bound term that is largest: what no schedule of this array can get under.
const char* limit_name(const BoundTerms& b) {
  if (b.mac >= b.chain && b.mac >= b.act) return "array";
  return b.chain >= b.act ? "recurrence" : "activation";
}

// A stack the wavefront can run: one direction, every layer of the same shape with X = H (layer
// l + 1 reads h of layer l as its x).
bool wavefront_stack(const StreamsModel& m) {
  if (m.bidirectional || m.units.size() < 2) return false;
  for (const auto& u : m.units)
    if (u != m.units.front() || u.first != u.second) return false;
  return true;
}

}  // namespace

json streams_section(const StreamsInput& in) {
  json rows = json::array(), summary = json::array();
  for (int budget : in.budgets) {
    const Plan& p = *in.plans.at(budget);
    const double mhz = in.clock_mhz.at(budget);
    std::map<int, std::vector<double>> util, bound_util, gain;
    std::map<int, std::map<std::string, int>> limits;
    for (const auto& m : in.models) {
      uint64_t macs = 0;
      for (auto [h, x] : m.units) macs += useful_macs(p, {h, x, in.steps, 0});
      uint64_t cycles1 = 0;
      for (int b : in.batches) {
        uint64_t cycles = 0, bound = 0;
        BoundTerms terms;
        std::vector<int> widths, wave_layers;
        auto add_run = [&](const RunShape& s) {
          widths.push_back(s.width);
          cycles += predict_cycles(p, s);
          bound += dependency_bound(p, s);
          const BoundTerms t = dependency_terms(p, s);
          terms.mac += t.mac;
          terms.chain += t.chain;
          terms.act += t.act;
        };
        // Every layer of a batch-b run as b streams, one layer after another.
        auto layer_by_layer = [&]() {
          // A layer's streams: the batch's sequences, times its directions (each direction
          // computing its own slot), in runs of at most the design's streams.
          const size_t dirs = m.bidirectional ? 2 : 1;
          for (size_t u = 0; u < m.units.size(); u += dirs) {
            const auto [h, x] = m.units[u];
            for (int left = b * static_cast<int>(dirs); left > 0;) {
              const int n = std::min(left, p.cfg.streams);
              left -= n;
              add_run({h, x, in.steps, choose_width(p, h, x, in.steps, n).width, n});
            }
          }
        };
        // A stack of equal layers with X = H may instead run as wavefronts of k layers (b streams
        // each, g = b), skewed by a time slot per layer: T + k - 1 slots per run, the first and
        // last k - 1 slots partly idle. The planner takes the k (1: layer by layer) of the fewest
        // cycles.
        const int per_run = std::min(p.cfg.streams / b, static_cast<int>(m.units.size()));
        auto wave_runs = [&](int k) {  // the stack's runs as wavefronts of up to k layers
          std::vector<RunShape> runs;
          const auto [h, x] = m.units.front();
          for (int left = static_cast<int>(m.units.size()); left > 0; left -= k) {
            const int layers = std::min(left, k), n = b * layers, slots = in.steps + layers - 1;
            const int g = layers > 1 ? b : 0;
            runs.push_back({h, x, slots, choose_width(p, h, x, slots, n, g).width, n, g});
          }
          return runs;
        };
        int best_k = 1;
        uint64_t best = UINT64_MAX;
        std::vector<RunShape> best_runs;
        for (int k = 1; k <= per_run && wavefront_stack(m); ++k) {
          std::vector<RunShape> runs = wave_runs(k);
          uint64_t c = 0;
          for (const RunShape& s : runs) c += predict_cycles(p, s);
          if (c < best) {
            best = c;
            best_k = k;
            best_runs = std::move(runs);
          }
        }
        if (best_k > 1) {
          for (const RunShape& s : best_runs) {
            add_run(s);
            wave_layers.push_back(s.streams / b);
          }
        } else {
          layer_by_layer();
        }
        if (b == 1) cycles1 = cycles;  // (a bidirectional model's directions as two streams)
        const double work = static_cast<double>(macs) * b, slots = static_cast<double>(budget);
        const double u = work / (slots * static_cast<double>(cycles));
        const double bu = work / (slots * static_cast<double>(bound));
        const double us = static_cast<double>(cycles) / mhz;
        json r = {{"model", m.name},
                  {"budget", budget},
                  {"batch", b},
                  {"widths", widths},
                  {"wavefront_layers", wave_layers},
                  {"cycles", cycles},
                  {"bound", bound},
                  {"utilization", u},
                  {"bound_utilization", bu},
                  {"limit", limit_name(terms)},
                  {"latency_us", us},
                  {"sequences_per_s", 1e6 * b / us}};
        if (cycles1) {
          // Sequences per cycle against b single-stream runs one after another.
          const double g = static_cast<double>(b) * static_cast<double>(cycles1) / static_cast<double>(cycles);
          r["throughput_vs_batch1"] = g;
          gain[b].push_back(g);
        }
        util[b].push_back(u);
        bound_util[b].push_back(bu);
        ++limits[b][limit_name(terms)];
        rows.push_back(r);
      }
    }
    for (int b : in.batches) {
      auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v) s += x;
        return v.empty() ? 0.0 : s / static_cast<double>(v.size());
      };
      json lim = json::object();
      for (const auto& [k, n] : limits[b]) lim[k] = n;
      summary.push_back({{"budget", budget},
                         {"batch", b},
                         {"models", util[b].size()},
                         {"mean_utilization", mean(util[b])},
                         {"min_utilization", *std::min_element(util[b].begin(), util[b].end())},
                         {"mean_bound_utilization", mean(bound_util[b])},
                         {"geomean_throughput_vs_batch1", geomean(gain[b])},
                         {"limits", lim}});
    }
  }
  const Plan& any = *in.plans.begin()->second;
  return {
      {"design", fmt::format("Sharp (unfolded) with streams = {}, max_hidden {}, max_input {}: one stream per sequence "
                             "of the batch and direction of the layer (a bidirectional layer's directions compute "
                             "weight slots of their own); a stack of equal layers with X = H as wavefronts of up to "
                             "streams / batch layers (WAVEFRONT = batch; T + layers - 1 time slots per run), other "
                             "stacks layer after layer",
                             any.cfg.streams, any.cfg.max_hidden, any.cfg.max_input)},
      {"method", "cycle model (exact against the RTL: the streams regressions), per layer and direction"},
      {"clock_source", in.clock_source},
      {"steps", in.steps},
      {"batches", in.batches},
      {"rows", rows},
      {"summary", summary}};
}

void print_streams_table(const json& section) {
  std::printf("\nstreams: a batch of sequences as streams of one run (%s; clock %s)\n",
              section["design"].get<std::string>().c_str(), section["clock_source"].get<std::string>().c_str());
  std::printf("%8s %6s %10s %10s %10s %12s  %s\n", "budget", "batch", "mean util", "min util", "bound util",
              "seq/s gain", "limit (models)");
  for (const auto& s : section["summary"]) {
    std::string lim;
    for (const auto& [k, n] : s["limits"].items())
      lim += fmt::format("{}{} {}", lim.empty() ? "" : ", ", k, n.get<int>());
    std::printf("%8d %6d %10.3f %10.3f %10.3f %11.2fx  %s\n", s["budget"].get<int>(), s["batch"].get<int>(),
                s["mean_utilization"].get<double>(), s["min_utilization"].get<double>(),
                s["mean_bound_utilization"].get<double>(), s["geomean_throughput_vs_batch1"].get<double>(),
                lim.c_str());
  }
  std::printf(
      "(util: useful MACs / (budget x cycles); bound util: the same at the dependency bound of the run; seq/s gain: "
      "geometric mean over the models of sequences per cycle against batch 1; limit: the largest bound term)\n");
  // Where the planner ran a stack as wavefronts (fewer cycles than layer by layer), and how.
  std::string waves;
  for (const auto& r : section["rows"]) {
    const auto layers = r["wavefront_layers"].get<std::vector<int>>();
    if (layers.empty()) continue;
    waves += fmt::format("\n  {} MACs, batch {}: {} as wavefronts of {} layers (util {:.3f})", r["budget"].get<int>(),
                         r["batch"].get<int>(), r["model"].get<std::string>(), fmt::join(layers, "+"),
                         r["utilization"].get<double>());
  }
  std::printf("wavefronts (a stack's layers as streams, chosen where they take fewer cycles than layer by layer):%s\n",
              waves.empty() ? " none" : waves.c_str());
}

std::string streams_csv(const json& section) {
  std::string csv =
      "\nstreams_model,budget,batch,cycles,bound,utilization,bound_utilization,limit,latency_us,sequences_per_s,"
      "wavefront_layers\n";
  for (const auto& r : section["rows"])
    csv += fmt::format("{},{},{},{},{},{:.4f},{:.4f},{},{:.3f},{:.1f},{}\n", r["model"].get<std::string>(),
                       r["budget"].get<int>(), r["batch"].get<int>(), r["cycles"].get<uint64_t>(),
                       r["bound"].get<uint64_t>(), r["utilization"].get<double>(), r["bound_utilization"].get<double>(),
                       r["limit"].get<std::string>(), r["latency_us"].get<double>(), r["sequences_per_s"].get<double>(),
                       fmt::format("{}", fmt::join(r["wavefront_layers"].get<std::vector<int>>(), "+")));
  return csv;
}

}  // namespace sharp::cli
