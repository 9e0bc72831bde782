// StaReport as JSON and as a text table (see sharp/sta.hpp).
#include <algorithm>

#include <fmt/format.h>

#include "sharp/sta.hpp"

namespace sharp::synth {

using nlohmann::json;

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
                    {"depth", m.depth},
                    {"word_bits", m.word_bits},
                    {"reads_per_cycle", m.reads_per_cycle},
                    {"writes_per_cycle", m.writes_per_cycle},
                    {"dynamic_estimated", m.dynamic_estimated},
                    {"read_pj", m.read_pj},
                    {"write_pj", m.write_pj},
                    {"dynamic_mw", m.dynamic_mw},
                    {"leakage_mw", m.leakage_mw}});
  j["memories"] = std::move(mems);
  j["memory_dynamic_estimated"] = memory_dynamic_estimated;
  j["sram_model"] = sram_model;
  j["activity"] = {{"source", activity_source}, {"matched", activity_matched}, {"unmatched", activity_unmatched}};
  j["crosscheck"] = {{"per_module_critical_path_ns", per_module_critical_path_ns},
                     {"boundary_critical_path_ns", boundary_critical_path_ns},
                     {"boundary_passes", boundary_passes},
                     {"boundary_converged", boundary_converged},
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
  if (memories.empty() || memory_dynamic_estimated)
    s += fmt::format("  {:<24} {:>12.4f}\n", "memory dynamic", memory_dynamic_mw);
  else
    s += fmt::format("  {:<24} {:>12.4f}   not estimated without activity data (synth --power --activity FILE)\n",
                     "memory dynamic", memory_dynamic_mw);
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
