#include "ProgressBar.h"

#include <unistd.h>

#include <algorithm>

namespace heardmap {
namespace {

// Minimum time between redraws.
constexpr std::chrono::milliseconds kRedrawInterval{100};
// Characters in the bar.
constexpr int kBarWidth = 30;

}  // namespace

ProgressBar::ProgressBar(std::string label, int64_t total, std::FILE* stream)
    : label_(std::move(label)),
      total_(std::max<int64_t>(total, 1)),
      stream_(stream),
      start_(std::chrono::steady_clock::now()),
      interactive_(isatty(fileno(stream)) != 0) {}

void ProgressBar::update(int64_t done) {
  const auto now = std::chrono::steady_clock::now();
  const bool last = done >= total_;
  if (!last && now - lastDraw_ < (interactive_ ? kRedrawInterval : kRedrawInterval * 50)) {
    return;
  }
  lastDraw_ = now;
  const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const int eta = rate > 0 ? static_cast<int>((static_cast<double>(total_ - done)) / rate) : 0;
  const int filled = static_cast<int>(fraction * kBarWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kBarWidth - filled), '.');
  std::fprintf(stream_, "%s%s [%s] %3d%% %5.1f/s ETA %d:%02d%s", interactive_ ? "\r" : "",
               label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100), rate, eta / 60,
               eta % 60, interactive_ ? "" : "\n");
  std::fflush(stream_);
}

void ProgressBar::finish() {
  update(total_);
  if (interactive_) {
    std::fputc('\n', stream_);
  }
}

}  // namespace heardmap
