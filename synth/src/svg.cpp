// SVG area/power breakdown of a synthesized design (see include/sharp/svg.hpp): the charts' data
// and layout; the elements are written with sharp::svg (generator/base, sharp/svg_writer.hpp).
#include "sharp/svg.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sharp/svg_writer.hpp"

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

std::string xml(const std::string& s) { return svg::escape(s); }

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

std::string coord(double v) { return svg::num(v); }

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
double draw_chart(svg::Document& doc, const Chart& c, const Layout& L, double y) {
  doc.line(svg::group_open({{"id", c.id + "-chart"}}));
  y += 22;
  doc.line(
      svg::text({{"x", coord(L.margin)}, {"y", coord(y)}, {"font-size", "13"}, {"font-weight", "bold"}}, c.heading));
  y += 18;
  const double lx = L.margin;
  auto legend = [&](double x, const char* color, const std::string& label) {
    doc.line(svg::rect({{"x", coord(x)}, {"y", coord(y - 9)}, {"width", "10"}, {"height", "10"}, {"fill", color}}) +
             svg::text({{"x", coord(x + 14)}, {"y", coord(y)}, {"font-size", "11"}}, label));
  };
  legend(lx, kLogicColor, "logic");
  legend(lx + 70, kMemColor, c.mem_label);
  y += 8;
  const double top = y;
  if (c.bars.empty()) {
    y += kRowH;
    doc.line(svg::text({{"x", coord(L.bar_x)}, {"y", coord(y - 7)}, {"fill", "#666"}}, "(no blocks)"));
  }
  double max = 0;
  for (const auto& b : c.bars) max = std::max(max, b.total());
  for (const auto& b : c.bars) {
    const double pct = c.sum > 0 ? 100.0 * b.total() / c.sum : 0.0;
    doc.line(svg::group_open({{"class", "bar"}}) +
             svg::element("title", {},
                          fmt::format("{}: {} {} ({}%): logic {}, memories {}", xml(b.name), num(b.total(), c.decimals),
                                      c.unit, num(pct, 1), num(b.logic, c.decimals), num(b.mem, c.decimals)),
                          false));
    const double base = y + 15;  // text baseline
    doc.line(svg::text({{"x", coord(L.margin + L.label_w)}, {"y", coord(base)}, {"text-anchor", "end"}},
                       xml(cut(b.name, L.label_chars))));
    // Widths rounded to 0.1 px; the memory segment starts where the logic one ends.
    const double wl = max > 0 ? std::round(10 * L.bar_max * b.logic / max) / 10 : 0.0;
    const double wt = max > 0 ? std::round(10 * L.bar_max * b.total() / max) / 10 : 0.0;
    const double wm = std::max(0.0, wt - wl);
    auto segment = [&](double x, double w, const char* color) {
      doc.line(
          svg::rect({{"x", coord(x)}, {"y", coord(y + 4)}, {"width", coord(w)}, {"height", "14"}, {"fill", color}}));
    };
    if (wl > 0) segment(L.bar_x, wl, kLogicColor);
    if (wm > 0) segment(L.bar_x + wl, wm, kMemColor);
    doc.line(svg::text({{"x", coord(L.bar_x + wt + 6)}, {"y", coord(base)}, {"font-size", "11"}}, value_text(c, b)));
    doc.line("</g>");
    y += kRowH;
  }
  doc.line(svg::line(
      {{"x1", coord(L.bar_x)}, {"y1", coord(top)}, {"x2", coord(L.bar_x)}, {"y2", coord(y)}, {"stroke", "#888"}}));
  doc.line("</g>");
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

  svg::Document doc;
  double y = 26;
  const std::string title = fmt::format("{} breakdown of {} ({}){}", power ? "Area and power" : "Area", top, lib,
                                        flattened ? " [flattened]" : "");
  doc.line(svg::title(title));
  doc.line(svg::rect({{"width", "100%"}, {"height", "100%"}, {"fill", "#ffffff"}}));
  doc.line(svg::text({{"x", coord(L.margin)}, {"y", coord(y)}, {"font-size", "16"}, {"font-weight", "bold"}},
                     xml(fit(title, kTitleW))));
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
  doc.line(svg::text({{"x", coord(L.margin)}, {"y", coord(y)}, {"fill", "#333"}}, area_xml));
  if (power) {
    y += 18;
    doc.line(svg::text({{"x", coord(L.margin)}, {"y", coord(y)}, {"fill", "#333"}}, xml(fit(power_line, kCharW))));
  }
  y = draw_chart(doc, area, L, y + 6);
  if (power) y = draw_chart(doc, *power, L, y + 10);
  y += 6;
  for (const auto& n : notes) {
    y += 15;
    doc.line(svg::text({{"x", coord(L.margin)}, {"y", coord(y)}, {"font-size", "10"}, {"fill", "#a00"}},
                       "note: " + xml(fit(n, kNoteW))));
  }
  y += 14;
  return doc.str(L.width, y, {{"font-family", "sans-serif"}, {"font-size", "12"}});
}

}  // namespace sharp::synth
