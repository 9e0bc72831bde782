// run_sta's net model (see net_model.hpp): ModCtx per module, drivers and pin capacitances of
// every net, black-box pin directions and their Liberty stand-ins, boundary capacitances from
// the children up, and the ports of each module's cut netlist.
#include "net_model.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include <fmt/format.h>

#include "fanout.hpp"

namespace sharp::synth::detail {

namespace {

[[noreturn]] void fail(const std::string& msg) { throw SynthError("sta: " + msg); }

// Clock ports, drivers, leaf capacitances, children on each net.
void connect_nets(StaDesign& d, const StaOptions& opt) {
  auto& ctx = d.ctx;
  auto is_leaf = [&](const std::string& t) { return d.is_leaf(t); };
  auto is_child = [&](const std::string& t) { return d.is_child(t); };
  auto child_ctx = [&](const std::string& t) -> ModCtx& { return d.child(t); };
  for (auto& c : ctx) {
    VModule& m = *c.vm;
    const size_t N = m.net_names.size();
    c.drv.assign(N, kDrvNone);
    c.c_leaf.assign(N, 0.0);
    c.child_pins.assign(N, {});
    c.is_port.assign(N, 0);
    c.clock_port = clock_port_of(m, opt.clock_port);
    if (!c.clock_port.empty()) c.clock_net = m.port(c.clock_port)->bits[0];
    for (const auto& p : m.ports)
      for (int b : p.bits)
        if (b >= 0) {
          auto nb = static_cast<size_t>(b);
          c.is_port[nb] = 1;
          if (p.dir == kDirIn && c.drv[nb] == kDrvNone) c.drv[nb] = kDrvPort;
        }
    for (size_t ii = 0; ii < m.insts.size(); ++ii) {
      const VInst& inst = m.insts[ii];
      if (is_leaf(inst.type)) {
        ++c.leaf_cells;
        const LibCell& cell = d.lib->cells.at(inst.type);
        for (const auto& conn : inst.conns) {
          auto pit = cell.pins.find(conn.pin);
          if (pit == cell.pins.end()) {
            ++d.unknown_pins;
            if (d.unknown_pin_msgs.size() < 3) d.unknown_pin_msgs.insert(inst.type + "/" + conn.pin);
            continue;
          }
          for (int b : conn.bits) {
            if (b < 0) continue;
            auto nb = static_cast<size_t>(b);
            if (pit->second.dir == kDirOut || pit->second.dir == kDirInout) c.drv[nb] = kDrvLeaf;
            if (pit->second.dir != kDirOut) c.c_leaf[nb] += pit->second.cap_ff;
          }
        }
      } else if (is_child(inst.type)) {
        const VModule& cm = *child_ctx(inst.type).vm;
        for (const auto& conn : inst.conns) {
          const VPort* cp = cm.port(conn.pin);
          for (size_t k = 0; k < conn.bits.size(); ++k) {
            int b = conn.bits[k];
            if (b < 0) continue;
            auto nb = static_cast<size_t>(b);
            c.child_pins[nb].push_back({ii, conn.pin, k});
            if (cp && cp->dir == kDirOut && c.drv[nb] != kDrvLeaf) c.drv[nb] = kDrvChild;
          }
        }
      }
    }
  }
}

// Black boxes: pin directions from the nets they sit on (a pin on a net that something else
// drives is an input; a pin on the module's clock net is the clock).
void infer_boxes(StaDesign& d, const std::set<std::string>& mem_modules) {
  auto& ctx = d.ctx;
  auto is_leaf = [&](const std::string& t) { return d.is_leaf(t); };
  auto is_child = [&](const std::string& t) { return d.is_child(t); };
  for (auto& c : ctx) {
    const VModule& m = *c.vm;
    for (const auto& inst : m.insts) {
      if (is_leaf(inst.type) || is_child(inst.type)) continue;
      BoxType& bt = d.boxes[inst.type];
      for (const auto& conn : inst.conns) {
        BoxPort& bp = bt.ports[conn.pin];
        bp.width = std::max(bp.width, conn.bits.size());
        for (int b : conn.bits) {
          if (b < 0)
            ++bp.votes_in;
          else if (b == c.clock_net)
            ++bp.votes_clock;
          else if (c.drv[static_cast<size_t>(b)] != kDrvNone)
            ++bp.votes_in;
          else
            ++bp.votes_out;
        }
      }
    }
  }
  size_t k = 0;
  for (auto& [type, bt] : d.boxes) {
    bt.cell = fmt::format("sharp_bb_{}", k++);
    std::string base = type;
    size_t bs = base.rfind('\\');
    if (bs != std::string::npos) base = base.substr(bs + 1);
    bt.is_memory = mem_modules.count(base) > 0;
    if (!bt.is_memory) ++d.unknown_box_types;
    for (auto& [pn, bp] : bt.ports) {
      if (bp.width == 0) bp.width = 1;
      if (bp.votes_clock > 0 && bp.width == 1 && !bt.has_clock) {
        bp.clock = true;
        bp.dir = kDirIn;
        bt.has_clock = true;
      } else {
        long in = bp.votes_in + bp.votes_clock;
        bp.dir = (in > 0 && in >= bp.votes_out) ? kDirIn : kDirOut;
      }
    }
  }
  // Black-box outputs drive their nets like cells (no pin capacitance on their inputs).
  for (auto& c : ctx)
    for (const auto& inst : c.vm->insts) {
      auto bt = d.boxes.find(inst.type);
      if (bt == d.boxes.end()) continue;
      for (const auto& conn : inst.conns)
        if (bt->second.ports.at(conn.pin).dir == kDirOut)
          for (int b : conn.bits)
            if (b >= 0) c.drv[static_cast<size_t>(b)] = kDrvLeaf;
    }
}

}  // namespace

double child_input_cap(const StaDesign& d, const ModCtx& c, size_t net) {
  double e = 0;
  for (const auto& cp : c.child_pins[net]) {
    const ModCtx& cc = d.child(c.vm->insts[cp.inst].type);
    if (cp.pin == cc.clock_port) continue;
    auto it = cc.cin.find(cp.pin);
    if (it != cc.cin.end() && cp.bit < it->second.size()) e += it->second[cp.bit];
  }
  return e;
}

namespace {

// Boundary capacitances, children before parents.
void boundary_caps(StaDesign& d) {
  auto& ctx = d.ctx;
  auto is_child = [&](const std::string& t) { return d.is_child(t); };
  std::vector<size_t> order;
  std::vector<char> state(ctx.size(), 0);
  std::function<void(size_t)> visit = [&](size_t i) {
    if (state[i]) return;
    state[i] = 1;
    for (const auto& inst : ctx[i].vm->insts)
      if (is_child(inst.type)) visit(d.ctx_by_name.at(inst.type));
    order.push_back(i);
  };
  for (size_t i = 0; i < ctx.size(); ++i) visit(i);
  for (size_t i : order) {
    ModCtx& c = ctx[i];
    const VModule& m = *c.vm;
    auto extra = [&](size_t n) { return child_input_cap(d, c, n); };
    for (size_t n = 0; n < m.net_names.size(); ++n) {
      if (static_cast<int>(n) == c.clock_net) continue;
      if (c.drv[n] == kDrvLeaf) {
        c.counted.emplace_back(static_cast<int>(n), c.c_leaf[n] + extra(n));
        c.opensta_c += c.c_leaf[n];
      } else if (c.drv[n] == kDrvChild) {
        c.counted.emplace_back(static_cast<int>(n), c.c_leaf[n] + extra(n));
      }
    }
    for (const auto& p : m.ports) {
      if (p.dir != kDirIn || p.name == c.clock_port) continue;
      std::vector<double> v;
      for (int b : p.bits) v.push_back(b >= 0 ? c.c_leaf[static_cast<size_t>(b)] + extra(static_cast<size_t>(b)) : 0.0);
      c.cin[p.name] = std::move(v);
    }
    if (c.clock_net >= 0) c.clock_c = c.c_leaf[static_cast<size_t>(c.clock_net)];
  }
}

// Cut netlists: the pins of sub-module instances become ports.
void cut_ports(StaDesign& d) {
  auto& ctx = d.ctx;
  auto is_child = [&](const std::string& t) { return d.is_child(t); };
  auto child_ctx = [&](const std::string& t) -> ModCtx& { return d.child(t); };
  for (auto& c : ctx) {
    const VModule& m = *c.vm;
    std::map<int, int> dir;  // net -> kDirIn (driven by a child) / kDirOut (feeds a child)
    for (const auto& inst : m.insts) {
      if (!is_child(inst.type)) continue;
      const VModule& cm = *child_ctx(inst.type).vm;
      for (const auto& conn : inst.conns) {
        const VPort* cp = cm.port(conn.pin);
        int d = cp ? cp->dir : kDirIn;
        for (int b : conn.bits) {
          if (b < 0 || b == c.clock_net || c.is_port[static_cast<size_t>(b)]) continue;
          ++c.cut_pins;
          auto& cur = dir[b];
          if (d == kDirOut || d == kDirInout)
            cur = kDirIn;
          else if (cur == 0)
            cur = kDirOut;
          if (!c.cut_desc.count(b)) c.cut_desc[b] = inst.name + "/" + conn.pin;
        }
      }
    }
    // A net a sub-module drives becomes an input port only where something here reads it: a net
    // from one sub-module to another (a product into the adder tree) passes its arrival on in
    // BoundaryTiming without OpenSTA, and a port reaching nothing would only slow OpenSTA down
    // (1.5 million of them in the 64K top).
    std::vector<char> read_here(m.net_names.size(), 0);
    for (const auto& inst : m.insts) {
      const LibCell* lc = d.is_leaf(inst.type) ? &d.lib->cells.at(inst.type) : nullptr;
      auto box = lc ? d.boxes.end() : d.boxes.find(inst.type);
      if (!lc && box == d.boxes.end()) continue;
      for (const auto& conn : inst.conns) {
        bool reads = false;
        if (lc) {
          auto pit = lc->pins.find(conn.pin);
          reads = pit != lc->pins.end() && pit->second.dir != kDirOut;
        } else {
          auto bp = box->second.ports.find(conn.pin);
          reads = bp != box->second.ports.end() && bp->second.dir != kDirOut;
        }
        if (reads)
          for (int b : conn.bits)
            if (b >= 0) read_here[static_cast<size_t>(b)] = 1;
      }
    }
    for (auto [b, d] : dir)
      if (d != kDirIn)
        c.cut_out.push_back(b);
      else if (read_here[static_cast<size_t>(b)])
        c.cut_in.push_back(b);
    // OpenSTA's SDC commands cannot find ports whose names hold brackets: rename those.
    auto simple = [](const std::string& n) {
      return !n.empty() && !std::isdigit(static_cast<unsigned char>(n[0])) &&
             std::all_of(n.begin(), n.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
    };
    for (const auto& p : m.ports)
      if (!p.ranged && p.bits.size() == 1 && p.bits[0] >= 0 && !simple(p.name)) {
        c.rename[p.bits[0]] = fmt::format("sharp_port_{}", p.bits[0]);
        c.port_desc[c.rename[p.bits[0]]] = p.name;
      }
    for (const auto& cuts : {c.cut_in, c.cut_out})
      for (int b : cuts) {
        std::string emitted = m.net_names[static_cast<size_t>(b)];
        if (!simple(emitted)) emitted = c.rename[b] = fmt::format("sharp_cut_{}", b);
        c.port_desc[emitted] = c.cut_desc[b] + " (cut)";
      }
  }
}

}  // namespace

std::string display(const ModuleArea& m) { return m.params.empty() ? m.module : m.module + "(" + m.params + ")"; }

std::string describe_pin(const ModCtx& c, const std::string& pin) {
  auto d = c.port_desc.find(pin);
  return d == c.port_desc.end() ? pin : d->second;
}

void build_net_model(StaDesign& d, const StaOptions& opt) {
  const Report& area = *d.area;
  std::unordered_map<std::string, VModule*> vm_by_name;
  for (auto& m : d.vmods) vm_by_name[m.name] = &m;
  for (const auto& ma : area.modules) {
    ModCtx c;
    c.area = &ma;
    c.key = d.ctx.size();
    if (d.have_netlist) {
      auto it = vm_by_name.find(ma.yosys_name);
      if (it == vm_by_name.end())
        fail(fmt::format("module '{}' of the area report is not in the netlist ({})", ma.yosys_name,
                         area.netlist_json.empty() ? std::string("no files") : area.netlist_json.front()));
      c.vm = it->second;
    }
    d.ctx_by_name[ma.yosys_name] = d.ctx.size();
    d.ctx.push_back(std::move(c));
  }
  if (!d.have_netlist) return;
  std::set<std::string> mem_modules;
  for (const auto& m : area.memories) mem_modules.insert(m.module);
  connect_nets(d, opt);
  infer_boxes(d, mem_modules);
  boundary_caps(d);
  cut_ports(d);
}

// Liberty text for the black boxes: registers at their pins.
std::string box_liberty(const std::map<std::string, BoxType>& boxes, double access_ns, double voltage) {
  std::set<size_t> widths;
  for (const auto& [t, b] : boxes)
    for (const auto& [pn, p] : b.ports)
      if (p.width > 1) widths.insert(p.width);
  std::string s;
  s += "/* Generated by sharpgen (sharp::synth::run_sta): timing stand-ins for black boxes. */\n";
  s += "/* Each box is a register at its pins: setup 0 on inputs, clock-to-output ";
  s += fmt::format("{} ns on outputs; no area, no power, no pin capacitance. */\n", access_ns);
  s += "library (sharp_sta_blackboxes) {\n";
  s += "  delay_model : table_lookup;\n  time_unit : \"1ns\";\n  voltage_unit : \"1V\";\n";
  s += "  current_unit : \"1mA\";\n  pulling_resistance_unit : \"1kohm\";\n";
  s += "  leakage_power_unit : \"1nW\";\n  capacitive_load_unit (1, ff);\n";
  s += fmt::format(
      "  nom_process : 1.0;\n  nom_voltage : {0};\n  nom_temperature : 25.0;\n"
      "  operating_conditions (sharp_typical) {{ process : 1.0; voltage : {0}; "
      "temperature : 25.0; }}\n  default_operating_conditions : sharp_typical;\n",
      voltage > 0 ? voltage : 1.0);
  for (const char* a : {"input_threshold_pct_rise", "input_threshold_pct_fall", "output_threshold_pct_rise",
                        "output_threshold_pct_fall"})
    s += fmt::format("  {} : 50.0;\n", a);
  for (const char* a : {"slew_lower_threshold_pct_rise", "slew_lower_threshold_pct_fall"})
    s += fmt::format("  {} : 20.0;\n", a);
  for (const char* a : {"slew_upper_threshold_pct_rise", "slew_upper_threshold_pct_fall"})
    s += fmt::format("  {} : 80.0;\n", a);
  for (size_t w : widths)
    s += fmt::format(
        "  type (sharp_bus_{0}) {{ base_type : array; data_type : bit; bit_width : {0}; "
        "bit_from : {1}; bit_to : 0; downto : true; }}\n",
        w, w - 1);
  auto scalar = [](const char* g, double v) { return fmt::format("{} (scalar) {{ values (\"{}\"); }} ", g, v); };
  for (const auto& [type, b] : boxes) {
    (void)type;
    std::string clk;
    for (const auto& [pn, p] : b.ports)
      if (p.clock) clk = pn;
    s += fmt::format("  cell ({}) {{\n    area : 0;\n    dont_use : true;\n    dont_touch : true;\n", b.cell);
    for (const auto& [pn, p] : b.ports) {
      std::string head = p.width > 1 ? fmt::format("    bus (\"{}\") {{ bus_type : sharp_bus_{}; ", pn, p.width)
                                     : fmt::format("    pin (\"{}\") {{ ", pn);
      if (p.clock) {
        s += head + "direction : input; clock : true; capacitance : 0; }\n";
      } else if (p.dir == kDirOut) {
        s += head + "direction : output;";
        if (!clk.empty())
          s += fmt::format(" timing () {{ related_pin : \"{}\"; timing_type : rising_edge; {}{}{}{}}}", clk,
                           scalar("cell_rise", access_ns), scalar("cell_fall", access_ns),
                           scalar("rise_transition", 0.01), scalar("fall_transition", 0.01));
        s += " }\n";
      } else {
        s += head + "direction : input; capacitance : 0;";
        if (!clk.empty())
          s += fmt::format(" timing () {{ related_pin : \"{}\"; timing_type : setup_rising; {}{}}}", clk,
                           scalar("rise_constraint", 0.0), scalar("fall_constraint", 0.0));
        s += " }\n";
      }
    }
    s += "  }\n";
  }
  s += "}\n";
  return s;
}

}  // namespace sharp::synth::detail
