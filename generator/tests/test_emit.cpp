#include <stdexcept>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "sharp/emit.hpp"
#include "sharp/version.hpp"

using namespace sharp;

namespace {
// The file at `path` among the emitted ones; fails the test when there is none.
const GeneratedFile& file_of(const std::vector<GeneratedFile>& files, const std::string& path) {
  for (const auto& f : files)
    if (f.path == path) return f;
  FAIL("no emitted file " << path);
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("emitting the same plan twice gives byte-identical files", "[emit]") {
  const Plan p = make_plan(load_config(nullptr, {"macs=256", "k_max=16"}));
  const auto a = emit_design(p, "sharpgen generate");
  const auto b = emit_design(p, "sharpgen generate");
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].path == b[i].path);
    CHECK(a[i].content == b[i].content);
  }
}

TEST_CASE("every module gets its own file, listed leaves first and top last", "[emit]") {
  const Plan p = make_plan(load_config(nullptr, {}));
  const auto files = emit_design(p, "x");
  const std::string& filelist = file_of(files, "filelist.f").content;
  // The shared include leads (the tools read it before any module that uses it).
  CHECK(filelist.find("rtl/sharp_checks.svh\nrtl/sharp_sram.sv\n") == 0);
  CHECK(filelist.rfind("rtl/sharp_top.sv\n") == filelist.size() - std::string("rtl/sharp_top.sv\n").size());
  int modules = 0;
  for (const auto& f : files)
    if (f.path.rfind("rtl/", 0) == 0 && f.path.size() > 7 && f.path.substr(f.path.size() - 3) == ".sv") {
      const std::string mod = f.path.substr(4, f.path.size() - 7);
      CHECK(f.content.find("module " + mod) != std::string::npos);
      ++modules;
    }
  CHECK(modules >= 15);
}

TEST_CASE("generated files carry the do-not-edit banner with version and command", "[emit]") {
  const Plan p = make_plan(load_config(nullptr, {}));
  const auto files = emit_design(p, "sharpgen generate --config c.json");
  for (const char* path : {"rtl/sharp_top.sv", "sharp_design.h"}) {
    const std::string& text = file_of(files, path).content;
    CHECK(text.find("do not edit") != std::string::npos);
    CHECK(text.find(kVersion) != std::string::npos);
    CHECK(text.find("sharpgen generate --config c.json") != std::string::npos);
  }
}

TEST_CASE("the activation ROMs hold the numerics library's tables", "[emit]") {
  const Plan p = make_plan(load_config(nullptr, {"format.act_segments=16"}));
  const PwlTable t(ActFn::Sigmoid, p.cfg.format);
  const auto files = emit_design(p, "x");
  const std::string& rom = file_of(files, "rtl/sharp_rom_sigmoid.sv").content;
  REQUIRE(!t.base().empty());
  for (size_t i = 0; i < t.base().size(); ++i)
    CHECK(rom.find(fmt::format("base_o = 16'h{:x};", static_cast<uint64_t>(t.base()[i]) & 0xffff)) !=
          std::string::npos);
}

TEST_CASE("the writer aligns table columns", "[emit]") {
  TextWriter w;
  w.table({{"a", "bb", "c"}, {"ccc", "d", "e"}}, " ", ",", "");
  CHECK(w.str() == "a   bb c,\nccc d  e\n");
}
