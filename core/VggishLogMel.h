// VGGish's audio front-end, as the official SSPL test loader computes it (the AudioSet VGGish
// recipe): 25 ms periodic-Hann frames every 10 ms, |rFFT| (512 points), 64 mel bands from 125 to
// 7,500 Hz (HTK mel scale, the DC bin weighted 0), log(mel + 0.01), framed into examples of 96
// frames (0.96 s) without overlap. Optionally SSPL's min-max scaling of the waveform first.
// Computed in double precision. Torch-free.
#pragma once

#include <vector>

#include "Fft.h"
#include "PreprocessingContract.h"

namespace heardmap {

class VggishLogMel {
 public:
  // The recipe at contract.sampleRateHz (the recipe's 16 kHz for every published model);
  // contract.waveformScaling says whether the window is min-max scaled first.
  explicit VggishLogMel(const PreprocessingContract& contract);

  // Examples of samples, row-major [example][frame 0..95][band 0..63]; *exampleCount receives
  // their number (0 for a window under 0.96 s, then the vector is empty).
  std::vector<float> examples(const std::vector<float>& samples, int* exampleCount) const;
  // The log-mel frames of samples (after the optional scaling), [frame][band].
  std::vector<double> logMel(const std::vector<float>& samples) const;
  // Frames and examples for a window of sampleCount samples.
  int framesFor(size_t sampleCount) const;
  int examplesFor(size_t sampleCount) const;

  // SSPL's normalize_audio in float32 as numpy computes it: x -= min; x /= max + 1e-3;
  // x -= 0.5; x *= 2.
  static std::vector<float> minMaxScaled(const std::vector<float>& samples);

  static constexpr int kBands = 64;          // mel bands per frame
  static constexpr int kExampleFrames = 96;  // frames per example (0.96 s)

 private:
  bool scaleWaveform_;
  int windowSamples_;  // 25 ms
  int hopSamples_;     // 10 ms
  Fft fft_;
  std::vector<double> window_;      // periodic Hann
  std::vector<double> melWeights_;  // [bin][band]
};

}  // namespace heardmap
