// Fixed-point arithmetic and piecewise-linear activation tables shared by the RTL emitter
// and the golden model, so that hardware and reference can never round differently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sharp {

// The number format of one design (all values two's complement).
//  data_bits  D: weights, biases, x, h and activation outputs (F fraction bits).
//  frac_bits  F: fraction bits of every D-bit value; products carry 2F.
//  acc_bits   A: accumulator width; sums wrap modulo 2^A (order-independent).
//  cell_bits  C: cell state c (F fraction bits), saturating.
//  act_seg_bits: log2 of the number of PWL segments over the whole D-bit input range.
struct NumFormat {
  int data_bits = 16;
  int frac_bits = 12;
  int acc_bits = 40;
  int cell_bits = 20;
  int act_seg_bits = 7;
};

// Saturate v to a signed `bits`-bit value.
int64_t saturate(int64_t v, int bits);
// Wrap v to a signed `bits`-bit value (two's complement truncation).
int64_t wrap(int64_t v, int bits);
// Arithmetic shift right by `sh` with round-half-up: (v + 2^(sh-1)) >> sh.
int64_t round_shift(int64_t v, int sh);
// Real value -> nearest D-bit code with F fraction bits (ties away from zero), saturating.
// `saturated` (if given) is set when the value did not fit.
int64_t quantize(double x, int frac_bits, int bits, bool* saturated = nullptr);
double to_real(int64_t v, int frac_bits);

enum class ActFn { Sigmoid, Tanh };
const char* act_name(ActFn f);

// Piecewise-linear activation over the full D-bit input range, 2^seg_bits uniform segments.
// For input code z: idx = top seg_bits of (z + 2^(D-1)), u = the remaining low bits,
// y = base[idx] + round_shift(slope[idx] * u, D - seg_bits).
// base/slope are the function's quantized values at the segment ends, so the curve is
// continuous; outputs have F fraction bits.
class PwlTable {
 public:
  PwlTable(ActFn fn, const NumFormat& fmt);
  int64_t eval(int64_t z) const;
  ActFn fn() const { return fn_; }
  int seg_bits() const { return seg_bits_; }
  int offset_bits() const { return in_bits_ - seg_bits_; }
  // Width of the signed slope field in hardware (enough for every entry).
  int slope_bits() const { return slope_bits_; }
  const std::vector<int64_t>& base() const { return base_; }
  const std::vector<int64_t>& slope() const { return slope_; }

 private:
  ActFn fn_;
  int in_bits_, frac_bits_, seg_bits_, slope_bits_;
  std::vector<int64_t> base_, slope_;
};

// Bits needed to hold signed value v (including sign).
int signed_bits(int64_t v);
int clog2(uint64_t v);
bool is_pow2(uint64_t v);

}  // namespace sharp
