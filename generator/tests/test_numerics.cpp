#include <algorithm>
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

TEST_CASE("PWL tables cover the functions' useful domain and saturate their input beyond it", "[numerics]") {
  struct Case {
    int frac;
    ActFn fn;
    int domain_bits;  // 2^(W-1-F): the real edge
  };
  // D16: at F12 the useful domain (sigmoid ~9.0, tanh ~4.9 for half an LSB) reaches the +-8 of
  // the code range; at F10 it is +-8 of +-32; at F8 sigmoid +-8 and tanh +-4 of +-128.
  for (const Case& c : {Case{12, ActFn::Sigmoid, 16}, Case{12, ActFn::Tanh, 16}, Case{10, ActFn::Sigmoid, 14},
                        Case{10, ActFn::Tanh, 14}, Case{8, ActFn::Sigmoid, 12}, Case{8, ActFn::Tanh, 11}}) {
    NumFormat f;
    f.frac_bits = c.frac;
    const PwlTable t(c.fn, f);
    INFO(act_name(c.fn) << " F" << c.frac);
    CHECK(t.domain_bits() == c.domain_bits);
    CHECK(t.offset_bits() == t.domain_bits() - t.seg_bits());
    auto exact = [&](double x) { return c.fn == ActFn::Sigmoid ? 1 / (1 + std::exp(-x)) : std::tanh(x); };
    const double half_lsb = std::ldexp(1.0, -(c.frac + 1));
    const double edge = std::ldexp(1.0, t.domain_bits() - 1 - c.frac);
    if (t.domain_bits() < f.data_bits) {
      CHECK(1.0 - exact(edge) <= half_lsb);     // saturated at the edge
      CHECK(1.0 - exact(edge / 2) > half_lsb);  // and not at half of it: the narrowest such width
    }
    // Beyond the domain the input saturates: the output is the one at the domain's edge code.
    const int64_t top = (int64_t{1} << (t.domain_bits() - 1)) - 1;
    for (int64_t z : {top + 1, top + 1000, int64_t{32767}}) CHECK(t.eval(z) == t.eval(top));
    for (int64_t z : {-top - 2, -top - 1000, int64_t{-32768}}) CHECK(t.eval(z) == t.eval(-top - 1));
  }
  // At F10 the narrower domain makes the tables 4x finer: tanh's worst error over the whole
  // input range is 2.13e-3 (2.4e-2 with the segments spread over +-32).
  NumFormat f10;
  f10.frac_bits = 10;
  for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh}) {
    const PwlTable t(fn, f10);
    double worst = 0;
    for (int64_t z = -32768; z < 32768; ++z) {
      const double x = to_real(z, 10);
      const double exact = fn == ActFn::Sigmoid ? 1 / (1 + std::exp(-x)) : std::tanh(x);
      worst = std::max(worst, std::fabs(to_real(t.eval(z), 10) - exact));
    }
    INFO(act_name(fn) << " F10 worst error " << worst);
    CHECK(worst < (fn == ActFn::Sigmoid ? 1.0e-3 : 2.2e-3));
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

// sharp_cell_lane keeps only the bits a gate can carry (SigW unsigned bits of a sigmoid,
// TanhW signed bits of a tanh): every PWL output over the whole input range must fit them.
TEST_CASE("PWL outputs fit the gate widths sharp_cell_lane relies on", "[numerics]") {
  struct Fmt {
    int data, frac, seg;
  };
  for (const Fmt& fm : {Fmt{16, 12, 7}, Fmt{16, 14, 7}, Fmt{16, 15, 6}, Fmt{12, 8, 5}, Fmt{8, 6, 4}, Fmt{8, 7, 3}}) {
    NumFormat f;
    f.data_bits = fm.data;
    f.frac_bits = fm.frac;
    f.act_seg_bits = fm.seg;
    const int sig_w = fm.frac + 1 < fm.data ? fm.frac + 1 : fm.data - 1;
    const int tanh_w = fm.frac + 2 < fm.data ? fm.frac + 2 : fm.data;
    const PwlTable sig(ActFn::Sigmoid, f), th(ActFn::Tanh, f);
    int64_t smin = 0, smax = 0, tmin = 0, tmax = 0;
    for (int64_t z = -(int64_t{1} << (fm.data - 1)); z < (int64_t{1} << (fm.data - 1)); ++z) {
      smin = std::min(smin, sig.eval(z));
      smax = std::max(smax, sig.eval(z));
      tmin = std::min(tmin, th.eval(z));
      tmax = std::max(tmax, th.eval(z));
    }
    INFO("D " << fm.data << " F " << fm.frac << ": sigmoid [" << smin << ", " << smax << "], tanh [" << tmin << ", "
              << tmax << "]");
    CHECK(smin >= 0);
    CHECK(smax < (int64_t{1} << sig_w));
    CHECK(tmin >= -(int64_t{1} << (tanh_w - 1)));
    CHECK(tmax < (int64_t{1} << (tanh_w - 1)));
  }
}
