// The Verilator harness sources (src/sim_main.cpp, src/axi_main.cpp, src/sim_common.hpp), embedded at build time so
// that the tool can build a design's simulator without its source tree.
#pragma once

namespace sharp {
extern const char* const kSimMainSource;
extern const char* const kAxiMainSource;
extern const char* const kSimCommonSource;
}  // namespace sharp
