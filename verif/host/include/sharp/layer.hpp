// A layer's weights in fixed-point codes: what the golden model computes with and what the
// host-side layout (stimulus.hpp) streams into the hardware. A plain data type, so that the
// golden model and the host layout share it without depending on each other.
#pragma once

#include <cstdint>
#include <vector>

#include "sharp/numerics.hpp"

namespace sharp {

// One layer in fixed-point codes, in the hardware's frame of four gate rows per neuron for every
// cell kind: W: 4H x X, U: 4H x H (row-major, row g * H + j is gate row g of neuron j, as
// torch.nn.LSTM orders them), b: 4H (quantized). The rows by cell (quantize_layer builds them):
//  lstm      i, f, g, o; b = b_ih + b_hh.
//  gru       r, z, then n split in two rows so that its W·x and U·h sums stay apart:
//            n_x (W_n, U = 0, b_in) and n_h (W = 0, U_n, b_hn); r and z: b = b_ih + b_hh.
//  rnn_*     row 0: W, U, b_ih + b_hh; rows 1-3 zero.
struct FixedLayer {
  int hidden = 0, input = 0;
  Cell cell = Cell::Lstm;
  std::vector<int64_t> w, u, b;
};

}  // namespace sharp
