// Tests of sharp::synth::run_sta (timing and power with OpenSTA) on the fixture design.
// Tests tagged [yosys] / [sta] need Yosys / OpenSTA on PATH (registered only then, see
// synth/CMakeLists.txt).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "sharp/manifest.hpp"
#include "sharp/process.hpp"
#include "sharp/sram_model.hpp"
#include "sharp/sta.hpp"
#include "sharp/synth.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using sharp::synth::ModuleTiming;
using sharp::synth::Report;
using sharp::synth::StaOptions;
using sharp::synth::StaReport;

namespace {

bool have_sta() {
  static const bool ok = sharp::synth::sta_available("sta", nullptr);
  return ok;
}

fs::path sta_work(const std::string& name) {
  fs::path p = fs::path(SHARP_SYNTH_TEST_WORK) / "sta" / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// The fixture synthesized once for all tests (about half a second).
const Report& fixture_report() {
  static const Report r = [] {
    sharp::synth::Options o;
    o.design_dir = fs::path(SHARP_SYNTH_FIXTURE_DIR) / "fixture";
    // A directory of this process's own: ctest runs test cases as parallel processes, and
    // sta_work() empties the directory it returns.
    o.work_dir = sta_work("fixture_synth_" + std::to_string(::getpid()));
    return sharp::synth::run(o);
  }();
  return r;
}

StaOptions sta_options(const std::string& name) {
  StaOptions o;
  o.work_dir = sta_work(name);
  return o;
}

const ModuleTiming* find_module(const StaReport& r, const std::string& base, const std::string& params) {
  for (const auto& m : r.modules)
    if (m.module == base && m.params == params) return &m;
  return nullptr;
}

// An activity file giving every fixture module and every listed net the same rate.
std::string uniform_activity(double rate, double reads, double writes) {
  std::string r = std::to_string(rate);
  return "{\"cycles\": 1000, \"modules\": {"
         "\"sharp_mult\": {\"instances\": 5, \"mean_toggle_rate\": " +
         r + ", \"bits\": {\"a[3]\": " + r + ", \"p[15]\": " + r + ", \"b[0]\": " + r +
         "}},"
         "\"sharp_pair\": {\"instances\": 2, \"mean_toggle_rate\": " +
         r + ", \"bits\": {\"sum[7]\": " + r +
         "}},"
         "\"sharp_reg\": {\"instances\": 2, \"mean_toggle_rate\": " +
         r + ", \"bits\": {\"q[0]\": " + r + ", \"en\": " + r +
         "}},"
         "\"sharp_top\": {\"instances\": 1, \"mean_toggle_rate\": " +
         r +
         ", \"bits\": {}}},"
         "\"memories\": {\"sharp_sram\": {\"reads_per_cycle\": " +
         std::to_string(reads) + ", \"writes_per_cycle\": " + std::to_string(writes) + ", \"bits_per_access\": 16}}}\n";
}

double sum_switching(const StaReport& r) {
  double s = 0;
  for (const auto& m : r.modules) s += static_cast<double>(m.instances) * m.switching_mw_each;
  return s;
}

// An area report for a hand-written netlist: the default library, the top, and each module
// {name, block, instances, cells each}.
struct HandModule {
  std::string name, block;
  long instances, cells;
};
// The hand-written Verilog netlist as Yosys' JSON (what run_sta reads), next to it.
fs::path json_netlist(const fs::path& verilog) {
  const fs::path j = fs::path(verilog).replace_extension(".json");
  const auto res = sharp::run_child(
      {"yosys", "-q", "-p", "read_verilog " + verilog.string() + "; write_json " + j.string()}, nullptr);
  REQUIRE(res.ok());
  return j;
}

Report hand_report(const fs::path& netlist, const std::string& top, const std::vector<HandModule>& mods) {
  Report area;
  area.top = top;
  area.liberty_path = sharp::synth::default_liberty().string();
  area.netlist_path = netlist.string();
  area.netlist_json = {json_netlist(netlist).string()};
  for (const auto& hm : mods) {
    sharp::synth::ModuleArea ma;
    ma.module = ma.yosys_name = hm.name;
    ma.block = hm.block;
    ma.instances = hm.instances;
    ma.cells_each = hm.cells;
    area.modules.push_back(ma);
    area.logic_cells += hm.instances * hm.cells;
  }
  return area;
}

}  // namespace

TEST_CASE("OpenSTA times the fixture flat below the cell limit and per module at limit 0", "[timing][yosys][sta]") {
  const Report& area = fixture_report();

  StaReport flat = sharp::synth::run_sta(area, sta_options("flat"));
  INFO(flat.table());
  CHECK(flat.method == "opensta-flat");
  CHECK(flat.critical_path_ns > 0.1);
  CHECK(flat.critical_path_ns < 10.0);
  CHECK(flat.fmax_mhz == Approx(1000.0 / flat.critical_path_ns));
  CHECK(flat.clock_period_ns == Approx(flat.critical_path_ns));  // power at fmax
  CHECK_FALSE(flat.startpoint.empty());
  // The worst path goes through a multiplier and the top's adder into the accumulator.
  CHECK_THAT(flat.endpoint, Contains("u_acc/"));
  CHECK(flat.critical_module == "sharp_reg(W=16)");
  CHECK(flat.modules.size() == area.modules.size());

  StaOptions o = sta_options("per_module");
  o.flat_cell_limit = 0;
  StaReport per = sharp::synth::run_sta(area, o);
  CHECK(per.method == "opensta-boundary");
  CHECK(per.critical_path_ns > 0.1);
  CHECK(per.fmax_mhz == Approx(1000.0 / per.critical_path_ns));
  CHECK(per.flat_critical_path_ns < 0);  // no flat run
  // Cut paths (every input at 0) are parts of flat paths: that figure cannot be longer.
  CHECK(per.per_module_critical_path_ns <= flat.critical_path_ns + 1e-9);
  CHECK(per.per_module_critical_path_ns == Approx(flat.per_module_critical_path_ns));
  // With the arrivals, transitions and loads carried across the boundaries, the per-module
  // analysis finds the flat critical path (the multiplier -> adder -> accumulator path crosses
  // three modules), up to the 0.1 ps steps of the input delays; the cut figure is shorter.
  CHECK(per.boundary_converged);
  CHECK(per.boundary_passes >= 2);
  CHECK(per.critical_path_ns == Approx(flat.critical_path_ns).margin(0.001));
  CHECK(per.critical_path_ns >= flat.critical_path_ns - 0.001);
  CHECK(per.per_module_critical_path_ns < per.critical_path_ns - 0.01);
  // One pass: the cut analysis only, reported as a lower bound.
  StaOptions o1 = sta_options("per_module_one_pass");
  o1.flat_cell_limit = 0;
  o1.boundary_passes = 1;
  StaReport one = sharp::synth::run_sta(area, o1);
  CHECK_FALSE(one.boundary_converged);
  CHECK(one.critical_path_ns == Approx(per.per_module_critical_path_ns));
  bool lower = false;
  for (const auto& n : one.notes)
    if (n.find("a lower bound") != std::string::npos) lower = true;
  CHECK(lower);
  // The path ends in the accumulator, as the flat one does; the 8-bit multiplier is slower than
  // the 4-bit one.
  CHECK(per.critical_module == flat.critical_module);
  const ModuleTiming* m8 = find_module(per, "sharp_mult", "W=8");
  const ModuleTiming* m4 = find_module(per, "sharp_mult", "W=4");
  REQUIRE(m8);
  REQUIRE(m4);
  CHECK(m8->worst_path_ns > m4->worst_path_ns);
  CHECK(one.critical_module == "sharp_mult(W=8)");  // cut: the slowest module alone
  CHECK(m8->instances == 4);
  bool noted = false;
  for (const auto& n : per.notes)
    if (n.find("cut") != std::string::npos) noted = true;
  CHECK(noted);
}

TEST_CASE("Power rolls up as instances x per-module power and agrees with the flat run", "[timing][yosys][sta]") {
  const Report& area = fixture_report();
  StaOptions o = sta_options("rollup");
  o.clock_period_ns = 2.0;
  StaReport r = sharp::synth::run_sta(area, o);
  INFO(r.table());
  CHECK(r.clock_period_ns == 2.0);

  double dyn = 0, leak = 0, clk = 0, blocks = 0;
  for (const auto& m : r.modules) {
    dyn += static_cast<double>(m.instances) * m.dynamic_mw_each;
    leak += static_cast<double>(m.instances) * m.leakage_mw_each;
    clk += static_cast<double>(m.instances) * m.clock_mw_each;
    CHECK(m.dynamic_mw_each == Approx(m.switching_mw_each + m.internal_mw_each + m.clock_mw_each));
  }
  CHECK(r.dynamic_mw == Approx(dyn));
  CHECK(r.leakage_mw == Approx(leak));
  CHECK(r.clock_mw == Approx(clk));
  CHECK(r.dynamic_mw > 0);
  CHECK(r.leakage_mw > 0);
  CHECK(r.total_mw == Approx(r.dynamic_mw + r.leakage_mw + r.memory_dynamic_mw + r.memory_leakage_mw));
  for (const auto& [b, v] : r.block_power_mw) blocks += v;
  CHECK(blocks == Approx(r.total_mw));
  CHECK(r.block_power_mw.count("array"));
  CHECK(r.block_power_mw.count("buffers"));  // the memories' block

  // The flat report_power (uniform default activity) and the roll-up agree; leakage too.
  REQUIRE(r.flat_switching_mw > 0);
  INFO("flat " << r.flat_switching_mw << " mW, roll-up " << r.rollup_uniform_switching_mw
               << " mW, per-module report_power alone " << r.opensta_rollup_switching_mw << " mW");
  CHECK(std::fabs(r.rollup_uniform_switching_mw - r.flat_switching_mw) / r.flat_switching_mw < 0.01);
  CHECK(std::fabs(r.flat_leakage_mw - r.leakage_mw) / r.flat_leakage_mw < 0.001);
  // Without the nets that cross module boundaries, the per-module report_power is too low.
  CHECK(r.opensta_rollup_switching_mw < 0.97 * r.flat_switching_mw);
  // Without an activity file, the roll-up's switching is the uniform one.
  CHECK(sum_switching(r) == Approx(r.rollup_uniform_switching_mw));

  // Power scales with frequency (switching) and not at all (leakage).
  StaOptions o2 = sta_options("rollup_4ns");
  o2.clock_period_ns = 4.0;
  StaReport r2 = sharp::synth::run_sta(area, o2);
  CHECK(r2.dynamic_mw == Approx(r.dynamic_mw / 2));
  CHECK(r2.memory_dynamic_mw == Approx(r.memory_dynamic_mw / 2));
  CHECK(r2.leakage_mw == Approx(r.leakage_mw));

  // Memories without activity data: leakage from the SRAM model, no dynamic power (not assumed).
  REQUIRE(r.memories.size() == 2);
  CHECK(r.memories[0].word_bits == 16);
  CHECK(r.memories[1].word_bits == 8);
  CHECK(r.memories[0].reads_per_cycle == 0.0);
  CHECK_FALSE(r.memories[0].dynamic_estimated);
  CHECK(r.memory_dynamic_mw == 0.0);
  const auto& model = sharp::synth::default_sram_model();
  CHECK(r.memory_leakage_mw == Approx(sharp::synth::macro_figures(model, 64, 16).leakage_mw +
                                      sharp::synth::macro_figures(model, 32, 8).leakage_mw));
}

TEST_CASE("Measured activity changes dynamic power and not leakage", "[timing][yosys][sta]") {
  const Report& area = fixture_report();
  fs::path dir = sta_work("activity_files");
  write_file(dir / "zero.json", uniform_activity(0.0, 0.0, 0.0));
  write_file(dir / "half.json", uniform_activity(0.5, 0.5, 0.25));

  auto run = [&](const std::string& name, const fs::path& file) {
    StaOptions o = sta_options(name);
    o.clock_period_ns = 2.0;
    if (!file.empty()) o.activity_json = file;
    return sharp::synth::run_sta(area, o);
  };
  StaReport dflt = run("act_default", {});
  StaReport zero = run("act_zero", dir / "zero.json");
  StaReport half = run("act_half", dir / "half.json");
  INFO(half.table());

  CHECK_THAT(half.activity_source, Contains("simulation: ") && Contains("half.json"));
  CHECK_THAT(dflt.activity_source, Contains("default 0.1"));
  CHECK(zero.dynamic_mw < half.dynamic_mw);
  // Rate 0 everywhere: no net switches; only the clock pins are left.
  CHECK(sum_switching(zero) == Approx(0.0).margin(1e-12));
  CHECK(zero.dynamic_mw == Approx(zero.clock_mw));
  // Switching is proportional to the rate: 0.5 toggles/cycle is 5x the default 0.1.
  CHECK(sum_switching(half) == Approx(5.0 * sum_switching(dflt)).epsilon(1e-6));
  CHECK(half.clock_mw == Approx(dflt.clock_mw));
  CHECK(zero.leakage_mw == Approx(dflt.leakage_mw));
  CHECK(half.leakage_mw == Approx(dflt.leakage_mw));
  CHECK(half.activity_matched == 6);
  CHECK(half.activity_unmatched == 0);
  // Memories follow the file: its access rates are totals over the two sharp_sram instances,
  // shared equally; each instance keeps its own word width (16 and 8 bits).
  CHECK(zero.memory_dynamic_mw == 0.0);  // an idle design: no memory energy per access, but leakage
  CHECK(zero.memory_leakage_mw > 0);
  CHECK(zero.memory_leakage_mw == Approx(half.memory_leakage_mw));
  REQUIRE(half.memories.size() == 2);
  CHECK(half.memories[0].reads_per_cycle == 0.25);
  CHECK(half.memories[0].writes_per_cycle == 0.125);
  CHECK(half.memories[1].word_bits == 8);
  const auto fig = sharp::synth::macro_figures(sharp::synth::default_sram_model(), 64, 16);
  CHECK(half.memories[0].dynamic_mw == Approx((0.25 * fig.read_pj + 0.125 * fig.write_pj) / 2.0));  // 2 ns
  CHECK(half.memory_dynamic_mw == Approx(half.memories[0].dynamic_mw + half.memories[1].dynamic_mw));

  // A single net's rate counts: every module at 0 except one output bit of the multipliers.
  write_file(dir / "one.json",
             "{\"modules\": {\"sharp_mult\": {\"mean_toggle_rate\": 0, \"bits\": {\"p[15]\": 1.0, "
             "\"no_such_net[2]\": 0.3}}, \"sharp_pair\": {\"mean_toggle_rate\": 0}, "
             "\"sharp_reg\": {\"mean_toggle_rate\": 0}, \"sharp_top\": {\"mean_toggle_rate\": 0}}}");
  StaReport one = run("act_one", dir / "one.json");
  CHECK(sum_switching(one) > 0);
  CHECK(sum_switching(one) < sum_switching(half));
  CHECK(one.activity_matched == 1);
  CHECK(one.activity_unmatched == 1);
  bool noted = false;
  for (const auto& n : one.notes)
    if (n.find("no_such_net[2]") != std::string::npos && n.find("1 of 2") != std::string::npos) noted = true;
  CHECK(noted);
}

TEST_CASE("Activity names with generate scopes match Yosys' escaped, split net names", "[timing][yosys][sta]") {
  fs::path d = sta_work("gen_names") / "design";
  write_file(d / "rtl" / "gen_top.v",
             "module gen_top(input logic clk_i, input logic [3:0] a_i, output logic [3:0] q_o);\n"
             "  for (genvar g = 0; g < 2; g++) begin : gen_x\n"
             "    logic [3:0] sum_q;\n"
             "    always_ff @(posedge clk_i) sum_q <= a_i + 4'(g + 1);\n"
             "  end\n"
             "  assign q_o = gen_x[0].sum_q ^ gen_x[1].sum_q;\n"
             "endmodule\n");
  write_file(d / "filelist.f", "rtl/gen_top.v\n");
  write_file(d / "manifest.json", "{\"schema\": " + std::to_string(sharp::kManifestSchema) +
                                      ", \"top\": \"gen_top\", \"filelist\": \"filelist.f\"}\n");
  sharp::synth::Options so;
  so.design_dir = d;
  so.work_dir = sta_work("gen_names_synth");
  Report area = sharp::synth::run(so);
  write_file(d / "act.json",
             "{\"modules\": {\"gen_top\": {\"mean_toggle_rate\": 0.0, \"bits\": "
             "{\"gen_x[1].sum_q[2]\": 1.0, \"a_i[3]\": 0.5, \"q_o[0]\": 0.5}}}}");
  StaOptions o = sta_options("gen_names_sta");
  o.clock_period_ns = 1.0;
  o.activity_json = d / "act.json";
  StaReport r = sharp::synth::run_sta(area, o);
  INFO(r.to_json().dump(1));
  CHECK(r.activity_matched == 3);
  CHECK(r.activity_unmatched == 0);
  CHECK(sum_switching(r) > 0);  // the register output and q_o switch; a_i is driven outside
  CHECK(r.method == "opensta-flat");
  CHECK(r.modules.size() == 1);
  CHECK(r.modules[0].clock_port == "clk_i");
}

TEST_CASE("A missing sta executable falls back to the ABC estimate with a note", "[timing][yosys]") {
  const Report& area = fixture_report();
  StaOptions o = sta_options("no_sta");
  o.sta = "sharp-no-such-sta";
  o.clock_period_ns = 2.0;
  CHECK_FALSE(sharp::synth::sta_available(o.sta));
  StaReport r = sharp::synth::run_sta(area, o);
  CHECK(r.method == "abc-estimate");
  CHECK(r.critical_path_ns == Approx(area.abc_delay_ns));
  CHECK(r.fmax_mhz == Approx(1000.0 / area.abc_delay_ns));
  bool noted = false;
  for (const auto& n : r.notes)
    if (n.find("sharp-no-such-sta not found") != std::string::npos) noted = true;
  CHECK(noted);
  // Power still comes from the net model and the Liberty file.
  CHECK(r.dynamic_mw > 0);
  CHECK(r.leakage_mw > 0);
  CHECK(r.total_mw > r.memory_dynamic_mw);

  if (have_sta()) {  // the net model does not depend on OpenSTA
    StaOptions o2 = sta_options("no_sta_ref");
    o2.clock_period_ns = 2.0;
    StaReport ref = sharp::synth::run_sta(area, o2);
    CHECK(r.leakage_mw == Approx(ref.leakage_mw).epsilon(1e-4));
    CHECK(sum_switching(r) == Approx(sum_switching(ref)).epsilon(1e-6));  // V: float in OpenSTA
  }
}

TEST_CASE("A bad activity file is an error naming the file and the field", "[timing]") {
  Report area;  // never reached: the activity file is read first
  fs::path dir = sta_work("bad_activity");
  StaOptions o;
  o.work_dir = dir / "work";

  auto message = [&](const std::string& name, const std::string& text) {
    fs::path f = dir / name;
    write_file(f, text);
    o.activity_json = f;
    try {
      sharp::synth::run_sta(area, o);
    } catch (const sharp::synth::SynthError& e) {
      std::string m = e.what();
      CHECK(m.find('\n') == std::string::npos);
      CHECK_THAT(m, Contains("sta: ") && Contains(f.string()));
      return m;
    }
    FAIL("run_sta did not throw for " << name);
    return std::string();
  };
  CHECK_THAT(message("string_rate.json", "{\"modules\": {\"sharp_mult\": {\"bits\": {\"a_i[3]\": \"high\"}}}}"),
             Contains("modules.sharp_mult.bits.a_i[3]") && Contains("expected a number"));
  CHECK_THAT(message("negative.json", "{\"modules\": {\"sharp_mult\": {\"mean_toggle_rate\": -0.5}}}"),
             Contains("modules.sharp_mult.mean_toggle_rate"));
  CHECK_THAT(message("too_high.json", "{\"modules\": {\"sharp_mult\": {\"mean_toggle_rate\": 7}}}"),
             Contains("modules.sharp_mult.mean_toggle_rate") && Contains("above"));
  CHECK_THAT(message("memory.json", "{\"memories\": {\"sharp_sram\": {\"reads_per_cycle\": null}}}"),
             Contains("memories.sharp_sram.reads_per_cycle"));
  CHECK_THAT(message("not_json.json", "{\"modules\": "), Contains("not valid JSON"));
  CHECK_THAT(message("empty.json", "{\"cycles\": 10}"), Contains("modules"));
  CHECK_THAT(message("array.json", "[1, 2]"), Contains("top level"));

  o.activity_json = dir / "missing.json";
  REQUIRE_THROWS_WITH(sharp::synth::run_sta(area, o), Contains("missing.json") && Contains("not found"));
}

TEST_CASE("The timing report serialises to JSON and a table", "[timing][yosys][sta]") {
  std::string version;
  REQUIRE(sharp::synth::sta_available("sta", &version));
  CHECK_THAT(version, Contains("OpenSTA"));
  StaReport r = sharp::synth::run_sta(fixture_report(), sta_options("json"));
  nlohmann::json j = r.to_json();
  CHECK(j.at("method") == "opensta-flat");
  CHECK(j.at("critical_path_ns").get<double>() == Approx(r.critical_path_ns));
  CHECK(j.at("modules").size() == r.modules.size());
  CHECK(j.at("memories").size() == 2);
  CHECK(j.at("total_mw").get<double>() == Approx(r.total_mw));
  CHECK(j.at("block_power_mw").contains("array"));
  CHECK(j.at("crosscheck").at("flat_switching_mw").get<double>() > 0);
  CHECK(j.at("notes").size() == r.notes.size());
  std::string t = r.table();
  CHECK_THAT(t, Contains("critical path") && Contains("fmax") && Contains("opensta-flat"));
  CHECK_THAT(t, Contains("array") && Contains("buffers") && Contains("total"));
  CHECK(fs::is_regular_file(fs::path(r.work_dir) / "sta_modules.log"));
  CHECK(fs::is_regular_file(fs::path(r.work_dir) / "sta_flat.log"));
}

TEST_CASE("Hand-written netlists with buses, assigns, escaped names and a black box are analysed",
          "[timing][yosys][sta]") {
  fs::path dir = sta_work("handwritten");
  write_file(dir / "netlist.v",
             "// two registers behind inverters, in a sub-module\n"
             "module leafm(clk, d, q);\n"
             "  input clk;\n  input [1:0] d;\n  output [1:0] q;\n  wire [1:0] n;\n"
             "  INV _0_ (.A(d[0]), .Y(n[0]));\n  INV _1_ (.A(d[1]), .Y(n[1]));\n"
             "  DFF _2_ (.CLK(clk), .D(n[0]), .Q(q[0]));\n  DFF _3_ (.CLK(clk), .D(n[1]), .Q(q[1]));\n"
             "endmodule\n"
             "module \\top$x (clk, a, y, \\odd[0] );\n"
             "  input clk;\n  input [1:0] a;\n  output y;\n  output \\odd[0] ;\n"
             "  wire [1:0] qq;\n  wire \\gen_a[1].t ;\n  wire m0;\n"
             "  leafm u_l (.clk(clk), .d(a), .q(qq));\n"
             "  XOR2 _5_ (.A(qq[0]), .B(qq[1]), .Y(\\gen_a[1].t ));\n"
             "  assign y = \\gen_a[1].t ;\n"
             "  mem_box u_m (.clk(clk), .din({ qq[1], 1'b0, qq[0] }), .dout(m0));\n"
             "  BUF _6_ (.A(m0), .Y(\\odd[0] ));\n"
             "endmodule\n");
  Report area = hand_report(dir / "netlist.v", "top$x", {{"top$x", "top", 1, 2}, {"leafm", "leaf", 1, 4}});
  sharp::synth::MemoryArea mem;
  mem.path = "u_m";
  mem.module = "mem_box";
  mem.bits = 2048;
  mem.depth = 2048;  // one macro of 2048 x 1 bits (the SRAM model's shape comes from the manifest)
  mem.width_bits = 1;
  mem.block = "memories";
  area.memories = {mem};

  StaOptions o = sta_options("handwritten_sta");
  o.clock_period_ns = 1.0;
  o.sram_access_ns = 0.5;
  StaReport r = sharp::synth::run_sta(area, o);
  INFO(r.to_json().dump(1));
  CHECK(r.method == "opensta-flat");
  // Flat: the XOR after the registers, or the memory's 0.5 ns clock-to-output and the buffer.
  CHECK(r.critical_path_ns > 0.5);
  CHECK(r.critical_path_ns < 1.0);
  CHECK_THAT(r.startpoint, Contains("u_m"));
  REQUIRE(r.memories.size() == 1);
  CHECK(r.memories[0].word_bits == 1);
  CHECK(r.memories[0].leakage_mw > 0);
  const ModuleTiming* t = find_module(r, "top$x", "");
  REQUIRE(t);
  CHECK(t->cut_pins == 2);  // u_l's q[1:0]; its d is the top's port a and clk the clock: not cut
  CHECK(t->clock_port == "clk");
  CHECK(r.flat_switching_mw > 0);
  CHECK(std::fabs(r.rollup_uniform_switching_mw - r.flat_switching_mw) < 1e-3 * r.flat_switching_mw);
}

TEST_CASE("A register driving 200 gates gets a buffer tree; the clock net does not", "[timing][yosys][sta]") {
  // q fans out to 200 inverters (and through a sub-module port to 200 more in each of the two
  // `sink` instances); every inverter feeds a capture register. The clock reaches every register.
  auto sink_module = [] {
    std::string v = "module sink(clk, a);\n  input clk;\n  input a;\n";
    for (int i = 0; i < 200; ++i) v += fmt::format("  wire n{0};\n  wire m{0};\n", i);
    for (int i = 0; i < 200; ++i)
      v += fmt::format("  INV i{0} (.A(a), .Y(n{0}));\n  DFF r{0} (.CLK(clk), .D(n{0}), .Q(m{0}));\n", i);
    return v + "endmodule\n";
  };
  std::string top = "module fan(clk, d);\n  input clk;\n  input d;\n  wire q;\n";
  for (int i = 0; i < 200; ++i) top += fmt::format("  wire n{0};\n  wire m{0};\n", i);
  top += "  DFF src (.CLK(clk), .D(d), .Q(q));\n";
  for (int i = 0; i < 200; ++i)
    top += fmt::format("  INV i{0} (.A(q), .Y(n{0}));\n  DFF r{0} (.CLK(clk), .D(n{0}), .Q(m{0}));\n", i);
  top += "  sink s0 (.clk(clk), .a(q));\n  sink s1 (.clk(clk), .a(q));\nendmodule\n";
  fs::path dir = sta_work("fanout");
  write_file(dir / "netlist.v", sink_module() + top);
  Report area = hand_report(dir / "netlist.v", "fan", {{"fan", "top", 1, 401}, {"sink", "sink", 2, 400}});
  area.logic_area_um2 = 1000;

  StaOptions o = sta_options("fanout_on");
  StaReport on = sharp::synth::run_sta(area, o);
  INFO(on.to_json().dump(1));
  // fan: q has 202 loads -> 26 buffers of 8 (the last 2 loads on one), then 4 above them.
  // sink: a has 200 loads -> 25 + 4 buffers, in each of the 2 instances. clk: none.
  CHECK(on.fanout_buffer_cell == "BUF");
  CHECK(on.fanout_buffers == (26 + 4) + 2 * (25 + 4));
  CHECK(on.fanout_buffer_area_um2 == Approx(static_cast<double>(on.fanout_buffers) * 0.798));
  std::ifstream in(fs::path(on.work_dir) / "flat.v");
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(written, Contains("sgfo_buf_"));

  StaOptions o0 = sta_options("fanout_off");
  o0.max_fanout = 0;
  StaReport off = sharp::synth::run_sta(area, o0);
  CHECK(off.fanout_buffers == 0);
  INFO("critical path buffered " << on.critical_path_ns << " ns, unbuffered " << off.critical_path_ns << " ns");
  CHECK(on.critical_path_ns < 0.5 * off.critical_path_ns);
}

TEST_CASE("A net from one sub-module to another is timed across the top without a port in its cut netlist",
          "[timing][yosys][sta]") {
  // src: a register behind an inverter chain, two outputs; dst: an inverter chain into a register.
  // In the top, src's q0 goes straight into dst (no cell of the top reads it) and q1 into an XOR.
  auto chain = [](const std::string& from, const std::string& to, int n, const std::string& tag) {
    std::string v;
    for (int i = 0; i < n; ++i) v += fmt::format("  wire {}{};\n", tag, i);
    for (int i = 0; i < n; ++i)
      v += fmt::format("  INV {0}i{1} (.A({2}), .Y({0}{1}));\n", tag, i, i ? fmt::format("{}{}", tag, i - 1) : from);
    return v + fmt::format("  BUF {0}o (.A({0}{1}), .Y({2}));\n", tag, n - 1, to);
  };
  const std::string src =
      "module src(clk, d, q0, q1);\n  input clk;\n  input d;\n  output q0;\n  output q1;\n"
      "  wire r;\n  DFF ff (.CLK(clk), .D(d), .Q(r));\n" +
      chain("r", "q0", 6, "a") + "  BUF b1 (.A(r), .Y(q1));\nendmodule\n";
  const std::string dst = "module dst(clk, a, q);\n  input clk;\n  input a;\n  output q;\n  wire n;\n" +
                          chain("a", "n", 6, "b") + "  DFF ff (.CLK(clk), .D(n), .Q(q));\nendmodule\n";
  const std::string top =
      "module twochild(clk, d, y, q);\n  input clk;\n  input d;\n  output y;\n  output q;\n"
      "  wire link;\n  wire side;\n"
      "  src u_s (.clk(clk), .d(d), .q0(link), .q1(side));\n"
      "  dst u_d (.clk(clk), .a(link), .q(q));\n"
      "  XOR2 x (.A(side), .B(d), .Y(y));\nendmodule\n";
  fs::path dir = sta_work("child_to_child");
  write_file(dir / "netlist.v", src + dst + top);
  const Report area = hand_report(dir / "netlist.v", "twochild",
                                  {{"twochild", "top", 1, 1}, {"src", "src", 1, 9}, {"dst", "dst", 1, 8}});

  StaReport flat = sharp::synth::run_sta(area, sta_options("child_to_child_flat"));
  StaOptions o = sta_options("child_to_child_boundary");
  o.flat_cell_limit = 0;
  StaReport per = sharp::synth::run_sta(area, o);
  INFO(flat.table() << per.table());
  REQUIRE(flat.method == "opensta-flat");
  REQUIRE(per.method == "opensta-boundary");
  // The longest path runs from src's register through both inverter chains into dst's register,
  // crossing the top on `link`, where no cell of the top sits: the boundary analysis finds it.
  CHECK(per.boundary_converged);
  CHECK(per.critical_module == "dst");
  CHECK(per.critical_path_ns == Approx(flat.critical_path_ns).margin(0.001));
  CHECK(per.critical_path_ns >= flat.critical_path_ns - 0.001);
  // The top's cut netlist (module key 0) has a port for `side`, read by the XOR, and none for
  // `link`; both were cut pins.
  std::ifstream in(fs::path(per.work_dir) / "modules" / "m0.v");
  const std::string cut((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(cut, Contains("input side;"));
  CHECK_THAT(cut, !Contains("link"));
  const ModuleTiming* t = find_module(per, "twochild", "");
  REQUIRE(t);
  CHECK(t->cut_pins == 3);  // u_s q0 and q1, u_d a (d and q are the top's ports), counted as before
}

TEST_CASE("The per-module passes give the same results in one OpenSTA process or split over several",
          "[timing][yosys][sta]") {
  const Report& area = fixture_report();
  StaOptions o1 = sta_options("jobs_1");
  o1.flat_cell_limit = 0;
  o1.jobs = 1;
  StaOptions o3 = sta_options("jobs_3");
  o3.flat_cell_limit = 0;
  o3.jobs = 3;
  const StaReport a = sharp::synth::run_sta(area, o1), b = sharp::synth::run_sta(area, o3);
  CHECK(a.critical_path_ns == b.critical_path_ns);
  CHECK(a.boundary_passes == b.boundary_passes);
  REQUIRE(a.modules.size() == b.modules.size());
  for (size_t k = 0; k < a.modules.size(); ++k) {
    CHECK(a.modules[k].worst_path_ns == b.modules[k].worst_path_ns);
    CHECK(a.modules[k].dynamic_mw_each == b.modules[k].dynamic_mw_each);
  }
  CHECK(fs::is_regular_file(fs::path(b.work_dir) / "sta_modules-3.log"));
  CHECK_FALSE(fs::is_regular_file(fs::path(a.work_dir) / "sta_modules-2.log"));

  StaOptions bad = sta_options("jobs_bad");
  bad.jobs = -1;
  CHECK_THROWS_WITH(sharp::synth::run_sta(area, bad), Contains("field 'jobs'") && Contains("-1"));
}
