// fuzz_config: fuzz target for the config reader (generator/config). One input is run
// through the three ways the tool reads a configuration:
//   1. as a JSON document: json::parse(bytes, nullptr, /*allow_exceptions=*/false,
//      /*ignore_comments=*/true), then sharp::config_from_json when it is a JSON value;
//   2. as `--set key=value` overrides, one per line: sharp::load_config(nullptr, lines);
//   3. as a config file: written to a temporary file, then sharp::load_config(&file, {}).
// and through the model-file readers of `sharpgen run` (verif/model/model_file):
//   4. as a model.json index: sharp::parse_model_index;
//   5. as a .npy tensor or input file: sharp::parse_npy.
// Each accepted config must survive a round trip: config_from_json(c.to_json()) gives the
// same config again.
// sharp::Error is the reader's way of rejecting input (one line naming field, value and what
// is allowed): it is caught. Any other exception escapes (std::terminate -> abort) and any
// sanitizer report aborts too: both are bugs.
// Built with libFuzzer (clang -fsanitize=fuzzer,address,undefined) by ci/fuzz.sh, or linked
// with the seeded random-mutation driver fuzz_main.cpp where libFuzzer is not available.
#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/config.hpp"
#include "sharp/error.hpp"
#include "sharp/model_file.hpp"

#include "fuzz_config.hpp"

namespace {

using nlohmann::json;

FuzzStats g_stats;

[[noreturn]] void bug(const char* what, const sharp::Config& c, const std::string& detail) {
  std::fprintf(stderr, "fuzz_config: BUG: %s\n  config: %s\n  %s\n", what, c.to_json().dump().c_str(), detail.c_str());
  std::fflush(stderr);
  std::abort();
}

// An accepted config reads back unchanged from its own to_json().
void check_round_trip(const sharp::Config& c) {
  const json j = c.to_json();
  sharp::Config back;
  try {
    back = sharp::config_from_json(j);
  } catch (const sharp::Error& e) {
    bug("an accepted config is rejected when read back from its to_json()", c, e.what());
  }
  const json j2 = back.to_json();
  if (j2 != j) bug("to_json() -> config_from_json() changes the config", c, "read back: " + j2.dump());
}

const std::filesystem::path& temp_file() {
  static const std::filesystem::path p = [] {
    // A RAM-backed directory when there is one: the file is rewritten for every input.
    const char* env = std::getenv("TMPDIR");
    std::error_code ec;
    std::string dir = env && *env ? env : "/tmp";
    if (!(env && *env) && std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0)
      dir = "/dev/shm";
    std::filesystem::path f =
        std::filesystem::path(dir) / ("sharp_fuzz_config_" + std::to_string(::getpid()) + ".json");
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove(temp_file(), ec);
    });
    return f;
  }();
  return p;
}

}  // namespace

const FuzzStats& fuzz_stats() { return g_stats; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ++g_stats.inputs;

  // 1. A JSON document.
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (!j.is_discarded()) {
    ++g_stats.json_values;
    try {
      const sharp::Config c = sharp::config_from_json(j);
      ++g_stats.accepted;
      check_round_trip(c);
    } catch (const sharp::Error&) {
      ++g_stats.rejected;
    }
  }

  // 2. Overrides, one per line (at most 16).
  std::vector<std::string> lines;
  for (size_t pos = 0; pos <= text.size() && lines.size() < 16;) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (nl > pos) lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  if (!lines.empty()) {
    try {
      const sharp::Config c = sharp::load_config(nullptr, lines);
      ++g_stats.overrides_accepted;
      check_round_trip(c);
    } catch (const sharp::Error&) {}
  }

  // 3. A config file.
  {
    const auto& path = temp_file();
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      if (!out) {
        std::fprintf(stderr, "fuzz_config: cannot write %s\n", path.c_str());
        std::abort();
      }
    }
    try {
      const sharp::Config c = sharp::load_config(&path, {});
      ++g_stats.file_accepted;
      check_round_trip(c);
    } catch (const sharp::Error&) {}
  }

  // 4. A model index.
  try {
    const sharp::ModelIndex m = sharp::parse_model_index(text, "fuzz model.json");
    ++g_stats.model_index_accepted;
    if (m.tensors.empty() || m.input_size < 1 || m.hidden_size < 1) bug("an accepted model index is empty", {}, text);
  } catch (const sharp::Error&) {}

  // 5. A .npy array.
  try {
    const sharp::NpyArray a = sharp::parse_npy(text, "fuzz.npy");
    ++g_stats.npy_accepted;
    size_t n = 1;
    for (size_t d : a.shape) n *= d;
    if (n != a.data.size()) bug("a parsed .npy array's size differs from its shape", {}, text.substr(0, 128));
  } catch (const sharp::Error&) {}
  return 0;
}
