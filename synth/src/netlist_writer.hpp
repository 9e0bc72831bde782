// Writes the netlists OpenSTA reads (Verilog): one module of the model with names escaped where
// needed, optionally with its sub-module instances dropped and chosen nets made ports (the cut
// netlist of the per-module analysis).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "netlist.hpp"

namespace sharp::synth::detail {

// Verilog identifier, escaped when needed.
std::string vname(const std::string& n);

// Writes one module as `name`. type_name maps an instance type to the name written ("" drops the
// instance: the sub-modules of a cut netlist; black boxes become their Liberty stand-ins); the
// nets in extra_in / extra_out become input / output ports; `rename` overrides net names.
std::string write_module(const VModule& m, const std::string& name,
                         const std::function<std::string(const std::string&)>& type_name,
                         const std::vector<int>& extra_in, const std::vector<int>& extra_out,
                         const std::map<int, std::string>& rename = {});

}  // namespace sharp::synth::detail
