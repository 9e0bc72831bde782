// The one error type the tool reports to users: a single line naming the field, the value
// and what is allowed. The CLI prints it and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace sharp {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sharp
