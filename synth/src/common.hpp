// Helpers shared by the Yosys flow and the OpenSTA flow: text files, executables on PATH and
// child processes. Errors are SynthError whose message starts with
// the caller's tool prefix ("synth", "sta").
#pragma once

#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sharp/process.hpp"

namespace sharp::synth::detail {

std::string trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view p);

// Whole file as bytes; throws "<tool>: cannot read <what> '<path>'".
std::string read_text(const std::filesystem::path& p, const char* what, const char* tool);
// Throws "<tool>: cannot write '<path>'".
void write_text(const std::filesystem::path& p, const std::string& text, const char* tool);

using sharp::find_executable;

using sharp::ChildResult;
// Runs argv[0] (a resolved path) with stdin from /dev/null and stdout+stderr captured line by
// line (each line to on_line, the last keep_lines kept in tail). Throws if it cannot start.
ChildResult run_child(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line,
                      const char* tool, size_t keep_lines = 60);

}  // namespace sharp::synth::detail
