// Trained models on disk (docs/MODEL_FORMAT.md): a directory with model.json, an index naming
// the torch.nn.LSTM hyper-parameters and one .npy file per tensor of its state_dict, and .npy
// arrays of inputs and outputs. Every reader checks what it reads and throws sharp::Error with
// the field, the value and what is allowed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sharp/golden.hpp"

namespace sharp {

// A float array from a .npy file: little-endian float32 or float64, C order.
struct NpyArray {
  std::vector<size_t> shape;
  std::vector<double> data;
};
// Parses the bytes of a .npy file; `what` names it in errors.
NpyArray parse_npy(const std::string& bytes, const std::string& what);
NpyArray read_npy(const std::filesystem::path& p);
// Writes a .npy file (int64 codes, or float64 values).
void write_npy(const std::filesystem::path& p, const std::vector<int64_t>& data, const std::vector<size_t>& shape);
void write_npy(const std::filesystem::path& p, const std::vector<double>& data, const std::vector<size_t>& shape);

// The hyper-parameters of model.json.
struct ModelIndex {
  int input_size = 0, hidden_size = 0, num_layers = 0;
  bool bidirectional = false, bias = true;
  Cell cell = Cell::Lstm;                                    // "cell": lstm (default), gru, rnn_tanh or rnn_relu
  std::vector<std::pair<std::string, std::string>> tensors;  // state_dict name -> file (relative)
  int directions() const { return bidirectional ? 2 : 1; }
  int layer_input(int l) const { return l == 0 ? input_size : hidden_size * directions(); }
};
// Parses and checks the text of model.json (`what` names it in errors).
ModelIndex parse_model_index(const std::string& text, const std::string& what);

// A whole model: layers[l][d] is layer l in direction d (0 forward, 1 reverse), each as a
// FloatLayer (W: G H x in, U: G H x H, b_ih, b_hh with G = cell_gates(cell); zeros when the
// model has no bias).
struct LstmModel {
  ModelIndex index;
  std::vector<std::vector<FloatLayer>> layers;
};
// Reads DIR/model.json and its tensors; every tensor present, of the right shape, finite.
LstmModel load_model(const std::filesystem::path& dir);

}  // namespace sharp
