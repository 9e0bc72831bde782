// The stream layout of sharp/stimulus.hpp.
#include "sharp/stimulus.hpp"

#include <algorithm>

namespace sharp {

Stimulus make_stimulus(const Plan& p, const FixedLayer& L, const std::vector<std::vector<int64_t>>& xs, int width) {
  const RunShape s{L.hidden, L.input, std::max(1, static_cast<int>(xs.size())), width};  // steps: for the tiling only
  check_shape(p, s);
  const Tiling t = tiling(p, s);
  const int H = L.hidden, X = L.input, KM = p.k, K = t.k, per = KM / K;
  Stimulus st;
  st.elem_bits = p.cfg.format.data_bits;
  // Dense row q = 4 * neuron + gate (torch row gate * H + neuron); in width K row unit r
  // holds rows r * (KM / K) + m, m < KM / K, each K columns wide, side by side in its word.
  auto torch_row = [H](int q) { return (q % 4) * H + q / 4; };
  for (int rb = 0; rb < t.rb; ++rb)
    for (int cb = 0; cb < t.cb; ++cb)
      for (int r = 0; r < p.rows; ++r) {
        std::vector<int64_t> beat(KM, 0);
        for (int e = 0; e < KM; ++e) {
          const int q = rb * t.rows + r * per + e / K, col = e % K;
          if (q >= 4 * H) continue;
          const int tr = torch_row(q);
          if (cb < t.cx) {
            const int c = cb * K + col;
            if (c < X) beat[e] = L.w[static_cast<size_t>(tr) * X + c];
          } else {
            const int c = (cb - t.cx) * K + col;
            if (c < H) beat[e] = L.u[static_cast<size_t>(tr) * H + c];
          }
        }
        st.weights.push_back(std::move(beat));
      }
  for (int q = 0; q < t.rb * t.rows; ++q) st.biases.push_back(q < 4 * H ? L.b[torch_row(q)] : 0);
  for (const auto& x : xs)
    for (int b = 0; b < t.x_beats; ++b) {
      std::vector<int64_t> beat(KM, 0);
      for (int e = 0; e < KM; ++e)
        if (b * KM + e < X) beat[e] = x[b * KM + e];
      st.inputs.push_back(std::move(beat));
    }
  return st;
}

std::vector<std::vector<int64_t>> state_beats(const Plan& p, int hidden, const std::vector<std::vector<int64_t>>& h,
                                              const std::vector<std::vector<int64_t>>& c) {
  const int L = p.lanes;
  std::vector<std::vector<int64_t>> beats;
  for (size_t s = 0; s < h.size(); ++s)
    for (int j0 = 0; j0 < hidden; j0 += L) {
      std::vector<int64_t> beat(static_cast<size_t>(2 * L), 0);
      for (int l = 0; l < L && j0 + l < hidden; ++l) {
        const size_t j = static_cast<size_t>(j0 + l);
        beat[static_cast<size_t>(l)] = j < h[s].size() ? h[s][j] : 0;
        if (s < c.size() && j < c[s].size()) beat[static_cast<size_t>(L + l)] = c[s][j];
      }
      beats.push_back(std::move(beat));
    }
  return beats;
}

}  // namespace sharp
