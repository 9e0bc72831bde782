# expect_mismatch.cmake: the self-test of a bench's checker. Runs EXE with --flip (one compared
# output bit corrupted) and passes only if the bench exits non-zero AND reports exactly that one
# mismatch. Usage: cmake -DEXE=<bench> -P expect_mismatch.cmake
execute_process(COMMAND ${EXE} --flip RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(rc EQUAL 0)
  message(FATAL_ERROR "FAIL: ${EXE} --flip exited 0: the checker missed the flipped bit")
endif()
if(NOT out MATCHES "MISMATCH [^\n]* output=[^\n]*\n  input: [^\n]*\n  expected: [^\n]*\n  got: [^\n]*\n  reproduce: ")
  message(FATAL_ERROR "FAIL: ${EXE} --flip exited ${rc} without its mismatch report")
endif()
if(NOT out MATCHES ", 1 mismatches\n")
  message(FATAL_ERROR "FAIL: ${EXE} --flip did not report exactly one mismatch")
endif()
message("PASS: the flipped bit was caught (exit ${rc})")
