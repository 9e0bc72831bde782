// Tests of sharp::synth against the fixture designs in synth/tests/fixture*/.
// Every test that needs Yosys skips (with a warning) when `yosys` is not on PATH.
#include <catch2/catch.hpp>

#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "sharp/manifest.hpp"
#include "sharp/sram_model.hpp"
#include "sharp/synth.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using sharp::synth::ModuleArea;
using sharp::synth::Options;
using sharp::synth::Report;

namespace {

fs::path fixture(const std::string& name) { return fs::path(SHARP_SYNTH_FIXTURE_DIR) / name; }

fs::path work_dir(const std::string& name) {
  fs::path p = fs::path(SHARP_SYNTH_TEST_WORK) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

Options options(const fs::path& design, const std::string& work) {
  Options o;
  o.design_dir = design;
  o.work_dir = work_dir(work);
  return o;
}

const ModuleArea* find_module(const Report& r, const std::string& base, const std::string& params) {
  for (const auto& m : r.modules)
    if (m.module == base && m.params == params) return &m;
  return nullptr;
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A one-module design written into the test's work directory.
fs::path tiny_design(const std::string& name, const std::string& verilog, const std::string& top) {
  fs::path d = work_dir(name) / "design";
  write_file(d / "rtl" / (top + ".v"), verilog);
  write_file(d / "filelist.f", "rtl/" + top + ".v\n");
  write_file(d / "manifest.json", "{\"schema\": " + std::to_string(sharp::kManifestSchema) + ", \"top\": \"" + top +
                                      "\", \"filelist\": \"filelist.f\"}\n");
  return d;
}

}  // namespace

TEST_CASE("The hierarchical roll-up multiplies each module's area by its instance count", "[synth][yosys]") {
  Report r = sharp::synth::run(options(fixture("fixture"), "rollup"));

  const ModuleArea* mult8 = find_module(r, "sharp_mult", "W=8");
  const ModuleArea* mult4 = find_module(r, "sharp_mult", "W=4");
  const ModuleArea* pair = find_module(r, "sharp_pair", "W=8");
  const ModuleArea* reg16 = find_module(r, "sharp_reg", "W=16");
  const ModuleArea* reg8 = find_module(r, "sharp_reg", "W=8");
  const ModuleArea* top = find_module(r, "sharp_top", "");
  REQUIRE(mult8);
  REQUIRE(mult4);
  REQUIRE(pair);
  REQUIRE(reg16);
  REQUIRE(reg8);
  REQUIRE(top);
  CHECK(r.modules.size() == 6);

  CHECK(mult8->instances == 4);  // 2 pairs x 2 multipliers
  CHECK(mult4->instances == 1);
  CHECK(pair->instances == 2);
  CHECK(reg16->instances == 1);
  CHECK(top->instances == 1);
  CHECK(mult8->block == "array");
  CHECK(reg8->block == "accumulators");
  CHECK(top->block == "host interface");
  CHECK(mult8->area_each_um2 > mult4->area_each_um2);
  CHECK(mult8->nand2_eq_each == Approx(mult8->area_each_um2 / 0.798));

  double sum = 0;
  long cells = 0;
  for (const auto& m : r.modules) {
    CHECK(m.area_total_um2 == Approx(m.area_each_um2 * static_cast<double>(m.instances)));
    sum += m.area_total_um2;
    cells += m.cells_each * m.instances;
  }
  CHECK(r.logic_area_um2 == Approx(sum));
  CHECK(r.logic_cells == cells);
  // Each module is synthesized in a Yosys process of its own: there is no Yosys-wide total.
  CHECK(r.yosys_top_area_um2 < 0);
  CHECK(r.block_area_um2.at("array") == Approx(mult8->area_total_um2 + mult4->area_total_um2 + pair->area_total_um2));
  CHECK(r.check_problems == 0);
  CHECK(fs::is_regular_file(r.log_path));
  CHECK(fs::is_regular_file(r.netlist_path));
}

// 2 % until the flow mapped for delay (no `dc2`): 3.0 % since (hierarchical 1872.1, flat 1817.3 um2).
TEST_CASE("The hierarchical total agrees with a flat synthesis of the same design within 4%", "[synth][yosys]") {
  Report hier = sharp::synth::run(options(fixture("fixture"), "hier"));
  Options o = options(fixture("fixture"), "flat");
  o.flatten = true;
  Report flat = sharp::synth::run(o);

  REQUIRE(flat.modules.size() == 1);
  CHECK(flat.modules[0].module == "sharp_top");
  CHECK(flat.flattened);
  INFO("hierarchical " << hier.logic_area_um2 << " um2, flat " << flat.logic_area_um2 << " um2");
  CHECK(std::fabs(hier.logic_area_um2 - flat.logic_area_um2) / flat.logic_area_um2 < 0.04);
  CHECK(flat.flip_flops == hier.flip_flops);
  CHECK(flat.memory_area_um2 == Approx(hier.memory_area_um2));
}

TEST_CASE("Memory modules are black-boxed and estimated per macro by the SRAM model", "[synth][yosys]") {
  Report r = sharp::synth::run(options(fixture("fixture"), "memories"));

  // Not synthesized: no module row, and no flip-flops beyond the two registers (16 + 8 bits),
  // although the two SRAMs hold 1024 + 256 bits.
  for (const auto& m : r.modules) CHECK(m.module != "sharp_sram");
  CHECK(r.flip_flops == 24);

  REQUIRE(r.memories.size() == 2);
  CHECK(r.memories[0].path == "u_wmem");
  CHECK(r.memories[0].bits == 1024);
  CHECK(r.memories[1].bits == 256);
  CHECK(r.memories[0].block == "buffers");
  // One macro each, 64 x 16 and 32 x 8 bits; NAND2 = the table's reference 0.798 um2.
  CHECK(r.memories[0].depth == 64);
  CHECK(r.memories[0].width_bits == 16);
  CHECK(r.memories[1].width_bits == 8);
  const auto& model = sharp::synth::default_sram_model();
  CHECK(r.memories[0].area_um2 == Approx(sharp::synth::macro_figures(model, 64, 16).area_um2));
  CHECK(r.memories[1].area_um2 == Approx(sharp::synth::macro_figures(model, 32, 8).area_um2));
  CHECK(r.to_json().at("sram_model").at("version") == 1);
  CHECK(r.memory_area_um2 == Approx(r.memories[0].area_um2 + r.memories[1].area_um2));
  CHECK(r.block_area_um2.at("buffers") == Approx(r.memory_area_um2));
  CHECK(r.total_area_um2 == Approx(r.logic_area_um2 + r.memory_area_um2));
  // The manifest's memories match the black-box instances found in the netlist.
  for (const auto& n : r.notes) CHECK_THAT(n, !Contains("instances in the netlist"));
}

TEST_CASE("The SRAM model's area is the fit at the macro's shape", "[synth]") {
  const auto& model = sharp::synth::default_sram_model();
  const auto& f = model.fit(sharp::synth::SramQuantity::AreaMm2);
  CHECK(sharp::synth::macro_figures(model, 512, 64).area_um2 ==
        Approx(1e6 * std::exp(f.a + f.b_depth * std::log(512.0) + f.c_width * std::log(64.0))));
  CHECK(model.table.ref_nand2_um2 == 0.798);  // NanGate45 NAND2_X1: synth scales by the library's NAND2
}

TEST_CASE("The check step reports an inferred latch and an undriven net", "[synth][yosys]") {
  Report r = sharp::synth::run(options(fixture("fixture_bad"), "bad"));
  CHECK(r.check_problems >= 2);
  bool latch = false, undriven = false;
  for (const auto& m : r.check_messages) {
    if (m.find("Latch inferred") != std::string::npos && m.find("bad_latch.q") != std::string::npos) latch = true;
    if (m.find("no driver") != std::string::npos) undriven = true;
  }
  INFO(r.table());
  CHECK(latch);
  CHECK(undriven);
}

TEST_CASE("A latch in an always_comb block stops yosys with a clear error", "[synth][yosys]") {
  fs::path d = tiny_design("always_comb_latch",
                           "module comb_latch(input logic en, input logic d, output logic q);\n"
                           "  always_comb begin if (en) q = d; end\n"
                           "endmodule\n",
                           "comb_latch");
  Options o = options(d, "always_comb_latch/work");
  REQUIRE_THROWS_AS(sharp::synth::run(o), sharp::synth::SynthError);
  REQUIRE_THROWS_WITH(sharp::synth::run(o), Contains("Latch inferred") && Contains("yosys.log"));
}

TEST_CASE("A missing yosys executable gives a clear error", "[synth]") {
  Options o;
  o.design_dir = fixture("fixture");
  o.work_dir = work_dir("missing_yosys");
  o.yosys = "sharp-no-such-yosys";
  CHECK_FALSE(sharp::synth::yosys_available(o.yosys, nullptr));
  REQUIRE_THROWS_AS(sharp::synth::run(o), sharp::synth::SynthError);
  REQUIRE_THROWS_WITH(sharp::synth::run(o), Contains("synth: sharp-no-such-yosys not found on PATH") &&
                                                Contains("install the Debian package 'yosys'") &&
                                                Contains("--yosys PATH"));
  o.yosys = "/nonexistent/bin/yosys";
  REQUIRE_THROWS_WITH(sharp::synth::run(o), Contains("'/nonexistent/bin/yosys' not found"));
}

TEST_CASE("A Verilog error makes run() throw with the yosys log path and the error line", "[synth][yosys]") {
  fs::path d = tiny_design("syntax_error", "module broken(input a, output b);\n  assign b = ;\nendmodule\n", "broken");
  Options o = options(d, "syntax_error/work");
  try {
    sharp::synth::run(o);
    FAIL("run() did not throw");
  } catch (const sharp::synth::SynthError& e) {
    std::string msg = e.what();
    CHECK_THAT(msg, Contains("synth: yosys failed"));
    CHECK_THAT(msg, Contains("ERROR"));
    CHECK_THAT(msg, Contains((o.work_dir / "yosys.log").string()));
    CHECK(msg.find('\n') == std::string::npos);
  }
}

TEST_CASE("A design directory without manifest.json gives a clear error", "[synth][yosys]") {
  Options o = options(work_dir("no_manifest"), "no_manifest/work");
  REQUIRE_THROWS_WITH(sharp::synth::run(o), Contains("manifest.json") && Contains("not found"));
}

TEST_CASE("The report names the library and serialises to JSON and tables", "[synth][yosys]") {
  std::string version;
  REQUIRE(sharp::synth::yosys_available("yosys", &version));
  CHECK_THAT(version, Contains("Yosys"));

  Report r = sharp::synth::run(options(fixture("fixture"), "report"));
  CHECK(r.liberty_name == "sharp_generic45");
  CHECK(r.nand2_cell == "NAND2");
  CHECK(r.nand2_area_um2 == Approx(0.798));
  CHECK(r.abc_delay_ns > 0.0);
  CHECK(r.abc_delay_ns < 10.0);
  CHECK(r.yosys_seconds > 0.0);

  nlohmann::json j = r.to_json();
  CHECK(j.at("liberty_name") == "sharp_generic45");
  CHECK(j.at("modules").size() == r.modules.size());
  CHECK(j.at("memories").size() == 2);
  CHECK(j.at("total_area_um2").get<double>() == Approx(r.total_area_um2));
  CHECK(j.at("block_area_um2").contains("array"));
  CHECK(j.at("check_problems") == 0);

  std::string t = r.table();
  CHECK_THAT(t, Contains("array"));
  CHECK_THAT(t, Contains("buffers"));
  CHECK_THAT(t, Contains("total"));
  CHECK_THAT(r.module_table(), Contains("sharp_mult(W=8)"));
}

TEST_CASE("Areas and the SRAM model follow the chosen liberty", "[synth][yosys]") {
  // The shipped library with every area doubled and a different name.
  std::ifstream in(sharp::synth::default_liberty());
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string lib = ss.str();
  lib = std::regex_replace(lib, std::regex("library \\(sharp_generic45\\)"), "library (doubled)");
  std::string out;
  std::regex area_re("(\\n\\s*area : )([0-9.]+);");
  auto begin = std::sregex_iterator(lib.begin(), lib.end(), area_re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += lib.substr(last, static_cast<size_t>(it->position()) - last);
    out += (*it)[1].str() + std::to_string(2 * std::stod((*it)[2].str())) + ";";
    last = static_cast<size_t>(it->position() + it->length());
  }
  out += lib.substr(last);
  fs::path libpath = work_dir("doubled_lib") / "doubled.lib";
  write_file(libpath, out);

  Report base = sharp::synth::run(options(fixture("fixture"), "doubled_base"));
  Options o = options(fixture("fixture"), "doubled_run");
  o.liberty = libpath;
  Report dbl = sharp::synth::run(o);
  CHECK(dbl.liberty_name == "doubled");
  CHECK(dbl.nand2_area_um2 == Approx(2 * 0.798));
  CHECK(dbl.logic_area_um2 == Approx(2 * base.logic_area_um2).epsilon(0.02));
  CHECK(dbl.memory_area_um2 == Approx(2 * base.memory_area_um2));
}

TEST_CASE("Modules whose Yosys names are hashed are reported with their parameter values", "[synth][yosys]") {
  // Long parameter lists make Yosys name the derived module $paramod$<sha1>\name.
  fs::path d = tiny_design("hashed_names",
                           "module leaf #(parameter int AVeryLongParameterNameNumberOne = 1,\n"
                           "              parameter int AVeryLongParameterNameNumberTwo = 2,\n"
                           "              parameter int AVeryLongParameterNameNumberThree = 3)\n"
                           "  (input logic [7:0] a, output logic [7:0] y);\n"
                           "  assign y = a + 8'(AVeryLongParameterNameNumberOne + AVeryLongParameterNameNumberTwo +\n"
                           "                    AVeryLongParameterNameNumberThree);\n"
                           "endmodule\n"
                           "module hashed_top(input logic [7:0] a, output logic [7:0] y0, output logic [7:0] y1);\n"
                           "  leaf #(.AVeryLongParameterNameNumberOne(5), .AVeryLongParameterNameNumberTwo(6),\n"
                           "         .AVeryLongParameterNameNumberThree(7)) u0 (.a(a), .y(y0));\n"
                           "  leaf #(.AVeryLongParameterNameNumberOne(9), .AVeryLongParameterNameNumberTwo(6),\n"
                           "         .AVeryLongParameterNameNumberThree(7)) u1 (.a(a), .y(y1));\n"
                           "endmodule\n",
                           "hashed_top");
  Report r = sharp::synth::run(options(d, "hashed_names/work"));
  int leaves = 0;
  for (const auto& m : r.modules) {
    if (m.module != "leaf") continue;
    ++leaves;
    CHECK_THAT(m.yosys_name, Contains("$paramod$"));
    CHECK_THAT(m.params, Contains("AVeryLongParameterNameNumberTwo=6"));
    CHECK(m.instances == 1);
    CHECK(m.block == "other");
  }
  CHECK(leaves == 2);
}

TEST_CASE("A second run with unchanged inputs reuses Yosys' results; a changed input reruns it", "[synth][yosys]") {
  // A private copy of the fixture, so that one of its files can be changed.
  fs::path d = work_dir("reuse_design");
  fs::copy(fixture("fixture"), d, fs::copy_options::recursive);
  Options o;
  o.design_dir = d;
  o.work_dir = work_dir("reuse_work");
  Report first = sharp::synth::run(o);
  CHECK_FALSE(first.reused);
  Report second = sharp::synth::run(o);
  CHECK(second.reused);
  CHECK(second.yosys_seconds == 0.0);
  CHECK(second.logic_area_um2 == Approx(first.logic_area_um2));
  CHECK(second.total_area_um2 == Approx(first.total_area_um2));
  // Any change of an input file's bytes makes the script differ.
  {
    std::ofstream app(d / "rtl" / "sharp_mult.v", std::ios::app);
    app << "// changed\n";
  }
  Report third = sharp::synth::run(o);
  CHECK_FALSE(third.reused);
  CHECK(third.yosys_seconds > 0.0);
  o.force = true;
  CHECK_FALSE(sharp::synth::run(o).reused);
}

TEST_CASE("One Yosys process at a time or several give the same report and netlist", "[synth][yosys]") {
  Options one = options(fixture("fixture"), "jobs_one");
  one.jobs = 1;
  Options two = options(fixture("fixture"), "jobs_two");
  two.jobs = 2;
  Report a = sharp::synth::run(one);
  Report b = sharp::synth::run(two);
  auto strip = [](nlohmann::json j) {
    j.erase("yosys");  // log path, seconds
    return j.dump();
  };
  CHECK(strip(a.to_json()) == strip(b.to_json()));
  auto text = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  REQUIRE_FALSE(a.netlist_path.empty());
  CHECK(text(a.netlist_path) == text(b.netlist_path));
  CHECK(a.modules.size() > 2);
}

TEST_CASE("Without Options::netlist no netlist is written and the area is the same", "[synth][yosys]") {
  Options with = options(fixture("fixture"), "with_netlist");
  Options without = options(fixture("fixture"), "without_netlist");
  without.netlist = false;
  Report a = sharp::synth::run(with);
  Report b = sharp::synth::run(without);
  CHECK(b.netlist_path.empty());
  CHECK_FALSE(fs::exists(without.work_dir / "netlist.v"));
  CHECK(b.logic_area_um2 == Approx(a.logic_area_um2).epsilon(1e-9));
  // Asking again later joins the netlist without rerunning the synthesis.
  without.netlist = true;
  Report c = sharp::synth::run(without);
  CHECK(c.reused);
  REQUIRE_FALSE(c.netlist_path.empty());
  CHECK(fs::is_regular_file(c.netlist_path));
}

TEST_CASE("Two runs in the same work directory at once take turns and agree", "[synth][yosys]") {
  Options o = options(fixture("fixture"), "concurrent");
  Report a, b;
  std::exception_ptr err;
  std::thread t([&] {
    try {
      a = sharp::synth::run(o);
    } catch (...) {
      err = std::current_exception();
    }
  });
  b = sharp::synth::run(o);
  t.join();
  if (err) std::rethrow_exception(err);
  CHECK(a.logic_area_um2 > 0);
  CHECK(a.logic_area_um2 == Approx(b.logic_area_um2).epsilon(1e-12));
  CHECK(a.reused != b.reused);  // the second waited, then reused the first one's results
}
