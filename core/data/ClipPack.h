// Training pairs cut from the user's own videos (self-supervised: a frame and the audio window
// around it, no labels), made by `heardmap data clips` (which has FFmpeg) and read by the trainer
// (which must not). One safetensors file: "frame.N" U8 H x W x 3, "audio.N" F16 window samples,
// and a "clips" metadata block (source file and time of each pair, rate, window).
#pragma once

#include <string>
#include <vector>

#include "core/RgbImage.h"

namespace heardmap {

struct ClipSample {
  std::string source;        // video file
  RgbImage frame;            // timeSeconds = the frame's time in source
  std::vector<float> audio;  // the window around it, mono at ClipPack::sampleRateHz
};

struct ClipPack {
  int sampleRateHz = 16000;
  double windowSeconds = 3.0;
  std::vector<ClipSample> samples;

  // Atomic save / load (throws SafetensorsError, FileError or JsonError with the reason).
  void save(const std::string& path) const;
  static ClipPack load(const std::string& path);
  // Distinct source files.
  int sourceCount() const;
};

}  // namespace heardmap
