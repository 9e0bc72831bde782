// A layer's weights in fixed-point codes: what the golden model computes with and what the
// host-side layout (stimulus.hpp) streams into the hardware. A plain data type, so that the
// golden model and the host layout share it without depending on each other.
#pragma once

#include <cstdint>
#include <vector>

namespace sharp {

// One layer in fixed-point codes. W: 4H x X, U: 4H x H (row-major), b: 4H (b_ih + b_hh, quantized).
struct FixedLayer {
  int hidden = 0, input = 0;
  std::vector<int64_t> w, u, b;
};

}  // namespace sharp
