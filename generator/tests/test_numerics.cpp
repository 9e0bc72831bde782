#include <cmath>

#include <catch2/catch.hpp>

#include "sharp/numerics.hpp"

using namespace sharp;

TEST_CASE("saturate clamps to the signed range of the given width", "[numerics]") {
  CHECK(saturate(200, 8) == 127);
  CHECK(saturate(-200, 8) == -128);
  CHECK(saturate(-5, 8) == -5);
}

TEST_CASE("wrap keeps the low bits as two's complement", "[numerics]") {
  CHECK(wrap(128, 8) == -128);
  CHECK(wrap(-129, 8) == 127);
  CHECK(wrap(5, 8) == 5);
}

TEST_CASE("round_shift rounds half up, also for negative values", "[numerics]") {
  CHECK(round_shift(6, 2) == 2);    // 1.5 -> 2
  CHECK(round_shift(5, 2) == 1);    // 1.25 -> 1
  CHECK(round_shift(-6, 2) == -1);  // -1.5 -> -1 (half up)
  CHECK(round_shift(-7, 2) == -2);  // -1.75 -> -2
  CHECK(round_shift(9, 0) == 9);
}

TEST_CASE("quantize rounds to the nearest code and reports saturation", "[numerics]") {
  bool sat = false;
  CHECK(quantize(0.5, 12, 16, &sat) == 2048);
  CHECK_FALSE(sat);
  CHECK(quantize(100.0, 12, 16, &sat) == 32767);
  CHECK(sat);
  CHECK(quantize(-100.0, 12, 16, &sat) == -32768);
  CHECK(sat);
}

TEST_CASE("PWL tables stay close to the exact functions over the whole input range", "[numerics]") {
  NumFormat f;  // 16 bits, 12 fraction bits, 128 segments
  for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh}) {
    const PwlTable t(fn, f);
    double worst = 0;
    for (int64_t z = -32768; z < 32768; z += 7) {
      const double x = to_real(z, f.frac_bits);
      const double exact = fn == ActFn::Sigmoid ? 1 / (1 + std::exp(-x)) : std::tanh(x);
      worst = std::max(worst, std::fabs(to_real(t.eval(z), f.frac_bits) - exact));
    }
    INFO(act_name(fn) << " worst error " << worst);
    CHECK(worst < 3e-3);
  }
}

TEST_CASE("PWL tables are continuous at segment boundaries", "[numerics]") {
  NumFormat f;
  const PwlTable t(ActFn::Tanh, f);
  const int off = t.offset_bits();
  for (size_t i = 0; i + 1 < t.base().size(); ++i) CHECK(t.base()[i] + t.slope()[i] == t.base()[i + 1]);
  // The last code of a segment is within one slope step of the next segment's base.
  const int64_t z = (int64_t{5} << off) - 32768 - 1;
  CHECK(std::llabs(t.eval(z) - t.eval(z + 1)) <= 1 + std::llabs(t.slope()[4]) / (1 << off) + 1);
}
