#include <catch2/catch.hpp>

#include "sharp/error.hpp"
#include "sharp/plan.hpp"
#include "sharp/stimulus.hpp"

using namespace sharp;

TEST_CASE("the plan derives the array shape and buffer sizes from the config", "[plan]") {
  const Plan p = make_plan(load_config(nullptr, {"macs=1024", "k_max=32", "max_hidden=100", "max_input=40"}));
  CHECK(p.rows == 32);
  CHECK(p.k == 32);
  CHECK(p.lanes == 8);  // min(k, rows / 4)
  CHECK(p.serial == 1);
  CHECK(p.cx_max == 2);
  CHECK(p.ch_max == 4);
  CHECK(p.rb_max == 13);  // ceil(400 / 32)
  CHECK(p.wdepth == 13 * 6);
  CHECK(p.tree_latency == 7);
}

TEST_CASE("tiling pads H and X to whole blocks", "[plan]") {
  const Plan p = make_plan(load_config(nullptr, {"macs=64", "k_max=16", "max_hidden=64", "max_input=64"}));
  const Tiling t = tiling(p, {37, 13, 1, 0});
  CHECK(t.rb == 37);  // 4 rows per block = 1 neuron
  CHECK(t.cx == 1);
  CHECK(t.ch == 3);
  CHECK(t.period == 4);
}

TEST_CASE("shapes beyond the design are rejected with the limit", "[plan]") {
  const Plan p = make_plan(load_config(nullptr, {"macs=64", "k_max=16", "max_hidden=64", "max_input=64"}));
  CHECK_THROWS_WITH(check_shape(p, {65, 1, 1, 0}), Catch::Contains("max_hidden = 64"));
  CHECK_THROWS_WITH(check_shape(p, {1, 0, 1, 0}), Catch::Contains("'input'"));
  CHECK_THROWS_WITH(check_shape(p, {1, 1, 1, 4}), Catch::Contains("'width'"));
}

TEST_CASE("the stimulus lays out weights in hardware row order, padded with zeros", "[plan]") {
  const Plan p = make_plan(load_config(nullptr, {"macs=64", "k_max=16", "max_hidden=64", "max_input=64"}));
  FixedLayer L;
  L.hidden = 2;
  L.input = 3;
  for (int r = 0; r < 8; ++r) {
    for (int k = 0; k < 3; ++k) L.w.push_back(100 * r + k);
    for (int k = 0; k < 2; ++k) L.u.push_back(-(100 * r + k));
    L.b.push_back(r);
  }
  const Stimulus s = make_stimulus(p, L, {{1, 2, 3}});
  // 2 row blocks (4 rows each) x 2 column blocks x 4 rows.
  REQUIRE(s.weights.size() == 16);
  // Block 0, x columns, row unit 1 = neuron 0, gate f = torch row H + 0 = 2.
  CHECK(s.weights[1][0] == 200);
  CHECK(s.weights[1][2] == 202);
  CHECK(s.weights[1][3] == 0);
  // Block 0, h columns, row unit 2 = gate g of neuron 0 = torch row 4.
  CHECK(s.weights[4 + 2][1] == -401);
  // Biases in the same order: neuron 1, gate o = torch row 7.
  CHECK(s.biases[7] == 7);
  REQUIRE(s.inputs.size() == 1);
  CHECK(s.inputs[0][2] == 3);
  CHECK(s.inputs[0][3] == 0);
}

TEST_CASE("frame MACs are 4H(X+H)T; useful MACs G H(X+H)T for the run's kind", "[plan]") {
  CHECK(frame_macs({100, 40, 3, 0}) == 4ull * 100 * 140 * 3);
  Config c;
  c.cells = 0xF;
  const Plan p = make_plan(c);
  RunShape s{100, 40, 3, 0};
  s.cell = static_cast<int>(Cell::Lstm);
  CHECK(useful_macs(p, s) == 4ull * 100 * 140 * 3);
  s.cell = static_cast<int>(Cell::Gru);
  CHECK(useful_macs(p, s) == 3ull * 100 * 140 * 3);
  s.cell = static_cast<int>(Cell::RnnRelu);
  CHECK(useful_macs(p, s) == 1ull * 100 * 140 * 3);
  c.cells = 1 << static_cast<int>(Cell::Gru);  // cell -1: the design's first kind
  CHECK(useful_macs(make_plan(c), {100, 40, 3, 0}) == 3ull * 100 * 140 * 3);
}

TEST_CASE("streams: run shapes, buffers, useful MACs and the cycle model", "[plan][streams]") {
  const Plan p1 = make_plan(load_config(nullptr, {"macs=4096", "k_max=64", "k_min=8", "max_hidden=256"}));
  const Plan p4 = make_plan(load_config(nullptr, {"macs=4096", "k_max=64", "k_min=8", "max_hidden=256", "streams=4"}));
  // Each stream has two h banks and a c region; x and W·x slots are per virtual step.
  auto words = [](const Plan& p, const std::string& role) {
    long w = 0;
    for (const auto& m : p.memories)
      if (m.role == role && m.elem_base == 0) w += m.depth;
    return w;
  };
  CHECK(words(p4, "h buffer") == 4 * words(p1, "h buffer"));
  CHECK(words(p4, "c buffer") == 4 * words(p1, "c buffer"));
  CHECK(words(p4, "x buffer") == words(p1, "x buffer"));
  CHECK(words(p4, "W·x bank") == words(p1, "W·x bank"));
  // One stream on a streams design is the single-stream run.
  const RunShape one{64, 64, 8, 16, 1};
  CHECK(predict_cycles(p4, one) == predict_cycles(p1, one));
  // n streams of a small layer on a large array: the other streams' tiles fill the recurrence's
  // bubbles, so n streams take fewer than n times the cycles of one.
  const RunShape four{64, 64, 8, 16, 4};
  CHECK(frame_macs(four) == 4 * frame_macs(one));
  CHECK(predict_cycles(p4, four) < 4 * predict_cycles(p4, one));
  CHECK(predict_cycles(p4, four) * 2 < 4 * predict_cycles(p4, one));
  // The bound counts every stream's tiles.
  CHECK(dependency_terms(p4, four).mac == 4 * dependency_terms(p4, one).mac);
  // More streams than the design holds are refused, naming the field and the limit.
  CHECK_THROWS_WITH(check_shape(p1, {4, 4, 1, 0, 2}), Catch::Contains("'streams'") && Catch::Contains("streams = 1"));
  CHECK_THROWS_WITH(check_shape(p4, {4, 4, 1, 0, 0}), Catch::Contains("'streams'"));
}

TEST_CASE("wavefront: the layers of a stack as streams", "[plan][streams]") {
  const Plan p4 = make_plan(load_config(nullptr, {"macs=4096", "k_max=64", "k_min=8", "max_hidden=256", "streams=4"}));
  // Four layers of 8 steps one after another (each a single-stream run) against the four as a
  // wavefront (8 + 3 time slots, one per layer of skew): the layers' recurrences overlap.
  const RunShape layer{64, 64, 8, 16, 1}, wave{64, 64, 11, 16, 4, 1}, batch{64, 64, 11, 16, 4, 0};
  const uint64_t serial = 4 * predict_cycles(p4, layer);
  CHECK(predict_cycles(p4, wave) * 3 < serial * 2);
  // The wavefront's W·x waits for h of the layer below: never faster than independent streams.
  CHECK(predict_cycles(p4, wave) >= predict_cycles(p4, batch));
  // Two layers of a batch of two (g = 2) lie between the two.
  const RunShape wave2{64, 64, 11, 16, 4, 2};
  CHECK(predict_cycles(p4, wave2) >= predict_cycles(p4, batch));
  CHECK(predict_cycles(p4, wave2) <= predict_cycles(p4, wave));
  // Refused: g not below the streams, X != H, and a negative g; each names the field.
  CHECK_THROWS_WITH(check_shape(p4, {64, 64, 8, 16, 4, 4}),
                    Catch::Contains("'wavefront'") && Catch::Contains("value 4"));
  CHECK_THROWS_WITH(check_shape(p4, {64, 32, 8, 16, 4, 1}),
                    Catch::Contains("'wavefront'") && Catch::Contains("input == hidden"));
  CHECK_THROWS_WITH(check_shape(p4, {64, 64, 8, 16, 1, 1}), Catch::Contains("'wavefront'"));
  CHECK_THROWS_WITH(check_shape(p4, {64, 64, 8, 16, 4, -1}), Catch::Contains("'wavefront'"));
}
