// The Verilator harness source (src/sim_main.cpp), embedded at build time so that the tool
// can build a design's simulator without its source tree.
#pragma once

namespace sharp {
extern const char* const kSimMainSource;
}
