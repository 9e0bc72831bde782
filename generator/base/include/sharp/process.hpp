// Child processes, the tool's only way of running another program (Yosys, OpenSTA, Verilator,
// the simulator): posix_spawn with stdin from /dev/null and stdout+stderr captured line by line.
#pragma once

#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sharp {

// `name` itself when it contains a '/', else the first executable `name` on PATH.
std::optional<std::filesystem::path> find_executable(const std::string& name);

struct ChildResult {
  int exit_code = -1;  // valid if signal == 0
  int signal = 0;
  std::deque<std::string> tail;  // last lines of stdout+stderr
  bool ok() const { return signal == 0 && exit_code == 0; }
};
// Runs argv[0] (a path, or a name looked up on PATH) with stdin from /dev/null; every line of
// its stdout+stderr goes to on_line (if given), the last keep_lines are kept in tail. `cwd`
// (if not empty) is the child's working directory. Throws sharp::Error if it cannot start.
ChildResult run_child(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line,
                      size_t keep_lines = 60, const std::filesystem::path& cwd = {});

}  // namespace sharp
