// SVG area/power breakdown of a synthesized design (see include/sharp/svg.hpp).
#include "sharp/svg.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace sharp::synth {

namespace {

using nlohmann::json;

// ---- input checks ----------------------------------------------------------------------

std::string shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

[[noreturn]] void bad(const std::string& field, const json& v, const std::string& allowed) {
  throw std::runtime_error(fmt::format("svg: field '{}': value {} is not allowed ({})", field, shown(v), allowed));
}

[[noreturn]] void missing(const std::string& field, const std::string& allowed) {
  throw std::runtime_error(fmt::format("svg: field '{}': value (missing) is not allowed ({})", field, allowed));
}

std::string key_field(const std::string& map, const std::string& key) {
  return fmt::format("{}[{}]", map, shown(json(key)));
}

const json* find(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

double non_negative(const json& v, const std::string& field, const char* unit) {
  const std::string allowed = fmt::format("a number >= 0, in {}", unit);
  if (!v.is_number()) bad(field, v, allowed);
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0) bad(field, v, allowed);
  return d;
}

std::optional<double> opt_number(const json& obj, const char* key, const char* unit) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  return non_negative(*v, key, unit);
}

std::optional<std::string> opt_string(const json& obj, const char* key) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) bad(key, *v, "a string");
  return v->get<std::string>();
}

// block name -> value; the map itself is required.
std::map<std::string, double> block_map(const json& obj, const char* key, const char* unit) {
  const json* m = find(obj, key);
  const std::string allowed = fmt::format("an object: block name -> {}", unit);
  if (!m) missing(key, allowed);
  if (!m->is_object()) bad(key, *m, allowed);
  std::map<std::string, double> r;
  for (const auto& [name, v] : m->items()) r[name] = non_negative(v, key_field(key, name), unit);
  return r;
}

// memories[]: block -> memory part, or nullopt if the report has no memories array.
std::optional<std::map<std::string, double>> memory_map(const json& obj, bool power) {
  const json* m = find(obj, "memories");
  if (!m) return std::nullopt;
  if (!m->is_array()) bad("memories", *m, "an array of memory instances");
  std::map<std::string, double> r;
  for (size_t i = 0; i < m->size(); ++i) {
    const json& e = (*m)[i];
    const std::string f = fmt::format("memories[{}]", i);
    if (!e.is_object())
      bad(f, e, "an object with block and " + std::string(power ? "dynamic_mw, leakage_mw" : "area_um2"));
    const json* b = find(e, "block");
    if (!b) missing(f + ".block", "a string");
    if (!b->is_string()) bad(f + ".block", *b, "a string");
    double v = 0;
    for (const char* k :
         power ? std::vector<const char*>{"dynamic_mw", "leakage_mw"} : std::vector<const char*>{"area_um2"}) {
      const json* x = find(e, k);
      if (!x) missing(f + "." + k, power ? "a number >= 0, in mW" : "a number >= 0, in um2");
      v += non_negative(*x, f + "." + k, power ? "mW" : "um2");
    }
    r[b->get<std::string>()] += v;
  }
  return r;
}

// ---- text ------------------------------------------------------------------------------

// Valid UTF-8 kept, other bytes and XML-illegal control characters become '?'; then escaped.
std::string xml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c < 0x80)
      n = 1;
    else if (c >= 0xC2 && c <= 0xDF)
      n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 4;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      out += '?';
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s, i, n);
      i += n;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ? '?' : static_cast<char>(c);
        break;
    }
    ++i;
  }
  return out;
}

size_t chars(const std::string& s) {  // code points (the input is sanitized by xml() later)
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The first max_chars code points, with "..." when cut.
std::string cut(const std::string& s, size_t max_chars) {
  if (chars(s) <= max_chars) return s;
  const size_t keep = max_chars > 3 ? max_chars - 3 : 1;
  size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == keep) break;
      ++n;
    }
  }
  return s.substr(0, i) + "...";
}

// Fixed notation with thousands separators; never "-0".
std::string num(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  const size_t start = s[0] == '-' ? 1 : 0;
  size_t dot = s.find('.');
  if (dot == std::string::npos) dot = s.size();
  for (size_t i = dot; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

// An SVG coordinate or length: 0.1 px, no separators.
std::string coord(double v) {
  std::string s = fmt::format("{:.1f}", v);
  return s == "-0.0" ? "0.0" : s;
}

const char* const kUm2 = "&#181;m&#178;";  // µm², as character references (the output stays ASCII)

// ---- charts ----------------------------------------------------------------------------

struct Bar {
  std::string name;
  double logic = 0, mem = 0;
  double total() const { return logic + mem; }
};

struct Chart {
  std::string id;       // "area" or "power"
  std::string heading;  // escaped
  std::string unit;     // escaped, e.g. kUm2 or "mW"
  int decimals = 1;
  std::string mem_label;
  std::vector<Bar> bars;
  double sum = 0;  // of the blocks: the base of the shares
};

Chart make_chart(const std::map<std::string, double>& blocks, const std::optional<std::map<std::string, double>>& mems,
                 std::vector<std::string>& notes, const std::string& what) {
  Chart c;
  for (const auto& [name, total] : blocks) {
    Bar b;
    b.name = name;
    double m = 0;
    if (mems) {
      auto it = mems->find(name);
      if (it != mems->end()) m = it->second;
    } else if (name == "memories") {
      m = total;
    }
    b.mem = std::min(m, total);
    b.logic = total - b.mem;
    c.sum += total;
    c.bars.push_back(std::move(b));
  }
  if (mems)
    for (const auto& [name, v] : *mems)
      if (!blocks.count(name))
        notes.push_back(fmt::format("{}: memories[] name block '{}', which the block map does not list", what, name));
  std::sort(c.bars.begin(), c.bars.end(), [](const Bar& a, const Bar& b) {
    if (a.total() != b.total()) return a.total() > b.total();
    return a.name < b.name;
  });
  return c;
}

void check_total(const std::optional<double>& given, double sum, const char* field, const std::string& unit,
                 int decimals, std::vector<std::string>& notes) {
  if (given && std::fabs(*given - sum) > 1e-6 * std::max(1.0, std::fabs(*given)))
    notes.push_back(fmt::format("the blocks sum to {} {}, but {} is {} {} (shares are of the sum of the blocks)",
                                num(sum, decimals), unit, field, num(*given, decimals), unit));
}

constexpr const char* kLogicColor = "#4e79a7";
constexpr const char* kMemColor = "#f28e2b";
// Advance of a character, estimated on the wide side (DejaVu Sans, the usual fallback of
// sans-serif on Linux: lowercase letters about 7.3 px at 12 px).
constexpr double kCharW = 7.5;    // 12 px text (labels, subtitle lines)
constexpr double kSmallW = 6.3;   // 11 px numbers, separators and spaces
constexpr double kTitleW = 10.5;  // 16 px bold
constexpr double kNoteW = 6.3;    // 10 px
constexpr int kRowH = 22;

struct Layout {
  double width = 800, margin = 12, label_w = 0, bar_x = 0, bar_max = 0;
  size_t label_chars = 0;
};

std::string value_text(const Chart& c, const Bar& b) {
  const double pct = c.sum > 0 ? 100.0 * b.total() / c.sum : 0.0;
  return fmt::format("{} {}  ({}%)", num(b.total(), c.decimals), c.unit, num(pct, 1));
}

size_t value_chars(const Chart& c, const Bar& b) {
  // Character references count as one character each.
  const std::string t = value_text(c, b);
  size_t n = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '&') i = t.find(';', i);
    ++n;
  }
  return n;
}

// Appends one chart at y (top); returns the y below it.
double draw_chart(std::string& s, const Chart& c, const Layout& L, double y) {
  s += fmt::format("<g id=\"{}-chart\">\n", c.id);
  y += 22;
  s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", coord(L.margin),
                   coord(y), c.heading);
  y += 18;
  const double lx = L.margin;
  s += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\">logic</text>\n",
      coord(lx), coord(y - 9), kLogicColor, coord(lx + 14), coord(y));
  s += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\n",
      coord(lx + 70), coord(y - 9), kMemColor, coord(lx + 84), coord(y), c.mem_label);
  y += 8;
  const double top = y;
  if (c.bars.empty()) {
    y += kRowH;
    s += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#666\">(no blocks)</text>\n", coord(L.bar_x), coord(y - 7));
  }
  double max = 0;
  for (const auto& b : c.bars) max = std::max(max, b.total());
  for (const auto& b : c.bars) {
    const double pct = c.sum > 0 ? 100.0 * b.total() / c.sum : 0.0;
    s += fmt::format("<g class=\"bar\"><title>{}: {} {} ({}%): logic {}, memories {}</title>\n", xml(b.name),
                     num(b.total(), c.decimals), c.unit, num(pct, 1), num(b.logic, c.decimals), num(b.mem, c.decimals));
    const double base = y + 15;  // text baseline
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", coord(L.margin + L.label_w),
                     coord(base), xml(cut(b.name, L.label_chars)));
    // Widths rounded to 0.1 px; the memory segment starts where the logic one ends.
    const double wl = max > 0 ? std::round(10 * L.bar_max * b.logic / max) / 10 : 0.0;
    const double wt = max > 0 ? std::round(10 * L.bar_max * b.total() / max) / 10 : 0.0;
    const double wm = std::max(0.0, wt - wl);
    if (wl > 0)
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{}\"/>\n", coord(L.bar_x),
                       coord(y + 4), coord(wl), kLogicColor);
    if (wm > 0)
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{}\"/>\n", coord(L.bar_x + wl),
                       coord(y + 4), coord(wm), kMemColor);
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\n</g>\n", coord(L.bar_x + wt + 6), coord(base),
                     value_text(c, b));
    y += kRowH;
  }
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>\n", coord(L.bar_x), coord(top),
                   coord(y));
  s += "</g>\n";
  return y;
}

}  // namespace

std::string breakdown_svg(const nlohmann::json& synth_report, const nlohmann::json* timing_power) {
  if (!synth_report.is_object()) bad("(synth report)", synth_report, "an object from sharp::synth::Report::to_json()");
  const json& r = synth_report;
  std::vector<std::string> notes;

  // Area.
  const auto area_blocks = block_map(r, "block_area_um2", "um2");
  const auto logic = opt_number(r, "logic_area_um2", "um2");
  const auto memory = opt_number(r, "memory_area_um2", "um2");
  const auto total = opt_number(r, "total_area_um2", "um2");
  const std::string top = opt_string(r, "top").value_or("?");
  const std::string lib = opt_string(r, "liberty_name").value_or("?");
  bool flattened = false;
  if (const json* f = find(r, "flattened")) {
    if (!f->is_boolean()) bad("flattened", *f, "true or false");
    flattened = f->get<bool>();
  }
  Chart area = make_chart(area_blocks, memory_map(r, false), notes, "area");
  area.id = "area";
  area.unit = kUm2;
  area.decimals = 1;
  area.mem_label = "memories (SRAM model)";
  area.heading = fmt::format("Area per block ({}, share of the total)", kUm2);
  check_total(total, area.sum, "total_area_um2", "um2", 1, notes);
  double area_logic = 0, area_mem = 0;
  for (const auto& b : area.bars) {
    area_logic += b.logic;
    area_mem += b.mem;
  }

  // Power.
  std::optional<Chart> power;
  std::string power_line;
  if (timing_power) {
    const json& t = *timing_power;
    if (!t.is_object()) bad("(timing/power report)", t, "an object from sharp::synth::StaReport::to_json()");
    const auto pblocks = block_map(t, "block_power_mw", "mW");
    const auto total_mw = opt_number(t, "total_mw", "mW");
    const auto fmax = opt_number(t, "fmax_mhz", "MHz");
    const auto period = opt_number(t, "clock_period_ns", "ns");
    const auto method = opt_string(t, "method");
    power = make_chart(pblocks, memory_map(t, true), notes, "power");
    power->id = "power";
    power->unit = "mW";
    power->decimals = 3;
    power->mem_label = "memories (energy model)";
    check_total(total_mw, power->sum, "total_mw", "mW", 3, notes);
    double pl = 0, pm = 0;
    for (const auto& b : power->bars) {
      pl += b.logic;
      pm += b.mem;
    }
    std::string at;
    if (period && *period > 0) at = fmt::format(" at a {} ns clock ({} MHz)", num(*period, 3), num(1e3 / *period, 1));
    power->heading = fmt::format("Power per block (mW{}, share of the total)", at);
    power_line = fmt::format("power: {} mW = logic {} + memories {} mW", num(total_mw.value_or(power->sum), 3),
                             num(pl, 3), num(pm, 3));
    if (fmax) power_line += fmt::format("; fmax {} MHz", num(*fmax, 1));
    if (method) power_line += " (" + *method + ")";
  }

  // Layout: the label column fits the longest name up to 220 px (longer ones are cut, the
  // full name is in the bar's <title>); the values follow the bars.
  Layout L;
  size_t longest = 4;
  size_t value_w = 0;
  for (const Chart* c : {&area, power ? &*power : nullptr}) {
    if (!c) continue;
    for (const auto& b : c->bars) {
      longest = std::max(longest, chars(b.name));
      value_w = std::max(value_w, value_chars(*c, b));
    }
  }
  L.label_w = std::min(220.0, std::ceil(static_cast<double>(longest) * kCharW));
  L.label_chars = static_cast<size_t>(L.label_w / kCharW);
  L.bar_x = L.margin + L.label_w + 8;
  const double value_reserve = std::ceil(static_cast<double>(value_w) * kSmallW) + 10;
  L.width = std::max(800.0, L.bar_x + 240 + value_reserve + L.margin);
  L.bar_max = L.width - L.margin - value_reserve - L.bar_x;
  const auto fit = [&](const std::string& text, double char_w) {
    return cut(text, static_cast<size_t>((L.width - 2 * L.margin) / char_w));
  };

  std::string body;
  double y = 26;
  const std::string title = fmt::format("{} breakdown of {} ({}){}", power ? "Area and power" : "Area", top, lib,
                                        flattened ? " [flattened]" : "");
  body += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\">{}</text>\n", coord(L.margin),
                      coord(y), xml(fit(title, kTitleW)));
  y += 20;
  std::string area_line = fmt::format("area: {} um2 ({} mm2) = logic {} + memories {} um2",
                                      num(total.value_or(area.sum), 1), num(total.value_or(area.sum) * 1e-6, 4),
                                      num(logic.value_or(area_logic), 1), num(memory.value_or(area_mem), 1));
  // The line holds no names: its units can become character references after the cut.
  std::string area_xml = xml(fit(area_line, kCharW));
  for (size_t p = area_xml.find("um2"); p != std::string::npos; p = area_xml.find("um2", p))
    area_xml.replace(p, 3, kUm2);
  for (size_t p = area_xml.find("mm2"); p != std::string::npos; p = area_xml.find("mm2", p))
    area_xml.replace(p, 3, "mm&#178;");
  body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>\n", coord(L.margin), coord(y), area_xml);
  if (power) {
    y += 18;
    body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>\n", coord(L.margin), coord(y),
                        xml(fit(power_line, kCharW)));
  }
  y = draw_chart(body, area, L, y + 6);
  if (power) y = draw_chart(body, *power, L, y + 10);
  y += 6;
  for (const auto& n : notes) {
    y += 15;
    body += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#a00\">note: {}</text>\n", coord(L.margin),
                        coord(y), xml(fit(n, kNoteW)));
  }
  y += 14;

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      coord(L.width), coord(y));
  s += fmt::format("<title>{}</title>\n", xml(title));
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  s += body;
  s += "</svg>";
  return s;
}

}  // namespace sharp::synth
