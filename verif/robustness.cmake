# Robustness tests: misuse of the hardware (reset in mid-run, illegal requests), random
# back-pressure on every stream of every regression budget, a second (4-state) simulator, and
# a short fuzzing run of the config reader. Included by verif/CMakeLists.txt; uses its
# variables (SYS, CFGS, DESIGNS, SHARPGEN_EXE).
if(NOT BUILD_TESTING)
  return()
endif()
set(GC ${SYS}/gen_and_check.sh)

# Each misuse is a test of its own on the 64-MAC design (H=37 X=13: no size a multiple of
# anything); the mid-run ones also on the 256-MAC design at its largest shape.
set(scenarios reset start_busy load_busy config_busy hidden_over input_over steps_zero bad_width
              start_unloaded shape_after_load load_loading slot_over streams_over)
foreach(sc ${scenarios})
  add_test(NAME system_tiny_misuse_${sc} COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny scenario ${sc} 37 13 4)
  set_tests_properties(system_tiny_misuse_${sc} PROPERTIES FIXTURES_REQUIRED design_tiny RESOURCE_LOCK design_tiny
                       LABELS system)
endforeach()
foreach(sc reset start_busy config_busy)
  add_test(NAME system_default_misuse_${sc} COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/default.json ${DESIGNS}/default scenario ${sc} 256 256 3)
  set_tests_properties(system_default_misuse_${sc} PROPERTIES FIXTURES_REQUIRED design_default
                       RESOURCE_LOCK design_default LABELS system)
endforeach()
# Every scenario again, over the regression's shapes (edge and random) and all three schedules
# of the small design.
foreach(sch sequential intergate)
  add_test(NAME system_tiny_${sch}_misuse_regress COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_${sch} regress 11 5 --scenarios)
  set_tests_properties(system_tiny_${sch}_misuse_regress PROPERTIES FIXTURES_REQUIRED design_tiny_${sch}
                       RESOURCE_LOCK design_tiny_${sch} LABELS system ENVIRONMENT "SHARPGEN_SET=schedule=${sch}")
endforeach()
add_test(NAME system_tiny_misuse_regress COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny regress 22 5 --scenarios)
set_tests_properties(system_tiny_misuse_regress PROPERTIES FIXTURES_REQUIRED design_tiny RESOURCE_LOCK design_tiny
                     LABELS system)

# Random back-pressure and gaps on all four streams, a pattern of its own per case, on the
# 256- and 1024-MAC designs (the 64-MAC one has system_tiny_backpressure_regress).
add_test(NAME system_default_backpressure_regress COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/default.json ${DESIGNS}/default regress 16 9 --backpressure)
set_tests_properties(system_default_backpressure_regress PROPERTIES FIXTURES_REQUIRED design_default
                     RESOURCE_LOCK design_default LABELS system)
add_test(NAME system_b1024_backpressure_regress COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/b1024.json ${DESIGNS}/b1024 regress 12 9 --backpressure)
set_tests_properties(system_b1024_backpressure_regress PROPERTIES FIXTURES_REQUIRED design_b1024
                     RESOURCE_LOCK design_b1024 LABELS system)

if(SHARP_HAVE_IVERILOG)
# Icarus Verilog (4-state): the same stimulus as Verilator, outputs bit-identical, counters
# equal, no X or Z on any control output, STATUS or counter after reset.
foreach(c "37;13;3;5" "1;1;1;2" "5;64;2;3")
  list(JOIN c "_" cname)
  add_test(NAME system_tiny_icarus_${cname} COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny icarus ${c})
  set_tests_properties(system_tiny_icarus_${cname} PROPERTIES FIXTURES_REQUIRED design_tiny RESOURCE_LOCK design_tiny
                       LABELS system)
endforeach()
# Three streams of one run on the 4-stream design, 4-state.
add_test(NAME system_tiny_streams4_icarus_3_streams COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_streams4 icarus 9 5 3 4 --streams 3)
add_test(NAME system_tiny_streams4_icarus_3_layer_wavefront COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_streams4 icarus 9 9 5 4 --streams 3 --wavefront 1)
set_tests_properties(system_tiny_streams4_icarus_3_streams system_tiny_streams4_icarus_3_layer_wavefront PROPERTIES
                     FIXTURES_REQUIRED design_tiny_streams4 RESOURCE_LOCK design_tiny_streams4 LABELS system
                     ENVIRONMENT "SHARPGEN_SET=streams=4 weight_slots=4")
# Every cell kind other than the lstm in 4-state simulation (the design with every kind).
foreach(cell gru rnn_tanh rnn_relu)
  add_test(NAME system_tiny_cells_icarus_${cell} COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_cells icarus 9 5 3 4 --cell ${cell})
  set_tests_properties(system_tiny_cells_icarus_${cell} PROPERTIES FIXTURES_REQUIRED design_tiny_cells
                       RESOURCE_LOCK design_tiny_cells LABELS system ENVIRONMENT "SHARPGEN_SET=cells=lstm,gru,rnn_tanh,rnn_relu")
endforeach()
# A run from an initial state (the state stream), lstm and gru.
foreach(cell lstm gru)
  add_test(NAME system_tiny_cells_icarus_${cell}_initial_state COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_cells icarus 9 5 3 4 --cell ${cell} --init)
  set_tests_properties(system_tiny_cells_icarus_${cell}_initial_state PROPERTIES FIXTURES_REQUIRED design_tiny_cells
                       RESOURCE_LOCK design_tiny_cells LABELS system ENVIRONMENT "SHARPGEN_SET=cells=lstm,gru,rnn_tanh,rnn_relu")
endforeach()
add_test(NAME system_tiny_sequential_icarus_width_4 COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_sequential icarus 20 9 2 4 --width 4)
set_tests_properties(system_tiny_sequential_icarus_width_4 PROPERTIES FIXTURES_REQUIRED design_tiny_sequential
                     RESOURCE_LOCK design_tiny_sequential LABELS system
                     ENVIRONMENT "SHARPGEN_SET=schedule=sequential")
# The AXI shell in 4-state simulation (verif/icarus/tb_sharp_axi.sv): the stimulus of a
# `verify --shell axi` run through AXI4-Lite and AXI4-Stream, outputs bit-identical; the second
# with random stalls, two streams with initial states and the gru.
set(axi_env "SHARPGEN_SET=shell=axi streams=2 weight_slots=2 cells=lstm,gru")
add_test(NAME system_tiny_axi_icarus_37_13_3_5 COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_axi icarus 37 13 3 5 --shell axi)
add_test(NAME system_tiny_axi_icarus_gru_2_streams_initial_state_stalls COMMAND ${SYS}/expect_pass.sh "icarus: PASS" ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_axi icarus 9 5 3 4 --shell axi --cell gru --streams 2 --init)
set_tests_properties(system_tiny_axi_icarus_37_13_3_5 PROPERTIES FIXTURES_REQUIRED design_tiny_axi
                     RESOURCE_LOCK design_tiny_axi LABELS system ENVIRONMENT "${axi_env}")
set_tests_properties(system_tiny_axi_icarus_gru_2_streams_initial_state_stalls PROPERTIES FIXTURES_REQUIRED design_tiny_axi
                     RESOURCE_LOCK design_tiny_axi LABELS system
                     ENVIRONMENT "${axi_env};ICARUS_PLUSARGS=+valid_pct=60 +ready_pct=50")
# ... and the comparison with Verilator's out.bin catches one inverted output bit.
add_test(NAME system_tiny_axi_icarus_comparison_catches_one_flipped_bit COMMAND ${GC} ${SHARPGEN_EXE} ${CFGS}/tiny.json ${DESIGNS}/tiny_axi icarus 37 13 3 5 --shell axi)
set_tests_properties(system_tiny_axi_icarus_comparison_catches_one_flipped_bit PROPERTIES FIXTURES_REQUIRED design_tiny_axi
                     RESOURCE_LOCK design_tiny_axi LABELS system PASS_REGULAR_EXPRESSION "icarus: FAIL .*Icarus outputs differ"
                     ENVIRONMENT "${axi_env};ICARUS_PLUSARGS=+flip_word=3")
endif()

# A short fuzzing run of the config reader (ci/fuzz.sh; 100,000 inputs and more by hand).
add_test(NAME fuzz_config_reader_20000_inputs COMMAND bash ${PROJECT_SOURCE_DIR}/ci/fuzz.sh 20000)
set_tests_properties(fuzz_config_reader_20000_inputs PROPERTIES LABELS fuzz
                     ENVIRONMENT "FUZZ_BUILD=${PROJECT_BINARY_DIR}/fuzz")
