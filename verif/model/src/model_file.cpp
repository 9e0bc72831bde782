#include "sharp/model_file.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sharp/error.hpp"
#include "sharp/text_file.hpp"

namespace sharp {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr size_t kMaxElements = size_t{1} << 31;  // 2^31 values: 16 GiB of float64

std::string shape_text(const std::vector<size_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

// The value of 'key' in a .npy header (a Python dict literal), up to the next ',' or ')'
// at the same level; empty when absent.
std::string header_field(const std::string& h, const std::string& key) {
  const std::string k = "'" + key + "'";
  const auto at = h.find(k);
  if (at == std::string::npos) return "";
  auto p = h.find(':', at + k.size());
  if (p == std::string::npos) return "";
  ++p;
  while (p < h.size() && h[p] == ' ') ++p;
  size_t e = p;
  if (e < h.size() && h[e] == '(') {
    e = h.find(')', e);
    return e == std::string::npos ? "" : h.substr(p, e - p + 1);
  }
  while (e < h.size() && h[e] != ',' && h[e] != '}') ++e;
  std::string v = h.substr(p, e - p);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

std::string read_file(const fs::path& p, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(p, ec)) throw Error(fmt::format("{}: file '{}' does not exist", what, p.string()));
  if (fs::is_directory(p, ec)) throw Error(fmt::format("{}: '{}' is a directory, not a file", what, p.string()));
  try {
    return sharp::read_text(p);
  } catch (const Error&) {
    throw Error(fmt::format("{}: file '{}' cannot be read (check its permissions)", what, p.string()));
  }
}

void write_npy_bytes(const fs::path& path, const char* descr, const void* data, size_t bytes,
                     const std::vector<size_t>& shape) {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i)
    dims += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", descr, dims);
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream o(path, std::ios::binary);
  if (!o) throw Error(fmt::format("npy: cannot write '{}'", path.string()));
  o.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  o.put(static_cast<char>(len & 0xff));
  o.put(static_cast<char>(len >> 8));
  o << header;
  o.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!o) throw Error(fmt::format("npy: cannot write '{}'", path.string()));
}

}  // namespace

NpyArray parse_npy(const std::string& b, const std::string& what) {
  auto bad = [&](const std::string& why) { return Error(fmt::format("{}: not a usable .npy file: {}", what, why)); };
  if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0) throw bad("no .npy magic");
  const int major = static_cast<unsigned char>(b[6]);
  size_t hlen = 0, hstart = 0;
  if (major == 1) {
    hlen = static_cast<unsigned char>(b[8]) | (static_cast<size_t>(static_cast<unsigned char>(b[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) throw bad("truncated header");
    for (int i = 0; i < 4; ++i) hlen |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
    hstart = 12;
  } else {
    throw bad(fmt::format("format version {} (allowed: 1, 2, 3)", major));
  }
  if (hlen > b.size() - hstart) throw bad("truncated header");
  const std::string h = b.substr(hstart, hlen);
  const std::string descr = header_field(h, "descr");
  size_t item = 0;
  if (descr == "'<f4'")
    item = 4;
  else if (descr == "'<f8'")
    item = 8;
  else
    throw bad(fmt::format("dtype {} (allowed: little-endian float32 '<f4' or float64 '<f8')",
                          descr.empty() ? "missing" : descr));
  const std::string order = header_field(h, "fortran_order");
  if (order != "False")
    throw bad(fmt::format("fortran_order {} (allowed: False, i.e. C order)", order.empty() ? "missing" : order));
  const std::string sh = header_field(h, "shape");
  if (sh.size() < 2 || sh.front() != '(' || sh.back() != ')') throw bad("no shape tuple in the header");
  NpyArray a;
  size_t n = 1;
  {
    std::string inner = sh.substr(1, sh.size() - 2);
    std::stringstream ss(inner);
    for (std::string tok; std::getline(ss, tok, ',');) {
      const auto f = tok.find_first_not_of(' '), l = tok.find_last_not_of(' ');
      if (f == std::string::npos) continue;  // the trailing comma of a 1-tuple
      tok = tok.substr(f, l - f + 1);
      if (tok.empty() || tok.size() > 12 || tok.find_first_not_of("0123456789") != std::string::npos)
        throw bad(fmt::format("shape {} is not a tuple of integers", sh));
      const size_t d = std::stoull(tok);
      if (d != 0 && n > kMaxElements / d) throw bad(fmt::format("shape {} is too large", sh));
      n *= d;
      a.shape.push_back(d);
    }
  }
  const size_t have = b.size() - hstart - hlen;
  if (have != n * item)
    throw bad(fmt::format("shape {} needs {} data bytes, the file has {}", shape_text(a.shape), n * item, have));
  a.data.resize(n);
  const char* p = b.data() + hstart + hlen;
  for (size_t i = 0; i < n; ++i) {
    if (item == 4) {
      float f;
      std::memcpy(&f, p + 4 * i, 4);
      a.data[i] = f;
    } else {
      std::memcpy(&a.data[i], p + 8 * i, 8);
    }
  }
  return a;
}

NpyArray read_npy(const fs::path& p) { return parse_npy(read_file(p, "npy"), "'" + p.string() + "'"); }

void write_npy(const fs::path& p, const std::vector<int64_t>& data, const std::vector<size_t>& shape) {
  write_npy_bytes(p, "<i8", data.data(), data.size() * 8, shape);
}
void write_npy(const fs::path& p, const std::vector<double>& data, const std::vector<size_t>& shape) {
  write_npy_bytes(p, "<f8", data.data(), data.size() * 8, shape);
}

ModelIndex parse_model_index(const std::string& text, const std::string& what) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON: {}", what, e.what()));
  }
  auto show = [](const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
  auto fail = [&](const std::string& field, const json& v, const std::string& allowed) {
    return Error(fmt::format("{}: field '{}': value {} is not allowed ({})", what, field, show(v), allowed));
  };
  if (!j.is_object()) throw fail("(top level)", j, "a JSON object");
  const std::set<std::string> known = {"format", "version",       "input_size", "hidden_size", "num_layers",
                                       "cell",   "bidirectional", "bias",       "tensors",     "comment"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key()))
      throw Error(
          fmt::format("{}: unknown field '{}' (allowed: bias, bidirectional, cell, comment, format, hidden_size, "
                      "input_size, num_layers, tensors, version)",
                      what, it.key()));
  for (const char* req : {"format", "version", "input_size", "hidden_size", "num_layers", "tensors"})
    if (!j.contains(req)) throw Error(fmt::format("{}: field '{}' is missing", what, req));
  if (j["format"] != "sharpgen-lstm") throw fail("format", j["format"], "\"sharpgen-lstm\"");
  if (j["version"] != 1) throw fail("version", j["version"], "1");
  auto get_int = [&](const char* k, int lo, int hi) {
    const json& v = j[k];
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
      throw fail(k, v, fmt::format("an integer from {} to {}", lo, hi));
    return static_cast<int>(v.get<long long>());
  };
  auto get_bool = [&](const char* k, bool dflt) {
    if (!j.contains(k)) return dflt;
    if (!j[k].is_boolean()) throw fail(k, j[k], "true or false");
    return j[k].get<bool>();
  };
  ModelIndex m;
  m.input_size = get_int("input_size", 1, 1 << 20);
  m.hidden_size = get_int("hidden_size", 1, 1 << 20);
  m.num_layers = get_int("num_layers", 1, 256);
  m.bidirectional = get_bool("bidirectional", false);
  m.bias = get_bool("bias", true);
  if (j.contains("cell") && (!j["cell"].is_string() || !parse_cell(j["cell"].get<std::string>(), &m.cell)))
    throw fail("cell", j["cell"], fmt::format("one of {}", cell_names()));
  const json& t = j["tensors"];
  if (!t.is_object()) throw fail("tensors", t, "an object from state_dict names to .npy file names");
  std::set<std::string> expected;
  for (int l = 0; l < m.num_layers; ++l)
    for (int d = 0; d < m.directions(); ++d)
      for (const char* n : {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
        if (!m.bias && n[0] == 'b') continue;
        expected.insert(fmt::format("{}_l{}{}", n, l, d ? "_reverse" : ""));
      }
  for (auto it = t.begin(); it != t.end(); ++it) {
    if (!expected.count(it.key()))
      throw Error(fmt::format("{}: field 'tensors.{}' is not a tensor of this model ({} layer(s){}{})", what, it.key(),
                              m.num_layers, m.bidirectional ? ", bidirectional" : "", m.bias ? "" : ", no bias"));
    const json& f = it.value();
    if (!f.is_string()) throw fail("tensors." + it.key(), f, "a .npy file name");
    const std::string name = f.get<std::string>();
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "." ||
        name == "..")
      throw fail("tensors." + it.key(), f, "a plain file name inside the model directory");
    m.tensors.emplace_back(it.key(), name);
  }
  for (const auto& e : expected) {
    bool found = false;
    for (const auto& [k, v] : m.tensors) found = found || k == e;
    if (!found) throw Error(fmt::format("{}: tensor '{}' is missing from 'tensors'", what, e));
  }
  return m;
}

LstmModel load_model(const fs::path& dir) {
  const std::string what = "model '" + dir.string() + "'";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(fmt::format("model: field '--model': '{}' is not a directory (give a directory with model.json)",
                            dir.string()));
  LstmModel m;
  m.index = parse_model_index(read_file(dir / "model.json", what), what + " model.json");
  const ModelIndex& ix = m.index;
  std::map<std::string, std::string> files(ix.tensors.begin(), ix.tensors.end());
  const size_t H = static_cast<size_t>(ix.hidden_size);
  const size_t rows = static_cast<size_t>(cell_gates(ix.cell)) * H;
  auto tensor = [&](const std::string& name, std::vector<size_t> shape) {
    const fs::path p = dir / files.at(name);
    const NpyArray a = parse_npy(read_file(p, what + " tensor '" + name + "'"),
                                 fmt::format("{} tensor '{}' ({})", what, name, files.at(name)));
    if (a.shape != shape)
      throw Error(
          fmt::format("{}: tensor '{}' has shape {}, expected {}", what, name, shape_text(a.shape), shape_text(shape)));
    for (size_t i = 0; i < a.data.size(); ++i)
      if (!std::isfinite(a.data[i]))
        throw Error(
            fmt::format("{}: tensor '{}' holds {} at index {} (allowed: finite values)", what, name, a.data[i], i));
    return a.data;
  };
  for (int l = 0; l < ix.num_layers; ++l) {
    std::vector<FloatLayer> dirs;
    for (int d = 0; d < ix.directions(); ++d) {
      const std::string sfx = fmt::format("_l{}{}", l, d ? "_reverse" : "");
      FloatLayer L;
      L.hidden = ix.hidden_size;
      L.input = ix.layer_input(l);
      L.cell = ix.cell;
      L.w = tensor("weight_ih" + sfx, {rows, static_cast<size_t>(L.input)});
      L.u = tensor("weight_hh" + sfx, {rows, H});
      L.b_ih = ix.bias ? tensor("bias_ih" + sfx, {rows}) : std::vector<double>(rows, 0.0);
      L.b_hh = ix.bias ? tensor("bias_hh" + sfx, {rows}) : std::vector<double>(rows, 0.0);
      dirs.push_back(std::move(L));
    }
    m.layers.push_back(std::move(dirs));
  }
  return m;
}

}  // namespace sharp
