// Golden LSTM models (PyTorch conventions: gate rows ordered i, f, g, o; a = W x + U h + b).
//  - FixedLstm: bit-exact fixed-point model, the same arithmetic as the generated RTL.
//  - run_double: double-precision reference, for accuracy figures and the torch cross-check.
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

class FixedLstm {
 public:
  explicit FixedLstm(const NumFormat& fmt);
  // Run one layer over the sequence xs[t][k]; h_{-1} = c_{-1} = 0.
  FixedTrace run(const FixedLayer& layer, const std::vector<std::vector<int64_t>>& xs) const;
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

// Double-precision layer: separate biases as torch.nn.LSTM stores them.
struct FloatLayer {
  int hidden = 0, input = 0;
  std::vector<double> w, u, b_ih, b_hh;
};
struct FloatTrace {
  std::vector<std::vector<double>> h, c;
};
FloatTrace run_double(const FloatLayer& layer, const std::vector<std::vector<double>>& xs);
std::vector<FloatTrace> run_double_stack(const std::vector<FloatLayer>& layers,
                                         const std::vector<std::vector<double>>& xs);

// Values that did not fit the format when quantized, per tensor.
struct Saturations {
  long w = 0, u = 0, b = 0;
  long total() const { return w + u + b; }
};
// Quantize a float layer into the format (bias = b_ih + b_hh, then quantized).
// `saturations` (if given) counts values that did not fit; `per_tensor` splits the count.
FixedLayer quantize_layer(const FloatLayer& f, const NumFormat& fmt, long* saturations = nullptr,
                          Saturations* per_tensor = nullptr);

// Quantize an input sequence xs[t][k] into the format's data codes; `saturations` (if given)
// counts the values that did not fit.
std::vector<std::vector<int64_t>> quantize_sequence(const std::vector<std::vector<double>>& xs, const NumFormat& fmt,
                                                    long* saturations = nullptr);

// Random float layer with weights uniform in ±1/sqrt(H) (PyTorch's init) and inputs in ±1.
FloatLayer random_float_layer(int hidden, int input, std::mt19937_64& rng, double scale = 0.0);
std::vector<std::vector<double>> random_inputs(int steps, int input, std::mt19937_64& rng, double amp = 1.0);

}  // namespace sharp
