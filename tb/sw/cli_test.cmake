# wmasm/wmdis end to end: a bad source exits non-zero with file:line; the special-function
# library assembles, and wmdis of its image re-assembles to the same hex.
file(WRITE ${OUT}/cli_bad.s "nop\n  bogus r1\n")
execute_process(COMMAND ${WMASM} ${OUT}/cli_bad.s -o ${OUT}/cli_bad.hex
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "cli_bad.s:2: unknown mnemonic 'bogus'")
  message(FATAL_ERROR "wmasm accepted a bad source (rc=${rc}): ${err}")
endif()
execute_process(COMMAND ${WMASM} ${LIB}/exp.s ${LIB}/recip.s ${LIB}/rsqrt.s ${LIB}/silu.s
                        ${LIB}/rope.s ${LIB}/softmax.s -o ${OUT}/cli_lib.hex RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "wmasm failed on the library: ${err}")
endif()
execute_process(COMMAND ${WMDIS} ${OUT}/cli_lib.hex OUTPUT_FILE ${OUT}/cli_lib_dis.s
                RESULT_VARIABLE rc)
execute_process(COMMAND ${WMASM} ${OUT}/cli_lib_dis.s -o ${OUT}/cli_lib2.hex RESULT_VARIABLE rc2)
file(READ ${OUT}/cli_lib.hex a)
file(READ ${OUT}/cli_lib2.hex b)
if(NOT rc EQUAL 0 OR NOT rc2 EQUAL 0 OR NOT a STREQUAL b)
  message(FATAL_ERROR "wmdis output does not re-assemble to the same image")
endif()
