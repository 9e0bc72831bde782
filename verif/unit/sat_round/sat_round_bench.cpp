// sat_round_bench.cpp: sharp_sat_round (combinational) at every parameter set of
// verif/unit/CMakeLists.txt against sharp::saturate(sharp::round_shift(x, Shift), OutBits) from
// the numerics library, the arithmetic the golden model uses. Inputs: every InBits-bit value
// when InBits <= 16; otherwise the extremes, rounding ties and the neighbours of both
// saturation thresholds, then random values of random magnitude.
#include "sharp/numerics.hpp"
#include "unit_bench.hpp"
#include "unit_sets.hpp"

namespace {

template <class M>
void run(unit::Bench& b, int set, const char* params, int in_bits, int shift, int out_bits) {
  unit::Rng rng = b.begin_set(set, params);
  VerilatedContext ctx;
  M m(&ctx);
  const int64_t lo = unit::min_signed(in_bits), hi = unit::max_signed(in_bits);
  std::vector<int64_t> xs;
  if (in_bits <= 16) {
    for (int64_t x = lo; x <= hi; ++x) xs.push_back(x);
  } else {
    const int64_t half = shift ? int64_t{1} << (shift - 1) : 0;
    for (int64_t t : {unit::max_signed(out_bits), unit::max_signed(out_bits) + 1, unit::min_signed(out_bits),
                      unit::min_signed(out_bits) - 1, int64_t{0}, int64_t{-1}, int64_t{1}})
      for (int64_t d : {-half - 1, -half, -half + 1, int64_t{-1}, int64_t{0}, int64_t{1}, half - 1, half, half + 1})
        if (shift < 62) {
          const __int128 x = static_cast<__int128>(t) * (int64_t{1} << shift) + d;  // around t * 2^Shift, incl. ties
          if (x >= lo && x <= hi) xs.push_back(static_cast<int64_t>(x));
        }
    for (int64_t x : {lo, lo + 1, hi, hi - 1, int64_t{0}, int64_t{-1}}) xs.push_back(x);
  }
  for (int k = 0; k < 100000; ++k) {
    const int mag = 1 + static_cast<int>(rng() % static_cast<uint64_t>(in_bits));  // random magnitude
    int64_t x = unit::random_bits(rng, mag).field_signed(0, mag);
    if (shift && k % 4 == 0) x = (x >> shift) * (int64_t{1} << shift) + (int64_t{1} << (shift - 1));  // a tie
    if (x >= lo && x <= hi) xs.push_back(x);
  }

  uint64_t c = 0;
  for (int64_t x : xs) {
    const unit::Bits in = unit::Bits::from_signed(in_bits, x);
    unit::put(m.x_i, in);
    m.eval();
    const int64_t y = sharp::saturate(sharp::round_shift(x, shift), out_bits);
    b.check(c++, "y_o", unit::get(m.y_o, out_bits), unit::Bits::from_signed(out_bits, y),
            [&] { return "x_i=" + in.hex() + " (" + std::to_string(x) + "), reference " + std::to_string(y); });
  }
  m.final();
  b.end_set(c);
}

}  // namespace

SHARP_UNIT_MAIN("sharp_sat_round")
