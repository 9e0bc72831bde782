// Golden recurrent-layer models for every cell kind (PyTorch conventions: torch.nn.LSTM, GRU
// and RNN gate orders; a = W x + U h + b).
//  - FixedLstm: bit-exact fixed-point model, the same arithmetic as the generated RTL.
//  - run_double: double-precision reference, for accuracy figures and the torch cross-check.
// Fixed point, per neuron j with the frame rows' sums a_g = sat_D(round(W_g x + U_g h + b_g))
// (layer.hpp) and the state c_{t-1} (for gru and rnn the state is h itself: c_t = h_t):
//  lstm      c = sat_C(round(f c + i g)), h = sat_D(round(o tanh(sat_D(c)))).
//  gru       r = sig(a_0), z = sig(a_1), n = tanh(sat_D(a_2 + round(r a_3))),
//            h = sat_D(round((1 - z) n + z h_{t-1})), with 1 = 2^F and h_{t-1} = sat_D(c_{t-1}).
//  rnn_tanh  h = tanh(a_0);  rnn_relu  h = max(0, a_0).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "sharp/layer.hpp"
#include "sharp/numerics.hpp"

namespace sharp {

// Per-step outputs of one layer: h[t][j], c[t][j].
struct FixedTrace {
  std::vector<std::vector<int64_t>> h, c;
};

// Initial state of one layer: h_{-1} (and c_{-1} for the lstm), H codes each; empty = zeros.
struct FixedState {
  std::vector<int64_t> h, c;
};

class FixedLstm {
 public:
  explicit FixedLstm(const NumFormat& fmt);
  // Run one layer over the sequence xs[t][k] from `init` (zero state when null).
  FixedTrace run(const FixedLayer& layer, const std::vector<std::vector<int64_t>>& xs,
                 const FixedState* init = nullptr) const;
  // Stacked layers: the h sequence of layer l is the input of layer l+1. Returns every layer's trace.
  std::vector<FixedTrace> run_stack(const std::vector<FixedLayer>& layers,
                                    const std::vector<std::vector<int64_t>>& xs) const;
  const NumFormat& format() const { return fmt_; }
  const PwlTable& sigmoid() const { return sig_; }
  const PwlTable& tanh() const { return tanh_; }

 private:
  NumFormat fmt_;
  PwlTable sig_, tanh_;
};

// Double-precision layer as torch stores it: G = cell_gates(cell) gate rows per neuron,
// W: G H x X, U: G H x H, b_ih and b_hh: G H (gate-major rows, torch's gate order).
struct FloatLayer {
  int hidden = 0, input = 0;
  Cell cell = Cell::Lstm;
  std::vector<double> w, u, b_ih, b_hh;
};
struct FloatTrace {
  std::vector<std::vector<double>> h, c;  // c = h for gru and rnn
};
struct FloatState {
  std::vector<double> h, c;
};
FloatTrace run_double(const FloatLayer& layer, const std::vector<std::vector<double>>& xs,
                      const FloatState* init = nullptr);
// `init` (if given): each layer's initial state.
std::vector<FloatTrace> run_double_stack(const std::vector<FloatLayer>& layers,
                                         const std::vector<std::vector<double>>& xs,
                                         const std::vector<FloatState>* init = nullptr);

// Values that did not fit the format when quantized, per tensor.
struct Saturations {
  long w = 0, u = 0, b = 0;
  long total() const { return w + u + b; }
};
// Quantize a float layer into the format, in the hardware's four-row frame (layer.hpp):
// biases b_ih + b_hh, then quantized, except the gru's n rows (b_in and b_hn apart).
// `saturations` (if given) counts values that did not fit; `per_tensor` splits the count.
FixedLayer quantize_layer(const FloatLayer& f, const NumFormat& fmt, long* saturations = nullptr,
                          Saturations* per_tensor = nullptr);

// Quantize an input sequence xs[t][k] into the format's data codes; `saturations` (if given)
// counts the values that did not fit.
std::vector<std::vector<int64_t>> quantize_sequence(const std::vector<std::vector<double>>& xs, const NumFormat& fmt,
                                                    long* saturations = nullptr);

// Random float layer with weights uniform in ±1/sqrt(H) (PyTorch's init) and inputs in ±1.
FloatLayer random_float_layer(int hidden, int input, std::mt19937_64& rng, double scale = 0.0, Cell cell = Cell::Lstm);
std::vector<std::vector<double>> random_inputs(int steps, int input, std::mt19937_64& rng, double amp = 1.0);

}  // namespace sharp
