#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "sharp/emit.hpp"
#include "sharp/manifest.hpp"
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

TEST_CASE("every buffer is split by address into macros of at most sram_kb", "[emit][memories]") {
  for (int kb : {1, 4, 32, 1024}) {
    const Plan p = make_plan(load_config(nullptr, {"sram_kb=" + std::to_string(kb)}));
    const long limit = static_cast<long>(kb) * 8192;
    // Per buffer: the macros in order, contiguous from word 0, all of the buffer's width.
    std::map<std::string, std::vector<const MemoryInfo*>> buffers;
    for (const auto& m : p.memories) buffers[m.buffer].push_back(&m);
    CHECK(buffers.size() == static_cast<size_t>(p.rows) + 5);  // one weight bank per row unit + 5
    for (const auto& [name, macros] : buffers) {
      INFO("sram_kb=" << kb << " buffer " << name);
      int next = 0;
      for (size_t i = 0; i < macros.size(); ++i) {
        const MemoryInfo& m = *macros[i];
        CHECK(m.path == fmt::format("{}.gen_macro[{}].u_macro", name, i));
        CHECK(m.base == next);
        CHECK(m.bits() <= limit);
        CHECK(m.word_bits() == macros[0]->word_bits());
        if (i + 1 < macros.size()) CHECK((m.depth & (m.depth - 1)) == 0);  // all but the last: 2^m words
        if (i > 0) CHECK(m.depth <= macros[0]->depth);
        next += m.depth;
      }
      // One macro when the buffer fits; otherwise the first one could not hold twice its words.
      const long total = static_cast<long>(next) * macros[0]->word_bits();
      if (total <= limit)
        CHECK(macros.size() == 1);
      else
        CHECK(2L * macros[0]->bits() > limit);
    }
  }
  // The default design: 64 KB weight banks in two 32 KB macros, the 80 KB W·x bank in four.
  const Plan d = make_plan(load_config(nullptr, {}));
  CHECK(std::count_if(d.memories.begin(), d.memories.end(), [](const MemoryInfo& m) { return m.role == "weights"; }) ==
        2 * d.rows);
  CHECK(std::count_if(d.memories.begin(), d.memories.end(), [](const MemoryInfo& m) { return m.role == "W·x bank"; }) ==
        4);
}

TEST_CASE("the manifest lists every macro with its buffer and address range", "[emit][memories]") {
  const Plan p = make_plan(load_config(nullptr, {"sram_kb=4"}));
  const auto files = emit_design(p, "x");
  const auto man = nlohmann::json::parse(file_of(files, "manifest.json").content).get<Manifest>();
  REQUIRE(man.memories.size() == p.memories.size());
  for (size_t i = 0; i < p.memories.size(); ++i) {
    CHECK(man.memories[i].path == p.memories[i].path);
    CHECK(man.memories[i].buffer == p.memories[i].buffer);
    CHECK(man.memories[i].base == p.memories[i].base);
    CHECK(man.memories[i].depth == p.memories[i].depth);
    CHECK(man.memories[i].bits == p.memories[i].bits());
  }
  // The top passes the macro bound to the core.
  CHECK(file_of(files, "rtl/sharp_top.sv").content.find(".SramBits      (32768)") != std::string::npos);
}

TEST_CASE("sram_kb smaller than the widest word is refused, naming the minimum", "[emit][memories]") {
  // 4096 MACs at k_min 4: the W·x bank word is 1024 x 40 bits = 5 KB.
  CHECK_THROWS_WITH(make_plan(load_config(nullptr, {"macs=4096", "k_max=16", "k_min=4", "sram_kb=4"})),
                    "config: field 'sram_kb': value 4 is not allowed (a macro must hold at least one 40960-bit word "
                    "of this design: at least 8 KB)");
  CHECK_NOTHROW(make_plan(load_config(nullptr, {"macs=4096", "k_max=16", "k_min=4", "sram_kb=8"})));
  CHECK_THROWS_WITH(load_config(nullptr, {"sram_kb=3"}),
                    Catch::Contains("field 'sram_kb': value 3 is not allowed (a power of two from 1 to 1024)"));
}
