// The mapped netlist as run_sta sees it: modules of library cells, sub-module instances and black
// boxes, every connection bit by bit. Read from the JSON Yosys writes (`write_json`, one file per
// synthesized module, or one for a flat run) with nlohmann's SAX interface: no document tree is
// built, so the memory is that of the model. Yosys' internal names ($abc$...) are renamed the way
// `write_verilog` renames them (_0123_), so that instance and net names match netlist.v.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "liberty.hpp"

namespace sharp::synth::detail {

constexpr int kConst0 = -1, kConst1 = -2, kConstX = -3;  // constant bits (net ids are >= 0)

struct VConn {
  std::string pin;
  std::vector<int> bits;  // MSB first; net id or kConst*
};

struct VInst {
  std::string type, name;
  std::vector<VConn> conns;
};

struct VPort {
  std::string name;
  int dir = kDirNone;
  bool ranged = false;  // a bus: written as name[msb:lsb]
  int msb = 0, lsb = 0;
  std::vector<int> bits;  // MSB first
};

struct VModule {
  std::string name;
  std::vector<VPort> ports;                      // in port order
  std::vector<std::string> net_names;            // the name each net is written with
  std::unordered_map<std::string, int> net_ids;  // every name of every net -> net ("a[3]", "q")
  std::vector<VInst> insts;                      // in Yosys' cell order

  // The net named n, created (with that name) if there is none.
  int net(const std::string& n) {
    auto it = net_ids.find(n);
    if (it != net_ids.end()) return it->second;
    int id = static_cast<int>(net_names.size());
    net_names.push_back(n);
    net_ids.emplace(n, id);
    return id;
  }
  const VPort* port(const std::string& n) const {
    for (const auto& p : ports)
      if (p.name == n) return &p;
    return nullptr;
  }
};

// Reads the non-blackbox modules of Yosys JSON netlists (a module defined in several files, as
// the per-module files all hold their sub-modules as black boxes, is taken once: its definition).
// Throws SynthError "sta: cannot read netlist <file>: <what>" for a file that is missing or not
// a Yosys JSON netlist.
std::vector<VModule> read_json_netlists(const std::vector<std::filesystem::path>& files);
// One JSON text (tests); `where` names it in errors.
std::vector<VModule> read_json_netlist_text(const std::string& text, const std::string& where);

}  // namespace sharp::synth::detail
