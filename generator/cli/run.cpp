#include "run.hpp"

#include "cli_util.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "sharp/error.hpp"
#include "sharp/model_file.hpp"
#include "sharp/verify.hpp"

namespace sharp::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

template <typename T>
std::vector<std::vector<T>> reversed(std::vector<std::vector<T>> v) {
  std::reverse(v.begin(), v.end());
  return v;
}

// Per step, the directions' h vectors side by side (forward first), as torch.nn.LSTM does.
template <typename T>
std::vector<std::vector<T>> concat_dirs(const std::vector<std::vector<std::vector<T>>>& dirs) {
  std::vector<std::vector<T>> out(dirs.at(0).size());
  for (size_t t = 0; t < out.size(); ++t)
    for (const auto& d : dirs) out[t].insert(out[t].end(), d[t].begin(), d[t].end());
  return out;
}

}  // namespace

int cmd_run(const RunArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const Design d = load_design(a.design);
  const Plan& p = d.plan;
  const NumFormat& fmt = p.cfg.format;
  const LstmModel m = load_model(a.model);
  const ModelIndex& ix = m.index;

  // The model must fit the design.
  if (ix.hidden_size > p.cfg.max_hidden)
    throw Error(
        fmt::format("run: model '{}': field 'hidden_size': value {} is not allowed (at most the design's "
                    "max_hidden = {})",
                    a.model, ix.hidden_size, p.cfg.max_hidden));
  for (int l = 0; l < ix.num_layers; ++l)
    if (ix.layer_input(l) > p.cfg.max_input)
      throw Error(fmt::format(
          "run: model '{}': layer {} has input size {}{} (at most the design's max_input = {})", a.model, l,
          ix.layer_input(l), l == 0 ? "" : fmt::format(" = {} directions x hidden {}", ix.directions(), ix.hidden_size),
          p.cfg.max_input));

  // Inputs: [T, X] (one sequence) or [N, T, X].
  const NpyArray xin = read_npy(a.inputs);
  std::vector<size_t> xs = xin.shape;
  if (xs.size() == 2) xs.insert(xs.begin(), 1);
  if (xs.size() != 3 || xs[1] < 1 || xs[0] < 1 || xs[2] != static_cast<size_t>(ix.input_size))
    throw Error(fmt::format("run: field '--inputs': '{}' has shape ({}), expected (T, {}) or (N, T, {}) with T >= 1",
                            a.inputs, fmt::join(xin.shape, ", "), ix.input_size, ix.input_size));
  for (size_t i = 0; i < xin.data.size(); ++i)
    if (!std::isfinite(xin.data[i]))
      throw Error(fmt::format("run: field '--inputs': '{}' holds {} at index {} (allowed: finite values)", a.inputs,
                              xin.data[i], i));
  const size_t N = xs[0], T = xs[1], X = xs[2];

  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) throw Error(fmt::format("run: field '--out': cannot create '{}' ({})", a.out, ec.message()));

  // Quantization of every layer and direction, with the values that saturated.
  json quant = json::array();
  std::vector<std::vector<FixedLayer>> qlayers;
  for (int l = 0; l < ix.num_layers; ++l) {
    std::vector<FixedLayer> dirs;
    for (int dd = 0; dd < ix.directions(); ++dd) {
      Saturations s;
      dirs.push_back(quantize_layer(m.layers[l][dd], fmt, nullptr, &s));
      const std::string sfx = fmt::format("_l{}{}", l, dd ? "_reverse" : "");
      quant.push_back({{"layer", l},
                       {"direction", dd ? "reverse" : "forward"},
                       {"saturated", {{"weight_ih" + sfx, s.w}, {"weight_hh" + sfx, s.u}, {"bias" + sfx, s.b}}},
                       {"values", dirs.back().w.size() + dirs.back().u.size() + dirs.back().b.size()}});
      if (!a.json && s.total() > 0)
        std::fprintf(stderr, "run: layer %d %s: %ld of the weights and biases saturated in the %d.%d format\n", l,
                     dd ? "reverse" : "forward", s.total(), fmt.data_bits - fmt.frac_bits, fmt.frac_bits);
    }
    qlayers.push_back(std::move(dirs));
  }

  if (!a.json) std::fprintf(stderr, "run: building the Verilator model (cached after the first time)...\n");
  const fs::path exe = build_simulator(d, SimBuildOptions{});

  std::vector<double> out_rtl, out_double;
  std::vector<int64_t> out_codes, out_golden_codes;
  const FixedLstm golden(fmt);
  json layers_report = json::array();
  long input_saturations = 0;
  bool all_exact = true;
  uint64_t total_cycles = 0;
  const int H = ix.hidden_size;
  for (size_t n = 0; n < N && all_exact; ++n) {
    std::vector<std::vector<double>> cur_f(T, std::vector<double>(X));
    for (size_t t = 0; t < T; ++t)
      for (size_t k = 0; k < X; ++k) cur_f[t][k] = xin.data[(n * T + t) * X + k];
    long sat = 0;
    std::vector<std::vector<int64_t>> cur_q = quantize_sequence(cur_f, fmt, &sat);
    input_saturations += sat;
    // The golden fixed-point model on its own (each layer fed the golden outputs of the last).
    std::vector<std::vector<int64_t>> cur_g = cur_q;
    for (int l = 0; l < ix.num_layers; ++l) {
      std::vector<std::vector<std::vector<int64_t>>> hg;
      for (int dd = 0; dd < ix.directions(); ++dd) {
        const FixedTrace g = golden.run(qlayers[l][dd], dd ? reversed(cur_g) : cur_g);
        hg.push_back(dd ? reversed(g.h) : g.h);
      }
      cur_g = concat_dirs(hg);
    }
    const auto g_flat = flatten(cur_g);
    out_golden_codes.insert(out_golden_codes.end(), g_flat.begin(), g_flat.end());
    for (int l = 0; l < ix.num_layers && all_exact; ++l) {
      const int in = ix.layer_input(l);
      const RunShape s{H, in, static_cast<int>(T), choose_width(p, H, in, static_cast<int>(T)).width};
      std::vector<std::vector<std::vector<int64_t>>> hq;
      std::vector<std::vector<std::vector<double>>> hf;
      for (int dd = 0; dd < ix.directions(); ++dd) {
        CaseData data{qlayers[l][dd], dd ? reversed(cur_q) : cur_q};
        SimOptions so;
        so.work = fs::path(a.out) / "runs" / fmt::format("l{}_{}", l, dd ? "reverse" : "forward");
        SimResult hw;
        const CaseResult r = run_case(d, exe, s, 0, so, &data, &hw);
        total_cycles += r.cycles;
        const std::string dir = dd ? "reverse" : "forward";
        if (n == 0 || !r.bit_exact)
          layers_report.push_back({{"sequence", n},
                                   {"layer", l},
                                   {"direction", dir},
                                   {"hidden", H},
                                   {"input", in},
                                   {"steps", T},
                                   {"width", s.width},
                                   {"bit_exact", r.bit_exact},
                                   {"mismatches", r.mismatches},
                                   {"cycles", r.cycles},
                                   {"predicted_cycles", r.predicted_cycles}});
        if (!a.json)
          std::fprintf(stderr, "run: sequence %zu/%zu layer %d %-7s H=%d X=%d T=%zu K=%d: %s, %llu cycles\n", n + 1, N,
                       l, dir.c_str(), H, in, T, s.width, r.bit_exact ? "bit-exact" : "MISMATCH",
                       static_cast<unsigned long long>(r.cycles));
        if (!r.bit_exact) {
          all_exact = false;
          for (const auto& mm : r.first_mismatches)
            std::fprintf(stderr, "run:   step %d neuron %d %s: golden %lld, RTL %lld\n", mm.step, mm.neuron,
                         mm.what.c_str(), static_cast<long long>(mm.expected), static_cast<long long>(mm.got));
          break;
        }
        hq.push_back(dd ? reversed(hw.h) : hw.h);
        const FloatTrace ft = run_double(m.layers[l][dd], dd ? reversed(cur_f) : cur_f);
        hf.push_back(dd ? reversed(ft.h) : ft.h);
      }
      if (!all_exact) break;
      cur_q = concat_dirs(hq);
      cur_f = concat_dirs(hf);
    }
    if (!all_exact) break;
    for (auto v : flatten(cur_q)) {
      out_codes.push_back(v);
      out_rtl.push_back(to_real(v, fmt.frac_bits));
    }
    const auto f = flatten(cur_f);
    out_double.insert(out_double.end(), f.begin(), f.end());
  }

  const size_t width_out = static_cast<size_t>(H) * ix.directions();
  json report = {{"design", a.design},
                 {"model", a.model},
                 {"inputs", a.inputs},
                 {"sequences", N},
                 {"steps", T},
                 {"layers", ix.num_layers},
                 {"bidirectional", ix.bidirectional},
                 {"format", fmt::format("{}.{} (data bits {}, fraction bits {})", fmt.data_bits - fmt.frac_bits,
                                        fmt.frac_bits, fmt.data_bits, fmt.frac_bits)},
                 {"quantization", quant},
                 {"input_saturations", input_saturations},
                 {"layer_runs", layers_report},
                 {"bit_exact", all_exact},
                 {"cycles", total_cycles},
                 {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
  if (all_exact) {
    write_npy(fs::path(a.out) / "output_rtl.npy", out_rtl, {N, T, width_out});
    write_npy(fs::path(a.out) / "output_codes.npy", out_codes, {N, T, width_out});
    write_npy(fs::path(a.out) / "output_golden_double.npy", out_double, {N, T, width_out});
    write_npy(fs::path(a.out) / "output_golden_codes.npy", out_golden_codes, {N, T, width_out});
  }
  {
    std::ofstream o(fs::path(a.out) / "report.json");
    o << report.dump(2) << "\n";
  }
  if (a.json) {
    std::printf("%s\n", report.dump(2).c_str());
  } else {
    std::printf(
        "run: %zu sequence(s) x %d layer(s)%s: %s; %llu cycles; outputs in %s (output_rtl.npy, "
        "output_codes.npy, output_golden_codes.npy, output_golden_double.npy, report.json)\n",
        N, ix.num_layers, ix.bidirectional ? " x 2 directions" : "",
        all_exact ? "every layer bit-exact with the golden fixed-point model" : "MISMATCH (see above)",
        static_cast<unsigned long long>(total_cycles), a.out.c_str());
  }
  return all_exact ? 0 : 1;
}

}  // namespace sharp::cli
