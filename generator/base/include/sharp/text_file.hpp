// Whole-file reads and writes, the tool's only way of doing them. Errors are sharp::Error
// naming the file ("cannot read <what> '<path>'").
#pragma once

#include <filesystem>
#include <string>

namespace sharp {

std::string read_text(const std::filesystem::path& p, const char* what = "file");
// Creates or truncates; throws on failure.
void write_text(const std::filesystem::path& p, const std::string& text);

}  // namespace sharp
