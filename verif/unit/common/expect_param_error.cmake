# expect_param_error.cmake: an illegal parameter set must be refused at elaboration with the
# module's gen_param_check message. Usage: cmake "-DCMD=<verilator;args...>" "-DMESSAGE=<text>" -P ...
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
string(FIND "${out}" "${MESSAGE}" at)
if(rc EQUAL 0 OR at EQUAL -1)
  message(FATAL_ERROR "FAIL: expected a non-zero exit with \"${MESSAGE}\" (exit ${rc})")
endif()
message("PASS: refused with \"${MESSAGE}\"")
