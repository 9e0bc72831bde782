// The SVG writer (see sharp/svg_writer.hpp): number formatting, escaping, elements, documents.
#include "sharp/svg_writer.hpp"

#include <fmt/format.h>

namespace sharp::svg {

std::string num(double v) {
  std::string s = fmt::format("{:.1f}", v);
  return s == "-0.0" ? "0.0" : s;
}

std::string escape(std::string_view s) {
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

namespace {
std::string open_tag(const std::string& tag, const Attrs& attrs) {
  std::string s = "<" + tag;
  for (const auto& [k, v] : attrs) s += " " + k + "=\"" + v + "\"";
  return s;
}
}  // namespace

std::string element(const std::string& tag, const Attrs& attrs, const std::string& content, bool self_close) {
  std::string s = open_tag(tag, attrs);
  if (content.empty() && self_close) return s + "/>";
  return s + ">" + content + "</" + tag + ">";
}

std::string rect(const Attrs& attrs) { return element("rect", attrs); }
std::string line(const Attrs& attrs) { return element("line", attrs); }
std::string text(const Attrs& attrs, const std::string& content) { return element("text", attrs, content, false); }
std::string title(const std::string& plain) { return element("title", {}, escape(plain), false); }
std::string group_open(const Attrs& attrs) { return open_tag("g", attrs) + ">"; }

std::string polyline(const std::vector<std::pair<double, double>>& points, const Attrs& attrs) {
  std::string pts;
  for (const auto& [x, y] : points) pts += (pts.empty() ? "" : " ") + num(x) + "," + num(y);
  Attrs all{{"points", pts}};
  all.insert(all.end(), attrs.begin(), attrs.end());
  return element("polyline", all);
}

std::string Document::str(double width, double height, const Attrs& root_attrs) const {
  Attrs a{{"xmlns", "http://www.w3.org/2000/svg"},
          {"width", num(width)},
          {"height", num(height)},
          {"viewBox", "0 0 " + num(width) + " " + num(height)}};
  a.insert(a.end(), root_attrs.begin(), root_attrs.end());
  return open_tag("svg", a) + ">\n" + body_ + "</svg>";
}

}  // namespace sharp::svg
