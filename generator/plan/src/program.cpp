// The program model of sharp/program.hpp: the host protocol replayed request by request with the
// exact spans of loads and runs. Mirrors ProgramBench in verif/harness/src/sim_main.cpp (a change
// to either must change the other: `sharpgen run` and the program tests compare the two).
#include "sharp/program.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "sharp/error.hpp"

namespace sharp {

namespace {
// Register writes of a load request and of a run request with its stream registers unchanged
// (the last is the CTRL write).
constexpr uint64_t kLoadWrites = 5, kRunWrites = 3;
// From the CTRL write of a load to the host seeing STATUS.loading clear: the last beat is
// taken F cycles after the first cycle the streams may fire (the cycle after the request), the
// loader marks its stream done at that edge and clears `loading` one edge later.
constexpr uint64_t kLoadTail = 3;
// From the CTRL write of a run to the scheduler's first cycle (CYCLES counts from there): the
// core registers the run's shape and tiling first (sharp_core's start_q1, start_q2).
constexpr uint64_t kRunStart = 2;
// From the CYCLES counter's end (done) to the host seeing STATUS.done with every output taken.
constexpr uint64_t kRunTail = 1;

uint64_t to_milli(double v, const char* field) {
  if (!std::isfinite(v) || v <= 0 || v > 1e9)
    throw Error(fmt::format("dma: field '{}': value {} is not allowed (a positive number up to 1e9)", field, v));
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(v * 1000.0)));
}

// The first cycle (counted from the first cycle beats may fire) in which a beat can be offered
// once the DMA has sent `bits_through` bits.
uint64_t available(const DmaRate& r, uint64_t bits_through) {
  if (!r.limited()) return 0;
  return (bits_through * r.cycles + r.bits - 1) / r.bits - 1;
}
// The cycle the last of `n` beats of `bits` bits each fires, the DMA having `before` bits to send
// ahead of them: beat i fires at max(available(i), fire(i - 1) + 1). available() grows by at
// least 1 per beat when a beat takes a cycle or more at the rate (then the last fires when it is
// available), by 0 or 1 otherwise (then the first sets the pace, one beat per cycle).
uint64_t last_fire(const DmaRate& r, uint64_t before, uint64_t n, uint64_t bits) {
  return std::max(available(r, before + n * bits), available(r, before + bits) + n - 1);
}
}  // namespace

DmaRate dma_rate(double gbytes_per_s, double clock_mhz) {
  // bits per cycle = GB/s x 8e9 / (MHz x 1e6) = (GB/s x 1000) x 8 / (MHz x 1000) x 1000.
  const uint64_t g = to_milli(gbytes_per_s, "dram_gbps"), m = to_milli(clock_mhz, "clock_mhz");
  DmaRate r{g * 8000, m};
  const uint64_t d = std::gcd(r.bits, r.cycles);
  r.bits /= d;
  r.cycles /= d;
  return r;
}

namespace {
// The values of STREAMS, STREAM_SLOTS, WAVEFRONT, CELL and INIT_STATE a run writes.
std::array<uint32_t, 5> stream_registers(const Program& g, const ProgramRun& r) {
  uint32_t slots = 0;
  const int base = g.loads[static_cast<size_t>(r.load)].slot;
  for (size_t s = 0; s < r.stream_loads.size(); ++s)
    slots |= static_cast<uint32_t>(g.loads[static_cast<size_t>(r.stream_loads[s])].slot - base) << (4 * (s + 1));
  return {static_cast<uint32_t>(r.streams), slots, static_cast<uint32_t>(r.wavefront), static_cast<uint32_t>(r.cell),
          r.init ? 1u : 0u};
}

// Register writes of every run in order: kRunWrites plus the stream, cell and state registers that
// change.
std::vector<uint64_t> run_writes(const Plan& p, const Program& g) {
  std::array<uint32_t, 5> cur = {1, 0, 0, static_cast<uint32_t>(p.cfg.first_cell()), 0};
  std::vector<uint64_t> w;
  for (const ProgramRun& r : g.runs) {
    auto want = stream_registers(g, r);
    want[3] = static_cast<uint32_t>(run_cell(p, r.cell));
    uint64_t n = kRunWrites;
    for (size_t i = 0; i < want.size(); ++i) n += want[i] != cur[i] ? 1 : 0;
    cur = want;
    w.push_back(n);
  }
  return w;
}

std::vector<int> stream_slots(const Program& g, const ProgramRun& r) {
  std::vector<int> s;
  for (int u : r.loads_of_streams()) s.push_back(g.loads[static_cast<size_t>(u)].slot);
  return s;
}
}  // namespace

std::vector<int> ProgramRun::loads_of_streams() const {
  std::vector<int> u(static_cast<size_t>(std::max(1, streams)), load);
  for (size_t s = 0; s < stream_loads.size() && s + 1 < u.size(); ++s) u[s + 1] = stream_loads[s];
  return u;
}

uint32_t program_stream_slots(const Program& g, const ProgramRun& r) { return stream_registers(g, r)[1]; }

RunShape program_run_shape(const Program& g, const ProgramRun& r) {
  const ProgramLoad& l = g.loads[static_cast<size_t>(r.load)];
  return {l.hidden, l.input, r.steps, l.width, r.streams, r.wavefront, r.cell, r.init};
}

void check_program(const Plan& p, const Program& g) {
  for (size_t i = 0; i < g.loads.size(); ++i) {
    const ProgramLoad& l = g.loads[i];
    check_shape(p, {l.hidden, l.input, 1, l.width});
    if (l.slot < 0 || l.slot >= p.cfg.weight_slots)
      throw Error(fmt::format("program: load {}: field 'slot': value {} is not allowed (0 to weight_slots - 1 = {})", i,
                              l.slot, p.cfg.weight_slots - 1));
  }
  for (size_t i = 0; i < g.runs.size(); ++i) {
    const ProgramRun& r = g.runs[i];
    if (r.load < 0 || r.load >= static_cast<int>(g.loads.size()) || (i > 0 && r.load < g.runs[i - 1].load))
      throw Error(
          fmt::format("program: run {}: field 'load': value {} is not allowed (a load index below {}, not below the "
                      "previous run's)",
                      i, r.load, g.loads.size()));
    if (r.steps < 1)
      throw Error(fmt::format("program: run {}: field 'steps': value {} is not allowed (>= 1)", i, r.steps));
    try {
      check_shape(p, program_run_shape(g, r));
    } catch (const Error& e) {
      throw Error(fmt::format("program: run {}: {}", i, e.what()));
    }
    if (!r.stream_loads.empty() && static_cast<int>(r.stream_loads.size()) != r.streams - 1)
      throw Error(fmt::format("program: run {}: field 'stream_loads': {} loads given for streams 1 .. {}", i,
                              r.stream_loads.size(), r.streams - 1));
    const ProgramLoad& l0 = g.loads[static_cast<size_t>(r.load)];
    for (int u : r.stream_loads) {
      if (u < 0 || u >= static_cast<int>(g.loads.size()))
        throw Error(
            fmt::format("program: run {}: field 'stream_loads': value {} is not allowed (a load index below {})", i, u,
                        g.loads.size()));
      const ProgramLoad& l = g.loads[static_cast<size_t>(u)];
      if (l.hidden != l0.hidden || l.input != l0.input || l.width != l0.width)
        throw Error(
            fmt::format("program: run {}: field 'stream_loads': load {} has another shape than load {}", i, u, r.load));
      if (l.slot < l0.slot || l.slot - l0.slot > 15)
        throw Error(
            fmt::format("program: run {}: field 'stream_loads': load {} is in slot {}, not 0 .. 15 above slot {} of "
                        "load {} (STREAM_SLOTS holds 4-bit offsets)",
                        i, u, l.slot, l0.slot, r.load));
    }
  }
}

LoadBeats load_beats(const Plan& p, const ProgramLoad& l) {
  const Tiling t = tiling(p, {l.hidden, l.input, 1, l.width});
  return {static_cast<uint64_t>(t.rb) * static_cast<uint64_t>(t.cb) * static_cast<uint64_t>(p.rows),
          static_cast<uint64_t>(t.rb) * static_cast<uint64_t>(t.rows)};
}

uint64_t load_span(const Plan& p, const ProgramLoad& l, const DmaRate& rate) {
  const LoadBeats n = load_beats(p, l);
  const uint64_t bb = static_cast<uint64_t>(p.cfg.format.data_bits), wb = bb * static_cast<uint64_t>(p.k);
  const uint64_t fb = last_fire(rate, 0, n.biases, bb), fw = last_fire(rate, n.biases * bb, n.weights, wb);
  return std::max(fb, fw) + kLoadTail;
}

uint64_t run_span(const Plan& p, const RunShape& s) {
  return kRunStart + state_phase_cycles(p, s) + predict_cycles(p, s) + kRunTail;
}

namespace {
// Every run's CYCLES counter: given, or from the cycle model.
std::vector<uint64_t> runs_cycles(const Plan& p, const Program& g, const std::vector<uint64_t>* given) {
  if (given) {
    if (given->size() != g.runs.size())
      throw Error(fmt::format("program: {} run cycle counts for {} runs", given->size(), g.runs.size()));
    return *given;
  }
  std::vector<uint64_t> c;
  for (const ProgramRun& r : g.runs) c.push_back(predict_cycles(p, program_run_shape(g, r)));
  return c;
}
}  // namespace

uint64_t resident_cycles(const Plan& p, const Program& g, const std::vector<uint64_t>* run_cycles) {
  check_program(p, g);
  uint64_t t = 0;
  const std::vector<uint64_t> cyc = runs_cycles(p, g, run_cycles), writes = run_writes(p, g);
  for (size_t r = 0; r < cyc.size(); ++r)
    t += writes[r] - 1 + kRunStart + state_phase_cycles(p, program_run_shape(g, g.runs[r])) + cyc[r] + kRunTail;
  return t;
}

ProgramTiming predict_program(const Plan& p, const Program& g, const std::vector<uint64_t>* run_cycles) {
  check_program(p, g);
  ProgramTiming pt;
  const size_t nl = g.loads.size(), nr = g.runs.size();
  constexpr uint64_t kNone = UINT64_MAX;
  pt.loads.assign(nl, {kNone, kNone});
  pt.runs.assign(nr, {kNone, kNone});
  const std::vector<uint64_t> cyc = runs_cycles(p, g, run_cycles), writes = run_writes(p, g);
  std::vector<uint64_t> run_len(nr);
  for (size_t r = 0; r < nr; ++r) {
    run_len[r] = kRunStart + state_phase_cycles(p, program_run_shape(g, g.runs[r])) + cyc[r] + kRunTail;  // run_span
    pt.compute += cyc[r];
  }
  size_t next_load = 0, next_run = 0;
  auto finished = [](const std::pair<uint64_t, uint64_t>& span, uint64_t t) { return span.second <= t; };
  auto slot_free = [&](size_t l, uint64_t t) {
    for (size_t r = 0; r < nr; ++r)
      for (int v : g.runs[r].loads_of_streams()) {
        const size_t u = static_cast<size_t>(v);
        if (u < l && g.loads[u].slot == g.loads[l].slot && !finished(pt.runs[r], t)) return false;
      }
    return true;
  };
  auto loaded = [&](size_t r, uint64_t t) {
    for (int v : g.runs[r].loads_of_streams())
      if (!finished(pt.loads[static_cast<size_t>(v)], t)) return false;
    return true;
  };
  uint64_t t = 0;
  while (next_load < nl || next_run < nr) {
    // The register port is free at t: the next run, else the next load (see the header).
    const bool run_idle = next_run == 0 || finished(pt.runs[next_run - 1], t);
    const bool load_idle = next_load == 0 || finished(pt.loads[next_load - 1], t);
    if (next_run < nr && run_idle && loaded(next_run, t)) {
      const uint64_t req = t + writes[next_run] - 1;
      pt.runs[next_run] = {req, req + run_len[next_run]};
      t += writes[next_run];
      ++next_run;
      continue;
    }
    if (next_load < nl && load_idle && slot_free(next_load, t)) {
      const uint64_t req = t + kLoadWrites - 1, span = load_span(p, g.loads[next_load], g.rate);
      pt.loads[next_load] = {req, req + span};
      pt.loading += span;
      ++next_load;
      t += kLoadWrites;
      continue;
    }
    // Nothing can start: wait for the next completion.
    uint64_t next = kNone;
    for (const auto& s : pt.loads)
      if (s.second != kNone && s.second > t) next = std::min(next, s.second);
    for (const auto& s : pt.runs)
      if (s.second != kNone && s.second > t) next = std::min(next, s.second);
    if (next == kNone) throw Error("program: the host cannot go on (a run waits for a load that cannot start)");
    t = next;
  }
  for (const auto& s : pt.loads) pt.cycles = std::max(pt.cycles, s.second);
  for (const auto& s : pt.runs) pt.cycles = std::max(pt.cycles, s.second);
  return pt;
}

std::vector<MacroCount> program_counts(const Plan& p, const Program& g) {
  check_program(p, g);
  std::vector<MacroCount> total(p.memories.size());
  auto add = [&total](const std::vector<MacroCount>& c) {
    for (size_t i = 0; i < c.size(); ++i) {
      total[i].reads += c[i].reads;
      total[i].writes += c[i].writes;
    }
  };
  for (const ProgramLoad& l : g.loads) add(predict_counts(p, {l.hidden, l.input, 1, l.width}, l.slot).load);
  for (const ProgramRun& r : g.runs) add(predict_counts(p, program_run_shape(g, r), 0, stream_slots(g, r)).run);
  return total;
}

EventCounts program_events(const Plan& p, const Program& g) {
  check_program(p, g);
  EventCounts total{};
  auto add = [&total](const EventCounts& e) {
    for (size_t i = 0; i < e.size(); ++i) total[i] += e[i];
  };
  for (const ProgramLoad& l : g.loads)
    add(layer_events(predict_counts(p, {l.hidden, l.input, 1, l.width}, l.slot), true, false));
  for (const ProgramRun& r : g.runs)
    add(layer_events(predict_counts(p, program_run_shape(g, r), 0, stream_slots(g, r)), false, true));
  return total;
}

Program model_program(const Plan& p, const std::vector<std::pair<int, int>>& layers, int directions, int sequences,
                      int steps, const DmaRate& rate, int cell) {
  Program g;
  g.rate = rate;
  for (const auto& [h, x] : layers) {
    const int width = choose_width(p, h, x, steps).width;
    for (int d = 0; d < directions; ++d) {
      const int u = static_cast<int>(g.loads.size());
      g.loads.push_back({h, x, width, u % p.cfg.weight_slots});
      for (int n = 0; n < sequences; ++n) g.runs.push_back({u, steps, 1, 0, {}, cell});
    }
  }
  check_program(p, g);
  return g;
}

}  // namespace sharp
