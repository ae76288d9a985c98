// A one-line terminal progress bar on stderr: "label [#####.....] 42% 12.3 fps ETA 0:07".
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace heardmap {

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, std::FILE* stream = stderr);
  // Redraws at most every kRedrawInterval; the final update always draws.
  void update(int64_t done);
  void finish();

 private:
  std::string label_;
  int64_t total_;
  std::FILE* stream_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDraw_;
  bool interactive_;
};

}  // namespace heardmap
