// Host-side layout: a layer's weights, biases and inputs as the beats of the hardware's
// streams, in the order the loader and the scheduler expect them at a run-time width (the
// tiling comes from the plan). The Verilator harness, the bench and `sharpgen run` feed these.
#pragma once

#include <cstdint>
#include <vector>

#include "sharp/layer.hpp"
#include "sharp/plan.hpp"

namespace sharp {

// Beats of the host streams for one layer, in the order the hardware expects.
struct Stimulus {
  int elem_bits = 0;
  std::vector<std::vector<int64_t>> weights;  // each beat: k elements
  std::vector<int64_t> biases;                // one element per beat
  std::vector<std::vector<int64_t>> inputs;   // each beat: k elements
  std::vector<std::vector<int64_t>> states;   // each beat: lanes h elements, then lanes c elements
};
// `width` 0: the design's k_max.
Stimulus make_stimulus(const Plan& p, const FixedLayer& layer, const std::vector<std::vector<int64_t>>& xs,
                       int width = 0);
// The state stream's beats of a run with initial state (INIT_STATE): for every stream in order
// (`h`[s], `c`[s], H elements each; c may be empty: zeros), ceil(H / lanes) beats of lanes h
// elements then lanes c elements, zeros beyond H.
std::vector<std::vector<int64_t>> state_beats(const Plan& p, int hidden, const std::vector<std::vector<int64_t>>& h,
                                              const std::vector<std::vector<int64_t>>& c);

}  // namespace sharp
