// run_sta's model of the design around the netlist: one ModCtx per synthesized module (drivers,
// pin capacitances, sub-module pins and the boundary capacitance of every net, the cut netlist's
// extra ports), the black boxes' pin directions (guessed from the nets they sit on) and their
// timing stand-ins as a Liberty file. The method is described in docs/TIMING_POWER.md.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "liberty.hpp"
#include "netlist.hpp"
#include "sharp/sta.hpp"

namespace sharp::synth::detail {

enum Driver : char { kDrvNone = 0, kDrvLeaf = 1, kDrvPort = 2, kDrvChild = 3 };

struct BoxPort {
  size_t width = 0;
  long votes_in = 0, votes_out = 0, votes_clock = 0;
  int dir = kDirNone;  // decided
  bool clock = false;
};

struct BoxType {
  std::string cell;  // name in the generated Liberty file
  std::map<std::string, BoxPort> ports;
  bool has_clock = false;
  bool is_memory = false;
};

struct ChildPin {
  size_t inst;      // index in VModule::insts
  std::string pin;  // child port
  size_t bit;       // index in the connection (MSB first)
};

struct ModCtx {
  const ModuleArea* area = nullptr;
  VModule* vm = nullptr;
  size_t key = 0;
  std::string clock_port;
  int clock_net = -1;
  std::vector<char> drv;
  std::vector<double> c_leaf;
  std::vector<std::vector<ChildPin>> child_pins;  // synthesized children on each net
  std::vector<char> is_port;
  std::map<std::string, std::vector<double>> cin;  // input port -> per bit boundary capacitance (fF)
  std::vector<std::pair<int, double>> counted;     // net -> capacitance charged by its driver here
  double opensta_c = 0;                            // sum of c_leaf over leaf-driven non-clock nets
  double clock_c = 0;
  long leaf_cells = 0;
  long cut_pins = 0;
  std::unordered_map<int, double> rate;  // measured toggles/cycle per net (activity file)
  double alpha0 = 0;
  std::vector<int> cut_in, cut_out;              // nets that become ports in the cut netlist (cut_in: read here)
  std::map<int, std::string> cut_desc;           // cut net -> "inst/pin"
  std::map<int, std::string> rename;             // port nets renamed in the cut netlist
  std::map<std::string, std::string> port_desc;  // cut-netlist port name -> description
  // OpenSTA results
  bool have_path = false;  // the latest pass (inputs at their boundary arrivals)
  double slack_ns = 0;
  bool have_cut_path = false;  // the first pass (every input at 0)
  double cut_slack_ns = 0;
  std::string start, end;
  bool have_power = false;
  double p_internal_w = 0, p_switching_w = 0, p_leakage_w = 0;
  std::string error;
};

// Everything run_sta knows about the design; built by build_net_model.
struct StaDesign {
  const Report* area = nullptr;
  std::shared_ptr<const Liberty> lib;
  bool have_netlist = false;
  std::vector<VModule> vmods;
  std::vector<ModCtx> ctx;  // one per module of the area report, in its order
  std::unordered_map<std::string, size_t> ctx_by_name;
  std::map<std::string, BoxType> boxes;  // black-box type -> timing stand-in
  long unknown_box_types = 0, unknown_pins = 0;
  std::set<std::string> unknown_pin_msgs;

  bool is_child(const std::string& type) const { return ctx_by_name.count(type) > 0; }
  bool is_leaf(const std::string& type) const { return lib && lib->cells.count(type) > 0; }
  ModCtx& child(const std::string& type) { return ctx.at(ctx_by_name.at(type)); }
  const ModCtx& child(const std::string& type) const { return ctx.at(ctx_by_name.at(type)); }
  const ModCtx* top() const {
    auto it = ctx_by_name.find(area->top);
    return it == ctx_by_name.end() ? nullptr : &ctx[it->second];
  }
};

std::string display(const ModuleArea& m);
// A pin of a module's cut netlist as the report names it: a port made from a sub-module pin
// becomes that pin ("u_x/a (cut)"), other names stay.
std::string describe_pin(const ModCtx& c, const std::string& pin);

// One ModCtx per module of the area report (its netlist module when there is one; throws when a
// module is not in the netlist), then, with a netlist: drivers, capacitances, black boxes,
// boundary capacitances and cut netlists.
void build_net_model(StaDesign& d, const StaOptions& opt);

// The input capacitance (fF) of the sub-module input pins on net `net` of module c: their
// boundary cin (the clock pin excluded). Valid once the children's cin are known.
double child_input_cap(const StaDesign& d, const ModCtx& c, size_t net);

// Liberty text for the black boxes: registers at their pins.
std::string box_liberty(const std::map<std::string, BoxType>& boxes, double access_ns, double voltage);

}  // namespace sharp::synth::detail
