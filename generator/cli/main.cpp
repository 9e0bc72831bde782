// sharpgen: generate Sharp-style LSTM accelerators, verify them bit-exactly in Verilator,
// estimate them with Yosys. Argument parsing only; the work is in commands.cpp.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench.hpp"
#include "commands.hpp"
#include "explore.hpp"
#include "run.hpp"
#include "sharp/error.hpp"
#include "sharp/synth.hpp"
#include "sharp/verify.hpp"
#include "sharp/version.hpp"

namespace {

using namespace sharp::cli;

std::string command_line(int argc, char** argv) {
  // The banner records the command without the directory it ran from.
  // --out is left out so that the same design generated into two places is byte-identical.
  std::string s = "sharpgen";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--out" || a == "-o") {
      ++i;
      continue;
    }
    if (a.rfind("--out=", 0) == 0) continue;
    s += " " + a;
  }
  return s;
}

// Validators whose message reads like every other error of the tool: "value V is not allowed
// (what is)". CLI11 prefixes the option's name; report_parse_error() makes it "field '...'".
CLI::Validator allowed_range(double lo, double hi, const std::string& allowed) {
  return CLI::Validator(
      [lo, hi, allowed](std::string& v) -> std::string {
        double x = 0;
        if (!CLI::detail::lexical_cast(v, x) || !(x >= lo && x <= hi))
          return "value " + v + " is not allowed (" + allowed + ")";
        return "";
      },
      allowed);
}
CLI::Validator allowed_values(const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
  return CLI::Validator(
      [values, list](std::string& v) -> std::string {
        for (const auto& a : values)
          if (v == a) return "";
        return "value '" + v + "' is not allowed (" + list + ")";
      },
      list);
}

// A CLI11 parse error as one line in the tool's form ("<subcommand>: field '<option>': ..."),
// exit status 2. Help and --version go through CLI11's own exit.
int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) return app.exit(e);
  std::string sub;
  for (const CLI::App* c : app.get_subcommands())
    if (c->parsed()) sub = c->get_name() + ": ";
  std::string msg = e.what();
  const std::string excl = " excludes ", req = " requires ";
  if (const auto at = msg.find(excl); at != std::string::npos && msg.rfind("--", 0) == 0) {
    msg = "field '" + msg.substr(0, at) + "': cannot be combined with " + msg.substr(at + excl.size());
  } else if (const auto rq = msg.find(req); rq != std::string::npos && msg.rfind("--", 0) == 0) {
    msg = "field '" + msg.substr(0, rq) + "': only together with " + msg.substr(rq + req.size());
  } else if (const auto colon = msg.find(": value "); colon != std::string::npos && msg.rfind("--", 0) == 0) {
    msg = "field '" + msg.substr(0, colon) + "': " + msg.substr(colon + 2);
  }
  std::fprintf(stderr, "sharpgen: error: %s%s (see sharpgen %s--help)\n", sub.c_str(), msg.c_str(),
               sub.empty() ? "" : (sub.substr(0, sub.size() - 2) + " ").c_str());
  return 2;
}

// --hidden, --input and --steps: the shape of one layer run, required by every command that runs one.
void add_shape_options(CLI::App* c, int& hidden, int& input, int& steps) {
  c->add_option("--hidden", hidden, "H, hidden size")->required();
  c->add_option("--input", input, "X, input size")->required();
  c->add_option("--steps", steps, "T, time steps")->required();
}

// Every subcommand: its options (one method each) and the function it runs.
struct Cli {
  CLI::App app{"sharpgen: generate, verify and estimate Sharp-style LSTM accelerators"};
  GenerateArgs gen;
  CLI::App* g = nullptr;
  VerifyArgs ver;
  CLI::App* v = nullptr;
  RegressArgs reg;
  CLI::App* r = nullptr;
  SynthArgs syn;
  CLI::App* s = nullptr;
  ActivityArgs act;
  CLI::App* ac = nullptr;
  FlowArgs flow;
  CLI::App* f = nullptr;
  GoldenArgs gold;
  CLI::App* gd = nullptr;
  PlanArgs pl;
  CLI::App* pn = nullptr;
  NumericsArgs num;
  CLI::App* nu = nullptr;
  BenchArgs bench;
  CLI::App* bn = nullptr;
  RunArgs run_args;
  CLI::App* rn = nullptr;
  RegistersArgs regs;
  CLI::App* rg = nullptr;
  ExploreArgs exp;
  CLI::App* ex = nullptr;

  Cli() {
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("sharpgen ") + sharp::kVersion);
    add_generate();
    add_verify();
    add_regress();
    add_synth();
    add_activity();
    add_flow();
    add_golden();
    add_plan();
    add_numerics();
    add_bench();
    add_run();
    add_registers();
    add_explore();
  }

  void add_explore() {
    ex = app.add_subcommand("explore",
                            "The best design for your models within a target area (and power): candidates from a "
                            "search space, the cycle model and calibrated area and energy estimates prune them, Yosys "
                            "and OpenSTA decide; Pareto front (area, latency, energy), JSON, CSV and SVG; syntheses on "
                            "a local pool or as Slurm array jobs, cached");
    ex->add_option("--models", exp.models,
                   "the models, comma-separated: names of the benchmark suite (docs/BENCHMARKS.md), model "
                   "directories (docs/MODEL_FORMAT.md) or .onnx files (imported with examples/onnx/import_onnx.py)")
        ->delimiter(',')
        ->required();
    ex->add_option("--target-area", exp.target_area_mm2, "area constraint, mm^2 (Yosys total: logic + memories)")
        ->required()
        ->check(allowed_range(1e-9, 1e9, "a positive area in mm^2"));
    ex->add_option("--objective", exp.objective,
                   "latency: cycles per sequence summed over the models (exact, cycle model); energy: per inference "
                   "(one sequence of each model, summed; docs/EXPLORE.md); throughput: sequences per cycle (streams "
                   "x models / cycles)")
        ->capture_default_str()
        ->check(CLI::IsMember({"latency", "energy", "throughput"}));
    ex->add_option("--min-fmax", exp.min_fmax_mhz, "reject synthesized candidates below this fmax, MHz (OpenSTA)")
        ->check(allowed_range(0, 1e5, "0 to 100000"));
    ex->add_option("--max-power", exp.max_power_mw,
                   "reject candidates whose mean power over the models' runs at fmax exceeds this, mW (estimate "
                   "first, then OpenSTA and the SRAM model)")
        ->check(allowed_range(1e-6, 1e9, "a positive power in mW"));
    ex->add_option("--weights", exp.weights,
                   "resident: every layer's weights on chip when it runs (loads not counted); onchip: the same, with "
                   "weight slots for every layer and direction of the largest model (their area counted); LPDDR4 or "
                   "HBM2: every layer's weights stream from that DRAM into two weight slots while the previous layer "
                   "runs, once per inference (latency and energy include it; docs/EXPLORE.md)")
        ->capture_default_str();
    ex->add_option("--config", exp.config, "base config (every field the search space does not set)");
    ex->add_option("--set", exp.overrides, "override a field of the base config (key=value, repeatable)");
    const char* pow2 = "comma-separated";
    ex->add_option("--macs", exp.macs, std::string("multiplier budgets (default: 16, 32, ... 65536); ") + pow2)
        ->delimiter(',');
    ex->add_option("--k-max", exp.k_max, "widest widths (default: the bench's rule and one step either side)")
        ->delimiter(',');
    ex->add_option("--k-min", exp.k_min, "narrowest widths (default: k_max / 8, at least 2)")->delimiter(',');
    ex->add_option("--act-lanes", exp.act_lanes, "activation lanes (default: the base config's)")->delimiter(',');
    ex->add_option("--unfold-depth", exp.unfold_depth, "unfold depths (default: the base config's)")->delimiter(',');
    ex->add_option("--streams", exp.streams, "streams (default: the base config's)")->delimiter(',');
    ex->add_option("--formats", exp.formats,
                   "number formats, each data_bits:frac_bits:acc_bits:cell_bits[:act_segments], e.g. "
                   "16:12:40:20,8:5:24:12:32 (default: the base config's; the estimates are calibrated per format; "
                   "explore does not judge accuracy: sharpgen numerics measures each format's error)")
        ->delimiter(',');
    ex->add_option("--steps", exp.steps, "time steps per sequence")
        ->capture_default_str()
        ->check(allowed_range(1, 4096, "1 to 4096"));
    ex->add_option("--max-synth", exp.max_synth,
                   "candidates of the estimated Pareto front synthesized (besides the calibration anchors and the "
                   "naive baseline)")
        ->capture_default_str()
        ->check(allowed_range(0, 1000, "0 to 1000"));
    ex->add_option("--margin", exp.margin, "synthesize estimates up to target x (1 + margin)")
        ->capture_default_str()
        ->check(allowed_range(0, 10, "0 to 10"));
    ex->add_option("--executor", exp.executor,
                   "local: a process pool of --jobs; slurm: sbatch --array jobs (the work directory must be shared)")
        ->capture_default_str()
        ->check(CLI::IsMember({"local", "slurm"}));
    ex->add_option("--jobs", exp.jobs, "local: syntheses at a time; slurm: array tasks at a time (0: no limit)")
        ->capture_default_str()
        ->check(allowed_range(0, 4096, "0 to 4096"));
    ex->add_option("--partition", exp.partition, "slurm: partition (default: the cluster's)");
    ex->add_option("--account", exp.account, "slurm: account");
    ex->add_option("--time", exp.time_limit, "slurm: time limit per job (e.g. 00:30:00)");
    ex->add_option("--liberty", exp.liberty, "Liberty library (default: the shipped sharp_generic45.lib)")
        ->check(CLI::ExistingFile);
    ex->add_option("--work", exp.work, "designs, jobs, the cache (reused by later sweeps) and the report")
        ->capture_default_str();
    ex->add_option("--out", exp.out, "also generate the chosen design here");
  }

  void add_generate() {
    g = app.add_subcommand("generate", "Generate the RTL of one design from a config");
    g->add_option("--config,-c", gen.config, "JSON config file (examples/configs/*.json)");
    g->add_option("--set", gen.overrides, "Override a config field: key=value (e.g. macs=1024, format.data_bits=12)");
    g->add_option("--out,-o", gen.out, "Output directory")->required();
    auto* ta = g->add_option("--target-area", gen.target_area_mm2,
                             "generate the largest design (multiplier budget and widths) whose estimated total area "
                             "(Yosys logic + SRAM model) fits in this many mm^2; other fields come from the config")
                   ->check(allowed_range(1e-9, 1e9, "a positive area in mm^2"));
    g->add_option("--liberty", gen.liberty, "Liberty library for --target-area (default: sharp_generic45.lib)")
        ->needs(ta);
    g->add_option("--yosys", gen.yosys, "Yosys executable for --target-area")->capture_default_str()->needs(ta);
    g->add_option("--fit-models", gen.fit_models,
                  "model directories (docs/MODEL_FORMAT.md) the design must hold: sets max_hidden, max_input and "
                  "weight_slots (every layer and direction of the largest model resident)")
        ->expected(1, -1);
    g->add_option("--models", gen.models,
                  "with --target-area: the design for these models (suite names, model directories or .onnx "
                  "files), as sharpgen explore "
                  "chooses it (the fewest cycles per sequence over them within the area; its search space's "
                  "defaults, report in OUT/explore/report)")
        ->delimiter(',')
        ->needs(ta);
  }

  void add_verify() {
    v = app.add_subcommand("verify", "Run one case of a design in Verilator and compare with the golden model");
    v->add_option("--design,-d", ver.design, "Design directory made by generate")->required();
    add_shape_options(v, ver.hidden, ver.input, ver.steps);
    v->add_option("--width", ver.width, "dot-product width K (default: the planner's choice, see sharpgen plan)");
    v->add_option("--streams", ver.streams,
                  "sequences of the layer computed in one run, interleaved step by step (1 .. the design's streams)")
        ->capture_default_str()
        ->check(CLI::Range(1, 8));
    v->add_option("--wavefront", ver.wavefront,
                  "the streams are the layers of a stack, G per layer (a batch of G): stream s >= G takes x_t from "
                  "h_t of stream s - G (0: off; needs --input = --hidden, G < --streams); with --own-weights each "
                  "layer has weights of its own")
        ->capture_default_str()
        ->check(CLI::Range(0, 7));
    v->add_flag("--own-weights", ver.own_weights,
                "every stream computes a layer of its own, loaded into slot s (STREAM_SLOTS), as the two directions "
                "of a bidirectional layer do; needs weight_slots >= --streams");
    v->add_option("--cell", ver.cell,
                  "cell kind of the run (one of the design's config field `cells`; default: its first)")
        ->check(CLI::IsMember({"lstm", "gru", "rnn_tanh", "rnn_relu"}));
    v->add_flag("--init", ver.init,
                "start every stream from a random initial state h_{-1} (and c_{-1}), sent through the state stream "
                "(INIT_STATE = 1; not with --wavefront)");
    v->add_option("--seed", ver.seed, "seed of the random weights and inputs")->capture_default_str();
    v->add_flag("--json", ver.json, "print a machine-readable result");
    v->add_option("--dump", ver.dump, "write weights, biases, inputs and outputs as .npy files into this directory");
    v->add_option("--trace", ver.trace, "write a waveform (FST) to this file");
    v->add_option("--valid-prob", ver.valid_prob, "probability an input stream offers a beat each cycle")
        ->check(CLI::Range(0.01, 1.0));
    v->add_option("--ready-prob", ver.ready_prob, "probability the output stream is ready each cycle")
        ->check(CLI::Range(0.01, 1.0));
    v->add_flag("--verbose", ver.verbose, "show the Verilator build output");
    v->add_option("--flip", ver.flip,
                  "checker self-test: flip bit BIT of h[STEP][NEURON] in the RTL output (STEP:NEURON:BIT); "
                  "the comparison must then fail");
    v->add_option("--flip-state", ver.flip_state,
                  "self-test of --init: flip bit BIT of stream 0's h_{-1}[NEURON] in the state stream only "
                  "(NEURON:BIT); the golden model keeps the true state, so the comparison must then fail");
    v->add_option("--flip-param", ver.flip_param,
                  "checker self-test: flip bit 0 of this design-parameter register (P_MACS, ...) as read from the "
                  "RTL; the check of the P_* registers must then fail");
    v->add_option("--flip-count", ver.flip_count,
                  "checker self-test: add one run read to the measured counts of this SRAM macro (its path below "
                  "the top, as in the manifest's memories), or one to an event count (act_groups, cell_updates, "
                  "w_beats, b_beats, x_beats, out_beats); the check of the counts must then fail");
    v->add_option("--scenario", ver.scenario,
                  "misuse the hardware, check it refuses (ERROR/STATUS) and the legal run stays exact: "
                  "reset (mid-run), start_busy, load_busy, config_busy, hidden_over, input_over, steps_zero, "
                  "bad_width, start_unloaded, shape_after_load, load_loading, slot_over, streams_over, cell_bad, "
                  "init_bad")
        ->check(CLI::IsMember(sharp::kScenarios))
        ->capture_default_str();
    v->add_option("--shell", ver.shell,
                  "none: drive sharp_top's own ports; axi: drive the AXI shell (a design generated with shell = "
                  "axi) with its C driver over AXI4-Lite, AXI4-Stream sources and sink stalling at random, and a "
                  "protocol checker")
        ->check(CLI::IsMember({"none", "axi"}))
        ->capture_default_str();
    v->add_option("--inject-violation", ver.inject_violation,
                  "checker self-test (--shell axi): the harness breaks the AXI protocol once (valid_drop: the x "
                  "source drops TVALID while stalled; data_change: the x source changes TDATA while stalled; "
                  "tlast_flip: the checker sees one output beat's TLAST inverted); the case must then fail")
        ->check(CLI::IsMember({"valid_drop", "data_change", "tlast_flip"}));
  }

  void add_regress() {
    r = app.add_subcommand("regress", "Run a suite of run-time cases on one design (edge shapes and random)");
    r->add_option("--design,-d", reg.design, "Design directory made by generate")->required();
    r->add_option("--cases", reg.cases, "number of cases")->capture_default_str()->check(CLI::Range(1, 100000));
    r->add_option("--seed", reg.seed, "base seed")->capture_default_str();
    r->add_option("--streams", reg.streams,
                  "every case computes this many sequences of its layer in one run (1 .. the design's streams)")
        ->capture_default_str()
        ->check(CLI::Range(1, 8));
    r->add_option("--wavefront", reg.wavefront,
                  "every case runs its streams as the layers of a stack, G per layer (0: off; input = hidden in "
                  "every case; G < --streams)")
        ->capture_default_str()
        ->check(CLI::Range(0, 7));
    r->add_flag("--own-weights", reg.own_weights,
                "every stream computes a layer of its own (slot s), as the directions of a bidirectional layer do");
    r->add_option("--cell", reg.cell,
                  "every case's cell kind (one of the design's config field `cells`; default: its first)")
        ->check(CLI::IsMember({"lstm", "gru", "rnn_tanh", "rnn_relu"}));
    r->add_flag("--init", reg.init,
                "every case starts each stream from a random initial state, sent through the state stream "
                "(not with --wavefront)");
    r->add_flag("--backpressure", reg.backpressure,
                "random stream gaps and output back-pressure in every other case (a random pattern each)");
    r->add_flag("--scenarios", reg.scenarios,
                "cycle the cases through the misuse scenarios of verify --scenario (mid-run reset, illegal requests)");
    r->add_option("--shell", reg.shell,
                  "none: sharp_top's own ports; axi: every case through the AXI shell, its C driver and the protocol "
                  "checker (with --backpressure, every channel stalls at random)")
        ->check(CLI::IsMember({"none", "axi"}))
        ->capture_default_str();
    r->add_flag("--json", reg.json, "print a machine-readable result");
  }

  void add_synth() {
    s = app.add_subcommand("synth", "Estimate area with Yosys (hierarchical; memories estimated separately)");
    s->add_option("--design,-d", syn.design, "Design directory made by generate")->required();
    auto* liberty =
        s->add_option("--liberty", syn.liberty, "Liberty cell library (default: the shipped sharp_generic45.lib)");
    s->add_option("--yosys", syn.yosys, "Yosys executable")->capture_default_str();
    s->add_flag("--json", syn.json, "print a machine-readable report");
    s->add_flag("--verbose", syn.verbose, "show progress");
    auto* reconfig =
        s->add_flag("--reconfig-overhead", syn.reconfig_overhead,
                    "also synthesize the same design with one fixed width (k_min = k_max) and report the area "
                    "reconfiguration costs");
    s->add_flag("--shell", syn.shell,
                "synthesize sharp_axi_top, the AXI shell around the core (a design generated with shell = axi): "
                "the block 'shell' is the shell's own area");
    s->add_flag("--timing", syn.timing,
                "also report the critical path and fmax (OpenSTA on the mapped netlist; ABC's estimate without sta)");
    s->add_flag("--power", syn.power,
                "also estimate power (implies --timing): logic from OpenSTA with switching activity, memories from the "
                "SRAM model (leakage always; access energy only with --activity; docs/ESTIMATES.md)");
    s->add_option(
        "--activity", syn.activity,
        "switching activity measured in simulation (JSON from `sharpgen activity`); default: 0.1 toggles/cycle");
    s->add_option("--clock-ns", syn.clock_ns, "compute power at this clock period (default: at the estimated fmax)")
        ->check(CLI::Range(0.001, 1e6));
    s->add_option("--sta", syn.sta, "OpenSTA executable")->capture_default_str();
    s->add_flag("--force", syn.force,
                "rerun Yosys even when DESIGN/synth holds the results of identical inputs (they are reused otherwise)");
    s->add_option("--jobs", syn.jobs,
                  "Yosys processes at a time: the hierarchical flow synthesizes each distinct module in a process "
                  "of its own; with --timing/--power also OpenSTA processes at a time for the per-module passes "
                  "(default: one per hardware thread)")
        ->check(CLI::Range(1, 256));
    s->add_flag("--netlist", syn.netlist,
                "also write DESIGN/synth/netlist.v, the mapped hierarchical netlist (implied by --timing and --power)");
    s->add_flag("--flat", syn.flat,
                "cross-check: synthesize the design flattened (much slower; the result should match the "
                "hierarchical roll-up)");
    auto* fpga = s->add_option("--fpga", syn.fpga,
                               "report FPGA resources instead (LUT/FF/DSP/BRAM via Yosys synth_xilinx, memories as "
                               "block RAM): xilinx")
                     ->check(allowed_values({"xilinx"}))
                     ->excludes(reconfig)
                     ->excludes(liberty);
    s->add_option("--svg", syn.svg,
                  "also write an SVG chart of the area per block (and of the power per block with --timing/--power) "
                  "to this file")
        ->excludes(fpga)
        ->excludes(reconfig);
  }

  void add_activity() {
    ac = app.add_subcommand("activity",
                            "Measure switching activity (Verilator toggle coverage) of one layer run, for "
                            "`synth --power --activity`");
    ac->add_option("--design,-d", act.design, "Design directory made by generate")->required();
    add_shape_options(ac, act.hidden, act.input, act.steps);
    ac->add_option("--width", act.width, "dot-product width (default: the planner's choice)");
    ac->add_option("--seed", act.seed, "random weights and inputs from this seed")->capture_default_str();
    ac->add_flag("--zero", act.zero, "all-zero weights, biases and inputs instead of random ones");
    ac->add_option("--out,-o", act.out, "activity JSON file to write")->required();
    ac->add_flag("--verbose", act.verbose, "show the simulator build");
  }

  void add_flow() {
    f = app.add_subcommand("flow", "generate -> verify bit-exact in Verilator -> Yosys estimate -> summary");
    f->add_option("--config,-c", flow.config, "JSON config file")->required();
    f->add_option("--set", flow.overrides, "Override a config field: key=value");
    f->add_option("--out,-o", flow.out, "Output directory")->required();
    f->add_option("--cases", flow.cases, "verification cases")->capture_default_str()->check(CLI::Range(1, 10000));
    f->add_option("--seed", flow.seed, "base seed")->capture_default_str();
    f->add_flag("--no-synth", flow.skip_synth, "skip the Yosys estimate");
  }

  void add_golden() {
    gd = app.add_subcommand(
        "golden",
        "Run the double-precision golden model (lstm, gru or rnn) on a JSON file of layers and inputs (torch "
        "cross-check)");
    gd->add_option("--in", gold.in,
                   "JSON: {cell: lstm|gru|rnn_tanh|rnn_relu (default lstm), layers: [{w_ih, w_hh, b_ih, b_hh, "
                   "optional h0 and (lstm) c0}], x: [[...], ...]}")
        ->required();
    gd->add_option("--out", gold.out, "JSON output: h and c of every layer and step")->required();
  }

  void add_plan() {
    pn = app.add_subcommand("plan", "Pick the run-time dot-product width for a layer (cycle model) and explain it");
    pn->add_option("--design,-d", pl.design, "Design directory made by generate")->required();
    add_shape_options(pn, pl.hidden, pl.input, pl.steps);
    pn->add_option("--streams", pl.streams, "streams of the run (sequences, directions or layers at once)")
        ->capture_default_str()
        ->check(CLI::Range(1, 8));
    pn->add_option("--wavefront", pl.wavefront,
                   "the streams as a stack's layers, G per layer (--steps are then time slots: T + layers - 1)")
        ->capture_default_str()
        ->check(CLI::Range(0, 7));
    pn->add_option("--cell", pl.cell,
                   "cell kind of the run (one of the design's config field `cells`; default: its first): the "
                   "cycles are the same for every kind, the useful MACs G H(X+H) per step")
        ->check(CLI::IsMember({"lstm", "gru", "rnn_tanh", "rnn_relu"}));
    pn->add_flag("--json", pl.json, "print a machine-readable result");
  }

  void add_numerics() {
    nu = app.add_subcommand("numerics", "Measure a number format's error against the double-precision model");
    nu->add_option("--config,-c", num.config, "JSON config file (default: built-in defaults)");
    nu->add_option("--set", num.overrides, "Override a config field: key=value");
    nu->add_option("--seed", num.seed, "seed of the random models")->capture_default_str();
  }

  void add_bench() {
    bn = app.add_subcommand("bench",
                            "Benchmark suite x budgets: Sharp (unfolded) against sequential and "
                            "intergate baselines; table, CSV, JSON and SVG");
    bn->add_option("--budgets", bench.budgets, "multiplier budgets")->delimiter(',')->capture_default_str();
    bn->add_option("--models", bench.models, "models of the suite (default: all)")->delimiter(',');
    bn->add_option("--cell", bench.cell,
                   "every model's layers as this cell kind: the designs hold only it, useful MACs count its gate "
                   "rows (G H(X+H) per step), torch times torch.nn.GRU / RNN")
        ->capture_default_str()
        ->check(CLI::IsMember({"lstm", "gru", "rnn_tanh", "rnn_relu"}));
    bn->add_option("--steps", bench.steps, "time steps per layer")
        ->capture_default_str()
        ->check(allowed_range(1, 4096, "1 to 4096"));
    bn->add_option("--rtl-budget-s", bench.rtl_budget_s,
                   "seconds of RTL simulation allowed (small models at budgets up to 1K); 0: cycle model only")
        ->capture_default_str();
    bn->add_option("--out,-o", bench.out, "directory for bench.json, bench.csv, utilization.svg, roofline.svg")
        ->capture_default_str();
    auto* clk = bn->add_option("--clock-mhz", bench.clock_mhz,
                               "clock of the memory figures (DRAM bytes per cycle, latency); with --estimate each "
                               "budget's fmax instead");
    clk->capture_default_str()->check(CLI::Range(1.0, 1e5));
    bn->add_option("--seed", bench.seed, "seed of the RTL runs' random weights")->capture_default_str();
    bn->add_option("--batches", bench.batches,
                   "batch sizes of the streams section: each sequence of a batch is a stream of the same run "
                   "(1 to 8 each)")
        ->delimiter(',')
        ->capture_default_str()
        ->check(allowed_range(1, 8, "1 to 8"));
    bn->add_flag("--estimate", bench.estimate,
                 "also synthesize each budget's Sharp design (Yosys, hierarchical, cached under OUT/designs) and time "
                 "it (OpenSTA): fmax, power, latency, GOP/s and GOP/s/W per row (slow: minutes per budget)");
    clk->excludes(bn->get_option("--estimate"));
    bn->add_option("--liberty", bench.liberty, "Liberty library for --estimate (default: sharp_generic45.lib)");
    bn->add_option("--activity", bench.activity,
                   "toggles per cycle of every net of a logic block while it works, for --estimate's energy (no "
                   "simulation at these sizes; the cycles each block works come from the cycle model)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    CLI::Option* no_torch = bn->add_flag(
        "--no-torch", [this](int64_t) { bench.torch = false; },
        "skip the torch.nn.LSTM latency comparison (examples/torch/cpu_latency.py)");
    bn->add_option("--python", bench.python,
                   "interpreter for the torch.nn.LSTM comparison (default: python3 on PATH, then /usr/bin/python3)")
        ->excludes(no_torch);
    bn->add_option("--torch-repeats", bench.torch_repeats, "timed torch.nn.LSTM runs per model (the median is shown)")
        ->capture_default_str()
        ->check(allowed_range(1, 1000, "1 to 1000"))
        ->excludes(no_torch);
    bn->add_option("--torch-warmup", bench.torch_warmup, "untimed torch.nn.LSTM runs per model before them")
        ->capture_default_str()
        ->check(allowed_range(0, 100, "0 to 100"))
        ->excludes(no_torch);
    bn->add_option("--torch-threads", bench.torch_threads,
                   "torch.set_num_threads() for the CPU runs; 0: torch's default")
        ->capture_default_str()
        ->check(allowed_range(0, 1024, "0 to 1024"))
        ->excludes(no_torch);
  }

  void add_run() {
    rn = app.add_subcommand("run",
                            "Run a trained model (docs/MODEL_FORMAT.md) through a design in Verilator, "
                            "every layer checked bit for bit against the golden model");
    rn->add_option("--design,-d", run_args.design, "Design directory made by generate")->required();
    rn->add_option("--model,-m", run_args.model,
                   "Model directory (model.json + .npy tensors, e.g. from "
                   "examples/torch/export_lstm.py)")
        ->required();
    rn->add_option("--inputs,-i", run_args.inputs, "Inputs .npy, shape (T, X) or (N, T, X)")->required();
    rn->add_option("--h0", run_args.h0,
                   "initial hidden state .npy, shape (layers x directions, N, H) as torch takes it ((layers x "
                   "directions, H) for one sequence); sent to the hardware through the state stream (default: zero)");
    rn->add_option("--c0", run_args.c0, "initial cell state .npy of an lstm model, shape as --h0 (default: zero)");
    rn->add_option("--out,-o", run_args.out,
                   "Output directory (output_rtl.npy, output_codes.npy, "
                   "output_golden_double.npy, report.json)")
        ->required();
    rn->add_flag("--json", run_args.json, "print the report as JSON");
    rn->add_option("--streams", run_args.streams,
                   "streams per run on the program path: a layer's sequences and both directions of a "
                   "bidirectional layer run as streams of one run, up to this many (0: the design's streams; "
                   "1: one sequence and direction per run)")
        ->capture_default_str()
        ->check(CLI::Range(0, 8));
    rn->add_option("--wavefront", run_args.wavefront,
                   "a one-direction stack's layers with input = hidden as wavefronts (WAVEFRONT register: up to "
                   "streams / sequences layers per run, skewed a time slot per layer): auto (where the cycle model "
                   "predicts fewer cycles), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->capture_default_str();
    auto* sep = rn->add_flag("--separate-runs", run_args.separate_runs,
                             "one simulator process per layer, direction and sequence, weights reloaded for each "
                             "(the old path, kept to compare with; no DRAM rate)");
    auto* gb = rn->add_option("--dram-gbps", run_args.dram_gbps,
                              "weights and biases stream from DRAM at this rate, GB/s (needs --clock-mhz; default: "
                              "as fast as the streams take them)")
                   ->check(CLI::Range(0.001, 1e6))
                   ->excludes(sep);
    rn->add_option("--clock-mhz", run_args.clock_mhz, "the design's clock for --dram-gbps, MHz")
        ->check(CLI::Range(0.001, 1e6))
        ->needs(gb);
    gb->needs("--clock-mhz");
    rn->add_option("--flip", run_args.flip,
                   "checker self-test: flip bit BIT of h[STEP][NEURON] of the first run's RTL output "
                   "(STEP:NEURON:BIT); the run must then fail")
        ->excludes(sep);
    rn->add_option("--flip-count", run_args.flip_count,
                   "checker self-test: add one read to the measured count of this SRAM macro (its path below the "
                   "top), or one to an event count (act_groups, cell_updates, w_beats, b_beats, x_beats, "
                   "out_beats); the count check must then fail")
        ->excludes(sep);
  }

  void add_registers() {
    rg = app.add_subcommand("registers",
                            "Print the register map of a config's design as Markdown (docs/REGISTERS.md), a C99 header "
                            "(sharp_regs.h) or SystemRDL (sharp_regs.rdl); every design holds the last two");
    rg->add_option("--config,-c", regs.config, "JSON config file (default: built-in defaults)");
    rg->add_option("--set", regs.overrides, "Override a config field: key=value");
    rg->add_option("--out,-o", regs.out, "write to this file instead of stdout");
    rg->add_option("--format", regs.format, "md, c or rdl")
        ->capture_default_str()
        ->check(CLI::IsMember({"md", "c", "rdl"}));
  }

  // Runs the chosen subcommand; `command` is the command line for banners.
  int run(const std::string& command) {
    if (*g) {
      gen.command = command;
      return cmd_generate(gen);
    }
    if (*v) return cmd_verify(ver);
    if (*gd) return cmd_golden(gold);
    if (*nu) return cmd_numerics(num);
    if (*pn) return cmd_plan(pl);
    if (*bn) return cmd_bench(bench);
    if (*ex) return cmd_explore(exp);
    if (*rn) return cmd_run(run_args);
    if (*r) return cmd_regress(reg);
    if (*s) return cmd_synth(syn);
    if (*ac) return cmd_activity(act);
    if (*rg) {
      regs.command = command;
      return cmd_registers(regs);
    }
    if (*f) {
      flow.command = command;
      return cmd_flow(flow);
    }
    return 0;
  }
};

}  // namespace

int main(int argc, char** argv) {
  Cli cli;
  try {
    cli.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(cli.app, e);
  }
  try {
    return cli.run(command_line(argc, argv));
  } catch (const sharp::Error& e) {
    std::fprintf(stderr, "sharpgen: error: %s\n", e.what());
    return 1;
  } catch (const sharp::synth::SynthError& e) {
    std::fprintf(stderr, "sharpgen: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sharpgen: internal error: %s\n", e.what());
    return 3;
  }
}
