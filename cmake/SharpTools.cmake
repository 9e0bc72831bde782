# The external tools the tests need, found once. Tests that need a tool are registered only
# when it is found (a configure message says which were left out); with SHARP_REQUIRE_TOOLS=ON
# (CI: ci/test.sh sets it) a missing tool is a configure error, so no test is ever left out
# there. Sets SHARP_HAVE_<TOOL> and SHARP_<TOOL>_EXE.
option(SHARP_REQUIRE_TOOLS "Fail at configure time when a tool a test needs is missing" OFF)

function(sharp_find_tool var what)
  find_program(SHARP_${var}_EXE NAMES ${ARGN})
  if(SHARP_${var}_EXE)
    set(SHARP_HAVE_${var} ON PARENT_SCOPE)
  else()
    set(SHARP_HAVE_${var} OFF PARENT_SCOPE)
    if(SHARP_REQUIRE_TOOLS)
      message(FATAL_ERROR "SHARP_REQUIRE_TOOLS: ${what} (${ARGN}) not found; ci/setup.sh installs it")
    endif()
    message(STATUS "${what} (${ARGN}) not found: the tests that need it are not registered")
  endif()
endfunction()

sharp_find_tool(VERILATOR "Verilator" verilator)
sharp_find_tool(YOSYS "Yosys" yosys)
sharp_find_tool(STA "OpenSTA" sta)
sharp_find_tool(IVERILOG "Icarus Verilog" iverilog)
# The system python (Debian's torch, numpy and scikit-learn are installed for it).
find_program(SHARP_SYS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT SHARP_SYS_PYTHON)
  find_program(SHARP_SYS_PYTHON NAMES python3)
endif()
set(SHARP_HAVE_TORCH OFF)
if(SHARP_SYS_PYTHON)
  execute_process(COMMAND ${SHARP_SYS_PYTHON} -c "import torch, numpy, sklearn" RESULT_VARIABLE _torch_rc
                  OUTPUT_QUIET ERROR_QUIET)
  if(_torch_rc EQUAL 0)
    set(SHARP_HAVE_TORCH ON)
  endif()
endif()
if(NOT SHARP_HAVE_TORCH)
  if(SHARP_REQUIRE_TOOLS)
    message(FATAL_ERROR "SHARP_REQUIRE_TOOLS: python3 with torch, numpy and sklearn not found; ci/setup.sh installs them")
  endif()
  message(STATUS "python3 with torch, numpy and sklearn not found: the torch tests are not registered")
endif()
