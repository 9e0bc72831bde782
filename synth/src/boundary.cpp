// Arrival times at module boundaries (see boundary.hpp).
#include "boundary.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace sharp::synth::detail {

namespace {

// Bit k (MSB first) of port p as a name: "p[i]" for a bus, "p" for a scalar.
std::string bit_name(const VPort& p, size_t k) {
  if (!p.ranged) return p.name;
  const int i = p.msb >= p.lsb ? p.msb - static_cast<int>(k) : p.msb + static_cast<int>(k);
  return fmt::format("{}[{}]", p.name, i);
}

Edge at(const std::map<std::string, std::vector<Edge>>& m, const std::string& port, size_t k) {
  auto it = m.find(port);
  return it == m.end() || k >= it->second.size() ? Edge{} : it->second[k];
}

void worst(Edge& into, const Edge& e) {
  into.arrival = std::max(into.arrival, e.arrival);
  into.slew = std::max(into.slew, e.slew);
}

}  // namespace

// The writer's naming (netlist_writer.cpp): a port bit is its port's name (a bus bit "p[i]"), a
// renamed net its new name, another cut net its own (simple) name.
CutPorts cut_ports(const ModCtx& c) {
  CutPorts cp;
  const VModule& m = *c.vm;
  auto renamed = [&](int b, const std::string& name) {
    auto r = c.rename.find(b);
    return r == c.rename.end() ? name : r->second;
  };
  for (const auto& p : m.ports)
    for (size_t k = 0; k < p.bits.size(); ++k) {
      const int b = p.bits[k];
      if (b < 0 || b == c.clock_net) continue;
      const std::string n = p.ranged ? bit_name(p, k) : renamed(b, p.name);
      if (p.dir == kDirIn)
        cp.in.emplace(b, n);
      else if (p.dir == kDirOut)
        cp.out.emplace(b, n);
    }
  for (int b : c.cut_in) cp.in.emplace(b, renamed(b, m.net_names[static_cast<size_t>(b)]));
  for (int b : c.cut_out) cp.out.emplace(b, renamed(b, m.net_names[static_cast<size_t>(b)]));
  for (const auto& [b, n] : cp.out) cp.out_net.emplace(n, b);
  return cp;
}

BoundaryTiming::BoundaryTiming(const StaDesign& d)
    : d_(d),
      ports_(d.ctx.size()),
      sta_out_(d.ctx.size()),
      in_(d.ctx.size()),
      out_(d.ctx.size()),
      in_bit_(d.ctx.size()),
      load_(d.ctx.size()) {
  auto child_cin = [&](const ModCtx& c, int n) { return child_input_cap(d, c, static_cast<size_t>(n)); };
  for (size_t i = 0; i < d.ctx.size(); ++i) {
    const ModCtx& c = d.ctx[i];
    if (!c.vm) continue;
    for (int b : c.cut_out) load_[i][b] = child_cin(c, b);
    // Each sub-module output bit: the load of the net it drives here (the largest over instances).
    for (const auto& inst : c.vm->insts) {
      if (!d.is_child(inst.type)) continue;
      const ModCtx& ch = d.child(inst.type);
      for (const auto& conn : inst.conns) {
        const VPort* p = ch.vm->port(conn.pin);
        if (!p || p->dir != kDirOut) continue;
        for (size_t k = 0; k < conn.bits.size() && k < p->bits.size(); ++k) {
          const int b = conn.bits[k], cb = p->bits[k];
          if (b < 0 || cb < 0) continue;
          const double l = c.c_leaf[static_cast<size_t>(b)] + child_cin(c, b);
          double& cur = load_[ch.key][cb];
          cur = std::max(cur, l);
        }
      }
    }
  }
  for (size_t i = 0; i < d.ctx.size(); ++i) {
    const ModCtx& c = d.ctx[i];
    if (!c.vm) continue;
    ports_[i] = cut_ports(c);
    for (const auto& p : c.vm->ports) {
      if (p.dir == kDirIn) {
        in_[i][p.name].assign(p.bits.size(), Edge{});
        for (size_t k = 0; k < p.bits.size(); ++k)
          if (p.bits[k] >= 0) in_bit_[i].emplace(p.bits[k], std::make_pair(p.name, k));
      } else if (p.dir == kDirOut) {
        out_[i][p.name].assign(p.bits.size(), Edge{});
      }
    }
  }
}

// A net's arrival and transition in module i: a sub-module output's, else the module input
// port's, else what the module's own analysis found (0 when no path reaches it).
Edge BoundaryTiming::net_edge(size_t i, int net) const {
  const ModCtx& c = d_.ctx[i];
  Edge a;
  bool from_child = false;
  for (const ChildPin& cp : c.child_pins[static_cast<size_t>(net)]) {
    const ModCtx& ch = d_.child(c.vm->insts[cp.inst].type);
    const VPort* p = ch.vm->port(cp.pin);
    if (!p || p->dir != kDirOut) continue;
    from_child = true;
    worst(a, at(out_[ch.key], cp.pin, cp.bit));
  }
  if (from_child) return a;
  if (auto ib = in_bit_[i].find(net); ib != in_bit_[i].end()) return at(in_[i], ib->second.first, ib->second.second);
  auto s = sta_out_[i].find(net);
  return s == sta_out_[i].end() ? Edge{} : s->second;
}

std::string BoundaryTiming::delays_tcl(size_t i) const {
  // Values rounded up (never below what was found): 0.1 ps, 0.01 fF.
  std::map<long, std::vector<const std::string*>> by_ps, by_slew, by_load;
  for (const auto& [b, name] : ports_[i].in) {
    const Edge e = net_edge(i, b);
    if (const long q = std::lround(std::ceil(e.arrival * 1e4)); q > 0) by_ps[q].push_back(&name);
    if (const long q = std::lround(std::ceil(e.slew * 1e4)); q > 0) by_slew[q].push_back(&name);
  }
  for (const auto& [b, name] : ports_[i].out) {
    auto l = load_[i].find(b);
    const long q = l == load_[i].end() ? 0 : std::lround(std::ceil(l->second * 100));
    if (q > 0) by_load[q].push_back(&name);
  }
  std::string s;
  auto emit = [&s](const char* cmd, double v, std::vector<const std::string*>& names) {
    std::sort(names.begin(), names.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
    s += fmt::format("  {{{} {:.6g} {{", cmd, v);
    for (size_t k = 0; k < names.size(); ++k) s += (k ? " " : "") + *names[k];
    s += "}}\n";
  };
  for (auto& [q, names] : by_ps) emit("delay", static_cast<double>(q) * 1e-4, names);
  for (auto& [q, names] : by_slew) emit("slew", static_cast<double>(q) * 1e-4, names);
  const double unit = d_.lib && d_.lib->cap_unit_ff > 0 ? d_.lib->cap_unit_ff : 1.0;  // fF per SDC unit
  for (auto& [q, names] : by_load) emit("load", static_cast<double>(q) * 1e-2 / unit, names);
  return s;
}

void BoundaryTiming::propagate() {
  std::vector<std::map<std::string, std::vector<Edge>>> in(in_.size()), out(out_.size());
  for (size_t i = 0; i < in_.size(); ++i) {
    for (const auto& [p, v] : in_[i]) in[i][p].assign(v.size(), Edge{});
    for (const auto& [p, v] : out_[i]) out[i][p].assign(v.size(), Edge{});
  }
  for (size_t i = 0; i < d_.ctx.size(); ++i) {
    const ModCtx& c = d_.ctx[i];
    if (!c.vm) continue;
    for (const auto& p : c.vm->ports)
      if (p.dir == kDirOut)
        for (size_t k = 0; k < p.bits.size(); ++k)
          if (p.bits[k] >= 0) out[i][p.name][k] = net_edge(i, p.bits[k]);
    for (const auto& inst : c.vm->insts) {
      if (!d_.is_child(inst.type)) continue;
      const ModCtx& ch = d_.child(inst.type);
      for (const auto& conn : inst.conns) {
        const VPort* p = ch.vm->port(conn.pin);
        if (!p || p->dir != kDirIn) continue;
        std::vector<Edge>& v = in[ch.key][conn.pin];
        for (size_t k = 0; k < conn.bits.size() && k < v.size(); ++k) {
          const int b = conn.bits[k];
          if (b < 0 || b == c.clock_net) continue;
          worst(v[k], net_edge(i, b));
        }
      }
    }
  }
  in_ = std::move(in);
  out_ = std::move(out);
}

}  // namespace sharp::synth::detail
