// Helpers shared by the Yosys flow and the OpenSTA flow: text, files and child processes with
// errors as SynthError under the caller's tool prefix (see common.hpp).
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
