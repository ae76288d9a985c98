# Header-only libraries from Debian: nlohmann-json (nlohmann-json3-dev), which core's JSON reader
# and writer use, Eigen (libeigen3-dev: its FFT module for the spectrograms, matrices for the
# heatmap resampling) and CLI11 (libcli11-dev: every command line). A CUDA machine that has LibTorch alone has no package manager's copy: point
# HEARDMAP_HEADER_LIBRARIES at a folder that holds nlohmann/, eigen3/ and CLI/
# (scripts/stage-header-libraries.sh copies them from a Debian machine); LibTorch's own include
# folders are searched as well, as some PyTorch wheels ship nlohmann/json.hpp.
set(HEARDMAP_HEADER_LIBRARIES "" CACHE PATH "A folder holding nlohmann/, eigen3/ and CLI/")
set(heardmap_header_hint "install nlohmann-json3-dev, libeigen3-dev and libcli11-dev \
(scripts/install-deps.sh) \
or pass -DHEARDMAP_HEADER_LIBRARIES=DIR, a folder made by scripts/stage-header-libraries.sh")

find_package(nlohmann_json 3.9 QUIET)
if(NOT nlohmann_json_FOUND)
  find_path(HEARDMAP_NLOHMANN_JSON_INCLUDE nlohmann/json.hpp
    HINTS ${HEARDMAP_HEADER_LIBRARIES} ${TORCH_INCLUDE_DIRS})
  if(NOT HEARDMAP_NLOHMANN_JSON_INCLUDE)
    message(FATAL_ERROR "nlohmann/json.hpp not found: ${heardmap_header_hint}")
  endif()
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE
    ${HEARDMAP_NLOHMANN_JSON_INCLUDE})
  message(STATUS "nlohmann-json: ${HEARDMAP_NLOHMANN_JSON_INCLUDE}")
endif()

find_package(Eigen3 3.3 QUIET NO_MODULE)
if(NOT TARGET Eigen3::Eigen)
  find_path(HEARDMAP_EIGEN_INCLUDE signature_of_eigen3_matrix_library
    HINTS ${HEARDMAP_HEADER_LIBRARIES}/eigen3 /usr/include/eigen3)
  if(NOT HEARDMAP_EIGEN_INCLUDE)
    message(FATAL_ERROR "Eigen 3 not found: ${heardmap_header_hint}")
  endif()
  add_library(Eigen3::Eigen INTERFACE IMPORTED)
  target_include_directories(Eigen3::Eigen SYSTEM INTERFACE ${HEARDMAP_EIGEN_INCLUDE})
  message(STATUS "Eigen: ${HEARDMAP_EIGEN_INCLUDE}")
endif()

find_package(CLI11 2.1 QUIET CONFIG)
if(NOT TARGET CLI11::CLI11)
  find_path(HEARDMAP_CLI11_INCLUDE CLI/CLI.hpp HINTS ${HEARDMAP_HEADER_LIBRARIES})
  if(NOT HEARDMAP_CLI11_INCLUDE)
    message(FATAL_ERROR "CLI11 not found: ${heardmap_header_hint}")
  endif()
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 SYSTEM INTERFACE ${HEARDMAP_CLI11_INCLUDE})
  message(STATUS "CLI11: ${HEARDMAP_CLI11_INCLUDE}")
endif()
