// The Verilog writer for OpenSTA's netlists (see netlist_writer.hpp).
#include "netlist_writer.hpp"

#include <cctype>
#include <set>

#include <fmt/format.h>

namespace sharp::synth::detail {

std::string vname(const std::string& n) {
  static const std::set<std::string> kw = {"module",  "endmodule", "input", "output", "inout",  "wire",
                                           "reg",     "assign",    "begin", "end",    "always", "logic",
                                           "supply0", "supply1",   "tri",   "integer"};
  bool simple = !n.empty() && (std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_');
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) simple = false;
  if (simple && !kw.count(n)) return n;
  return "\\" + n + " ";
}

namespace {

// The bit indices of a ranged port, in the order of its bits (msb first).
std::vector<int> port_indices(const VPort& p) {
  std::vector<int> idx;
  if (p.msb >= p.lsb)
    for (int k = p.msb; k >= p.lsb; --k) idx.push_back(k);
  else
    for (int k = p.msb; k <= p.lsb; ++k) idx.push_back(k);
  return idx;
}

// Renders one bit of a connection. Port bits take the name of the first port on the net (a
// later port on the same net is assigned from it: write_module); `rename` overrides.
struct Renderer {
  std::vector<std::string> names;  // net -> rendered reference
  Renderer(const VModule& m, const std::map<int, std::string>& rename) : names(m.net_names.size()) {
    for (size_t n = 0; n < names.size(); ++n) names[n] = vname(m.net_names[n]);
    std::set<int> by_port;
    auto name = [&](int b, std::string v) {
      if (b >= 0 && by_port.insert(b).second) names[static_cast<size_t>(b)] = std::move(v);
    };
    for (const auto& p : m.ports) {
      if (!p.ranged) {
        if (p.bits.size() == 1) name(p.bits[0], vname(p.name));
        continue;
      }
      const std::vector<int> idx = port_indices(p);
      for (size_t k = 0; k < p.bits.size() && k < idx.size(); ++k)
        name(p.bits[k], fmt::format("{}[{}]", vname(p.name), idx[k]));
    }
    for (const auto& [n, v] : rename) names[static_cast<size_t>(n)] = vname(v);
  }
  std::string bit(int b) const {
    if (b == kConst0) return "1'b0";
    if (b == kConst1) return "1'b1";
    if (b == kConstX) return "1'bx";
    return names[static_cast<size_t>(b)];
  }
  std::string expr(const std::vector<int>& bits) const {
    if (bits.empty()) return "";
    if (bits.size() == 1) return bit(bits[0]);
    std::string s = "{ ";
    for (size_t k = 0; k < bits.size(); ++k) s += (k ? ", " : "") + bit(bits[k]);
    return s + " }";
  }
};

}  // namespace

// Writes one module. For a cut netlist, children are dropped (type_name returns "") and the
// nets in extra_in / extra_out become ports. type_name maps an instance type to the name
// written (black boxes become their Liberty stand-ins).
std::string write_module(const VModule& m, const std::string& name,
                         const std::function<std::string(const std::string&)>& type_name,
                         const std::vector<int>& extra_in, const std::vector<int>& extra_out,
                         const std::map<int, std::string>& rename) {
  Renderer r(m, rename);
  std::vector<std::string> header;
  std::set<int> declared;
  std::string decl;
  std::set<std::string> port_names;
  for (const auto& p : m.ports) {
    if (!port_names.insert(p.name).second) continue;
    const char* d = p.dir == kDirOut ? "output" : p.dir == kDirInout ? "inout" : "input";
    if (p.ranged) {
      header.push_back(vname(p.name));
      decl += fmt::format("  {} [{}:{}] {};\n", d, p.msb, p.lsb, vname(p.name));
      // A bit on a net an earlier port holds: an output driven from it (assign in the source).
      const std::vector<int> idx = port_indices(p);
      for (size_t k = 0; k < p.bits.size() && k < idx.size(); ++k) {
        const int b = p.bits[k];
        if (b < 0) continue;
        if (!declared.insert(b).second && p.dir == kDirOut)
          decl += fmt::format("  assign {}[{}] = {};\n", vname(p.name), idx[k], r.bit(b));
      }
    } else if (p.bits.size() == 1 && p.bits[0] >= 0) {
      int b = p.bits[0];
      if (declared.count(b)) {  // a second port on the same net (assign in the source)
        header.push_back(vname(p.name));
        decl += fmt::format("  {} {};\n  assign {} = {};\n", d, vname(p.name), vname(p.name), r.bit(b));
      } else {
        header.push_back(r.bit(b));
        decl += fmt::format("  {} {};\n", d, r.bit(b));
        declared.insert(b);
      }
    } else {
      header.push_back(vname(p.name));
      decl += fmt::format("  {} {};\n", d, vname(p.name));
    }
  }
  auto add_port = [&](int b, const char* d) {
    if (b < 0 || declared.count(b)) return;
    header.push_back(r.bit(b));
    decl += fmt::format("  {} {};\n", d, r.bit(b));
    declared.insert(b);
  };
  for (int b : extra_in) add_port(b, "input");
  for (int b : extra_out) add_port(b, "output");
  std::string body, wires;
  for (const auto& inst : m.insts) {
    std::string t = type_name(inst.type);
    if (t.empty()) continue;
    body += fmt::format("  {} {} (", t, vname(inst.name));
    for (size_t k = 0; k < inst.conns.size(); ++k) {
      const auto& c = inst.conns[k];
      body += fmt::format("{}\n    .{}({})", k ? "," : "", vname(c.pin), r.expr(c.bits));
      for (int b : c.bits)
        if (b >= 0 && declared.insert(b).second) wires += fmt::format("  wire {};\n", r.bit(b));
    }
    body += "\n  );\n";
  }
  std::string s = fmt::format("module {}(", vname(name));
  for (size_t k = 0; k < header.size(); ++k) s += (k ? ", " : "") + header[k];
  s += ");\n" + decl + wires + body + "endmodule\n";
  return s;
}

}  // namespace sharp::synth::detail
