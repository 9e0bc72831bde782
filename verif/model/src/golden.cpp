#include "sharp/golden.hpp"

#include <algorithm>
#include <cmath>

namespace sharp {

FixedLstm::FixedLstm(const NumFormat& fmt) : fmt_(fmt), sig_(ActFn::Sigmoid, fmt), tanh_(ActFn::Tanh, fmt) {}

FixedTrace FixedLstm::run(const FixedLayer& L, const std::vector<std::vector<int64_t>>& xs,
                          const FixedState* init) const {
  const int H = L.hidden, X = L.input, D = fmt_.data_bits, F = fmt_.frac_bits, Fw = fmt_.wfrac();
  const int A = fmt_.acc_bits, C = fmt_.cell_bits;
  std::vector<int64_t> h(H, 0), c(H, 0), a(4 * H);
  if (init && !init->h.empty()) h = init->h;
  if (init && !init->c.empty()) c = init->c;
  // The gru and rnn keep h as their state: c_{-1} = h_{-1}.
  if (L.cell != Cell::Lstm) c = h;
  const int64_t one = int64_t{1} << F;
  FixedTrace out;
  for (const auto& x : xs) {
    for (int r = 0; r < 4 * H; ++r) {
      // Exact integer sum, then wrap to the accumulator width: modular addition is
      // associative, so any tiling order in hardware gives the same bits.
      int64_t s = L.b[r] * (int64_t{1} << Fw);
      const int64_t* wr = &L.w[static_cast<size_t>(r) * X];
      const int64_t* ur = &L.u[static_cast<size_t>(r) * H];
      for (int k = 0; k < X; ++k) s += wr[k] * x[k];
      for (int k = 0; k < H; ++k) s += ur[k] * h[k];
      a[r] = saturate(round_shift(wrap(s, A), Fw), D);
    }
    std::vector<int64_t> hn(H), cn(H);
    for (int j = 0; j < H; ++j) {
      switch (L.cell) {
        case Cell::Lstm: {
          const int64_t i = sig_.eval(a[j]);
          const int64_t f = sig_.eval(a[H + j]);
          const int64_t g = tanh_.eval(a[2 * H + j]);
          const int64_t o = sig_.eval(a[3 * H + j]);
          cn[j] = saturate(round_shift(f * c[j] + i * g, F), C);
          const int64_t tc = tanh_.eval(saturate(cn[j], D));
          hn[j] = saturate(round_shift(o * tc, F), D);
          break;
        }
        case Cell::Gru: {
          const int64_t r = sig_.eval(a[j]);
          const int64_t z = sig_.eval(a[H + j]);
          const int64_t n = tanh_.eval(saturate(a[2 * H + j] + round_shift(r * a[3 * H + j], F), D));
          hn[j] = saturate(round_shift((one - z) * n + z * saturate(c[j], D), F), D);
          cn[j] = hn[j];
          break;
        }
        case Cell::RnnTanh:
          hn[j] = cn[j] = tanh_.eval(a[j]);
          break;
        case Cell::RnnRelu:
          hn[j] = cn[j] = std::max<int64_t>(0, a[j]);
          break;
      }
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

FloatTrace run_double(const FloatLayer& L, const std::vector<std::vector<double>>& xs, const FloatState* init) {
  const int H = L.hidden, X = L.input, G = cell_gates(L.cell);
  std::vector<double> h(H, 0.0), c(H, 0.0), wx(static_cast<size_t>(G) * H), uh(wx.size());
  if (init && !init->h.empty()) h = init->h;
  if (init && !init->c.empty()) c = init->c;
  auto sig = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
  FloatTrace out;
  for (const auto& x : xs) {
    // W x + b_ih and U h + b_hh apart: the gru's n gate needs them so.
    for (int r = 0; r < G * H; ++r) {
      double s = L.b_ih[r], q = L.b_hh[r];
      for (int k = 0; k < X; ++k) s += L.w[static_cast<size_t>(r) * X + k] * x[k];
      for (int k = 0; k < H; ++k) q += L.u[static_cast<size_t>(r) * H + k] * h[k];
      wx[r] = s;
      uh[r] = q;
    }
    std::vector<double> hn(H);
    for (int j = 0; j < H; ++j) {
      switch (L.cell) {
        case Cell::Lstm: {
          auto a = [&](int g) { return wx[g * H + j] + uh[g * H + j]; };
          const double i = sig(a(0)), f = sig(a(1)), g = std::tanh(a(2)), o = sig(a(3));
          c[j] = f * c[j] + i * g;
          hn[j] = o * std::tanh(c[j]);
          break;
        }
        case Cell::Gru: {
          const double r = sig(wx[j] + uh[j]), z = sig(wx[H + j] + uh[H + j]);
          const double n = std::tanh(wx[2 * H + j] + r * uh[2 * H + j]);
          hn[j] = (1.0 - z) * n + z * h[j];
          break;
        }
        case Cell::RnnTanh:
          hn[j] = std::tanh(wx[j] + uh[j]);
          break;
        case Cell::RnnRelu:
          hn[j] = std::max(0.0, wx[j] + uh[j]);
          break;
      }
    }
    h = hn;
    if (L.cell != Cell::Lstm) c = h;
    out.h.push_back(h);
    out.c.push_back(c);
  }
  return out;
}

std::vector<FloatTrace> run_double_stack(const std::vector<FloatLayer>& layers,
                                         const std::vector<std::vector<double>>& xs,
                                         const std::vector<FloatState>* init) {
  std::vector<FloatTrace> traces;
  const std::vector<std::vector<double>>* in = &xs;
  for (size_t l = 0; l < layers.size(); ++l) {
    traces.push_back(run_double(layers[l], *in, init ? &(*init)[l] : nullptr));
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
  q.cell = f.cell;
  const int H = f.hidden, X = f.input;
  const size_t rows = static_cast<size_t>(4) * H;
  Saturations s;
  q.w.assign(rows * X, 0);
  q.u.assign(rows * H, 0);
  q.b.assign(rows, 0);
  // Weights with Fw fraction bits, biases with F.
  auto code = [&](double v, int frac, long& sat) {
    bool st = false;
    const int64_t c = quantize(v, frac, fmt.data_bits, &st);
    sat += st;
    return c;
  };
  const int Fw = fmt.wfrac(), F = fmt.frac_bits;
  // Frame row `fr` from the model's gate row `mr`: its W row and/or U row, and its bias.
  auto put = [&](size_t fr, size_t mr, bool with_w, bool with_u, double bias) {
    if (with_w)
      for (int k = 0; k < X; ++k) q.w[fr * X + k] = code(f.w[mr * X + k], Fw, s.w);
    if (with_u)
      for (int k = 0; k < H; ++k) q.u[fr * H + k] = code(f.u[mr * H + k], Fw, s.u);
    q.b[fr] = code(bias, F, s.b);
  };
  const int G = cell_gates(f.cell);
  for (int g = 0; g < G; ++g)
    for (int j = 0; j < H; ++j) {
      const size_t mr = static_cast<size_t>(g) * H + j;
      if (f.cell == Cell::Gru && g == 2) {
        put(mr, mr, true, false, f.b_ih[mr]);                              // n_x: W_n x + b_in
        put(static_cast<size_t>(3) * H + j, mr, false, true, f.b_hh[mr]);  // n_h: U_n h + b_hn
      } else {
        put(mr, mr, true, true, f.b_ih[mr] + f.b_hh[mr]);
      }
    }
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

FloatLayer random_float_layer(int hidden, int input, std::mt19937_64& rng, double scale, Cell cell) {
  if (scale <= 0) scale = 1.0 / std::sqrt(static_cast<double>(hidden));
  std::uniform_real_distribution<double> d(-scale, scale);
  FloatLayer L;
  L.hidden = hidden;
  L.input = input;
  L.cell = cell;
  const size_t rows = static_cast<size_t>(cell_gates(cell)) * hidden;
  L.w.resize(rows * input);
  L.u.resize(rows * hidden);
  L.b_ih.resize(rows);
  L.b_hh.resize(rows);
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
