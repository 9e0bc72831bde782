// sharpgen run: a trained model (docs/MODEL_FORMAT.md) through a generated design in
// Verilator, layer after layer and direction after direction, every layer's outputs checked
// bit for bit against the golden fixed-point model.
#pragma once

#include <cstdint>
#include <string>

namespace sharp::cli {

struct RunArgs {
  std::string design, model, inputs, out;
  bool json = false;
};
int cmd_run(const RunArgs& a);

}  // namespace sharp::cli
