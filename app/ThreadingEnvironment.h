// The app's threading environment, which the app and its bench (bench/app_bench.cpp) both run
// with. OpenMP (torch) and OpenBLAS read their settings when the libraries load, before main(),
// so the process re-executes itself once with them set (user settings win). Passive OpenMP
// waiting keeps torch's idle threads from spinning against the GL rasteriser's threads: under
// Xvfb/llvmpipe on 2 cores a heatmap took ~150 ms with spinning threads and ~32 ms without. One
// OpenBLAS thread avoids oversubscription with torch's own threads (see the toolchain notes).
#pragma once

#include <unistd.h>

#include <cstdlib>

namespace heardmap {

// Set once the process runs with its threading environment.
inline constexpr const char* kThreadingMarker = "HEARDMAP_THREADING_SET";

inline void reexecWithThreadingEnvironment(char** argv) {
  if (std::getenv(kThreadingMarker) != nullptr) {
    return;
  }
  ::setenv(kThreadingMarker, "1", 1);
  ::setenv("OMP_WAIT_POLICY", "passive", 0);
  ::setenv("OPENBLAS_NUM_THREADS", "1", 0);
  ::execv("/proc/self/exe", argv);  // on failure, carry on with the environment as it is
}

}  // namespace heardmap
