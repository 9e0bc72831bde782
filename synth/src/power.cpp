// The power roll-up (see power.hpp); memories through the SRAM model (sharp/sram_model.hpp).
#include "power.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common.hpp"
#include "sharp/sram_model.hpp"

namespace sharp::synth {

namespace detail {

namespace {

// The supply for switching power: OpenSTA's operating voltage, else the library's, else 1 V.
double supply_voltage(const StaDesign& d, double sta_voltage, StaReport& R) {
  const double nom_voltage = d.lib ? d.lib->nom_voltage : 0.0;
  double V = 0;
  if (sta_voltage > 0)
    V = sta_voltage;
  else if (nom_voltage > 0)
    V = nom_voltage;
  else {
    V = 1.0;
    if (d.have_netlist) R.notes.push_back("no supply voltage in the liberty file: 1.0 V assumed");
  }
  if (sta_voltage > 0 && nom_voltage > 0 && std::fabs(sta_voltage - nom_voltage) > 1e-3)
    R.notes.push_back(fmt::format("OpenSTA's operating voltage {} V differs from nom_voltage {} V; {} V used",
                                  sta_voltage, nom_voltage, sta_voltage));
  R.voltage = V;
  return V;
}

// Notes on how the logic power was found (flat cross-check, clock, internal power).
void power_notes(const StaDesign& d, const StaOptions& opt, const ActivityFile* act, const FlatResult& flat,
                 double rescale, StaReport& R) {
  if (flat.ok) {
    R.flat_switching_mw = flat.switching_w * 1e3 * rescale;
    R.flat_leakage_mw = flat.leakage_w * 1e3;
    double diff = R.flat_switching_mw > 0
                      ? 100.0 * (R.rollup_uniform_switching_mw - R.flat_switching_mw) / R.flat_switching_mw
                      : 0.0;
    R.notes.push_back(
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
    if (flat.internal_w > 0)
      R.notes.push_back(fmt::format("flat internal power {:.6g} mW", flat.internal_w * 1e3 * rescale));
  } else {
    R.notes.push_back(
        "power is the per-module roll-up (instances x power of one instance; nets "
        "crossing module boundaries are charged to the module that drives them)");
  }
  if (d.have_netlist)
    R.notes.push_back(
        fmt::format("clock: ideal (no clock tree); clock_mw {:.6g} mW is the clock pins of the cells, "
                    "2 transitions per cycle, included in dynamic power",
                    R.clock_mw));
  if (d.have_netlist && d.lib && !d.lib->cells.empty() && R.dynamic_mw > 0) {
    bool has_internal = false;
    for (const auto& m : R.modules)
      if (m.internal_mw_each > 0) has_internal = true;
    if (has_internal && act)
      R.notes.push_back(
          "internal (cell) power is OpenSTA's at each module's default activity; it is "
          "not adjusted for per-net activities");
  }
}

}  // namespace

void logic_power(const StaDesign& d, const StaOptions& opt, const ActivityFile* act, const FlatResult& flat, double P0,
                 double sta_voltage, StaReport& R) {
  const double V = supply_voltage(d, sta_voltage, R);
  const double T = opt.clock_period_ns > 0 ? opt.clock_period_ns : R.critical_path_ns;
  R.clock_period_ns = T;
  if (T <= 0) R.notes.push_back("no clock period (none given, no critical path): dynamic power not computed");
  const double k = T > 0 ? 0.5 * V * V * 1e-3 / T : 0.0;  // mW per (fF x toggle/cycle)
  const double rescale = T > 0 ? P0 / T : 0.0;            // OpenSTA ran at P0

  std::vector<std::string> mismatches;
  for (const auto& c : d.ctx) {
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
      mt.startpoint = describe_pin(c, c.start);
      mt.endpoint = describe_pin(c, c.end);
    }
    if (d.have_netlist) {
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
            const ModCtx& cc = d.child(m.insts[cp.inst].type);
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
        if (d.is_leaf(inst.type)) lib_leak += d.lib->cells.at(inst.type).leakage_nw;
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
    R.notes.push_back(fmt::format("net model and OpenSTA report_power disagree by more than 1 % for: {}",
                                  fmt::join(mismatches, "; ")));
  if (d.unknown_pins)
    R.notes.push_back(fmt::format("{} cell pins are not in the liberty file (e.g. {}): not counted", d.unknown_pins,
                                  *d.unknown_pin_msgs.begin()));
  power_notes(d, opt, act, flat, rescale, R);
}

void memory_power(const StaDesign& d, const StaOptions& opt, const ActivityFile* act, StaReport& R) {
  const double T = R.clock_period_ns;
  const Report& area = *d.area;
  const std::optional<std::filesystem::path> table =
      area.sram_model_path.empty() ? std::nullopt : std::optional<std::filesystem::path>(area.sram_model_path);
  const SramModel model = load_sram_model(table, "sta");
  R.sram_model = model.summary_json();
  long not_estimated = 0, shared = 0;
  std::map<std::string, long> mem_instances;  // base name -> instances
  for (const auto& ma : area.memories) ++mem_instances[ma.module];
  for (const auto& ma : area.memories) {
    MemoryPower mp;
    mp.path = ma.path;
    mp.module = ma.module;
    mp.block = ma.block;
    mp.bits = ma.bits;
    mp.depth = ma.depth;
    mp.word_bits = ma.width_bits;
    const MacroFigures fig = macro_figures(model, ma.depth, ma.width_bits);
    mp.read_pj = fig.read_pj;
    mp.write_pj = fig.write_pj;
    mp.leakage_mw = fig.leakage_mw;
    // Accesses: this instance's own counts when the file has them, else the module's totals over
    // all its instances shared equally; no file (or no entry): not estimated, and not assumed.
    const MemActivity* ma_act = nullptr;
    if (act) {
      auto it = act->memories.find(ma.module);
      if (it != act->memories.end()) ma_act = &it->second;
    }
    if (ma_act) {
      mp.dynamic_estimated = true;
      auto pi = ma_act->instances.find(ma.path);
      if (pi != ma_act->instances.end()) {
        mp.reads_per_cycle = pi->second.first;
        mp.writes_per_cycle = pi->second.second;
      } else {
        const double n = static_cast<double>(std::max(1L, mem_instances[ma.module]));
        mp.reads_per_cycle = ma_act->reads.value_or(0.0) / n;
        mp.writes_per_cycle = ma_act->writes.value_or(0.0) / n;
        ++shared;
      }
    } else {
      ++not_estimated;
    }
    // pJ per cycle / ns per cycle = mW.
    const double pj_per_cycle = mp.reads_per_cycle * mp.read_pj + mp.writes_per_cycle * mp.write_pj;
    mp.dynamic_mw = mp.dynamic_estimated && T > 0 ? pj_per_cycle / T : 0.0;
    R.memory_dynamic_mw += mp.dynamic_mw;
    R.memory_leakage_mw += mp.leakage_mw;
    R.block_power_mw[mp.block] += mp.dynamic_mw + mp.leakage_mw;
    R.memories.push_back(std::move(mp));
  }
  R.memory_dynamic_estimated = !area.memories.empty() && not_estimated == 0;
  if (area.memories.empty()) return;
  const SramFit& fr = model.fit(SramQuantity::ReadPj);
  const SramFit& fw = model.fit(SramQuantity::WritePj);
  const SramFit& fl = model.fit(SramQuantity::LeakageMw);
  R.notes.push_back(fmt::format(
      "memories: SRAM model v{} ({}), per macro of depth x width bits: read = exp({:.4g}) x depth^{:.4g} x "
      "width^{:.4g} pJ, write = exp({:.4g}) x depth^{:.4g} x width^{:.4g} pJ, leakage = exp({:.4g}) x depth^{:.4g} "
      "x width^{:.4g} mW (fakeram45 high-performance cells); fitted on {}, {} and {} published macros within "
      "{:.0f}, {:.0f} and {:.0f} % (docs/ESTIMATES.md); dynamic = (reads x read + writes x write) per cycle x f; "
      "energies at the sources' own supplies, not rescaled to {} V; timed as registers at their pins with {} ns "
      "clock-to-output",
      model.table.version, model.origin, fr.a, fr.b_depth, fr.c_width, fw.a, fw.b_depth, fw.c_width, fl.a, fl.b_depth,
      fl.c_width, fr.rows.size(), fw.rows.size(), fl.rows.size(), 100 * fr.tolerance, 100 * fw.tolerance,
      100 * fl.tolerance, R.voltage, opt.sram_access_ns));
  if (not_estimated)
    R.notes.push_back(fmt::format(
        "memory dynamic power not estimated for {} of {} memories: no access counts {} (0 mW is reported, not an "
        "estimate; measure them with `sharpgen activity ... --out FILE` and pass `synth --power --activity FILE`); "
        "their leakage is included",
        not_estimated, area.memories.size(),
        act ? "for their module in the activity file" : "without an activity file"));
  if (shared)
    R.notes.push_back(fmt::format(
        "{} memories have no counts of their own in the activity file: their module's totals are shared equally "
        "between its instances",
        shared));
}

}  // namespace detail
}  // namespace sharp::synth
