// The design directory's manifest.json: one struct, written by the emitter and read by synth,
// verify, activity and svg (nlohmann's type macros; fields absent from a file keep their
// defaults, so a reader checks what it needs). kManifestSchema grows when a field changes
// meaning; readers refuse other schemas.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sharp {

inline constexpr int kManifestSchema = 3;

struct ManifestRegister {
  std::string name;
  int addr = 0;
  std::string access;  // "rw", "ro", "wo"
  std::string desc;
  int64_t value = -1;  // design parameters (P_*): the constant the register reads
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ManifestRegister, name, addr, access, desc, value)

struct ManifestModule {
  std::string name;
  std::string file;  // relative to the design directory
  std::string hash;  // content_hash of the file
  std::string block;
  bool generated = false;  // emitted from the plan (false: a template copied verbatim)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ManifestModule, name, file, hash, block, generated)

// One SRAM macro (one entry per macro since schema 2; a logical buffer is several when it is
// larger than the config's sram_kb, split by address or, since schema 3, by width).
struct ManifestMemory {
  std::string path;    // instance path of the macro below the top
  std::string role;    // weights, biases, W·x bank, x buffer, h buffer, c buffer
  std::string module;  // the macro's module (sharp_sram)
  std::string buffer;  // instance path of the logical buffer it belongs to
  long base = 0;       // first buffer word it holds (words base .. base + depth - 1)
  long elem_base = 0;  // first element of each word it holds (elements elem_base .. + elems - 1)
  long elem_bits = 0, elems = 0, depth = 0, bits = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ManifestMemory, path, role, module, buffer, base, elem_base, elem_bits,
                                                elems, depth, bits)

struct Manifest {
  int schema = 0;
  std::string generator;
  std::string version;
  std::string command;
  std::string top;
  std::string filelist = "filelist.f";
  nlohmann::json config;   // the resolved config (Config::to_json)
  nlohmann::json derived;  // the plan's derived sizes, as the RTL receives them
  std::vector<ManifestRegister> registers;
  std::vector<ManifestModule> modules;
  std::vector<std::string> memory_modules;
  std::vector<ManifestMemory> memories;
  std::map<std::string, std::string> blocks;  // module -> block of the area report
  std::map<std::string, std::string> files;   // path -> content_hash
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Manifest, schema, generator, version, command, top, filelist, config,
                                                derived, registers, modules, memory_modules, memories, blocks, files)

// Reads DIR/manifest.json; throws sharp::Error naming the file when it is missing, not JSON,
// of another schema or without a top module.
Manifest read_manifest(const std::filesystem::path& design_dir);

}  // namespace sharp
