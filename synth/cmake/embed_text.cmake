# Writes OUT, a C++ file defining one `const char* const` per text file (raw string literals),
# in namespace sharp::synth::detail. FILES is a |-separated list of SYMBOL=PATH pairs.
# Usage: cmake -DOUT=embedded.cpp "-DFILES=kA=/path/a.tcl|kB=/path/b.json" -P embed_text.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/embed_common.cmake)
set(body "// Generated at build time by synth/cmake/embed_text.cmake -- do not edit.\n#include \"embedded.hpp\"\n\nnamespace sharp::synth::detail {\n\n")
string(REPLACE "|" ";" pairs "${FILES}")
foreach(pair ${pairs})
  string(FIND "${pair}" "=" eq)
  string(SUBSTRING "${pair}" 0 ${eq} symbol)
  math(EXPR from "${eq} + 1")
  string(SUBSTRING "${pair}" ${from} -1 path)
  sharp_raw_string(text "${path}" sharp_txt)
  string(APPEND body "const char* const ${symbol} = ${text};\n\n")
endforeach()
string(APPEND body "}  // namespace sharp::synth::detail\n")
sharp_write_if_changed("${OUT}" "${body}")
