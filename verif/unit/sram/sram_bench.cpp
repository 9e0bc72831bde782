// sram_bench.cpp: sharp_sram, and sharp_mem (a buffer of sharp_sram macros split by width and by
// address, with the same ports and timing; built with SHARP_UNIT_MODULE="sharp_mem", its sets
// carry SramBits and SramWidth as fourth and fifth values, which the model does not need), at every parameter set of
// verif/unit/CMakeLists.txt against an array model, cycle by cycle: rdata_o is the word at raddr_i one cycle after re_i
// and holds while re_i is low; a read of the address written in the same cycle returns the old contents (read-first:
// both happen at the same edge); wmask_i writes only its elements. Elements never written are undefined (no reset) and
// not compared. Addresses stay below Depth (the template does not define others). Stimulus: random writes and reads
// with random masks, one cycle in four a read of the address being written.
#include "unit_bench.hpp"
#include "unit_sets.hpp"

namespace {

#ifndef SHARP_UNIT_MODULE
#define SHARP_UNIT_MODULE "sharp_sram"
#endif

template <class M, class... MacroSize>
void run(unit::Bench& b, int set, const char* params, int elem_bits, int elems, int depth, MacroSize...) {
  unit::Rng rng = b.begin_set(set, params);
  VerilatedContext ctx;
  M m(&ctx);
  int aw = 1;  // address bits: $clog2(Depth), at least 1
  while ((1 << aw) < depth) ++aw;
  // The reference: contents and read register, per element, with "ever written" flags.
  const size_t nd = static_cast<size_t>(depth), ne = static_cast<size_t>(elems);
  const unit::Bits zero(elem_bits);
  std::vector<std::vector<unit::Bits>> mem(nd, std::vector<unit::Bits>(ne, zero));
  std::vector<std::vector<bool>> known(nd, std::vector<bool>(ne, false));
  std::vector<unit::Bits> rq(ne, zero);
  std::vector<bool> rq_known(ne, false);

  m.clk_i = 0;
  const uint64_t cycles = 20000;
  for (uint64_t c = 0; c < cycles; ++c) {
    const bool fill = c < static_cast<uint64_t>(depth);  // first write every word once, unmasked
    const bool we = fill || rng() % 3 != 0;
    const int waddr = fill ? static_cast<int>(c) : static_cast<int>(rng() % uint64_t(depth));
    unit::Bits wmask(elems);
    const int mm = static_cast<int>(rng() % 4);
    for (int e = 0; e < elems; ++e) wmask.set_bit(e, fill || mm == 0 || (mm == 1 && (rng() & 1u)));
    if (mm == 2 && !fill) wmask.set_bit(static_cast<int>(rng() % uint64_t(elems)), true);  // one element
    unit::Bits wdata(elems * elem_bits);
    for (int e = 0; e < elems; ++e) wdata.set_slice(e * elem_bits, unit::random_bits(rng, elem_bits));
    const bool re = rng() % 4 != 0;
    const int raddr = rng() % 4 == 0 ? waddr : static_cast<int>(rng() % uint64_t(depth));

    m.we_i = we;
    unit::put(m.waddr_i, unit::Bits(aw, uint64_t(waddr)));
    unit::put(m.wmask_i, wmask);
    unit::put(m.wdata_i, wdata);
    m.re_i = re;
    unit::put(m.raddr_i, unit::Bits(aw, uint64_t(raddr)));
    m.eval();

    const unit::Bits got = unit::get(m.rdata_o, elems * elem_bits);
    for (int e = 0; e < elems; ++e) {
      if (!rq_known[size_t(e)]) continue;
      b.check(c, "rdata_o element " + std::to_string(e), got.slice(e * elem_bits, elem_bits), rq[size_t(e)], [&] {
        return "we_i=" + std::to_string(we) + " waddr_i=" + std::to_string(waddr) + " wmask_i=" + wmask.hex() +
               " re_i=" + std::to_string(re) + " raddr_i=" + std::to_string(raddr) +
               " (rdata_o holds the read of an earlier cycle)";
      });
    }

    unit::clock(m);
    if (re)  // before the write: read-first
      for (int e = 0; e < elems; ++e) {
        rq[size_t(e)] = mem[size_t(raddr)][size_t(e)];
        rq_known[size_t(e)] = known[size_t(raddr)][size_t(e)];
      }
    if (we)
      for (int e = 0; e < elems; ++e)
        if (wmask.bit(e)) {
          mem[size_t(waddr)][size_t(e)] = wdata.slice(e * elem_bits, elem_bits);
          known[size_t(waddr)][size_t(e)] = true;
        }
  }
  m.final();
  b.end_set(cycles);
}

}  // namespace

SHARP_UNIT_MAIN(SHARP_UNIT_MODULE)
