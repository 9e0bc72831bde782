#include <catch2/catch.hpp>

#include <string>

#include "sharp/accesses.hpp"
#include "sharp/error.hpp"
#include "sharp/plan.hpp"
#include "sharp/program.hpp"

using namespace sharp;

namespace {

// tiny's array with 4 KB macros and `slots` weight slots.
Plan slots_plan(int slots) {
  return make_plan(load_config(nullptr, {"macs=64", "k_max=16", "k_min=4", "max_hidden=64", "max_input=64", "sram_kb=4",
                                         "weight_slots=" + std::to_string(slots)}));
}

// Three layers (H = 32, the first X = 20), one sequence each.
Program three_layers(const Plan& p, int sequences, const DmaRate& rate) {
  return model_program(p, {{32, 20}, {32, 32}, {32, 32}}, 1, sequences, 6, rate);
}

}  // namespace

TEST_CASE("dma rate: GB/s at a clock as a reduced fraction of bits per cycles", "[plan][program]") {
  const DmaRate r = dma_rate(12.8, 500);  // 12.8e9 B/s x 8 / 500e6 = 204.8 bits per cycle
  CHECK(r.bits == 1024);
  CHECK(r.cycles == 5);
  CHECK(r.bits_per_cycle() == Approx(204.8));
  CHECK(dma_rate(256, 1000).bits_per_cycle() == Approx(2048));
  CHECK_FALSE(DmaRate{}.limited());
  CHECK_THROWS_WITH(dma_rate(0, 500), Catch::Contains("field 'dram_gbps'") && Catch::Contains("value 0"));
  CHECK_THROWS_WITH(dma_rate(1, -3), Catch::Contains("field 'clock_mhz'"));
}

TEST_CASE("load span: one beat per cycle per stream without a rate, the DMA's pace with one", "[plan][program]") {
  const Plan p = slots_plan(2);
  const ProgramLoad l{32, 20, 16, 0};
  const LoadBeats n = load_beats(p, l);
  REQUIRE(n.weights > n.biases);
  // The last weight beat fires n.weights - 1 cycles after the first; 3 more until the host sees it.
  CHECK(load_span(p, l, DmaRate{}) == n.weights - 1 + 3);
  // At a rate of one bit per cycle every bit costs a cycle: biases first, then the weights.
  const uint64_t bits = n.biases * 16 + n.weights * 16 * 16;
  CHECK(load_span(p, l, DmaRate{1, 1}) == bits - 1 + 3);
  // Faster DMA, shorter load; never shorter than the streams' own pace.
  uint64_t last = UINT64_MAX;
  for (uint64_t b : {1, 7, 64, 256, 1000, 100000}) {
    const uint64_t s = load_span(p, l, DmaRate{b, 1});
    CHECK(s <= last);
    CHECK(s >= n.weights - 1 + 3);
    last = s;
  }
}

TEST_CASE("program model: with one slot loads wait for the runs, with two the next layer loads during a run",
          "[plan][program]") {
  const DmaRate slow{5, 1};  // a load takes far longer than a run
  const Plan p1 = slots_plan(1), p2 = slots_plan(2);
  const ProgramTiming t1 = predict_program(p1, three_layers(p1, 1, slow));
  const ProgramTiming t2 = predict_program(p2, three_layers(p2, 1, slow));
  CHECK(t1.compute == t2.compute);
  CHECK(t1.loading == t2.loading);
  // One slot: nothing overlaps, so the end to end is at least the sum.
  CHECK(t1.cycles >= t1.compute + t1.loading);
  // Two slots: load 1 is requested before run 0 finishes, and the total is below the sum.
  CHECK(t2.loads[1].first < t2.runs[0].second);
  CHECK(t2.cycles < t2.compute + t2.loading);
  CHECK(t2.cycles <= static_cast<uint64_t>(1.05 * static_cast<double>(std::max(t2.compute, t2.loading))));
  // Every run starts after its layer's load is seen finished, and runs never overlap.
  for (size_t r = 0; r < t2.runs.size(); ++r) {
    CHECK(t2.runs[r].first >= t2.loads[r].second);
    if (r > 0) CHECK(t2.runs[r].first >= t2.runs[r - 1].second);
  }
}

TEST_CASE("program model: a load never overwrites a slot whose runs are not finished", "[plan][program]") {
  const Plan p = slots_plan(2);
  const Program g = three_layers(p, 3, DmaRate{});
  const ProgramTiming t = predict_program(p, g);
  // Load 2 reuses slot 0: it is requested only once the 3 runs of load 0 are finished.
  REQUIRE(g.loads[2].slot == 0);
  CHECK(t.loads[2].first >= t.runs[2].second);
}

TEST_CASE("program events: every load's beats once, every run's events once", "[plan][program]") {
  const Plan p = slots_plan(2);
  const Program g = three_layers(p, 2, DmaRate{});
  const EventCounts e = program_events(p, g);
  uint64_t w = 0, x = 0, act = 0;
  for (const ProgramLoad& l : g.loads) w += load_beats(p, l).weights;
  for (const ProgramRun& r : g.runs) {
    const ProgramLoad& l = g.loads[static_cast<size_t>(r.load)];
    const LayerCounts c = predict_counts(p, {l.hidden, l.input, r.steps, l.width}, l.slot);
    x += c.x.beats;
    act += c.act_groups;
  }
  CHECK(e[2] == w);  // w_beats
  CHECK(e[4] == x);  // x_beats
  CHECK(e[0] == act);
  CHECK(e[1] == e[5]);  // every cell update leaves as one output beat
}

TEST_CASE("program counts: every load's writes and every run's reads, in the slots they use", "[plan][program]") {
  const Plan p = slots_plan(2);
  const Program g = three_layers(p, 2, DmaRate{});
  const std::vector<MacroCount> total = program_counts(p, g);
  std::vector<MacroCount> sum(p.memories.size());
  for (const ProgramLoad& l : g.loads) {
    const LayerCounts c = predict_counts(p, {l.hidden, l.input, 1, l.width}, l.slot);
    for (size_t i = 0; i < sum.size(); ++i) sum[i].writes += c.load[i].writes, sum[i].reads += c.load[i].reads;
  }
  for (const ProgramRun& r : g.runs) {
    const ProgramLoad& l = g.loads[static_cast<size_t>(r.load)];
    const LayerCounts c = predict_counts(p, {l.hidden, l.input, r.steps, l.width}, l.slot);
    for (size_t i = 0; i < sum.size(); ++i) sum[i].writes += c.run[i].writes, sum[i].reads += c.run[i].reads;
  }
  CHECK(total == sum);
  // Slot 1's weights lie at other words than slot 0's (each slot is WDepth words per bank): with
  // 1 KB macros, where the banks are split by address, in other macros.
  const Plan q = make_plan(load_config(
      nullptr, {"macs=64", "k_max=16", "k_min=4", "max_hidden=64", "max_input=64", "sram_kb=1", "weight_slots=2"}));
  const LayerCounts s0 = predict_counts(q, {32, 32, 1, 16}, 0), s1 = predict_counts(q, {32, 32, 1, 16}, 1);
  bool disjoint = true, any = false;
  for (size_t i = 0; i < q.memories.size(); ++i)
    if (q.memories[i].role == "weights") {
      REQUIRE(q.memories[i].elem_base == 0);
      any = any || s1.load[i].writes > 0;
      disjoint = disjoint && !(s0.load[i].writes > 0 && s1.load[i].writes > 0);
    }
  CHECK(any);
  CHECK(disjoint);
}

TEST_CASE("program errors name the field, the value and what is allowed", "[plan][program]") {
  const Plan p = slots_plan(2);
  Program g = three_layers(p, 1, DmaRate{});
  g.loads[1].slot = 2;
  CHECK_THROWS_WITH(predict_program(p, g),
                    Catch::Contains("load 1: field 'slot': value 2") && Catch::Contains("weight_slots - 1 = 1"));
  g = three_layers(p, 1, DmaRate{});
  std::swap(g.runs[0], g.runs[1]);
  CHECK_THROWS_WITH(check_program(p, g), Catch::Contains("run 1: field 'load': value 0"));
  g = three_layers(p, 1, DmaRate{});
  g.loads[0].hidden = 65;
  CHECK_THROWS_WITH(check_program(p, g), Catch::Contains("field 'hidden': value 65"));
  CHECK_THROWS_WITH(predict_counts(p, {8, 8, 1, 16}, 2), Catch::Contains("field 'slot': value 2"));
}

TEST_CASE("resident cycles: the runs back to back, as after a load that is already done", "[plan][program]") {
  const Plan p = slots_plan(2);
  Program g = model_program(p, {{24, 9}}, 1, 3, 5, DmaRate{});  // one load, three runs
  const ProgramTiming t = predict_program(p, g);
  CHECK(t.cycles == t.loads[0].second + resident_cycles(p, g));
  std::vector<uint64_t> given;
  for (const ProgramRun& r : g.runs) given.push_back(predict_cycles(p, {24, 9, r.steps, g.loads[0].width}));
  CHECK(resident_cycles(p, g, &given) == resident_cycles(p, g));
  given.pop_back();
  CHECK_THROWS_WITH(resident_cycles(p, g, &given), Catch::Contains("2 run cycle counts for 3 runs"));
}
