// Packaging views of a design's top, private to the emit library: sharp_axi_top with the AXI
// shell (Config::shell == "axi"), else sharp_top, described for IP integrators and build tools,
// printed from the same plan and port lists (sharp::shell_ports, sharp::top_ports) the RTL is.
#pragma once

#include <string>
#include <vector>

#include "sharp/plan.hpp"

namespace sharp {

// TOP.xml: an IEEE 1685-2014 (IP-XACT) component. With the shell: the AXI4-Lite slave and the five
// AXI4-Stream interfaces as bus interfaces of ARM's AMBA4 definitions, the register map as a
// memory map of the AXI4-Lite slave (byte offsets 4 x the word address), the ports, one RTL view
// and the file sets, the design parameters (the P_* registers) as component parameters. Without
// it: the same less the bus interfaces and the memory map (sharp_top's ports follow no bus).
// `rtl_files`: the design's RTL files in filelist.f order, relative to the design directory.
std::string ipxact_component(const Plan& p, const std::vector<std::string>& rtl_files, const std::string& command);

// TOP.core: a FuseSoC CAPI2 core file (VLNV sharpgen:sharp:<config name>:<version>): the
// RTL files (filelist.f order), the C files as user files, a default and a Verilator lint target.
std::string fusesoc_core(const Plan& p, const std::vector<std::string>& rtl_files, const std::string& command);

}  // namespace sharp
