// sharp::synth -- an SVG chart of the area (and power) per block of a synthesized design.
//
// breakdown_svg() draws, from the JSON reports (not from the structs, so that a saved
// synth.json can be drawn again), one horizontal bar chart of the area per block (um2 and
// share of the total; logic and memories in two colours) and, with a timing/power report, a
// second one of the power per block (mW and share). The SVG is self-contained (no scripts, no
// external fonts or images) and deterministic: the same input gives the same bytes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sharp::synth {

// synth_report: Report::to_json(). Reads block_area_um2 (required: block -> um2), and, when
// present, logic_area_um2, memory_area_um2, total_area_um2, top, liberty_name, flattened and
// memories[] (area_um2 and block of each memory instance: the memory part of each bar; without
// it the block named "memories" is drawn as memory).
// timing_power: StaReport::to_json() or nullptr (no power chart). Reads block_power_mw
// (required: block -> mW), and, when present, total_mw, fmax_mhz, clock_period_ns, method and
// memories[] (dynamic_mw + leakage_mw and block of each memory instance).
// Blocks are drawn largest first, ties by name. The result starts with "<svg" and ends with
// "</svg>" (no trailing newline).
// Throws std::runtime_error "svg: field 'F': value V is not allowed (...)" for a missing or
// non-object block map, a non-numeric, non-finite or negative value, or a wrong-typed field.
std::string breakdown_svg(const nlohmann::json& synth_report, const nlohmann::json* timing_power = nullptr);

}  // namespace sharp::synth
