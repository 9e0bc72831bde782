// The one content hash of the tool: 64-bit FNV-1a as 16 hex digits. The manifest's file
// hashes, the simulator cache key and the synthesis reuse record all use it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace sharp {

std::string content_hash(std::string_view bytes);
// The hash of a file's bytes (read in blocks); throws sharp::Error if it cannot be read.
std::string file_hash(const std::filesystem::path& p);

}  // namespace sharp
