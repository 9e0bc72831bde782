// unit_bench.hpp: what the leaf-module benches of verif/unit/ share: bit vectors that move to
// and from Verilator ports of any width, the seeded random source, the bit-exact comparison
// with its mismatch report and the --flip self-test (one output bit corrupted before the
// comparison, which the bench must catch), and the final summary line.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "verilated.h"

namespace unit {

// A two's complement bit vector of any width (bit 0 = LSB).
class Bits {
 public:
  Bits() = default;
  explicit Bits(int width, uint64_t v = 0) : width_(width), w_(static_cast<size_t>((width + 63) / 64), 0) {
    if (!w_.empty()) w_[0] = v;
    trim();
  }
  static Bits from_signed(int width, int64_t v) {
    Bits b(width);
    for (auto& x : b.w_) x = v < 0 ? ~0ull : 0ull;
    if (!b.w_.empty()) b.w_[0] = static_cast<uint64_t>(v);
    b.trim();
    return b;
  }
  int width() const { return width_; }
  bool bit(int i) const { return (w_[static_cast<size_t>(i / 64)] >> (i % 64)) & 1u; }
  void set_bit(int i, bool v) {
    const uint64_t m = 1ull << (i % 64);
    auto& x = w_[static_cast<size_t>(i / 64)];
    x = v ? (x | m) : (x & ~m);
  }
  void flip(int i) { set_bit(i, !bit(i)); }
  // Bits [lo, lo + n) as an unsigned number (n <= 64).
  uint64_t field(int lo, int n) const {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(bit(lo + i)) << i;
    return v;
  }
  int64_t field_signed(int lo, int n) const {
    uint64_t v = field(lo, n);
    if (n < 64 && ((v >> (n - 1)) & 1u)) v |= ~0ull << n;
    return static_cast<int64_t>(v);
  }
  Bits slice(int lo, int n) const {
    Bits b(n);
    for (int i = 0; i < n; ++i) b.set_bit(i, bit(lo + i));
    return b;
  }
  void set_slice(int lo, const Bits& v) {
    for (int i = 0; i < v.width(); ++i) set_bit(lo + i, v.bit(i));
  }
  uint64_t word(size_t i) const { return i < w_.size() ? w_[i] : 0; }
  bool operator==(const Bits& o) const { return width_ == o.width_ && w_ == o.w_; }
  bool operator!=(const Bits& o) const { return !(*this == o); }
  // Verilog-style hex literal, e.g. 33'h1_0000_0001 (without separators).
  std::string hex() const {
    std::string s;
    const int digits = std::max(1, (width_ + 3) / 4);
    for (int d = digits - 1; d >= 0; --d) {
      const int n = std::min(4, width_ - 4 * d);
      s += "0123456789abcdef"[n > 0 ? field(4 * d, n) : 0];
    }
    return std::to_string(width_) + "'h" + s;
  }

 private:
  void trim() {
    if (width_ % 64 && !w_.empty()) w_.back() &= (1ull << (width_ % 64)) - 1;
  }
  int width_ = 0;
  std::vector<uint64_t> w_;
};

// Ports: Verilator holds up to 64 bits in an integer (CData .. QData), wider ones in VlWide.
template <class T>
std::enable_if_t<std::is_integral<T>::value> put(T& port, const Bits& v) {
  port = static_cast<T>(v.field(0, std::min(v.width(), 64)));
}
template <std::size_t N>
void put(VlWide<N>& port, const Bits& v) {
  for (size_t i = 0; i < N; ++i) {
    const int lo = static_cast<int>(32 * i);
    port.at(i) = lo < v.width() ? static_cast<EData>(v.field(lo, std::min(32, v.width() - lo))) : 0;
  }
}
template <class T>
std::enable_if_t<std::is_integral<T>::value, Bits> get(const T& port, int width) {
  return Bits(width, static_cast<uint64_t>(port));
}
template <std::size_t N>
Bits get(const VlWide<N>& port, int width) {
  Bits b(width);
  for (int i = 0; i < width; ++i) b.set_bit(i, (port.at(static_cast<size_t>(i / 32)) >> (i % 32)) & 1u);
  return b;
}

using Rng = std::mt19937_64;

// Random `width`-bit value; one draw in two is an edge value (0, all ones, the most negative or
// the most positive signed value, a single one bit).
inline Bits random_bits(Rng& rng, int width) {
  Bits b(width);
  switch (rng() % 10) {
    case 0:
      return b;
    case 1:
      for (int i = 0; i < width; ++i) b.set_bit(i, true);
      return b;
    case 2:
      b.set_bit(width - 1, true);
      return b;
    case 3:
      for (int i = 0; i + 1 < width; ++i) b.set_bit(i, true);
      return b;
    case 4:
      b.set_bit(static_cast<int>(rng() % static_cast<uint64_t>(width)), true);
      return b;
    default:
      for (int i = 0; i < width; ++i) b.set_bit(i, rng() & 1u);
      return b;
  }
}

inline int64_t min_signed(int bits) { return -(int64_t{1} << (bits - 1)); }
inline int64_t max_signed(int bits) { return (int64_t{1} << (bits - 1)) - 1; }

// One run of a bench: options, per-set seeds, the comparison and the summary.
//   --seed N   base seed (default kDefaultSeed; each parameter set derives its own)
//   --set I    run only parameter set I
//   --flip[=N] corrupt one bit of the N-th compared output (default 1000; or UNIT_FLIP=N)
class Bench {
 public:
  static constexpr uint64_t kDefaultSeed = 20240611;

  Bench(const char* module, int argc, char** argv) : module_(module), argv0_(argv[0]) {
    if (const char* e = std::getenv("UNIT_FLIP")) flip_at_ = std::strtoll(e, nullptr, 10);
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--seed" && i + 1 < argc) {
        seed_ = std::strtoull(argv[++i], nullptr, 0);
      } else if (a == "--set" && i + 1 < argc) {
        only_set_ = std::atoi(argv[++i]);
      } else if (a == "--flip") {
        flip_at_ = 1000;
      } else if (a.rfind("--flip=", 0) == 0) {
        flip_at_ = std::strtoll(a.c_str() + 7, nullptr, 10);
      } else {
        std::fprintf(stderr, "usage: %s [--seed N] [--set I] [--flip[=N]]\n", argv0_.c_str());
        std::exit(2);
      }
    }
    std::printf("%s: seed %llu%s\n", module_.c_str(), static_cast<unsigned long long>(seed_),
                flip_at_ >= 0
                    ? (" (--flip: compared output " + std::to_string(flip_at_) + " gets one bit flipped)").c_str()
                    : "");
  }

  bool want(int set) const { return only_set_ < 0 || only_set_ == set; }

  // Starts parameter set `index`; returns its random source.
  Rng begin_set(int index, const std::string& params) {
    set_ = index;
    params_ = params;
    ++sets_run_;
    return Rng(seed_ * 0x9e3779b97f4a7c15ull + static_cast<uint64_t>(index) * 0xbf58476d1ce4e5b9ull + 1);
  }
  void end_set(uint64_t cycles) {
    cycles_ += cycles;
    std::printf("  set %d [%s]: %llu cycles, %llu mismatches so far\n", set_, params_.c_str(),
                static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(mismatches_));
  }

  // Compares one output (bit for bit); `inputs` describes the stimulus behind it (built only on
  // a mismatch).
  void check(uint64_t cycle, const std::string& output, Bits got, const Bits& expected,
             const std::function<std::string()>& inputs) {
    if (checks_++ == static_cast<uint64_t>(flip_at_) && got.width() > 0)
      got.flip(static_cast<int>((static_cast<uint64_t>(flip_at_) * 7919u) % static_cast<uint64_t>(got.width())));
    if (got == expected) return;
    if (++mismatches_ > kMaxReports) return;
    std::printf("MISMATCH %s [%s] seed=%llu cycle=%llu output=%s\n  input:    %s\n  expected: %s\n  got:      %s\n",
                module_.c_str(), params_.c_str(), static_cast<unsigned long long>(seed_),
                static_cast<unsigned long long>(cycle), output.c_str(), inputs().c_str(), expected.hex().c_str(),
                got.hex().c_str());
    std::printf("  reproduce: %s --seed %llu --set %d%s\n", argv0_.c_str(), static_cast<unsigned long long>(seed_),
                set_, flip_at_ >= 0 ? (" --flip=" + std::to_string(flip_at_)).c_str() : "");
  }

  // Prints the summary line; the process exit code.
  int finish() const {
    if (mismatches_ > kMaxReports)
      std::printf("(%llu further mismatches not shown)\n", static_cast<unsigned long long>(mismatches_ - kMaxReports));
    std::printf("%s: %d parameter sets, %llu cycles, %llu mismatches\n", module_.c_str(), sets_run_,
                static_cast<unsigned long long>(cycles_), static_cast<unsigned long long>(mismatches_));
    if (sets_run_ == 0) {
      std::printf("%s: no parameter set selected\n", module_.c_str());
      return 2;
    }
    return mismatches_ ? 1 : 0;
  }

 private:
  static constexpr uint64_t kMaxReports = 10;
  std::string module_, argv0_, params_;
  uint64_t seed_ = kDefaultSeed;
  int only_set_ = -1, set_ = -1, sets_run_ = 0;
  long long flip_at_ = -1;
  uint64_t checks_ = 0, cycles_ = 0, mismatches_ = 0;
};

// One clock cycle of a model whose inputs are already applied: rising edge, falling edge.
template <class M>
void clock(M& m) {
  m.clk_i = 1;
  m.eval();
  m.clk_i = 0;
  m.eval();
}

}  // namespace unit

// The main of a bench: runs `run<Model>(bench, set, params, ...)`, a function of the bench's
// file, for every parameter set of its generated unit_sets.hpp (UNIT_SETS) that the command
// line selects, then prints the summary.
#define SHARP_UNIT_RUN_SET(Model, set, params, ...) \
  if (b.want(set)) run<Model>(b, set, params, __VA_ARGS__);
#define SHARP_UNIT_MAIN(module_name)        \
  int main(int argc, char** argv) {         \
    unit::Bench b(module_name, argc, argv); \
    UNIT_SETS(SHARP_UNIT_RUN_SET)           \
    return b.finish();                      \
  }
