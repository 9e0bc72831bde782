// bench --estimate's energy per inference of one (model, budget), weights resident, with the
// pJ per useful MAC split by component: multipliers + adder trees, accumulators, activation +
// cell update, control (every other logic block), weight SRAM, other SRAM, DRAM (none while the
// weights are resident), and leakage of the logic and of the macros. The SRAM parts are exact
// access counts times the SRAM model; the logic parts are OpenSTA's power of each block while it
// works, charged for the cycles the cycle model says it works (its clock pins every cycle).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/plan.hpp"
#include "sharp/sram_model.hpp"
#include "sharp/sta.hpp"

namespace sharp::cli {

// The logic power of the budget's design per component (estimates[budget]["logic_components"]):
// {component: {blocks, dynamic_mw, clock_mw, leakage_mw}}, summed over every module instance of
// the timing report whose block (the manifest's) belongs to the component.
nlohmann::json logic_components(const synth::StaReport& sr);
// The same from the report's JSON (`sharpgen synth --power --json`: timing_power.modules).
nlohmann::json logic_components(const nlohmann::json& sta_modules);

// The component names of the breakdown in the order of the tables, and their labels.
const std::vector<std::pair<std::string, std::string>>& energy_components();

// One row's energy (rows[].estimate): `units` = (H, X) of every layer and direction in run
// order, `widths` the planner's width of each, `cycles` the row's cycles per sequence, `useful_macs`
// its MACs, `e` the budget's estimate (fmax, leakage, logic_components). `figs`: the SRAM model's
// figures of every macro of `ep` (Plan::memories order). With `streams` > 1 every unit runs that
// many sequences interleaved (cycles and MACs are then those of the whole run).
nlohmann::json row_energy(const Plan& ep, const std::vector<synth::MacroFigures>& figs,
                          const std::vector<std::pair<int, int>>& units, const std::vector<int>& widths, int steps,
                          uint64_t cycles, uint64_t useful_macs, const nlohmann::json& e, int streams = 1);

// The terminal table of every row's energy breakdown.
void print_energy_table(const nlohmann::json& rows);
// bench.csv's energy section: one line per row, pJ/MAC per component.
std::string energy_csv(const nlohmann::json& rows);
// A deterministic SVG: one stacked bar of pJ per useful MAC by component for every row, grouped
// by budget.
std::string energy_svg(const nlohmann::json& rows, const std::vector<int>& budgets);

}  // namespace sharp::cli
