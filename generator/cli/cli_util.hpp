// Small helpers shared by the subcommands (commands.cpp, bench.cpp, bench_streams.cpp, run.cpp).
#pragma once

#include <chrono>
#include <cmath>
#include <vector>

namespace sharp::cli {

// Seconds since t0, for progress lines.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The rows of v one after another (a row-major matrix for .npy files).
template <typename T>
std::vector<T> flatten(const std::vector<std::vector<T>>& v) {
  std::vector<T> r;
  for (const auto& x : v) r.insert(r.end(), x.begin(), x.end());
  return r;
}

// Geometric mean (0 for none).
inline double geomean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += std::log(x);
  return v.empty() ? 0.0 : std::exp(s / static_cast<double>(v.size()));
}

}  // namespace sharp::cli
