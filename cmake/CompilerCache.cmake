# Uses ccache when it is installed; torch translation units cost 20-30 s each on 2 cores.
find_program(HEARDMAP_CCACHE ccache)
if(HEARDMAP_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${HEARDMAP_CCACHE})
  message(STATUS "ccache: ${HEARDMAP_CCACHE}")
endif()
