#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "sharp/accesses.hpp"
#include "sharp/error.hpp"
#include "sharp/plan.hpp"

using namespace sharp;

namespace {

// tiny's array with 4 KB macros of at most 256-bit words: every weight bank is 4 macros of 128
// words (split by address), the W·x bank (640-bit words) 3 columns of 6, 6 and 4 elements, each 2
// macros of 128 words.
Plan tiny_plan(const std::string& schedule = "unfolded") {
  return make_plan(load_config(nullptr, {"macs=64", "k_max=16", "k_min=4", "max_hidden=64", "max_input=64", "sram_kb=4",
                                         "schedule=" + schedule}));
}

// The reads and writes of one role's words: summed over the macros holding element 0 (every
// macro of a buffer split by address, the first of one split by width), and its macros.
struct Sum {
  uint64_t reads = 0, writes = 0;
  int macros = 0;
};
Sum sum_role(const Plan& p, const std::vector<MacroCount>& v, const std::string& role) {
  Sum s;
  for (size_t i = 0; i < p.memories.size(); ++i)
    if (p.memories[i].role == role) {
      if (p.memories[i].elem_base == 0) {
        s.reads += v[i].reads;
        s.writes += v[i].writes;
      }
      ++s.macros;
    }
  return s;
}

const std::vector<RunShape> kShapes = {{1, 1, 1, 4},    {1, 1, 1, 16}, {37, 13, 3, 8}, {64, 64, 2, 16}, {64, 1, 5, 4},
                                       {17, 15, 3, 16}, {2, 35, 7, 4}, {50, 52, 3, 8}, {63, 25, 1, 16}};

}  // namespace

TEST_CASE("access model: one entry per macro, sized like the plan's memories", "[plan][accesses]") {
  const Plan p = tiny_plan();
  const LayerCounts c = predict_counts(p, {37, 13, 3, 8});
  CHECK(c.load.size() == p.memories.size());
  CHECK(c.run.size() == p.memories.size());
  CHECK(sum_role(p, c.load, "weights").macros == 4 * 4);  // 4 banks x 4 macros of 4 KB
}

TEST_CASE("access model: every issued tile reads one word of every weight bank", "[plan][accesses]") {
  for (const char* sched : {"sequential", "intergate", "unfolded"}) {
    const Plan p = tiny_plan(sched);
    for (const auto& s : kShapes) {
      const LayerCounts c = predict_counts(p, s);
      const Tiling g = tiling(p, s);
      INFO(sched << " H=" << s.hidden << " X=" << s.input << " T=" << s.steps << " K=" << s.width);
      CHECK(c.tiles == static_cast<uint64_t>(s.steps) * g.rb * g.cb);
      CHECK(c.tiles == c.wx_tiles + c.uh_tiles);
      CHECK(sum_role(p, c.run, "weights").reads == c.tiles * static_cast<uint64_t>(p.rows));
      CHECK(sum_role(p, c.run, "weights").writes == 0);
      CHECK(c.frame_macs == frame_macs(s));
      CHECK(c.mac_slots >= c.frame_macs);
    }
  }
}

TEST_CASE("access model: the load writes every word it loads once, and nothing else", "[plan][accesses]") {
  const Plan p = tiny_plan();
  for (const auto& s : kShapes) {
    const LayerCounts c = predict_counts(p, s);
    const Tiling g = tiling(p, s);
    INFO("H=" << s.hidden << " X=" << s.input << " K=" << s.width);
    CHECK(sum_role(p, c.load, "weights").writes == c.w.beats);
    CHECK(c.w.beats == static_cast<uint64_t>(g.rb) * g.cb * p.rows);
    CHECK(sum_role(p, c.load, "biases").writes == c.b.beats);
    CHECK(c.b.beats == static_cast<uint64_t>(g.rb) * g.rows);  // padded rows of the last block too
    for (size_t i = 0; i < p.memories.size(); ++i) {
      CHECK(c.load[i].reads == 0);
      if (p.memories[i].role != "weights" && p.memories[i].role != "biases") CHECK(c.load[i].writes == 0);
    }
  }
}

TEST_CASE("access model: vector buffers, W·x bank and biases per step", "[plan][accesses]") {
  const Plan p = tiny_plan();
  for (const auto& s : kShapes) {
    const LayerCounts c = predict_counts(p, s);
    const Tiling g = tiling(p, s);
    const uint64_t T = static_cast<uint64_t>(s.steps), rb = static_cast<uint64_t>(g.rb);
    INFO("H=" << s.hidden << " X=" << s.input << " T=" << s.steps << " K=" << s.width);
    CHECK(sum_role(p, c.run, "x buffer").writes == c.x.beats);
    CHECK(sum_role(p, c.run, "x buffer").reads == c.wx_tiles);
    // Every U·h tile reads h, at t = 0 too (its data is masked to h_{-1} = 0).
    CHECK(sum_role(p, c.run, "h buffer").reads == c.uh_tiles);
    CHECK(sum_role(p, c.run, "h buffer").writes == c.cell_updates);
    CHECK(sum_role(p, c.run, "c buffer").reads == c.cell_updates);
    CHECK(sum_role(p, c.run, "c buffer").writes == c.cell_updates);
    CHECK(c.cell_updates == T * static_cast<uint64_t>(g.groups));
    CHECK(c.out.beats == c.cell_updates);
    CHECK(sum_role(p, c.run, "W·x bank").writes == T * rb);
    CHECK(sum_role(p, c.run, "W·x bank").reads == T * rb);
    CHECK(sum_role(p, c.run, "biases").reads == T * rb);
    CHECK(c.act_groups == T * rb * static_cast<uint64_t>(g.serial));
    CHECK(c.act_groups >= c.cell_updates);
  }
}

TEST_CASE("access model: the probe's events split into the load's beats and the run's events", "[plan][accesses]") {
  const Plan p = tiny_plan();
  const LayerCounts c = predict_counts(p, {37, 13, 3, 8});
  const EventCounts load = layer_events(c, true, false), run = layer_events(c, false, true);
  const EventCounts both = layer_events(c, true, true);
  CHECK(load == EventCounts{0, 0, c.w.beats, c.b.beats, 0, 0});
  CHECK(run == EventCounts{c.act_groups, c.cell_updates, 0, 0, c.x.beats, c.out.beats});
  for (size_t k = 0; k < both.size(); ++k) {
    INFO(kEventNames[k]);
    CHECK(both[k] == load[k] + run[k]);
    CHECK(both[k] > 0);
  }
}

TEST_CASE("access model: a layer that fits one macro leaves the others at zero", "[plan][accesses]") {
  const Plan p = tiny_plan();
  // H = X = 1 at K = 16: one row block of 2 column blocks, words 0 and 1 of every bank.
  const LayerCounts c = predict_counts(p, {1, 1, 1, 16});
  for (size_t i = 0; i < p.memories.size(); ++i) {
    const MemoryInfo& m = p.memories[i];
    if (m.role != "weights") continue;
    INFO(m.path);
    const bool first = m.base == 0;
    CHECK(c.load[i].writes == (first ? 2u : 0u));
    CHECK(c.run[i].reads == (first ? 2u : 0u));
  }
  // One step: W·x bank word 0, in the first row of each of its 3 columns (written unmasked).
  CHECK(sum_role(p, c.run, "W·x bank").macros == 6);
  for (size_t i = 0; i < p.memories.size(); ++i)
    if (p.memories[i].role == "W·x bank") {
      const uint64_t first_row = p.memories[i].base == 0 ? 1u : 0u;
      CHECK(c.run[i].writes == first_row);
      CHECK(c.run[i].reads == first_row);
    }
}

TEST_CASE("access model: buffers split by width and address, event by event", "[plan][accesses]") {
  // 1 KB macros of 64-bit words: the bias memory (512 words of 16 elements) is 4 columns of 4
  // elements, each 4 rows of 128 words; the h buffer (64 words of 16) 4 columns of one row.
  const Plan p = make_plan(load_config(
      nullptr, {"macs=64", "k_max=16", "k_min=4", "max_hidden=512", "max_input=64", "sram_kb=1", "sram_width=64"}));
  const std::string bias = "u_core.u_weight_mem.u_bias", hbuf = "u_core.u_vector_buffers.u_hbuf";
  // The macro holding element `e` of word `w` of `buffer`.
  auto holder = [&](const std::string& buffer, int w, int e) {
    for (size_t i = 0; i < p.memories.size(); ++i) {
      const MemoryInfo& m = p.memories[i];
      if (m.buffer == buffer && w >= m.base && w < m.base + m.depth && e >= m.elem_base && e < m.elem_base + m.elems)
        return i;
    }
    FAIL("no macro of " << buffer << " holds element " << e << " of word " << w);
    return size_t{0};
  };
  int bias_macros = 0, h_macros = 0;
  for (const auto& m : p.memories) {
    bias_macros += m.buffer == bias && m.elems == 4 && m.depth == 128;
    h_macros += m.buffer == hbuf && m.elems == 4 && m.depth == 64;
  }
  REQUIRE(bias_macros == 16);
  REQUIRE(h_macros == 4);
  for (const auto& s : kShapes) {
    INFO("H=" << s.hidden << " X=" << s.input << " T=" << s.steps << " K=" << s.width);
    const LayerCounts c = predict_counts(p, s);
    const Tiling g = tiling(p, s);
    // Every write, one at a time, charged to each macro holding one of the elements it writes.
    std::vector<uint64_t> load(p.memories.size()), run(p.memories.size());
    for (int rb = 0; rb < g.rb; ++rb)
      for (int e = 0; e < g.rows; ++e) ++load[holder(bias, rb, e)];  // one bias element per beat
    for (int t = 0; t < s.steps; ++t)
      for (int j = 0; j < g.groups; ++j) {  // the cell updater: lanes neurons into bank t mod 2
        const int word = (t % 2) * p.ch_max + j * p.lanes / p.k, off = j * p.lanes % p.k;
        std::set<size_t> hit;
        for (int e = off; e < off + p.lanes; ++e) hit.insert(holder(hbuf, word, e));
        for (size_t i : hit) ++run[i];
      }
    for (size_t i = 0; i < p.memories.size(); ++i) {
      const MemoryInfo& m = p.memories[i];
      if (m.buffer != bias && m.buffer != hbuf) continue;
      INFO(m.path);
      CHECK(c.load[i].writes == load[i]);
      CHECK(c.run[i].writes == run[i]);
      // A read enables every column of the row it addresses.
      CHECK(c.run[i].reads == c.run[holder(m.buffer, m.base, 0)].reads);
    }
    CHECK(sum_role(p, c.run, "biases").reads == static_cast<uint64_t>(s.steps) * g.rb);
  }
}

TEST_CASE("access model: the weights of a large layer span every macro of a bank", "[plan][accesses]") {
  const Plan p = tiny_plan();
  const LayerCounts c = predict_counts(p, {64, 64, 2, 16});  // 64 row blocks x 8 column blocks = 512 words
  for (size_t i = 0; i < p.memories.size(); ++i)
    if (p.memories[i].role == "weights") {
      CHECK(c.load[i].writes == static_cast<uint64_t>(p.memories[i].depth));
      CHECK(c.run[i].reads == 2u * p.memories[i].depth);
    }
}

TEST_CASE("access model: the weight load depends on the width", "[plan][accesses]") {
  const Plan p = tiny_plan();
  // H = 37, X = 13: K = 4 gives 10 row blocks x (4 + 10) column blocks, K = 16 gives 37 x (1 + 3).
  const LayerCounts narrow = predict_counts(p, {37, 13, 1, 4}), wide = predict_counts(p, {37, 13, 1, 16});
  CHECK(narrow.w.beats == 10u * 14u * 4u);
  CHECK(wide.w.beats == 37u * 4u * 4u);
  // The same work: the useful MACs do not depend on the width, the padded tiles do.
  CHECK(narrow.frame_macs == wide.frame_macs);
  CHECK(narrow.tiles != wide.tiles);
}

TEST_CASE("access model: run counts grow with the steps, the load does not", "[plan][accesses]") {
  const Plan p = tiny_plan();
  // 4 and 8 steps fill every x and W·x slot (4 slots) and both h banks evenly.
  const LayerCounts a = predict_counts(p, {37, 13, 4, 8}), b = predict_counts(p, {37, 13, 8, 8});
  for (size_t i = 0; i < p.memories.size(); ++i) {
    INFO(p.memories[i].path);
    CHECK(b.load[i] == a.load[i]);
    CHECK(b.run[i].reads == 2 * a.run[i].reads);
    CHECK(b.run[i].writes == 2 * a.run[i].writes);
  }
}

TEST_CASE("access model: refuses a shape the design cannot run", "[plan][accesses]") {
  const Plan p = tiny_plan();
  CHECK_THROWS_WITH(predict_counts(p, {65, 1, 1, 0}), Catch::Contains("max_hidden"));
  CHECK_THROWS_WITH(predict_counts(p, {1, 1, 1, 2}), Catch::Contains("'width'"));
}
