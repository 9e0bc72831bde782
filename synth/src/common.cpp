// Helpers shared by synth.cpp and sta.cpp (see common.hpp).
#include "common.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sharp/error.hpp"
#include "sharp/process.hpp"
#include "sharp/synth.hpp"
#include "sharp/text_file.hpp"

namespace sharp::synth::detail {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail(const char* tool, const std::string& msg) { throw SynthError(fmt::format("{}: {}", tool, msg)); }
}  // namespace

// --- Liberty reader (enough of the format for groups, attributes and their values) -------------

namespace {
struct LTok {
  enum Kind { Word, Str, Punct } kind;
  std::string text;
  int line;
};

std::vector<LTok> liberty_tokenize(const std::string& s, const std::string& where, const char* tool) {
  std::vector<LTok> toks;
  int line = 1;
  size_t i = 0, n = s.size();
  auto is_punct = [](char c) {
    return c == '(' || c == ')' || c == '{' || c == '}' || c == ':' || c == ';' || c == ',';
  };
  while (i < n) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
      // line continuation
      ++i;
      if (s[i] == '\r') ++i;
      if (i < n && s[i] == '\n') {
        ++i;
        ++line;
      }
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      if (e == std::string::npos) fail(tool, fmt::format("{}: unterminated comment", where));
      line += static_cast<int>(std::count(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(e), '\n'));
      i = e + 2;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '"') {
      std::string str;
      int l0 = line;
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
          ++i;
          if (s[i] == '\r') ++i;
          if (i < n && s[i] == '\n') {
            ++i;
            ++line;
          }
          continue;
        }
        if (s[i] == '\n') ++line;
        str += s[i++];
      }
      if (i >= n) fail(tool, fmt::format("{}: line {}: unterminated string", where, l0));
      ++i;
      toks.push_back({LTok::Str, str, l0});
    } else if (is_punct(c)) {
      toks.push_back({LTok::Punct, std::string(1, c), line});
      ++i;
    } else {
      std::string w;
      while (i < n && !std::isspace(static_cast<unsigned char>(s[i])) && !is_punct(s[i]) && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) break;
        w += s[i++];
      }
      toks.push_back({LTok::Word, w, line});
    }
  }
  return toks;
}

class LibertyParser {
 public:
  LibertyParser(std::vector<LTok> toks, std::string where, const char* tool)
      : toks_(std::move(toks)), where_(std::move(where)), tool_(tool) {}

  LGroup parse_file() {
    LGroup root;
    parse_body(root, /*top=*/true);
    return root;
  }

 private:
  std::vector<LTok> toks_;
  std::string where_;
  const char* tool_;
  size_t p_ = 0;

  [[noreturn]] void error(const std::string& msg) {
    int line = p_ < toks_.size() ? toks_[p_].line : (toks_.empty() ? 0 : toks_.back().line);
    fail(tool_, fmt::format("cannot parse liberty {}: line {}: {}", where_, line, msg));
  }
  bool at_punct(char c) const { return p_ < toks_.size() && toks_[p_].kind == LTok::Punct && toks_[p_].text[0] == c; }

  void parse_body(LGroup& g, bool top) {
    while (p_ < toks_.size()) {
      if (at_punct('}')) {
        if (top) error("unexpected '}'");
        ++p_;
        return;
      }
      if (at_punct(';')) {
        ++p_;
        continue;
      }
      if (toks_[p_].kind == LTok::Punct) error("unexpected '" + toks_[p_].text + "'");
      std::string name = toks_[p_].text;
      ++p_;
      if (at_punct(':')) {
        ++p_;
        int line = p_ < toks_.size() ? toks_[p_].line : 0;
        std::string value;
        while (p_ < toks_.size() && !at_punct(';') && !at_punct('}') && toks_[p_].line == line) {
          if (!value.empty()) value += ' ';
          value += toks_[p_].text;
          ++p_;
        }
        if (at_punct(';')) ++p_;
        g.attrs.emplace_back(name, value);
      } else if (at_punct('(')) {
        ++p_;
        std::vector<std::string> args;
        std::string cur;
        bool have = false;
        while (p_ < toks_.size() && !at_punct(')')) {
          if (at_punct(',')) {
            args.push_back(cur);
            cur.clear();
            have = false;
          } else {
            if (have) cur += ' ';
            cur += toks_[p_].text;
            have = true;
          }
          ++p_;
        }
        if (p_ >= toks_.size()) error("missing ')'");
        ++p_;
        if (have || !args.empty()) args.push_back(cur);
        if (at_punct('{')) {
          ++p_;
          LGroup child;
          child.name = name;
          child.args = std::move(args);
          parse_body(child, false);
          g.groups.push_back(std::move(child));
        } else {
          if (at_punct(';')) ++p_;
          std::string joined;
          for (size_t k = 0; k < args.size(); ++k) joined += (k ? "," : "") + args[k];
          g.attrs.emplace_back(name, joined);
        }
      } else {
        error("expected ':' or '(' after '" + name + "'");
      }
    }
    if (!top) error("missing '}' at end of file");
  }
};

// Boolean function of a Liberty "function" attribute.
}  // namespace

LGroup parse_liberty(const std::string& text, const std::string& where, const char* tool) {
  return LibertyParser(liberty_tokenize(text, where, tool), where, tool).parse_file();
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

// The tool's text-file and child-process helpers (sharp_base), with errors as SynthError
// under the caller's tool prefix.
std::string read_text(const fs::path& p, const char* what, const char* tool) {
  try {
    return sharp::read_text(p, what);
  } catch (const sharp::Error& e) {
    fail(tool, e.what());
  }
}

void write_text(const fs::path& p, const std::string& text, const char* tool) {
  try {
    sharp::write_text(p, text);
  } catch (const sharp::Error& e) {
    fail(tool, e.what());
  }
}

ChildResult run_child(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line,
                      const char* tool, size_t keep_lines) {
  try {
    return sharp::run_child(argv, on_line, keep_lines);
  } catch (const sharp::Error& e) {
    fail(tool, e.what());
  }
}

}  // namespace sharp::synth::detail
