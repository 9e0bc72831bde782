// sharp::synth::run_sta -- timing and power estimation with OpenSTA on top of the Yosys flow.
//
// Pieces, in order:
//   helpers and child processes (the ones in synth.cpp are private to that file);
//   a small Liberty reader (pin directions, pin capacitances, leakage, units);
//   a reader for Yosys' mapped Verilog (write_verilog -noattr -noexpr);
//   the activity file;
//   the net model: boundary capacitances, activity per net, memory black boxes;
//   netlist writers (one cut netlist per module, one flat netlist) and the Tcl scripts;
//   result assembly, JSON and table.
// The method is described in docs/TIMING_POWER.md.
#include "sharp/sta.hpp"

#include "common.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <numeric>
#include <set>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

namespace sharp::synth {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

[[noreturn]] void fail(const std::string& msg) { throw SynthError("sta: " + one_line(msg)); }

using detail::ChildResult;
using detail::find_executable;
using detail::starts_with;
using detail::trim;
std::string read_text(const fs::path& p, const char* what) { return detail::read_text(p, what, "sta"); }
void write_text(const fs::path& p, const std::string& text) { detail::write_text(p, text, "sta"); }
detail::ChildResult run_child(const std::vector<std::string>& argv,
                              const std::function<void(const std::string&)>& on_line) {
  return detail::run_child(argv, on_line, "sta");
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> split_ws(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find(sep, b);
    if (e == std::string::npos) e = s.size();
    out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

// A path inside a Tcl script, in braces.
std::string tcl_path(const fs::path& p) {
  std::string s = p.string();
  for (char c : s)
    if (c == '{' || c == '}' || c == '\\' || c == '\n')
      fail(
          fmt::format("path '{}' contains a character a Tcl script cannot hold; use another "
                      "work directory",
                      s));
  return "{" + s + "}";
}

// ------------------------------------------------------------------------------------------
// Child processes
// ------------------------------------------------------------------------------------------

std::string sta_missing_message(const std::string& sta) {
  if (sta.find('/') != std::string::npos) return fmt::format("sta executable '{}' not found or not executable", sta);
  return fmt::format("{} not found on PATH (install the Debian package 'opensta')",
                     sta.empty() ? std::string("sta") : sta);
}

// ------------------------------------------------------------------------------------------
// Liberty: enough for pin directions and capacitances, leakage and units
// ------------------------------------------------------------------------------------------

using detail::LGroup;

enum PinDir { kDirNone = 0, kDirIn = 1, kDirOut = 2, kDirInout = 3 };

struct LibPin {
  int dir = kDirNone;
  double cap_ff = 0;
  bool clock = false;
};

struct LibCell {
  std::map<std::string, LibPin> pins;
  double leakage_nw = 0;
  bool sequential = false;
};

struct LibModel {
  std::string name;
  std::unordered_map<std::string, LibCell> cells;
  double nom_voltage = 0;
};

// "1ns" -> 1, "1ps" -> 1e-3, "1nW" -> 1 (nW), "10uW" -> 1e4 (nW).
double unit_scale(const std::string& v, const std::map<std::string, double>& units, double dflt) {
  std::string s = lower(trim(v));
  size_t k = 0;
  while (k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || s[k] == '.')) ++k;
  double mult = k ? std::atof(s.substr(0, k).c_str()) : 1.0;
  auto it = units.find(trim(s.substr(k)));
  return it == units.end() ? dflt : mult * it->second;
}

void collect_lib_pins(const LGroup& g, LibCell& cell, double cap_scale) {
  for (const auto& pg : g.groups) {
    if (pg.name == "pin" || pg.name == "bus" || pg.name == "bundle") {
      LibPin pin;
      if (const std::string* d = pg.attr("direction")) {
        std::string dir = lower(*d);
        pin.dir = dir == "input" ? kDirIn : dir == "output" ? kDirOut : dir == "inout" ? kDirInout : kDirNone;
      }
      const std::string* c = pg.attr("capacitance");
      if (c) {
        pin.cap_ff = std::atof(c->c_str()) * cap_scale;
      } else {
        double r = 0, f = 0;
        if (const std::string* rc = pg.attr("rise_capacitance")) r = std::atof(rc->c_str());
        if (const std::string* fc = pg.attr("fall_capacitance")) f = std::atof(fc->c_str());
        pin.cap_ff = std::max(r, f) * cap_scale;
      }
      if (const std::string* ck = pg.attr("clock")) pin.clock = lower(*ck) == "true";
      for (const auto& n : pg.args) cell.pins[trim(n)] = pin;
      if (pg.name != "pin") collect_lib_pins(pg, cell, cap_scale);
    } else if (pg.name == "ff" || pg.name == "latch" || pg.name == "ff_bank" || pg.name == "latch_bank" ||
               pg.name == "statetable") {
      cell.sequential = true;
    }
  }
}

LibModel read_lib(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail(fmt::format("liberty file '{}' not found", path.string()));
  LGroup root = detail::parse_liberty(read_text(path, "liberty file"), path.string(), "sta");
  const LGroup* lib = nullptr;
  for (const auto& g : root.groups)
    if (g.name == "library") lib = &g;
  if (!lib) fail(fmt::format("liberty file '{}' has no library group", path.string()));
  LibModel L;
  L.name = lib->args.empty() ? "unnamed" : lib->args[0];
  double cap_scale = 1.0;  // to fF
  if (const std::string* cu = lib->attr("capacitive_load_unit")) {
    auto parts = split_ws(*cu, ',');
    if (parts.size() == 2) {
      double m = std::atof(parts[0].c_str());
      std::string u = lower(trim(parts[1]));
      cap_scale = m * (u == "pf" ? 1000.0 : u == "nf" ? 1e6 : 1.0);
    }
  }
  double leak_scale = 1.0;  // to nW
  if (const std::string* lu = lib->attr("leakage_power_unit"))
    leak_scale = unit_scale(*lu, {{"pw", 1e-3}, {"nw", 1.0}, {"uw", 1e3}, {"mw", 1e6}, {"w", 1e9}}, 1.0);
  if (const std::string* nv = lib->attr("nom_voltage")) L.nom_voltage = std::atof(nv->c_str());
  // The default operating conditions' voltage is what OpenSTA uses for switching power.
  if (const std::string* dflt = lib->attr("default_operating_conditions"))
    for (const auto& g : lib->groups)
      if (g.name == "operating_conditions" && !g.args.empty() && trim(g.args[0]) == trim(*dflt))
        if (const std::string* v = g.attr("voltage")) L.nom_voltage = std::atof(v->c_str());
  for (const auto& g : lib->groups) {
    if (g.name != "cell" || g.args.empty()) continue;
    LibCell c;
    if (const std::string* lk = g.attr("cell_leakage_power")) c.leakage_nw = std::atof(lk->c_str()) * leak_scale;
    collect_lib_pins(g, c, cap_scale);
    L.cells[trim(g.args[0])] = std::move(c);
  }
  if (L.cells.empty()) fail(fmt::format("liberty file '{}' defines no cells", path.string()));
  return L;
}

// ------------------------------------------------------------------------------------------
// Yosys' mapped Verilog
// ------------------------------------------------------------------------------------------

constexpr int kConst0 = -1, kConst1 = -2, kConstX = -3;

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
  bool ranged = false;
  int msb = 0, lsb = 0;
  std::vector<int> bits;  // MSB first
};

struct VModule {
  std::string name;
  std::vector<std::string> port_order;
  std::vector<VPort> ports;
  std::vector<std::string> net_names;                 // first name of each net
  std::unordered_map<std::string, int> net_ids;       // every name -> net
  std::map<std::string, std::pair<int, int>> ranges;  // declared [msb:lsb]
  std::map<std::string, int> dirs;                    // declared port directions
  std::vector<VInst> insts;
  std::vector<std::pair<int, int>> aliases;  // assign lhs = rhs, bit by bit

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

struct VTok {
  char kind;  // 'i' identifier, 'n' number/constant, 'p' punctuation
  std::string text;
  int line;
};

// Tokens on demand (a large netlist is never held as a token vector).
class VLexer {
 public:
  VLexer(const std::string& s, std::string where) : s_(s), where_(std::move(where)) {}
  // The k-th token ahead, or nullptr at the end.
  const VTok* peek(size_t k = 0) {
    while (buf_.size() <= k) {
      VTok t;
      if (!next(t)) return nullptr;
      buf_.push_back(std::move(t));
    }
    return &buf_[k];
  }
  void pop() {
    if (peek()) buf_.pop_front();
  }
  int line() {
    const VTok* t = peek();
    return t ? t->line : line_;
  }

 private:
  const std::string& s_;
  std::string where_;
  size_t i_ = 0;
  int line_ = 1;
  std::deque<VTok> buf_;

  bool next(VTok& t) {
    const std::string& s = s_;
    size_t n = s.size();
    size_t& i = i_;
    while (i < n) {
      char c = s[i];
      if (c == '\n') {
        ++line_;
        ++i;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
        while (i < n && s[i] != '\n') ++i;
      } else if ((c == '/' && i + 1 < n && s[i + 1] == '*') || (c == '(' && i + 1 < n && s[i + 1] == '*')) {
        const char* close = c == '/' ? "*/" : "*)";  // comment or attribute
        size_t e = s.find(close, i + 2);
        if (e == std::string::npos) fail(fmt::format("{}: line {}: unterminated comment", where_, line_));
        line_ += static_cast<int>(std::count(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(e), '\n'));
        i = e + 2;
      } else if (c == '\\') {
        size_t b = ++i;
        while (i < n && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        t = {'i', s.substr(b, i - b), line_};
        return true;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
        size_t b = i;
        while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$')) ++i;
        t = {'i', s.substr(b, i - b), line_};
        return true;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '\'') {
        size_t b = i;
        while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i < n && s[i] == '\'') {
          ++i;
          if (i < n && (s[i] == 's' || s[i] == 'S')) ++i;
          if (i < n) ++i;  // base
          while (i < n && (std::isxdigit(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == 'x' ||
                           s[i] == 'X' || s[i] == 'z' || s[i] == 'Z' || s[i] == '?'))
            ++i;
        }
        t = {'n', s.substr(b, i - b), line_};
        return true;
      } else {
        t = {'p', std::string(1, c), line_};
        ++i;
        return true;
      }
    }
    return false;
  }
};

// Bits of a constant, MSB first.
std::vector<int> const_bits(const std::string& text) {
  size_t q = text.find('\'');
  if (q == std::string::npos) {  // unsized decimal: 32 bits
    unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
    std::vector<int> b;
    for (int k = 31; k >= 0; --k) b.push_back(((v >> k) & 1ULL) ? kConst1 : kConst0);
    return b;
  }
  int width = q ? std::atoi(text.substr(0, q).c_str()) : 32;
  size_t p = q + 1;
  if (p < text.size() && (text[p] == 's' || text[p] == 'S')) ++p;
  char base = p < text.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(text[p]))) : 'd';
  std::string digits;
  for (size_t k = p + 1; k < text.size(); ++k)
    if (text[k] != '_') digits += text[k];
  std::vector<int> lsb_first;
  auto push_digit = [&](char d, int nbits) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(d)));
    if (l == 'x' || l == 'z' || l == '?') {
      for (int k = 0; k < nbits; ++k) lsb_first.push_back(kConstX);
      return;
    }
    int v = std::isdigit(static_cast<unsigned char>(l)) ? l - '0' : l - 'a' + 10;
    for (int k = 0; k < nbits; ++k) lsb_first.push_back(((v >> k) & 1) ? kConst1 : kConst0);
  };
  if (base == 'b' || base == 'o' || base == 'h') {
    int nb = base == 'b' ? 1 : base == 'o' ? 3 : 4;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) push_digit(*it, nb);
  } else {
    unsigned long long v = std::strtoull(digits.c_str(), nullptr, 10);
    for (int k = 0; k < 64; ++k) lsb_first.push_back(((v >> k) & 1ULL) ? kConst1 : kConst0);
  }
  std::vector<int> out;
  for (int k = width - 1; k >= 0; --k)
    out.push_back(static_cast<size_t>(k) < lsb_first.size() ? lsb_first[static_cast<size_t>(k)] : kConst0);
  return out;
}

class VerilogReader {
 public:
  VerilogReader(std::string text, std::string where)
      : text_(std::move(text)), lx_(text_, where), where_(std::move(where)) {}

  std::vector<VModule> read() {
    std::vector<VModule> mods;
    while (more()) {
      if (is_kw("module") || is_kw("macromodule")) {
        lx_.pop();
        mods.push_back(module());
      } else {
        error("expected 'module'");
      }
    }
    return mods;
  }

 private:
  std::string text_;
  VLexer lx_;
  std::string where_;

  [[noreturn]] void error(const std::string& m) {
    fail(fmt::format("cannot read netlist {}: line {}: {}", where_, lx_.line(), m));
  }
  bool more() { return lx_.peek() != nullptr; }
  bool is_kw(const char* k) {
    const VTok* t = lx_.peek();
    return t && t->kind == 'i' && t->text == k;
  }
  bool at(char c) {
    const VTok* t = lx_.peek();
    return t && t->kind == 'p' && t->text[0] == c;
  }
  bool at_kind(char kind, size_t k = 0) {
    const VTok* t = lx_.peek(k);
    return t && t->kind == kind;
  }
  std::string take() {
    std::string x = lx_.peek()->text;
    lx_.pop();
    return x;
  }
  void expect(char c) {
    if (!at(c)) error(fmt::format("expected '{}'", c));
    lx_.pop();
  }
  std::string ident() {
    if (!at_kind('i')) error("expected an identifier");
    return take();
  }
  int number() {
    if (!at_kind('n')) error("expected a number");
    return std::atoi(take().c_str());
  }
  void skip_balanced() {  // at '(' : skip to the matching ')'
    int depth = 0;
    do {
      if (!more()) error("unbalanced parentheses");
      if (at('(')) ++depth;
      if (at(')')) --depth;
      lx_.pop();
    } while (depth > 0);
  }
  void skip_statement() {
    while (more() && !at(';')) lx_.pop();
    if (at(';')) lx_.pop();
  }
  std::optional<std::pair<int, int>> range() {
    if (!at('[')) return std::nullopt;
    lx_.pop();
    int msb = number();
    int lsb = msb;
    if (at(':')) {
      lx_.pop();
      lsb = number();
    }
    expect(']');
    return std::make_pair(msb, lsb);
  }
  static std::vector<int> span(int msb, int lsb) {
    std::vector<int> v;
    if (msb >= lsb)
      for (int k = msb; k >= lsb; --k) v.push_back(k);
    else
      for (int k = msb; k <= lsb; ++k) v.push_back(k);
    return v;
  }
  std::vector<int> expand(VModule& m, const std::string& name) {
    auto r = m.ranges.find(name);
    if (r == m.ranges.end()) return {m.net(name)};
    std::vector<int> bits;
    for (int k : span(r->second.first, r->second.second)) bits.push_back(m.net(fmt::format("{}[{}]", name, k)));
    return bits;
  }
  std::vector<int> expr(VModule& m) {
    if (at('{')) {
      lx_.pop();
      std::vector<int> bits;
      if (at_kind('n') && at_kind('p', 1) && lx_.peek(1)->text == "{") {  // replication {n{...}}
        int rep = number();
        std::vector<int> inner = expr(m);
        for (int k = 0; k < rep; ++k) bits.insert(bits.end(), inner.begin(), inner.end());
        expect('}');
        return bits;
      }
      for (;;) {
        std::vector<int> part = expr(m);
        bits.insert(bits.end(), part.begin(), part.end());
        if (at(',')) {
          lx_.pop();
          continue;
        }
        expect('}');
        return bits;
      }
    }
    if (at_kind('n')) return const_bits(take());
    std::string name = ident();
    if (at('[')) {
      auto r = range();
      std::vector<int> bits;
      for (int k : span(r->first, r->second)) bits.push_back(m.net(fmt::format("{}[{}]", name, k)));
      return bits;
    }
    return expand(m, name);
  }
  // Declares names (optionally with a direction); returns them in order.
  std::vector<std::string> declaration(VModule& m, int dir) {
    std::vector<std::string> names;
    while (is_kw("wire") || is_kw("reg") || is_kw("logic") || is_kw("signed") || is_kw("tri")) lx_.pop();
    auto r = range();
    for (;;) {
      std::string name = ident();
      names.push_back(name);
      if (r) m.ranges[name] = *r;
      if (dir != kDirNone) m.dirs[name] = dir;
      if (at('=')) {  // wire x = expr;
        lx_.pop();
        std::vector<int> lhs = expand(m, name), rhs = expr(m);
        for (size_t k = 0; k < std::min(lhs.size(), rhs.size()); ++k)
          m.aliases.emplace_back(lhs[lhs.size() - 1 - k], rhs[rhs.size() - 1 - k]);
      }
      if (at(',')) {
        lx_.pop();
        if (is_kw("input") || is_kw("output") || is_kw("inout")) return names;  // ANSI header
        continue;
      }
      return names;
    }
  }
  int dir_kw() {
    if (is_kw("input")) return kDirIn;
    if (is_kw("output")) return kDirOut;
    if (is_kw("inout")) return kDirInout;
    return kDirNone;
  }
  VModule module() {
    VModule m;
    m.name = ident();
    if (at('#')) {
      lx_.pop();
      skip_balanced();
    }
    if (at('(')) {
      lx_.pop();
      while (!at(')')) {
        if (!more()) error("unterminated port list");
        int d = dir_kw();
        if (d != kDirNone) {  // ANSI-style header
          lx_.pop();
          for (auto& n : declaration(m, d)) m.port_order.push_back(std::move(n));
          continue;
        }
        if (at(',')) {
          lx_.pop();
          continue;
        }
        if (at('.')) error("named port expressions in a module header are not supported");
        m.port_order.push_back(ident());
      }
      lx_.pop();
    }
    expect(';');
    for (;;) {
      if (!more()) error(fmt::format("module '{}' has no endmodule", m.name));
      if (is_kw("endmodule")) {
        lx_.pop();
        break;
      }
      int d = dir_kw();
      if (d != kDirNone) {
        lx_.pop();
        declaration(m, d);
        expect(';');
      } else if (is_kw("wire") || is_kw("reg") || is_kw("logic") || is_kw("tri") || is_kw("supply0") ||
                 is_kw("supply1") || is_kw("wand") || is_kw("wor")) {
        lx_.pop();
        declaration(m, kDirNone);
        expect(';');
      } else if (is_kw("assign")) {
        lx_.pop();
        for (;;) {
          std::vector<int> lhs = expr(m);
          expect('=');
          std::vector<int> rhs = expr(m);
          for (size_t k = 0; k < std::min(lhs.size(), rhs.size()); ++k)
            m.aliases.emplace_back(lhs[lhs.size() - 1 - k], rhs[rhs.size() - 1 - k]);
          if (at(',')) {
            lx_.pop();
            continue;
          }
          break;
        }
        expect(';');
      } else if (is_kw("parameter") || is_kw("localparam") || is_kw("defparam") || is_kw("genvar") ||
                 is_kw("integer")) {
        skip_statement();
      } else if (is_kw("specify")) {
        while (more() && !is_kw("endspecify")) lx_.pop();
        lx_.pop();
      } else if (at(';')) {
        lx_.pop();
      } else {
        VInst inst;
        inst.type = ident();
        if (at('#')) {
          lx_.pop();
          skip_balanced();
        }
        inst.name = ident();
        if (at('[')) error(fmt::format("instance arrays ('{}') are not supported", inst.name));
        expect('(');
        int positional = 0;
        while (!at(')')) {
          if (!more()) error("unterminated instance");
          if (at(',')) {
            lx_.pop();
            continue;
          }
          VConn c;
          if (at('.')) {
            lx_.pop();
            c.pin = ident();
            expect('(');
            if (!at(')')) c.bits = expr(m);
            expect(')');
          } else {
            c.pin = fmt::format("#{}", positional++);
            c.bits = expr(m);
          }
          inst.conns.push_back(std::move(c));
        }
        lx_.pop();
        expect(';');
        m.insts.push_back(std::move(inst));
      }
    }
    // Ports: direction and bits.
    for (const auto& pn : m.port_order) {
      VPort p;
      p.name = pn;
      auto d = m.dirs.find(pn);
      p.dir = d == m.dirs.end() ? kDirNone : d->second;
      auto r = m.ranges.find(pn);
      if (r != m.ranges.end()) {
        p.ranged = true;
        p.msb = r->second.first;
        p.lsb = r->second.second;
      }
      p.bits = expand(m, pn);
      m.ports.push_back(std::move(p));
    }
    // Aliases (assign): one net per class.
    if (!m.aliases.empty()) {
      std::vector<int> parent(m.net_names.size());
      std::iota(parent.begin(), parent.end(), 0);
      std::function<int(int)> find = [&](int x) {
        while (parent[static_cast<size_t>(x)] != x)
          x = parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
        return x;
      };
      for (auto [a, b] : m.aliases)
        if (a >= 0 && b >= 0) parent[static_cast<size_t>(find(a))] = find(b);
      auto remap = [&](int& b) {
        if (b >= 0) b = find(b);
      };
      for (auto& p : m.ports)
        for (int& b : p.bits) remap(b);
      for (auto& i : m.insts)
        for (auto& c : i.conns)
          for (int& b : c.bits) remap(b);
      for (auto& [n, id] : m.net_ids) id = find(id);
    }
    return m;
  }
};

// Verilog identifier, escaped when needed.
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

// ------------------------------------------------------------------------------------------
// Activity file
// ------------------------------------------------------------------------------------------

struct ModActivity {
  std::optional<double> mean;
  long instances = -1;
  std::vector<std::pair<std::string, double>> bits;
};

struct MemActivity {
  std::optional<double> reads, writes, bits_per_access;
  // Per instance path (manifest form, e.g. u_core.u_weight_mem.gen_bank[0].u_bank): reads, writes.
  std::map<std::string, std::pair<double, double>> instances;
};

struct ActivityFile {
  std::string path;
  long cycles = -1;
  std::map<std::string, ModActivity> modules;
  std::map<std::string, MemActivity> memories;
};

ActivityFile read_activity(const fs::path& path) {
  ActivityFile a;
  a.path = path.string();
  auto bad = [&](const std::string& field, const std::string& what) {
    fail(fmt::format("activity file '{}': {}: {}", a.path, field, what));
  };
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail(fmt::format("activity file '{}' not found", a.path));
  json j;
  try {
    j = json::parse(read_text(path, "activity file"));
  } catch (const json::exception& e) {
    fail(fmt::format("activity file '{}': not valid JSON: {}", a.path, e.what()));
  }
  if (!j.is_object()) bad("(top level)", "expected an object");
  auto rate = [&](const json& v, const std::string& field, double max) {
    if (!v.is_number()) bad(field, fmt::format("expected a number, got {}", v.type_name()));
    double x = v.get<double>();
    if (!std::isfinite(x) || x < 0) bad(field, fmt::format("expected a number >= 0, got {}", v.dump()));
    if (x > max) bad(field, fmt::format("{} is above {} toggles per cycle", v.dump(), max));
    return x;
  };
  for (const auto& [k, v] : j.items()) {
    if (k == "cycles") {
      if (!v.is_number()) bad("cycles", fmt::format("expected a number, got {}", v.type_name()));
      if (v.get<double>() < 0) bad("cycles", "expected a number >= 0");
      a.cycles = static_cast<long>(v.get<double>());
    } else if (k == "modules") {
      if (!v.is_object()) bad("modules", "expected an object");
      for (const auto& [mn, mv] : v.items()) {
        std::string f = "modules." + mn;
        if (!mv.is_object()) bad(f, "expected an object");
        ModActivity ma;
        for (const auto& [fk, fv] : mv.items()) {
          if (fk == "mean_toggle_rate") {
            ma.mean = rate(fv, f + ".mean_toggle_rate", 2.0);
          } else if (fk == "instances") {
            if (!fv.is_number_integer() || fv.get<long>() < 0) bad(f + ".instances", "expected an integer >= 0");
            ma.instances = fv.get<long>();
          } else if (fk == "bits") {
            if (!fv.is_object()) bad(f + ".bits", "expected an object of net name -> toggles per cycle");
            for (const auto& [bn, bv] : fv.items()) ma.bits.emplace_back(bn, rate(bv, f + ".bits." + bn, 2.0));
          }
        }
        a.modules[mn] = std::move(ma);
      }
    } else if (k == "memories") {
      if (!v.is_object()) bad("memories", "expected an object");
      for (const auto& [mn, mv] : v.items()) {
        std::string f = "memories." + mn;
        if (!mv.is_object()) bad(f, "expected an object");
        MemActivity me;
        for (const auto& [fk, fv] : mv.items()) {
          if (fk == "reads_per_cycle")
            me.reads = rate(fv, f + ".reads_per_cycle", 64.0);
          else if (fk == "writes_per_cycle")
            me.writes = rate(fv, f + ".writes_per_cycle", 64.0);
          else if (fk == "bits_per_access") {
            double b = rate(fv, f + ".bits_per_access", 1e9);
            if (b <= 0) bad(f + ".bits_per_access", "expected a number > 0");
            me.bits_per_access = b;
          } else if (fk == "instances") {
            if (!fv.is_object()) bad(f + ".instances", "expected an object of instance path -> accesses");
            for (const auto& [ip, iv] : fv.items()) {
              const std::string fi = f + ".instances." + ip;
              if (!iv.is_object()) bad(fi, "expected an object");
              double r =
                  iv.contains("reads_per_cycle") ? rate(iv.at("reads_per_cycle"), fi + ".reads_per_cycle", 64.0) : 0.0;
              double w = iv.contains("writes_per_cycle")
                             ? rate(iv.at("writes_per_cycle"), fi + ".writes_per_cycle", 64.0)
                             : 0.0;
              me.instances[ip] = {r, w};
            }
          }
        }
        a.memories[mn] = me;
      }
    }
  }
  if (a.modules.empty() && a.memories.empty())
    bad("modules", "missing (the file has neither \"modules\" nor \"memories\")");
  return a;
}

// Netlist names an activity name can have: "a_i[3]" is the net a_i_3_ after Yosys'
// `splitnets -ports -format __`; "gen_x[2].sum_q[5]" is gen_x[2].sum_q_5_.
std::vector<std::string> activity_candidates(const std::string& name) {
  std::vector<std::string> c{name};
  if (!name.empty() && name.back() == ']') {
    size_t lb = name.rfind('[');
    if (lb != std::string::npos && lb > 0) {
      std::string idx = name.substr(lb + 1, name.size() - lb - 2);
      if (!idx.empty() && std::all_of(idx.begin(), idx.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
        std::string base = name.substr(0, lb);
        c.push_back(base + "_" + idx + "_");
        if (idx == "0") c.push_back(base);
      }
    }
  }
  return c;
}

// ------------------------------------------------------------------------------------------
// Fanout buffering
// ------------------------------------------------------------------------------------------

// The clock port of a module: `preferred`, clk_i, clk, clock or clk_in if it is a 1-bit input,
// else the first 1-bit input named clk* or *clk; "" if none.
std::string clock_port_of(const VModule& m, const std::string& preferred) {
  for (const auto& cand :
       {preferred, std::string("clk_i"), std::string("clk"), std::string("clock"), std::string("clk_in")}) {
    const VPort* p = m.port(cand);
    if (p && p->dir == kDirIn && p->bits.size() == 1 && p->bits[0] >= 0) return cand;
  }
  for (const auto& p : m.ports) {
    std::string l = lower(p.name);
    if (p.dir == kDirIn && p.bits.size() == 1 && p.bits[0] >= 0 &&
        (starts_with(l, "clk") || (l.size() >= 3 && l.compare(l.size() - 3, 3, "clk") == 0)))
      return p.name;
  }
  return "";
}

// Splits every net of `m` with more than `max_fanout` input-pin loads into a tree of `buf`
// cells (max_fanout loads per buffer, contiguous in instance order). Nets left alone: the
// clock (a clock pin among the loads), nets with a pin of unknown direction or an inout, nets
// with no single driver (`assign` aliases are one net already). `dir_of(type, pin)` gives a pin's
// direction. Output ports stay on the original net. Returns the buffers added.
long buffer_fanout(VModule& m, const BufferCell& buf, int max_fanout,
                   const std::function<int(const std::string&, const std::string&, bool*)>& dir_of) {
  if (max_fanout < 2) return 0;
  struct Sink {
    size_t inst, conn, bit;
  };
  const size_t N = m.net_names.size();
  std::vector<std::vector<Sink>> sinks(N);
  std::vector<int> drivers(N, 0);
  std::vector<char> skip(N, 0);
  for (const auto& p : m.ports)
    for (int b : p.bits)
      if (b >= 0) {
        if (p.dir == kDirIn) ++drivers[static_cast<size_t>(b)];
        if (p.dir == kDirInout) skip[static_cast<size_t>(b)] = 1;
      }
  for (size_t i = 0; i < m.insts.size(); ++i) {
    const VInst& inst = m.insts[i];
    for (size_t k = 0; k < inst.conns.size(); ++k) {
      bool clock = false;
      const int d = dir_of(inst.type, inst.conns[k].pin, &clock);
      for (size_t j = 0; j < inst.conns[k].bits.size(); ++j) {
        const int b = inst.conns[k].bits[j];
        if (b < 0) continue;
        const auto nb = static_cast<size_t>(b);
        if (d == kDirIn && !clock)
          sinks[nb].push_back({i, k, j});
        else if (d == kDirOut)
          ++drivers[nb];
        else
          skip[nb] = 1;
      }
    }
  }
  long added = 0;
  for (size_t b = 0; b < N; ++b) {
    if (skip[b] || drivers[b] != 1 || sinks[b].size() <= static_cast<size_t>(max_fanout)) continue;
    std::vector<Sink> level = std::move(sinks[b]);
    const int root = static_cast<int>(b);
    while (level.size() > static_cast<size_t>(max_fanout)) {
      std::vector<Sink> next;
      for (size_t s = 0; s < level.size(); s += static_cast<size_t>(max_fanout)) {
        std::string name;
        do name = fmt::format("sgfo_{}", m.net_names.size());
        while (m.net_ids.count(name));
        const int nn = m.net(name);
        const size_t e = std::min(level.size(), s + static_cast<size_t>(max_fanout));
        for (size_t t = s; t < e; ++t) m.insts[level[t].inst].conns[level[t].conn].bits[level[t].bit] = nn;
        VInst bi;
        bi.type = buf.name;
        bi.name = "sgfo_buf_" + name.substr(5);
        bi.conns = {VConn{buf.in, {root}}, VConn{buf.out, {nn}}};
        m.insts.push_back(std::move(bi));
        next.push_back({m.insts.size() - 1, 0, 0});
        ++added;
      }
      level = std::move(next);
    }
  }
  return added;
}

// ------------------------------------------------------------------------------------------
// Net model
// ------------------------------------------------------------------------------------------

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
  std::vector<int> cut_in, cut_out;              // nets that become ports in the cut netlist
  std::map<int, std::string> cut_desc;           // cut net -> "inst/pin"
  std::map<int, std::string> rename;             // port nets renamed in the cut netlist
  std::map<std::string, std::string> port_desc;  // cut-netlist port name -> description
  // OpenSTA results
  bool have_path = false;
  double slack_ns = 0;
  std::string start, end;
  bool have_power = false;
  double p_internal_w = 0, p_switching_w = 0, p_leakage_w = 0;
  std::string error;
};

std::string display(const ModuleArea& m) { return m.params.empty() ? m.module : m.module + "(" + m.params + ")"; }

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

// Renders one bit of a connection. Port bits take the port's name; `rename` overrides.
struct Renderer {
  std::vector<std::string> names;  // net -> rendered reference
  Renderer(const VModule& m, const std::map<int, std::string>& rename) : names(m.net_names.size()) {
    for (size_t n = 0; n < names.size(); ++n) names[n] = vname(m.net_names[n]);
    for (const auto& p : m.ports) {
      if (!p.ranged) {
        if (p.bits.size() == 1 && p.bits[0] >= 0) names[static_cast<size_t>(p.bits[0])] = vname(p.name);
        continue;
      }
      std::vector<int> idx;
      if (p.msb >= p.lsb)
        for (int k = p.msb; k >= p.lsb; --k) idx.push_back(k);
      else
        for (int k = p.msb; k <= p.lsb; ++k) idx.push_back(k);
      for (size_t k = 0; k < p.bits.size() && k < idx.size(); ++k)
        if (p.bits[k] >= 0) names[static_cast<size_t>(p.bits[k])] = fmt::format("{}[{}]", vname(p.name), idx[k]);
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

// Writes one module. For a cut netlist, children are dropped (type_name returns "") and the
// nets in extra_in / extra_out become ports. type_name maps an instance type to the name
// written (black boxes become their Liberty stand-ins).
std::string write_module(const VModule& m, const std::string& name,
                         const std::function<std::string(const std::string&)>& type_name,
                         const std::vector<int>& extra_in, const std::vector<int>& extra_out,
                         const std::map<int, std::string>& rename = {}) {
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
      for (int b : p.bits)
        if (b >= 0) declared.insert(b);
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

}  // namespace

// ------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------

double sram_energy_pj(long bits_per_access, long capacity_bits, double voltage) {
  if (bits_per_access <= 0 || capacity_bits <= 0) return 0.0;
  double per_bit = SramEnergyModel::ref_pj_per_access / SramEnergyModel::ref_bits_per_access;
  double size = std::sqrt(static_cast<double>(capacity_bits) / SramEnergyModel::ref_capacity_bits);
  double v = voltage > 0 ? voltage / SramEnergyModel::ref_voltage : 1.0;
  return static_cast<double>(bits_per_access) * per_bit * size * v * v;
}

bool sta_available(const std::string& sta, std::string* version) {
  auto exe = find_executable(sta);
  if (!exe) return false;
  try {
    std::string first;
    auto res = run_child({exe->string(), "-version"}, [&](const std::string& l) {
      if (first.empty() && !trim(l).empty()) first = trim(l);
    });
    if (res.signal != 0 || res.exit_code != 0 || first.empty()) return false;
    if (version) *version = "OpenSTA " + first;
    return true;
  } catch (const SynthError&) {
    return false;
  }
}

namespace {

// Tcl procedures shared by the per-module and the flat scripts.
const char* kTclProcs = R"TCL(
proc sharp_emit {args} { puts "@@SHARP\t[join $args \t]" }
proc sharp_setup {clk period} {
  set clkport ""
  if {$clk ne ""} { set clkport [get_ports -quiet $clk] }
  if {$clkport ne ""} {
    create_clock -name sharp_clk -period $period $clkport
  } else {
    create_clock -name sharp_clk -period $period
  }
  # Not all_inputs/all_outputs: they take minutes on a cut netlist with 500 k ports (quadratic).
  set ins {}
  set outs {}
  foreach p [get_ports *] {
    set d [sta::port_direction $p]
    if {$d eq "input"} {
      if {$clk eq "" || [get_name $p] ne $clk} { lappend ins $p }
    } elseif {$d eq "output"} {
      lappend outs $p
    }
  }
  if {[llength $ins] > 0} { set_input_delay 0 -clock sharp_clk $ins }
  if {[llength $outs] > 0} { set_output_delay 0 -clock sharp_clk $outs }
}
proc sharp_worst {} {
  set best {}
  set bs 1e30
  foreach pe [find_timing_paths -path_delay max -group_count 1 -endpoint_count 1 -sort_by_slack] {
    set s [$pe slack]
    if {$s < $bs} {
      set pins [[$pe path] pins]
      set bs $s
      set start [get_full_name [lindex $pins end]]
      foreach p [lreverse $pins] {
        if {![sta::pin_is_clock $p]} { set start [get_full_name $p]; break }
      }
      set best [list $s $start [get_full_name [[$pe vertex] pin]]]
    }
  }
  return $best
}
proc sharp_power {act} {
  set_power_activity -global -activity $act -duty 0.5
  return [lrange [sta::design_power [sta::cmd_corner]] 0 2]
}
proc sharp_analyse {tag key file top clk period act} {
  read_verilog $file
  link_design $top
  sharp_setup $clk $period
  set w [sharp_worst]
  if {[llength $w]} { sharp_emit path $tag $key {*}$w } else { sharp_emit nopath $tag $key }
  sharp_emit power $tag $key {*}[sharp_power $act]
}
)TCL";

struct StaRun {
  std::vector<std::vector<std::string>> results;  // @@SHARP lines, split at tabs
  std::vector<std::string> errors;                // "Error:" lines
  std::vector<std::string> warnings;              // distinct "Warning:" lines
  long warning_count = 0;
  bool done = false;
  double seconds = 0;
};

StaRun run_sta_script(const fs::path& exe, const fs::path& script, const fs::path& log_path, bool verbose) {
  StaRun run;
  std::ofstream log(log_path, std::ios::trunc);
  std::set<std::string> seen;
  auto t0 = std::chrono::steady_clock::now();
  ChildResult res =
      run_child({exe.string(), "-no_splash", "-no_init", "-exit", script.string()}, [&](const std::string& line) {
        log << line << "\n";
        if (starts_with(line, "@@SHARP\t")) {
          auto f = split_ws(line.substr(8), '\t');
          if (!f.empty() && f[0] == "done") run.done = true;
          if (verbose && f.size() >= 3 && f[0] == "power") std::cerr << "sta: analysed " << f[2] << "\n";
          run.results.push_back(std::move(f));
        } else if (starts_with(line, "Error")) {
          run.errors.push_back(trim(line));
        } else if (starts_with(line, "Warning")) {
          ++run.warning_count;
          if (run.warnings.size() < 5 && seen.insert(line).second) run.warnings.push_back(trim(line));
        }
      });
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (res.signal != 0 || res.exit_code != 0 || !run.done) {
    std::string why = res.signal      ? fmt::format("killed by signal {}", res.signal)
                      : res.exit_code ? fmt::format("exit code {}", res.exit_code)
                                      : std::string("script did not finish");
    fail(fmt::format("OpenSTA failed ({}): {} (log: {})", why,
                     run.errors.empty() ? std::string("no error message") : run.errors.back(), log_path.string()));
  }
  return run;
}

double to_d(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nan("");
  return v;
}

std::string fmt_g(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

StaReport run_sta(const Report& area, const StaOptions& opt) {
  using clk = std::chrono::steady_clock;
  StaReport R;
  std::vector<std::string>& notes = R.notes;
  auto log = [&](const std::string& s) {
    if (opt.verbose) std::cerr << "sta: " << s << "\n";
  };

  if (opt.work_dir.empty()) fail("no work directory given");
  if (!(opt.default_activity >= 0) || opt.default_activity > 2)
    fail(fmt::format("default activity {} is outside 0..2 toggles per cycle", opt.default_activity));
  if (!(opt.clock_period_ns >= 0) || !std::isfinite(opt.clock_period_ns))
    fail("the clock period must be a number >= 0");
  if (!(opt.sram_access_ns >= 0)) fail("the memory access time must be >= 0");
  if (!(opt.sram_leakage_nw_per_bit >= 0)) fail("the memory leakage per bit must be >= 0");
  const fs::path work = fs::absolute(opt.work_dir).lexically_normal();
  std::error_code ec;
  fs::create_directories(work / "modules", ec);
  if (ec) fail(fmt::format("cannot create work directory '{}': {}", work.string(), ec.message()));
  R.work_dir = work.string();

  // Activity file first: a bad file is an error whatever else happens.
  std::optional<ActivityFile> act;
  if (opt.activity_json) {
    act = read_activity(*opt.activity_json);
    R.activity_source = "simulation: " + act->path;
  } else {
    R.activity_source = fmt::format("default {} toggles/cycle", opt.default_activity);
  }

  // --- OpenSTA ------------------------------------------------------------------------------
  std::optional<fs::path> sta_exe = find_executable(opt.sta);
  bool use_sta = sta_exe && sta_available(sta_exe->string(), &R.sta_version);
  if (!use_sta)
    notes.push_back(
        fmt::format("{}: no static timing analysis; the critical path is ABC's per-module estimate "
                    "(Report::abc_delay_ns, combinational paths inside one module, no wires) and power comes "
                    "from sharpgen's net model alone (Liberty pin capacitances and cell leakage; no internal "
                    "power)",
                    sta_missing_message(opt.sta)));

  // --- netlist and liberty ------------------------------------------------------------------
  const bool have_netlist = !area.netlist_path.empty() && fs::is_regular_file(area.netlist_path, ec);
  if (!have_netlist) {
    if (use_sta) fail(fmt::format("netlist '{}' not found (run synth first)", area.netlist_path));
    notes.push_back(fmt::format("netlist '{}' not found: logic power not computed", area.netlist_path));
  }
  LibModel lib;
  const fs::path lib_path = area.liberty_path.empty() ? default_liberty() : fs::path(area.liberty_path);
  if (have_netlist) lib = read_lib(lib_path);

  std::vector<VModule> vmods;
  if (have_netlist) {
    auto t0 = clk::now();
    VerilogReader reader(read_text(area.netlist_path, "netlist"), area.netlist_path);
    vmods = reader.read();
    log(fmt::format("read {} modules from {} in {:.1f} s", vmods.size(), area.netlist_path,
                    std::chrono::duration<double>(clk::now() - t0).count()));
  }
  std::unordered_map<std::string, VModule*> vm_by_name;
  for (auto& m : vmods) vm_by_name[m.name] = &m;

  // Buffer trees on high-fanout nets (see StaOptions::max_fanout).
  if (have_netlist && opt.max_fanout > 0) {
    const std::optional<BufferCell> buf = liberty_buffer(lib_path);
    if (!buf) {
      notes.push_back(
          fmt::format("liberty '{}' has no buffer cell: high-fanout nets are analysed unbuffered", lib.name));
    } else {
      std::map<std::string, std::string> child_clock;  // module -> its clock port
      auto dir_of = [&](const std::string& type, const std::string& pin, bool* clock) {
        auto lc = lib.cells.find(type);
        if (lc != lib.cells.end()) {
          auto lp = lc->second.pins.find(pin);
          if (lp == lc->second.pins.end()) return static_cast<int>(kDirNone);
          *clock = lp->second.clock;
          return lp->second.dir;
        }
        auto vm = vm_by_name.find(type);
        if (vm == vm_by_name.end()) return static_cast<int>(kDirNone);  // a black box: left alone
        const VPort* vp = vm->second->port(pin);
        if (!vp) return static_cast<int>(kDirNone);
        auto ck = child_clock.find(type);
        if (ck == child_clock.end()) ck = child_clock.emplace(type, clock_port_of(*vm->second, opt.clock_port)).first;
        *clock = pin == ck->second;
        return vp->dir;
      };
      std::map<std::string, long> inst_count;
      for (const auto& ma : area.modules) inst_count[ma.yosys_name] = ma.instances;
      long distinct = 0;
      for (auto& m : vmods) {
        const long n = buffer_fanout(m, *buf, opt.max_fanout, dir_of);
        distinct += n;
        R.fanout_buffers += n * inst_count[m.name];
      }
      R.fanout_buffer_cell = buf->name;
      R.fanout_buffer_area_um2 = static_cast<double>(R.fanout_buffers) * buf->area_um2;
      log(fmt::format("fanout: {} {} buffers ({} in the distinct modules) on nets with more than {} loads",
                      R.fanout_buffers, buf->name, distinct, opt.max_fanout));
      if (R.fanout_buffers > 0)
        notes.push_back(fmt::format(
            "timing and power include {} {} cells ({:.1f} um2, {:.2f} % of the logic area; not in the area "
            "report) that sharpgen added as buffer trees on nets with more than {} loads; ABC buffers only "
            "inside a module, so nets through module boundaries were unbuffered",
            R.fanout_buffers, buf->name, R.fanout_buffer_area_um2,
            area.logic_area_um2 > 0 ? 100.0 * R.fanout_buffer_area_um2 / area.logic_area_um2 : 0.0, opt.max_fanout));
    }
  }

  // Modules of the area report, with their netlist.
  std::vector<ModCtx> ctx;
  std::unordered_map<std::string, size_t> ctx_by_name;
  for (const auto& ma : area.modules) {
    ModCtx c;
    c.area = &ma;
    c.key = ctx.size();
    if (have_netlist) {
      auto it = vm_by_name.find(ma.yosys_name);
      if (it == vm_by_name.end())
        fail(fmt::format("module '{}' of the area report is not in netlist '{}'", ma.yosys_name, area.netlist_path));
      c.vm = it->second;
    }
    ctx_by_name[ma.yosys_name] = ctx.size();
    ctx.push_back(std::move(c));
  }
  std::set<std::string> mem_modules;
  for (const auto& m : area.memories) mem_modules.insert(m.module);
  auto is_child = [&](const std::string& type) { return ctx_by_name.count(type) > 0; };
  auto is_leaf = [&](const std::string& type) { return lib.cells.count(type) > 0; };
  auto child_ctx = [&](const std::string& type) -> ModCtx& { return ctx[ctx_by_name.at(type)]; };

  std::map<std::string, BoxType> boxes;  // black-box type -> timing stand-in
  long unknown_box_types = 0, unknown_pins = 0;
  std::set<std::string> unknown_pin_msgs;

  if (have_netlist) {
    // Clock ports, drivers, leaf capacitances, children on each net.
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
          const LibCell& cell = lib.cells.at(inst.type);
          for (const auto& conn : inst.conns) {
            auto pit = cell.pins.find(conn.pin);
            if (pit == cell.pins.end()) {
              ++unknown_pins;
              if (unknown_pin_msgs.size() < 3) unknown_pin_msgs.insert(inst.type + "/" + conn.pin);
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
    // Black boxes: pin directions from the nets they sit on (a pin on a net that something
    // else drives is an input; a pin on the module's clock net is the clock).
    for (auto& c : ctx) {
      const VModule& m = *c.vm;
      for (const auto& inst : m.insts) {
        if (is_leaf(inst.type) || is_child(inst.type)) continue;
        BoxType& bt = boxes[inst.type];
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
    for (auto& [type, bt] : boxes) {
      bt.cell = fmt::format("sharp_bb_{}", k++);
      std::string base = type;
      size_t bs = base.rfind('\\');
      if (bs != std::string::npos) base = base.substr(bs + 1);
      bt.is_memory = mem_modules.count(base) > 0;
      if (!bt.is_memory) ++unknown_box_types;
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
        auto bt = boxes.find(inst.type);
        if (bt == boxes.end()) continue;
        for (const auto& conn : inst.conns)
          if (bt->second.ports.at(conn.pin).dir == kDirOut)
            for (int b : conn.bits)
              if (b >= 0) c.drv[static_cast<size_t>(b)] = kDrvLeaf;
      }

    // Boundary capacitances, children before parents.
    std::vector<size_t> order;
    std::vector<char> state(ctx.size(), 0);
    std::function<void(size_t)> visit = [&](size_t i) {
      if (state[i]) return;
      state[i] = 1;
      for (const auto& inst : ctx[i].vm->insts)
        if (is_child(inst.type)) visit(ctx_by_name.at(inst.type));
      order.push_back(i);
    };
    for (size_t i = 0; i < ctx.size(); ++i) visit(i);
    for (size_t i : order) {
      ModCtx& c = ctx[i];
      const VModule& m = *c.vm;
      auto extra = [&](size_t n) {
        double e = 0;
        for (const auto& cp : c.child_pins[n]) {
          const ModCtx& cc = child_ctx(m.insts[cp.inst].type);
          if (cp.pin == cc.clock_port) continue;
          auto it = cc.cin.find(cp.pin);
          if (it != cc.cin.end() && cp.bit < it->second.size()) e += it->second[cp.bit];
        }
        return e;
      };
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
        for (int b : p.bits)
          v.push_back(b >= 0 ? c.c_leaf[static_cast<size_t>(b)] + extra(static_cast<size_t>(b)) : 0.0);
        c.cin[p.name] = std::move(v);
      }
      if (c.clock_net >= 0) c.clock_c = c.c_leaf[static_cast<size_t>(c.clock_net)];
    }

    // Cut netlists: the pins of sub-module instances become ports.
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
      for (auto [b, d] : dir) (d == kDirIn ? c.cut_in : c.cut_out).push_back(b);
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

  // --- activity -----------------------------------------------------------------------------
  for (auto& c : ctx) {
    c.alpha0 = opt.default_activity;
    if (!act) continue;
    auto it = act->modules.find(c.area->module);
    if (it == act->modules.end()) continue;
    if (it->second.mean) c.alpha0 = *it->second.mean;
    if (!have_netlist) continue;
    for (const auto& [name, v] : it->second.bits)
      for (const auto& cand : activity_candidates(name)) {
        auto nit = c.vm->net_ids.find(cand);
        if (nit != c.vm->net_ids.end()) {
          c.rate[nit->second] = v;
          break;
        }
      }
  }
  if (act) {
    std::map<std::string, long> design_instances;
    for (const auto& c : ctx) design_instances[c.area->module] += c.area->instances;
    for (const auto& [base, ma] : act->modules) {
      if (!design_instances.count(base)) {
        notes.push_back(fmt::format("activity file: module '{}' is not in the design (ignored)", base));
        continue;
      }
      if (ma.instances >= 0 && ma.instances != design_instances[base])
        notes.push_back(fmt::format("activity file: module '{}' has {} instances, the design {}", base, ma.instances,
                                    design_instances[base]));
      long matched = 0, unmatched = 0;
      std::vector<std::string> missing;
      for (const auto& [name, v] : ma.bits) {
        (void)v;
        bool found = false;
        for (const auto& c : ctx) {
          if (c.area->module != base || !c.vm) continue;
          for (const auto& cand : activity_candidates(name))
            if (c.vm->net_ids.count(cand)) found = true;
        }
        if (found) {
          ++matched;
        } else {
          ++unmatched;
          if (missing.size() < 3) missing.push_back(name);
        }
      }
      R.activity_matched += matched;
      R.activity_unmatched += unmatched;
      if (!ma.bits.empty())
        notes.push_back(fmt::format(
            "activity file: {}: {} of {} net names found in the netlist{}", base, matched, matched + unmatched,
            unmatched ? fmt::format(" (not found, e.g. {})", fmt::join(missing, ", ")) : std::string()));
    }
    for (const auto& c : ctx)
      if (!act->modules.count(c.area->module) && c.leaf_cells > 0) {
        notes.push_back(
            fmt::format("activity file has no entry for some modules (e.g. '{}'): "
                        "they use the default {} toggles/cycle",
                        c.area->module, opt.default_activity));
        break;
      }
  }

  // --- OpenSTA runs --------------------------------------------------------------------------
  const double P0 = opt.clock_period_ns > 0 ? opt.clock_period_ns : 10.0;
  const long total_cells = area.logic_cells;
  const bool want_flat = use_sta && total_cells <= opt.flat_cell_limit;
  double sta_voltage = -1;
  bool flat_ok = false;
  double flat_slack = 0, flat_int = 0, flat_sw = 0, flat_leak = 0;
  std::string flat_start, flat_end;
  const fs::path box_lib = work / "sharp_sta_blackboxes.lib";
  auto box_type_name = [&](const std::string& t) -> std::string {
    auto b = boxes.find(t);
    return b == boxes.end() ? std::string() : b->second.cell;
  };
  auto simple_id = [](const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
  };
  if (use_sta) {
    if (!boxes.empty()) write_text(box_lib, box_liberty(boxes, opt.sram_access_ns, lib.nom_voltage));
    std::string head = "# sharpgen run_sta: generated script (do not edit)\n";
    head += fmt::format("read_liberty {}\n", tcl_path(lib_path));
    if (!boxes.empty()) head += fmt::format("read_liberty {}\n", tcl_path(box_lib));
    head += kTclProcs;
    head +=
        "if {[catch {sta::OperatingConditions_voltage [sta::default_operating_conditions]} v]} "
        "{ set v -1 }\nsharp_emit voltage $v\n";

    // Per module: one process, one link_design per module.
    std::string script = head;
    long analysed = 0;
    for (auto& c : ctx) {
      bool has_box =
          std::any_of(c.vm->insts.begin(), c.vm->insts.end(), [&](const VInst& i) { return boxes.count(i.type) > 0; });
      if (c.leaf_cells == 0 && !has_box) continue;  // only sub-modules: nothing to time
      fs::path f = work / "modules" / fmt::format("m{}.v", c.key);
      std::string top = fmt::format("sharp_sta_m{}", c.key);
      write_text(f, write_module(
                        *c.vm, top,
                        [&](const std::string& t) -> std::string {
                          if (is_leaf(t)) return vname(t);
                          if (is_child(t)) return "";
                          return box_type_name(t);
                        },
                        c.cut_in, c.cut_out, c.rename));
      script += fmt::format(
          "if {{[catch {{sharp_analyse module {} {} {} {{{}}} {} {}}} err]}} {{ sharp_emit error "
          "module {} [string map {{\"\\n\" \" \" \"\\t\" \" \"}} $err] }}\n",
          c.key, tcl_path(f), top, simple_id(c.clock_port) ? c.clock_port : "", fmt_g(P0), fmt_g(c.alpha0), c.key);
      ++analysed;
    }
    script += "sharp_emit done\n";
    const fs::path mscript = work / "modules.tcl";
    write_text(mscript, script);
    log(fmt::format("OpenSTA: {} modules ({})", analysed, mscript.string()));
    StaRun run = run_sta_script(*sta_exe, mscript, work / "sta_modules.log", opt.verbose);
    R.per_module_seconds = run.seconds;
    for (const auto& f : run.results) {
      if (f.size() >= 2 && f[0] == "voltage") sta_voltage = to_d(f[1]);
      if (f.size() < 3 || f[1] != "module") continue;
      size_t key = static_cast<size_t>(std::atol(f[2].c_str()));
      if (key >= ctx.size()) continue;
      ModCtx& c = ctx[key];
      if (f[0] == "path" && f.size() >= 6) {
        c.have_path = true;
        c.slack_ns = to_d(f[3]) * 1e9;
        c.start = f[4];
        c.end = f[5];
      } else if (f[0] == "power" && f.size() >= 6) {
        c.have_power = true;
        c.p_internal_w = to_d(f[3]);
        c.p_switching_w = to_d(f[4]);
        c.p_leakage_w = to_d(f[5]);
      } else if (f[0] == "error") {
        c.error = f.size() > 3 ? f[3] : "unknown error";
      }
    }
    for (const auto& c : ctx)
      if (!c.error.empty())
        fail(fmt::format("OpenSTA failed on module {}: {} (log: {})", display(*c.area), c.error,
                         (work / "sta_modules.log").string()));
    if (run.warning_count)
      notes.push_back(fmt::format("OpenSTA (per module): {} warnings, e.g. {} (log: {})", run.warning_count,
                                  run.warnings.front(), (work / "sta_modules.log").string()));

    // Flat.
    if (want_flat) {
      const fs::path ff = work / "flat.v";
      std::string text;
      for (const auto& c : ctx) {
        bool top = c.area->yosys_name == area.top;
        // Only the top's ports are constrained by name: rename the awkward ones there.
        std::map<int, std::string> top_rename;
        if (top)
          for (const auto& p : c.vm->ports)
            if (!p.ranged && p.bits.size() == 1 && c.rename.count(p.bits[0]))
              top_rename[p.bits[0]] = c.rename.at(p.bits[0]);
        text += write_module(
            *c.vm, top ? std::string("sharp_sta_flat_top") : c.vm->name,
            [&](const std::string& t) -> std::string {
              if (is_leaf(t) || is_child(t)) return vname(t);
              return box_type_name(t);
            },
            {}, {}, top_rename);
      }
      write_text(ff, text);
      std::string top_clock;
      if (ctx_by_name.count(area.top)) top_clock = ctx[ctx_by_name.at(area.top)].clock_port;
      std::string fs_script = head;
      fs_script += fmt::format(
          "if {{[catch {{sharp_analyse flat 0 {} sharp_sta_flat_top {{{}}} {} {}}} err]}} {{ "
          "sharp_emit error flat 0 [string map {{\"\\n\" \" \" \"\\t\" \" \"}} $err] }}\n",
          tcl_path(ff), simple_id(top_clock) ? top_clock : "", fmt_g(P0), fmt_g(opt.default_activity));
      fs_script += "sharp_emit done\n";
      const fs::path fscript = work / "flat.tcl";
      write_text(fscript, fs_script);
      log(fmt::format("OpenSTA: flat design, {} cells ({})", total_cells, fscript.string()));
      // The flat run is a bonus: if it fails, the per-module results stand (with a note).
      StaRun frun;
      try {
        frun = run_sta_script(*sta_exe, fscript, work / "sta_flat.log", opt.verbose);
      } catch (const SynthError& e) {
        notes.push_back(fmt::format("flat analysis failed, per-module results used: {}", e.what()));
      }
      R.flat_seconds = frun.seconds;
      bool have_fp = false, have_fw = false;
      std::string ferr;
      for (const auto& f : frun.results) {
        if (f.size() < 3 || f[1] != "flat") continue;
        if (f[0] == "path" && f.size() >= 6) {
          have_fp = true;
          flat_slack = to_d(f[3]) * 1e9;
          flat_start = f[4];
          flat_end = f[5];
        } else if (f[0] == "power" && f.size() >= 6) {
          have_fw = true;
          flat_int = to_d(f[3]);
          flat_sw = to_d(f[4]);
          flat_leak = to_d(f[5]);
        } else if (f[0] == "error") {
          ferr = f.size() > 3 ? f[3] : "unknown error";
        }
      }
      if (!ferr.empty())
        notes.push_back(fmt::format("flat analysis failed, per-module results used: OpenSTA: {} (log: {})", ferr,
                                    (work / "sta_flat.log").string()));
      flat_ok = ferr.empty() && have_fp && have_fw;
      if (frun.done && ferr.empty() && !have_fp) notes.push_back("flat analysis found no constrained path");
      if (frun.warning_count)
        notes.push_back(fmt::format("OpenSTA (flat): {} warnings, e.g. {} (log: {})", frun.warning_count,
                                    frun.warnings.front(), (work / "sta_flat.log").string()));
    } else if (use_sta) {
      notes.push_back(
          fmt::format("flat analysis skipped: {} leaf cells > flat_cell_limit {}", total_cells, opt.flat_cell_limit));
    }
  }

  // --- timing ---------------------------------------------------------------------------------
  double worst = -1;
  const ModCtx* worst_ctx = nullptr;
  for (const auto& c : ctx)
    if (c.have_path && P0 - c.slack_ns > worst) {
      worst = P0 - c.slack_ns;
      worst_ctx = &c;
    }
  R.per_module_critical_path_ns = std::max(0.0, worst);
  auto describe = [](const ModCtx& c, const std::string& pin) {
    // A port made from a sub-module pin: name the pin.
    auto d = c.port_desc.find(pin);
    return d == c.port_desc.end() ? pin : d->second;
  };
  if (use_sta && flat_ok) {
    R.method = "opensta-flat";
    R.flat_critical_path_ns = P0 - flat_slack;
    R.critical_path_ns = R.flat_critical_path_ns;
    R.startpoint = flat_start;
    R.endpoint = flat_end;
    // Module of the endpoint: walk the instance path from the top.
    std::string mod = ctx_by_name.count(area.top) ? display(*ctx[ctx_by_name.at(area.top)].area) : area.top;
    if (ctx_by_name.count(area.top)) {
      const ModCtx* cur = &ctx[ctx_by_name.at(area.top)];
      std::string rest = flat_end;
      for (;;) {
        size_t slash = rest.find('/');
        if (slash == std::string::npos) break;
        std::string inst = rest.substr(0, slash);
        const ModCtx* next = nullptr;
        for (const auto& i : cur->vm->insts)
          if (i.name == inst && is_child(i.type)) next = &child_ctx(i.type);
        if (!next) break;
        cur = next;
        rest = rest.substr(slash + 1);
      }
      mod = display(*cur->area);
    }
    R.critical_module = mod;
    if (worst >= 0)
      notes.push_back(
          fmt::format("critical path from the flat analysis ({:.3f} ns, paths across module boundaries "
                      "included); the per-module analysis, whose paths stop at module boundaries, gives "
                      "{:.3f} ns in {}",
                      R.critical_path_ns, worst, worst_ctx ? display(*worst_ctx->area) : std::string("-")));
  } else if (use_sta) {
    R.method = "opensta-per-module";
    R.critical_path_ns = R.per_module_critical_path_ns;
    if (worst_ctx) {
      R.critical_module = display(*worst_ctx->area);
      R.startpoint = describe(*worst_ctx, worst_ctx->start);
      R.endpoint = describe(*worst_ctx, worst_ctx->end);
    }
  } else {
    R.method = "abc-estimate";
    R.critical_path_ns = area.abc_delay_ns > 0 ? area.abc_delay_ns : 0.0;
    R.critical_module = area.abc_delay_module;
    if (area.abc_delay_ns <= 0) notes.push_back("no ABC delay estimate in the area report: critical path unknown");
  }
  if (use_sta) {
    long cut_total = 0;
    for (const auto& c : ctx) cut_total += c.cut_pins;
    R.cut_pins = cut_total;
    notes.push_back(
        fmt::format("per-module timing: each module is timed alone; its ports and the {} pins of its "
                    "sub-module instances get input/output delay 0 against an ideal clock, so paths that "
                    "cross module boundaries are cut there",
                    cut_total));
  }
  R.fmax_mhz = R.critical_path_ns > 0 ? 1000.0 / R.critical_path_ns : 0.0;
  if (R.critical_path_ns <= 0) notes.push_back("critical path is 0: fmax unknown");

  // --- power ----------------------------------------------------------------------------------
  double V = 0;
  if (sta_voltage > 0)
    V = sta_voltage;
  else if (lib.nom_voltage > 0)
    V = lib.nom_voltage;
  else {
    V = 1.0;
    if (have_netlist) notes.push_back("no supply voltage in the liberty file: 1.0 V assumed");
  }
  if (sta_voltage > 0 && lib.nom_voltage > 0 && std::fabs(sta_voltage - lib.nom_voltage) > 1e-3)
    notes.push_back(fmt::format("OpenSTA's operating voltage {} V differs from nom_voltage {} V; {} V used",
                                sta_voltage, lib.nom_voltage, sta_voltage));
  R.voltage = V;
  const double T = opt.clock_period_ns > 0 ? opt.clock_period_ns : R.critical_path_ns;
  R.clock_period_ns = T;
  if (T <= 0) notes.push_back("no clock period (none given, no critical path): dynamic power not computed");
  const double k = T > 0 ? 0.5 * V * V * 1e-3 / T : 0.0;  // mW per (fF x toggle/cycle)
  const double rescale = T > 0 ? P0 / T : 0.0;            // OpenSTA ran at P0

  std::vector<std::string> mismatches;
  for (const auto& c : ctx) {
    ModuleTiming mt;
    mt.module = c.area->module;
    mt.params = c.area->params;
    mt.block = c.area->block;
    mt.instances = c.area->instances;
    mt.yosys_name = c.area->yosys_name;
    mt.cells_each = c.area->cells_each;
    mt.cut_pins = c.cut_pins;
    mt.clock_port = c.clock_port;
    mt.default_activity = c.alpha0;
    mt.activity_matched = static_cast<long>(c.rate.size());
    if (c.have_path) {
      mt.worst_path_ns = P0 - c.slack_ns;
      mt.startpoint = describe(c, c.start);
      mt.endpoint = describe(c, c.end);
    }
    if (have_netlist) {
      const VModule& m = *c.vm;
      double sum = 0;
      for (const auto& [n, cap] : c.counted) {
        double a = c.alpha0;
        auto r = c.rate.find(n);
        if (r != c.rate.end()) {
          a = r->second;
        } else {
          double s = 0;
          int cnt = 0;
          for (const auto& cp : c.child_pins[static_cast<size_t>(n)]) {
            const ModCtx& cc = child_ctx(m.insts[cp.inst].type);
            if (cc.rate.empty()) continue;
            const VPort* p = cc.vm->port(cp.pin);
            if (!p || cp.bit >= p->bits.size()) continue;
            auto cr = cc.rate.find(p->bits[cp.bit]);
            if (cr != cc.rate.end()) {
              s += cr->second;
              ++cnt;
            }
          }
          if (cnt) a = s / cnt;
        }
        sum += a * cap;
      }
      double uniform = 0;
      for (const auto& [n, cap] : c.counted) {
        (void)n;
        uniform += cap;
      }
      mt.switching_mw_each = k * sum;
      mt.clock_mw_each = k * 2.0 * c.clock_c;
      R.rollup_uniform_switching_mw = std::max(0.0, R.rollup_uniform_switching_mw) +
                                      k * opt.default_activity * uniform * static_cast<double>(mt.instances);
      double lib_leak = 0;
      for (const auto& inst : m.insts)
        if (is_leaf(inst.type)) lib_leak += lib.cells.at(inst.type).leakage_nw;
      mt.leakage_mw_each = lib_leak * 1e-6;
      if (c.have_power) {
        mt.internal_mw_each = c.p_internal_w * 1e3 * rescale;
        mt.opensta_switching_mw_each = c.p_switching_w * 1e3 * rescale;
        mt.leakage_mw_each = c.p_leakage_w * 1e3;
        double model = k * c.alpha0 * c.opensta_c;
        double ref = mt.opensta_switching_mw_each;
        if (std::fabs(model - ref) > 0.01 * std::max(std::fabs(model), std::fabs(ref)) &&
            std::fabs(model - ref) > 1e-12)
          mismatches.push_back(fmt::format("{} (model {:.4g} mW, OpenSTA {:.4g} mW)", display(*c.area), model, ref));
        if (std::fabs(lib_leak * 1e-6 - mt.leakage_mw_each) > 0.01 * std::max(1e-12, mt.leakage_mw_each))
          mismatches.push_back(fmt::format("{} leakage (liberty sum {:.4g} mW, OpenSTA {:.4g} mW)", display(*c.area),
                                           lib_leak * 1e-6, mt.leakage_mw_each));
      }
      mt.dynamic_mw_each = mt.switching_mw_each + mt.internal_mw_each + mt.clock_mw_each;
    }
    double n = static_cast<double>(mt.instances);
    R.dynamic_mw += n * mt.dynamic_mw_each;
    R.leakage_mw += n * mt.leakage_mw_each;
    R.clock_mw += n * mt.clock_mw_each;
    R.opensta_rollup_switching_mw += n * mt.opensta_switching_mw_each;
    R.block_power_mw[mt.block] += n * (mt.dynamic_mw_each + mt.leakage_mw_each);
    R.modules.push_back(std::move(mt));
  }
  if (!mismatches.empty())
    notes.push_back(fmt::format("net model and OpenSTA report_power disagree by more than 1 % for: {}",
                                fmt::join(mismatches, "; ")));
  if (unknown_pins)
    notes.push_back(fmt::format("{} cell pins are not in the liberty file (e.g. {}): not counted", unknown_pins,
                                *unknown_pin_msgs.begin()));
  if (flat_ok) {
    R.flat_switching_mw = flat_sw * 1e3 * rescale;
    R.flat_leakage_mw = flat_leak * 1e3;
    double diff = R.flat_switching_mw > 0
                      ? 100.0 * (R.rollup_uniform_switching_mw - R.flat_switching_mw) / R.flat_switching_mw
                      : 0.0;
    notes.push_back(
        fmt::format("power is the per-module roll-up; cross-check at a uniform {} toggles/cycle: flat OpenSTA "
                    "report_power switching {:.6g} mW, roll-up {:.6g} mW ({:+.2f} %){}; leakage flat {:.6g} mW, "
                    "roll-up {:.6g} mW (OpenSTA sums its totals in single precision; the roll-up does not "
                    "see constants that cross module boundaries, see docs/TIMING_POWER.md)",
                    opt.default_activity, R.flat_switching_mw, R.rollup_uniform_switching_mw, diff,
                    act ? std::string()
                        : fmt::format("; per-module report_power alone (nets crossing module boundaries "
                                      "missing) {:.6g} mW",
                                      R.opensta_rollup_switching_mw),
                    R.flat_leakage_mw, R.leakage_mw));
    if (flat_int > 0) notes.push_back(fmt::format("flat internal power {:.6g} mW", flat_int * 1e3 * rescale));
  } else {
    notes.push_back(
        "power is the per-module roll-up (instances x power of one instance; nets "
        "crossing module boundaries are charged to the module that drives them)");
  }
  if (have_netlist)
    notes.push_back(
        fmt::format("clock: ideal (no clock tree); clock_mw {:.6g} mW is the clock pins of the cells, "
                    "2 transitions per cycle, included in dynamic power",
                    R.clock_mw));
  if (have_netlist && lib.cells.size() && R.dynamic_mw > 0) {
    bool has_internal = false;
    for (const auto& m : R.modules)
      if (m.internal_mw_each > 0) has_internal = true;
    if (has_internal && act)
      notes.push_back(
          "internal (cell) power is OpenSTA's at each module's default activity; it is "
          "not adjusted for per-net activities");
  }

  // --- memories -------------------------------------------------------------------------------
  long unresolved = 0, default_access = 0;
  bool outside = false;
  std::map<std::string, long> mem_instances;  // base name -> instances
  for (const auto& ma : area.memories) ++mem_instances[ma.module];
  for (const auto& ma : area.memories) {
    MemoryPower mp;
    mp.path = ma.path;
    mp.module = ma.module;
    mp.block = ma.block;
    mp.bits = ma.bits;
    // Resolve the instance path to its black-box type for the word width.
    const BoxType* bt = nullptr;
    if (have_netlist && ctx_by_name.count(area.top)) {
      const ModCtx* cur = &ctx[ctx_by_name.at(area.top)];
      std::string rest = ma.path;
      for (int guard = 0; guard < 64 && cur; ++guard) {
        const VInst* best = nullptr;
        for (const auto& i : cur->vm->insts)
          if ((rest == i.name || starts_with(rest, i.name + ".")) && (!best || i.name.size() > best->name.size()))
            best = &i;
        if (!best) break;
        if (is_child(best->type) && rest.size() > best->name.size()) {
          cur = &child_ctx(best->type);
          rest = rest.substr(best->name.size() + 1);
          continue;
        }
        auto b = boxes.find(best->type);
        if (b != boxes.end() && rest == best->name) bt = &b->second;
        break;
      }
    }
    long width = 0;
    if (bt) {
      for (const auto& [pn, p] : bt->ports)
        if (p.dir == kDirOut) width = std::max(width, static_cast<long>(p.width));
      if (width == 0)
        for (const auto& [pn, p] : bt->ports) width = std::max(width, static_cast<long>(p.width));
    }
    const MemActivity* ma_act = nullptr;
    if (act) {
      auto it = act->memories.find(ma.module);
      if (it != act->memories.end()) ma_act = &it->second;
    }
    // Word width: this instance's own (netlist), else the file's average, else 64 bits.
    if (width == 0 && ma_act && ma_act->bits_per_access) width = std::llround(*ma_act->bits_per_access);
    if (width == 0) {
      width = 64;
      ++unresolved;
    }
    mp.word_bits = width;
    // Accesses: per instance when the file has them, else its total over all instances of the
    // base name shared equally.
    mp.reads_per_cycle = 1.0;
    mp.writes_per_cycle = 0.0;
    bool from_file = ma_act != nullptr;
    if (ma_act) {
      auto pi = ma_act->instances.find(ma.path);
      if (pi != ma_act->instances.end()) {
        // Measured for this very instance.
        mp.reads_per_cycle = pi->second.first;
        mp.writes_per_cycle = pi->second.second;
      } else {
        double n = static_cast<double>(std::max(1L, mem_instances[ma.module]));
        mp.reads_per_cycle = ma_act->reads.value_or(0.0) / n;
        mp.writes_per_cycle = ma_act->writes.value_or(0.0) / n;
      }
    }
    if (!from_file) ++default_access;
    if (ma.bits < SramEnergyModel::ref_capacity_bits || ma.bits > 128 * SramEnergyModel::ref_capacity_bits)
      outside = true;
    mp.energy_pj_per_access = sram_energy_pj(mp.word_bits, ma.bits, V);
    mp.dynamic_mw =
        T > 0 ? (mp.reads_per_cycle + mp.writes_per_cycle) * mp.energy_pj_per_access * 1e-12 * (1e9 / T) * 1e3 : 0.0;
    mp.leakage_mw = static_cast<double>(ma.bits) * opt.sram_leakage_nw_per_bit * 1e-6;
    R.memory_dynamic_mw += mp.dynamic_mw;
    R.memory_leakage_mw += mp.leakage_mw;
    R.block_power_mw[mp.block] += mp.dynamic_mw + mp.leakage_mw;
    R.memories.push_back(std::move(mp));
  }
  if (!area.memories.empty()) {
    notes.push_back(
        fmt::format("memories: energy per access = bits accessed x {:.4g} pJ x sqrt(capacity / 8 KB) x "
                    "(V / 0.9 V)^2 (Horowitz, ISSCC 2014: 64-bit access to an 8 KB SRAM = 10 pJ at 45 nm; the "
                    "sqrt size scaling is an assumption); timed as registers at their pins with {} ns "
                    "clock-to-output",
                    SramEnergyModel::ref_pj_per_access / SramEnergyModel::ref_bits_per_access, opt.sram_access_ns));
    if (default_access)
      notes.push_back(
          fmt::format("{} memories without activity data: 1 read and 0 writes per cycle assumed", default_access));
    if (act && static_cast<size_t>(default_access) < area.memories.size())
      notes.push_back(
          "memory accesses from the activity file are totals over all instances of a "
          "memory module, shared equally between them; each instance's word width "
          "comes from the netlist");
    if (outside)
      notes.push_back(
          "some memories are outside the 8 KB - 1 MB range of the energy figures: the "
          "sqrt scaling is extrapolated there");
    if (unresolved)
      notes.push_back(fmt::format("{} memories: word width not found in the netlist, 64 bits assumed", unresolved));
    if (opt.sram_leakage_nw_per_bit <= 0)
      notes.push_back(
          "memory leakage is not modelled (0): no sourced per-bit figure; set "
          "sram_leakage_nw_per_bit to add one");
  }
  if (unknown_box_types)
    notes.push_back(
        fmt::format("{} black-box module types that are not memories: timed as registers at "
                    "their pins, no power",
                    unknown_box_types));
  for (const auto& [t, b] : boxes)
    if (!b.has_clock) {
      notes.push_back(fmt::format("black box '{}' has no pin on the clock net: not timed", t));
      break;
    }
  if (act && act->cycles >= 0) notes.push_back(fmt::format("activity measured over {} cycles", act->cycles));
  R.total_mw = R.dynamic_mw + R.leakage_mw + R.memory_dynamic_mw + R.memory_leakage_mw;
  std::stable_sort(R.modules.begin(), R.modules.end(),
                   [](const ModuleTiming& a, const ModuleTiming& b) { return a.worst_path_ns > b.worst_path_ns; });
  return R;
}

json StaReport::to_json() const {
  json j;
  j["method"] = method;
  j["critical_path_ns"] = critical_path_ns;
  j["fmax_mhz"] = fmax_mhz;
  j["critical_module"] = critical_module;
  j["startpoint"] = startpoint;
  j["endpoint"] = endpoint;
  j["clock_period_ns"] = clock_period_ns;
  j["voltage"] = voltage;
  j["dynamic_mw"] = dynamic_mw;
  j["leakage_mw"] = leakage_mw;
  j["clock_mw"] = clock_mw;
  j["memory_dynamic_mw"] = memory_dynamic_mw;
  j["memory_leakage_mw"] = memory_leakage_mw;
  j["total_mw"] = total_mw;
  j["block_power_mw"] = block_power_mw;
  j["fanout_buffers"] = {{"cell", fanout_buffer_cell}, {"count", fanout_buffers}, {"area_um2", fanout_buffer_area_um2}};
  json mods = json::array();
  for (const auto& m : modules)
    mods.push_back({{"module", m.module},
                    {"params", m.params},
                    {"block", m.block},
                    {"yosys_name", m.yosys_name},
                    {"instances", m.instances},
                    {"cells_each", m.cells_each},
                    {"worst_path_ns", m.worst_path_ns},
                    {"startpoint", m.startpoint},
                    {"endpoint", m.endpoint},
                    {"clock_port", m.clock_port},
                    {"cut_pins", m.cut_pins},
                    {"dynamic_mw_each", m.dynamic_mw_each},
                    {"switching_mw_each", m.switching_mw_each},
                    {"internal_mw_each", m.internal_mw_each},
                    {"clock_mw_each", m.clock_mw_each},
                    {"leakage_mw_each", m.leakage_mw_each},
                    {"opensta_switching_mw_each", m.opensta_switching_mw_each},
                    {"default_activity", m.default_activity},
                    {"activity_matched", m.activity_matched}});
  j["modules"] = std::move(mods);
  json mems = json::array();
  for (const auto& m : memories)
    mems.push_back({{"path", m.path},
                    {"module", m.module},
                    {"block", m.block},
                    {"bits", m.bits},
                    {"word_bits", m.word_bits},
                    {"reads_per_cycle", m.reads_per_cycle},
                    {"writes_per_cycle", m.writes_per_cycle},
                    {"energy_pj_per_access", m.energy_pj_per_access},
                    {"dynamic_mw", m.dynamic_mw},
                    {"leakage_mw", m.leakage_mw}});
  j["memories"] = std::move(mems);
  j["sram_model"] = {{"ref_pj_per_access", SramEnergyModel::ref_pj_per_access},
                     {"ref_bits_per_access", SramEnergyModel::ref_bits_per_access},
                     {"ref_capacity_bits", SramEnergyModel::ref_capacity_bits},
                     {"ref_voltage", SramEnergyModel::ref_voltage},
                     {"source", "Horowitz, ISSCC 2014, 45 nm"}};
  j["activity"] = {{"source", activity_source}, {"matched", activity_matched}, {"unmatched", activity_unmatched}};
  j["crosscheck"] = {{"per_module_critical_path_ns", per_module_critical_path_ns},
                     {"flat_critical_path_ns", flat_critical_path_ns},
                     {"flat_switching_mw", flat_switching_mw},
                     {"flat_leakage_mw", flat_leakage_mw},
                     {"rollup_uniform_switching_mw", rollup_uniform_switching_mw},
                     {"opensta_rollup_switching_mw", opensta_rollup_switching_mw}};
  j["sta"] = {{"version", sta_version},
              {"per_module_seconds", per_module_seconds},
              {"flat_seconds", flat_seconds},
              {"cut_pins", cut_pins},
              {"work_dir", work_dir}};
  j["activity_source"] = activity_source;
  j["notes"] = notes;
  return j;
}

std::string StaReport::table() const {
  std::string s;
  s += fmt::format("Timing ({}):\n", method);
  s += fmt::format("  critical path  {:.3f} ns   fmax {:.1f} MHz\n", critical_path_ns, fmax_mhz);
  if (!critical_module.empty()) s += fmt::format("  in             {}\n", critical_module);
  if (!startpoint.empty()) s += fmt::format("  from           {}\n  to             {}\n", startpoint, endpoint);
  if (fanout_buffers > 0)
    s += fmt::format("  with           {} {} cells added as fanout buffer trees ({:.1f} um2, not in the area above)\n",
                     fanout_buffers, fanout_buffer_cell, fanout_buffer_area_um2);
  s += fmt::format("\nPower at {:.3f} ns ({:.1f} MHz), {:.2f} V, activity: {}\n", clock_period_ns,
                   clock_period_ns > 0 ? 1000.0 / clock_period_ns : 0.0, voltage, activity_source);
  std::vector<std::pair<std::string, double>> rows(block_power_mw.begin(), block_power_mw.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  s += fmt::format("  {:<24} {:>12} {:>7}\n", "block", "mW", "share");
  s += fmt::format("  {:-<24} {:->12} {:->7}\n", "", "", "");
  for (const auto& [b, v] : rows)
    s += fmt::format("  {:<24} {:>12.4f} {:>6.1f}%\n", b, v, total_mw > 0 ? 100.0 * v / total_mw : 0.0);
  s += fmt::format("  {:-<24} {:->12} {:->7}\n", "", "", "");
  s += fmt::format("  {:<24} {:>12.4f}\n", "logic dynamic", dynamic_mw);
  s += fmt::format("  {:<24} {:>12.4f}\n", "  of which clock pins", clock_mw);
  s += fmt::format("  {:<24} {:>12.4f}\n", "logic leakage", leakage_mw);
  s += fmt::format("  {:<24} {:>12.4f}\n", "memory dynamic", memory_dynamic_mw);
  s += fmt::format("  {:<24} {:>12.4f}\n", "memory leakage", memory_leakage_mw);
  s += fmt::format("  {:<24} {:>12.4f}\n", "total", total_mw);
  s += "\nSlowest modules (paths cut at module boundaries):\n";
  s += fmt::format("  {:<40} {:>6} {:>9} {:>12}\n", "module", "inst", "path ns", "mW each");
  size_t shown = 0;
  for (const auto& m : modules) {
    if (shown++ == 8) break;
    std::string name = m.params.empty() ? m.module : m.module + "(" + m.params + ")";
    if (name.size() > 40) name = name.substr(0, 37) + "...";
    s += fmt::format("  {:<40} {:>6} {:>9.3f} {:>12.6f}\n", name, m.instances, m.worst_path_ns,
                     m.dynamic_mw_each + m.leakage_mw_each);
  }
  return s;
}

}  // namespace sharp::synth
