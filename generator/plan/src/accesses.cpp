#include "sharp/accesses.hpp"

#include <algorithm>
#include <map>
#include <string>

#include <fmt/format.h>

#include "sharp/error.hpp"

namespace sharp {

namespace {

// The macros of the plan's logical buffers, and the counts being built up for them.
class Counter {
 public:
  explicit Counter(const Plan& p) : p_(p) {
    for (size_t i = 0; i < p.memories.size(); ++i) by_buffer_[p.memories[i].buffer].push_back(i);
  }
  // `n` accesses of every word lo .. hi - 1 of `buffer`, each charged to the macros holding it;
  // a write touches elements elo .. ehi - 1 of each word (ehi < 0: all), so of a buffer split by
  // width only the macros holding some of them (a read enables all). `each`: every one of those
  // elements is a write of its own (one element per beat), so a macro counts one per element.
  void add(std::vector<MacroCount>& into, const std::string& buffer, int64_t lo, int64_t hi, uint64_t n, bool write,
           int elo = 0, int ehi = -1, bool each = false) const {
    if (hi <= lo || n == 0) return;
    const auto it = by_buffer_.find(buffer);
    if (it == by_buffer_.end()) throw Error(fmt::format("plan: no memory buffer '{}' in the plan", buffer));
    int64_t covered = 0;
    for (size_t i : it->second) {
      const MemoryInfo& m = p_.memories[i];
      const int64_t a = std::max<int64_t>(lo, m.base), b = std::min<int64_t>(hi, int64_t{m.base} + m.depth);
      if (b <= a) continue;
      if (m.elem_base == 0) covered += b - a;
      const int held = ehi < 0 ? 1 : std::min(ehi, m.elem_base + m.elems) - std::max(elo, m.elem_base);
      if (held <= 0) continue;
      (write ? into[i].writes : into[i].reads) += n * static_cast<uint64_t>(b - a) * (each ? held : 1);
    }
    if (covered != hi - lo)
      throw Error(fmt::format("plan: words {}..{} of '{}' lie outside its macros", lo, hi - 1, buffer));
  }

 private:
  const Plan& p_;
  std::map<std::string, std::vector<size_t>> by_buffer_;
};

// Steps t in [0, T) with t mod slots == s.
uint64_t steps_in_slot(int64_t T, int64_t slots, int64_t s) {
  return s < T ? static_cast<uint64_t>((T - 1 - s) / slots + 1) : 0;
}

// Reads of vector words by the tiles of one job: column blocks 0 .. blocks - 1 in width Kw read
// word cb / (K / Kw) (sharp_vector_buffers: one word holds K / Kw segments). Calls
// f(word, column blocks reading it).
template <typename F>
void for_each_word(int blocks, int segs, F f) {
  for (int w = 0; w * segs < blocks; ++w) f(w, static_cast<uint64_t>(std::min(segs, blocks - w * segs)));
}

}  // namespace

LayerCounts predict_counts(const Plan& p, const RunShape& s, int slot, const std::vector<int>& stream_slots) {
  check_shape(p, s);
  std::vector<int> slots = stream_slots.empty() ? std::vector<int>(static_cast<size_t>(s.streams), slot) : stream_slots;
  if (static_cast<int>(slots.size()) != s.streams)
    throw Error(fmt::format("plan: field 'stream_slots': {} slots given for {} streams", slots.size(), s.streams));
  for (int sl : slots)
    if (sl < 0 || sl >= p.cfg.weight_slots)
      throw Error(fmt::format("plan: field 'slot': value {} is not allowed (0 to weight_slots - 1 = {})", sl,
                              p.cfg.weight_slots - 1));
  std::vector<int> loaded = slots;  // each slot's layer is loaded once
  std::sort(loaded.begin(), loaded.end());
  loaded.erase(std::unique(loaded.begin(), loaded.end()), loaded.end());
  const Tiling g = tiling(p, s);
  const Counter cnt(p);
  LayerCounts c;
  c.load.assign(p.memories.size(), {});
  c.run.assign(p.memories.size(), {});
  // Streams interleave step by step: x slots, W·x bank slots, weight and bias reads count
  // virtual steps (T n); h banks and c words are each stream's own (Ts steps each).
  const int64_t Ts = s.steps, ns = s.streams, T = Ts * ns;
  const uint64_t uT = static_cast<uint64_t>(T), rb = static_cast<uint64_t>(g.rb);
  const std::string core = "u_core.";

  // Weights (sharp_loader, sharp_scheduler); words of the slot. The load writes words 0 .. RB * CB - 1 of every bank
  // once (beats in the order row block, column block, row unit). Every issued tile reads all
  // banks at issue_waddr: W·x tiles rb * CB + cb, U·h tiles rb * CB + CX + cb, so every word
  // 0 .. RB * CB - 1 once per step.
  // With streams, each stream's Ts steps read the words of its own slot.
  const int64_t words = static_cast<int64_t>(g.rb) * g.cb;
  auto wbase = [&p](int sl) { return static_cast<int64_t>(sl) * p.wdepth; };
  auto bbase = [&p](int sl) { return static_cast<int64_t>(sl) * p.rb_max; };
  const uint64_t uTs = static_cast<uint64_t>(Ts);
  for (int r = 0; r < p.rows; ++r) {
    const std::string bank = fmt::format("{}u_weight_mem.gen_bank[{}].u_bank", core, r);
    for (int sl : loaded) cnt.add(c.load, bank, wbase(sl), wbase(sl) + words, 1, true);
    for (int sl : slots) cnt.add(c.run, bank, wbase(sl), wbase(sl) + words, uTs, false);
  }
  // Biases: the load writes one element per beat, Rk beats per row-block word, elements 0 .. Rk - 1
  // (a masked write of the whole word); the first W·x tile of every (step, row block) reads word
  // rb (b_re).
  const std::string bias = core + "u_weight_mem.u_bias";
  for (int sl : loaded) cnt.add(c.load, bias, bbase(sl), bbase(sl) + g.rb, 1, true, 0, g.rows, true);
  for (int sl : slots) cnt.add(c.run, bias, bbase(sl), bbase(sl) + g.rb, uTs, false);

  // W·x bank (sharp_accumulators): the last W·x tile of (t, rb) writes word
  // (t mod WxSlots) * RbMax + rb; the first U·h tile of (t, rb) reads the same word (bank_re).
  const std::string wxb = core + "u_accumulators.u_wx_bank";
  for (int sl = 0; sl < p.wx_slots; ++sl) {
    const uint64_t n = steps_in_slot(T, p.wx_slots, sl);
    const int64_t base = static_cast<int64_t>(sl) * p.rb_max;
    cnt.add(c.run, wxb, base, base + g.rb, n, true);
    cnt.add(c.run, wxb, base, base + g.rb, n, false);
  }

  // x buffer (sharp_x_loader, sharp_vector_buffers): step t's ceil(X / K) beats write words
  // slot * CxMax + beat, slot = t mod XSlots; every W·x tile reads word slot * CxMax + cb / segs,
  // except in a wavefront (g > 0) those of streams s >= g, which read an h bank instead.
  const int segs = p.k / g.k;
  const std::string xbuf = core + "u_vector_buffers.u_xbuf";
  const int64_t wave = s.wavefront;
  for (int sl = 0; sl < p.x_slots; ++sl) {
    const uint64_t n = steps_in_slot(T, p.x_slots, sl);
    uint64_t reading = n;
    if (wave > 0) {
      reading = 0;
      for (int64_t v = sl; v < T; v += p.x_slots) reading += (v % ns < wave) ? 1 : 0;
    }
    const int64_t base = static_cast<int64_t>(sl) * p.cx_max;
    cnt.add(c.run, xbuf, base, base + g.x_beats, n, true);
    for_each_word(g.cx, segs, [&](int w, uint64_t blocks) {
      cnt.add(c.run, xbuf, base + w, base + w + 1, reading * rb * blocks, false);
    });
  }

  // h buffer: bank b holds words b * ChMax ..; step t of stream s writes bank 2 s + t mod 2 and
  // its U·h tiles read bank 2 s + 1 - t mod 2 (at t = 0 too: the read is enabled, its data masked
  // to h_{-1} = 0). The cell updater writes group j (lanes neurons from j * lanes) into word
  // j * lanes / K, elements (j * lanes) mod K .. + lanes - 1 (masked). In a wavefront, the W·x
  // tiles of step t of stream s + g read bank 2 s + 1 - t mod 2 as well (h of the previous slot,
  // also at t = 0; X = H: the U·h words).
  const std::string hbuf = core + "u_vector_buffers.u_hbuf";
  const int per_word = p.k / p.lanes;
  for (int bank = 0; bank < 2 * ns; ++bank) {
    const uint64_t writes = steps_in_slot(Ts, 2, bank % 2), reads = steps_in_slot(Ts, 2, 1 - bank % 2);
    const int64_t base = static_cast<int64_t>(bank) * p.ch_max;
    for_each_word(g.ch, segs, [&](int w, uint64_t blocks) {
      cnt.add(c.run, hbuf, base + w, base + w + 1, reads * rb * blocks, false);
    });
    if (wave > 0 && bank / 2 + wave < ns)
      for_each_word(g.cx, segs, [&](int w, uint64_t blocks) {
        cnt.add(c.run, hbuf, base + w, base + w + 1, reads * rb * blocks, false);
      });
    // With an initial state the state phase writes bank 2 s + 1 once more, group by group.
    const uint64_t state = (s.init && bank % 2 == 1) ? 1 : 0;
    for (int j = 0; j < g.groups; ++j) {
      const int off = (j * p.lanes) % p.k;
      cnt.add(c.run, hbuf, base + j / per_word, base + j / per_word + 1, writes + state, true, off, off + p.lanes);
    }
  }
  // c buffer: every real group (neuron j * lanes < H) is read as it leaves the accumulators (at
  // t = 0 too: the data is replaced by c_{-1} = 0 unless the run has an initial state) and
  // written by the cell updater, word s * CDepth + j for stream s, and once more by the state
  // phase of a run with an initial state.
  const std::string cbuf = core + "u_vector_buffers.u_cbuf";
  for (int64_t st = 0; st < ns; ++st) {
    const int64_t base = st * p.cdepth;
    cnt.add(c.run, cbuf, base, base + g.groups, static_cast<uint64_t>(Ts), false);
    cnt.add(c.run, cbuf, base, base + g.groups, static_cast<uint64_t>(Ts) + (s.init ? 1 : 0), true);
  }

  // Datapath and streams.
  const auto& f = p.cfg.format;
  c.wx_tiles = uT * rb * static_cast<uint64_t>(g.cx);
  c.uh_tiles = uT * rb * static_cast<uint64_t>(g.ch);
  c.tiles = c.wx_tiles + c.uh_tiles;
  c.mac_slots = c.tiles * static_cast<uint64_t>(p.cfg.macs);
  c.frame_macs = frame_macs(s);
  c.act_groups = uT * rb * static_cast<uint64_t>(g.serial);
  c.cell_updates = uT * static_cast<uint64_t>(g.groups);
  c.w.beats = static_cast<uint64_t>(words) * static_cast<uint64_t>(p.rows) * loaded.size();
  c.w.bits = c.w.beats * static_cast<uint64_t>(p.k) * static_cast<uint64_t>(f.data_bits);
  c.b.beats = rb * static_cast<uint64_t>(g.rows) * loaded.size();
  c.b.bits = c.b.beats * static_cast<uint64_t>(f.data_bits);
  c.x.beats = uT * static_cast<uint64_t>(g.x_beats);
  c.x.bits = c.x.beats * static_cast<uint64_t>(p.k) * static_cast<uint64_t>(f.data_bits);
  c.out.beats = c.cell_updates;
  c.out.bits = c.out.beats * static_cast<uint64_t>(p.lanes) * static_cast<uint64_t>(f.data_bits + f.cell_bits);
  return c;
}

EventCounts layer_events(const LayerCounts& c, bool load, bool run) {
  const uint64_t l = load ? 1 : 0, r = run ? 1 : 0;
  return {r * c.act_groups, r * c.cell_updates, l * c.w.beats, l * c.b.beats, r * c.x.beats, r * c.out.beats};
}

}  // namespace sharp
