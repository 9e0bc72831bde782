# Writes harness_source.cpp holding sim_main.cpp as a string.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/embed_common.cmake)
sharp_raw_string(text "${SRC}" sharp_h)
sharp_write_if_changed("${OUT}" "// Generated at build time from verif/harness/src/sim_main.cpp -- do not edit.\n#include \"harness_source.hpp\"\nnamespace sharp {\nconst char* const kSimMainSource = ${text};\n}\n")
