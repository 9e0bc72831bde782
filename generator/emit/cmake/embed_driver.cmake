# Writes driver_source.cpp: the C driver of the AXI shell (generator/emit/driver/) as strings,
# written into every design generated with shell = "axi".
include(${CMAKE_CURRENT_LIST_DIR}/../../../cmake/embed_common.cmake)
sharp_raw_string(c_text "${SRC_DIR}/sharp_driver.c" sharp_c)
sharp_raw_string(h_text "${SRC_DIR}/sharp_driver.h" sharp_c)
sharp_write_if_changed("${OUT}" "// Generated at build time from generator/emit/driver/ -- do not edit.\n#include \"templates.hpp\"\nnamespace sharp {\nconst char* const kDriverC = ${c_text};\nconst char* const kDriverH = ${h_text};\n}\n")
