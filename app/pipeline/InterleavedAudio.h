// Writes a clip's audio into an encoder in step with its video, so that the muxer never holds
// more than a frame of either: after each frame, the samples up to the end of that frame's slot
// (counted from startSeconds); at the end, optionally the rest of the clip. `heardmap render`
// and the grid export both write their audio track this way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace heardmap {

class VideoEncoder;

class InterleavedAudio {
 public:
  // samples (mono, at rateHz) must outlive this object; so must encoder.
  InterleavedAudio(VideoEncoder& encoder, const std::vector<float>& samples, int rateHz,
                   double frameRate, double startSeconds);
  // framesWritten video frames are in the encoder: write the audio that goes with them.
  void afterFrames(int64_t framesWritten);
  // The video has ended: write what is left of the clip's audio.
  void writeRest();

 private:
  VideoEncoder& encoder_;
  const std::vector<float>& samples_;
  int rateHz_;
  double frameRate_;
  size_t start_;
  size_t written_;
};

}  // namespace heardmap
