// The one Liberty reader of sharp::synth (see liberty.hpp): tokenizer and group parser, the
// cell model (areas, pins, functions, leakage, units), reference cells from the embedded table
// synth/lib/reference_cells.json or, for other libraries, by truth table; a per-process cache.
#include "liberty.hpp"

#include <sys/stat.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "embedded.hpp"
#include "sharp/synth.hpp"

namespace sharp::synth::detail {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail(const char* tool, const std::string& msg) { throw SynthError(fmt::format("{}: {}", tool, msg)); }
}  // namespace

// --- Liberty reader (enough of the format for groups, attributes and their values) -------------

namespace {
struct LTok {
  enum Kind { Word, Str, Punct } kind;
  std::string text;
  int line;
};

std::vector<LTok> liberty_tokenize(const std::string& s, const std::string& where, const char* tool) {
  std::vector<LTok> toks;
  int line = 1;
  size_t i = 0, n = s.size();
  auto is_punct = [](char c) {
    return c == '(' || c == ')' || c == '{' || c == '}' || c == ':' || c == ';' || c == ',';
  };
  while (i < n) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
      // line continuation
      ++i;
      if (s[i] == '\r') ++i;
      if (i < n && s[i] == '\n') {
        ++i;
        ++line;
      }
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      if (e == std::string::npos) fail(tool, fmt::format("{}: unterminated comment", where));
      line += static_cast<int>(std::count(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(e), '\n'));
      i = e + 2;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '"') {
      std::string str;
      int l0 = line;
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
          ++i;
          if (s[i] == '\r') ++i;
          if (i < n && s[i] == '\n') {
            ++i;
            ++line;
          }
          continue;
        }
        if (s[i] == '\n') ++line;
        str += s[i++];
      }
      if (i >= n) fail(tool, fmt::format("{}: line {}: unterminated string", where, l0));
      ++i;
      toks.push_back({LTok::Str, str, l0});
    } else if (is_punct(c)) {
      toks.push_back({LTok::Punct, std::string(1, c), line});
      ++i;
    } else {
      std::string w;
      while (i < n && !std::isspace(static_cast<unsigned char>(s[i])) && !is_punct(s[i]) && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) break;
        w += s[i++];
      }
      toks.push_back({LTok::Word, w, line});
    }
  }
  return toks;
}

class LibertyParser {
 public:
  LibertyParser(std::vector<LTok> toks, std::string where, const char* tool)
      : toks_(std::move(toks)), where_(std::move(where)), tool_(tool) {}

  LGroup parse_file() {
    LGroup root;
    parse_body(root, /*top=*/true);
    return root;
  }

 private:
  std::vector<LTok> toks_;
  std::string where_;
  const char* tool_;
  size_t p_ = 0;

  [[noreturn]] void error(const std::string& msg) {
    int line = p_ < toks_.size() ? toks_[p_].line : (toks_.empty() ? 0 : toks_.back().line);
    fail(tool_, fmt::format("cannot parse liberty {}: line {}: {}", where_, line, msg));
  }
  bool at_punct(char c) const { return p_ < toks_.size() && toks_[p_].kind == LTok::Punct && toks_[p_].text[0] == c; }

  void parse_body(LGroup& g, bool top) {
    while (p_ < toks_.size()) {
      if (at_punct('}')) {
        if (top) error("unexpected '}'");
        ++p_;
        return;
      }
      if (at_punct(';')) {
        ++p_;
        continue;
      }
      if (toks_[p_].kind == LTok::Punct) error("unexpected '" + toks_[p_].text + "'");
      std::string name = toks_[p_].text;
      ++p_;
      if (at_punct(':')) {
        ++p_;
        int line = p_ < toks_.size() ? toks_[p_].line : 0;
        std::string value;
        while (p_ < toks_.size() && !at_punct(';') && !at_punct('}') && toks_[p_].line == line) {
          if (!value.empty()) value += ' ';
          value += toks_[p_].text;
          ++p_;
        }
        if (at_punct(';')) ++p_;
        g.attrs.emplace_back(name, value);
      } else if (at_punct('(')) {
        ++p_;
        std::vector<std::string> args;
        std::string cur;
        bool have = false;
        while (p_ < toks_.size() && !at_punct(')')) {
          if (at_punct(',')) {
            args.push_back(cur);
            cur.clear();
            have = false;
          } else {
            if (have) cur += ' ';
            cur += toks_[p_].text;
            have = true;
          }
          ++p_;
        }
        if (p_ >= toks_.size()) error("missing ')'");
        ++p_;
        if (have || !args.empty()) args.push_back(cur);
        if (at_punct('{')) {
          ++p_;
          LGroup child;
          child.name = name;
          child.args = std::move(args);
          parse_body(child, false);
          g.groups.push_back(std::move(child));
        } else {
          if (at_punct(';')) ++p_;
          std::string joined;
          for (size_t k = 0; k < args.size(); ++k) joined += (k ? "," : "") + args[k];
          g.attrs.emplace_back(name, joined);
        }
      } else {
        error("expected ':' or '(' after '" + name + "'");
      }
    }
    if (!top) error("missing '}' at end of file");
  }
};

}  // namespace

LGroup parse_liberty(const std::string& text, const std::string& where, const char* tool) {
  return LibertyParser(liberty_tokenize(text, where, tool), where, tool).parse_file();
}

// --- Boolean functions of `function` attributes ---------------------------------------------

namespace {

class FuncEval {
 public:
  FuncEval(const std::string& expr, const std::map<std::string, bool>& vars) : s_(expr), vars_(vars) {}
  std::optional<bool> eval() {
    ok_ = true;
    i_ = 0;
    bool v = parse_or();
    skip();
    if (!ok_ || i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  const std::string& s_;
  const std::map<std::string, bool>& vars_;
  size_t i_ = 0;
  bool ok_ = true;

  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool at(char a, char b = 0) {
    skip();
    return i_ < s_.size() && (s_[i_] == a || (b && s_[i_] == b));
  }
  bool parse_or() {
    bool v = parse_xor();
    while (at('|', '+')) {
      ++i_;
      bool r = parse_xor();
      v = v || r;
    }
    return v;
  }
  bool parse_xor() {
    bool v = parse_and();
    while (at('^')) {
      ++i_;
      bool r = parse_and();
      v = v != r;
    }
    return v;
  }
  bool starts_operand() {
    skip();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    return c == '(' || c == '!' || std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  }
  bool parse_and() {
    bool v = parse_unary();
    for (;;) {
      if (at('&', '*')) {
        ++i_;
      } else if (!starts_operand()) {  // juxtaposition means AND
        return v;
      }
      bool r = parse_unary();
      v = v && r;
    }
  }
  bool parse_unary() {
    if (at('!')) {
      ++i_;
      return !parse_unary();
    }
    bool v = parse_primary();
    while (at('\'')) {
      v = !v;
      ++i_;
    }
    return v;
  }
  bool parse_primary() {
    skip();
    if (i_ >= s_.size()) {
      ok_ = false;
      return false;
    }
    if (s_[i_] == '(') {
      ++i_;
      bool v = parse_or();
      if (at(')'))
        ++i_;
      else
        ok_ = false;
      return v;
    }
    std::string id;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '[' ||
                              s_[i_] == ']' || s_[i_] == '.'))
      id += s_[i_++];
    if (id.empty()) {
      ok_ = false;
      ++i_;
      return false;
    }
    if (id == "0") return false;
    if (id == "1") return true;
    auto it = vars_.find(id);
    if (it == vars_.end()) {
      ok_ = false;
      return false;
    }
    return it->second;
  }
};

// Truth table of a single-output cell's function over its inputs (bit i of the result is the
// output for the input assignment i; input k is bit k of i). nullopt if not evaluable.
std::optional<unsigned> truth_table(const LibCell& c) {
  if (c.outputs.size() != 1 || c.inputs.size() > 4) return std::nullopt;
  const std::string& f = c.pins.at(c.outputs[0]).function;
  if (f.empty()) return std::nullopt;
  unsigned tt = 0;
  for (unsigned a = 0; a < (1u << c.inputs.size()); ++a) {
    std::map<std::string, bool> vars;
    for (size_t k = 0; k < c.inputs.size(); ++k) vars[c.inputs[k]] = ((a >> k) & 1u) != 0;
    auto v = FuncEval(f, vars).eval();
    if (!v) return std::nullopt;
    if (*v) tt |= 1u << a;
  }
  return tt;
}

bool usable(const LibCell& c) { return !c.sequential && !c.dont_use; }

RefCell ref_of(const LibCell& c, const char* how) {
  RefCell r;
  r.name = c.name;
  r.area = c.area;
  r.found_by = how;
  if (c.inputs.size() == 1 && c.outputs.size() == 1) {
    r.in = c.inputs[0];
    r.out = c.outputs[0];
  }
  return r;
}

}  // namespace

RefCell search_nand2(const Liberty& lib) {
  const LibCell* best = nullptr;
  for (const auto& [name, c] : lib.cells) {
    if (!usable(c) || c.inputs.size() != 2) continue;
    auto tt = truth_table(c);
    if (tt && *tt == 0x7u && (!best || c.area < best->area)) best = &c;
  }
  if (best) return ref_of(*best, "function");
  for (const auto& [name, c] : lib.cells) {
    std::string up = name;
    std::transform(up.begin(), up.end(), up.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    if (up.find("NAND2") != std::string::npos && c.area > 0 && (!best || c.area < best->area)) best = &c;
  }
  return best ? ref_of(*best, "name") : RefCell{};
}

RefCell search_buffer(const Liberty& lib) {
  const LibCell* best = nullptr;
  for (const auto& [name, c] : lib.cells) {
    if (!usable(c) || c.inputs.size() != 1) continue;
    auto tt = truth_table(c);
    if (tt && *tt == 0x2u && (!best || c.area < best->area)) best = &c;
  }
  return best ? ref_of(*best, "function") : RefCell{};
}

RefCell search_dff(const Liberty& lib) {
  const LibCell* best = nullptr;
  for (const auto& [name, c] : lib.cells) {
    if (c.dont_use || c.clocked_on.empty() || c.inputs.size() != 2 || c.outputs.empty()) continue;
    if (c.clocked_on.find_first_of("!'") != std::string::npos) continue;  // falling edge
    if (!best || c.area < best->area) best = &c;
  }
  return best ? ref_of(*best, "function") : RefCell{};
}

std::string Liberty::reference_note() const {
  auto one = [](const char* what, const RefCell& r) {
    if (r.name.empty()) return fmt::format("{} none", what);
    const char* how = r.found_by == "table"      ? "from synth/lib/reference_cells.json"
                      : r.found_by == "function" ? "found by its function"
                                                 : "found by its name";
    return fmt::format("{} = {} ({})", what, r.name, how);
  };
  return fmt::format("reference cells of liberty '{}': {}, {}, {}", name, one("NAND2", nand2), one("BUF", buf),
                     one("DFF", dff));
}

// --- The model ------------------------------------------------------------------------------

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "1ns" -> 1, "1ps" -> 1e-3, "1nW" -> 1 (nW), "10uW" -> 1e4 (nW).
double unit_scale(const std::string& v, const std::map<std::string, double>& units, double dflt) {
  std::string s = lower(trim(v));
  size_t k = 0;
  while (k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || s[k] == '.')) ++k;
  double mult = k ? std::atof(s.substr(0, k).c_str()) : 1.0;
  auto it = units.find(trim(s.substr(k)));
  return it == units.end() ? dflt : mult * it->second;
}

int direction(const LGroup& pg) {
  const std::string* d = pg.attr("direction");
  if (!d) return kDirNone;
  const std::string dir = lower(*d);
  return dir == "input" ? kDirIn : dir == "output" ? kDirOut : dir == "inout" ? kDirInout : kDirNone;
}

void collect_pins(const LGroup& g, LibCell& cell, double cap_scale) {
  for (const auto& pg : g.groups) {
    if (pg.name == "pin" || pg.name == "bus" || pg.name == "bundle") {
      LibPin pin;
      pin.dir = direction(pg);
      if (const std::string* c = pg.attr("capacitance")) {
        pin.cap_ff = std::atof(c->c_str()) * cap_scale;
      } else {
        double r = 0, f = 0;
        if (const std::string* rc = pg.attr("rise_capacitance")) r = std::atof(rc->c_str());
        if (const std::string* fc = pg.attr("fall_capacitance")) f = std::atof(fc->c_str());
        pin.cap_ff = std::max(r, f) * cap_scale;
      }
      if (const std::string* ck = pg.attr("clock")) pin.clock = lower(*ck) == "true";
      if (const std::string* fn = pg.attr("function")) pin.function = *fn;
      for (const auto& n : pg.args) {
        cell.pins[trim(n)] = pin;
        if (pg.name != "pin") continue;
        if (pin.dir == kDirIn) cell.inputs.push_back(trim(n));
        if (pin.dir == kDirOut || pin.dir == kDirInout) cell.outputs.push_back(trim(n));
      }
      if (pg.name != "pin") collect_pins(pg, cell, cap_scale);
    } else if (pg.name == "ff" || pg.name == "latch" || pg.name == "ff_bank" || pg.name == "latch_bank" ||
               pg.name == "statetable") {
      cell.sequential = true;
      if (pg.name == "ff")
        if (const std::string* co = pg.attr("clocked_on")) cell.clocked_on = trim(*co);
    }
  }
}

double cap_unit_scale(const LGroup& lib) {  // to fF
  const std::string* cu = lib.attr("capacitive_load_unit");
  if (!cu) return 1.0;
  const size_t comma = cu->find(',');
  if (comma == std::string::npos || cu->find(',', comma + 1) != std::string::npos) return 1.0;
  const double m = std::atof(cu->substr(0, comma).c_str());
  const std::string u = lower(trim(cu->substr(comma + 1)));
  return m * (u == "pf" ? 1000.0 : u == "nf" ? 1e6 : 1.0);
}

double voltage_of(const LGroup& lib) {
  double v = 0;
  if (const std::string* nv = lib.attr("nom_voltage")) v = std::atof(nv->c_str());
  // The default operating conditions' voltage is what OpenSTA uses for switching power.
  if (const std::string* dflt = lib.attr("default_operating_conditions"))
    for (const auto& g : lib.groups)
      if (g.name == "operating_conditions" && !g.args.empty() && trim(g.args[0]) == trim(*dflt))
        if (const std::string* ov = g.attr("voltage")) v = std::atof(ov->c_str());
  return v;
}

// The reference cells: from the table when it names the library, else searched.
void find_references(Liberty& L, const char* tool) {
  const nlohmann::json table = nlohmann::json::parse(kReferenceCellsJson);
  const auto entry = table.find(L.name);
  if (entry == table.end()) {
    L.nand2 = search_nand2(L);
    L.buf = search_buffer(L);
    L.dff = search_dff(L);
    return;
  }
  auto named = [&](const char* role) {
    RefCell r;
    const auto it = entry->find(role);
    if (it == entry->end() || !it->is_string()) return r;
    const LibCell* c = L.cell(it->get<std::string>());
    if (!c)
      fail(tool, fmt::format("synth/lib/reference_cells.json: field '{}.{}': value '{}' is not a cell of liberty "
                             "'{}' ({})",
                             L.name, role, it->get<std::string>(), L.path, "name one of its cells"));
    return ref_of(*c, "table");
  };
  L.nand2 = named("nand2");
  L.buf = named("buf");
  L.dff = named("dff");
  if (!L.buf.name.empty() && L.buf.in.empty())
    fail(tool, fmt::format("synth/lib/reference_cells.json: field '{}.buf': value '{}' is not allowed (a cell with "
                           "one input and one output)",
                           L.name, L.buf.name));
}

Liberty read_liberty(const fs::path& path, const char* tool) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail(tool, fmt::format("liberty file '{}' not found", path.string()));
  const LGroup root = parse_liberty(read_text(path, "liberty file", tool), path.string(), tool);
  const LGroup* lib = nullptr;
  for (const auto& g : root.groups)
    if (g.name == "library") lib = &g;
  if (!lib) fail(tool, fmt::format("liberty file '{}' has no library group", path.string()));
  Liberty L;
  L.path = path.string();
  L.name = lib->args.empty() ? std::string("unnamed") : trim(lib->args[0]);
  const double cap_scale = cap_unit_scale(*lib);
  L.cap_unit_ff = cap_scale;
  double leak_scale = 1.0;  // to nW
  if (const std::string* lu = lib->attr("leakage_power_unit"))
    leak_scale = unit_scale(*lu, {{"pw", 1e-3}, {"nw", 1.0}, {"uw", 1e3}, {"mw", 1e6}, {"w", 1e9}}, 1.0);
  L.nom_voltage = voltage_of(*lib);
  for (const auto& g : lib->groups) {
    if (g.name != "cell" || g.args.empty()) continue;
    LibCell c;
    c.name = trim(g.args[0]);
    if (const std::string* a = g.attr("area")) c.area = std::atof(a->c_str());
    if (const std::string* d = g.attr("dont_use")) c.dont_use = (*d == "true");
    if (const std::string* lk = g.attr("cell_leakage_power")) c.leakage_nw = std::atof(lk->c_str()) * leak_scale;
    collect_pins(g, c, cap_scale);
    L.cells[c.name] = std::move(c);
  }
  if (L.cells.empty()) fail(tool, fmt::format("liberty file '{}' defines no cells", path.string()));
  find_references(L, tool);
  return L;
}

}  // namespace

std::shared_ptr<const Liberty> load_liberty(const fs::path& path, const char* tool) {
  static std::mutex mu;
  static std::map<std::string, std::pair<std::string, std::shared_ptr<const Liberty>>> cache;
  const std::string key = fs::absolute(path).lexically_normal().string();
  struct stat st {};
  std::string stamp;  // size and modification time: a changed file is read again
  if (::stat(key.c_str(), &st) == 0)
    stamp = fmt::format("{}:{}.{}", static_cast<long long>(st.st_size), static_cast<long long>(st.st_mtim.tv_sec),
                        static_cast<long long>(st.st_mtim.tv_nsec));
  std::lock_guard<std::mutex> lk(mu);
  auto it = cache.find(key);
  if (it != cache.end() && !stamp.empty() && it->second.first == stamp) return it->second.second;
  auto lib = std::make_shared<const Liberty>(read_liberty(path, tool));
  if (!stamp.empty()) cache[key] = {stamp, lib};
  return lib;
}

}  // namespace sharp::synth::detail
