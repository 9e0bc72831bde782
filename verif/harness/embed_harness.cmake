# Writes harness_source.cpp holding the Verilator harnesses (sim_main.cpp for sharp_top,
# axi_main.cpp for the AXI shell, and sim_common.hpp, which both include) as strings.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/embed_common.cmake)
sharp_raw_string(main_text "${SRC_DIR}/sim_main.cpp" sharp_h)
sharp_raw_string(axi_text "${SRC_DIR}/axi_main.cpp" sharp_h)
sharp_raw_string(common_text "${SRC_DIR}/sim_common.hpp" sharp_h)
sharp_write_if_changed("${OUT}" "// Generated at build time from verif/harness/src/ -- do not edit.\n#include \"harness_source.hpp\"\nnamespace sharp {\nconst char* const kSimMainSource = ${main_text};\nconst char* const kAxiMainSource = ${axi_text};\nconst char* const kSimCommonSource = ${common_text};\n}\n")
