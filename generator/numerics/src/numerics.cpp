#include "sharp/numerics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sharp {

int64_t saturate(int64_t v, int bits) {
  const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
  const int64_t lo = -(int64_t{1} << (bits - 1));
  return v > hi ? hi : (v < lo ? lo : v);
}

int64_t wrap(int64_t v, int bits) {
  if (bits >= 64) return v;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if (u >> (bits - 1)) u |= ~mask;  // sign-extend
  return static_cast<int64_t>(u);
}

int64_t round_shift(int64_t v, int sh) {
  if (sh <= 0) return v;
  return (v + (int64_t{1} << (sh - 1))) >> sh;  // >> on signed is arithmetic (C++20, gcc always)
}

int64_t quantize(double x, int frac_bits, int bits, bool* saturated) {
  const double scaled = std::ldexp(x, frac_bits);
  const double hi = std::ldexp(1.0, bits - 1) - 1;
  const double lo = -std::ldexp(1.0, bits - 1);
  bool sat = false;
  int64_t q;
  if (!(scaled == scaled)) throw std::invalid_argument("quantize: value is NaN");
  if (scaled > hi) {
    q = static_cast<int64_t>(hi);
    sat = true;
  } else if (scaled < lo) {
    q = static_cast<int64_t>(lo);
    sat = true;
  } else {
    q = std::llround(scaled);
    if (q > hi || q < lo) {
      q = saturate(q, bits);
      sat = true;
    }
  }
  if (saturated) *saturated = sat;
  return q;
}

double to_real(int64_t v, int frac_bits) { return std::ldexp(static_cast<double>(v), -frac_bits); }

const char* act_name(ActFn f) { return f == ActFn::Sigmoid ? "sigmoid" : "tanh"; }

namespace {
constexpr const char* kCellName[kCellKinds] = {"lstm", "gru", "rnn_tanh", "rnn_relu"};
}
const char* cell_name(Cell c) { return kCellName[static_cast<int>(c)]; }
bool parse_cell(const std::string& s, Cell* out) {
  for (int k = 0; k < kCellKinds; ++k)
    if (s == kCellName[k]) {
      *out = static_cast<Cell>(k);
      return true;
    }
  return false;
}
int cell_gates(Cell c) {
  switch (c) {
    case Cell::Lstm:
      return 4;
    case Cell::Gru:
      return 3;
    default:
      return 1;
  }
}
const char* cell_names() { return "lstm, gru, rnn_tanh, rnn_relu"; }
std::string cell_list(int mask, const char* sep) {
  std::string s;
  for (int k = 0; k < kCellKinds; ++k)
    if ((mask >> k) & 1) s += (s.empty() ? "" : sep) + std::string(kCellName[k]);
  return s;
}

int signed_bits(int64_t v) {
  int b = 1;
  while (v < -(int64_t{1} << (b - 1)) || v > (int64_t{1} << (b - 1)) - 1) ++b;
  return b;
}

int clog2(uint64_t v) {
  int b = 0;
  while ((uint64_t{1} << b) < v) ++b;
  return b;
}

bool is_pow2(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

PwlTable::PwlTable(ActFn fn, const NumFormat& fmt)
    : fn_(fn), in_bits_(fmt.data_bits), frac_bits_(fmt.frac_bits), seg_bits_(fmt.act_seg_bits) {
  const int n = 1 << seg_bits_;
  auto f = [fn](double z) { return fn == ActFn::Sigmoid ? 1.0 / (1.0 + std::exp(-z)) : std::tanh(z); };
  // The domain: the first width whose edge 2^(W-1-F) has both tails within half an LSB of their
  // limits (sigmoid 0 and 1, tanh -1 and 1).
  const double half_lsb = std::ldexp(1.0, -(frac_bits_ + 1));
  const double lo_lim = fn == ActFn::Sigmoid ? 0.0 : -1.0;
  domain_bits_ = std::min(in_bits_, seg_bits_ + 2);
  while (domain_bits_ < in_bits_) {
    const double edge = std::ldexp(1.0, domain_bits_ - 1 - frac_bits_);
    if (1.0 - f(edge) <= half_lsb && f(-edge) - lo_lim <= half_lsb) break;
    ++domain_bits_;
  }
  const int off = domain_bits_ - seg_bits_;
  base_.resize(n);
  slope_.resize(n);
  slope_bits_ = 2;
  std::vector<double> exact(static_cast<size_t>(1) << off);  // the function at a segment's codes
  for (int i = 0; i < n; ++i) {
    // Segment i covers input codes [lo, lo + 2^off); its end point is lo + 2^off. Its line is
    // the chord through the function's values there, or the chord moved by the middle of its
    // deviations over the segment's codes so that the error is centred (half the chord's worst
    // error), kept within the function's range.
    const int64_t lo = (int64_t{i} << off) - (int64_t{1} << (domain_bits_ - 1));
    const int64_t hi = lo + (int64_t{1} << off);
    const double f0 = f(to_real(lo, frac_bits_)), f1 = f(to_real(hi, frac_bits_));
    for (int64_t z = lo; z < hi; ++z) exact[static_cast<size_t>(z - lo)] = f(to_real(z, frac_bits_));
    double dmin = 0, dmax = 0;
    for (int64_t z = lo; z < hi; ++z) {
      const double t = static_cast<double>(z - lo) / static_cast<double>(hi - lo);
      const double d = exact[static_cast<size_t>(z - lo)] - (f0 + t * (f1 - f0));
      dmin = std::min(dmin, d);
      dmax = std::max(dmax, d);
    }
    auto clamp = [&](double v) { return std::min(1.0, std::max(lo_lim, v)); };
    // Of the chord and the centred line, the one whose fixed-point outputs err least over the
    // segment (at coarse formats rounding can undo the centring).
    int64_t best_y0 = 0, best_y1 = 0;
    double best_err = -1;
    for (double shift : {0.0, (dmin + dmax) / 2}) {
      const int64_t y0 = quantize(clamp(f0 + shift), frac_bits_, in_bits_);
      const int64_t y1 = quantize(clamp(f1 + shift), frac_bits_, in_bits_);
      double err = 0;
      for (int64_t z = lo; z < hi; ++z) {
        const int64_t y = y0 + round_shift((y1 - y0) * (z - lo), off);
        err = std::max(err, std::fabs(to_real(y, frac_bits_) - exact[static_cast<size_t>(z - lo)]));
      }
      if (best_err < 0 || err < best_err) {
        best_err = err;
        best_y0 = y0;
        best_y1 = y1;
      }
    }
    base_[i] = best_y0;
    slope_[i] = best_y1 - best_y0;
    slope_bits_ = std::max(slope_bits_, signed_bits(slope_[i]));
  }
}

int64_t PwlTable::eval(int64_t z) const {
  const int off = domain_bits_ - seg_bits_;
  const uint64_t biased = static_cast<uint64_t>(saturate(z, domain_bits_) + (int64_t{1} << (domain_bits_ - 1)));
  const uint64_t idx = biased >> off;
  const int64_t u = static_cast<int64_t>(biased & ((uint64_t{1} << off) - 1));
  return base_[idx] + round_shift(slope_[idx] * u, off);
}

}  // namespace sharp
