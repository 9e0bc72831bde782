// Golden-text tests: tiny's emitted sharp_top.sv and sharp_design.h equal the files checked
// in under generator/tests/golden/tiny/. On a difference the test prints the first differing
// lines and the update command; after a deliberate change to the emitter, regenerate with
//   SHARP_UPDATE_GOLDEN=1 build/generator/tests/test_generator "[golden-text]"
// and review the diff before committing it. SHARP_GOLDEN_DIR points the test at another copy
// (the CTest test golden_text_fails_on_one_changed_byte uses it).
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "sharp/emit.hpp"
#include "sharp/text_file.hpp"

using namespace sharp;
namespace fs = std::filesystem;

namespace {

fs::path golden_dir() {
  const char* env = std::getenv("SHARP_GOLDEN_DIR");
  return env && *env ? fs::path(env) : fs::path(SHARP_GOLDEN_DIR_DEFAULT);
}

// The first lines where a and b differ, as "line N: expected ... / got ...".
std::string first_differences(const std::string& want, const std::string& got, int most = 5) {
  std::istringstream a(want), b(got);
  std::string la, lb, out;
  int n = 0, shown = 0;
  while (shown < most) {
    const bool ea = !std::getline(a, la), eb = !std::getline(b, lb);
    if (ea && eb) break;
    ++n;
    if (ea || eb || la != lb) {
      out += fmt::format("  line {}:\n    golden:  {}\n    emitted: {}\n", n, ea ? "<end of file>" : la,
                         eb ? "<end of file>" : lb);
      ++shown;
    }
  }
  if (out.empty() && want != got) out = "  (the files differ only in line endings or a final newline)\n";
  return out;
}

void check_golden(const std::string& config_file, const std::string& design, const std::string& path) {
  const fs::path cfg_path = fs::path(SHARP_SOURCE_DIR) / config_file;
  const Plan p = make_plan(load_config(&cfg_path, {}));
  const std::string command = "sharpgen generate --config " + config_file;
  const auto files = emit_design(p, command);
  const GeneratedFile* f = nullptr;
  for (const auto& g : files)
    if (g.path == path) f = &g;
  REQUIRE(f != nullptr);
  const fs::path golden = golden_dir() / design / fs::path(path).filename();
  if (const char* up = std::getenv("SHARP_UPDATE_GOLDEN"); up && std::string(up) == "1") {
    fs::create_directories(golden.parent_path());
    write_text(golden, f->content);
    WARN("updated " << golden.string());
    SUCCEED();
    return;
  }
  REQUIRE(fs::is_regular_file(golden));
  const std::string want = read_text(golden);
  INFO(fmt::format("{} of '{}' differs from {}:\n{}update: SHARP_UPDATE_GOLDEN=1 test_generator \"[golden-text]\"",
                   path, design, golden.string(), first_differences(want, f->content)));
  CHECK(want == f->content);
}

}  // namespace

TEST_CASE("tiny's emitted sharp_top.sv equals its golden text", "[golden-text]") {
  check_golden("examples/configs/tiny.json", "tiny", "rtl/sharp_top.sv");
}

TEST_CASE("tiny's emitted sharp_design.h equals its golden text", "[golden-text]") {
  check_golden("examples/configs/tiny.json", "tiny", "sharp_design.h");
}
