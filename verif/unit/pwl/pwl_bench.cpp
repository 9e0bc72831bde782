// pwl_bench.cpp: sharp_pwl, with the ROMs the generator emits for the format (unit_pwl_rom),
// at every parameter set of verif/unit/CMakeLists.txt against sharp::PwlTable::eval, the table
// the golden model evaluates: y_o two cycles after z_i, bit for bit. Inputs: the whole input
// range in order and then in random order, both ends and the codes around every segment
// boundary, then random codes.
#include <algorithm>
#include <deque>

#include "sharp/numerics.hpp"
#include "unit_bench.hpp"
#include "unit_sets.hpp"

namespace {

template <class M>
void run(unit::Bench& b, int set, const char* params, int data_bits, int frac_bits, int seg_bits, int fn) {
  unit::Rng rng = b.begin_set(set, params);
  VerilatedContext ctx;
  M m(&ctx);
  sharp::NumFormat f;
  f.data_bits = data_bits;
  f.frac_bits = frac_bits;
  f.act_seg_bits = seg_bits;
  const sharp::PwlTable tab(fn ? sharp::ActFn::Tanh : sharp::ActFn::Sigmoid, f);
  const int64_t lo = unit::min_signed(data_bits), hi = unit::max_signed(data_bits);

  std::vector<int64_t> zs;
  for (int64_t z = lo; z <= hi; ++z) zs.push_back(z);
  std::vector<int64_t> shuffled = zs;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  zs.insert(zs.end(), shuffled.begin(), shuffled.end());
  // Segment starts inside the table's domain (PwlTable::domain_bits), and the domain's edges.
  const int64_t dom_lo = -(int64_t{1} << (tab.domain_bits() - 1));
  for (int64_t d = -2; d <= 2; ++d)
    for (int64_t edge : {dom_lo, -dom_lo})
      if (edge + d >= lo && edge + d <= hi) zs.push_back(edge + d);
  for (int i = 0; i < (1 << seg_bits); ++i) {
    const int64_t start = dom_lo + (int64_t{i} << tab.offset_bits());
    for (int64_t d = -2; d <= 2; ++d)
      if (start + d >= lo && start + d <= hi) zs.push_back(start + d);
  }
  for (int k = 0; k < 20000; ++k) zs.push_back(unit::random_bits(rng, data_bits).field_signed(0, data_bits));

  std::deque<int64_t> past;  // past[k]: z_i of k + 1 cycles ago
  m.clk_i = 0;
  uint64_t c = 0;
  for (int64_t z : zs) {
    unit::put(m.z_i, unit::Bits::from_signed(data_bits, z));
    m.eval();
    if (past.size() >= 2) {
      const int64_t z2 = past[1];
      const int64_t y = tab.eval(z2);
      b.check(c, "y_o", unit::get(m.y_o, data_bits), unit::Bits::from_signed(data_bits, y), [&] {
        return "z_i=" + std::to_string(z2) + " (2 cycles earlier; " + std::to_string(sharp::to_real(z2, frac_bits)) +
               "), reference " + std::to_string(y) + " (" + std::to_string(sharp::to_real(y, frac_bits)) + ")";
      });
    }
    unit::clock(m);
    past.push_front(z);
    if (past.size() > 2) past.pop_back();
    ++c;
  }
  m.final();
  b.end_set(c);
}

}  // namespace

SHARP_UNIT_MAIN("sharp_pwl")
