# Shared by the build-time embedding scripts (RTL templates, the Verilator harness, synth's Tcl
# and data tables): a file's text as a C++ raw string literal, and a write that leaves an
# unchanged output untouched (so nothing recompiles).
#   sharp_raw_string(VAR PATH DELIM): VAR = R"DELIM(<text of PATH>)DELIM"; fails if the text
#                                     contains the closing delimiter.
#   sharp_write_if_changed(OUT BODY)
function(sharp_raw_string var path delim)
  file(READ "${path}" text)
  string(FIND "${text}" ")${delim}\"" bad)
  if(NOT bad EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw-string delimiter )${delim}\"")
  endif()
  set(${var} "R\"${delim}(${text})${delim}\"" PARENT_SCOPE)
endfunction()

function(sharp_write_if_changed out body)
  set(old "")
  if(EXISTS "${out}")
    file(READ "${out}" old)
  endif()
  if(NOT old STREQUAL body)
    file(WRITE "${out}" "${body}")
  endif()
endfunction()
