#include "sharp/config.hpp"

#include <fstream>
#include <set>

#include <fmt/format.h>

#include "sharp/error.hpp"

namespace sharp {

using nlohmann::json;

const char* schedule_name(Schedule s) {
  switch (s) {
    case Schedule::Sequential:
      return "sequential";
    case Schedule::Intergate:
      return "intergate";
    case Schedule::Unfolded:
      return "unfolded";
  }
  return "?";
}

Cell Config::first_cell() const {
  for (int k = 0; k < kCellKinds; ++k)
    if ((cells >> k) & 1) return static_cast<Cell>(k);
  return Cell::Lstm;
}

json Config::to_json() const {
  json names = json::array();
  for (int k = 0; k < kCellKinds; ++k)
    if (has_cell(static_cast<Cell>(k))) names.push_back(cell_name(static_cast<Cell>(k)));
  json j{{"name", name},
         {"macs", macs},
         {"k_max", k_max},
         {"k_min", k_min},
         {"max_hidden", max_hidden},
         {"max_input", max_input},
         {"format",
          {{"data_bits", format.data_bits},
           {"frac_bits", format.frac_bits},
           {"acc_bits", format.acc_bits},
           {"cell_bits", format.cell_bits},
           {"act_segments", 1 << format.act_seg_bits}}},
         {"schedule", schedule_name(schedule)},
         {"unfold_depth", unfold_depth},
         {"act_lanes", act_lanes},
         {"sram_kb", sram_kb},
         {"sram_width", sram_width},
         {"weight_slots", weight_slots},
         {"streams", streams},
         {"cells", names}};
  // Only when set: otherwise it follows frac_bits (also through later --set overrides).
  if (format.weight_frac_bits >= 0) j["format"]["weight_frac_bits"] = format.weight_frac_bits;
  if (shell != "none") j["shell"] = shell;  // only when set: designs without a shell keep their config
  return j;
}

namespace {

// A JSON value as text for an error message; bytes that are not UTF-8 become U+FFFD.
std::string show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

[[noreturn]] void fail(const std::string& field, const std::string& value, const std::string& allowed) {
  throw Error(fmt::format("config: field '{}': value {} is not allowed ({})", field, value, allowed));
}

int get_int(const json& obj, const std::string& key, const std::string& path, int lo, int hi, int dflt) {
  if (!obj.contains(key)) return dflt;
  const json& v = obj.at(key);
  if (!v.is_number_integer()) fail(path, show(v), fmt::format("an integer from {} to {}", lo, hi));
  const long long x = v.get<long long>();
  if (x < lo || x > hi) fail(path, show(v), fmt::format("an integer from {} to {}", lo, hi));
  return static_cast<int>(x);
}

int get_pow2(const json& obj, const std::string& key, const std::string& path, int lo, int hi, int dflt) {
  const int x = get_int(obj, key, path, lo, hi, dflt);
  if (!is_pow2(static_cast<uint64_t>(x)))
    fail(path, std::to_string(x), fmt::format("a power of two from {} to {}", lo, hi));
  return x;
}

void check_keys(const json& obj, const std::string& where, const std::set<std::string>& known) {
  if (!obj.is_object()) fail(where.empty() ? "(top level)" : where, show(obj), "a JSON object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!known.count(it.key())) {
      std::string allowed;
      for (const auto& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
      throw Error(fmt::format("config: unknown field '{}{}' (allowed: {})", where.empty() ? "" : where + ".", it.key(),
                              allowed));
    }
  }
}

}  // namespace

void validate(const Config& c) {
  const auto& f = c.format;
  if (c.k_min > c.k_max) fail("k_min", std::to_string(c.k_min), fmt::format("at most k_max = {}", c.k_max));
  if (c.k_max > c.macs / 4)
    fail("k_max", std::to_string(c.k_max),
         fmt::format("at most macs/4 = {} so the array has at least 4 row units", c.macs / 4));
  if (f.frac_bits > f.data_bits - 2)
    fail("format.frac_bits", std::to_string(f.frac_bits),
         fmt::format("1 to data_bits-2 = {} (activations need the range ±1)", f.data_bits - 2));
  if (f.weight_frac_bits != -1 && (f.weight_frac_bits < 1 || f.weight_frac_bits > f.data_bits - 1))
    fail("format.weight_frac_bits", std::to_string(f.weight_frac_bits),
         fmt::format("1 to data_bits-1 = {} (default: frac_bits)", f.data_bits - 1));
  if (f.acc_bits < 2 * f.data_bits)
    fail("format.acc_bits", std::to_string(f.acc_bits),
         fmt::format("at least 2*data_bits = {} (a full product)", 2 * f.data_bits));
  if (f.cell_bits < f.data_bits)
    fail("format.cell_bits", std::to_string(f.cell_bits), fmt::format("at least data_bits = {}", f.data_bits));
  if (f.act_seg_bits > f.data_bits - 2)
    fail("format.act_segments", std::to_string(1 << f.act_seg_bits),
         fmt::format("a power of two up to 2^(data_bits-2) = {}", 1 << (f.data_bits - 2)));
  const int rows = c.macs / c.k_max;
  if (c.act_lanes != 0) {
    const int hi = std::min(c.k_max, rows / 4);
    if (!is_pow2(static_cast<uint64_t>(c.act_lanes)) || c.act_lanes > hi)
      fail("act_lanes", std::to_string(c.act_lanes),
           fmt::format("0 (auto) or a power of two up to min(k_max, macs/k_max/4) = {}", hi));
  }
}

Config config_from_json(const json& j) {
  check_keys(j, "",
             {"name", "macs", "k_max", "k_min", "max_hidden", "max_input", "format", "schedule", "unfold_depth",
              "act_lanes", "sram_kb", "sram_width", "weight_slots", "streams", "cells", "shell", "comment"});
  Config c;
  if (j.contains("name")) {
    if (!j["name"].is_string()) fail("name", show(j["name"]), "a string");
    c.name = j["name"].get<std::string>();
    if (c.name.empty() || c.name.size() > 64 ||
        c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
            std::string::npos)
      fail("name", show(j["name"]), "1 to 64 characters from [A-Za-z0-9_.-]");
  }
  if (j.contains("comment") && !j["comment"].is_string()) fail("comment", show(j["comment"]), "a string");
  c.macs = get_pow2(j, "macs", "macs", 16, 65536, c.macs);
  c.k_max = get_pow2(j, "k_max", "k_max", 2, 16384, c.k_max);
  c.k_min = get_pow2(j, "k_min", "k_min", 2, 16384, j.contains("k_max") && !j.contains("k_min") ? c.k_max : c.k_min);
  c.max_hidden = get_int(j, "max_hidden", "max_hidden", 1, 8192, c.max_hidden);
  c.max_input = get_int(j, "max_input", "max_input", 1, 8192, c.max_input);
  c.unfold_depth = get_int(j, "unfold_depth", "unfold_depth", 1, 64, c.unfold_depth);
  c.act_lanes = get_int(j, "act_lanes", "act_lanes", 0, 1024, c.act_lanes);
  c.sram_kb = get_pow2(j, "sram_kb", "sram_kb", 1, 1024, c.sram_kb);
  c.sram_width = get_pow2(j, "sram_width", "sram_width", 8, 4096, c.sram_width);
  c.weight_slots = get_int(j, "weight_slots", "weight_slots", 1, 32, c.weight_slots);
  c.streams = get_pow2(j, "streams", "streams", 1, 8, c.streams);
  if (j.contains("schedule")) {
    const json& s = j["schedule"];
    const std::string allowed = "one of \"sequential\", \"intergate\", \"unfolded\"";
    if (!s.is_string()) fail("schedule", show(s), allowed);
    const std::string v = s.get<std::string>();
    if (v == "sequential")
      c.schedule = Schedule::Sequential;
    else if (v == "intergate")
      c.schedule = Schedule::Intergate;
    else if (v == "unfolded")
      c.schedule = Schedule::Unfolded;
    else
      fail("schedule", show(s), allowed);
  }
  if (j.contains("shell")) {
    const json& v = j["shell"];
    if (!v.is_string() || (v.get<std::string>() != "none" && v.get<std::string>() != "axi"))
      fail("shell", show(v), "\"none\" (the bare core) or \"axi\" (AXI4-Lite registers, AXI4-Stream data)");
    c.shell = v.get<std::string>();
  }
  if (j.contains("cells")) {
    // A list of kinds, or one string of comma-separated kinds (the form an override gives).
    const json& v = j["cells"];
    const std::string allowed = fmt::format("a non-empty list of distinct cell kinds from: {}", cell_names());
    std::vector<std::string> names;
    if (v.is_string()) {
      std::string rest = v.get<std::string>();
      for (size_t p = 0; p != std::string::npos;) {
        const size_t q = rest.find(',', p);
        names.push_back(rest.substr(p, q == std::string::npos ? q : q - p));
        p = q == std::string::npos ? q : q + 1;
      }
    } else if (v.is_array()) {
      for (const auto& e : v) {
        if (!e.is_string()) fail("cells", show(v), allowed);
        names.push_back(e.get<std::string>());
      }
    } else {
      fail("cells", show(v), allowed);
    }
    c.cells = 0;
    for (const auto& n : names) {
      Cell k = Cell::Lstm;
      if (!parse_cell(n, &k) || ((c.cells >> static_cast<int>(k)) & 1)) fail("cells", show(v), allowed);
      c.cells |= 1 << static_cast<int>(k);
    }
    if (c.cells == 0) fail("cells", show(v), allowed);
  }
  if (j.contains("format")) {
    const json& f = j["format"];
    check_keys(f, "format", {"data_bits", "frac_bits", "weight_frac_bits", "acc_bits", "cell_bits", "act_segments"});
    c.format.data_bits = get_int(f, "data_bits", "format.data_bits", 4, 20, c.format.data_bits);
    c.format.frac_bits = get_int(f, "frac_bits", "format.frac_bits", 1, 18, c.format.frac_bits);
    c.format.weight_frac_bits =
        get_int(f, "weight_frac_bits", "format.weight_frac_bits", 1, 19, c.format.weight_frac_bits);
    c.format.acc_bits = get_int(f, "acc_bits", "format.acc_bits", 8, 62, c.format.acc_bits);
    c.format.cell_bits = get_int(f, "cell_bits", "format.cell_bits", 4, 32, c.format.cell_bits);
    const int segs = get_pow2(f, "act_segments", "format.act_segments", 2, 1 << 16, 1 << c.format.act_seg_bits);
    c.format.act_seg_bits = clog2(static_cast<uint64_t>(segs));
  }
  validate(c);
  return c;
}

Config load_config(const std::filesystem::path* file, const std::vector<std::string>& overrides) {
  json j = json::object();
  if (file) {
    std::error_code ec;
    if (!std::filesystem::exists(*file, ec))
      throw Error(fmt::format("config: file '{}' does not exist (give a readable JSON config file)", file->string()));
    if (std::filesystem::is_directory(*file, ec))
      throw Error(fmt::format("config: '{}' is a directory (give a readable JSON config file)", file->string()));
    std::ifstream in(*file);
    if (!in) throw Error(fmt::format("config: file '{}' cannot be read (check its permissions)", file->string()));
    try {
      j = json::parse(in, nullptr, true, /*ignore_comments=*/true);
    } catch (const json::exception& e) {  // syntax errors, and numbers beyond a double (1e999)
      throw Error(fmt::format("config: file '{}' is not valid JSON: {}", file->string(), e.what()));
    }
    if (!j.is_object())
      throw Error(fmt::format("config: file '{}' must hold a JSON object of fields (it holds a {})", file->string(),
                              j.type_name()));
  }
  for (const auto& ov : overrides) {
    const auto eq = ov.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(fmt::format("config: override '{}' is not of the form key=value (e.g. macs=1024)", ov));
    const std::string key = ov.substr(0, eq);
    const std::string val = ov.substr(eq + 1);
    json v;
    try {
      v = json::parse(val);
    } catch (const json::exception&) {
      v = val;  // a bare word (or a number beyond a double) is a string: validation names it
    }
    json* node = &j;
    std::string rest = key;
    for (;;) {
      const auto dot = rest.find('.');
      const std::string part = rest.substr(0, dot);
      if (part.empty()) throw Error(fmt::format("config: override key '{}' has an empty component", key));
      if (dot == std::string::npos) {
        (*node)[part] = v;
        break;
      }
      if (!node->contains(part)) (*node)[part] = json::object();
      node = &(*node)[part];
      if (!node->is_object()) throw Error(fmt::format("config: override key '{}': '{}' is not an object", key, part));
      rest = rest.substr(dot + 1);
    }
  }
  return config_from_json(j);
}

}  // namespace sharp
