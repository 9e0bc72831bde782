// Small helpers shared by the subcommands (commands.cpp, bench.cpp, run.cpp).
#pragma once

#include <chrono>
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

}  // namespace sharp::cli
