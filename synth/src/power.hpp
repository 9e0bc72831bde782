// The power roll-up of run_sta: each module's switching (sharpgen's net model, boundary nets
// included, activity-weighted), internal and leakage power (OpenSTA, else the Liberty sums) and
// clock pins, times its instances, by block; the memories from the SRAM model (sharp/sram_model.hpp:
// energy per read and per write times the measured accesses, and leakage). The method is
// described in docs/TIMING_POWER.md.
#pragma once

#include "activity.hpp"
#include "net_model.hpp"
#include "sta_runner.hpp"

namespace sharp::synth::detail {

// Logic power into R (modules, dynamic/leakage/clock totals, block_power_mw, cross-check notes).
// Needs R.critical_path_ns (the power period when opt.clock_period_ns is 0); OpenSTA ran at P0
// and reported sta_voltage (-1: none). Sets R.voltage and R.clock_period_ns.
void logic_power(const StaDesign& d, const StaOptions& opt, const ActivityFile* act, const FlatResult& flat, double P0,
                 double sta_voltage, StaReport& R);

// Memory power into R (memories, memory totals, block_power_mw, sram_model), at R.clock_period_ns:
// leakage of every macro always; dynamic power only from the activity file's access counts (without
// them it is 0 and a note says it is not estimated).
void memory_power(const StaDesign& d, const StaOptions& opt, const ActivityFile* act, StaReport& R);

}  // namespace sharp::synth::detail
