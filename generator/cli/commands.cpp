#include "commands.hpp"

#include "cli_util.hpp"

#include "bench.hpp"
#include "explore.hpp"

#include <unistd.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sharp/activity.hpp"
#include "sharp/emit.hpp"
#include "sharp/error.hpp"
#include "sharp/model_file.hpp"
#include "sharp/sta.hpp"
#include "sharp/svg.hpp"
#include "sharp/synth.hpp"
#include "sharp/text_file.hpp"
#include "sharp/verify.hpp"

namespace sharp::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The output directory must be creatable and writable; say so before doing any work.
void check_out_dir(const std::string& out) {
  if (out.empty()) throw Error("generate: field '--out': value \"\" is not allowed (a directory path)");
  fs::path p(out);
  std::error_code ec;
  if (fs::exists(p, ec) && !fs::is_directory(p, ec))
    throw Error(fmt::format("generate: field '--out': '{}' exists and is not a directory (give a directory)", out));
  fs::path probe = p;
  while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();
  if (probe.empty()) probe = ".";
  if (access(probe.c_str(), W_OK) != 0)
    throw Error(fmt::format("generate: field '--out': '{}' is not writable (directory '{}' denies writing)", out,
                            probe.string()));
}

Config load(const std::string& file, const std::vector<std::string>& overrides) {
  fs::path f(file);
  return load_config(file.empty() ? nullptr : &f, overrides);
}

// --shell axi needs a design generated with the shell.
void check_shell(const Design& d, const std::string& shell, const char* cmd) {
  if (shell == "axi" && !d.plan.cfg.axi())
    throw Error(fmt::format("{}: field '--shell': design '{}' has no AXI shell (generate it with --set shell=axi)", cmd,
                            d.dir.string()));
}

void print_case_line(const CaseResult& r, int index, int total) {
  std::printf("[%*d/%d] H=%-5d X=%-5d T=%-3d K=%-4d%s seed=%-6llu %s  cycles=%llu model=%llu%s  util=%.3f\n",
              static_cast<int>(std::to_string(total).size()), index, total, r.shape.hidden, r.shape.input,
              r.shape.steps, r.shape.width,
              r.shape.streams > 1
                  ? fmt::format(" n={}{}", r.shape.streams,
                                r.shape.wavefront ? fmt::format(" g={}", r.shape.wavefront) : std::string())
                        .c_str()
                  : "",
              static_cast<unsigned long long>(r.seed), r.bit_exact ? "bit-exact" : "MISMATCH ",
              static_cast<unsigned long long>(r.cycles), static_cast<unsigned long long>(r.predicted_cycles),
              r.model_exact() ? "" : " (MODEL DIFFERS)", r.utilization);
  for (const auto& m : r.first_mismatches)
    std::printf("      step %d neuron %d %s: expected %lld, got %lld\n", m.step, m.neuron, m.what.c_str(),
                static_cast<long long>(m.expected), static_cast<long long>(m.got));
  if (!r.param_problems.empty()) std::printf("      design-parameter registers: %s\n", r.param_problems.c_str());
  if (!r.access_problems.empty()) std::printf("      SRAM access counts: %s\n", r.access_problems.c_str());
  if (!r.protocol_problems.empty()) std::printf("      AXI protocol checker: %s\n", r.protocol_problems.c_str());
  if (r.scenario != "none" || !r.scenario_problems.empty())
    std::printf("      scenario %s: %s\n", r.scenario.c_str(),
                r.scenario_problems.empty() ? "refused and recovered as expected" : r.scenario_problems.c_str());
  std::fflush(stdout);
}

// The regression's run-time cases: edge shapes first, then random ones.
std::vector<RunShape> regression_shapes(const Plan& p, int n, uint64_t seed) {
  const int MH = p.cfg.max_hidden, MX = p.cfg.max_input;
  auto clampH = [&](int h) { return std::max(1, std::min(MH, h)); };
  auto clampX = [&](int x) { return std::max(1, std::min(MX, x)); };
  std::vector<RunShape> s = {
      {1, 1, 1, 0},
      {clampH(1), clampX(13), 3, 0},
      {clampH(7), clampX(1), 2, 0},
      {clampH(37), clampX(13), 4, 0},
      {clampH(100), clampX(40), 3, 0},
      {MH, MX, 2, 0},
      {MH, 1, 2, 0},
      {1, MX, 2, 0},
      {clampH(p.k + 1), clampX(p.k - 1), 3, 0},
      {clampH(p.rows / 4 + 1), clampX(2 * p.k + 3), 5, 0},
  };
  std::mt19937_64 rng(seed * 7919 + 17);
  while (static_cast<int>(s.size()) < n) {
    std::uniform_int_distribution<int> dh(1, MH), dx(1, MX), dt(1, 6);
    s.push_back({dh(rng), dx(rng), dt(rng), 0});
  }
  s.resize(n);
  // Every run-time width in turn.
  const auto widths = p.widths();
  for (size_t i = 0; i < s.size(); ++i) s[i].width = widths[i % widths.size()];
  return s;
}

}  // namespace

namespace {
// --target-area: candidates 16, 32, ... MACs (widths by the bench rule: k_max the power of two
// nearest above sqrt(N), at most 256 and N/4; k_min = k_max / 8, at least 2), each generated and
// synthesized in OUT/target-area/mN, smallest first, until one does not fit.
int generate_for_area(const GenerateArgs& a) {
  if (!a.liberty.empty() && !fs::is_regular_file(a.liberty))
    throw Error(
        fmt::format("generate: field '--liberty': file '{}' does not exist (give a Liberty .lib file)", a.liberty));
  if (!a.models.empty()) {
    // The design for the user's models: explore's answer (it also reports the rule below, as its
    // naive baseline, side by side).
    check_out_dir(a.out);
    ExploreArgs e;
    e.config = a.config;
    e.overrides = a.overrides;
    e.models = a.models;
    e.target_area_mm2 = a.target_area_mm2;
    e.liberty = a.liberty;
    e.work = (fs::path(a.out) / "explore").string();
    e.out = a.out;
    return cmd_explore(e);
  }
  const Config base = load(a.config, a.overrides);
  check_out_dir(a.out);
  const fs::path work = fs::path(a.out) / "target-area";
  struct Cand {
    int macs, k_max, k_min;
    double logic_mm2 = 0, mem_mm2 = 0, total_mm2 = 0;
    bool fits = false;
  };
  std::vector<Cand> tried;
  std::optional<Plan> best_plan;
  std::optional<Cand> best;
  for (int n = 16; n <= 65536; n *= 2) {
    const int k = std::min(width_for(n), n / 4);
    const int kmin = std::max(2, k / 8);
    Config c = base;
    c.macs = n;
    c.k_max = k;
    c.k_min = kmin;
    validate(c);
    const Plan p = make_plan(c);
    const fs::path dir = work / fmt::format("m{}", n);
    write_design(p, dir, a.command + " (target-area candidate)");
    synth::Options o;
    o.design_dir = dir;
    o.work_dir = dir / "synth";
    if (!a.liberty.empty()) o.liberty = fs::path(a.liberty);
    o.yosys = a.yosys;
    o.netlist = false;  // area only
    std::fprintf(stderr, "generate: --target-area %.4g mm^2: estimating %d MACs (widths %d..%d) ...\n",
                 a.target_area_mm2, n, kmin, k);
    const auto t0 = std::chrono::steady_clock::now();
    const synth::Report r = synth::run(o);
    Cand cd{n, k, kmin, r.logic_area_um2 * 1e-6, r.memory_area_um2 * 1e-6, r.total_area_um2 * 1e-6, false};
    cd.fits = cd.total_mm2 <= a.target_area_mm2;
    std::fprintf(stderr, "generate:   %d MACs: %.4f mm^2 (logic %.4f + memories %.4f) -> %s (%.0f s)\n", n,
                 cd.total_mm2, cd.logic_mm2, cd.mem_mm2, cd.fits ? "fits" : "does not fit", seconds_since(t0));
    {
      std::ofstream js(dir / "synth.json");
      js << r.to_json().dump(2) << "\n";
    }
    tried.push_back(cd);
    if (!cd.fits) break;
    best = cd;
    best_plan = p;
  }
  if (!best) {
    const Cand& c = tried.front();
    throw Error(
        fmt::format("generate: field '--target-area': value {} mm^2 is too small: the smallest design ({} MACs) "
                    "is estimated at {:.4f} mm^2 (logic {:.4f} + memories {:.4f}); lower max_hidden/max_input "
                    "to shrink the memories",
                    a.target_area_mm2, c.macs, c.total_mm2, c.logic_mm2, c.mem_mm2));
  }
  write_design(*best_plan, a.out, a.command);
  json j = {{"target_area_mm2", a.target_area_mm2},
            {"liberty", a.liberty.empty() ? synth::default_liberty().string() : a.liberty},
            {"chosen",
             {{"macs", best->macs},
              {"k_max", best->k_max},
              {"k_min", best->k_min},
              {"total_mm2", best->total_mm2},
              {"logic_mm2", best->logic_mm2},
              {"memory_mm2", best->mem_mm2}}},
            {"candidates", json::array()}};
  for (const auto& c : tried)
    j["candidates"].push_back({{"macs", c.macs},
                               {"k_max", c.k_max},
                               {"k_min", c.k_min},
                               {"total_mm2", c.total_mm2},
                               {"logic_mm2", c.logic_mm2},
                               {"memory_mm2", c.mem_mm2},
                               {"fits", c.fits},
                               {"design", (work / fmt::format("m{}", c.macs)).string()}});
  {
    std::ofstream js(fs::path(a.out) / "target_area.json");
    js << j.dump(2) << "\n";
  }
  std::printf("target area %.4g mm^2 (%s):\n", a.target_area_mm2,
              a.liberty.empty() ? "sharp_generic45.lib" : a.liberty.c_str());
  std::printf("  %8s %8s %12s %12s %12s  %s\n", "MACs", "widths", "logic mm^2", "memory mm^2", "total mm^2", "");
  for (const auto& c : tried)
    std::printf("  %8d %3d..%-4d %12.4f %12.4f %12.4f  %s\n", c.macs, c.k_min, c.k_max, c.logic_mm2, c.mem_mm2,
                c.total_mm2, c.fits ? (c.macs == best->macs ? "fits  <- chosen" : "fits") : "does not fit");
  if (tried.back().fits) std::printf("  (65536 MACs is the largest budget the generator supports)\n");
  std::printf("generated '%s': %d MACs, widths %d..%d, estimated %.4f mm^2 -> %s (report: %s)\n",
              best_plan->cfg.name.c_str(), best->macs, best->k_min, best->k_max, best->total_mm2, a.out.c_str(),
              (fs::path(a.out) / "target_area.json").string().c_str());
  return 0;
}
}  // namespace

// --fit-models: the overrides that size a design for the models (largest H, largest layer input,
// layers x directions of the largest model as weight slots, the models' cell kinds unless the
// user gives `cells`, and the weights' fraction bits from their largest magnitude unless the user
// gives format.weight_frac_bits), appended to the user's.
GenerateArgs fit_to_models(const GenerateArgs& a) {
  GenerateArgs f = a;
  for (const auto& o : a.overrides)
    for (const char* k : {"max_hidden=", "max_input=", "weight_slots="})
      if (o.rfind(k, 0) == 0)
        throw Error(
            fmt::format("generate: field '--set': value '{}' is not allowed with --fit-models (which sets "
                        "max_hidden, max_input and weight_slots)",
                        o));
  int h = 1, x = 1, units = 1, cells = 0;
  double peak = 0;  // largest |weight| (W and U) of every model
  std::string biggest;
  for (const auto& dir : a.fit_models) {
    const fs::path index = fs::path(dir) / "model.json";
    if (!fs::is_regular_file(index))
      throw Error(fmt::format("generate: field '--fit-models': '{}' is not a model directory (no model.json)", dir));
    const LstmModel model = load_model(dir);  // the index, and the weights for their range
    const ModelIndex& m = model.index;
    h = std::max(h, m.hidden_size);
    cells |= 1 << static_cast<int>(m.cell);
    for (int l = 0; l < m.num_layers; ++l) x = std::max(x, m.layer_input(l));
    for (const auto& layer : model.layers)
      for (const FloatLayer& d : layer) {
        for (double v : d.w) peak = std::max(peak, std::fabs(v));
        for (double v : d.u) peak = std::max(peak, std::fabs(v));
      }
    if (m.num_layers * m.directions() > units) {
      units = m.num_layers * m.directions();
      biggest = dir;
    }
  }
  if (units > 32)
    throw Error(
        fmt::format("generate: field '--fit-models': model '{}' has {} layers x directions, more than the 32 "
                    "weight slots a design may have",
                    biggest, units));
  f.overrides.push_back(fmt::format("max_hidden={}", h));
  f.overrides.push_back(fmt::format("max_input={}", x));
  f.overrides.push_back(fmt::format("weight_slots={}", units));
  const std::string kinds = cell_list(cells, ",");
  bool user_cells = false;
  for (const auto& o : a.overrides) user_cells = user_cells || o.rfind("cells=", 0) == 0;
  if (!user_cells) f.overrides.push_back("cells=" + kinds);
  // Weights: as many fraction bits as the largest |weight| leaves, i.e. the smallest k >= 0 with
  // 2^k > peak integer bits besides the sign.
  bool user_wfrac = false;
  for (const auto& o : a.overrides) user_wfrac = user_wfrac || o.rfind("format.weight_frac_bits=", 0) == 0;
  std::string wnote = "(as given)";
  if (!user_wfrac) {
    const int data_bits = load(a.config, f.overrides).format.data_bits;
    int int_bits = 0;
    while (int_bits < data_bits - 2 && std::ldexp(1.0, int_bits) <= peak) ++int_bits;
    const int wfrac = data_bits - 1 - int_bits;
    f.overrides.push_back(fmt::format("format.weight_frac_bits={}", wfrac));
    wnote = fmt::format("{} (largest |weight| {:.3g})", wfrac, peak);
  }
  std::printf(
      "fit to %zu model(s): max_hidden=%d, max_input=%d, weight_slots=%d (every layer and direction of the "
      "largest resident), cells=%s, format.weight_frac_bits=%s\n",
      a.fit_models.size(), h, x, units, user_cells ? "(as given)" : kinds.c_str(), wnote.c_str());
  return f;
}

int cmd_generate(const GenerateArgs& args) {
  const GenerateArgs a = args.fit_models.empty() ? args : fit_to_models(args);
  if (a.target_area_mm2 != 0) return generate_for_area(a);
  if (!a.liberty.empty()) throw Error("generate: field '--liberty': only allowed with --target-area");
  const Config cfg = load(a.config, a.overrides);
  check_out_dir(a.out);
  const Plan p = make_plan(cfg);
  write_design(p, a.out, a.command);
  const double slot_kb = static_cast<double>(weight_slot_bits(p)) / 8192.0;
  std::printf(
      "generated '%s': %d MACs (%d row units x %d), max H=%d X=%d, %d activation lanes, weight memory %d slot(s) x "
      "%.1f KB = %.3f MB -> %s\n",
      cfg.name.c_str(), cfg.macs, p.rows, p.k, cfg.max_hidden, cfg.max_input, p.lanes, cfg.weight_slots, slot_kb,
      slot_kb * cfg.weight_slots / 1024.0, a.out.c_str());
  return 0;
}

namespace {
// The cell code of a --cell option (CLI11 checked the name): -1 (the design's first kind) when empty.
int cell_arg(const std::string& name) {
  Cell named = Cell::Lstm;
  return name.empty() || !parse_cell(name, &named) ? -1 : static_cast<int>(named);
}
}  // namespace

int cmd_verify(const VerifyArgs& a) {
  const Design d = load_design(a.design);
  if (!a.inject_violation.empty() && a.shell != "axi")
    throw Error("verify: field '--inject-violation': needs --shell axi (the protocol checker is the AXI harness's)");
  check_shell(d, a.shell, "verify");
  const int cell = cell_arg(a.cell);
  check_shape(d.plan, {a.hidden, a.input, a.steps, a.width, a.streams, a.wavefront, cell, a.init});
  // No width given: the planner's choice.
  const RunShape s{
      a.hidden,  a.input,
      a.steps,   a.width ? a.width : choose_width(d.plan, a.hidden, a.input, a.steps, a.streams, a.wavefront).width,
      a.streams, a.wavefront,
      cell,      a.init};
  if (!a.json && !a.width) std::fprintf(stderr, "verify: width %d chosen by the planner\n", s.width);
  SimBuildOptions bo;
  bo.trace = !a.trace.empty();
  bo.verbose = a.verbose;
  bo.axi = a.shell == "axi";
  const auto t0 = std::chrono::steady_clock::now();
  if (!a.json) std::fprintf(stderr, "verify: building the Verilator model (cached after the first time)...\n");
  bool rebuilt = false;
  const fs::path exe = build_simulator(d, bo, &rebuilt);
  if (!a.json)
    std::fprintf(stderr, "verify: simulator %s in %.1f s\n", rebuilt ? "built" : "reused", seconds_since(t0));
  SimOptions so;
  so.seed = a.seed;
  so.valid_prob = a.valid_prob;
  so.ready_prob = a.ready_prob;
  so.scenario = a.scenario;
  so.inject_violation = a.inject_violation;
  so.work = d.dir / "runs" / fmt::format("H{}_X{}_T{}_n{}_s{}", s.hidden, s.input, s.steps, s.streams, a.seed);
  if (!a.trace.empty()) so.trace = fs::absolute(a.trace);
  if (!a.flip_param.empty()) so.flip_param = a.flip_param;
  if (!a.flip_state.empty()) {
    int j = 0, b = 0;
    char tail = 0;
    if (std::sscanf(a.flip_state.c_str(), "%d:%d%c", &j, &b, &tail) != 2)
      throw Error(fmt::format("verify: field '--flip-state': value \"{}\" is not allowed (NEURON:BIT, e.g. 3:0)",
                              a.flip_state));
    so.flip_state = std::array<int, 2>{j, b};
  }
  if (!a.flip_count.empty()) so.flip_count = a.flip_count;
  if (!a.flip.empty()) {
    int t = 0, j = 0, b = 0;
    char tail = 0;
    if (std::sscanf(a.flip.c_str(), "%d:%d:%d%c", &t, &j, &b, &tail) != 3)
      throw Error(
          fmt::format("verify: field '--flip': value \"{}\" is not allowed (STEP:NEURON:BIT, e.g. 0:3:0)", a.flip));
    so.flip = std::array<int, 3>{t, j, b};
  }
  const CaseData data = random_case(d.plan, s, a.seed, a.own_weights);
  SimResult hw;
  const CaseResult r = run_case(d, exe, s, a.seed, so, &data, &hw);
  if (!a.dump.empty()) {
    const fs::path dir(a.dump);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(fmt::format("verify: field '--dump': cannot create '{}' ({})", a.dump, ec.message()));
    const size_t H = s.hidden, X = s.input, T = s.steps, n = s.streams;
    // Vectors in virtual-step order (step t of stream s at t n + s): T x n x ... with streams.
    auto dims = [n](size_t steps, size_t len) {
      return n > 1 ? std::vector<size_t>{steps / n, n, len} : std::vector<size_t>{steps, len};
    };
    write_npy(dir / "w_ih.npy", data.layer.w, {4 * H, X});
    write_npy(dir / "w_hh.npy", data.layer.u, {4 * H, H});
    write_npy(dir / "bias.npy", data.layer.b, {4 * H});
    write_npy(dir / "x.npy", flatten(data.xs), dims(T * n, X));
    const FixedTrace g = golden_streams(FixedLstm(d.plan.cfg.format), data, s.streams, s.wavefront);
    write_npy(dir / "h_golden.npy", flatten(g.h), dims(T * n, H));
    write_npy(dir / "c_golden.npy", flatten(g.c), dims(T * n, H));
    write_npy(dir / "h_rtl.npy", flatten(hw.h), dims(hw.h.size() / n * n, H));
    write_npy(dir / "c_rtl.npy", flatten(hw.c), dims(hw.c.size() / n * n, H));
  }
  const bool ok = r.passed();
  if (a.json) {
    json j = r.to_json();
    j["design"] = a.design;
    j["macs_budget"] = d.plan.cfg.macs;
    j["backpressure"] = r.backpressure;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    print_case_line(r, 1, 1);
    std::printf(
        "counters: active=%llu macs=%llu (the frame's slots 4H(X+H)T, expected %llu; useful for %s: %llu) "
        "stall_input=%llu stall_h=%llu stall_drain=%llu stall_output=%llu stall_act=%llu\n",
        static_cast<unsigned long long>(r.active), static_cast<unsigned long long>(r.macs),
        static_cast<unsigned long long>(frame_macs(s)), cell_name(static_cast<Cell>(run_cell(d.plan, s.cell))),
        static_cast<unsigned long long>(useful_macs(d.plan, s)),
        static_cast<unsigned long long>(r.counters.value("stall_input", 0ull)),
        static_cast<unsigned long long>(r.counters.value("stall_h", 0ull)),
        static_cast<unsigned long long>(r.counters.value("stall_drain", 0ull)),
        static_cast<unsigned long long>(r.counters.value("stall_output", 0ull)),
        static_cast<unsigned long long>(r.counters.value("stall_act", 0ull)));
    if (r.param_problems.empty())
      std::printf("design-parameter registers: %d read, each equal to the plan\n", r.params_checked);
    if (r.access_problems.empty() && r.macros_checked > 0)
      std::printf(
          "SRAM access counts: %d macros x 4 counts (load/run reads/writes) and %d datapath and stream events, each "
          "equal to the model\n",
          r.macros_checked, r.events_checked);
    std::printf(
        "%s (reproduce: sharpgen verify --design %s --hidden %d --input %d --steps %d --streams %d --wavefront %d "
        "--cell %s --seed %llu%s)\n",
        ok ? "PASS" : "FAIL", a.design.c_str(), s.hidden, s.input, s.steps, s.streams, s.wavefront,
        cell_name(static_cast<Cell>(run_cell(d.plan, cell))), static_cast<unsigned long long>(a.seed),
        (std::string(a.own_weights ? " --own-weights" : "") + (a.init ? " --init" : "") +
         (a.scenario == "none" ? "" : " --scenario " + a.scenario) + (bo.axi ? " --shell axi" : ""))
            .c_str());
  }
  return ok ? 0 : 1;
}

int cmd_regress(const RegressArgs& a) {
  const Design d = load_design(a.design);
  check_shell(d, a.shell, "regress");
  const auto t0 = std::chrono::steady_clock::now();
  if (!a.json) std::fprintf(stderr, "regress: building the Verilator model (cached after the first time)...\n");
  SimBuildOptions bo;
  bo.axi = a.shell == "axi";
  const fs::path exe = build_simulator(d, bo);
  if (!a.json) std::fprintf(stderr, "regress: simulator ready after %.1f s\n", seconds_since(t0));
  if (a.streams > d.plan.cfg.streams)
    throw Error(fmt::format("regress: field '--streams': value {} is not allowed (1 to streams = {} of this design)",
                            a.streams, d.plan.cfg.streams));
  auto shapes = regression_shapes(d.plan, a.cases, a.seed);
  const int cell = cell_arg(a.cell);
  const char* cell_text = cell_name(static_cast<Cell>(run_cell(d.plan, cell)));
  for (auto& s : shapes) {
    s.cell = cell;
    s.init = a.init;
    s.streams = a.streams;
    s.wavefront = a.wavefront;
    // A wavefront's layers read h of the layer below as x: input = hidden (within max_input).
    if (a.wavefront > 0) {
      s.hidden = std::min(s.hidden, d.plan.cfg.max_input);
      s.input = s.hidden;
    }
    check_shape(d.plan, s);
  }
  int failed = 0, i = 0, patterns = 0;
  long macros = 0, events = 0, access_failed = 0;
  json results = json::array();
  for (const auto& s : shapes) {
    ++i;
    const uint64_t seed = a.seed * 1000 + static_cast<uint64_t>(i);
    SimOptions so;
    so.seed = seed;
    const bool bp = a.backpressure && (i % 2 == 0);
    if (bp) {
      // A pattern of its own per case: how often the input streams offer a beat and the output
      // stream takes one (0.15 .. 0.95), the gaps themselves drawn from the case's seed.
      std::mt19937_64 prng(seed ^ 0x9e3779b97f4a7c15ull);
      std::uniform_int_distribution<int> pct(15, 95);
      so.valid_prob = pct(prng) / 100.0;
      so.ready_prob = pct(prng) / 100.0;
      ++patterns;
    }
    if (a.scenarios) so.scenario = kScenarios[static_cast<size_t>(i - 1) % kScenarios.size()];
    so.work = d.dir / "runs" / (bo.axi ? "regress-axi" : "regress");
    const CaseData data = random_case(d.plan, s, seed, a.own_weights);
    const CaseResult r = run_case(d, exe, s, seed, so, &data);
    const bool ok = r.passed();
    failed += !ok;
    macros += r.macros_checked;
    events += r.events_checked;
    access_failed += !r.access_problems.empty();
    if (a.json) {
      json j = r.to_json();
      j["backpressure"] = bp;
      results.push_back(j);
    } else {
      print_case_line(r, i, static_cast<int>(shapes.size()));
      if (!ok)
        std::printf(
            "      reproduce: sharpgen verify --design %s --hidden %d --input %d --steps %d --width %d --streams %d "
            "--wavefront %d --cell %s --seed %llu%s%s\n",
            a.design.c_str(), s.hidden, s.input, s.steps, s.width, s.streams, s.wavefront, cell_text,
            static_cast<unsigned long long>(seed),
            bp ? fmt::format(" --valid-prob {} --ready-prob {}", so.valid_prob, so.ready_prob).c_str() : "",
            (std::string(a.own_weights ? " --own-weights" : "") + (a.init ? " --init" : "") +
             (so.scenario == "none" ? "" : " --scenario " + so.scenario) + (bo.axi ? " --shell axi" : ""))
                .c_str());
    }
  }
  if (a.json)
    std::printf("%s\n", json{{"design", a.design},
                             {"cases", results},
                             {"failed", failed},
                             {"backpressure_patterns", patterns},
                             {"macros_checked", macros},
                             {"access_counts_checked", 4 * macros},
                             {"events_checked", events},
                             {"access_count_failures", access_failed}}
                            .dump(2)
                            .c_str());
  else
    std::printf(
        "regress: %d passed, %d failed (%d with random back-pressure patterns; %ld SRAM access counts of %ld macros "
        "and %ld datapath and stream events compared with the model, %ld cases differing; %.1f s)\n",
        static_cast<int>(shapes.size()) - failed, failed, patterns, 4 * macros, macros, events, access_failed,
        seconds_since(t0));
  return failed ? 1 : 0;
}

namespace {

// --svg: refuse what cannot work before the (long) synthesis runs.
void check_svg_args(const SynthArgs& a) {
  if (a.svg.empty()) return;  // --svg with --fpga or --reconfig-overhead: refused by CLI11 (main.cpp)
  const fs::path p(a.svg);
  std::error_code ec;
  if (fs::is_directory(p, ec))
    throw Error(fmt::format("synth: field '--svg': '{}' is a directory (give a file name, e.g. area.svg)", a.svg));
  fs::path probe = p.parent_path();
  while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();
  if (probe.empty()) probe = ".";
  if (!fs::is_directory(probe, ec))
    throw Error(
        fmt::format("synth: field '--svg': '{}' cannot be created ('{}' is not a directory)", a.svg, probe.string()));
  if (access(probe.c_str(), W_OK) != 0)
    throw Error(fmt::format("synth: field '--svg': '{}' is not writable (directory '{}' denies writing)", a.svg,
                            probe.string()));
}

// Writes the breakdown chart (creating the parent directories) and says where on stderr.
void write_svg(const std::string& file, const synth::Report& rep, const synth::StaReport* sr) {
  const json area = rep.to_json();
  const json power = sr ? sr->to_json() : json();
  const std::string svg = synth::breakdown_svg(area, sr ? &power : nullptr);
  const fs::path p(file);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (ec)
    throw Error(
        fmt::format("synth: field '--svg': cannot create directory '{}' ({})", p.parent_path().string(), ec.message()));
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << svg << "\n";
  out.close();
  if (!out) throw Error(fmt::format("synth: field '--svg': cannot write '{}'", file));
  std::fprintf(stderr, "synth: wrote the area%s breakdown chart to %s\n", sr ? " and power" : "", file.c_str());
}

}  // namespace

int cmd_synth(const SynthArgs& a) {
  check_svg_args(a);
  const Design d = load_design(a.design);
  if (!a.fpga.empty()) {  // its value and what it excludes: CLI11 rules in main.cpp
    synth::FpgaOptions fo;
    fo.design_dir = d.dir;
    fo.work_dir = d.dir / "synth-fpga";
    fo.yosys = a.yosys;
    fo.verbose = a.verbose || !a.json;
    const synth::FpgaReport fr = synth::run_fpga(fo);
    if (a.json)
      std::printf("%s\n", fr.to_json().dump(2).c_str());
    else
      std::printf("%s", fr.table().c_str());
    return 0;
  }
  synth::Options o;
  o.design_dir = d.dir;
  o.work_dir = d.dir / "synth";
  if (a.shell) {
    check_shell(d, "axi", "synth");
    if (a.reconfig_overhead || a.flat)
      throw Error("synth: field '--shell': cannot be combined with --reconfig-overhead or --flat");
    o.top = "sharp_axi_top";
    o.work_dir = d.dir / "synth-axi";
  }
  if (!a.liberty.empty()) {
    if (!fs::exists(a.liberty))
      throw Error(
          fmt::format("synth: field '--liberty': file '{}' does not exist (give a Liberty .lib file)", a.liberty));
    o.liberty = fs::path(a.liberty);
  }
  o.yosys = a.yosys;
  o.verbose = a.verbose || !a.json;
  o.force = a.force;
  o.jobs = a.jobs;
  o.netlist = a.netlist || a.timing || a.power;
  if (a.flat) {
    if (a.reconfig_overhead) throw Error("synth: field '--flat': cannot be combined with --reconfig-overhead");
    o.flatten = true;
    o.work_dir = d.dir / "synth-flat";
  }
  if ((a.timing || a.power) && (a.flat || a.reconfig_overhead))
    throw Error("synth: field '--timing'/'--power': cannot be combined with --flat or --reconfig-overhead");
  if (!a.activity.empty() && !a.power) throw Error("synth: field '--activity': only allowed with --power");
  if (a.clock_ns != 0 && !a.power) throw Error("synth: field '--clock-ns': only allowed with --power");
  if (!a.activity.empty() && !fs::is_regular_file(a.activity))
    throw Error(fmt::format("synth: field '--activity': file '{}' does not exist (make one with sharpgen activity)",
                            a.activity));
  const synth::Report rep = synth::run(o);
  if (a.timing || a.power) {
    synth::StaOptions so;
    so.sta = a.sta;
    so.work_dir = o.work_dir / "sta";
    so.clock_period_ns = a.clock_ns;
    so.jobs = a.jobs;
    if (!a.activity.empty()) so.activity_json = fs::path(a.activity);
    so.verbose = o.verbose;
    const synth::StaReport sr = synth::run_sta(rep, so);
    if (a.json) {
      json j = rep.to_json();
      j["timing_power"] = sr.to_json();
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("%s\n%s", rep.table().c_str(), sr.table().c_str());
    }
    if (!a.svg.empty()) {
      std::fflush(stdout);
      write_svg(a.svg, rep, &sr);
    }
    return 0;
  }
  if (!a.reconfig_overhead) {
    if (a.json)
      std::printf("%s\n", rep.to_json().dump(2).c_str());
    else
      std::printf("%s", rep.table().c_str());
    if (!a.svg.empty()) {
      std::fflush(stdout);
      write_svg(a.svg, rep, nullptr);
    }
    return 0;
  }
  // The fixed-width twin: the same config with k_min = k_max, generated beside the design.
  if (d.plan.kmin == d.plan.k)
    throw Error(
        fmt::format("synth: field '--reconfig-overhead': the design has one width (k_min = k_max = {}); "
                    "nothing to compare",
                    d.plan.k));
  Config fixed = d.plan.cfg;
  fixed.k_min = fixed.k_max;
  fixed.name += "-fixed";
  const fs::path twin = d.dir / "synth-fixed-width" / "design";
  write_design(make_plan(fixed), twin, "sharpgen synth --reconfig-overhead (fixed-width twin)");
  synth::Options of = o;
  of.design_dir = twin;
  of.work_dir = d.dir / "synth-fixed-width" / "synth";
  of.netlist = false;
  const synth::Report fx = synth::run(of);
  auto block = [](const synth::Report& r, const char* b) {
    auto it = r.block_area_um2.find(b);
    return it == r.block_area_um2.end() ? 0.0 : it->second;
  };
  const double array_fixed = block(fx, "array") + block(fx, "adder trees");
  const double d_logic = rep.logic_area_um2 - fx.logic_area_um2;
  const double d_mem = rep.memory_area_um2 - fx.memory_area_um2;
  json j = {{"widths", {d.plan.kmin, d.plan.k}},
            {"logic_um2_reconfigurable", rep.logic_area_um2},
            {"logic_um2_fixed_width", fx.logic_area_um2},
            {"array_um2_fixed_width", array_fixed},
            {"logic_overhead_um2", d_logic},
            {"logic_overhead_pct_of_array", 100.0 * d_logic / array_fixed},
            {"logic_overhead_pct_of_logic", 100.0 * d_logic / fx.logic_area_um2},
            {"memory_overhead_um2", d_mem},
            {"blocks_reconfigurable", rep.block_area_um2},
            {"blocks_fixed_width", fx.block_area_um2}};
  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s", rep.table().c_str());
  std::printf("\nCost of run-time reconfiguration (widths %d..%d vs the fixed width %d, same %d multipliers):\n",
              d.plan.kmin, d.plan.k, d.plan.k, d.plan.cfg.macs);
  std::printf("  %-22s %14s %14s %12s\n", "block", "reconfigurable", "fixed width", "difference");
  std::set<std::string> names;
  for (const auto& [b, v] : rep.block_area_um2) names.insert(b);
  for (const auto& [b, v] : fx.block_area_um2) names.insert(b);
  for (const auto& b : names)
    std::printf("  %-22s %11.0f um2 %11.0f um2 %+9.0f um2\n", b.c_str(), block(rep, b.c_str()), block(fx, b.c_str()),
                block(rep, b.c_str()) - block(fx, b.c_str()));
  std::printf(
      "  logic overhead: %.0f um2 = %.1f%% of the fixed-width array (multipliers and adder trees, %.0f um2), "
      "%.1f%% of all logic\n",
      d_logic, 100.0 * d_logic / array_fixed, array_fixed, 100.0 * d_logic / fx.logic_area_um2);
  std::printf("  memory overhead: %.0f um2 (wider bias and W.x bank words)\n", d_mem);
  return 0;
}

int cmd_activity(const ActivityArgs& a) {
  const Design d = load_design(a.design);
  check_shape(d.plan, {a.hidden, a.input, a.steps, a.width});
  const RunShape s{a.hidden, a.input, a.steps,
                   a.width ? a.width : choose_width(d.plan, a.hidden, a.input, a.steps).width};
  ActivityOptions o;
  o.seed = a.seed;
  o.zero_data = a.zero;
  o.verbose = a.verbose;
  std::fprintf(stderr, "activity: H=%d X=%d T=%d width %d, %s data; building the coverage simulator (cached)...\n",
               s.hidden, s.input, s.steps, s.width, a.zero ? "all-zero" : "random");
  const auto t0 = std::chrono::steady_clock::now();
  const json j = measure_activity(d, s, o);
  std::ofstream out(a.out);
  if (!out) throw Error(fmt::format("activity: field '--out': cannot write '{}'", a.out));
  out << j.dump(1) << "\n";
  double mean = 0;
  long n = 0;
  for (const auto& [m, v] : j.at("modules").items()) {
    mean += v.value("mean_toggle_rate", 0.0);
    ++n;
  }
  std::printf("activity: %llu cycles, %ld modules (mean toggle rate %.4f per bit per cycle) -> %s (%.1f s)\n",
              static_cast<unsigned long long>(j.value("cycles", 0ull)), n, n ? mean / static_cast<double>(n) : 0.0,
              a.out.c_str(), seconds_since(t0));
  return 0;
}

int cmd_flow(const FlowArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  std::printf("== 1/4 generate\n");
  std::fflush(stdout);
  GenerateArgs g;
  g.config = a.config;
  g.overrides = a.overrides;
  g.out = a.out;
  g.command = a.command;
  cmd_generate(g);
  const Design d = load_design(a.out);
  std::printf("== 2/4 build the Verilator model\n");
  std::fflush(stdout);
  const fs::path exe = build_simulator(d, SimBuildOptions{});
  std::printf("   built in %.1f s\n", seconds_since(t0));
  std::printf("== 3/4 verify %d cases bit-exact against the golden model\n", a.cases);
  std::fflush(stdout);
  const auto shapes = regression_shapes(d.plan, a.cases, a.seed);
  int failed = 0, i = 0;
  double util_max = 0;
  uint64_t cyc_max = 0;
  for (const auto& s : shapes) {
    ++i;
    SimOptions so;
    so.seed = a.seed * 1000 + static_cast<uint64_t>(i);
    so.work = d.dir / "runs" / "flow";
    const CaseResult r = run_case(d, exe, s, so.seed, so);
    failed += !r.passed();
    print_case_line(r, i, static_cast<int>(shapes.size()));
    if (s.hidden == d.plan.cfg.max_hidden && s.input == d.plan.cfg.max_input) {
      util_max = r.utilization;
      cyc_max = r.cycles / static_cast<uint64_t>(s.steps);
    }
  }
  std::string area = "skipped", cells = "-", mem = "-";
  if (!a.skip_synth) {
    std::printf("== 4/4 Yosys area estimate\n");
    std::fflush(stdout);
    synth::Options o;
    o.design_dir = d.dir;
    o.work_dir = d.dir / "synth";
    o.verbose = true;
    const synth::Report rep = synth::run(o);
    std::printf("%s", rep.table().c_str());
    area = fmt::format("{:.4f} mm2", rep.total_area_um2 / 1e6);
    cells = fmt::format("{}", rep.logic_cells);
    mem = fmt::format("{:.4f} mm2", rep.memory_area_um2 / 1e6);
  }
  std::printf("\n== summary: %s\n", d.plan.cfg.name.c_str());
  std::printf("  %-34s %d (%d x %d)\n", "multipliers (row units x width)", d.plan.cfg.macs, d.plan.rows, d.plan.k);
  std::printf("  %-34s H<=%d X<=%d\n", "largest layer", d.plan.cfg.max_hidden, d.plan.cfg.max_input);
  std::printf("  %-34s %s\n", "schedule", schedule_name(d.plan.cfg.schedule));
  std::printf("  %-34s %d/%d bit-exact, cycle model exact\n", "verification", i - failed, i);
  std::printf("  %-34s %llu cycles/step, utilization %.3f\n", "at the largest H, X",
              static_cast<unsigned long long>(cyc_max), util_max);
  std::printf("  %-34s %s (logic cells %s, memories %s)\n", "area (Yosys, sharp_generic45)", area.c_str(),
              cells.c_str(), mem.c_str());
  std::printf("  %-34s %.1f s\n", "wall time", seconds_since(t0));
  std::printf("%s\n", failed ? "FLOW FAILED" : "FLOW PASSED");
  return failed ? 1 : 0;
}

int cmd_golden(const GoldenArgs& a) {
  json j;
  {
    std::ifstream in(a.in);
    if (!in) throw Error(fmt::format("golden: field '--in': cannot read '{}'", a.in));
    try {
      j = json::parse(in);
    } catch (const json::exception& e) {
      throw Error(fmt::format("golden: field '--in': '{}' is not valid JSON: {}", a.in, e.what()));
    }
  }
  auto matrix = [](const json& m, const std::string& what, size_t rows, size_t cols) {
    std::vector<double> v;
    if (!m.is_array() || m.size() != rows) throw Error(fmt::format("golden: field '{}': expected {} rows", what, rows));
    for (const auto& r : m) {
      if (!r.is_array() || r.size() != cols)
        throw Error(fmt::format("golden: field '{}': expected {} columns", what, cols));
      for (const auto& e : r) v.push_back(e.get<double>());
    }
    return v;
  };
  auto vec = [](const json& m, const std::string& what, size_t n) {
    if (!m.is_array() || m.size() != n) throw Error(fmt::format("golden: field '{}': expected {} values", what, n));
    return m.get<std::vector<double>>();
  };
  const auto& xs_j = j.at("x");
  std::vector<std::vector<double>> xs = xs_j.get<std::vector<std::vector<double>>>();
  if (xs.empty()) throw Error("golden: field 'x': expected at least one step");
  std::vector<FloatLayer> layers;
  size_t in_size = xs[0].size();
  Cell cell = Cell::Lstm;
  if (j.contains("cell")) {
    const std::string name = j.at("cell").is_string() ? j.at("cell").get<std::string>() : j.at("cell").dump();
    if (!parse_cell(name, &cell))
      throw Error(fmt::format("golden: field 'cell': '{}' is not a cell kind (allowed: {})", name, cell_names()));
  }
  const size_t gates = static_cast<size_t>(cell_gates(cell));
  std::vector<FloatState> init;
  for (const auto& lj : j.at("layers")) {
    FloatLayer L;
    L.cell = cell;
    const size_t rows = lj.at("w_hh").size();
    if (rows == 0 || rows % gates)
      throw Error(fmt::format("golden: field 'w_hh': rows must be {} H for cell '{}'", gates, cell_name(cell)));
    const size_t hid = rows / gates;
    L.hidden = static_cast<int>(hid);
    L.input = static_cast<int>(in_size);
    L.w = matrix(lj.at("w_ih"), "w_ih", rows, in_size);
    L.u = matrix(lj.at("w_hh"), "w_hh", rows, hid);
    L.b_ih = vec(lj.at("b_ih"), "b_ih", rows);
    L.b_hh = vec(lj.at("b_hh"), "b_hh", rows);
    // Optional initial state: h0 (and c0 for the lstm), H values each.
    FloatState st;
    if (lj.contains("h0")) st.h = vec(lj.at("h0"), "h0", hid);
    if (lj.contains("c0")) {
      if (cell != Cell::Lstm)
        throw Error(fmt::format("golden: field 'c0': value given for cell '{}' (only the lstm has a cell state)",
                                cell_name(cell)));
      st.c = vec(lj.at("c0"), "c0", hid);
    }
    init.push_back(std::move(st));
    in_size = hid;
    layers.push_back(std::move(L));
  }
  const auto traces = run_double_stack(layers, xs, &init);
  json out = json::array();
  for (const auto& t : traces) out.push_back({{"h", t.h}, {"c", t.c}});
  std::ofstream o(a.out);
  if (!o) throw Error(fmt::format("golden: field '--out': cannot write '{}'", a.out));
  o << json{{"layers", out}}.dump() << "\n";
  return 0;
}

int cmd_plan(const PlanArgs& a) {
  const Design d = load_design(a.design);
  const int n = a.streams, g = a.wavefront;
  const int cell = cell_arg(a.cell);
  check_shape(d.plan, {a.hidden, a.input, a.steps, 0, n, g, cell});
  const WidthChoice c = choose_width(d.plan, a.hidden, a.input, a.steps, n, g);
  if (a.json) {
    json rows = json::array();
    for (auto [w, cyc] : c.cycles) {
      const Tiling t = tiling(d.plan, {a.hidden, a.input, a.steps, w, n, g});
      rows.push_back(
          {{"width", w},
           {"cycles", cyc},
           {"rows_per_tile", t.rows},
           {"row_blocks", t.rb},
           {"column_blocks", t.cb},
           {"utilization", static_cast<double>(useful_macs(d.plan, {a.hidden, a.input, a.steps, w, n, g, cell})) /
                               (static_cast<double>(d.plan.cfg.macs) * cyc)}});
    }
    std::printf(
        "%s\n",
        json{{"width", c.width}, {"cell", cell_name(static_cast<Cell>(run_cell(d.plan, cell)))}, {"candidates", rows}}
            .dump(2)
            .c_str());
    return 0;
  }
  const Cell kind = static_cast<Cell>(run_cell(d.plan, cell));
  std::printf(
      "%s layer H=%d X=%d T=%d%s on %d multipliers (widths %d..%d):\n", cell_name(kind), a.hidden, a.input, a.steps,
      n > 1
          ? fmt::format(", {} streams{}", n, g ? fmt::format(" as a wavefront of {} per layer (T: time slots)", g) : "")
                .c_str()
          : "",
      d.plan.cfg.macs, d.plan.kmin, d.plan.k);
  std::printf("  %6s %10s %8s %8s %8s %8s %7s\n", "width", "cycles", "rows", "blocks", "cols", "padding", "util");
  uint64_t best = 0;
  for (auto [w, cyc] : c.cycles)
    if (w == c.width) best = cyc;
  for (auto [w, cyc] : c.cycles) {
    const RunShape s{a.hidden, a.input, a.steps, w, n, g};
    const Tiling t = tiling(d.plan, s);
    // Share of each tile's multipliers that pads (rows beyond 4H, columns beyond X and H, and
    // the frame's rows the kind does not use).
    const double padded = static_cast<double>(t.rb) * t.rows * (static_cast<double>(t.cx) + t.ch) * w;
    const double useful = static_cast<double>(cell_gates(kind)) * a.hidden * (a.input + a.hidden);
    std::printf("  %6d %10llu %8d %8d %8d %7.1f%% %7.3f%s\n", w, static_cast<unsigned long long>(cyc), t.rows, t.rb,
                t.cb, 100.0 * (1.0 - useful / padded),
                useful * a.steps * n / (static_cast<double>(d.plan.cfg.macs) * cyc), w == c.width ? "  <- chosen" : "");
  }
  std::printf("chosen width %d: the fewest predicted cycles (%llu)%s.\n", c.width,
              static_cast<unsigned long long>(best),
              std::count_if(c.cycles.begin(), c.cycles.end(), [&](auto& x) { return x.second == best; }) > 1
                  ? "; tied widths go to the wider one, which moves fewer partial sums per MAC"
                  : "");
  return 0;
}

namespace {
// h_t of random layers of `cell` at three shapes, fixed point against double: max and mean error.
void print_cell_errors(const NumFormat& f, Cell cell, std::mt19937_64& rng);
}  // namespace

int cmd_numerics(const NumericsArgs& a) {
  const Config cfg = load(a.config, a.overrides);
  const NumFormat& f = cfg.format;
  std::printf("format: data %d bits (%d fraction; weights %d fraction), accumulator %d, cell %d, %d PWL segments\n",
              f.data_bits, f.frac_bits, f.wfrac(), f.acc_bits, f.cell_bits, 1 << f.act_seg_bits);
  for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh}) {
    const PwlTable t(fn, f);
    double worst = 0, sum = 0;
    long n = 0;
    const int64_t lo = -(int64_t{1} << (f.data_bits - 1)), hi = -lo;
    for (int64_t z = lo; z < hi; ++z, ++n) {
      const double x = to_real(z, f.frac_bits);
      const double exact = fn == ActFn::Sigmoid ? 1 / (1 + std::exp(-x)) : std::tanh(x);
      const double e = std::fabs(to_real(t.eval(z), f.frac_bits) - exact);
      worst = std::max(worst, e);
      sum += e;
    }
    std::printf(
        "  %-8s table: max error %.2e, mean %.2e (1 LSB = %.2e), slope field %d bits, domain +-%g (%d-bit "
        "input codes; saturated beyond)\n",
        act_name(fn), worst, sum / static_cast<double>(n), std::ldexp(1.0, -f.frac_bits), t.slope_bits(),
        std::ldexp(1.0, t.domain_bits() - 1 - f.frac_bits), t.domain_bits());
  }
  std::mt19937_64 rng(a.seed);
  for (int k = 0; k < kCellKinds; ++k) {
    const Cell cell = static_cast<Cell>(k);
    std::printf("  %s h_t, fixed point vs double (random PyTorch-initialised layers, x in +-1):\n",
                k == 0 ? "LSTM" : cell_name(cell));
    print_cell_errors(f, cell, rng);
  }
  return 0;
}

namespace {
void print_cell_errors(const NumFormat& f, Cell cell, std::mt19937_64& rng) {
  for (auto [H, X, T] : {std::array<int, 3>{64, 64, 32}, {256, 128, 32}, {512, 512, 16}}) {
    const FloatLayer L = random_float_layer(H, X, rng, 0.0, cell);
    const auto xs = random_inputs(T, X, rng);
    const FloatTrace ref = run_double(L, xs);
    long sat = 0;
    const FixedLayer q = quantize_layer(L, f, &sat);
    const FixedTrace fx = FixedLstm(f).run(q, quantize_sequence(xs, f));
    double worst = 0, sum = 0;
    for (int t = 0; t < T; ++t)
      for (int j = 0; j < H; ++j) {
        const double e = std::fabs(to_real(fx.h[t][j], f.frac_bits) - ref.h[t][j]);
        worst = std::max(worst, e);
        sum += e;
      }
    std::printf("    H=%-4d X=%-4d T=%-3d max |dh| %.2e, mean %.2e, saturated weights %ld\n", H, X, T, worst,
                sum / (static_cast<double>(T) * H), sat);
  }
}
}  // namespace

int cmd_registers(const RegistersArgs& a) {
  const Plan p = make_plan(load(a.config, a.overrides));
  const std::string doc = a.format == "c"     ? register_c_header(p, a.command)
                          : a.format == "rdl" ? register_rdl(p, a.command)
                                              : register_doc(p, a.command);
  if (a.out.empty()) {
    std::fputs(doc.c_str(), stdout);
  } else {
    try {
      write_text(a.out, doc);
    } catch (const Error& e) {
      throw Error(fmt::format("registers: field '--out': {}", e.what()));
    }
    std::fprintf(stderr, "registers: %zu registers of '%s' -> %s\n", p.registers.size(), p.cfg.name.c_str(),
                 a.out.c_str());
  }
  return 0;
}

}  // namespace sharp::cli
