#include "InterleavedAudio.h"

#include <algorithm>
#include <cmath>

#include "app/media/VideoEncoder.h"

namespace heardmap {

InterleavedAudio::InterleavedAudio(VideoEncoder& encoder, const std::vector<float>& samples,
                                   int rateHz, double frameRate, double startSeconds)
    : encoder_(encoder),
      samples_(samples),
      rateHz_(rateHz),
      frameRate_(frameRate),
      start_(std::min(samples.size(),
                      static_cast<size_t>(std::llround(std::max(0.0, startSeconds) * rateHz)))),
      written_(start_) {}

void InterleavedAudio::afterFrames(int64_t framesWritten) {
  const size_t end = std::min(
      samples_.size(), start_ + static_cast<size_t>(std::llround(
                                    static_cast<double>(framesWritten) / frameRate_ * rateHz_)));
  if (end > written_) {
    encoder_.writeAudio(samples_.data() + written_, end - written_);
    written_ = end;
  }
}

void InterleavedAudio::writeRest() {
  if (written_ < samples_.size()) {
    encoder_.writeAudio(samples_.data() + written_, samples_.size() - written_);
    written_ = samples_.size();
  }
}

}  // namespace heardmap
