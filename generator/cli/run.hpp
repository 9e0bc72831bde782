// sharpgen run: a trained model (docs/MODEL_FORMAT.md) through a generated design in
// Verilator, every layer's outputs checked bit for bit against the golden fixed-point model. The
// whole model and batch run in one simulator process as one program (sharp/program.hpp): each
// layer and direction is loaded once into a weight slot, the next one loading while one runs
// where the design has slots, and the end-to-end cycles are checked against the program model.
#pragma once

#include <cstdint>
#include <string>

namespace sharp::cli {

struct RunArgs {
  std::string design, model, inputs, out;
  std::string h0, c0;  // initial states .npy, (layers x directions, N, H) as torch takes them; empty: zero
  bool json = false;
  bool separate_runs = false;           // the old path: a simulator process per layer run
  double dram_gbps = 0, clock_mhz = 0;  // 0: loads as fast as the streams take them
  std::string flip, flip_count;         // checker self-tests (program path), as in verify
  int streams = 0;                      // streams per run (0: the design's); 1: a sequence per run
  std::string wavefront = "auto";       // a stack's layers as a wavefront: auto (if fewer cycles), on, off
};
int cmd_run(const RunArgs& a);

}  // namespace sharp::cli
