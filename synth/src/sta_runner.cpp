// OpenSTA runs of run_sta (see sta_runner.hpp): the embedded script, the netlists it reads, the
// child process and the parsing of its results.
#include "sta_runner.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <set>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "boundary.hpp"
#include "common.hpp"
#include "embedded.hpp"
#include "netlist_writer.hpp"

namespace sharp::synth::detail {

namespace fs = std::filesystem;

namespace {

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}
[[noreturn]] void fail(const std::string& msg) { throw SynthError("sta: " + one_line(msg)); }
void write_text(const fs::path& p, const std::string& text) { detail::write_text(p, text, "sta"); }

std::vector<std::string> split(const std::string& s, char sep) {
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
      fail(fmt::format("path '{}' contains a character a Tcl script cannot hold; use another work directory", s));
  return "{" + s + "}";
}

double to_d(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nan("");
  return v;
}

std::string fmt_g(double v) { return fmt::format("{:.6g}", v); }

bool simple_id(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
}

}  // namespace

std::string fill_placeholders(const std::string& text, const std::map<std::string, std::string>& values,
                              const std::string& where) {
  std::string out;
  std::set<std::string> used;
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = text.find('@', i);
    if (at == std::string::npos) break;
    size_t e = at + 1;
    while (e < text.size() && (std::isupper(static_cast<unsigned char>(text[e])) || text[e] == '_')) ++e;
    if (e == at + 1 || e >= text.size() || text[e] != '@') {  // not a placeholder: a lone '@'
      out.append(text, i, at + 1 - i);
      i = at + 1;
      continue;
    }
    const std::string name = text.substr(at + 1, e - at - 1);
    auto v = values.find(name);
    if (v == values.end())
      fail(fmt::format("{}: placeholder '@{}@' has no value (allowed: the ones sta_runner.cpp fills in)", where, name));
    out.append(text, i, at - i);
    out += v->second;
    used.insert(name);
    i = e + 1;
  }
  out.append(text, i, std::string::npos);
  for (const auto& [name, v] : values)
    if (!used.count(name)) fail(fmt::format("{}: placeholder '@{}@' is not in the script", where, name));
  return out;
}

std::string sta_script(const std::vector<fs::path>& liberties, const std::vector<StaJob>& jobs) {
  std::string libs = "{";
  for (const auto& l : liberties) libs += (libs.size() > 1 ? " " : "") + tcl_path(l);
  libs += "}";
  std::string list = "{\n";
  for (const auto& j : jobs)
    list += fmt::format("  {{{} {} {} {} {{{}}} {} {} {} {}}}\n", j.tag, j.key, tcl_path(j.netlist), j.top,
                        simple_id(j.clock) ? j.clock : "", fmt_g(j.period_ns), fmt_g(j.activity),
                        j.delays.empty() ? std::string("{}") : tcl_path(j.delays), j.arrivals ? 1 : 0);
  list += "}";
  return "# sharpgen run_sta: generated from synth/scripts/sta.tcl (do not edit)\n" +
         fill_placeholders(kStaTcl, {{"LIBERTIES", libs}, {"JOBS", list}}, "synth/scripts/sta.tcl");
}

std::string sta_missing_message(const std::string& sta) {
  if (sta.find('/') != std::string::npos) return fmt::format("sta executable '{}' not found or not executable", sta);
  return fmt::format("{} not found on PATH (install the Debian package 'opensta')",
                     sta.empty() ? std::string("sta") : sta);
}

StaRun run_sta_script(const fs::path& exe, const fs::path& script, const fs::path& log_path, bool verbose) {
  StaRun run;
  std::ofstream log(log_path, std::ios::trunc);
  std::set<std::string> seen;
  auto t0 = std::chrono::steady_clock::now();
  ChildResult res = run_child(
      {exe.string(), "-no_splash", "-no_init", "-exit", script.string()},
      [&](const std::string& line) {
        log << line << "\n";
        if (starts_with(line, "@@SHARP\t")) {
          auto f = split(line.substr(8), '\t');
          if (!f.empty() && f[0] == "done") run.done = true;
          if (verbose && f.size() >= 3 && f[0] == "power") std::cerr << "sta: analysed " << f[2] << "\n";
          run.results.push_back(std::move(f));
        } else if (starts_with(line, "Error")) {
          run.errors.push_back(trim(line));
        } else if (starts_with(line, "Warning")) {
          ++run.warning_count;
          if (run.warnings.size() < 5 && seen.insert(line).second) run.warnings.push_back(trim(line));
        }
      },
      "sta");
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

namespace {

std::string box_type_name(const StaDesign& d, const std::string& t) {
  auto b = d.boxes.find(t);
  return b == d.boxes.end() ? std::string() : b->second.cell;
}

// Reads one process's results into the ModCtx of each module (and the output arrivals, ns, by
// module); returns the voltage OpenSTA reports (-1 if none).
double read_module_results(StaDesign& d, const StaRun& run, const BoundaryTiming& bt, bool take_power,
                           std::map<size_t, std::unordered_map<int, Edge>>& arrivals) {
  double voltage = -1;
  for (const auto& f : run.results) {
    if (f.size() >= 2 && f[0] == "voltage") voltage = to_d(f[1]);
    if (f.size() < 3 || f[1] != "module") continue;
    const auto key = static_cast<size_t>(std::atol(f[2].c_str()));
    if (key >= d.ctx.size()) continue;
    ModCtx& c = d.ctx[key];
    if (f[0] == "path" && f.size() >= 6) {
      c.have_path = true;
      c.slack_ns = to_d(f[3]) * 1e9;
      c.start = f[4];
      c.end = f[5];
    } else if (f[0] == "nopath") {
      c.have_path = false;
    } else if (f[0] == "arr" && f.size() >= 6) {
      const auto& names = bt.ports(key).out_net;
      if (auto n = names.find(f[3]); n != names.end()) arrivals[key][n->second] = {to_d(f[4]) * 1e9, to_d(f[5]) * 1e9};
    } else if (f[0] == "power" && f.size() >= 6 && take_power) {
      c.have_power = true;
      c.p_internal_w = to_d(f[3]);
      c.p_switching_w = to_d(f[4]);
      c.p_leakage_w = to_d(f[5]);
    } else if (f[0] == "error") {
      c.error = f.size() > 3 ? f[3] : "unknown error";
    }
  }
  return voltage;
}

// Per module: up to opt.jobs processes per pass, one link_design per module; results into the ModCtx. The
// first pass times every module with its inputs at 0 and no loads on its outputs (the cut
// analysis, kept as cut_slack_ns; its power is the one used); each further pass re-times the
// modules whose boundary conditions (input arrivals, output loads: BoundaryTiming) changed,
// until none does. Returns the voltage OpenSTA reports (-1 if none).
double time_modules(StaDesign& d, const StaOptions& opt, const fs::path& exe, const fs::path& work,
                    const std::vector<fs::path>& libs, double P0, StaReport& R) {
  std::vector<StaJob> base;
  for (auto& c : d.ctx) {
    const bool has_box =
        std::any_of(c.vm->insts.begin(), c.vm->insts.end(), [&](const VInst& i) { return d.boxes.count(i.type) > 0; });
    if (c.leaf_cells == 0 && !has_box) continue;  // only sub-modules: nothing to time
    const fs::path f = work / "modules" / fmt::format("m{}.v", c.key);
    const std::string top = fmt::format("sharp_sta_m{}", c.key);
    write_text(f, write_module(
                      *c.vm, top,
                      [&](const std::string& t) -> std::string {
                        if (d.is_leaf(t)) return vname(t);
                        if (d.is_child(t)) return "";
                        return box_type_name(d, t);
                      },
                      c.cut_in, c.cut_out, c.rename));
    base.push_back(StaJob{"module", c.key, f, top, c.clock_port, P0, c.alpha0, {}, true});
  }
  BoundaryTiming bt(d);
  const size_t procs = static_cast<size_t>(opt.jobs > 0 ? opt.jobs : std::max(1U, std::thread::hardware_concurrency()));
  std::vector<std::string> last(d.ctx.size(), std::string(1, '\0'));  // input delays of the last pass
  double voltage = -1;
  R.boundary_converged = false;
  for (int pass = 1; pass <= opt.boundary_passes; ++pass) {
    std::vector<StaJob> jobs;
    for (StaJob j : base) {
      std::string tcl = pass == 1 ? std::string() : bt.delays_tcl(j.key);
      if (tcl == last[j.key]) continue;  // timed with these input arrivals already
      if (!tcl.empty()) {
        j.delays = work / "modules" / fmt::format("m{}_inputs_{}.tcl", j.key, pass);
        write_text(j.delays, tcl);
      }
      last[j.key] = std::move(tcl);
      jobs.push_back(j);
    }
    if (jobs.empty()) {
      R.boundary_converged = true;
      break;
    }
    R.boundary_passes = pass;
    const std::string sfx = pass == 1 ? std::string() : fmt::format("_{}", pass);
    // The pass's modules in up to `procs` OpenSTA processes at once, largest netlists first onto
    // the least loaded process; the results do not depend on the split.
    const size_t groups = std::min(procs, jobs.size());
    std::vector<std::vector<StaJob>> group(groups);
    {
      std::vector<std::pair<std::uintmax_t, size_t>> by_size;
      for (size_t k = 0; k < jobs.size(); ++k) {
        std::error_code ec;
        const std::uintmax_t sz = fs::file_size(jobs[k].netlist, ec);
        by_size.emplace_back(ec ? 0 : sz, k);
      }
      std::stable_sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::vector<std::uintmax_t> load(groups, 0);
      for (const auto& [sz, k] : by_size) {
        const size_t g = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        load[g] += sz;
        group[g].push_back(jobs[k]);
      }
    }
    std::vector<std::future<StaRun>> runs;
    std::vector<fs::path> logs;
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t g = 0; g < groups; ++g) {
      const std::string gs = g == 0 ? sfx : fmt::format("{}-{}", sfx, g + 1);
      const fs::path mscript = work / fmt::format("modules{}.tcl", gs);
      write_text(mscript, sta_script(libs, group[g]));
      if (opt.verbose)
        std::cerr << fmt::format("sta: OpenSTA pass {}: {} modules ({})\n", pass, group[g].size(), mscript.string());
      logs.push_back(work / fmt::format("sta_modules{}.log", gs));
      runs.push_back(std::async(std::launch::async, run_sta_script, exe, mscript, logs.back(), opt.verbose));
    }
    std::map<size_t, std::unordered_map<int, Edge>> arrivals;
    long warnings = 0;
    std::string first_warning, warning_log;
    for (size_t g = 0; g < groups; ++g) {
      const StaRun run = runs[g].get();
      const double v = read_module_results(d, run, bt, pass == 1, arrivals);
      if (v >= 0) voltage = v;
      for (const auto& c : d.ctx)
        if (!c.error.empty())
          fail(fmt::format("OpenSTA failed on module {}: {} (log: {})", display(*c.area), c.error, logs[g].string()));
      warnings += run.warning_count;
      if (first_warning.empty() && !run.warnings.empty()) {
        first_warning = run.warnings.front();
        warning_log = logs[g].string();
      }
    }
    // One note however the pass was split.
    if (warnings && pass == 1)
      R.notes.push_back(
          fmt::format("OpenSTA (per module): {} warnings, e.g. {} (log: {})", warnings, first_warning, warning_log));
    R.per_module_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const StaJob& j : jobs) bt.set_outputs(j.key, std::move(arrivals[j.key]));
    if (pass == 1)
      for (auto& c : d.ctx) {
        c.have_cut_path = c.have_path;
        c.cut_slack_ns = c.slack_ns;
      }
    bt.propagate();
  }
  return voltage;
}

// The whole design in one netlist; a failure is a note (the per-module results stand).
FlatResult time_flat(const StaDesign& d, const StaOptions& opt, const fs::path& exe, const fs::path& work,
                     const std::vector<fs::path>& libs, double P0, StaReport& R) {
  const Report& area = *d.area;
  const fs::path ff = work / "flat.v";
  std::string text;
  for (const auto& c : d.ctx) {
    const bool top = c.area->yosys_name == area.top;
    // Only the top's ports are constrained by name: rename the awkward ones there.
    std::map<int, std::string> top_rename;
    if (top)
      for (const auto& p : c.vm->ports)
        if (!p.ranged && p.bits.size() == 1 && c.rename.count(p.bits[0]))
          top_rename[p.bits[0]] = c.rename.at(p.bits[0]);
    text += write_module(
        *c.vm, top ? std::string("sharp_sta_flat_top") : c.vm->name,
        [&](const std::string& t) -> std::string {
          if (d.is_leaf(t) || d.is_child(t)) return vname(t);
          return box_type_name(d, t);
        },
        {}, {}, top_rename);
  }
  write_text(ff, text);
  const ModCtx* top = d.top();
  const std::string top_clock = top ? top->clock_port : std::string();
  const fs::path fscript = work / "flat.tcl";
  write_text(
      fscript,
      sta_script(libs, {StaJob{"flat", 0, ff, "sharp_sta_flat_top", top_clock, P0, opt.default_activity, {}, false}}));
  if (opt.verbose)
    std::cerr << fmt::format("sta: OpenSTA: flat design, {} cells ({})\n", area.logic_cells, fscript.string());
  const fs::path log = work / "sta_flat.log";
  StaRun run;
  try {
    run = run_sta_script(exe, fscript, log, opt.verbose);
  } catch (const SynthError& e) {
    R.notes.push_back(fmt::format("flat analysis failed, per-module results used: {}", e.what()));
  }
  R.flat_seconds = run.seconds;
  FlatResult fr;
  bool have_path = false, have_power = false;
  std::string err;
  for (const auto& f : run.results) {
    if (f.size() < 3 || f[1] != "flat") continue;
    if (f[0] == "path" && f.size() >= 6) {
      have_path = true;
      fr.slack_ns = to_d(f[3]) * 1e9;
      fr.start = f[4];
      fr.end = f[5];
    } else if (f[0] == "power" && f.size() >= 6) {
      have_power = true;
      fr.internal_w = to_d(f[3]);
      fr.switching_w = to_d(f[4]);
      fr.leakage_w = to_d(f[5]);
    } else if (f[0] == "error") {
      err = f.size() > 3 ? f[3] : "unknown error";
    }
  }
  if (!err.empty())
    R.notes.push_back(
        fmt::format("flat analysis failed, per-module results used: OpenSTA: {} (log: {})", err, log.string()));
  fr.ok = err.empty() && have_path && have_power;
  if (run.done && err.empty() && !have_path) R.notes.push_back("flat analysis found no constrained path");
  if (run.warning_count)
    R.notes.push_back(fmt::format("OpenSTA (flat): {} warnings, e.g. {} (log: {})", run.warning_count,
                                  run.warnings.front(), log.string()));
  return fr;
}

}  // namespace

OpenStaResults run_opensta(StaDesign& d, const StaOptions& opt, const fs::path& exe, const fs::path& work, double P0,
                           StaReport& R) {
  std::vector<fs::path> libs{d.lib->path};
  if (!d.boxes.empty()) {
    const fs::path box_lib = work / "sharp_sta_blackboxes.lib";
    write_text(box_lib, box_liberty(d.boxes, opt.sram_access_ns, d.lib->nom_voltage));
    libs.push_back(box_lib);
  }
  OpenStaResults out;
  out.voltage = time_modules(d, opt, exe, work, libs, P0, R);
  if (d.area->logic_cells <= opt.flat_cell_limit)
    out.flat = time_flat(d, opt, exe, work, libs, P0, R);
  else
    R.notes.push_back(fmt::format("flat analysis skipped: {} leaf cells > flat_cell_limit {}", d.area->logic_cells,
                                  opt.flat_cell_limit));
  return out;
}

}  // namespace sharp::synth::detail
