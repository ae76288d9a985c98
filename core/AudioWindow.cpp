#include "AudioWindow.h"

#include <algorithm>
#include <cmath>

namespace heardmap {

std::vector<float> cutAudioWindow(const std::vector<float>& signal, double timeSeconds,
                                  const PreprocessingContract& contract) {
  const int64_t window = contract.windowSamples();
  std::vector<float> out(static_cast<size_t>(window), 0.0f);
  const int64_t length = static_cast<int64_t>(signal.size());
  if (length == 0) {
    return out;
  }
  const int64_t timeSample =
      static_cast<int64_t>(std::llround(timeSeconds * contract.sampleRateHz));
  if (contract.placement == WindowPlacement::Causal) {
    const int64_t end = std::clamp<int64_t>(timeSample, 0, length);
    const int64_t start = end - window;
    for (int64_t i = 0; i < window; ++i) {
      const int64_t source = start + i;
      if (source >= 0) {
        out[static_cast<size_t>(i)] = signal[static_cast<size_t>(source)];
      }
    }
    return out;
  }
  if (length < window) {
    for (int64_t i = 0; i < window; ++i) {
      out[static_cast<size_t>(i)] = signal[static_cast<size_t>(i % length)];
    }
    return out;
  }
  const int64_t start = std::clamp<int64_t>(timeSample - window / 2, 0, length - window);
  std::copy(signal.begin() + start, signal.begin() + start + window, out.begin());
  return out;
}

}  // namespace heardmap
