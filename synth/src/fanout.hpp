// The fanout-buffer pass of run_sta: nets with more loads than StaOptions::max_fanout (cell and
// sub-module input pins, counted inside one module) get a tree of the library's buffer before
// OpenSTA sees the netlist, as a physical flow would: ABC buffers inside a module, but a net
// through module boundaries (one register driving every accumulator row) is never seen whole.
#pragma once

#include <functional>
#include <string>

#include "liberty.hpp"
#include "netlist.hpp"

namespace sharp::synth::detail {

// The clock port of a module: `preferred`, clk_i, clk, clock or clk_in if it is a 1-bit input,
// else the first 1-bit input named clk* or *clk; "" if none.
std::string clock_port_of(const VModule& m, const std::string& preferred);

// A pin's direction (kDir*) for an instance type; sets *clock for a clock pin.
using PinDirOf = std::function<int(const std::string& type, const std::string& pin, bool* clock)>;

// Splits every net of `m` with more than `max_fanout` input-pin loads into a tree of `buf`
// cells (max_fanout loads per buffer, contiguous in instance order). Nets left alone: the
// clock (a clock pin among the loads), nets with a pin of unknown direction or an inout, nets
// with no single driver. Output ports stay on the original net. New nets are named sgfo_<n>,
// the buffers sgfo_buf_<n>. Returns the buffers added (0 when max_fanout < 2).
long buffer_fanout(VModule& m, const RefCell& buf, int max_fanout, const PinDirOf& dir_of);

}  // namespace sharp::synth::detail
