// fifo_bench.cpp: sharp_fifo (with its sharp_fifo_slice storage) at every parameter set of
// verif/unit/CMakeLists.txt against a queue, cycle by cycle: full_o and valid_o every cycle,
// data_o whenever valid_o (it is undefined otherwise). Stimulus: random push/ready in phases
// of different rates (fill, drain, both, neither), pushes while full, and asynchronous resets
// in mid-run.
#include <deque>

#include "unit_bench.hpp"
#include "unit_sets.hpp"

namespace {

template <class M>
void run(unit::Bench& b, int set, const char* params, int width, int depth, int slices) {
  (void)slices;  // only the RTL's storage layout; the behaviour is the same
  unit::Rng rng = b.begin_set(set, params);
  VerilatedContext ctx;
  M m(&ctx);
  std::deque<unit::Bits> q;  // the reference: entries in order, oldest first

  // Asynchronous reset: a falling edge of rst_ni with the clock low.
  m.clk_i = 0;
  m.rst_ni = 1;
  m.push_i = 0;
  m.ready_i = 0;
  unit::put(m.data_i, unit::Bits(width));
  m.eval();
  m.rst_ni = 0;
  m.eval();
  unit::clock(m);
  m.rst_ni = 1;
  m.eval();

  const uint64_t cycles = 20000;
  const double rates[] = {0.0, 0.1, 0.5, 0.9, 1.0};
  double p_push = 0.5, p_ready = 0.5;
  for (uint64_t c = 0; c < cycles; ++c) {
    if (c % 97 == 0) {
      p_push = rates[rng() % 5];
      p_ready = rates[rng() % 5];
    }
    const bool reset = rng() % 1500 == 0;
    const bool push = std::uniform_real_distribution<double>(0, 1)(rng) < p_push;
    const bool ready = std::uniform_real_distribution<double>(0, 1)(rng) < p_ready;
    const unit::Bits data = unit::random_bits(rng, width);
    m.rst_ni = reset ? 0 : 1;
    m.push_i = push;
    m.ready_i = ready;
    unit::put(m.data_i, data);
    m.eval();
    if (reset) q.clear();

    const bool full = static_cast<int>(q.size()) == depth;
    const bool valid = !q.empty();
    auto inputs = [&] {
      return "rst_ni=" + std::to_string(!reset) + " push_i=" + std::to_string(push) +
             " ready_i=" + std::to_string(ready) + " data_i=" + data.hex() +
             " (entries held: " + std::to_string(q.size()) + ")";
    };
    b.check(c, "full_o", unit::get(m.full_o, 1), unit::Bits(1, full), inputs);
    b.check(c, "valid_o", unit::get(m.valid_o, 1), unit::Bits(1, valid), inputs);
    if (valid) b.check(c, "data_o", unit::get(m.data_o, width), q.front(), inputs);

    unit::clock(m);
    if (!reset) {
      if (valid && ready) q.pop_front();
      if (push && !full) q.push_back(data);  // a push while full is dropped, even with a pop
    }
  }
  m.final();
  b.end_set(cycles);
}

}  // namespace

SHARP_UNIT_MAIN("sharp_fifo")
