// Arrival times at module boundaries, for the per-module analysis (docs/TIMING_POWER.md, "Paths
// across module boundaries"). Each module is timed alone, its sub-modules cut out; here the
// worst arrival OpenSTA finds at each output of a module's cut netlist becomes the input delay
// of what it feeds: a sub-module's input port (worst over every instance of that module), or,
// for a sub-module's output, the parent's cut pin. Repeated until no input delay changes, the
// per-module worst paths then include every path that crosses a boundary, bit for bit, with
// each module's inputs at their worst arrival over all its instances. Each output port also
// carries the load outside it (the input capacitance of the sub-module pins it feeds; for a
// module's own output, the largest load over its instances), so the driving gate is timed with
// it, and each input the transition (slew) found at the output driving it.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "net_model.hpp"

namespace sharp::synth::detail {

// The ports of a module's cut netlist by net, named as OpenSTA names them.
struct CutPorts {
  std::unordered_map<int, std::string> in, out;  // net -> port name
  std::unordered_map<std::string, int> out_net;  // output port name -> net
};
CutPorts cut_ports(const ModCtx& c);

// The worst arrival and the worst transition at a pin, ns.
struct Edge {
  double arrival = 0, slew = 0;
};

class BoundaryTiming {
 public:
  explicit BoundaryTiming(const StaDesign& d);
  const CutPorts& ports(size_t i) const { return ports_[i]; }
  // Module i's boundary constraints for sta.tcl's sharp_boundary: input delays and transitions,
  // output loads ("" when every input arrives at 0 with no transition and no output has a load).
  std::string delays_tcl(size_t i) const;
  // Module i's latest analysis: the worst arrival and transition at each output net that has one.
  void set_outputs(size_t i, std::unordered_map<int, Edge> edges) { sta_out_[i] = std::move(edges); }
  // Recomputes every module port's arrival from the latest analyses (the caller compares the
  // resulting delays_tcl texts to decide what to time again).
  void propagate();

 private:
  Edge net_edge(size_t i, int net) const;
  const StaDesign& d_;
  std::vector<CutPorts> ports_;
  std::vector<std::unordered_map<int, Edge>> sta_out_;
  // Per module: port -> per bit (MSB first) worst arrival and transition; input port bits by net.
  std::vector<std::map<std::string, std::vector<Edge>>> in_, out_;
  std::vector<std::unordered_map<int, std::pair<std::string, size_t>>> in_bit_;
  std::vector<std::unordered_map<int, double>> load_;  // output net -> fF outside the cut netlist
};

}  // namespace sharp::synth::detail
