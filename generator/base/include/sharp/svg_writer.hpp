// The tool's SVG writer: elements as text (rect, text, line, polyline, groups, titles) with
// deterministic number formatting and XML escaping, gathered into a self-contained document. No
// layout: callers place everything. The same calls give the same bytes.
//
//   sharp::svg::Document doc;
//   doc.add(sharp::svg::text({{"x", sharp::svg::num(12)}, {"y", sharp::svg::num(26)}}, sharp::svg::escape(title)));
//   doc.add(sharp::svg::rect({{"x", "0.0"}, {"y", "4.0"}, {"width", "10"}, {"height", "10"}, {"fill", "#4e79a7"}}));
//   std::string s = doc.str(800, 300, {{"font-family", "sans-serif"}});
//
// Attribute values are written as given (callers format numbers with num(), or write a literal
// such as "10" or "100%"); escape() makes any text safe for content and attribute values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sharp::svg {

using Attrs = std::vector<std::pair<std::string, std::string>>;

// A coordinate or length with one decimal ("12.3"; never "-0.0", no separators).
std::string num(double v);

// Text as XML content or attribute value: & < > " ' escaped, valid UTF-8 kept, other bytes and
// control characters other than tab, CR and LF become '?'.
std::string escape(std::string_view s);

// <tag a="v" ...>content</tag>; with empty content and self_close, <tag a="v" .../>.
// `content` is markup: escape() text first.
std::string element(const std::string& tag, const Attrs& attrs, const std::string& content = {},
                    bool self_close = true);

std::string rect(const Attrs& attrs);                              // <rect .../>
std::string line(const Attrs& attrs);                              // <line .../>
std::string text(const Attrs& attrs, const std::string& content);  // <text ...>content</text>
std::string title(const std::string& plain);                       // <title>escaped</title>
// <polyline points="x,y x,y ..." .../> with the points formatted by num().
std::string polyline(const std::vector<std::pair<double, double>>& points, const Attrs& attrs);
std::string group_open(const Attrs& attrs);  // <g ...> (close with "</g>")

// A whole document: the root <svg> with width, height and a matching viewBox, then every piece
// added, in order. str() gives "<svg ...>\n" + pieces + "</svg>" (no trailing newline).
class Document {
 public:
  void add(const std::string& markup) { body_ += markup; }
  // Adds markup followed by a newline.
  void line(const std::string& markup) { body_ += markup + "\n"; }
  const std::string& body() const { return body_; }
  std::string str(double width, double height, const Attrs& root_attrs = {}) const;

 private:
  std::string body_;
};

}  // namespace sharp::svg
