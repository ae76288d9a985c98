// Writes an mp4 (H.264 + AAC, or MPEG-4 Part 2 when libx264 is missing) from RGB frames and mono
// float audio. The file appears atomically at the end (written to a temporary name, renamed).
#pragma once

#include <memory>
#include <string>

#include "core/RgbImage.h"

namespace heardmap {

class VideoEncoder {
 public:
  // width/height are rounded down to even numbers (4:2:0). audioRateHz 0 = no audio track.
  // Throws MediaError.
  VideoEncoder(const std::string& path, int width, int height, double frameRate, int audioRateHz);
  ~VideoEncoder();  // abandons (deletes) the temporary file if finish() was not called
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // Frames in order; each gets the next frame slot (1 / frameRate).
  void writeVideo(const RgbImage& frame);
  // Mono samples at audioRateHz, in order.
  void writeAudio(const float* samples, size_t count);
  // Flushes the encoders, writes the trailer and renames into place. Throws MediaError.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace heardmap
