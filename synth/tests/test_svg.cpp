// Tests of sharp::synth::breakdown_svg (the area/power chart of `sharpgen synth --svg`).
// Pure JSON in, text out: no Yosys or OpenSTA needed.
#include <catch2/catch.hpp>

#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "sharp/sta.hpp"
#include "sharp/svg.hpp"
#include "sharp/svg_writer.hpp"
#include "sharp/synth.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
using nlohmann::json;
using sharp::synth::breakdown_svg;

namespace {

// Shaped like Report::to_json(): 1000 um2, of which 150 um2 are memories (100 of them in a
// block of their own, 50 in "buffers").
json area_report() {
  return json{
      {"top", "sharp_top"},
      {"liberty_name", "sharp_generic45"},
      {"flattened", false},
      {"block_area_um2",
       {{"array", 600.0}, {"adder trees", 200.0}, {"buffers", 100.0}, {"memories", 100.0}, {"control", 0.0}}},
      {"memories",
       json::array(
           {{{"path", "u_w"}, {"module", "sharp_sram"}, {"bits", 100}, {"area_um2", 100.0}, {"block", "memories"}},
            {{"path", "u_b"}, {"module", "sharp_fifo"}, {"bits", 50}, {"area_um2", 50.0}, {"block", "buffers"}}})},
      {"logic_area_um2", 850.0},
      {"memory_area_um2", 150.0},
      {"total_area_um2", 1000.0}};
}

// Shaped like StaReport::to_json().
json power_report() {
  return json{{"method", "opensta-per-module"},
              {"fmax_mhz", 250.0},
              {"clock_period_ns", 4.0},
              {"total_mw", 8.0},
              {"block_power_mw", {{"array", 5.0}, {"adder trees", 1.0}, {"memories", 2.0}, {"control", 0.0}}},
              {"memories", json::array({{{"path", "u_w"},
                                         {"module", "sharp_sram"},
                                         {"block", "memories"},
                                         {"dynamic_mw", 1.5},
                                         {"leakage_mw", 0.5}}})}};
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// The part of the SVG that draws one chart ("area" or "power").
std::string section(const std::string& svg, const std::string& id) {
  const size_t b = svg.find("<g id=\"" + id + "-chart\">");
  if (b == std::string::npos) return "";
  size_t e = svg.find("<g id=\"", b + 1);
  if (e == std::string::npos) e = svg.find("</svg>", b);
  return svg.substr(b, e - b);
}

// The shares printed after the bars, in drawing order.
std::vector<double> shares(const std::string& chart) {
  static const std::regex re(R"(\(([0-9]+\.[0-9])%\)</text>)");
  std::vector<double> r;
  for (auto it = std::sregex_iterator(chart.begin(), chart.end(), re); it != std::sregex_iterator(); ++it)
    r.push_back(std::stod((*it)[1].str()));
  return r;
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

void check_well_formed(const std::string& svg) {
  CHECK_THAT(svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(svg, EndsWith("</svg>"));
  CHECK(count(svg, "<svg") == 1);
  CHECK(count(svg, "<g") == count(svg, "</g>"));
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(count(svg, "<title>") == count(svg, "</title>"));
  // Every '&' starts an entity or a character reference; no script, no external reference.
  static const std::regex raw_amp(R"(&(?!(amp|lt|gt|quot|apos|#[0-9]+);))");
  CHECK_FALSE(std::regex_search(svg, raw_amp));
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("href") == std::string::npos);
  CHECK(svg.find("@import") == std::string::npos);
}

std::string error_of(const json& report, const json* power = nullptr) {
  try {
    breakdown_svg(report, power);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("The area chart lists every block, largest first, with its area and share", "[svg]") {
  const std::string svg = breakdown_svg(area_report());
  check_well_formed(svg);
  CHECK_THAT(svg, Contains("width=\"800.0\""));
  CHECK_THAT(svg, Contains("Area breakdown of sharp_top (sharp_generic45)"));
  CHECK_THAT(svg, Contains("area: 1,000.0 &#181;m&#178; (0.0010 mm&#178;) = logic 850.0 + memories 150.0"));

  const std::string area = section(svg, "area");
  REQUIRE_FALSE(area.empty());
  const std::vector<std::string> order = {"array", "adder trees", "buffers", "memories", "control"};
  size_t last = 0;
  for (const auto& name : order) {
    const size_t p = area.find("<title>" + name + ":");
    INFO(name);
    REQUIRE(p != std::string::npos);
    CHECK(p > last);  // descending area; the tie buffers/memories (100 each) by name
    last = p;
  }
  CHECK_THAT(area, Contains(">600.0 &#181;m&#178;  (60.0%)</text>"));
  CHECK_THAT(area, Contains(">100.0 &#181;m&#178;  (10.0%)</text>"));
  // A block of zero area is still listed, without a bar.
  CHECK_THAT(area, Contains(">0.0 &#181;m&#178;  (0.0%)</text>"));
  const auto s = shares(area);
  CHECK(s.size() == order.size());
  CHECK(sum(s) == Approx(100.0).margin(0.05 * static_cast<double>(s.size())));

  // Logic and memories in two colours: the memory block is all memory, "buffers" half each.
  CHECK_THAT(area, Contains("<title>memories: 100.0 &#181;m&#178; (10.0%): logic 0.0, memories 100.0</title>"));
  CHECK_THAT(area, Contains("<title>buffers: 100.0 &#181;m&#178; (10.0%): logic 50.0, memories 50.0</title>"));
  CHECK(count(area, "fill=\"#f28e2b\"") == 3);  // legend + memories + buffers
  CHECK(count(area, "fill=\"#4e79a7\"") == 4);  // legend + array, adder trees, buffers
  // Without a power report there is no power chart.
  CHECK(section(svg, "power").empty());
  CHECK(svg.find("mW") == std::string::npos);
}

TEST_CASE("Without a memories array the block named memories is drawn as memory", "[svg]") {
  json r = area_report();
  r.erase("memories");
  const std::string area = section(breakdown_svg(r), "area");
  CHECK_THAT(area, Contains("<title>memories: 100.0 &#181;m&#178; (10.0%): logic 0.0, memories 100.0</title>"));
  CHECK_THAT(area, Contains("<title>buffers: 100.0 &#181;m&#178; (10.0%): logic 100.0, memories 0.0</title>"));
}

TEST_CASE("The power chart appears only with a timing/power report", "[svg]") {
  const json r = area_report(), p = power_report();
  const std::string without = breakdown_svg(r);
  const std::string with = breakdown_svg(r, &p);
  check_well_formed(with);
  CHECK(section(without, "power").empty());
  const std::string power = section(with, "power");
  REQUIRE_FALSE(power.empty());
  CHECK_THAT(with, Contains("Area and power breakdown of sharp_top"));
  CHECK_THAT(with, Contains("power: 8.000 mW = logic 6.000 + memories 2.000 mW; fmax 250.0 MHz (opensta-per-module)"));
  CHECK_THAT(power, Contains("Power per block (mW at a 4.000 ns clock (250.0 MHz), share of the total)"));
  for (const char* name : {"array", "adder trees", "memories", "control"}) {
    INFO(name);
    CHECK_THAT(power, Contains(std::string("<title>") + name + ":"));
  }
  CHECK(power.find("<title>buffers:") == std::string::npos);  // not in block_power_mw
  CHECK_THAT(power, Contains(">5.000 mW  (62.5%)</text>"));
  CHECK_THAT(power, Contains(">0.000 mW  (0.0%)</text>"));
  CHECK(sum(shares(power)) == Approx(100.0).margin(0.2));
  // The area chart is the same with or without power, but for its vertical position.
  static const std::regex ys(R"( y[12]?="[0-9.]+")");
  CHECK(std::regex_replace(section(with, "area"), ys, "") == std::regex_replace(section(without, "area"), ys, ""));
}

TEST_CASE("The same input gives the same bytes", "[svg]") {
  const json r = area_report(), p = power_report();
  CHECK(breakdown_svg(r) == breakdown_svg(r));
  CHECK(breakdown_svg(r, &p) == breakdown_svg(json::parse(r.dump()), &p));
  // Blocks of equal size are ordered by name, whatever order they were inserted in.
  json a = {{"block_area_um2", {{"b", 1.0}, {"a", 1.0}, {"c", 1.0}}}};
  json b = json::object();
  b["block_area_um2"] = json::object();
  for (const char* k : {"c", "a", "b"}) b["block_area_um2"][k] = 1.0;
  const std::string sa = breakdown_svg(a);
  CHECK(sa == breakdown_svg(b));
  CHECK(sa.find("<title>a:") < sa.find("<title>b:"));
  CHECK(sa.find("<title>b:") < sa.find("<title>c:"));
}

TEST_CASE("Names are escaped for XML", "[svg]") {
  json r = area_report();
  r["block_area_um2"]["a<b&c"] = 50.0;
  r["top"] = "top\"'<>";
  r["liberty_name"] = "lib&co";
  json p = power_report();
  p["block_power_mw"]["a<b&c"] = 1.0;
  p["method"] = "x<y";
  const std::string svg = breakdown_svg(r, &p);
  check_well_formed(svg);
  CHECK(svg.find("a<b&c") == std::string::npos);
  CHECK(count(section(svg, "area"), "a&lt;b&amp;c") >= 2);  // label and tooltip
  CHECK(count(section(svg, "power"), "a&lt;b&amp;c") >= 2);
  CHECK_THAT(svg, Contains("top&quot;&apos;&lt;&gt; (lib&amp;co)"));
  CHECK_THAT(svg, Contains("x&lt;y"));
}

TEST_CASE("Long names are cut in the label and kept whole in the tooltip", "[svg]") {
  const std::string name(120, 'n');
  json r = area_report();
  r["block_area_um2"][name] = 1.0;
  const std::string svg = breakdown_svg(r);
  check_well_formed(svg);
  CHECK_THAT(svg, Contains("width=\"800.0\""));
  CHECK_THAT(svg, Contains("<title>" + name + ": 1.0 &#181;m&#178;"));
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex(">(n+)\\.\\.\\.</text>")));
  CHECK(m[1].length() >= 20);
  CHECK(m[1].length() <= 30);
}

TEST_CASE("The charts read what Report::to_json() and StaReport::to_json() write", "[svg]") {
  sharp::synth::Report rep;
  rep.top = "sharp_top";
  rep.liberty_name = "sharp_generic45";
  rep.block_area_um2 = {{"array", 3000.0}, {"control", 1000.0}, {"memories", 4000.0}};
  rep.memories.push_back({"u_w", "sharp_sram", 1000, 4000.0, "memories"});
  rep.logic_area_um2 = 4000.0;
  rep.memory_area_um2 = 4000.0;
  rep.total_area_um2 = 8000.0;
  sharp::synth::StaReport sta;
  sta.method = "opensta-flat";
  sta.fmax_mhz = 500.0;
  sta.clock_period_ns = 2.0;
  sta.total_mw = 4.0;
  sta.block_power_mw = {{"array", 3.0}, {"memories", 1.0}};
  const json sj = sta.to_json();
  const std::string svg = breakdown_svg(rep.to_json(), &sj);
  check_well_formed(svg);
  CHECK_THAT(svg, Contains(">4,000.0 &#181;m&#178;  (50.0%)</text>"));
  CHECK_THAT(svg, Contains("<title>memories: 4,000.0 &#181;m&#178; (50.0%): logic 0.0, memories 4,000.0</title>"));
  CHECK_THAT(section(svg, "power"), Contains(">3.000 mW  (75.0%)</text>"));
  CHECK(svg.find("note:") == std::string::npos);  // totals agree with the blocks
}

TEST_CASE("Totals that disagree with the blocks are noted", "[svg]") {
  json r = area_report();
  r["total_area_um2"] = 2000.0;
  CHECK_THAT(breakdown_svg(r), Contains("note: the blocks sum to 1,000.0 um2, but total_area_um2 is 2,000.0 um2"));
}

TEST_CASE("A malformed report is an error naming the field and the value", "[svg]") {
  json r = area_report();
  r.erase("block_area_um2");
  CHECK_THAT(error_of(r), StartsWith("svg: field 'block_area_um2': value (missing) is not allowed"));

  r = area_report();
  r["block_area_um2"] = json::array({1, 2});
  CHECK_THAT(error_of(r), Contains("field 'block_area_um2': value [1,2] is not allowed"));

  r = area_report();
  r["block_area_um2"]["array"] = "big";
  CHECK_THAT(error_of(r), Contains("field 'block_area_um2[\"array\"]': value \"big\" is not allowed (a number >= 0"));

  r = area_report();
  r["block_area_um2"]["control"] = -5.5;
  CHECK_THAT(error_of(r), Contains("field 'block_area_um2[\"control\"]': value -5.5 is not allowed"));

  r = area_report();
  r["total_area_um2"] = true;
  CHECK_THAT(error_of(r), Contains("field 'total_area_um2': value true is not allowed"));

  r = area_report();
  r["top"] = 7;
  CHECK_THAT(error_of(r), Contains("field 'top': value 7 is not allowed (a string)"));

  r = area_report();
  r["memories"][1]["area_um2"] = nullptr;
  CHECK_THAT(error_of(r), Contains("field 'memories[1].area_um2': value null is not allowed"));

  CHECK_THAT(error_of(json::array()), Contains("value [] is not allowed"));

  r = area_report();
  json p = power_report();
  p.erase("block_power_mw");
  CHECK_THAT(error_of(r, &p), Contains("field 'block_power_mw': value (missing) is not allowed"));
  p = power_report();
  p["block_power_mw"]["array"] = -1;
  CHECK_THAT(error_of(r, &p),
             Contains("field 'block_power_mw[\"array\"]': value -1 is not allowed (a number >= 0, in mW)"));
  p = power_report();
  p["fmax_mhz"] = "fast";
  CHECK_THAT(error_of(r, &p), Contains("field 'fmax_mhz': value \"fast\" is not allowed"));

  // A well-formed report is not an error.
  CHECK(error_of(area_report()) == "(no error)");
}

TEST_CASE("The SVG writer formats numbers, escapes text and wraps a document", "[svg]") {
  namespace svg = sharp::svg;
  CHECK(svg::num(-0.04) == "0.0");
  CHECK(svg::num(12.25) == "12.2");  // round half to even in the binary value: 12.25 is exact
  CHECK(svg::num(1234567.0) == "1234567.0");
  CHECK(svg::escape("a<b & \"c\" 'd'\x01\xff") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;??");
  CHECK(svg::escape("\xc2\xb5m") == "\xc2\xb5m");  // valid UTF-8 kept
  CHECK(svg::rect({{"x", "1.0"}, {"width", "10"}}) == "<rect x=\"1.0\" width=\"10\"/>");
  CHECK(svg::text({{"x", "0.0"}}, "") == "<text x=\"0.0\"></text>");
  CHECK(svg::polyline({{0, 1}, {2.5, -3}}, {{"stroke", "#000"}}) ==
        "<polyline points=\"0.0,1.0 2.5,-3.0\" stroke=\"#000\"/>");
  svg::Document doc;
  doc.line(svg::group_open({{"id", "g"}}) + svg::title("a&b"));
  doc.line("</g>");
  CHECK(doc.str(100, 50.05, {{"font-size", "12"}}) ==
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100.0\" height=\"50.0\" viewBox=\"0 0 100.0 50.0\" "
        "font-size=\"12\">\n<g id=\"g\"><title>a&amp;b</title>\n</g>\n</svg>");
}
