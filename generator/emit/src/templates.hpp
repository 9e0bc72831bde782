// The RTL templates, embedded at build time (see cmake/embed_templates.cmake).
#pragma once

#include <cstddef>
#include <set>
#include <string>

namespace sharp {

struct Template {
  const char* name;
  const char* text;
};
// One module per .sv file, named after the module.
extern const Template kTemplates[];
extern const size_t kTemplateCount;
// Shared include files (.svh), named with their extension; written next to the modules.
extern const Template kIncludes[];
extern const size_t kIncludeCount;
const std::set<std::string>& kTemplateNames();
// The AXI shell's C driver (generator/emit/driver/), written into designs with the shell.
extern const char* const kDriverC;
extern const char* const kDriverH;

}  // namespace sharp
