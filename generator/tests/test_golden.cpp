#include <cmath>

#include <catch2/catch.hpp>

#include "sharp/golden.hpp"
#include "sharp/plan.hpp"
#include "sharp/verify.hpp"

using namespace sharp;

TEST_CASE("the fixed-point model tracks the double model on random layers", "[golden]") {
  NumFormat f;
  std::mt19937_64 rng(42);
  const FloatLayer L = random_float_layer(32, 20, rng);
  const auto xs = random_inputs(8, 20, rng);
  const FloatTrace ref = run_double(L, xs);
  FixedLayer q = quantize_layer(L, f);
  const FixedTrace fx = FixedLstm(f).run(q, quantize_sequence(xs, f));
  double worst = 0;
  for (size_t t = 0; t < xs.size(); ++t)
    for (int j = 0; j < 32; ++j) worst = std::max(worst, std::fabs(to_real(fx.h[t][j], f.frac_bits) - ref.h[t][j]));
  INFO("worst |h_fixed - h_double| = " << worst);
  CHECK(worst < 0.02);
  CHECK(worst > 0);  // the fixed-point model is not secretly the double one
}

TEST_CASE("a stack feeds each layer's h sequence to the next", "[golden]") {
  std::mt19937_64 rng(1);
  std::vector<FloatLayer> layers = {random_float_layer(8, 5, rng), random_float_layer(6, 8, rng)};
  const auto xs = random_inputs(4, 5, rng);
  const auto tr = run_double_stack(layers, xs);
  REQUIRE(tr.size() == 2);
  const FloatTrace second = run_double(layers[1], tr[0].h);
  CHECK(second.h == tr[1].h);
}

TEST_CASE("the comparator reports a single flipped bit in h or c, and nothing else", "[golden][verify]") {
  NumFormat f;
  std::mt19937_64 rng(3);
  const FixedLayer q = quantize_layer(random_float_layer(5, 3, rng), f);
  std::vector<std::vector<int64_t>> xs = {{100, -200, 300}, {0, 1, 2}};
  const FixedTrace g = FixedLstm(f).run(q, xs);
  CHECK(compare_outputs(g, g.h, g.c).empty());
  for (int bit : {0, 7, 15}) {
    auto h = g.h;
    h[1][4] ^= int64_t{1} << bit;
    const auto m = compare_outputs(g, h, g.c);
    REQUIRE(m.size() == 1);
    CHECK(m[0].step == 1);
    CHECK(m[0].neuron == 4);
    CHECK(m[0].what == "h");
  }
  auto c = g.c;
  c[0][0] ^= 1;
  REQUIRE(compare_outputs(g, g.h, c).size() == 1);
  // Missing outputs (a step the hardware never produced) are mismatches too.
  auto h = g.h;
  h.pop_back();
  CHECK(compare_outputs(g, h, g.c).size() == 5);
}

TEST_CASE("every cell kind's fixed-point model tracks its double model", "[golden]") {
  NumFormat f;
  for (int k = 0; k < kCellKinds; ++k) {
    const Cell cell = static_cast<Cell>(k);
    std::mt19937_64 rng(7 + k);
    const FloatLayer L = random_float_layer(24, 11, rng, 0.0, cell);
    const auto xs = random_inputs(6, 11, rng);
    const FloatTrace ref = run_double(L, xs);
    const FixedTrace fx = FixedLstm(f).run(quantize_layer(L, f), quantize_sequence(xs, f));
    double worst = 0;
    for (size_t t = 0; t < xs.size(); ++t)
      for (int j = 0; j < 24; ++j) worst = std::max(worst, std::fabs(to_real(fx.h[t][j], f.frac_bits) - ref.h[t][j]));
    INFO(cell_name(cell) << ": worst |h_fixed - h_double| = " << worst);
    CHECK(worst < 0.02);
    CHECK(worst > 0);
    // The gru and the rnn keep h as their state: c = h.
    if (cell != Cell::Lstm) CHECK(fx.c == fx.h);
  }
}

TEST_CASE("a run from an initial state continues a run that reached that state", "[golden]") {
  // Run T steps from zero; then run the last T - k steps from the state after step k - 1: the
  // outputs must be the tail of the first run, bit for bit (fixed) and exactly (double).
  NumFormat f;
  for (int k = 0; k < kCellKinds; ++k) {
    const Cell cell = static_cast<Cell>(k);
    std::mt19937_64 rng(11 + k);
    const FloatLayer L = random_float_layer(10, 6, rng, 0.0, cell);
    const auto xs = random_inputs(7, 6, rng);
    const size_t cut = 3;
    const std::vector<std::vector<double>> tail(xs.begin() + cut, xs.end());
    const FloatTrace whole = run_double(L, xs);
    const FloatState st{whole.h[cut - 1], whole.c[cut - 1]};
    const FloatTrace rest = run_double(L, tail, &st);
    CHECK(rest.h == std::vector<std::vector<double>>(whole.h.begin() + cut, whole.h.end()));

    const FixedLayer q = quantize_layer(L, f);
    const auto qx = quantize_sequence(xs, f);
    const std::vector<std::vector<int64_t>> qtail(qx.begin() + cut, qx.end());
    const FixedTrace fw = FixedLstm(f).run(q, qx);
    const FixedState fs{fw.h[cut - 1], fw.c[cut - 1]};
    const FixedTrace fr = FixedLstm(f).run(q, qtail, &fs);
    INFO(cell_name(cell));
    CHECK(fr.h == std::vector<std::vector<int64_t>>(fw.h.begin() + cut, fw.h.end()));
    CHECK(fr.c == std::vector<std::vector<int64_t>>(fw.c.begin() + cut, fw.c.end()));
    // And a non-zero state changes the outputs (the state is not ignored).
    CHECK(fr.h[0] != FixedLstm(f).run(q, qtail).h[0]);
  }
}

TEST_CASE("weights with fraction bits of their own: codes in Fw, biases in F, and a smaller h_t error", "[golden]") {
  std::mt19937_64 rng(5);
  const FloatLayer L = random_float_layer(256, 256, rng);
  const auto xs = random_inputs(8, 256, rng);
  const FloatTrace ref = run_double(L, xs);
  auto worst = [&](int wfrac) {
    NumFormat f;
    f.frac_bits = 10;
    f.weight_frac_bits = wfrac;
    const FixedLayer q = quantize_layer(L, f);
    // Codes: W in Fw fraction bits, the bias (b_ih + b_hh) in F.
    CHECK(q.w[7] == quantize(L.w[7], f.wfrac(), f.data_bits));
    CHECK(q.b[3] == quantize(L.b_ih[3] + L.b_hh[3], f.frac_bits, f.data_bits));
    const FixedTrace fx = FixedLstm(f).run(q, quantize_sequence(xs, f));
    double w = 0;
    for (size_t t = 0; t < xs.size(); ++t)
      for (int j = 0; j < 256; ++j) w = std::max(w, std::fabs(to_real(fx.h[t][j], f.frac_bits) - ref.h[t][j]));
    return w;
  };
  const double same = worst(-1), own = worst(14);
  INFO("F10: weights F10 " << same << ", weights F14 " << own);
  CHECK(own < same / 2);
  CHECK(own < 3e-3);
}
