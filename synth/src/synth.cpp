// sharp::synth implementation: Yosys driver (hierarchical and flat flows), `stat`, `check` and log
// parsers, area roll-up, and the FPGA flow. Liberty files are read by liberty.cpp.
#include "sharp/synth.hpp"

#include "common.hpp"
#include "liberty.hpp"
#include "sharp/error.hpp"
#include "sharp/hash.hpp"
#include "sharp/manifest.hpp"
#include "sharp/sram_model.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#ifndef SHARP_DEFAULT_LIBERTY
#define SHARP_DEFAULT_LIBERTY "synth/lib/sharp_generic45.lib"
#endif

namespace sharp::synth {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ------------------------------------------------------------------------------------------
// Small helpers
// ------------------------------------------------------------------------------------------

[[noreturn]] void fail(const std::string& msg) { throw SynthError("synth: " + msg); }

using detail::ChildResult;
using detail::find_executable;
using detail::starts_with;
using detail::trim;
std::string read_text(const fs::path& p, const char* what) { return detail::read_text(p, what, "synth"); }
void write_text(const fs::path& p, const std::string& text) { detail::write_text(p, text, "synth"); }
detail::ChildResult run_child(const std::vector<std::string>& argv,
                              const std::function<void(const std::string&)>& on_line) {
  return detail::run_child(argv, on_line, "synth");
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      if (!cur.empty() && cur.back() == '\r') cur.pop_back();
      lines.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

// A path or name as a Yosys script argument. Yosys passes (tee, dfflibmap, abc, stat...) do not
// strip quotes, so arguments must not need any.
std::string yq(const std::string& s) {
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == ';' || c == '#')
      fail(
          fmt::format("'{}' contains whitespace or one of \" ; #, which a Yosys script cannot "
                      "quote; use another directory",
                      s));
  return s;
}

// Remove Yosys' escaping backslashes in front of identifiers in messages
// ("`\top.\q'" -> "`top.q'"); backslashes inside $paramod names are kept.
std::string clean_ids(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && (i == 0 || s[i - 1] == '`' || s[i - 1] == '.' || s[i - 1] == ' ' || s[i - 1] == '\'')) {
      continue;
    }
    out += s[i];
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Child processes
// ------------------------------------------------------------------------------------------

std::string yosys_missing_message(const std::string& yosys) {
  if (yosys.find('/') != std::string::npos)
    return fmt::format(
        "yosys executable '{}' not found or not executable (install the Debian package "
        "'yosys', or pass --yosys PATH)",
        yosys);
  return fmt::format("{} not found on PATH (install the Debian package 'yosys', or pass --yosys PATH)",
                     yosys.empty() ? std::string("yosys") : yosys);
}

// ------------------------------------------------------------------------------------------
// Design directory: manifest, file list, module declarations
// ------------------------------------------------------------------------------------------

// The design's manifest (sharp::read_manifest), with synth's message for a missing one.
sharp::Manifest load_manifest(const fs::path& design_dir) {
  const fs::path mpath = design_dir / "manifest.json";
  std::error_code ec;
  if (!fs::is_regular_file(mpath, ec))
    fail(fmt::format("'{}' not found (is '{}' a generated design directory?)", mpath.string(), design_dir.string()));
  try {
    return sharp::read_manifest(design_dir);
  } catch (const sharp::Error& e) {
    fail(e.what());
  }
}

// A memory's bits: "bits", else elem_bits x elems (default 1) x depth.
long memory_bits(const sharp::ManifestMemory& m) {
  const long bits = m.bits > 0 ? m.bits : m.elem_bits * std::max(1L, m.elems) * m.depth;
  if (bits < 0)
    fail(fmt::format("manifest.json: field 'memories[{}].bits': value {} is not allowed (>= 0)", m.path, bits));
  return bits;
}

struct SourceFile {
  fs::path path;
  std::vector<std::string> modules;  // declared modules
};

std::vector<std::string> declared_modules(const std::string& text) {
  // Strip comments (keeping newlines), then find "module <name>".
  std::string s;
  s.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t e = text.find("*/", i + 2);
      i = (e == std::string::npos) ? text.size() : e + 2;
      s += ' ';
    } else if (text[i] == '"') {
      s += ' ';
      ++i;
      while (i < text.size() && text[i] != '"' && text[i] != '\n') i += (text[i] == '\\') ? 2 : 1;
      ++i;
    } else {
      s += text[i++];
    }
  }
  static const std::regex re(R"(\b(?:macro)?module\s+(?:(?:automatic|static)\s+)?([A-Za-z_][A-Za-z0-9_$]*))");
  std::vector<std::string> mods;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    mods.push_back((*it)[1].str());
  return mods;
}

std::vector<SourceFile> read_filelist(const fs::path& design_dir, const std::string& filelist,
                                      std::vector<fs::path>& incdirs, std::vector<std::string>& notes) {
  fs::path fpath = design_dir / filelist;
  std::error_code ec;
  if (!fs::is_regular_file(fpath, ec)) fail(fmt::format("file list '{}' not found", fpath.string()));
  std::vector<SourceFile> files;
  for (const auto& raw : split_lines(read_text(fpath, "file list"))) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || starts_with(line, "//")) continue;
    if (starts_with(line, "+incdir+")) {
      std::string rest = line.substr(8);
      size_t b = 0;
      while (b <= rest.size()) {
        size_t e = rest.find('+', b);
        if (e == std::string::npos) e = rest.size();
        if (e > b) {
          fs::path d = rest.substr(b, e - b);
          incdirs.push_back(d.is_absolute() ? d : design_dir / d);
        }
        b = e + 1;
      }
      continue;
    }
    if (line[0] == '+' || line[0] == '-') {
      notes.push_back(fmt::format("{}: option line ignored: {}", filelist, line));
      continue;
    }
    fs::path p = line;
    if (!p.is_absolute()) p = design_dir / p;
    if (!fs::is_regular_file(p, ec)) fail(fmt::format("'{}' (listed in {}) not found", p.string(), fpath.string()));
    SourceFile sf;
    sf.path = fs::absolute(p).lexically_normal();
    sf.modules = declared_modules(read_text(p, "source file"));
    files.push_back(std::move(sf));
  }
  if (files.empty()) fail(fmt::format("file list '{}' names no files", fpath.string()));
  return files;
}

// ------------------------------------------------------------------------------------------
// Yosys names
// ------------------------------------------------------------------------------------------

std::string decode_param_value(const std::string& v) {
  // Yosys constant: [s]<width>'<bits>
  size_t q = v.find('\'');
  if (q == std::string::npos || q == 0) return v;
  bool is_signed = v[0] == 's';
  std::string width = v.substr(is_signed ? 1 : 0, q - (is_signed ? 1 : 0));
  std::string bits = v.substr(q + 1);
  if (width.empty() || bits.empty() ||
      !std::all_of(width.begin(), width.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      !std::all_of(bits.begin(), bits.end(), [](char c) { return c == '0' || c == '1'; }))
    return v;
  size_t first = bits.find('1');
  if (first == std::string::npos) return "0";
  if (bits.size() - first > 62) return v;
  long long val = 0;
  for (size_t k = first; k < bits.size(); ++k) val = val * 2 + (bits[k] == '1');
  if (is_signed && bits[0] == '1') val -= (1LL << bits.size());
  return std::to_string(val);
}

struct NameInfo {
  std::string base;
  std::string params;
};

NameInfo decode_name(const std::string& yname) {
  NameInfo ni;
  std::string s = yname;
  if (!s.empty() && s[0] == '\\') s.erase(0, 1);
  if (!starts_with(s, "$paramod")) {
    ni.base = s;
    return ni;
  }
  std::string rest = s.substr(8);
  if (!rest.empty() && rest[0] == '$') {  // $paramod$<hash>\name
    size_t bs = rest.find('\\');
    if (bs == std::string::npos) {
      ni.base = s;
      return ni;
    }
    std::string hash = rest.substr(1, bs - 1);
    ni.base = rest.substr(bs + 1);
    ni.params = "hash " + hash.substr(0, 10);
    return ni;
  }
  if (!rest.empty() && rest[0] == '\\') rest.erase(0, 1);
  size_t bs = rest.find('\\');
  ni.base = rest.substr(0, bs);
  if (bs == std::string::npos) return ni;
  std::string plist = rest.substr(bs + 1);
  std::vector<std::string> parts;
  size_t b = 0;
  while (b <= plist.size()) {
    size_t e = plist.find('\\', b);
    if (e == std::string::npos) e = plist.size();
    std::string p = plist.substr(b, e - b);
    size_t eq = p.find('=');
    if (eq != std::string::npos) p = p.substr(0, eq + 1) + decode_param_value(p.substr(eq + 1));
    if (!p.empty()) parts.push_back(p);
    b = e + 1;
  }
  for (size_t k = 0; k < parts.size(); ++k) ni.params += (k ? "," : "") + parts[k];
  return ni;
}

std::string display_name(const std::string& base, const std::string& params) {
  return params.empty() ? base : base + "(" + params + ")";
}

// ------------------------------------------------------------------------------------------
// Output parsers
// ------------------------------------------------------------------------------------------

struct StatModule {
  std::string name;
  std::vector<std::pair<std::string, long>> types;  // in stat order
  double area = -1;
};

struct StatResult {
  std::map<std::string, StatModule> modules;
  double top_area = -1;
};

double parse_area_tail(const std::string& line) {
  size_t c = line.rfind(": ");
  if (c == std::string::npos) return -1;
  return std::atof(line.c_str() + c + 2);
}

StatResult parse_stat(const std::string& text) {
  StatResult r;
  StatModule* cur = nullptr;
  bool hierarchy = false, in_cells = false;
  for (const auto& line : split_lines(text)) {
    std::string t = trim(line);
    if (starts_with(t, "=== ") && t.size() >= 8 && t.compare(t.size() - 4, 4, " ===") == 0) {
      std::string name = t.substr(4, t.size() - 8);
      in_cells = false;
      if (name == "design hierarchy") {
        hierarchy = true;
        cur = nullptr;
      } else {
        hierarchy = false;
        StatModule m;
        m.name = name;
        cur = &(r.modules[name] = std::move(m));
      }
      continue;
    }
    if (hierarchy) {
      if (starts_with(t, "Chip area for top module")) r.top_area = parse_area_tail(t);
      continue;
    }
    if (!cur) continue;
    if (t.empty()) {
      in_cells = false;
      continue;
    }
    if (starts_with(t, "Number of cells:")) {
      in_cells = true;
      continue;
    }
    if (starts_with(t, "Chip area for module")) {
      cur->area = parse_area_tail(t);
      in_cells = false;
      continue;
    }
    if (in_cells) {
      size_t sp = t.find_last_of(" \t");
      if (sp == std::string::npos) continue;
      std::string count = t.substr(sp + 1);
      if (count.empty() || !std::all_of(count.begin(), count.end(), [](unsigned char c) { return std::isdigit(c); }))
        continue;
      cur->types.emplace_back(trim(t.substr(0, sp)), std::atol(count.c_str()));
    }
  }
  return r;
}

struct CheckResult {
  long problems = 0;
  std::vector<std::string> messages;
};

CheckResult parse_check(const std::string& text) {
  CheckResult c;
  static const std::regex found(R"(Found and reported (\d+) problems)");
  for (const auto& line : split_lines(text)) {
    std::smatch m;
    if (starts_with(line, "Warning: ")) {
      c.messages.push_back(clean_ids(trim(line.substr(9))));
    } else if (std::regex_search(line, m, found)) {
      c.problems += std::atol(m[1].str().c_str());
    }
  }
  return c;
}

struct LogInfo {
  std::vector<std::string> latches;            // "Latch inferred for signal ..." (cleaned, deduplicated)
  std::map<std::string, double> abc_delay_ps;  // module -> stime delay (last ABC pass wins)
  std::vector<std::string> warnings;
  // Parameters of derived modules, from the "Parameter \X = V" lines Yosys prints before
  // "Generating RTLIL representation for module `$paramod...'" (needed for hashed names).
  std::map<std::string, std::string> derived_params;
};

LogInfo parse_log(const std::string& text) {
  LogInfo li;
  static const std::regex extract(R"(Extracting gate netlist of module `(.*)' to )");
  static const std::regex delay(R"(Delay\s*=\s*([0-9.eE+-]+)\s*ps)");
  std::string abc_module;
  std::set<std::string> seen_latch, seen_warn;
  std::vector<std::string> params;
  static const std::string gen = "Generating RTLIL representation for module `";
  for (const auto& line : split_lines(text)) {
    std::smatch m;
    if (line.find("Executing AST frontend in derive mode") != std::string::npos) {
      params.clear();
    } else if (starts_with(line, "Parameter ")) {
      size_t eq = line.find(" = ");
      if (eq != std::string::npos) {
        std::string name = line.substr(10, eq - 10);
        size_t lp = name.find('(');
        if (lp != std::string::npos) name = name.substr(lp + 1, name.find(')', lp) - lp - 1);
        if (!name.empty() && name[0] == '\\') name.erase(0, 1);
        params.push_back(name + "=" + decode_param_value(trim(line.substr(eq + 3))));
      }
    } else if (starts_with(line, gen)) {
      std::string mod = line.substr(gen.size());
      size_t q = mod.rfind("'.");
      if (q != std::string::npos) mod = mod.substr(0, q);
      if (starts_with(mod, "$paramod") && !params.empty()) {
        std::string joined;
        for (size_t k = 0; k < params.size(); ++k) joined += (k ? "," : "") + params[k];
        li.derived_params[mod] = joined;
      }
      params.clear();
    } else if (line.find("Extracting gate netlist of module") != std::string::npos &&
               std::regex_search(line, m, extract)) {
      abc_module = m[1].str();
      if (!abc_module.empty() && abc_module[0] == '\\') abc_module.erase(0, 1);
    } else if (starts_with(line, "ABC: ") && line.find("Delay =") != std::string::npos &&
               std::regex_search(line, m, delay)) {
      if (!abc_module.empty()) li.abc_delay_ps[abc_module] = std::atof(m[1].str().c_str());
    } else if (starts_with(line, "Latch inferred for signal")) {
      std::string msg = line;
      size_t from = msg.find(" from ");
      if (from != std::string::npos) msg = msg.substr(0, from);
      msg = clean_ids(msg);
      if (seen_latch.insert(msg).second) li.latches.push_back(msg);
    } else if (starts_with(line, "Warning: ")) {
      std::string w = clean_ids(trim(line.substr(9)));
      if (seen_warn.insert(w).second) li.warnings.push_back(w);
    }
  }
  return li;
}

// ------------------------------------------------------------------------------------------
// Report text
// ------------------------------------------------------------------------------------------

std::string fmt_num(double v, int prec) { return fmt::format("{:.{}f}", v, prec); }

// The hash of a file's bytes: the script records the inputs' contents, so an unchanged script
// means unchanged inputs and Yosys' earlier results can be reused.
std::string content_hash(const fs::path& p) { return sharp::file_hash(p); }

// The Yosys executable (resolved) and its version line; throws when missing or broken.
fs::path resolve_yosys(const std::string& yosys, std::string* version) {
  auto exe = find_executable(yosys);
  if (!exe) fail(yosys_missing_message(yosys));
  if (!yosys_available(exe->string(), version))
    fail(fmt::format("'{}' does not run (`{} -V` failed)", exe->string(), yosys));
  return *exe;
}

// An absolute work directory, created.
fs::path make_work_dir(const fs::path& dir) {
  if (dir.empty()) fail("no work directory given");
  const fs::path work = fs::absolute(dir).lexically_normal();
  std::error_code ec;
  fs::create_directories(work, ec);
  if (ec) fail(fmt::format("cannot create work directory '{}': {}", work.string(), ec.message()));
  return work;
}

// " -I<dir>" for every include directory of the file list, the design and the sources' folders.
std::string include_flags(const std::vector<fs::path>& incdirs, const fs::path& design_dir,
                          const std::vector<SourceFile>& files) {
  std::set<std::string> seen;
  std::string inc;
  auto add = [&](const fs::path& d) {
    std::string s = d.lexically_normal().string();
    if (seen.insert(s).second) inc += " -I" + yq(s);
  };
  for (const auto& d : incdirs) add(fs::absolute(d));
  add(design_dir);
  for (const auto& f : files) add(f.path.parent_path());
  return inc;
}

}  // namespace

// ------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------

fs::path default_liberty() { return fs::path(SHARP_DEFAULT_LIBERTY); }

std::optional<BufferCell> liberty_buffer(const fs::path& liberty) {
  const auto L = detail::load_liberty(liberty, "synth");
  if (L->buf.name.empty()) return std::nullopt;
  return BufferCell{L->buf.name, L->buf.in, L->buf.out, L->buf.area};
}

bool yosys_available(const std::string& yosys, std::string* version) {
  auto exe = find_executable(yosys);
  if (!exe) return false;
  try {
    std::string first;
    auto res = run_child({exe->string(), "-V"}, [&](const std::string& l) {
      if (first.empty() && !trim(l).empty()) first = trim(l);
    });
    if (res.signal != 0 || res.exit_code != 0) return false;
    if (version) *version = first;
    return true;
  } catch (const SynthError&) {
    return false;
  }
}

json Report::to_json() const {
  json j;
  j["top"] = top;
  j["liberty_name"] = liberty_name;
  j["liberty_path"] = liberty_path;
  j["nand2_cell"] = nand2_cell;
  j["nand2_area_um2"] = nand2_area_um2;
  json mods = json::array();
  for (const auto& m : modules) {
    json jm;
    jm["module"] = m.module;
    jm["params"] = m.params;
    jm["yosys_name"] = m.yosys_name;
    jm["block"] = m.block;
    jm["instances"] = m.instances;
    jm["cells_each"] = m.cells_each;
    jm["area_each_um2"] = m.area_each_um2;
    jm["nand2_eq_each"] = m.nand2_eq_each;
    jm["area_total_um2"] = m.area_total_um2;
    jm["unmapped_cells_each"] = m.unmapped_cells_each;
    jm["cell_types"] = m.cell_types;
    mods.push_back(std::move(jm));
  }
  j["modules"] = std::move(mods);
  j["block_area_um2"] = block_area_um2;
  json mems = json::array();
  for (const auto& m : memories)
    mems.push_back({{"path", m.path},
                    {"module", m.module},
                    {"bits", m.bits},
                    {"depth", m.depth},
                    {"width_bits", m.width_bits},
                    {"buffer", m.buffer},
                    {"base", m.base},
                    {"area_um2", m.area_um2},
                    {"block", m.block}});
  j["memories"] = std::move(mems);
  j["memory_area_um2"] = memory_area_um2;
  j["sram_model"] = sram_model;
  j["logic_area_um2"] = logic_area_um2;
  j["logic_cells"] = logic_cells;
  j["flip_flops"] = flip_flops;
  j["total_area_um2"] = total_area_um2;
  j["total_nand2_eq"] = nand2_area_um2 > 0 ? total_area_um2 / nand2_area_um2 : 0.0;
  j["check_problems"] = check_problems;
  j["check_messages"] = check_messages;
  j["abc_delay_ns"] = abc_delay_ns;
  j["abc_delay_module"] = abc_delay_module;
  j["yosys_top_area_um2"] = yosys_top_area_um2;
  j["flattened"] = flattened;
  j["yosys"] = {{"version", yosys_version},  {"seconds", yosys_seconds}, {"reused", reused},
                {"log", log_path},           {"netlist", netlist_path},  {"netlist_json", netlist_json},
                {"warnings", yosys_warnings}};
  j["notes"] = notes;
  return j;
}

std::string Report::table() const {
  struct Row {
    double logic = 0, mem = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& m : modules) rows[m.block].logic += m.area_total_um2;
  for (const auto& m : memories) rows[m.block].mem += m.area_um2;
  std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.logic + a.second.mem > b.second.logic + b.second.mem;
  });
  auto eq = [&](double a) { return nand2_area_um2 > 0 ? a / nand2_area_um2 : 0.0; };
  auto share = [&](double a) { return total_area_um2 > 0 ? 100.0 * a / total_area_um2 : 0.0; };

  std::string out;
  out +=
      fmt::format("Area estimate for {} with liberty {} (NAND2 = {} {} um2){}\n", top, liberty_name,
                  nand2_cell.empty() ? "?" : nand2_cell, fmt_num(nand2_area_um2, 3), flattened ? " [flattened]" : "");
  const std::string rule(88, '-');
  out += fmt::format("{:<26}{:>14}{:>14}{:>14}{:>12}{:>8}\n", "block", "logic um2", "memory um2", "total um2",
                     "NAND2-eq", "share");
  out += rule + "\n";
  for (const auto& [block, r] : sorted) {
    double t = r.logic + r.mem;
    out += fmt::format("{:<26}{:>14}{:>14}{:>14}{:>12}{:>7}%\n", block, fmt_num(r.logic, 1), fmt_num(r.mem, 1),
                       fmt_num(t, 1), fmt_num(eq(t), 0), fmt_num(share(t), 1));
  }
  out += rule + "\n";
  out += fmt::format("{:<26}{:>14}{:>14}{:>14}{:>12}{:>7}%\n", "total", fmt_num(logic_area_um2, 1),
                     fmt_num(memory_area_um2, 1), fmt_num(total_area_um2, 1), fmt_num(eq(total_area_um2), 0),
                     fmt_num(total_area_um2 > 0 ? 100.0 : 0.0, 1));
  long mem_bits = 0;
  for (const auto& m : memories) mem_bits += m.bits;
  out +=
      fmt::format("logic: {} cells ({} flip-flops) in {} distinct modules\n", logic_cells, flip_flops, modules.size());
  out += fmt::format(
      "memories: {} SRAM macros, {} bits, {} um2/bit; area per macro from the SRAM model v{} "
      "(fit of published 45/40 nm macros, scaled by the NAND2 ratio)\n",
      memories.size(), mem_bits, fmt_num(mem_bits > 0 ? memory_area_um2 / mem_bits : 0.0, 3),
      sram_model.is_object() ? sram_model.value("version", 0) : 0);
  out += fmt::format("check: {} problem{}\n", check_problems, check_problems == 1 ? "" : "s");
  for (const auto& m : check_messages) out += "  " + m + "\n";
  if (abc_delay_ns >= 0)
    out += fmt::format("ABC delay estimate: {} ns (longest combinational path inside one module: {})\n",
                       fmt_num(abc_delay_ns, 3), abc_delay_module);
  return out;
}

std::string Report::module_table() const {
  auto share = [&](double a) { return total_area_um2 > 0 ? 100.0 * a / total_area_um2 : 0.0; };
  constexpr size_t kMaxName = 56;  // long parameter lists are cut (full list in to_json())
  auto shown = [&](const std::string& n) { return n.size() <= kMaxName ? n : n.substr(0, kMaxName - 3) + "..."; };
  size_t w = 24, wb = 16;
  for (const auto& m : modules) {
    w = std::max(w, shown(display_name(m.module, m.params)).size() + 2);
    wb = std::max(wb, m.block.size() + 2);
  }
  for (const auto& m : memories) {
    w = std::max(w, shown(m.path).size() + 2);
    wb = std::max(wb, m.block.size() + 2);
  }
  std::string out;
  out += fmt::format("{:<{}}{:<{}}{:>9}{:>10}{:>13}{:>14}{:>8}\n", "module", w, "block", wb, "inst", "cells",
                     "um2 each", "um2 total", "share");
  out += std::string(w + wb + 54, '-') + "\n";
  for (const auto& m : modules) {
    out += fmt::format("{:<{}}{:<{}}{:>9}{:>10}{:>13}{:>14}{:>7}%\n", shown(display_name(m.module, m.params)), w,
                       m.block, wb, m.instances, m.cells_each, fmt_num(m.area_each_um2, 1),
                       fmt_num(m.area_total_um2, 1), fmt_num(share(m.area_total_um2), 1));
  }
  if (!memories.empty()) {
    out += "\n";
    size_t wm = 8;
    for (const auto& m : memories) wm = std::max(wm, m.module.size() + 2);
    out += fmt::format("{:<{}}{:<{}}{:<{}}{:>14}{:>12}{:>14}{:>8}\n", "memory instance", w, "block", wb, "module", wm,
                       "words x bits", "bits", "um2", "share");
    out += std::string(w + wb + wm + 48, '-') + "\n";
    for (const auto& m : memories) {
      out += fmt::format("{:<{}}{:<{}}{:<{}}{:>14}{:>12}{:>14}{:>7}%\n", shown(m.path), w, m.block, wb, m.module, wm,
                         fmt::format("{}x{}", m.depth, m.width_bits), m.bits, fmt_num(m.area_um2, 1),
                         fmt_num(share(m.area_um2), 1));
    }
  }
  return out;
}

namespace {

// An exclusive lock on a work directory for the life of the object: two runs in the same
// directory (two test processes, two users) would overwrite each other's scripts and results;
// the second waits and then usually reuses the first one's results.
class WorkLock {
 public:
  WorkLock(const fs::path& work, bool verbose) {
    const fs::path p = work / "synth.lock";
    fd_ = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail(fmt::format("cannot open lock file '{}': {}", p.string(), std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (verbose) std::cerr << fmt::format("synth: waiting for another run in {}\n", work.string());
      while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
          ::close(fd_);
          fail(fmt::format("cannot lock '{}': {}", p.string(), std::strerror(errno)));
        }
      }
    }
  }
  ~WorkLock() { ::close(fd_); }
  WorkLock(const WorkLock&) = delete;
  WorkLock& operator=(const WorkLock&) = delete;

 private:
  int fd_ = -1;
};

// Runs one Yosys script; throws with the log's error (or the output's last lines) on failure.
void run_yosys(const fs::path& exe, const fs::path& script, const fs::path& log, bool verbose,
               const std::string& label) {
  static const std::regex progress(R"(^(\d+\. Executing |\d+\.\d+\. Extracting gate netlist ))");
  ChildResult res = run_child({exe.string(), "-l", log.string(), "-s", script.string()}, [&](const std::string& line) {
    if (verbose && label.empty() && std::regex_search(line, progress)) std::cerr << "synth: [yosys] " << line << "\n";
  });
  if (res.signal == 0 && res.exit_code == 0) return;
  std::string err;
  {
    std::ifstream in(log, std::ios::binary);
    std::string line;
    while (in && std::getline(in, line))
      if (starts_with(line, "ERROR: ")) err = trim(line);
  }
  if (err.empty())
    for (auto it = res.tail.rbegin(); it != res.tail.rend(); ++it)
      if (starts_with(trim(*it), "ERROR")) {
        err = trim(*it);
        break;
      }
  if (err.empty())
    for (auto it = res.tail.rbegin(); it != res.tail.rend(); ++it)
      if (!trim(*it).empty()) {
        err = trim(*it);
        break;
      }
  std::string how =
      res.signal ? fmt::format("killed by signal {}", res.signal) : fmt::format("exit code {}", res.exit_code);
  fail(fmt::format("yosys failed{} ({}): {} (log: {})", label.empty() ? "" : " on " + label, how,
                   err.empty() ? "no output" : err, log.string()));
}

struct PhaseInputs {
  fs::path yosys;
  fs::path work;
  std::string reads;    // read_verilog lines of every source file
  std::string L;        // quoted liberty path
  std::string abc_cmd;  // the abc line
  std::string top;
  std::map<std::string, std::string> blocks;  // module base name -> block (the manifest's)
  std::set<std::string> memories;             // memory (black-box) module base names
  int jobs = 0;                               // parallel Yosys processes (0: one per hardware thread)
  bool verbose = false;
  bool reuse = false;  // results of an identical flow are in work: parse only
};

// Phases 1-3 of the hierarchical flow (see the record in synth.ys). Returns the statistics of
// every module reachable from the top; `logs` gets every phase's log in order, `checks` the
// per-module `check` outputs. `mods` gets the module names (index = file number), `inlined`
// the (parent, child) pairs synthesized as one module.
StatResult run_phases(const PhaseInputs& in, std::vector<fs::path>& logs, std::vector<fs::path>& checks,
                      std::vector<std::string>& mods, std::vector<std::pair<std::string, std::string>>& inlined) {
  const fs::path& w = in.work;
  auto q = [](const fs::path& p) { return yq(p.string()); };
  std::error_code ec;
  // 1. Elaborate.
  const fs::path elab_ys = w / "elab.ys", elab_log = w / "elab.log", elab_stat = w / "elab_stat.txt";
  const fs::path elab_il = w / "elab.il";
  logs.push_back(elab_log);
  if (!in.reuse) {
    std::string ys = "# sharpgen synth, phase 1: elaborate (generated; do not edit)\n" + in.reads;
    ys += fmt::format("hierarchy -check -top {}\nproc\n", yq(in.top));
    ys += fmt::format("tee -o {} check\n", q(w / "check_rtl.txt"));
    ys += fmt::format("tee -o {} stat\n", q(elab_stat));
    ys += fmt::format("write_rtlil {}\n", q(elab_il));
    write_text(elab_ys, ys);
    if (in.verbose) std::cerr << "synth: phase 1/3: elaborating the design\n";
    run_yosys(in.yosys, elab_ys, elab_log, false, "");
  }
  StatResult elab = parse_stat(read_text(elab_stat, "statistics"));
  if (!elab.modules.count(in.top))
    fail(fmt::format("elaboration gave no module '{}' (log: {})", in.top, elab_log.string()));
  // A child instantiated once by a parent of the same block is synthesized inside that parent
  // (flattened into it in phase 2): the per-block breakdown is unchanged, and the parent's
  // synthesis sees the child's constants and unused outputs, as a flat synthesis would. Only
  // single instances, so that a repeated module (a row's multipliers, the lanes) stays one
  // module synthesized once.
  auto block_of = [&](const std::string& m) {
    const std::string base = decode_name(m).base;
    if (in.memories.count(base)) return std::string();
    auto b = in.blocks.find(base);
    return b == in.blocks.end() ? std::string() : b->second;
  };
  auto inline_edge = [&](const std::string& parent, const std::string& child, long count) {
    const std::string bp = block_of(parent);
    return count == 1 && !bp.empty() && bp == block_of(child);
  };
  std::map<std::string, std::set<std::string>> closure;  // module -> modules flattened into it
  std::map<std::string, std::set<std::string>> eff;      // module -> its children after that
  std::function<void(const std::string&)> walk = [&](const std::string& m) {
    if (eff.count(m)) return;
    eff[m];
    for (const auto& [type, cnt] : elab.modules.at(m).types) {
      if (!elab.modules.count(type)) continue;
      walk(type);
      if (inline_edge(m, type, cnt)) {
        closure[m].insert(type);
        closure[m].insert(closure[type].begin(), closure[type].end());
        eff[m].insert(eff[type].begin(), eff[type].end());
      } else {
        eff[m].insert(type);
      }
    }
  };
  walk(in.top);
  // Modules to synthesize: reachable from the top through the remaining instances.
  std::set<std::string> reach;
  std::function<void(const std::string&)> keep = [&](const std::string& m) {
    if (!reach.insert(m).second) return;
    for (const auto& c : eff[m]) keep(c);
  };
  keep(in.top);
  mods.assign(reach.begin(), reach.end());
  inlined.clear();
  for (const auto& m : mods)
    for (const auto& c : closure[m]) inlined.emplace_back(m, c);
  const size_t n = mods.size();
  auto file = [&](size_t i, const char* ext) { return w / fmt::format("mod_{:03d}{}", i, ext); };

  // 2. Split: each module with its sub-modules as black boxes, in a file of its own.
  const fs::path split_ys = w / "split.ys", split_log = w / "split.log", stubs = w / "stubs.v";
  logs.push_back(split_log);
  if (!in.reuse) {
    std::string ys = "# sharpgen synth, phase 2: one file per module (generated; do not edit)\n";
    ys += fmt::format("read_rtlil {}\n", q(elab_il));
    ys += fmt::format("write_verilog -blackboxes {}\n", q(stubs));
    for (size_t i = 0; i < n; ++i) {
      ys += "design -push-copy\n";
      ys += fmt::format("hierarchy -top {}\n", yq(mods[i]));
      if (!closure[mods[i]].empty()) {
        ys += "setattr -mod -set keep_hierarchy 1 *\n";
        for (const auto& c : closure[mods[i]]) ys += fmt::format("setattr -mod -unset keep_hierarchy {}\n", yq(c));
        ys += fmt::format("flatten {}\nhierarchy -top {}\n", yq(mods[i]), yq(mods[i]));
      }
      ys += fmt::format("blackbox * {} %d\n", yq(mods[i]));
      ys += fmt::format("write_rtlil {}\ndesign -pop\n", q(file(i, ".il")));
    }
    write_text(split_ys, ys);
    if (in.verbose) std::cerr << fmt::format("synth: phase 2/3: splitting into {} modules\n", n);
    run_yosys(in.yosys, split_ys, split_log, false, "");
  }

  // 3. Every module, largest first (by the size of its RTLIL file, which grows with its wires
  // as well as its cells), `jobs` at a time.
  std::vector<size_t> order(n);
  std::vector<uintmax_t> size(n, 0);
  for (size_t i = 0; i < n; ++i) {
    order[i] = i;
    size[i] = fs::file_size(file(i, ".il"), ec);
    if (ec) size[i] = 0;
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size[a] > size[b]; });
  for (size_t i = 0; i < n; ++i) {
    logs.push_back(file(i, ".log"));
    checks.push_back(file(i, "_check.txt"));
  }
  if (!in.reuse) {
    for (size_t i = 0; i < n; ++i) {
      std::string ys = fmt::format("# sharpgen synth, phase 3: module {} (generated; do not edit)\n", mods[i]);
      ys += fmt::format("read_rtlil {}\n", q(file(i, ".il")));
      ys += fmt::format("synth -top {} -noabc\n", yq(mods[i]));
      ys += fmt::format("tee -o {} check\n", q(file(i, "_check.txt")));
      ys += fmt::format("dfflibmap -liberty {}\n", in.L);
      ys += in.abc_cmd;
      ys += "opt_clean\n";
      ys += fmt::format("tee -o {} stat -liberty {}\n", q(file(i, "_stat.txt")), in.L);
      ys += fmt::format("write_verilog -noattr -noexpr {}\n", q(file(i, ".v")));
      ys += fmt::format("write_json {}\n", q(file(i, ".json")));
      write_text(file(i, ".ys"), ys);
    }
    unsigned hw = std::thread::hardware_concurrency();
    size_t jobs = in.jobs > 0 ? static_cast<size_t>(in.jobs) : std::max(1u, hw);
    jobs = std::min(jobs, n);
    if (in.verbose) std::cerr << fmt::format("synth: phase 3/3: synthesizing {} modules, {} at a time\n", n, jobs);
    std::atomic<size_t> next{0};
    std::atomic<size_t> finished{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::exception_ptr first_error;
    auto worker = [&]() {
      while (!stop) {
        size_t k = next++;
        if (k >= n) return;
        size_t i = order[k];
        auto t = std::chrono::steady_clock::now();
        try {
          run_yosys(in.yosys, file(i, ".ys"), file(i, ".log"), false, decode_name(mods[i]).base);
        } catch (...) {
          std::lock_guard<std::mutex> lk(mu);
          if (!first_error) first_error = std::current_exception();
          stop = true;
          return;
        }
        double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        size_t f = ++finished;
        if (in.verbose) {
          std::lock_guard<std::mutex> lk(mu);
          std::cerr << fmt::format("synth: [{}/{}] {} in {:.1f} s\n", f, n, decode_name(mods[i]).base, sec);
        }
      }
    };
    std::vector<std::thread> pool;
    for (size_t j = 0; j < jobs; ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    if (first_error) std::rethrow_exception(first_error);
  }
  StatResult st;
  for (size_t i = 0; i < n; ++i) {
    const fs::path sp = file(i, "_stat.txt");
    if (!fs::is_regular_file(sp, ec))
      fail(fmt::format("yosys wrote no statistics '{}' (log: {})", sp.string(), file(i, ".log").string()));
    StatResult one = parse_stat(read_text(sp, "statistics"));
    auto it = one.modules.find(mods[i]);
    if (it == one.modules.end()) fail(fmt::format("no statistics for module '{}' in '{}'", mods[i], sp.string()));
    st.modules[mods[i]] = it->second;
  }

  return st;
}

// The mapped modules of phase 3 joined into one hierarchical netlist: their Verilog files one
// after the other (each holds its one module; memories stay black boxes, undefined). A Yosys
// run reading them back took longer than the synthesis at 64K MACs (>9 min in write_verilog);
// this takes seconds. (On tiny, OpenSTA's critical path is 4.43 ns on this netlist and 4.56 ns on
// that one, whose `insbuf` put a buffer on every `assign`.)
void join_netlist(const PhaseInputs& in, const std::vector<std::string>& mods, const fs::path& log) {
  const fs::path& w = in.work;
  auto file = [&](size_t i) { return w / fmt::format("mod_{:03d}.v", i); };
  std::string text =
      fmt::format("/* sharpgen synth: {} mapped modules of '{}', hierarchical (generated) */\n", mods.size(), in.top);
  for (size_t i = 0; i < mods.size(); ++i) {
    std::error_code ec;
    if (!fs::is_regular_file(file(i), ec))
      fail(fmt::format("the mapped netlist of module '{}' is missing: '{}' (rerun with --force)", mods[i],
                       file(i).string()));
    text += read_text(file(i), "mapped netlist");
  }
  if (in.verbose) std::cerr << fmt::format("synth: joining {} mapped modules into netlist.v\n", mods.size());
  write_text(w / "netlist.v", text);
  write_text(log, fmt::format("netlist.v: the mapped netlists mod_000.v .. mod_{:03d}.v, concatenated\n",
                              mods.empty() ? 0 : mods.size() - 1));
}

}  // namespace

namespace {

// Everything run() settles before Yosys runs: tools, inputs, paths and the flow's record.
struct Flow {
  fs::path yosys_exe;
  std::string version;
  fs::path design_dir, work, lib_path;
  sharp::Manifest man;
  std::set<std::string> mem_modules;  // memory (black-box) module base names
  std::vector<SourceFile> files;
  std::vector<fs::path> incdirs;
  std::vector<std::string> notes;
  std::shared_ptr<const detail::Liberty> lib;
  SramModel sram;         // the memory model (table and fits)
  std::string sram_path;  // its table file ("" = the embedded one)
  std::string reads, abc_text, abc_cmd, record;
  fs::path script, abc_script, log, check_rtl, netlist, netlist_json, done, stat;
  bool reuse = false;
};

// The tools and the design's inputs; memory modules must sit in files of their own.
void prepare(const Options& opt, Flow& f) {
  f.yosys_exe = resolve_yosys(opt.yosys, &f.version);
  if (opt.design_dir.empty()) fail("no design directory given");
  f.design_dir = fs::absolute(opt.design_dir).lexically_normal();
  f.man = load_manifest(f.design_dir);
  if (!opt.top.empty()) {
    const bool known = std::any_of(f.man.modules.begin(), f.man.modules.end(),
                                   [&](const sharp::ManifestModule& m) { return m.name == opt.top; });
    if (!known) fail(fmt::format("top module '{}' is not a module of the design", opt.top));
    f.man.top = opt.top;
  }
  f.mem_modules.insert(f.man.memory_modules.begin(), f.man.memory_modules.end());
  f.files = read_filelist(f.design_dir, f.man.filelist, f.incdirs, f.notes);
  f.lib_path = fs::absolute(opt.liberty.value_or(default_liberty())).lexically_normal();
  f.lib = detail::load_liberty(f.lib_path, "synth");
  f.sram = load_sram_model(opt.sram_model, "synth");
  if (opt.sram_model) f.sram_path = fs::absolute(*opt.sram_model).lexically_normal().string();
  if (f.lib->nand2.name.empty())
    f.notes.push_back(
        "liberty has no 2-input NAND cell: NAND2-equivalents are 0 and the SRAM "
        "model is not scaled");
  f.notes.push_back(f.lib->reference_note());
  std::set<std::string> mem_found;
  for (const auto& sf : f.files) {
    bool has_mem = false, has_other = false;
    for (const auto& m : sf.modules) {
      if (f.mem_modules.count(m)) {
        has_mem = true;
        mem_found.insert(m);
      } else {
        has_other = true;
      }
    }
    if (has_mem && has_other)
      fail(
          fmt::format("'{}' declares a memory module together with other modules; put memory "
                      "modules in files of their own so they can be black-boxed",
                      sf.path.string()));
  }
  for (const auto& m : f.mem_modules)
    if (!mem_found.count(m)) f.notes.push_back(fmt::format("memory module '{}' is not declared in any listed file", m));
  f.work = make_work_dir(opt.work_dir);
  f.script = f.work / "synth.ys";
  f.abc_script = f.work / "abc.script";
  f.log = f.work / "yosys.log";
  f.check_rtl = f.work / "check_rtl.txt";
  f.netlist = f.work / "netlist.v";
  f.netlist_json = f.work / "netlist.json";
  f.done = f.work / "synth.done";
  f.stat = f.work / "stat.txt";
}

// The whole flow as one text (synth.ys): the record of what was run, compared for reuse.
void write_record(const Options& opt, Flow& f) {
  const std::string inc = include_flags(f.incdirs, f.design_dir, f.files);
  const std::string L = yq(f.lib_path.string());
  const std::string T = yq(f.man.top);
  for (const auto& sf : f.files) {
    bool is_mem = !sf.modules.empty() && std::all_of(sf.modules.begin(), sf.modules.end(),
                                                     [&](const auto& m) { return f.mem_modules.count(m) > 0; });
    f.reads += fmt::format("read_verilog -defer -sv{}{} {}\n", is_mem ? " -lib" : "", inc, yq(sf.path.string()));
  }
  // ABC: Yosys' default script for -liberty without its area rewriting (`dc2`), then
  // `buffer -N 8` (buffer trees on nets with more than 8 loads inside a module: without them
  // the high-fanout control nets make the delays meaningless, and a real flow would insert them
  // too) and `stime -p` for a delay estimate. `synth` runs with -noabc, so this is the only
  // technology mapping. Both choices keep the parallel-prefix carry logic of Yosys' adders: with
  // `dc2` (and `synth`'s own `abc -fast` first) ABC turned the 40-bit accumulator adder into a
  // ripple chain (1.51 ns against 0.57 ns, ABC's estimate, for 9 % less area). The clock is set
  // by such paths, so the flow maps for delay; docs/TIMING_POWER.md.
  f.abc_text =
      "strash; &get -n; &fraig -x; &put; scorr; dretime; strash; &get -n; "
      "&dch -f; &nf; &put; buffer -N 8; stime -p\n";
  f.abc_cmd = opt.abc_delay_estimate ? fmt::format("abc -liberty {} -script {}\n", L, yq(f.abc_script.string()))
                                     : fmt::format("abc -liberty {}\n", L);
  // The flat flow's netlist for OpenSTA-style readers (after stat: no effect on the areas).
  std::string to_netlist = "opt_clean -purge\nsetundef -zero\nsplitnets -ports -format __\n";
  const detail::RefCell& buf = f.lib->buf;
  if (!buf.name.empty()) to_netlist += fmt::format("insbuf -buf {} {} {}\n", buf.name, buf.in, buf.out);
  std::string& ys = f.record;
  ys += "# sharpgen synth: generated script (do not edit)\n";
  ys += fmt::format("# design: {}\n# liberty: {}\n", f.design_dir.string(), f.lib_path.string());
  if (opt.abc_delay_estimate) ys += "# abc script: " + f.abc_text;  // part of the record: a change reruns
  ys += fmt::format("# input {} {}\n", content_hash(f.lib_path), f.lib_path.string());
  for (const auto& sf : f.files) ys += fmt::format("# input {} {}\n", content_hash(sf.path), sf.path.string());
  if (opt.flatten) {
    ys += f.reads;
    ys += fmt::format("hierarchy -check -top {}\n", T);
    ys += "proc\n";
    ys += fmt::format("tee -o {} check\n", yq(f.check_rtl.string()));
    ys += fmt::format("synth -top {} -flatten -noabc\n", T);
    ys += fmt::format("tee -o {} check\n", yq((f.work / "check.txt").string()));
    ys += fmt::format("dfflibmap -liberty {}\n", L);
    ys += f.abc_cmd;
    ys += "opt_clean\n";
    ys += fmt::format("tee -o {} stat -liberty {} -top {}\n", yq(f.stat.string()), L, T);
    ys += to_netlist;
    ys += fmt::format("write_verilog -noattr -noexpr {}\n", yq(f.netlist.string()));
    ys += fmt::format("write_json {}\n", yq(f.netlist_json.string()));
  } else {
    // Hierarchical: elaborate once, then every distinct module in a Yosys process of its own
    // (its sub-modules black boxes), several at a time; then one join for the netlist.
    ys += "# phase 1 (elaborate):\n" + f.reads;
    ys += fmt::format("hierarchy -check -top {}\nproc\n", T);
    ys += fmt::format("tee -o {} check\n", yq(f.check_rtl.string()));
    ys += fmt::format("tee -o {} stat\n", yq((f.work / "elab_stat.txt").string()));
    ys += fmt::format("write_rtlil {}\n", yq((f.work / "elab.il").string()));
    ys += "# phase 2 (split): per module M: hierarchy -top M; flatten into M every child instantiated\n";
    ys += "#   once there and of M's block; blackbox its other sub-modules; write_rtlil\n";
    ys += "# phase 3 (per module M, in parallel):\n";
    ys += "#   synth -top M -noabc; check; dfflibmap -liberty L; " + trim(f.abc_cmd) +
          "; opt_clean; stat -liberty L; write_verilog; write_json\n";
    ys += "# netlist (when asked for): the mapped modules' netlists concatenated\n";
  }
  // Reuse: the same flow (same inputs, by content) that completed before.
  std::error_code ec;
  if (!opt.force && fs::is_regular_file(f.script, ec) && fs::is_regular_file(f.done, ec) &&
      fs::is_regular_file(f.log, ec) &&
      (!opt.flatten || (fs::is_regular_file(f.netlist, ec) && fs::is_regular_file(f.netlist_json, ec))))
    f.reuse = read_text(f.script, "script") == ys;
  if (!f.reuse) {
    for (const auto& p : {f.log, f.check_rtl, f.stat, f.netlist, f.netlist_json, f.done}) fs::remove(p, ec);
    write_text(f.script, ys);
    if (opt.abc_delay_estimate) write_text(f.abc_script, f.abc_text);
  }
}

struct FlowResult {
  StatResult st;
  std::vector<fs::path> logs, checks;
  std::vector<fs::path> netlist_json;  // the mapped netlists as JSON
  double seconds = 0;
};

// Phases 1-3, the notes on inlined modules and the joined netlist; on failure, the logs so far
// become yosys.log and the message names it.
void run_hierarchical(const Options& opt, Flow& f, FlowResult& out) {
  const PhaseInputs pin{f.yosys_exe, f.work,      f.reads,      yq(f.lib_path.string()),
                        f.abc_cmd,   f.man.top,   f.man.blocks, f.mem_modules,
                        opt.jobs,    opt.verbose, f.reuse};
  std::vector<std::string> mods;
  std::vector<std::pair<std::string, std::string>> inlined;
  const fs::path join_log = f.work / "join.log";
  std::error_code ec;
  try {
    out.st = run_phases(pin, out.logs, out.checks, mods, inlined);
    std::map<std::string, std::set<std::string>> into;  // readable: parent -> children inside it
    for (const auto& [p, c] : inlined) into[decode_name(p).base].insert(decode_name(c).base);
    for (const auto& [p, cs] : into) {
      std::string list;
      for (const auto& c : cs) list += (list.empty() ? "" : ", ") + c;
      f.notes.push_back(fmt::format("synthesized inside '{}' (instantiated once there, same block): {}", p, list));
    }
    if (opt.netlist && (!f.reuse || !fs::is_regular_file(f.netlist, ec))) {
      fs::remove(f.netlist, ec);
      if (!f.reuse) out.logs.push_back(join_log);
      join_netlist(pin, mods, join_log);
      if (f.reuse) write_text(f.log, read_text(f.log, "log") + read_text(join_log, "log"));
    }
    if (opt.netlist)
      for (size_t i = 0; i < mods.size(); ++i) {
        const fs::path j = f.work / fmt::format("mod_{:03d}.json", i);
        if (!fs::is_regular_file(j, ec))
          fail(fmt::format("the JSON netlist of module '{}' is missing: '{}' (rerun with --force)", mods[i],
                           j.string()));
        out.netlist_json.push_back(j);
      }
  } catch (const SynthError& e) {
    std::string all;
    for (const auto& p : out.logs)
      if (fs::is_regular_file(p, ec)) all += read_text(p, "log");
    write_text(f.log, all);
    std::string msg = e.what();
    const std::string tag = "(log: ";
    size_t at = msg.rfind(tag);
    if (at != std::string::npos) msg.insert(at + tag.size(), f.log.string() + "; this step: ");
    throw SynthError(msg);
  }
}

FlowResult execute(const Options& opt, Flow& f) {
  if (opt.verbose)
    std::cerr << fmt::format("synth: {} on {} files (top {}, liberty {}), log {}\n", f.version, f.files.size(),
                             f.man.top, f.lib->name, f.log.string());
  const auto t0 = std::chrono::steady_clock::now();
  if (f.reuse && opt.verbose)
    std::cerr << fmt::format("synth: inputs unchanged since the last run: reusing {} (--force reruns Yosys)\n",
                             f.work.string());
  FlowResult out;
  out.checks.push_back(f.check_rtl);
  std::error_code ec;
  if (opt.flatten) {
    out.logs.push_back(f.log);
    out.checks.push_back(f.work / "check.txt");
    if (!f.reuse) run_yosys(f.yosys_exe, f.script, f.log, opt.verbose, "");
    if (!fs::is_regular_file(f.stat, ec))
      fail(fmt::format("yosys wrote no statistics '{}' (log: {})", f.stat.string(), f.log.string()));
    out.st = parse_stat(read_text(f.stat, "statistics"));
    if (fs::is_regular_file(f.netlist_json, ec)) out.netlist_json.push_back(f.netlist_json);
  } else {
    run_hierarchical(opt, f, out);
  }
  if (!f.reuse) {
    if (!opt.flatten) {  // one log of the whole flow, in phase order
      std::string all;
      for (const auto& p : out.logs) all += read_text(p, "log");
      write_text(f.log, all);
    }
    write_text(f.done, "complete\n");
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opt.verbose && !f.reuse) std::cerr << fmt::format("synth: yosys finished in {:.1f} s\n", out.seconds);
  return out;
}

// The hierarchy of the statistics: children per module, instance counts from the top.
struct Hierarchy {
  std::set<std::string> visited;     // reachable from the top
  std::map<std::string, long> inst;  // module -> instances in the design
};

Hierarchy walk_hierarchy(const StatResult& st, const std::string& top) {
  Hierarchy h;
  std::set<std::string>& visited = h.visited;
  std::map<std::string, long>& inst = h.inst;
  // Children per module, and topological order from the top.
  struct Edge {
    std::string child;
    long count;
  };
  std::map<std::string, std::vector<Edge>> children;
  for (const auto& [name, sm] : st.modules)
    for (const auto& [type, count] : sm.types)
      if (st.modules.count(type)) children[name].push_back({type, count});
  std::vector<std::string> order;  // post-order
  std::set<std::string> on_stack;
  std::function<void(const std::string&)> dfs = [&](const std::string& m) {
    if (visited.count(m)) return;
    if (on_stack.count(m)) fail(fmt::format("recursive hierarchy at module '{}'", m));
    on_stack.insert(m);
    for (const auto& e : children[m]) dfs(e.child);
    on_stack.erase(m);
    visited.insert(m);
    order.push_back(m);
  };
  dfs(top);
  inst[top] = 1;
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    for (const auto& e : children[*it]) inst[e.child] += inst[*it] * e.count;

  return h;
}

// Base name and readable parameters of a Yosys module name (hashed names via the log).
NameInfo name_info(const LogInfo& li, const std::string& yname) {
  NameInfo ni = decode_name(yname);
  if (starts_with(ni.params, "hash ")) {
    auto it = li.derived_params.find(yname);
    if (it != li.derived_params.end()) ni.params = it->second;
  }
  return ni;
}

std::string block_of(const Flow& f, const std::string& base, const std::string& dflt) {
  auto b = f.man.blocks.find(base);
  return b == f.man.blocks.end() ? dflt : b->second;
}

struct Unmapped {
  std::map<std::string, long> mem_instances;  // memory base name -> instances in hierarchy
  std::map<std::string, long> unmapped_types, unknown_boxes;
};

// Every reachable module's area and cells, rolled up by instance count.
Unmapped roll_up_modules(Flow& f, const StatResult& st, const LogInfo& li, const Hierarchy& h, Report& r) {
  Unmapped u;
  auto& mem_instances = u.mem_instances;
  auto& unmapped_types = u.unmapped_types;
  auto& unknown_boxes = u.unknown_boxes;
  const auto& visited = h.visited;
  auto inst = h.inst;
  for (const auto& [name, sm] : st.modules) {
    if (!visited.count(name)) {
      f.notes.push_back(
          fmt::format("module '{}' is not instantiated under '{}' (ignored)", decode_name(name).base, f.man.top));
      continue;
    }
    NameInfo ni = name_info(li, name);
    ModuleArea ma;
    ma.module = ni.base;
    ma.params = ni.params;
    ma.yosys_name = name;
    ma.block = block_of(f, ni.base, "other");
    ma.instances = inst[name];
    double computed_area = 0;
    long ffs = 0;
    for (const auto& [type, count] : sm.types) {
      if (st.modules.count(type)) continue;  // sub-module instance
      auto lc = f.lib->cells.find(type);
      if (lc != f.lib->cells.end()) {
        ma.cells_each += count;
        ma.cell_types[type] += count;
        computed_area += lc->second.area * static_cast<double>(count);
        if (lc->second.sequential) ffs += count;
        continue;
      }
      std::string tbase = decode_name(type).base;
      if (f.mem_modules.count(tbase)) {
        mem_instances[tbase] += inst[name] * count;
        continue;
      }
      if (!type.empty() && type[0] == '$') {  // Yosys internal cell left unmapped
        ma.cells_each += count;
        ma.cell_types[type] += count;
        ma.unmapped_cells_each += count;
        unmapped_types[type] += inst[name] * count;
        continue;
      }
      unknown_boxes[type] += inst[name] * count;
    }
    ma.area_each_um2 = sm.area >= 0 ? sm.area : computed_area;
    if (std::fabs(ma.area_each_um2 - computed_area) > 1e-3 * std::max(1.0, computed_area))
      f.notes.push_back(fmt::format("{}: yosys area {} differs from cell sum {}", display_name(ni.base, ni.params),
                                    ma.area_each_um2, computed_area));
    ma.nand2_eq_each = f.lib->nand2.area > 0 ? ma.area_each_um2 / f.lib->nand2.area : 0.0;
    ma.area_total_um2 = ma.area_each_um2 * static_cast<double>(ma.instances);
    r.logic_area_um2 += ma.area_total_um2;
    r.logic_cells += ma.cells_each * ma.instances;
    r.flip_flops += ffs * ma.instances;
    r.block_area_um2[ma.block] += ma.area_total_um2;
    r.modules.push_back(std::move(ma));
  }
  std::stable_sort(r.modules.begin(), r.modules.end(), [](const ModuleArea& a, const ModuleArea& b) {
    if (a.area_total_um2 != b.area_total_um2) return a.area_total_um2 > b.area_total_um2;
    return a.yosys_name < b.yosys_name;
  });
  for (const auto& [type, n] : unmapped_types)
    f.notes.push_back(fmt::format("{} cells of type {} are not mapped to the library (no area counted)", n, type));
  for (const auto& [type, n] : unknown_boxes)
    f.notes.push_back(fmt::format("{} instances of black box '{}' (not a memory module) have no area", n, type));
  if (st.top_area >= 0 && std::fabs(st.top_area - r.logic_area_um2) > 1e-3 * std::max(1.0, st.top_area))
    f.notes.push_back(fmt::format("roll-up {:.3f} um2 differs from yosys' hierarchical total {:.3f} um2",
                                  r.logic_area_um2, st.top_area));

  return u;
}

// Memories from the manifest: each entry is one SRAM macro of depth x (elem_bits x elems) bits,
// its area from the SRAM model, scaled by the library's NAND2 area against the table's node.
void add_memories(Flow& f, const Unmapped& u, Report& r) {
  auto mem_instances = u.mem_instances;
  std::map<std::string, long> mem_listed;
  const SramTable& t = f.sram.table;
  const double scale = f.lib->nand2.area > 0 ? f.lib->nand2.area / t.ref_nand2_um2 : 1.0;
  long lo_d = 0, hi_d = 0, lo_w = 0, hi_w = 0, outside = 0;  // the area fit's rows span
  for (const auto& row : t.rows)
    if (std::find(row.fit.begin(), row.fit.end(), "area_mm2") != row.fit.end()) {
      lo_d = lo_d ? std::min(lo_d, row.depth) : row.depth;
      hi_d = std::max(hi_d, row.depth);
      lo_w = lo_w ? std::min(lo_w, row.width) : row.width;
      hi_w = std::max(hi_w, row.width);
    }
  for (const auto& mm : f.man.memories) {
    MemoryArea ma;
    ma.path = mm.path;
    ma.module = mm.module;
    ma.bits = memory_bits(mm);
    ma.depth = mm.depth;
    ma.width_bits = mm.elem_bits * std::max(1L, mm.elems);
    ma.buffer = mm.buffer;
    ma.base = mm.base;
    if (ma.depth < 1 || ma.width_bits < 1)
      fail(
          fmt::format("manifest.json: field 'memories[{}]': depth {} and elem_bits {} x elems {} are needed for the "
                      "SRAM model (each >= 1)",
                      mm.path, mm.depth, mm.elem_bits, mm.elems));
    if (ma.depth < lo_d || ma.depth > hi_d || ma.width_bits < lo_w || ma.width_bits > hi_w) ++outside;
    ma.area_um2 = macro_figures(f.sram, ma.depth, ma.width_bits).area_um2 * scale;
    ma.block = block_of(f, mm.module, "memories");
    r.memory_area_um2 += ma.area_um2;
    r.block_area_um2[ma.block] += ma.area_um2;
    mem_listed[mm.module] += 1;
    r.memories.push_back(std::move(ma));
  }
  std::set<std::string> mem_names;
  for (const auto& [k, v] : mem_instances) mem_names.insert(k);
  for (const auto& [k, v] : mem_listed) mem_names.insert(k);
  for (const auto& m : mem_names)
    if (mem_instances[m] != mem_listed[m])
      f.notes.push_back(
          fmt::format("memory module '{}': {} instances in the netlist but {} in "
                      "manifest.json \"memories\"",
                      m, mem_instances[m], mem_listed[m]));
  const SramFit& af = f.sram.fit(SramQuantity::AreaMm2);
  r.sram_model_path = f.sram_path;
  r.sram_model = f.sram.summary_json();
  if (!f.man.memories.empty()) {
    f.notes.push_back(fmt::format(
        "memory area: SRAM model v{} ({}): per macro, area = exp({:.4g}) x depth^{:.4g} x width^{:.4g} mm2, fitted on "
        "{} published macros within {:.0f} % (docs/ESTIMATES.md), x NAND2 ratio {:.4g}",
        t.version, f.sram.origin, af.a, af.b_depth, af.c_width, af.rows.size(), 100 * af.tolerance, scale));
    if (outside)
      f.notes.push_back(
          fmt::format("memory area: {} of {} macros lie outside the fitted rows' {}..{} words x {}..{} "
                      "bits: the fit is extrapolated there",
                      outside, f.man.memories.size(), lo_d, hi_d, lo_w, hi_w));
  }
  r.total_area_um2 = r.logic_area_um2 + r.memory_area_um2;
}

// Checks: RTL-level check (before optimisation hides undriven nets), post-synthesis check,
// and inferred latches.
void add_checks(const FlowResult& fr, const LogInfo& li, const Unmapped& u, Report& r) {
  std::error_code ec;
  const auto& checks = fr.checks;
  const auto& unmapped_types = u.unmapped_types;
  std::set<std::string> seen;
  auto add_check = [&](const fs::path& p) {
    if (!fs::is_regular_file(p, ec)) return;
    CheckResult c = parse_check(read_text(p, "check output"));
    long fresh = 0;
    for (const auto& m : c.messages)
      if (seen.insert(m).second) {
        r.check_messages.push_back(m);
        ++fresh;
      }
    // Problems reported without a "Warning:" line (none known) still count.
    r.check_problems += fresh + std::max(0L, c.problems - static_cast<long>(c.messages.size()));
  };
  for (const auto& c : checks) add_check(c);
  for (const auto& l : li.latches) {
    if (seen.insert(l).second) {
      r.check_messages.push_back(l);
      ++r.check_problems;
    }
  }
  if (li.latches.empty()) {
    for (const auto& [type, n] : unmapped_types) {
      if (starts_with(type, "$_DLATCH") || starts_with(type, "$_SR_")) {
        r.check_messages.push_back(fmt::format("{} latch cells of type {}", n, type));
        ++r.check_problems;
      }
    }
  }
  for (const auto& w : li.warnings)
    if (!seen.count(w) && r.yosys_warnings.size() < 100) r.yosys_warnings.push_back(w);
}

void add_abc_delay(Flow& f, const LogInfo& li, const Hierarchy& h, Report& r) {
  const auto& visited = h.visited;
  for (const auto& [mod, ps] : li.abc_delay_ps) {
    if (!visited.count(mod)) continue;
    double ns = ps / 1000.0;
    if (ns > r.abc_delay_ns) {
      r.abc_delay_ns = ns;
      NameInfo ni = name_info(li, mod);
      r.abc_delay_module = display_name(ni.base, ni.params);
    }
  }
  if (r.abc_delay_ns >= 0)
    f.notes.push_back(
        "abc_delay_ns is ABC's `stime` estimate of the longest combinational path "
        "inside one module (paths across module boundaries are cut; no wires)");
}

}  // namespace

Report run(const Options& opt) {
  Flow f;
  prepare(opt, f);
  WorkLock lock(f.work, opt.verbose);
  write_record(opt, f);
  FlowResult fr = execute(opt, f);
  LogInfo li = parse_log(read_text(f.log, "log"));
  if (!fr.st.modules.count(f.man.top))
    fail(fmt::format("no statistics for top module '{}' (log: {})", f.man.top, f.log.string()));
  std::error_code ec;
  Report r;
  r.top = f.man.top;
  r.liberty_name = f.lib->name;
  r.liberty_path = f.lib->path;
  r.nand2_cell = f.lib->nand2.name;
  r.nand2_area_um2 = f.lib->nand2.area;
  r.yosys_version = f.version;
  r.yosys_seconds = f.reuse ? 0.0 : fr.seconds;
  r.reused = f.reuse;
  r.log_path = f.log.string();
  r.netlist_path = fs::is_regular_file(f.netlist, ec) ? f.netlist.string() : std::string();
  for (const auto& j : fr.netlist_json) r.netlist_json.push_back(j.string());
  r.flattened = opt.flatten;
  r.yosys_top_area_um2 = fr.st.top_area;
  const Hierarchy h = walk_hierarchy(fr.st, f.man.top);
  const Unmapped u = roll_up_modules(f, fr.st, li, h, r);
  add_memories(f, u, r);
  add_checks(fr, li, u, r);
  add_abc_delay(f, li, h, r);
  r.notes = std::move(f.notes);
  return r;
}

// --- FPGA (synth_xilinx) -------------------------------------------------------------------------

namespace {
// Summary class of a Xilinx 7-series primitive ("" = not summarized).
std::string fpga_class(const std::string& t) {
  if (std::regex_match(t, std::regex("LUT[1-6]"))) return "LUT";
  if (std::regex_match(t, std::regex("FD[RSCP]E(_1)?"))) return "FF";
  if (starts_with(t, "DSP48")) return "DSP";
  if (t == "RAMB36E1") return "BRAM36";
  if (t == "RAMB18E1") return "BRAM18";
  if (starts_with(t, "RAM32") || starts_with(t, "RAM64") || starts_with(t, "RAM128") || starts_with(t, "RAM256") ||
      starts_with(t, "SRL"))
    return "LUTRAM";
  if (t == "CARRY4") return "CARRY4";
  return "";
}
}  // namespace

json FpgaReport::to_json() const {
  json j;
  j["family"] = family;
  j["top"] = top;
  j["yosys"] = yosys_version;
  j["yosys_seconds"] = yosys_seconds;
  j["log"] = log_path;
  j["luts"] = luts;
  j["lutram_cells"] = lutram_cells;
  j["ffs"] = ffs;
  j["dsps"] = dsps;
  j["bram36_equivalent"] = bram36;
  j["carry4"] = carry4;
  j["cell_types"] = cell_types;
  j["blocks"] = block_cells;
  return j;
}

std::string FpgaReport::table() const {
  std::string s = fmt::format(
      "FPGA resources ({} via Yosys synth_xilinx, hierarchical; block RAM inferred from the memories)\n", family);
  s += fmt::format("{:<22} {:>10} {:>10} {:>8} {:>10} {:>8}\n", "block", "LUT", "FF", "DSP", "BRAM36", "LUTRAM");
  for (const auto& [b, counts] : block_cells) {
    const auto& m = counts;  // a lambda may not capture a structured binding before C++20
    auto g = [&](const char* k) {
      auto it = m.find(k);
      return it == m.end() ? 0L : it->second;
    };
    double br = static_cast<double>(g("BRAM36")) + 0.5 * static_cast<double>(g("BRAM18"));
    s += fmt::format("{:<22} {:>10} {:>10} {:>8} {:>10} {:>8}\n", b, g("LUT"), g("FF"), g("DSP"), fmt_num(br, 1),
                     g("LUTRAM"));
  }
  s += fmt::format("{:<22} {:>10} {:>10} {:>8} {:>10} {:>8}\n", "total", luts, ffs, dsps, fmt_num(bram36, 1),
                   lutram_cells);
  s += fmt::format("(CARRY4 {}; Yosys {:.1f} s; BRAM36 counts a RAMB18E1 as one half)\n", carry4, yosys_seconds);
  return s;
}

FpgaReport run_fpga(const FpgaOptions& opt) {
  std::string version;
  const fs::path yosys_exe = resolve_yosys(opt.yosys, &version);
  if (opt.family != "xc7") fail(fmt::format("field '--fpga-family': value '{}' is not allowed (xc7)", opt.family));
  if (opt.design_dir.empty()) fail("no design directory given");
  const fs::path design_dir = fs::absolute(opt.design_dir).lexically_normal();
  const sharp::Manifest man = load_manifest(design_dir);
  std::vector<std::string> notes;
  std::vector<fs::path> incdirs;
  std::vector<SourceFile> files = read_filelist(design_dir, man.filelist, incdirs, notes);
  const fs::path work = make_work_dir(opt.work_dir);
  WorkLock lock(work, opt.verbose);
  std::error_code ec;
  const fs::path script = work / "fpga.ys", log = work / "yosys_fpga.log", stat = work / "fpga_stat.txt";
  fs::remove(stat, ec);

  const std::string inc = include_flags(incdirs, design_dir, files);
  const std::string T = yq(man.top);
  std::string ys = "# sharpgen synth --fpga: generated script (do not edit)\n";
  for (const auto& f : files) ys += fmt::format("read_verilog -defer -sv{} {}\n", inc, yq(f.path.string()));
  ys += fmt::format("hierarchy -check -top {}\n", T);
  ys += fmt::format("synth_xilinx -top {} -family {} -noiopad -noclkbuf\n", T, opt.family);
  ys += fmt::format("tee -o {} stat -top {}\n", yq(stat.string()), T);
  write_text(script, ys);

  if (opt.verbose) std::cerr << fmt::format("synth: {} synth_xilinx, log {}\n", version, log.string());
  static const std::regex progress(R"(^(\d+\. Executing |\d+\.\d+\. Executing ))");
  auto t0 = std::chrono::steady_clock::now();
  ChildResult res =
      run_child({yosys_exe.string(), "-l", log.string(), "-s", script.string()}, [&](const std::string& line) {
        if (opt.verbose && std::regex_search(line, progress)) std::cerr << "synth: [yosys] " << line << "\n";
      });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (res.signal != 0 || res.exit_code != 0 || !fs::is_regular_file(stat, ec)) {
    std::string err;
    for (auto it = res.tail.rbegin(); it != res.tail.rend(); ++it)
      if (trim(*it).find("ERROR") != std::string::npos) {
        err = trim(*it);
        break;
      }
    fail(fmt::format("yosys synth_xilinx failed ({}): {} (log: {})",
                     res.signal ? fmt::format("signal {}", res.signal) : fmt::format("exit code {}", res.exit_code),
                     err.empty() ? "no statistics written" : err, log.string()));
  }
  StatResult st = parse_stat(read_text(stat, "statistics"));
  if (!st.modules.count(man.top))
    fail(fmt::format("no statistics for top module '{}' in '{}'", man.top, stat.string()));

  // Instance counts down the hierarchy, then every primitive rolled up.
  std::map<std::string, long> inst;
  std::vector<std::string> order;
  std::set<std::string> seen;
  std::function<void(const std::string&)> dfs = [&](const std::string& m) {
    if (!seen.insert(m).second) return;
    for (const auto& [type, count] : st.modules[m].types)
      if (st.modules.count(type)) dfs(type);
    order.push_back(m);
  };
  dfs(man.top);
  inst[man.top] = 1;
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    for (const auto& [type, count] : st.modules[*it].types)
      if (st.modules.count(type)) inst[type] += inst[*it] * count;

  FpgaReport r;
  r.family = opt.family;
  r.top = man.top;
  r.yosys_version = version;
  r.log_path = log.string();
  r.yosys_seconds = secs;
  for (const auto& m : order) {
    const std::string base = decode_name(m).base;
    auto b = man.blocks.find(base);
    const std::string block = b == man.blocks.end() ? "other" : b->second;
    for (const auto& [type, count] : st.modules[m].types) {
      if (st.modules.count(type)) continue;
      const long n = inst[m] * count;
      r.cell_types[type] += n;
      const std::string c = fpga_class(type);
      if (c.empty()) continue;
      r.block_cells[block][c] += n;
      if (c == "LUT")
        r.luts += n;
      else if (c == "FF")
        r.ffs += n;
      else if (c == "DSP")
        r.dsps += n;
      else if (c == "BRAM36")
        r.bram36 += static_cast<double>(n);
      else if (c == "BRAM18")
        r.bram36 += 0.5 * static_cast<double>(n);
      else if (c == "LUTRAM")
        r.lutram_cells += n;
      else if (c == "CARRY4")
        r.carry4 += n;
    }
  }
  return r;
}

}  // namespace sharp::synth
