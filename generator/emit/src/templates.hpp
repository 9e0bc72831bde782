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
extern const Template kTemplates[];
extern const size_t kTemplateCount;
const std::set<std::string>& kTemplateNames();

}  // namespace sharp
