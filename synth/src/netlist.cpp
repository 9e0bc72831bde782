// The mapped-netlist reader (see netlist.hpp): a SAX handler over Yosys' write_json output that
// collects each module's ports, cells and net names, then turns them into a VModule with dense
// net ids and write_verilog's names.
#include "netlist.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "sharp/synth.hpp"

namespace sharp::synth::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw SynthError(fmt::format("sta: cannot read netlist {}: {}", where, what));
}

// A module as the JSON has it. Bits are LSB first: Yosys bit numbers (>= 0) or kConst*.
struct RawWire {
  std::string name;
  bool hidden = false;
  int dir = kDirNone;  // ports only
  long offset = 0;
  bool upto = false;
  std::vector<int> bits;
};
struct RawCell {
  std::string name, type;
  std::vector<std::pair<std::string, std::vector<int>>> conns;
};
struct RawModule {
  std::string name;
  bool blackbox = false;
  std::vector<RawWire> ports, nets;
  std::vector<RawCell> cells;
};

// write_verilog's names for Yosys' internal ones: every $-name of a wire, then of a cell, gets the
// next number, after the largest public _<n>_ name; all with the same number of digits.
class AutoNames {
 public:
  explicit AutoNames(const RawModule& m) {
    note(m.name, false);
    for (const auto& w : m.nets) note(w.name, true);
    for (const auto& c : m.cells) {
      note(c.name, true);
      note(c.type, false);
    }
    for (size_t i = 10; i < static_cast<size_t>(offset_) + map_.size(); i *= 10) ++digits_;
  }
  std::string operator()(const std::string& n) const {
    auto it = map_.find(n);
    return it == map_.end() ? n : fmt::format("_{:0{}}_", offset_ + it->second, digits_);
  }

 private:
  std::unordered_map<std::string, long> map_;
  long offset_ = 0;
  int digits_ = 1;

  void note(const std::string& n, bool may_rename) {
    if (n.empty()) return;
    if (n[0] == '$') {
      if (may_rename) map_.emplace(n, static_cast<long>(map_.size()));
      return;
    }
    if (n.size() < 2 || n[0] != '_') return;
    for (size_t i = 1; i < n.size(); ++i) {
      if (n[i] == '_' && i + 1 == n.size()) continue;
      if (n[i] < '0' || n[i] > '9') return;
    }
    offset_ = std::max(offset_, std::atol(n.c_str() + 1) + 1);
  }
};

// The HDL index of bit k (LSB first) of a wire.
long bit_index(const RawWire& w, size_t k) {
  const long width = static_cast<long>(w.bits.size());
  return w.upto ? w.offset + width - 1 - static_cast<long>(k) : w.offset + static_cast<long>(k);
}

VModule to_vmodule(RawModule&& raw) {
  const AutoNames rename(raw);
  VModule m;
  m.name = raw.name;
  // Dense ids in order of first use (cells, then ports, then the other named nets), bits MSB first.
  std::vector<int> dense;  // Yosys bit number -> net id (-1: not seen yet)
  int next_id = 0;
  auto id_of = [&](int b) {
    if (b < 0) return b;
    if (static_cast<size_t>(b) >= dense.size()) dense.resize(static_cast<size_t>(b) + 1 + dense.size() / 2, -1);
    int& id = dense[static_cast<size_t>(b)];
    if (id < 0) id = next_id++;
    return id;
  };
  auto msb_first = [&](const std::vector<int>& lsb_first) {
    std::vector<int> out(lsb_first.size());
    for (size_t k = 0; k < lsb_first.size(); ++k) out[lsb_first.size() - 1 - k] = id_of(lsb_first[k]);
    return out;
  };
  m.insts.reserve(raw.cells.size());
  for (auto& c : raw.cells) {
    VInst inst;
    inst.type = std::move(c.type);
    inst.name = rename(c.name);
    for (auto& [pin, bits] : c.conns) inst.conns.push_back(VConn{std::move(pin), msb_first(bits)});
    c = RawCell{};
    m.insts.push_back(std::move(inst));
  }
  raw.cells.clear();
  for (const auto& p : raw.ports) {
    VPort vp;
    vp.name = p.name;
    vp.dir = p.dir;
    vp.ranged = p.bits.size() > 1;
    if (vp.ranged) {
      vp.msb = static_cast<int>(bit_index(p, p.bits.size() - 1));
      vp.lsb = static_cast<int>(bit_index(p, 0));
    }
    vp.bits = msb_first(p.bits);
    m.ports.push_back(std::move(vp));
  }
  raw.ports.clear();
  for (const auto& w : raw.nets)
    for (int b : w.bits) id_of(b);
  // Names: every bit of every net name; a net is written with its first public name.
  m.net_names.assign(static_cast<size_t>(next_id), std::string());
  std::vector<char> is_public(static_cast<size_t>(next_id), 0);
  for (const auto& w : raw.nets) {
    const std::string base = rename(w.name);
    for (size_t k = 0; k < w.bits.size(); ++k) {
      if (w.bits[k] < 0) continue;
      const int id = dense[static_cast<size_t>(w.bits[k])];
      std::string n = w.bits.size() == 1 ? base : fmt::format("{}[{}]", base, bit_index(w, k));
      auto& slot = m.net_names[static_cast<size_t>(id)];
      if (slot.empty() || (!w.hidden && !is_public[static_cast<size_t>(id)])) {
        slot = n;
        is_public[static_cast<size_t>(id)] = !w.hidden;
      }
      m.net_ids.emplace(std::move(n), id);
    }
  }
  for (size_t n = 0; n < m.net_names.size(); ++n)
    if (m.net_names[n].empty()) {
      m.net_names[n] = fmt::format("sharp_n{}", n);
      m.net_ids.emplace(m.net_names[n], static_cast<int>(n));
    }
  return m;
}

// SAX events of one Yosys JSON file. Depth d = containers open; keys_[d] = last key at depth d:
// 1 root, 2 "modules", 3 a module, 4 a section (ports, cells, netnames, attributes), 5 an item,
// 6 an item's field (bits array, connections object), 7 a connection's bits.
class YosysJsonSax : public nlohmann::json_sax<json> {
 public:
  YosysJsonSax(std::string where, std::vector<VModule>& out, std::set<std::string>& seen)
      : where_(std::move(where)), out_(out), seen_(seen) {}

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t v) override { return scalar(static_cast<long>(v), nullptr); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(static_cast<long>(v), nullptr); }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t& v) override { return scalar(0, &v); }
  bool binary(binary_t&) override { return true; }
  bool key(string_t& k) override {
    keys_[static_cast<size_t>(depth_)] = k;
    return true;
  }
  bool start_object(std::size_t) override { return open(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool end_object() override {
    if (depth_ == 3 && in_modules()) finish_module();
    return close();
  }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& e) override {
    fail(where_, fmt::format("not valid JSON at byte {}: {}", pos, e.what()));
  }
  bool saw_modules() const { return saw_modules_; }

 private:
  std::string where_;
  std::vector<VModule>& out_;
  std::set<std::string>& seen_;
  std::vector<std::string> keys_ = std::vector<std::string>(9);
  int depth_ = 0;
  bool saw_modules_ = false;
  RawModule mod_;

  bool in_modules() const { return depth_ >= 2 && keys_[1] == "modules"; }
  const std::string& section() const { return keys_[3]; }
  bool open() {
    if (depth_ >= 8) fail(where_, "nested deeper than a Yosys netlist");
    ++depth_;
    if (!in_modules()) return true;
    if (depth_ == 2) saw_modules_ = true;
    if (depth_ == 3) mod_ = RawModule{keys_[2], false, {}, {}, {}};
    if (depth_ == 5 && section() == "ports") mod_.ports.push_back(RawWire{keys_[4], false, kDirNone, 0, false, {}});
    if (depth_ == 5 && section() == "netnames") mod_.nets.push_back(RawWire{keys_[4], false, kDirNone, 0, false, {}});
    if (depth_ == 5 && section() == "cells") mod_.cells.push_back(RawCell{keys_[4], {}, {}});
    if (depth_ == 7 && section() == "cells" && keys_[5] == "connections")
      mod_.cells.back().conns.emplace_back(keys_[6], std::vector<int>{});
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  static int const_bit(const std::string& s) { return s == "0" ? kConst0 : s == "1" ? kConst1 : kConstX; }
  bool scalar(long n, const std::string* s) {
    if (!in_modules() || depth_ < 4) return true;
    if (depth_ == 4 && section() == "attributes" && keys_[4] == "blackbox")
      mod_.blackbox = s ? s->find('1') != std::string::npos : n != 0;
    const int bit = s ? const_bit(*s) : static_cast<int>(n);
    if (depth_ == 7 && section() == "cells" && keys_[5] == "connections")
      mod_.cells.back().conns.back().second.push_back(bit);
    if (section() != "ports" && section() != "netnames" && section() != "cells") return true;
    if (depth_ == 6 && keys_[5] == "bits" && section() != "cells")
      (section() == "ports" ? mod_.ports : mod_.nets).back().bits.push_back(bit);
    if (depth_ != 5) return true;
    const std::string& field = keys_[5];
    if (section() == "cells") {
      if (field == "type" && s) mod_.cells.back().type = *s;
      return true;
    }
    RawWire& w = (section() == "ports" ? mod_.ports : mod_.nets).back();
    if (field == "direction" && s) w.dir = *s == "input" ? kDirIn : *s == "output" ? kDirOut : kDirInout;
    if (field == "hide_name") w.hidden = n != 0;
    if (field == "offset") w.offset = n;
    if (field == "upto") w.upto = n != 0;
    return true;
  }
  void finish_module() {
    if (mod_.blackbox || !seen_.insert(mod_.name).second) return;
    out_.push_back(to_vmodule(std::move(mod_)));
  }
};

template <class Input>
void read_one(Input&& input, const std::string& where, std::vector<VModule>& out, std::set<std::string>& seen) {
  YosysJsonSax sax(where, out, seen);
  json::sax_parse(std::forward<Input>(input), &sax);
  if (!sax.saw_modules()) fail(where, "no \"modules\" object (not a Yosys write_json netlist)");
}

}  // namespace

std::vector<VModule> read_json_netlists(const std::vector<fs::path>& files) {
  std::vector<VModule> out;
  std::set<std::string> seen;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) fail(f.string(), "file not found (run synth again with --force)");
    // Streamed: the largest per-module file of a 64K-MAC design is 80 MB of JSON.
    std::ifstream in(f, std::ios::binary);
    if (!in) fail(f.string(), "cannot open the file");
    read_one(in, f.string(), out, seen);
  }
  return out;
}

std::vector<VModule> read_json_netlist_text(const std::string& text, const std::string& where) {
  std::vector<VModule> out;
  std::set<std::string> seen;
  read_one(text, where, out, seen);
  return out;
}

}  // namespace sharp::synth::detail
