// The activity file and its application to the net model (see activity.hpp).
#include "activity.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.hpp"

namespace sharp::synth::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
[[noreturn]] void fail(const std::string& msg) { throw SynthError("sta: " + msg); }
std::string read_text(const fs::path& p, const char* what) { return detail::read_text(p, what, "sta"); }
}  // namespace

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

void apply_activity(StaDesign& d, const ActivityFile* act, double default_activity, StaReport& R) {
  auto& ctx = d.ctx;
  for (auto& c : ctx) {
    c.alpha0 = default_activity;
    if (!act) continue;
    auto it = act->modules.find(c.area->module);
    if (it == act->modules.end()) continue;
    if (it->second.mean) c.alpha0 = *it->second.mean;
    if (!d.have_netlist) continue;
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
        R.notes.push_back(fmt::format("activity file: module '{}' is not in the design (ignored)", base));
        continue;
      }
      if (ma.instances >= 0 && ma.instances != design_instances[base])
        R.notes.push_back(fmt::format("activity file: module '{}' has {} instances, the design {}", base, ma.instances,
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
        R.notes.push_back(fmt::format(
            "activity file: {}: {} of {} net names found in the netlist{}", base, matched, matched + unmatched,
            unmatched ? fmt::format(" (not found, e.g. {})", fmt::join(missing, ", ")) : std::string()));
    }
    for (const auto& c : ctx)
      if (!act->modules.count(c.area->module) && c.leaf_cells > 0) {
        R.notes.push_back(
            fmt::format("activity file has no entry for some modules (e.g. '{}'): "
                        "they use the default {} toggles/cycle",
                        c.area->module, default_activity));
        break;
      }
  }
}

}  // namespace sharp::synth::detail
