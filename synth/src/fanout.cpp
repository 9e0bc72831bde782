// The fanout-buffer pass (see fanout.hpp).
#include "fanout.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common.hpp"

namespace sharp::synth::detail {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::string clock_port_of(const VModule& m, const std::string& preferred) {
  for (const auto& cand :
       {preferred, std::string("clk_i"), std::string("clk"), std::string("clock"), std::string("clk_in")}) {
    const VPort* p = m.port(cand);
    if (p && p->dir == kDirIn && p->bits.size() == 1 && p->bits[0] >= 0) return cand;
  }
  for (const auto& p : m.ports) {
    std::string l = lower(p.name);
    if (p.dir == kDirIn && p.bits.size() == 1 && p.bits[0] >= 0 &&
        (starts_with(l, "clk") || (l.size() >= 3 && l.compare(l.size() - 3, 3, "clk") == 0)))
      return p.name;
  }
  return "";
}

// Splits every net of `m` with more than `max_fanout` input-pin loads into a tree of `buf`
// cells (max_fanout loads per buffer, contiguous in instance order). Nets left alone: the
// clock (a clock pin among the loads), nets with a pin of unknown direction or an inout, nets
// with no single driver (`assign` aliases are one net already). `dir_of(type, pin)` gives a pin's
// direction. Output ports stay on the original net. Returns the buffers added.
long buffer_fanout(VModule& m, const RefCell& buf, int max_fanout, const PinDirOf& dir_of) {
  if (max_fanout < 2) return 0;
  struct Sink {
    size_t inst, conn, bit;
  };
  const size_t N = m.net_names.size();
  std::vector<std::vector<Sink>> sinks(N);
  std::vector<int> drivers(N, 0);
  std::vector<char> skip(N, 0);
  for (const auto& p : m.ports)
    for (int b : p.bits)
      if (b >= 0) {
        if (p.dir == kDirIn) ++drivers[static_cast<size_t>(b)];
        if (p.dir == kDirInout) skip[static_cast<size_t>(b)] = 1;
      }
  for (size_t i = 0; i < m.insts.size(); ++i) {
    const VInst& inst = m.insts[i];
    for (size_t k = 0; k < inst.conns.size(); ++k) {
      bool clock = false;
      const int d = dir_of(inst.type, inst.conns[k].pin, &clock);
      for (size_t j = 0; j < inst.conns[k].bits.size(); ++j) {
        const int b = inst.conns[k].bits[j];
        if (b < 0) continue;
        const auto nb = static_cast<size_t>(b);
        if (d == kDirIn && !clock)
          sinks[nb].push_back({i, k, j});
        else if (d == kDirOut)
          ++drivers[nb];
        else
          skip[nb] = 1;
      }
    }
  }
  long added = 0;
  for (size_t b = 0; b < N; ++b) {
    if (skip[b] || drivers[b] != 1 || sinks[b].size() <= static_cast<size_t>(max_fanout)) continue;
    std::vector<Sink> level = std::move(sinks[b]);
    const int root = static_cast<int>(b);
    while (level.size() > static_cast<size_t>(max_fanout)) {
      std::vector<Sink> next;
      for (size_t s = 0; s < level.size(); s += static_cast<size_t>(max_fanout)) {
        std::string name;
        do name = fmt::format("sgfo_{}", m.net_names.size());
        while (m.net_ids.count(name));
        const int nn = m.net(name);
        const size_t e = std::min(level.size(), s + static_cast<size_t>(max_fanout));
        for (size_t t = s; t < e; ++t) m.insts[level[t].inst].conns[level[t].conn].bits[level[t].bit] = nn;
        VInst bi;
        bi.type = buf.name;
        bi.name = "sgfo_buf_" + name.substr(5);
        bi.conns = {VConn{buf.in, {root}}, VConn{buf.out, {nn}}};
        m.insts.push_back(std::move(bi));
        next.push_back({m.insts.size() - 1, 0, 0});
        ++added;
      }
      level = std::move(next);
    }
  }
  return added;
}

}  // namespace sharp::synth::detail
