// adder_tree_bench.cpp: sharp_adder_tree at every parameter set of verif/unit/CMakeLists.txt:
// every slot of taps_o, every cycle, against sums of the leaves computed in C++: slot
// (l - TapMin) * (Leaves >> TapMin) + i is sum i of level l (2^l leaves), sign-extended to
// InBits + log2(Leaves) bits, l cycles after its leaves; unused slots are always zero. A level
// is checked once it holds sums of driven leaves (the tree has no reset). Stimulus: random
// leaves and the extremes (all most negative, all most positive, alternating, one leaf set).
#include <deque>

#include "unit_bench.hpp"
#include "unit_sets.hpp"

namespace {

template <class M>
void run(unit::Bench& b, int set, const char* params, int in_bits, int leaves, int tap_min) {
  unit::Rng rng = b.begin_set(set, params);
  VerilatedContext ctx;
  M m(&ctx);
  int levels = 0;
  while ((1 << levels) < leaves) ++levels;
  const int out_bits = in_bits + levels, slots = leaves >> tap_min;
  const int taps_bits = (levels - tap_min + 1) * slots * out_bits;
  const int64_t lo = unit::min_signed(in_bits), hi = unit::max_signed(in_bits);
  std::deque<std::vector<int64_t>> past;  // past[k]: the leaves of k + 1 cycles ago

  m.clk_i = 0;
  const uint64_t cycles = leaves >= 64 ? 2000 : 5000;
  for (uint64_t c = 0; c < cycles; ++c) {
    std::vector<int64_t> x(static_cast<size_t>(leaves));
    const int mode = static_cast<int>(rng() % 8);
    for (int i = 0; i < leaves; ++i) {
      const int64_t r = unit::random_bits(rng, in_bits).field_signed(0, in_bits);
      x[static_cast<size_t>(i)] = mode == 0 ? lo : mode == 1 ? hi : mode == 2 ? (i % 2 ? lo : hi) : r;
    }
    if (mode == 3) {
      std::fill(x.begin(), x.end(), 0);
      x[rng() % x.size()] = rng() % 2 ? lo : hi;
    }
    unit::Bits in(leaves * in_bits);
    for (int i = 0; i < leaves; ++i) in.set_slice(i * in_bits, unit::Bits::from_signed(in_bits, x[size_t(i)]));
    unit::put(m.leaves_i, in);
    m.eval();

    const unit::Bits taps = unit::get(m.taps_o, taps_bits);
    for (int l = tap_min; l <= levels; ++l) {
      for (int i = 0; i < slots; ++i) {
        const bool used = i < (leaves >> l);
        if (used && static_cast<int>(past.size()) < l) continue;  // not yet filled
        int64_t sum = 0;
        if (used)
          for (int j = i << l; j < (i + 1) << l; ++j) sum += past[size_t(l - 1)][size_t(j)];
        const int slot = (l - tap_min) * slots + i;
        auto inputs = [&] {
          if (!used) return std::string("(unused slot)");
          std::string s = "leaves " + std::to_string(i << l) + ".." + std::to_string(((i + 1) << l) - 1) + " of " +
                          std::to_string(l) + " cycles earlier:";
          for (int j = i << l; j < (i + 1) << l && j < (i << l) + 16; ++j)
            s += " " + std::to_string(past[size_t(l - 1)][size_t(j)]);
          return s + ((1 << l) > 16 ? " ..." : "");
        };
        b.check(
            c,
            "taps_o slot " + std::to_string(slot) + " (level " + std::to_string(l) + " sum " + std::to_string(i) + ")",
            taps.slice(slot * out_bits, out_bits), unit::Bits::from_signed(out_bits, sum), inputs);
      }
    }
    unit::clock(m);
    past.push_front(std::move(x));
    if (static_cast<int>(past.size()) > levels) past.pop_back();
  }
  m.final();
  b.end_set(cycles);
}

}  // namespace

SHARP_UNIT_MAIN("sharp_adder_tree")
