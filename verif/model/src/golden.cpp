#include "sharp/golden.hpp"

#include <cmath>

namespace sharp {

FixedLstm::FixedLstm(const NumFormat& fmt) : fmt_(fmt), sig_(ActFn::Sigmoid, fmt), tanh_(ActFn::Tanh, fmt) {}

FixedTrace FixedLstm::run(const FixedLayer& L, const std::vector<std::vector<int64_t>>& xs) const {
  const int H = L.hidden, X = L.input, D = fmt_.data_bits, F = fmt_.frac_bits;
  const int A = fmt_.acc_bits, C = fmt_.cell_bits;
  std::vector<int64_t> h(H, 0), c(H, 0), a(4 * H);
  FixedTrace out;
  for (const auto& x : xs) {
    for (int r = 0; r < 4 * H; ++r) {
      // Exact integer sum, then wrap to the accumulator width: modular addition is
      // associative, so any tiling order in hardware gives the same bits.
      int64_t s = L.b[r] * (int64_t{1} << F);
      const int64_t* wr = &L.w[static_cast<size_t>(r) * X];
      const int64_t* ur = &L.u[static_cast<size_t>(r) * H];
      for (int k = 0; k < X; ++k) s += wr[k] * x[k];
      for (int k = 0; k < H; ++k) s += ur[k] * h[k];
      a[r] = saturate(round_shift(wrap(s, A), F), D);
    }
    std::vector<int64_t> hn(H), cn(H);
    for (int j = 0; j < H; ++j) {
      const int64_t i = sig_.eval(a[j]);
      const int64_t f = sig_.eval(a[H + j]);
      const int64_t g = tanh_.eval(a[2 * H + j]);
      const int64_t o = sig_.eval(a[3 * H + j]);
      cn[j] = saturate(round_shift(f * c[j] + i * g, F), C);
      const int64_t tc = tanh_.eval(saturate(cn[j], D));
      hn[j] = saturate(round_shift(o * tc, F), D);
    }
    h = hn;
    c = cn;
    out.h.push_back(hn);
    out.c.push_back(cn);
  }
  return out;
}

std::vector<FixedTrace> FixedLstm::run_stack(const std::vector<FixedLayer>& layers,
                                             const std::vector<std::vector<int64_t>>& xs) const {
  std::vector<FixedTrace> traces;
  const std::vector<std::vector<int64_t>>* in = &xs;
  for (const auto& L : layers) {
    traces.push_back(run(L, *in));
    in = &traces.back().h;
  }
  return traces;
}

FloatTrace run_double(const FloatLayer& L, const std::vector<std::vector<double>>& xs) {
  const int H = L.hidden, X = L.input;
  std::vector<double> h(H, 0.0), c(H, 0.0), a(4 * H);
  auto sig = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
  FloatTrace out;
  for (const auto& x : xs) {
    for (int r = 0; r < 4 * H; ++r) {
      double s = L.b_ih[r] + L.b_hh[r];
      for (int k = 0; k < X; ++k) s += L.w[static_cast<size_t>(r) * X + k] * x[k];
      for (int k = 0; k < H; ++k) s += L.u[static_cast<size_t>(r) * H + k] * h[k];
      a[r] = s;
    }
    for (int j = 0; j < H; ++j) {
      const double i = sig(a[j]), f = sig(a[H + j]), g = std::tanh(a[2 * H + j]), o = sig(a[3 * H + j]);
      c[j] = f * c[j] + i * g;
      h[j] = o * std::tanh(c[j]);
    }
    out.h.push_back(h);
    out.c.push_back(c);
  }
  return out;
}

std::vector<FloatTrace> run_double_stack(const std::vector<FloatLayer>& layers,
                                         const std::vector<std::vector<double>>& xs) {
  std::vector<FloatTrace> traces;
  const std::vector<std::vector<double>>* in = &xs;
  for (const auto& L : layers) {
    traces.push_back(run_double(L, *in));
    in = &traces.back().h;
  }
  return traces;
}

namespace {
// Quantizes a tensor, adding the values that did not fit to `sat`.
std::vector<int64_t> quantize_all(const std::vector<double>& v, const NumFormat& fmt, long& sat) {
  std::vector<int64_t> r(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    bool s = false;
    r[i] = quantize(v[i], fmt.frac_bits, fmt.data_bits, &s);
    sat += s;
  }
  return r;
}
}  // namespace

FixedLayer quantize_layer(const FloatLayer& f, const NumFormat& fmt, long* saturations, Saturations* per_tensor) {
  FixedLayer q;
  q.hidden = f.hidden;
  q.input = f.input;
  Saturations s;
  q.w = quantize_all(f.w, fmt, s.w);
  q.u = quantize_all(f.u, fmt, s.u);
  std::vector<double> b(f.b_ih.size());
  for (size_t i = 0; i < b.size(); ++i) b[i] = f.b_ih[i] + f.b_hh[i];
  q.b = quantize_all(b, fmt, s.b);
  if (saturations) *saturations = s.total();
  if (per_tensor) *per_tensor = s;
  return q;
}

std::vector<std::vector<int64_t>> quantize_sequence(const std::vector<std::vector<double>>& xs, const NumFormat& fmt,
                                                    long* saturations) {
  std::vector<std::vector<int64_t>> q;
  long sat = 0;
  for (const auto& x : xs) q.push_back(quantize_all(x, fmt, sat));
  if (saturations) *saturations = sat;
  return q;
}

FloatLayer random_float_layer(int hidden, int input, std::mt19937_64& rng, double scale) {
  if (scale <= 0) scale = 1.0 / std::sqrt(static_cast<double>(hidden));
  std::uniform_real_distribution<double> d(-scale, scale);
  FloatLayer L;
  L.hidden = hidden;
  L.input = input;
  L.w.resize(static_cast<size_t>(4) * hidden * input);
  L.u.resize(static_cast<size_t>(4) * hidden * hidden);
  L.b_ih.resize(4 * hidden);
  L.b_hh.resize(4 * hidden);
  for (auto* v : {&L.w, &L.u, &L.b_ih, &L.b_hh})
    for (auto& e : *v) e = d(rng);
  return L;
}

std::vector<std::vector<double>> random_inputs(int steps, int input, std::mt19937_64& rng, double amp) {
  std::uniform_real_distribution<double> d(-amp, amp);
  std::vector<std::vector<double>> xs(steps, std::vector<double>(input));
  for (auto& x : xs)
    for (auto& e : x) e = d(rng);
  return xs;
}

}  // namespace sharp
