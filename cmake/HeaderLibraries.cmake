# Header-only libraries from Debian: nlohmann-json (nlohmann-json3-dev), which core's JSON reader
# and writer use, Eigen (libeigen3-dev: its FFT module for the spectrograms, matrices for the
# heatmap resampling) and CLI11 (libcli11-dev: every command line). A CUDA machine that has
# LibTorch alone has no package manager's copy: point HEARDMAP_HEADER_LIBRARIES at a folder that
# holds nlohmann/, eigen3/ and CLI/ (scripts/stage-header-libraries.sh copies them from a Debian
# machine); LibTorch's own include folders are searched as well, as some PyTorch wheels ship
# nlohmann/json.hpp.
set(HEARDMAP_HEADER_LIBRARIES "" CACHE PATH "A folder holding nlohmann/, eigen3/ and CLI/")

# Where the package's CMake config is missing, stands in for its target with the folder that
# holds header, searched in the hints that follow; stops with what to install when none has it.
function(heardmap_header_library target header label cacheName)
  if(TARGET ${target})
    return()
  endif()
  find_path(${cacheName} ${header} HINTS ${ARGN})
  if(NOT ${cacheName})
    message(FATAL_ERROR "${label} not found (${header}): install nlohmann-json3-dev, "
                        "libeigen3-dev and libcli11-dev (scripts/install-deps.sh) or pass "
                        "-DHEARDMAP_HEADER_LIBRARIES=DIR, a folder made by "
                        "scripts/stage-header-libraries.sh")
  endif()
  add_library(${target} INTERFACE IMPORTED)
  target_include_directories(${target} SYSTEM INTERFACE ${${cacheName}})
  message(STATUS "${label}: ${${cacheName}}")
endfunction()

find_package(nlohmann_json 3.9 QUIET)
heardmap_header_library(nlohmann_json::nlohmann_json nlohmann/json.hpp nlohmann-json
  HEARDMAP_NLOHMANN_JSON_INCLUDE ${HEARDMAP_HEADER_LIBRARIES} ${TORCH_INCLUDE_DIRS})
find_package(Eigen3 3.3 QUIET NO_MODULE)
heardmap_header_library(Eigen3::Eigen signature_of_eigen3_matrix_library Eigen
  HEARDMAP_EIGEN_INCLUDE ${HEARDMAP_HEADER_LIBRARIES}/eigen3 /usr/include/eigen3)
find_package(CLI11 2.1 QUIET CONFIG)
heardmap_header_library(CLI11::CLI11 CLI/CLI.hpp CLI11 HEARDMAP_CLI11_INCLUDE
  ${HEARDMAP_HEADER_LIBRARIES})
