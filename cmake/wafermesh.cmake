# Shared build helpers. Every Verilated model in wafermesh is made by wm_verilated_model so
# that all of them see the same packages, include paths, waivers and optimisation flags.

set(WM_RTL_PACKAGES ${PROJECT_SOURCE_DIR}/rtl/pkg/wm_pkg.sv)
file(GLOB WM_EXTRA_PACKAGES ${PROJECT_SOURCE_DIR}/rtl/pkg/*_pkg.sv)
list(REMOVE_ITEM WM_EXTRA_PACKAGES ${WM_RTL_PACKAGES})
list(APPEND WM_RTL_PACKAGES ${WM_EXTRA_PACKAGES})

# Every folder holding .sv sources is a library path (-y), so a model pulls in exactly the
# modules its top instantiates and Verilator's dependency list rebuilds it only when one of
# those changes.
file(GLOB_RECURSE _wm_sv CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rtl/*.sv ${PROJECT_SOURCE_DIR}/tb/*.sv)
set(_wm_dirs)
foreach(_f ${_wm_sv})
  get_filename_component(_d ${_f} DIRECTORY)
  list(APPEND _wm_dirs ${_d})
endforeach()
list(REMOVE_DUPLICATES _wm_dirs)
set(WM_RTL_LIBDIRS)
foreach(_d ${_wm_dirs})
  list(APPEND WM_RTL_LIBDIRS -y ${_d})
endforeach()

# wm_verilated_model(<target> TOP <module> [TRACE] [PARAMS Name=Value ...] [ARGS ...])
#   Builds a static library <target> holding the Verilated model V<module> (or PREFIX).
#   TRACE compiles FST tracing in; it stays off until the testbench opens a trace.
function(wm_verilated_model target)
  cmake_parse_arguments(M "TRACE;COVERAGE" "TOP;PREFIX" "PARAMS;ARGS" ${ARGN})
  if(NOT M_PREFIX)
    set(M_PREFIX V${M_TOP})
  endif()
  set(args -Wall -Wno-fatal --x-assign fast --x-initial fast -O3
           ${PROJECT_SOURCE_DIR}/lint/waivers.vlt ${WM_RTL_LIBDIRS} ${M_ARGS})
  foreach(p ${M_PARAMS})
    list(APPEND args -G${p})
  endforeach()
  set(opts)
  if(M_TRACE)
    list(APPEND opts TRACE_FST)
  endif()
  if(M_COVERAGE)
    list(APPEND opts COVERAGE)
  endif()
  file(GLOB_RECURSE _top_file ${PROJECT_SOURCE_DIR}/rtl/${M_TOP}.sv ${PROJECT_SOURCE_DIR}/tb/${M_TOP}.sv)
  list(LENGTH _top_file _n)
  if(NOT _n EQUAL 1)
    message(FATAL_ERROR "wm_verilated_model(${target}): expected one file ${M_TOP}.sv under rtl/ or tb/, found ${_n}")
  endif()
  add_library(${target} STATIC)
  verilate(${target} ${opts} PREFIX ${M_PREFIX} TOP_MODULE ${M_TOP}
           SOURCES ${WM_RTL_PACKAGES} ${_top_file}
           VERILATOR_ARGS ${args}
           OPT_FAST -O2)
  # Verilator's own headers are third-party: consumers see them as system headers, so their
  # warnings (verilated_types.h under -Wextra) do not drown ours.
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "$<TARGET_PROPERTY:${target},INTERFACE_INCLUDE_DIRECTORIES>")
endfunction()
