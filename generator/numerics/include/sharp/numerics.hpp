// Fixed-point arithmetic and piecewise-linear activation tables shared by the RTL emitter
// and the golden model, so that hardware and reference can never round differently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sharp {

// The number format of one design (all values two's complement).
//  data_bits  D: weights, biases, x, h and activation outputs (F fraction bits).
//  frac_bits  F: fraction bits of every D-bit value but the weights; products carry F + Fw.
//  weight_frac_bits  Fw: fraction bits of the weights W and U (-1: F). Small weights keep
//             their resolution when F is lowered for the range of x, h and the pre-activations;
//             the accumulators align the bias to F + Fw and shift sums right by Fw.
//  acc_bits   A: accumulator width; sums wrap modulo 2^A (order-independent).
//  cell_bits  C: cell state c (F fraction bits), saturating.
//  act_seg_bits: log2 of the number of PWL segments over each table's input domain (PwlTable).
struct NumFormat {
  int data_bits = 16;
  int frac_bits = 12;
  int acc_bits = 40;
  int cell_bits = 20;
  int act_seg_bits = 7;
  int weight_frac_bits = -1;
  int wfrac() const { return weight_frac_bits < 0 ? frac_bits : weight_frac_bits; }
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

// Recurrent cell kinds. The values are the hardware's codes: register CELL, bit c of P_CELLS.
//  lstm      torch.nn.LSTM: gates i, f, g, o; c and h.
//  gru       torch.nn.GRU (ONNX linear_before_reset = 1): gates r, z, n; h only.
//  rnn_tanh  torch.nn.RNN (Elman), h = tanh(W x + b_ih + U h + b_hh).
//  rnn_relu  the same with relu.
enum class Cell : int { Lstm = 0, Gru = 1, RnnTanh = 2, RnnRelu = 3 };
constexpr int kCellKinds = 4;
const char* cell_name(Cell c);
// The kind named `s` ("lstm", "gru", "rnn_tanh", "rnn_relu"); false when there is none.
bool parse_cell(const std::string& s, Cell* out);
// Gate rows per neuron in the model's weight matrices: 4, 3, 1, 1.
int cell_gates(Cell c);
// The names, for error messages: "lstm, gru, rnn_tanh, rnn_relu".
const char* cell_names();
// The kinds of a mask (bit c: Cell c) by name, joined by `sep`, in code order.
std::string cell_list(int mask, const char* sep = ", ");

enum class ActFn { Sigmoid, Tanh };
const char* act_name(ActFn f);

// Piecewise-linear activation, 2^seg_bits uniform segments over the function's input domain:
// the codes of W = domain_bits() bits, |z| < 2^(W-1) (2^(W-1-F) in real units), W the smallest
// width at whose edge the function is within half an LSB (2^-(F+1)) of its limit, at most D and
// at least seg_bits + 2. Beyond the edge the input saturates to W bits, so the segments are
// spent where the function bends, not over the whole D-bit range (at D16 F10: +-8 instead of
// +-32). For input code z: zc = saturate(z, W), idx = top seg_bits of (zc + 2^(W-1)), u = the
// remaining low bits, y = base[idx] + round_shift(slope[idx] * u, W - seg_bits).
// base/slope: the quantized ends of the segment's line, the chord through the function's
// values at the segment's ends or that chord moved to centre its error over the segment,
// whichever errs less in fixed point; outputs have F fraction bits.
class PwlTable {
 public:
  PwlTable(ActFn fn, const NumFormat& fmt);
  int64_t eval(int64_t z) const;
  ActFn fn() const { return fn_; }
  int seg_bits() const { return seg_bits_; }
  int domain_bits() const { return domain_bits_; }
  int offset_bits() const { return domain_bits_ - seg_bits_; }
  // Width of the signed slope field in hardware (enough for every entry).
  int slope_bits() const { return slope_bits_; }
  const std::vector<int64_t>& base() const { return base_; }
  const std::vector<int64_t>& slope() const { return slope_; }

 private:
  ActFn fn_;
  int in_bits_, frac_bits_, seg_bits_, domain_bits_, slope_bits_;
  std::vector<int64_t> base_, slope_;
};

// Bits needed to hold signed value v (including sign).
int signed_bits(int64_t v);
int clog2(uint64_t v);
bool is_pow2(uint64_t v);

}  // namespace sharp
