#include <algorithm>
#include <map>
#include <regex>
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

TEST_CASE("every buffer is split by width and by address into macros of at most sram_kb and sram_width",
          "[emit][memories]") {
  for (int kb : {1, 4, 32, 1024})
    for (int width : {8, 64, 256, 4096}) {
      const Plan p =
          make_plan(load_config(nullptr, {"sram_kb=" + std::to_string(kb), "sram_width=" + std::to_string(width)}));
      const long limit = static_cast<long>(kb) * 8192;
      std::map<std::string, std::vector<const MemoryInfo*>> buffers;
      for (const auto& m : p.memories) buffers[m.buffer].push_back(&m);
      CHECK(buffers.size() == static_cast<size_t>(p.rows) + 5);  // one weight bank per row unit + 5
      for (const auto& [name, macros] : buffers) {
        INFO("sram_kb=" << kb << " sram_width=" << width << " buffer " << name);
        // Macro i = column i / rows, row i % rows: rows from the first column's bases.
        size_t rows = 1;
        while (rows < macros.size() && macros[rows]->elem_base == 0) ++rows;
        REQUIRE(macros.size() % rows == 0);
        const size_t cols = macros.size() / rows;
        const MemoryInfo& m0 = *macros[0];
        int elems = 0, words = 0;
        for (size_t c = 0; c < cols; ++c) elems += macros[c * rows]->elems;
        for (size_t a = 0; a < rows; ++a) words += macros[a]->depth;
        for (size_t i = 0; i < macros.size(); ++i) {
          const MemoryInfo& m = *macros[i];
          const size_t c = i / rows, a = i % rows;
          CHECK(m.path == fmt::format("{}.gen_macro[{}].u_macro", name, i));
          CHECK(m.bits() <= limit);
          CHECK((m.word_bits() <= width || m.elems == 1));  // at most sram_width, at least one element
          CHECK(m.elem_base == static_cast<int>(c) * m0.elems);
          CHECK(m.base == static_cast<int>(a) * m0.depth);
          CHECK(m.elems == (c + 1 < cols ? m0.elems : elems - m.elem_base));
          CHECK(m.depth == (a + 1 < rows ? m0.depth : words - m.base));
        }
        // The fewest columns the width allows, shared out evenly (the last at most one short of
        // each other column's share per column); one row when a column fits, else rows of 2^m
        // words, the first unable to hold twice its words.
        const int per_col = std::max(1, width / m0.elem_bits);
        CHECK(cols == static_cast<size_t>((elems + per_col - 1) / per_col));
        CHECK(m0.elems == static_cast<int>((elems + cols - 1) / cols));
        if (static_cast<long>(words) * m0.word_bits() <= limit) {
          CHECK(rows == 1);
        } else {
          CHECK((m0.depth & (m0.depth - 1)) == 0);
          CHECK(2L * m0.bits() > limit);
        }
      }
    }
  // The default design (32 KB, 256-bit words): 64 KB weight banks of 256-bit words in two macros
  // by address, the W·x bank's 2560-bit words (64 elements of 40 bits) in 11 columns of 6
  // elements (the last 4), one macro each.
  const Plan d = make_plan(load_config(nullptr, {}));
  CHECK(std::count_if(d.memories.begin(), d.memories.end(), [](const MemoryInfo& m) { return m.role == "weights"; }) ==
        2 * d.rows);
  CHECK(std::count_if(d.memories.begin(), d.memories.end(), [](const MemoryInfo& m) { return m.role == "W·x bank"; }) ==
        11);
}

TEST_CASE("a buffer's split: columns of sram_width, rows of sram_kb", "[emit][memories]") {
  const MacroSplit one = split_buffer(1024, 64, 16, 4, 8);  // 64-bit words, 8 deep: fits
  CHECK((one.cols == 1 && one.rows == 1 && one.elems == 4 && one.depth == 8));
  const MacroSplit w = split_buffer(1024, 64, 16, 10, 16);  // 3 columns of 4, 4 and 2 elements
  CHECK((w.cols == 3 && w.elems == 4 && w.rows == 1 && w.depth == 16));
  const MacroSplit b = split_buffer(1024, 64, 16, 10, 100);  // 64-bit columns: 16 words per row
  CHECK((b.cols == 3 && b.rows == 7 && b.depth == 16));
  const MacroSplit e = split_buffer(1024, 16, 40, 3, 4);  // elements wider than sram_width: one each
  CHECK((e.cols == 3 && e.elems == 1 && e.rows == 1));
  CHECK_THROWS_WITH(split_buffer(32, 64, 40, 3, 4), Catch::Contains("field 'sram_kb'"));
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
    CHECK(man.memories[i].elem_base == p.memories[i].elem_base);
    CHECK(man.memories[i].elems == p.memories[i].elems);
    CHECK(man.memories[i].depth == p.memories[i].depth);
    CHECK(man.memories[i].bits == p.memories[i].bits());
  }
  // The top passes the macro bound to the core.
  CHECK(std::regex_search(file_of(files, "rtl/sharp_top.sv").content, std::regex("\\.SramBits +\\(32768\\)")));
}

TEST_CASE("sram_kb and sram_width outside their ranges are refused", "[emit][memories]") {
  // 4096 MACs at k_min 4: the W·x bank word is 1024 x 40 bits = 5 KB, more than a 4 KB macro:
  // split by width.
  CHECK_NOTHROW(make_plan(load_config(nullptr, {"macs=4096", "k_max=16", "k_min=4", "sram_kb=4"})));
  CHECK_THROWS_WITH(load_config(nullptr, {"sram_width=100"}),
                    Catch::Contains("field 'sram_width': value 100 is not allowed (a power of two from 8 to 4096)"));
  CHECK_THROWS_WITH(load_config(nullptr, {"sram_kb=3"}),
                    Catch::Contains("field 'sram_kb': value 3 is not allowed (a power of two from 1 to 1024)"));
}

TEST_CASE("REGISTERS.md, sharp_regs.h and sharp_regs.rdl list the same registers, addresses and fields", "[emit]") {
  Config c = load_config(nullptr, {"cells=lstm,gru", "streams=4", "weight_slots=4"});
  const Plan p = make_plan(c);
  const auto files = emit_design(p, "cmd");
  const std::string md = register_doc(p, "cmd");
  const std::string& h = file_of(files, "sharp_regs.h").content;
  const std::string& rdl = file_of(files, "sharp_regs.rdl").content;
  CHECK(h == register_c_header(p, "cmd"));
  CHECK(rdl == register_rdl(p, "cmd"));
  int fields = 0;
  for (const auto& r : p.registers) {
    INFO(r.name);
    CHECK(md.find(fmt::format("| 0x{:02x} | `{}` |", r.addr, r.name)) != std::string::npos);
    CHECK(h.find(fmt::format("#define SHARP_REG_{} 0x{:02x}u\n", r.name, r.addr)) != std::string::npos);
    CHECK(h.find(fmt::format("#define SHARP_REG_{}_BYTE 0x{:03x}u\n", r.name, 4 * r.addr)) != std::string::npos);
    CHECK(rdl.find(fmt::format("}} {} @ 0x{:03x};\n", r.name, 4 * r.addr)) != std::string::npos);
    if (r.value >= 0) CHECK(h.find(fmt::format("#define SHARP_{}_VALUE {}u\n", r.name, r.value)) != std::string::npos);
    for (const auto& f : r.fields) {
      ++fields;
      const uint32_t mask = static_cast<uint32_t>(((uint64_t{1} << f.width) - 1) << f.lsb);
      CHECK(h.find(fmt::format("#define SHARP_{}_{}_MASK 0x{:08x}u\n", r.name, f.name, mask)) != std::string::npos);
      CHECK(rdl.find(fmt::format("}} {}[{}:{}]", f.name, f.lsb + f.width - 1, f.lsb)) != std::string::npos);
      CHECK(md.find(fmt::format("| `{}` | `{}` |", r.name, f.name)) != std::string::npos);
    }
  }
  CHECK(fields >= 20);
  // The views count the same registers.
  CHECK(std::count(h.begin(), h.end(), '\n') > static_cast<long>(2 * p.registers.size()));
  size_t regs = 0;
  for (size_t at = rdl.find("  reg {"); at != std::string::npos; at = rdl.find("  reg {", at + 1)) ++regs;
  CHECK(regs == p.registers.size());
}

TEST_CASE("shell = axi adds sharp_axi_top, its AXI4-Lite slave and the C driver; a bare design has none of them",
          "[emit][shell]") {
  const Plan bare = make_plan(load_config(nullptr, {}));
  for (const auto& f : emit_design(bare, "sharpgen generate")) {
    CHECK(f.path.find("axi") == std::string::npos);
    CHECK(f.path.find("driver") == std::string::npos);
  }
  const Plan p = make_plan(load_config(nullptr, {"shell=axi"}));
  const auto files = emit_design(p, "sharpgen generate");
  const std::string list = file_of(files, "filelist.f").content;
  // The shell's modules come last, the slave before the top that instantiates it.
  const std::string tail = "rtl/sharp_top.sv\nrtl/sharp_axil_slave.sv\nrtl/sharp_axi_top.sv\n";
  REQUIRE(list.size() > tail.size());
  CHECK(list.substr(list.size() - tail.size()) == tail);
  const std::string top = file_of(files, "rtl/sharp_axi_top.sv").content;
  // Default design: K = 16 and 4 lanes of 16-bit h (2 bytes) and 20-bit c (3 bytes).
  CHECK(top.find("input  logic [255:0] s_axis_w_tdata") != std::string::npos);
  CHECK(top.find("output logic [159:0] m_axis_h_tdata") != std::string::npos);
  CHECK(top.find("output logic [19:0]  m_axis_h_tkeep") != std::string::npos);
  // The slave's decode masks are the register list's: readable = not wo, writable = not ro,
  // clear-on-one = rw1c.
  auto mask = [&](const char* name) {
    const std::regex re(std::string("\\.") + name + " *\\(256'h([0-9a-f]{64})\\)");
    std::smatch m;
    REQUIRE(std::regex_search(top, m, re));
    return m[1].str();
  };
  auto bit = [](const std::string& hex, int addr) {
    const int nib = std::stoi(hex.substr(static_cast<size_t>(63 - addr / 4), 1), nullptr, 16);
    return ((nib >> (addr % 4)) & 1) != 0;
  };
  const std::string rd = mask("Readable"), wr = mask("Writable"), c1 = mask("Clear1");
  for (int a = 0; a < 256; ++a) {
    const auto it =
        std::find_if(p.registers.begin(), p.registers.end(), [a](const Register& r) { return r.addr == a; });
    const std::string access = it == p.registers.end() ? "" : it->access;
    INFO("word address " << a << " access '" << access << "'");
    CHECK(bit(rd, a) == (!access.empty() && access != "wo"));
    CHECK(bit(wr, a) == (!access.empty() && access != "ro"));
    CHECK(bit(c1, a) == (access == "rw1c"));
  }
  const std::string regs = file_of(files, "sharp_regs.h").content;
  CHECK(regs.find("#define SHARP_AXIS_W_BYTES 32u") != std::string::npos);
  CHECK(regs.find("#define SHARP_AXIS_H_BYTES 20u") != std::string::npos);
  CHECK(regs.find("#define SHARP_PARAM_LIST") != std::string::npos);
  CHECK(file_of(files, "sharp_driver.c").content.find("int sharp_load(") != std::string::npos);
  CHECK(file_of(files, "sharp_driver.h").content.find("typedef struct sharp_bus") != std::string::npos);
}
