// sharp::synth::run_sta -- timing and power estimation with OpenSTA on top of the Yosys flow: the
// order of the steps. The pieces: liberty (cells), netlist (the mapped netlist from Yosys' JSON),
// fanout (buffer trees), net_model (capacitances, black boxes, cut netlists), activity,
// sta_runner (OpenSTA and its script synth/scripts/sta.tcl), power, sta_report (JSON, table).
// The method is described in docs/TIMING_POWER.md.
#include "sharp/sta.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "activity.hpp"
#include "common.hpp"
#include "fanout.hpp"
#include "liberty.hpp"
#include "net_model.hpp"
#include "netlist.hpp"
#include "power.hpp"
#include "sta_runner.hpp"

namespace sharp::synth {

namespace fs = std::filesystem;
using namespace detail;  // NOLINT(google-build-using-namespace): this file only sequences them

namespace {

[[noreturn]] void fail(const std::string& msg) { throw SynthError("sta: " + msg); }

void check_options(const StaOptions& opt) {
  if (opt.work_dir.empty()) fail("no work directory given");
  if (!(opt.default_activity >= 0) || opt.default_activity > 2)
    fail(fmt::format("field 'default_activity': value {} is not allowed (0..2 toggles per cycle)",
                     opt.default_activity));
  if (!(opt.clock_period_ns >= 0) || !std::isfinite(opt.clock_period_ns))
    fail(fmt::format("field 'clock_period_ns': value {} is not allowed (a number >= 0)", opt.clock_period_ns));
  if (!(opt.sram_access_ns >= 0))
    fail(fmt::format("field 'sram_access_ns': value {} is not allowed (>= 0)", opt.sram_access_ns));
  if (opt.boundary_passes < 1 || opt.boundary_passes > 1000)
    fail(fmt::format("field 'boundary_passes': value {} is not allowed (1 to 1000)", opt.boundary_passes));
  if (opt.jobs < 0 || opt.jobs > 256)
    fail(fmt::format("field 'jobs': value {} is not allowed (0 for one per hardware thread, or 1 to 256)", opt.jobs));
}

// Peak resident set of this process so far, in MB (0 if unknown).
double peak_rss_mb() {
  std::string status;
  try {
    status = detail::read_text("/proc/self/status", "status", "sta");
  } catch (const SynthError&) {
    return 0;
  }
  const size_t at = status.find("VmHWM:");
  return at == std::string::npos ? 0.0 : std::atof(status.c_str() + at + 6) / 1024.0;
}

// The mapped netlist from Yosys' JSON, with buffer trees on its high-fanout nets.
void read_netlist(StaDesign& d, const StaOptions& opt, StaReport& R) {
  const Report& area = *d.area;
  std::vector<fs::path> files(area.netlist_json.begin(), area.netlist_json.end());
  const auto t0 = std::chrono::steady_clock::now();
  d.vmods = read_json_netlists(files);
  if (opt.verbose)
    std::cerr << fmt::format(
        "sta: read {} modules from {} JSON files ({}{}) in {:.1f} s, peak RSS {:.0f} MB\n", d.vmods.size(),
        files.size(), files.empty() ? "" : files.front().string(), files.size() > 1 ? ", ..." : "",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), peak_rss_mb());
  if (opt.max_fanout <= 0) return;
  const Liberty& lib = *d.lib;
  if (lib.buf.name.empty()) {
    R.notes.push_back(
        fmt::format("liberty '{}' has no buffer cell: high-fanout nets are analysed unbuffered", lib.name));
    return;
  }
  std::unordered_map<std::string, const VModule*> vm_by_name;
  for (const auto& m : d.vmods) vm_by_name[m.name] = &m;
  std::map<std::string, std::string> child_clock;  // module -> its clock port
  auto dir_of = [&](const std::string& type, const std::string& pin, bool* clock) {
    if (const LibCell* lc = lib.cell(type)) {
      auto lp = lc->pins.find(pin);
      if (lp == lc->pins.end()) return static_cast<int>(kDirNone);
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
  for (auto& m : d.vmods) {
    const long n = buffer_fanout(m, lib.buf, opt.max_fanout, dir_of);
    distinct += n;
    R.fanout_buffers += n * inst_count[m.name];
  }
  R.fanout_buffer_cell = lib.buf.name;
  R.fanout_buffer_area_um2 = static_cast<double>(R.fanout_buffers) * lib.buf.area;
  if (opt.verbose)
    std::cerr << fmt::format(
        "sta: fanout: {} {} buffers ({} in the distinct modules) on nets with more than {} loads\n", R.fanout_buffers,
        lib.buf.name, distinct, opt.max_fanout);
  if (R.fanout_buffers > 0)
    R.notes.push_back(fmt::format(
        "timing and power include {} {} cells ({:.1f} um2, {:.2f} % of the logic area; not in the area "
        "report) that sharpgen added as buffer trees on nets with more than {} loads; ABC buffers only "
        "inside a module, so nets through module boundaries were unbuffered",
        R.fanout_buffers, lib.buf.name, R.fanout_buffer_area_um2,
        area.logic_area_um2 > 0 ? 100.0 * R.fanout_buffer_area_um2 / area.logic_area_um2 : 0.0, opt.max_fanout));
}

// The critical path: the flat analysis when it ran, else the worst module, else ABC's estimate.
void choose_critical_path(const StaDesign& d, const FlatResult& flat, bool use_sta, double P0, StaReport& R) {
  const Report& area = *d.area;
  double cut = -1, worst = -1;
  const ModCtx* worst_ctx = nullptr;
  for (const auto& c : d.ctx) {
    if (c.have_cut_path) cut = std::max(cut, P0 - c.cut_slack_ns);
    if (c.have_path && P0 - c.slack_ns > worst) {
      worst = P0 - c.slack_ns;
      worst_ctx = &c;
    }
  }
  R.per_module_critical_path_ns = std::max(0.0, cut);
  R.boundary_critical_path_ns = std::max(0.0, worst);
  if (use_sta && flat.ok) {
    R.method = "opensta-flat";
    R.flat_critical_path_ns = P0 - flat.slack_ns;
    R.critical_path_ns = R.flat_critical_path_ns;
    R.startpoint = flat.start;
    R.endpoint = flat.end;
    // Module of the endpoint: walk the instance path from the top.
    std::string mod = d.top() ? display(*d.top()->area) : area.top;
    if (d.top()) {
      const ModCtx* cur = d.top();
      std::string rest = flat.end;
      for (;;) {
        size_t slash = rest.find('/');
        if (slash == std::string::npos) break;
        std::string inst = rest.substr(0, slash);
        const ModCtx* next = nullptr;
        for (const auto& i : cur->vm->insts)
          if (i.name == inst && d.is_child(i.type)) next = &d.child(i.type);
        if (!next) break;
        cur = next;
        rest = rest.substr(slash + 1);
      }
      mod = display(*cur->area);
    }
    R.critical_module = mod;
    if (worst >= 0)
      R.notes.push_back(fmt::format(
          "critical path from the flat analysis ({:.3f} ns, paths across module boundaries included); the "
          "per-module analysis gives {:.3f} ns in {} with each module's inputs at their worst boundary arrival "
          "({} passes), {:.3f} ns with every input at 0 (paths cut at module boundaries)",
          R.critical_path_ns, worst, worst_ctx ? display(*worst_ctx->area) : std::string("-"), R.boundary_passes,
          R.per_module_critical_path_ns));
  } else if (use_sta) {
    R.method = "opensta-boundary";
    R.critical_path_ns = R.boundary_critical_path_ns;
    if (worst_ctx) {
      R.critical_module = display(*worst_ctx->area);
      R.startpoint = describe_pin(*worst_ctx, worst_ctx->start);
      R.endpoint = describe_pin(*worst_ctx, worst_ctx->end);
    }
    R.notes.push_back(fmt::format(
        "critical path from the per-module analysis with each module's inputs at their worst arrival over "
        "its instances, carried across module boundaries in {} passes{} (paths cut at the boundaries: {:.3f} ns)",
        R.boundary_passes,
        R.boundary_converged
            ? std::string()
            : fmt::format(", stopped before converging (boundary_passes = {}): a lower bound", R.boundary_passes),
        R.per_module_critical_path_ns));
  } else {
    R.method = "abc-estimate";
    R.critical_path_ns = area.abc_delay_ns > 0 ? area.abc_delay_ns : 0.0;
    R.critical_module = area.abc_delay_module;
    if (area.abc_delay_ns <= 0) R.notes.push_back("no ABC delay estimate in the area report: critical path unknown");
  }
  if (use_sta) {
    long cut_total = 0;
    for (const auto& c : d.ctx) cut_total += c.cut_pins;
    R.cut_pins = cut_total;
    R.notes.push_back(
        fmt::format("per-module timing: each module is timed alone against an ideal clock; its ports and the "
                    "{} pins of its sub-module instances get output delay 0 and, as input delay, the worst "
                    "arrival the analysis of the module driving them found",
                    cut_total));
  }
  R.fmax_mhz = R.critical_path_ns > 0 ? 1000.0 / R.critical_path_ns : 0.0;
  if (R.critical_path_ns <= 0) R.notes.push_back("critical path is 0: fmax unknown");
}

// Notes on black boxes and the activity file, the total, and the modules slowest first.
void finish(const StaDesign& d, const ActivityFile* act, StaReport& R) {
  if (d.unknown_box_types)
    R.notes.push_back(
        fmt::format("{} black-box module types that are not memories: timed as registers at their pins, no power",
                    d.unknown_box_types));
  for (const auto& [t, b] : d.boxes)
    if (!b.has_clock) {
      R.notes.push_back(fmt::format("black box '{}' has no pin on the clock net: not timed", t));
      break;
    }
  if (act && act->cycles >= 0) R.notes.push_back(fmt::format("activity measured over {} cycles", act->cycles));
  R.total_mw = R.dynamic_mw + R.leakage_mw + R.memory_dynamic_mw + R.memory_leakage_mw;
  std::stable_sort(R.modules.begin(), R.modules.end(),
                   [](const ModuleTiming& a, const ModuleTiming& b) { return a.worst_path_ns > b.worst_path_ns; });
}

}  // namespace

bool sta_available(const std::string& sta, std::string* version) {
  auto exe = find_executable(sta);
  if (!exe) return false;
  try {
    std::string first;
    auto res = detail::run_child(
        {exe->string(), "-version"},
        [&](const std::string& l) {
          if (first.empty() && !trim(l).empty()) first = trim(l);
        },
        "sta");
    if (res.signal != 0 || res.exit_code != 0 || first.empty()) return false;
    if (version) *version = "OpenSTA " + first;
    return true;
  } catch (const SynthError&) {
    return false;
  }
}

StaReport run_sta(const Report& area, const StaOptions& opt) {
  StaReport R;
  check_options(opt);
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
  const ActivityFile* activity = act ? &*act : nullptr;

  const std::optional<fs::path> sta_exe = find_executable(opt.sta);
  const bool use_sta = sta_exe && sta_available(sta_exe->string(), &R.sta_version);
  if (!use_sta)
    R.notes.push_back(
        fmt::format("{}: no static timing analysis; the critical path is ABC's per-module estimate "
                    "(Report::abc_delay_ns, combinational paths inside one module, no wires) and power comes "
                    "from sharpgen's net model alone (Liberty pin capacitances and cell leakage; no internal "
                    "power)",
                    sta_missing_message(opt.sta)));

  StaDesign d;
  d.area = &area;
  d.have_netlist = !area.netlist_json.empty();
  for (const auto& f : area.netlist_json)
    if (!fs::is_regular_file(f, ec)) d.have_netlist = false;
  const std::string netlist_name = area.netlist_json.empty() ? std::string("(none)") : area.netlist_json.front();
  if (!d.have_netlist) {
    if (use_sta) fail(fmt::format("netlist '{}' not found (run synth first)", netlist_name));
    R.notes.push_back(fmt::format("netlist '{}' not found: logic power not computed", netlist_name));
  } else {
    d.lib = load_liberty(area.liberty_path.empty() ? default_liberty() : fs::path(area.liberty_path), "sta");
    read_netlist(d, opt, R);
  }
  build_net_model(d, opt);
  apply_activity(d, activity, opt.default_activity, R);

  const double P0 = opt.clock_period_ns > 0 ? opt.clock_period_ns : 10.0;
  OpenStaResults sta;
  if (use_sta) sta = run_opensta(d, opt, *sta_exe, work, P0, R);
  choose_critical_path(d, sta.flat, use_sta, P0, R);
  logic_power(d, opt, activity, sta.flat, P0, sta.voltage, R);
  memory_power(d, opt, activity, R);
  finish(d, activity, R);
  return R;
}

}  // namespace sharp::synth
