#include "run.hpp"

#include "cli_util.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "sharp/error.hpp"
#include "sharp/model_file.hpp"
#include "sharp/program.hpp"
#include "sharp/verify.hpp"

namespace sharp::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using Seq = std::vector<std::vector<int64_t>>;  // [step][element]

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

// Everything a run needs from the model, the inputs and the design.
struct RunJob {
  RunJob(const RunArgs& args, Design design, LstmModel model) : a(args), d(std::move(design)), m(std::move(model)) {}
  const RunArgs& a;
  Design d;
  LstmModel m;
  size_t N = 0, T = 0, X = 0;
  std::vector<std::vector<std::vector<double>>> xf;  // [sequence][step][element]
  std::vector<std::vector<FixedLayer>> qlayers;      // [layer][direction]
  // Initial states (--h0, --c0), per unit u = layer x directions + direction and sequence;
  // empty without --h0 and --c0.
  std::vector<std::vector<FloatState>> init_f;
  std::vector<std::vector<FixedState>> init_q;
  long state_saturations = 0;
  bool has_init() const { return !init_q.empty(); }
  const FixedState* init_of(int l, int dd, size_t n) const {
    return has_init() ? &init_q[static_cast<size_t>(l * dirs() + dd)][n] : nullptr;
  }
  const FloatState* float_init_of(int l, int dd, size_t n) const {
    return has_init() ? &init_f[static_cast<size_t>(l * dirs() + dd)][n] : nullptr;
  }
  json quant = json::array();
  long input_saturations = 0;
  // The golden fixed-point chain: gin[n][l] is layer l's input for sequence n (the golden outputs
  // of layer l - 1, which every checked run of that layer reproduces bit for bit); gout[n] the
  // last layer's outputs.
  std::vector<std::vector<Seq>> gin;
  std::vector<Seq> gout;
  int dirs() const { return m.index.directions(); }
  int layers() const { return m.index.num_layers; }
  int H() const { return m.index.hidden_size; }
};

void check_fit(const RunJob& j) {
  const Plan& p = j.d.plan;
  const ModelIndex& ix = j.m.index;
  if (!p.cfg.has_cell(ix.cell))
    throw Error(fmt::format(
        "run: model '{}': field 'cell': value '{}' is not allowed (the design's cells: {}; generate a design "
        "with --set cells=...)",
        j.a.model, cell_name(ix.cell), p.cfg.to_json()["cells"].dump()));
  if (ix.hidden_size > p.cfg.max_hidden)
    throw Error(
        fmt::format("run: model '{}': field 'hidden_size': value {} is not allowed (at most the design's "
                    "max_hidden = {})",
                    j.a.model, ix.hidden_size, p.cfg.max_hidden));
  for (int l = 0; l < ix.num_layers; ++l)
    if (ix.layer_input(l) > p.cfg.max_input)
      throw Error(fmt::format(
          "run: model '{}': layer {} has input size {}{} (at most the design's max_input = {})", j.a.model, l,
          ix.layer_input(l), l == 0 ? "" : fmt::format(" = {} directions x hidden {}", ix.directions(), ix.hidden_size),
          p.cfg.max_input));
}

// Inputs: [T, X] (one sequence) or [N, T, X], finite.
void read_inputs(RunJob& j) {
  const NpyArray xin = read_npy(j.a.inputs);
  std::vector<size_t> xs = xin.shape;
  if (xs.size() == 2) xs.insert(xs.begin(), 1);
  const int X = j.m.index.input_size;
  if (xs.size() != 3 || xs[1] < 1 || xs[0] < 1 || xs[2] != static_cast<size_t>(X))
    throw Error(fmt::format("run: field '--inputs': '{}' has shape ({}), expected (T, {}) or (N, T, {}) with T >= 1",
                            j.a.inputs, fmt::join(xin.shape, ", "), X, X));
  for (size_t i = 0; i < xin.data.size(); ++i)
    if (!std::isfinite(xin.data[i]))
      throw Error(fmt::format("run: field '--inputs': '{}' holds {} at index {} (allowed: finite values)", j.a.inputs,
                              xin.data[i], i));
  j.N = xs[0];
  j.T = xs[1];
  j.X = xs[2];
  j.xf.assign(j.N, std::vector<std::vector<double>>(j.T, std::vector<double>(j.X)));
  for (size_t n = 0; n < j.N; ++n)
    for (size_t t = 0; t < j.T; ++t)
      for (size_t k = 0; k < j.X; ++k) j.xf[n][t][k] = xin.data[(n * j.T + t) * j.X + k];
}

// --h0 and --c0: (layers x directions, N, H), or (layers x directions, H) for one sequence,
// finite; quantized (h into the data format, c into the cell format, saturating). Only the lstm
// has c. One given alone: the other is zero.
void read_states(RunJob& j) {
  if (j.a.h0.empty() && j.a.c0.empty()) return;
  const ModelIndex& ix = j.m.index;
  if (!j.a.c0.empty() && ix.cell != Cell::Lstm)
    throw Error(fmt::format("run: field '--c0': the model's cell '{}' has no cell state (only lstm models take c0)",
                            cell_name(ix.cell)));
  const size_t U = static_cast<size_t>(j.layers() * j.dirs()), H = static_cast<size_t>(j.H());
  const NumFormat& f = j.d.plan.cfg.format;
  j.init_f.assign(U, std::vector<FloatState>(j.N));
  j.init_q.assign(U, std::vector<FixedState>(j.N));
  auto read = [&](const std::string& path, const char* field, bool cell) {
    if (path.empty()) return;
    const NpyArray a = read_npy(path);
    std::vector<size_t> sh = a.shape;
    if (sh.size() == 2 && j.N == 1) sh.insert(sh.begin() + 1, 1);
    if (sh.size() != 3 || sh[0] != U || sh[1] != j.N || sh[2] != H)
      throw Error(fmt::format(
          "run: field '{}': '{}' has shape ({}), expected ({}, {}, {}) (layers x directions, "
          "sequences, hidden){}",
          field, path, fmt::join(a.shape, ", "), U, j.N, H, j.N == 1 ? fmt::format(" or ({}, {})", U, H) : ""));
    for (size_t i = 0; i < a.data.size(); ++i)
      if (!std::isfinite(a.data[i]))
        throw Error(fmt::format("run: field '{}': '{}' holds {} at index {} (allowed: finite values)", field, path,
                                a.data[i], i));
    for (size_t u = 0; u < U; ++u)
      for (size_t n = 0; n < j.N; ++n) {
        std::vector<double> v(a.data.begin() + static_cast<std::ptrdiff_t>((u * j.N + n) * H),
                              a.data.begin() + static_cast<std::ptrdiff_t>((u * j.N + n + 1) * H));
        std::vector<int64_t> q;
        for (double x : v) {
          bool sat = false;
          q.push_back(quantize(x, f.frac_bits, cell ? f.cell_bits : f.data_bits, &sat));
          j.state_saturations += sat ? 1 : 0;
        }
        (cell ? j.init_f[u][n].c : j.init_f[u][n].h) = std::move(v);
        (cell ? j.init_q[u][n].c : j.init_q[u][n].h) = std::move(q);
      }
  };
  read(j.a.h0, "--h0", false);
  read(j.a.c0, "--c0", true);
  // The hardware takes both (zeros for the one not given).
  for (auto& per : j.init_q)
    for (FixedState& z : per) {
      if (z.h.empty()) z.h.assign(H, 0);
      if (z.c.empty()) z.c.assign(H, 0);
    }
  if (!j.a.json && j.state_saturations > 0)
    std::fprintf(stderr, "run: %ld initial-state values saturated in the %d.%d format\n", j.state_saturations,
                 f.data_bits - f.frac_bits, f.frac_bits);
}

// Quantization of every layer and direction, with the values that saturated.
void quantize_all(RunJob& j) {
  const NumFormat& fmt = j.d.plan.cfg.format;
  for (int l = 0; l < j.layers(); ++l) {
    std::vector<FixedLayer> dirs;
    for (int dd = 0; dd < j.dirs(); ++dd) {
      Saturations s;
      dirs.push_back(quantize_layer(j.m.layers[l][dd], fmt, nullptr, &s));
      const std::string sfx = fmt::format("_l{}{}", l, dd ? "_reverse" : "");
      j.quant.push_back({{"layer", l},
                         {"direction", dd ? "reverse" : "forward"},
                         {"saturated", {{"weight_ih" + sfx, s.w}, {"weight_hh" + sfx, s.u}, {"bias" + sfx, s.b}}},
                         {"values", dirs.back().w.size() + dirs.back().u.size() + dirs.back().b.size()}});
      if (!j.a.json && s.total() > 0)
        std::fprintf(stderr,
                     "run: layer %d %s: %ld of the weights and biases saturated (weights %d.%d, biases %d.%d)\n", l,
                     dd ? "reverse" : "forward", s.total(), fmt.data_bits - fmt.wfrac(), fmt.wfrac(),
                     fmt.data_bits - fmt.frac_bits, fmt.frac_bits);
    }
    j.qlayers.push_back(std::move(dirs));
  }
}

// The golden fixed-point model on its own, each layer fed the golden outputs of the last.
void golden_chain(RunJob& j) {
  const FixedLstm golden(j.d.plan.cfg.format);
  for (size_t n = 0; n < j.N; ++n) {
    long sat = 0;
    Seq cur = quantize_sequence(j.xf[n], j.d.plan.cfg.format, &sat);
    j.input_saturations += sat;
    std::vector<Seq> ins;
    for (int l = 0; l < j.layers(); ++l) {
      ins.push_back(cur);
      std::vector<Seq> hg;
      for (int dd = 0; dd < j.dirs(); ++dd) {
        const FixedTrace g = golden.run(j.qlayers[l][dd], dd ? reversed(cur) : cur, j.init_of(l, dd, n));
        hg.push_back(dd ? reversed(g.h) : g.h);
      }
      cur = concat_dirs(hg);
    }
    j.gin.push_back(std::move(ins));
    j.gout.push_back(std::move(cur));
  }
}

// The double-precision model of every sequence (for output_golden_double.npy).
std::vector<double> double_outputs(const RunJob& j) {
  std::vector<double> out;
  for (size_t n = 0; n < j.N; ++n) {
    std::vector<std::vector<double>> cur = j.xf[n];
    for (int l = 0; l < j.layers(); ++l) {
      std::vector<std::vector<std::vector<double>>> hf;
      for (int dd = 0; dd < j.dirs(); ++dd) {
        const FloatTrace ft = run_double(j.m.layers[l][dd], dd ? reversed(cur) : cur, j.float_init_of(l, dd, n));
        hf.push_back(dd ? reversed(ft.h) : ft.h);
      }
      cur = concat_dirs(hf);
    }
    const auto f = flatten(cur);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

// What a run path hands back: the RTL's last-layer outputs per sequence (when every run was
// exact), the per-run report, cycle totals.
struct RunOutcome {
  bool exact = true;
  std::vector<Seq> out;  // [sequence]
  json runs = json::array();
  json program;         // the program path's end-to-end figures
  uint64_t cycles = 0;  // sum of the runs' CYCLES counters
};

void print_mismatches(const std::vector<Mismatch>& mm) {
  for (const auto& m : mm)
    std::fprintf(stderr, "run:   step %d neuron %d %s: golden %lld, RTL %lld\n", m.step, m.neuron, m.what.c_str(),
                 static_cast<long long>(m.expected), static_cast<long long>(m.got));
}

json layer_run_json(size_t n, int l, int dd, int H, int in, size_t T, int width, bool exact, long mismatches,
                    uint64_t cycles, uint64_t predicted) {
  return {{"sequence", n},
          {"layer", l},
          {"direction", dd ? "reverse" : "forward"},
          {"hidden", H},
          {"input", in},
          {"steps", T},
          {"width", width},
          {"bit_exact", exact},
          {"mismatches", mismatches},
          {"cycles", cycles},
          {"predicted_cycles", predicted}};
}

// The old path: a simulator process per layer, direction and sequence, weights loaded each time.
RunOutcome run_separately(const RunJob& j, const fs::path& exe) {
  const Plan& p = j.d.plan;
  RunOutcome o;
  const int H = j.H();
  for (size_t n = 0; n < j.N && o.exact; ++n) {
    for (int l = 0; l < j.layers() && o.exact; ++l) {
      const Seq& cur = j.gin[n][static_cast<size_t>(l)];
      const int in = j.m.index.layer_input(l);
      const RunShape s{H,
                       in,
                       static_cast<int>(j.T),
                       choose_width(p, H, in, static_cast<int>(j.T)).width,
                       1,
                       0,
                       static_cast<int>(j.m.index.cell),
                       j.has_init()};
      std::vector<Seq> hq;
      for (int dd = 0; dd < j.dirs(); ++dd) {
        CaseData data{j.qlayers[l][dd], dd ? reversed(cur) : cur, {}, {}};
        if (j.has_init()) data.init = {*j.init_of(l, dd, n)};
        SimOptions so;
        so.work = fs::path(j.a.out) / "runs" / fmt::format("l{}_{}", l, dd ? "reverse" : "forward");
        SimResult hw;
        const CaseResult r = run_case(j.d, exe, s, 0, so, &data, &hw);
        o.cycles += r.cycles;
        if (n == 0 || !r.bit_exact)
          o.runs.push_back(
              layer_run_json(n, l, dd, H, in, j.T, s.width, r.bit_exact, r.mismatches, r.cycles, r.predicted_cycles));
        if (!j.a.json)
          std::fprintf(stderr, "run: sequence %zu/%zu layer %d %-7s H=%d X=%d T=%zu K=%d: %s, %llu cycles\n", n + 1,
                       j.N, l, dd ? "reverse" : "forward", H, in, j.T, s.width, r.bit_exact ? "bit-exact" : "MISMATCH",
                       static_cast<unsigned long long>(r.cycles));
        if (!r.bit_exact) {
          o.exact = false;
          print_mismatches(r.first_mismatches);
          break;
        }
        hq.push_back(dd ? reversed(hw.h) : hw.h);
      }
      if (o.exact && l == j.layers() - 1) o.out.push_back(concat_dirs(hq));
    }
  }
  return o;
}

// What each stream of each run computes: the sequence, direction and layer (stream s of run r),
// and for a wavefront the time slot of its step 0 (its layer's place in the run).
struct StreamOf {
  size_t sequence = 0;
  int direction = 0;
  int layer = 0, skew = 0;
};

// The model as a program with streams: for every layer, its directions loaded into two adjacent
// slots (2i, 2i + 1), and runs of up to `n_max` streams, each a (sequence, direction) of the
// layer: stream s of a run is sequence first + s / dirs, direction s % dirs (the reverse one
// computing the slot above, STREAM_SLOTS). x of a reverse stream is its sequence reversed.
// With `wave` layers per run (>= 2; one direction, layers of input = hidden): layers of equal
// shape after the first go as wavefronts of up to `wave` layers, b = n_max / wave sequences each
// (WAVEFRONT = b), their loads in ascending slots; stream c b + i is layer c of the run for
// sequence i, step t in time slot t + c (T + layers - 1 slots).
Program streams_program(const RunJob& j, int n_max, int wave, const DmaRate& rate, ProgramData& data,
                        std::vector<std::vector<StreamOf>>& who) {
  const Plan& p = j.d.plan;
  const int dirs = j.dirs(), T = static_cast<int>(j.T), per = n_max / dirs, H = j.H();
  const int pairs = p.cfg.weight_slots / dirs;  // slot groups of `dirs` adjacent slots
  Program g;
  g.rate = rate;
  auto add_run = [&](ProgramRun r, std::vector<StreamOf> streams, Seq xs) {
    r.init = j.has_init();
    std::vector<FixedState> init;
    for (const StreamOf& st : streams)
      if (r.init) init.push_back(*j.init_of(st.layer, st.direction, st.sequence));
    g.runs.push_back(r);
    data.inputs.push_back(std::move(xs));
    data.init.push_back(std::move(init));
    who.push_back(std::move(streams));
  };
  // Layers run as sequences and directions: every layer, or (wave >= 2) a first layer of another
  // input size, ahead of the wavefronts (its load in the slot after the first wavefront's).
  const int wave_from = wave >= 2 ? (j.m.index.layer_input(0) == H ? 0 : 1) : j.layers();
  for (int l = 0; l < wave_from; ++l) {
    const int x = j.m.index.layer_input(l);
    const int n_full = static_cast<int>(std::min<size_t>(static_cast<size_t>(per), j.N)) * dirs;
    const int width = choose_width(p, H, x, T, n_full).width;
    const int u0 = static_cast<int>(g.loads.size());
    for (int dd = 0; dd < dirs; ++dd) {
      const int slot =
          wave >= 2 ? std::min(p.cfg.weight_slots - 1, std::min(wave, j.layers() - 1)) : (l % pairs) * dirs + dd;
      g.loads.push_back({H, x, width, slot});
      data.layers.push_back(j.qlayers[static_cast<size_t>(l)][static_cast<size_t>(dd)]);
    }
    for (size_t first = 0; first < j.N; first += static_cast<size_t>(per)) {
      const int b = static_cast<int>(std::min<size_t>(static_cast<size_t>(per), j.N - first)), n = b * dirs;
      ProgramRun r{u0, T, n, 0, {}, static_cast<int>(j.m.index.cell)};
      std::vector<StreamOf> streams;
      for (int s = 0; s < n; ++s) {
        streams.push_back({first + static_cast<size_t>(s / dirs), s % dirs, l, 0});
        if (dirs > 1 && s > 0) r.stream_loads.push_back(u0 + s % dirs);
      }
      Seq xs;
      for (int t = 0; t < T; ++t)
        for (const StreamOf& st : streams) {
          const Seq& cur = j.gin[st.sequence][static_cast<size_t>(l)];
          xs.push_back(cur[static_cast<size_t>(st.direction ? T - 1 - t : t)]);
        }
      add_run(r, std::move(streams), std::move(xs));
    }
  }
  // The wavefronts: up to `wave` layers per run, b sequences each.
  const int b = std::max(1, n_max / std::max(wave, 1));
  int base = 0;
  for (int l = wave_from; l < j.layers();) {
    const int k = std::min({wave, j.layers() - l, p.cfg.weight_slots}), slots = T + k - 1;
    if (base + k > p.cfg.weight_slots) base = 0;
    const int width = choose_width(p, H, H, slots, b * k, k > 1 ? b : 0).width;
    const int u0 = static_cast<int>(g.loads.size());
    for (int c = 0; c < k; ++c) {
      g.loads.push_back({H, H, width, base + c});
      data.layers.push_back(j.qlayers[static_cast<size_t>(l + c)][0]);
    }
    for (size_t first = 0; first < j.N; first += static_cast<size_t>(b)) {
      const int bb = static_cast<int>(std::min<size_t>(static_cast<size_t>(b), j.N - first)), n = bb * k;
      ProgramRun r{u0, slots, n, k > 1 ? bb : 0, {}, static_cast<int>(j.m.index.cell)};
      std::vector<StreamOf> streams;
      for (int s = 0; s < n; ++s) {
        streams.push_back({first + static_cast<size_t>(s % bb), 0, l + s / bb, s / bb});
        if (s > 0) r.stream_loads.push_back(u0 + s / bb);
      }
      Seq xs;
      for (int t = 0; t < slots; ++t)
        for (const StreamOf& st : streams)
          xs.push_back(st.skew == 0 && t < T ? j.gin[st.sequence][static_cast<size_t>(l)][static_cast<size_t>(t)]
                                             : std::vector<int64_t>(static_cast<size_t>(H), 0));
      add_run(r, std::move(streams), std::move(xs));
    }
    base += k;
    l += k;
  }
  check_program(p, g);
  return g;
}

// The whole model and batch as one program in one simulator process.
RunOutcome run_as_program(const RunJob& j, const fs::path& exe) {
  const Plan& p = j.d.plan;
  std::vector<std::pair<int, int>> layers;
  for (int l = 0; l < j.layers(); ++l) layers.push_back({j.H(), j.m.index.layer_input(l)});
  const DmaRate rate = j.a.dram_gbps > 0 ? dma_rate(j.a.dram_gbps, j.a.clock_mhz) : DmaRate{};
  // Streams where the design has them (and, for two directions, two slots): else a run per
  // sequence and direction (model_program).
  const int n_max = std::min(j.a.streams > 0 ? j.a.streams : p.cfg.streams, p.cfg.streams);
  if (j.a.streams > p.cfg.streams)
    throw Error(fmt::format("run: field '--streams': value {} is not allowed (0 to the design's streams = {})",
                            j.a.streams, p.cfg.streams));
  const bool use_streams =
      n_max >= j.dirs() && p.cfg.weight_slots >= j.dirs() && (j.N > 1 || j.dirs() > 1) && n_max >= 2;
  ProgramData data;
  std::vector<std::vector<StreamOf>> who;  // per run: its streams
  Program g;
  // A wavefront: one direction, layers after the first of input = hidden, and room for 2 layers.
  // (Not with initial states: a wavefront's layers start from zero state.)
  const bool can_wave = j.dirs() == 1 && j.layers() >= 2 && n_max >= 2 && p.cfg.weight_slots >= 2 &&
                        j.layers() - (j.m.index.layer_input(0) == j.H() ? 0 : 1) >= 2 && !j.has_init();
  if (j.a.wavefront == "on" && !can_wave)
    throw Error(fmt::format(
        "run: field '--wavefront': value 'on' is not allowed for this model and design (needs one direction, at "
        "least 2 layers of input = hidden, no --h0/--c0, and a design with streams >= 2 and weight_slots >= 2; the "
        "design has streams = {}, weight_slots = {})",
        p.cfg.streams, p.cfg.weight_slots));
  int wave = 0;
  if (can_wave && j.a.wavefront != "off") {
    // Layers per run: as many as the streams hold for the sequences of a run, at least 2.
    wave = std::max(2, n_max / static_cast<int>(std::min<size_t>(j.N, static_cast<size_t>(n_max / 2))));
    if (j.a.wavefront == "auto") {
      // The planner's choice: the wavefront where the cycle model predicts fewer cycles.
      auto total = [&](int w) {
        ProgramData dd;
        std::vector<std::vector<StreamOf>> ww;
        return predict_program(p, streams_program(j, n_max, w, rate, dd, ww)).cycles;
      };
      if (total(wave) >= total(0)) wave = 0;
    }
  }
  if (wave >= 2 || use_streams) {
    g = streams_program(j, n_max, wave, rate, data, who);
  } else {
    g = model_program(p, layers, j.dirs(), static_cast<int>(j.N), static_cast<int>(j.T), rate,
                      static_cast<int>(j.m.index.cell));
    for (ProgramRun& r : g.runs) r.init = j.has_init();
    // Loads unit by unit (layer, direction); runs sequence by sequence within each (model_program).
    for (int l = 0; l < j.layers(); ++l)
      for (int dd = 0; dd < j.dirs(); ++dd) {
        data.layers.push_back(j.qlayers[l][dd]);
        for (size_t n = 0; n < j.N; ++n) {
          const Seq& cur = j.gin[n][static_cast<size_t>(l)];
          data.inputs.push_back(dd ? reversed(cur) : cur);
          data.init.push_back(j.has_init() ? std::vector<FixedState>{*j.init_of(l, dd, n)} : std::vector<FixedState>{});
          who.push_back({{n, dd, l, 0}});
        }
      }
  }
  SimOptions so;
  so.work = fs::path(j.a.out) / "program";
  if (!j.a.flip_count.empty()) so.flip_count = j.a.flip_count;
  if (!j.a.flip.empty()) {
    int t = 0, n = 0, b = 0;
    char tail = 0;
    if (std::sscanf(j.a.flip.c_str(), "%d:%d:%d%c", &t, &n, &b, &tail) != 3)
      throw Error(
          fmt::format("run: field '--flip': value \"{}\" is not allowed (STEP:NEURON:BIT, e.g. 0:3:0)", j.a.flip));
    so.flip = std::array<int, 3>{t, n, b};
  }
  if (!j.a.json)
    std::fprintf(stderr, "run: %zu load(s) into %d weight slot(s) and %zu run(s) in one simulator process...\n",
                 g.loads.size(), p.cfg.weight_slots, g.runs.size());
  const ProgramResult res = run_program(j.d, exe, g, data, so);
  RunOutcome o;
  // [sequence][direction] of the last layer.
  std::vector<std::vector<Seq>> last(j.N, std::vector<Seq>(static_cast<size_t>(j.dirs())));
  for (size_t r = 0; r < g.runs.size(); ++r) {
    const int u = g.runs[r].load, l = who[r].front().layer;
    const ProgramRunResult& rr = res.runs[r];
    o.cycles += rr.cycles;
    const ProgramLoad& ld = g.loads[static_cast<size_t>(u)];
    const size_t n0 = who[r].front().sequence, ns = who[r].size();
    const int dd0 = who[r].front().direction;
    json lj = layer_run_json(n0, l, dd0, ld.hidden, ld.input, j.T, ld.width, rr.bit_exact, rr.mismatches, rr.cycles,
                             rr.predicted_cycles);
    lj["streams"] = ns;
    lj["wavefront"] = g.runs[r].wavefront;
    lj["layers"] = who[r].back().layer - l + 1;
    if (n0 == 0 || !rr.bit_exact) o.runs.push_back(lj);
    if (!j.a.json && (n0 == 0 || !rr.bit_exact))
      std::fprintf(
          stderr, "run: layer %s %-7s H=%d X=%d T=%zu K=%d slot %d%s: %s%s, %llu cycles per run\n",
          (lj["layers"].get<int>() > 1 ? fmt::format("{}-{}", l, l + lj["layers"].get<int>() - 1) : std::to_string(l))
              .c_str(),
          ns > 1 ? (g.runs[r].wavefront ? "wavefront" : "streams") : (dd0 ? "reverse" : "forward"), ld.hidden, ld.input,
          j.T, ld.width, ld.slot,
          ns > 1 ? fmt::format(" ({} streams: {})", ns,
                               g.runs[r].wavefront ? fmt::format("layers x sequences, {} time slots", g.runs[r].steps)
                                                   : std::string("sequences x directions"))
                       .c_str()
                 : "",
          rr.bit_exact ? "bit-exact" : "MISMATCH", j.N > ns / static_cast<size_t>(j.dirs()) ? " (first run)" : "",
          static_cast<unsigned long long>(rr.cycles));
    if (!rr.bit_exact) {
      if (o.exact) print_mismatches(rr.first_mismatches);
      o.exact = false;
    }
    // Stream s of the run: step t at virtual step (t + skew) ns + s (skew: a wavefront's layer).
    for (size_t s = 0; s < ns; ++s) {
      const StreamOf& st = who[r][s];
      if (st.layer != j.layers() - 1) continue;
      Seq hs;
      for (size_t t = 0; t < j.T; ++t) hs.push_back(rr.h.at((t + static_cast<size_t>(st.skew)) * ns + s));
      last[st.sequence][static_cast<size_t>(st.direction)] = st.direction ? reversed(hs) : hs;
    }
  }
  if (o.exact)
    for (size_t n = 0; n < j.N; ++n) o.out.push_back(concat_dirs(last[n]));
  const double bound = static_cast<double>(std::max(res.compute, res.loading));
  o.program = {{"loads", g.loads.size()},
               {"runs", g.runs.size()},
               {"weight_slots", p.cfg.weight_slots},
               {"dram_bits_per_cycle", rate.bits_per_cycle()},
               {"end_to_end_cycles", res.cycles},
               {"predicted_end_to_end_cycles", res.predicted_cycles},
               {"cycle_model_exact", res.model_exact()},
               {"compute_cycles", res.compute},
               {"load_cycles", res.loading},
               {"end_to_end_over_bound", bound > 0 ? static_cast<double>(res.cycles) / bound : 0.0},
               {"macros_checked", res.macros_checked},
               {"events_checked", res.events_checked},
               {"access_problems", res.access_problems},
               {"param_problems", res.param_problems}};
  if (!res.model_exact() || !res.access_problems.empty() || !res.param_problems.empty()) {
    o.exact = false;
    std::fprintf(stderr, "run: the program model disagrees with the RTL: end to end %llu cycles, model %llu%s%s\n",
                 static_cast<unsigned long long>(res.cycles), static_cast<unsigned long long>(res.predicted_cycles),
                 res.access_problems.empty() ? "" : ("; accesses: " + res.access_problems).c_str(),
                 res.param_problems.empty() ? "" : ("; registers: " + res.param_problems).c_str());
  }
  if (!j.a.json)
    std::fprintf(stderr,
                 "run: end to end %llu cycles (model %llu): compute %llu, loads %llu, %.3f x max(compute, loads); "
                 "%d macros' reads and writes and %d events %s\n",
                 static_cast<unsigned long long>(res.cycles), static_cast<unsigned long long>(res.predicted_cycles),
                 static_cast<unsigned long long>(res.compute), static_cast<unsigned long long>(res.loading),
                 bound > 0 ? static_cast<double>(res.cycles) / bound : 0.0, res.macros_checked, res.events_checked,
                 res.access_problems.empty() ? "equal to the model" : "checked (see the differences above)");
  return o;
}

}  // namespace

int cmd_run(const RunArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  RunJob j{a, load_design(a.design), load_model(a.model)};
  check_fit(j);
  read_inputs(j);
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) throw Error(fmt::format("run: field '--out': cannot create '{}' ({})", a.out, ec.message()));
  quantize_all(j);
  read_states(j);
  golden_chain(j);

  if (!a.json) std::fprintf(stderr, "run: building the Verilator model (cached after the first time)...\n");
  const fs::path exe = build_simulator(j.d, SimBuildOptions{});
  const RunOutcome o = a.separate_runs ? run_separately(j, exe) : run_as_program(j, exe);

  const NumFormat& fmt = j.d.plan.cfg.format;
  const size_t N = j.N, T = j.T, width_out = static_cast<size_t>(j.H()) * j.dirs();
  json report = {
      {"design", a.design},
      {"model", a.model},
      {"inputs", a.inputs},
      {"sequences", N},
      {"steps", T},
      {"layers", j.layers()},
      {"bidirectional", j.m.index.bidirectional},
      {"format", fmt::format("{}.{} (data bits {}, fraction bits {}; weights {}.{})", fmt.data_bits - fmt.frac_bits,
                             fmt.frac_bits, fmt.data_bits, fmt.frac_bits, fmt.data_bits - fmt.wfrac(), fmt.wfrac())},
      {"quantization", j.quant},
      {"input_saturations", j.input_saturations},
      {"initial_state", j.has_init()},
      {"initial_state_saturations", j.state_saturations},
      {"path", a.separate_runs ? "separate runs" : "one program"},
      {"layer_runs", o.runs},
      {"bit_exact", o.exact},
      {"cycles", o.cycles},
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
  if (!o.program.is_null()) report["program"] = o.program;
  if (o.exact) {
    std::vector<double> out_rtl;
    std::vector<int64_t> out_codes, out_golden_codes;
    for (size_t n = 0; n < N; ++n) {
      for (auto v : flatten(o.out[n])) {
        out_codes.push_back(v);
        out_rtl.push_back(to_real(v, fmt.frac_bits));
      }
      const auto g = flatten(j.gout[n]);
      out_golden_codes.insert(out_golden_codes.end(), g.begin(), g.end());
    }
    write_npy(fs::path(a.out) / "output_rtl.npy", out_rtl, {N, T, width_out});
    write_npy(fs::path(a.out) / "output_codes.npy", out_codes, {N, T, width_out});
    write_npy(fs::path(a.out) / "output_golden_double.npy", double_outputs(j), {N, T, width_out});
    write_npy(fs::path(a.out) / "output_golden_codes.npy", out_golden_codes, {N, T, width_out});
  }
  {
    std::ofstream f(fs::path(a.out) / "report.json");
    f << report.dump(2) << "\n";
  }
  if (a.json) {
    std::printf("%s\n", report.dump(2).c_str());
  } else {
    std::printf(
        "run: %zu sequence(s) x %d layer(s)%s: %s; %llu cycles; outputs in %s (output_rtl.npy, "
        "output_codes.npy, output_golden_codes.npy, output_golden_double.npy, report.json)\n",
        N, j.layers(), j.m.index.bidirectional ? " x 2 directions" : "",
        o.exact ? "every layer bit-exact with the golden fixed-point model" : "MISMATCH (see above)",
        static_cast<unsigned long long>(o.cycles), a.out.c_str());
  }
  return o.exact ? 0 : 1;
}

}  // namespace sharp::cli
