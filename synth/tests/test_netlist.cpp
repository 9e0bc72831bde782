// Unit tests of run_sta's pieces that need no tool: the fanout-buffer pass on a hand-built
// netlist model, the Yosys JSON reader, the Liberty model's reference cells and the placeholders
// of the OpenSTA script.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "fanout.hpp"
#include "liberty.hpp"
#include "netlist.hpp"
#include "netlist_writer.hpp"
#include "sharp/synth.hpp"
#include "sta_runner.hpp"

using Catch::Matchers::Contains;
using namespace sharp::synth::detail;  // NOLINT(google-build-using-namespace)

namespace {

// clk and d in; a DFF drives q, which feeds `loads` inverters; every inverter's output is an
// output port bit; the clock also reaches 20 more DFFs (through their CLK pins; D tied to 0).
VModule fan_module(int loads) {
  VModule m;
  m.name = "fan";
  const int clk = m.net("clk"), d = m.net("d"), q = m.net("q");
  m.ports.push_back(VPort{"clk", kDirIn, false, 0, 0, {clk}});
  m.ports.push_back(VPort{"d", kDirIn, false, 0, 0, {d}});
  VPort y{"y", kDirOut, true, loads - 1, 0, {}};
  m.insts.push_back(VInst{"DFF", "src", {{"CLK", {clk}}, {"D", {d}}, {"Q", {q}}}});
  for (int i = 0; i < loads; ++i) {
    const int n = m.net("y[" + std::to_string(i) + "]");
    y.bits.insert(y.bits.begin(), n);
    m.insts.push_back(VInst{"INV", "i" + std::to_string(i), {{"A", {q}}, {"Y", {n}}}});
  }
  for (int i = 0; i < 20; ++i)
    m.insts.push_back(VInst{
        "DFF", "r" + std::to_string(i), {{"CLK", {clk}}, {"D", {kConst0}}, {"Q", {m.net("r" + std::to_string(i))}}}});
  m.ports.push_back(y);
  return m;
}

int pin_dir(const std::string& type, const std::string& pin, bool* clock) {
  *clock = type == "DFF" && pin == "CLK";
  if (pin == "Y" || pin == "Q") return kDirOut;
  return kDirIn;
}

// Loads (input pins) on each net.
std::map<int, int> loads_per_net(const VModule& m) {
  std::map<int, int> n;
  for (const auto& i : m.insts)
    for (const auto& c : i.conns)
      if (c.pin != "Y" && c.pin != "Q")
        for (int b : c.bits)
          if (b >= 0) ++n[b];
  return n;
}

}  // namespace

TEST_CASE("The fanout pass puts a buffer tree of at most max_fanout loads per net on a high-fanout net",
          "[timing][fanout]") {
  const RefCell buf{"BUF", "A", "Y", 0.798, "table"};
  VModule m = fan_module(200);
  const int q = m.net_ids.at("q"), clk = m.net_ids.at("clk");
  const long added = buffer_fanout(m, buf, 8, pin_dir);
  // 200 loads: 25 buffers of 8, then 4 above them (25 loads), then one net of 4 buffers.
  CHECK(added == 25 + 4);
  long bufs = 0;
  for (const auto& i : m.insts)
    if (i.type == "BUF") {
      ++bufs;
      CHECK(i.name.rfind("sgfo_buf_", 0) == 0);
      REQUIRE(i.conns.size() == 2);
      CHECK(i.conns[0].pin == "A");
      CHECK(i.conns[1].pin == "Y");
    }
  CHECK(bufs == added);
  const auto loads = loads_per_net(m);
  for (const auto& [net, n] : loads)
    if (net != clk && net != m.net_ids.at("d")) CHECK(n <= 8);
  CHECK(loads.at(q) == 4);     // the root drives the top of the tree
  CHECK(loads.at(clk) == 21);  // the clock is left alone
  // Every inverter still hangs off the tree; the output port keeps its nets.
  long invs = 0;
  for (const auto& i : m.insts)
    if (i.type == "INV") {
      ++invs;
      CHECK(i.conns[0].bits[0] != q);
    }
  CHECK(invs == 200);
  CHECK(m.port("y")->bits.size() == 200);

  VModule few = fan_module(8);
  CHECK(buffer_fanout(few, buf, 8, pin_dir) == 0);  // 8 loads: nothing to do
  VModule off = fan_module(200);
  CHECK(buffer_fanout(off, buf, 0, pin_dir) == 0);  // max_fanout 0: off
  CHECK(off.insts.size() == 221);
}

TEST_CASE("The JSON reader takes ports, cells and names as write_verilog would write them", "[timing][netlist]") {
  const std::string text = R"({"creator": "test", "modules": {
    "box": {"attributes": {"blackbox": "00000000000000000000000000000001"}, "ports": {"a": {"direction": "input", "bits": [2]}},
            "cells": {}, "netnames": {}},
    "top": {"attributes": {}, "ports": {
        "clk": {"direction": "input", "bits": [2]},
        "a": {"direction": "input", "bits": [3, 4], "offset": 4},
        "y": {"direction": "output", "bits": [5, "0"]}},
      "cells": {
        "$abc$9$auto$1": {"hide_name": 1, "type": "NAND2", "parameters": {}, "attributes": {},
                          "connections": {"A": [3], "B": [4], "Y": [6]}},
        "u_box": {"hide_name": 0, "type": "box", "parameters": {}, "attributes": {}, "connections": {"a": [6]}},
        "$abc$9$auto$2": {"hide_name": 1, "type": "INV", "parameters": {}, "attributes": {},
                          "connections": {"A": [6], "Y": [5]}}},
      "netnames": {
        "$abc$9$new_n1": {"hide_name": 1, "bits": [6], "attributes": {}},
        "a": {"hide_name": 0, "bits": [3, 4], "offset": 4, "attributes": {}},
        "clk": {"hide_name": 0, "bits": [2], "attributes": {}},
        "mid": {"hide_name": 0, "bits": [6], "attributes": {}},
        "y": {"hide_name": 0, "bits": [5, "0"], "attributes": {}}}}}})";
  const auto mods = read_json_netlist_text(text, "test.json");
  REQUIRE(mods.size() == 1);  // the black box is not a module of the netlist
  const VModule& m = mods[0];
  CHECK(m.name == "top");
  REQUIRE(m.ports.size() == 3);
  CHECK(m.ports[1].name == "a");
  CHECK(m.ports[1].ranged);
  CHECK(m.ports[1].msb == 5);
  CHECK(m.ports[1].lsb == 4);
  CHECK(m.ports[1].bits == std::vector<int>{m.net_ids.at("a[5]"), m.net_ids.at("a[4]")});
  CHECK(m.ports[2].bits[0] == kConst0);  // MSB first: y[1], the constant, comes first
  REQUIRE(m.insts.size() == 3);
  // write_verilog's numbering: the $-wire first (_0_), then the $-cells (_1_, _2_).
  CHECK(m.insts[0].name == "_1_");
  CHECK(m.insts[0].type == "NAND2");
  CHECK(m.insts[1].name == "u_box");
  CHECK(m.insts[2].name == "_2_");
  // One net, two names; written with its public one.
  CHECK(m.net_ids.at("_0_") == m.net_ids.at("mid"));
  CHECK(m.net_names[static_cast<size_t>(m.net_ids.at("mid"))] == "mid");
  CHECK(m.insts[2].conns[0].bits[0] == m.net_ids.at("mid"));

  REQUIRE_THROWS_WITH(read_json_netlist_text("{\"modules\": ", "bad.json"),
                      Contains("cannot read netlist bad.json") && Contains("not valid JSON"));
  REQUIRE_THROWS_WITH(read_json_netlist_text("{\"cells\": {}}", "odd.json"), Contains("no \"modules\""));
}

TEST_CASE("Two output ports on one net are both written, the second assigned from the first", "[timing][netlist]") {
  // Yosys merges two registers of equal value into one: two output ports on one net (here a
  // single-bit pair and a bit of a bus shared with a single-bit port).
  const std::string text = R"({"creator": "test", "modules": {
    "top": {"attributes": {}, "ports": {
        "a": {"direction": "input", "bits": [2]},
        "p": {"direction": "output", "bits": [3]},
        "q": {"direction": "output", "bits": [3]},
        "v": {"direction": "output", "bits": [4, 3]}},
      "cells": {
        "$abc$9$auto$1": {"hide_name": 1, "type": "INV", "parameters": {}, "attributes": {},
                          "connections": {"A": [2], "Y": [3]}},
        "$abc$9$auto$2": {"hide_name": 1, "type": "INV", "parameters": {}, "attributes": {},
                          "connections": {"A": [3], "Y": [4]}}},
      "netnames": {
        "a": {"hide_name": 0, "bits": [2], "attributes": {}},
        "p": {"hide_name": 0, "bits": [3], "attributes": {}},
        "q": {"hide_name": 0, "bits": [3], "attributes": {}},
        "v": {"hide_name": 0, "bits": [4, 3], "attributes": {}}}}}})";
  const auto mods = read_json_netlist_text(text, "test.json");
  REQUIRE(mods.size() == 1);
  const std::string v = write_module(mods[0], "top", [](const std::string& t) { return t; }, {}, {});
  // Every port declared once, and no net assigned from itself (a loop OpenSTA cannot time).
  for (const char* port : {"output p;", "output q;", "output [1:0] v;"}) {
    const size_t at = v.find(port);
    CHECK(at != std::string::npos);
    CHECK(v.find(port, at + 1) == std::string::npos);
  }
  CHECK(v.find("assign q = p;") != std::string::npos);
  CHECK(v.find("assign v[1] = p;") != std::string::npos);  // (JSON bits are LSB first)
  CHECK(v.find("assign p = p;") == std::string::npos);
  CHECK(v.find("assign q = q;") == std::string::npos);
}

TEST_CASE("The reference cells of the shipped library come from the table and agree with the search",
          "[timing][liberty]") {
  const auto lib = load_liberty(sharp::synth::default_liberty(), "synth");
  CHECK(lib->name == "sharp_generic45");
  CHECK(lib->nand2.name == "NAND2");
  CHECK(lib->buf.name == "BUF");
  CHECK(lib->buf.in == "A");
  CHECK(lib->buf.out == "Y");
  CHECK(lib->dff.name == "DFF");
  CHECK(lib->nand2.found_by == "table");
  CHECK(search_nand2(*lib).name == lib->nand2.name);
  CHECK(search_buffer(*lib).name == lib->buf.name);
  CHECK(search_dff(*lib).name == lib->dff.name);
  CHECK(search_nand2(*lib).found_by == "function");
  CHECK_THAT(lib->reference_note(), Contains("NAND2 = NAND2 (from synth/lib/reference_cells.json)"));
  CHECK(load_liberty(sharp::synth::default_liberty(), "sta") == lib);  // read once
  const LibCell* dff = lib->cell("DFF");
  REQUIRE(dff);
  CHECK(dff->sequential);
  CHECK(dff->pins.at("CLK").clock);
  CHECK(dff->pins.at("D").cap_ff > 0);
}

#ifdef SHARP_OSU018_LIB
TEST_CASE("The OSU 0.18 um library's table entry agrees with the search", "[timing][liberty][osu018]") {
  const auto lib = load_liberty(SHARP_OSU018_LIB, "synth");
  CHECK(lib->name == "osu018_stdcells");
  CHECK(lib->nand2.found_by == "table");
  CHECK(search_nand2(*lib).name == lib->nand2.name);
  CHECK(search_buffer(*lib).name == lib->buf.name);
  CHECK(search_dff(*lib).name == lib->dff.name);
}
#endif

TEST_CASE("The OpenSTA script's placeholders must all be known and all be used", "[timing][sta_script]") {
  CHECK(fill_placeholders("a @X@ b @Y@ c@", {{"X", "1"}, {"Y", "2"}}, "t") == "a 1 b 2 c@");
  REQUIRE_THROWS_WITH(fill_placeholders("@X@ @Z@", {{"X", "1"}}, "t.tcl"),
                      Contains("t.tcl") && Contains("'@Z@' has no value"));
  REQUIRE_THROWS_WITH(fill_placeholders("@X@", {{"X", "1"}, {"Y", "2"}}, "t.tcl"), Contains("'@Y@' is not in"));
  const std::string s =
      sta_script({"/lib/a.lib"}, {StaJob{"module", 3, "/w/m3.v", "top", "clk", 2.5, 0.1, {}, false},
                                  StaJob{"module", 4, "/w/m4.v", "top", "clk", 2.5, 0.1, "/w/d.tcl", true}});
  CHECK_THAT(s, Contains("foreach lib {{/lib/a.lib}}") && Contains("{module 3 {/w/m3.v} top {clk} 2.5 0.1 {} 0}") &&
                    Contains("{module 4 {/w/m4.v} top {clk} 2.5 0.1 {/w/d.tcl} 1}"));
  CHECK(s.find("@LIBERTIES@") == std::string::npos);
  CHECK(s.find("@JOBS@") == std::string::npos);
}
