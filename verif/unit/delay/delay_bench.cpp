// delay_bench.cpp: sharp_delay at every parameter set of verif/unit/CMakeLists.txt against a
// history of d_i, cycle by cycle. Runtime 0: q_o is d_i of Delay cycles ago (Delay 0: d_i
// itself); delay_i, where the model has it, is driven at random and must be ignored.
// Runtime 1: delay_i in 1..Delay selects that many cycles, any other value Delay cycles (the
// last stage); every delay_i value 0..255 is held for a stretch, then delay_i changes every
// cycle (q_o follows the selection combinationally). Reset (asynchronous, also in mid-run)
// clears every stage to zero. Before the merge of sharp_delay_var into sharp_delay, the
// Runtime 1 sets are built from sharp_delay_var (MaxDelay = Delay; verif/unit/CMakeLists.txt).
#include <deque>
#include <type_traits>
#include <utility>

#include "unit_bench.hpp"
#include "unit_sets.hpp"

namespace {

// Whether the model has a delay_i port (sharp_delay_var and the merged sharp_delay do).
template <class M, class = void>
struct HasDelayInput : std::false_type {};
template <class M>
struct HasDelayInput<M, std::void_t<decltype(std::declval<M&>().delay_i)>> : std::true_type {};

template <class M>
void run(unit::Bench& b, int set, const char* params, int width, int delay, int runtime) {
  unit::Rng rng = b.begin_set(set, params);
  VerilatedContext ctx;
  M m(&ctx);
  const unit::Bits zero(width);
  std::deque<unit::Bits> past(static_cast<size_t>(delay), zero);  // past[k]: stage k, d_i of k + 1 cycles ago

  m.clk_i = 0;
  m.rst_ni = 1;
  unit::put(m.d_i, unit::Bits(width));
  m.eval();
  m.rst_ni = 0;
  m.eval();
  unit::clock(m);
  m.rst_ni = 1;
  m.eval();

  const uint64_t stretch = 24, sweep = runtime ? 256 * stretch : 0, cycles = sweep + 10000;
  for (uint64_t c = 0; c < cycles; ++c) {
    const unit::Bits d = unit::random_bits(rng, width);
    const int sel = c < sweep ? static_cast<int>(c / stretch) : static_cast<int>(rng() % 256);
    const int narrow = runtime ? static_cast<int>(rng() % uint64_t(delay + 2)) : 0;  // mostly in range
    const int delay_i = c < sweep || rng() % 2 ? sel : narrow;
    const bool reset = c > 2 * uint64_t(delay) && rng() % 400 == 0;
    m.rst_ni = reset ? 0 : 1;
    unit::put(m.d_i, d);
    if constexpr (HasDelayInput<M>::value) m.delay_i = static_cast<uint8_t>(delay_i);
    m.eval();
    if (reset)
      for (auto& s : past) s = zero;

    const int eff = !runtime ? delay : (delay_i >= 1 && delay_i <= delay ? delay_i : delay);
    const unit::Bits exp = eff == 0 ? d : past[size_t(eff - 1)];
    b.check(c, "q_o", unit::get(m.q_o, width), exp, [&] {
      return "rst_ni=" + std::to_string(!reset) +
             " delay_i=" + (HasDelayInput<M>::value ? std::to_string(delay_i) : std::string("(no port)")) +
             " d_i=" + d.hex() + " (selects " + std::to_string(eff) + " cycles)";
    });

    unit::clock(m);
    if (!reset && delay > 0) {
      past.push_front(d);
      past.pop_back();
    }
  }
  m.final();
  b.end_set(cycles);
}

}  // namespace

SHARP_UNIT_MAIN("sharp_delay")
