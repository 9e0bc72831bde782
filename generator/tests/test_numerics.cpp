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
  // input range is 1.51e-3 (2.4e-2 with chords spread over +-32; 2.13e-3 with chords over +-8).
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
    CHECK(worst < (fn == ActFn::Sigmoid ? 1.0e-3 : 1.6e-3));
  }
}

TEST_CASE("Each PWL segment errs no more than its chord, and about half as much where the function bends",
          "[numerics]") {
  // The chord through the function's quantized values at a segment's ends is the reference;
  // each segment takes the chord or the chord moved to centre its error, whichever errs less in
  // fixed point, so no segment is worse than the chord, and the steep middle of tanh gains most.
  for (int frac : {12, 10, 8}) {
    NumFormat f;
    f.frac_bits = frac;
    for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh}) {
      const PwlTable t(fn, f);
      auto exact = [&](int64_t z) {
        const double x = to_real(z, frac);
        return fn == ActFn::Sigmoid ? 1 / (1 + std::exp(-x)) : std::tanh(x);
      };
      const int off = t.offset_bits();
      const int64_t dom_lo = -(int64_t{1} << (t.domain_bits() - 1));
      double worst_table = 0, worst_chord = 0;
      for (size_t i = 0; i < t.base().size(); ++i) {
        const int64_t lo = dom_lo + (static_cast<int64_t>(i) << off), hi = lo + (int64_t{1} << off);
        const int64_t c0 = quantize(exact(lo), frac, f.data_bits), c1 = quantize(exact(hi), frac, f.data_bits);
        double e_table = 0, e_chord = 0;
        for (int64_t z = lo; z < hi; ++z) {
          e_table = std::max(e_table, std::fabs(to_real(t.eval(z), frac) - exact(z)));
          e_chord = std::max(e_chord, std::fabs(to_real(c0 + round_shift((c1 - c0) * (z - lo), off), frac) - exact(z)));
        }
        INFO(act_name(fn) << " F" << frac << " segment " << i);
        CHECK(e_table <= e_chord);
        worst_table = std::max(worst_table, e_table);
        worst_chord = std::max(worst_chord, e_chord);
      }
      INFO(act_name(fn) << " F" << frac << ": worst " << worst_table << " against the chords' " << worst_chord);
      // Measured: tanh 9.4e-4 against 1.53e-3 at F12 (0.61), 1.51e-3 against 2.13e-3 at F10 (0.71).
      if (fn == ActFn::Tanh && frac >= 10) CHECK(worst_table < 0.75 * worst_chord);
    }
  }
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
