// The EZ-VSL family audio front-end: scipy.signal.spectrogram (Tukey window, constant detrend,
// one-sided density scaling) followed by log(P + offset) / std. Computed in double precision.
#pragma once

#include <complex>
#include <vector>

#include "Fft.h"
#include "PreprocessingContract.h"

namespace heardmap {

class Spectrogram {
 public:
  explicit Spectrogram(const PreprocessingContract& contract);

  // Log-power spectrogram of samples, row-major [frequencyBins][timeFrames] (frequency = height,
  // time = width, as the model's 1 x 257 x 200 input). Frames follow scipy: no padding, no
  // boundary.
  std::vector<float> compute(const std::vector<float>& samples) const;
  // The raw one-sided power spectral density (before log and scaling), same layout, double.
  std::vector<double> powerDensity(const std::vector<float>& samples) const;

  int frequencyBins() const { return contract_.frequencyBins(); }
  // Frames produced for a signal of sampleCount samples.
  int framesFor(size_t sampleCount) const;
  const std::vector<double>& window() const { return window_; }
  // scipy's "density" scaling of |FFT|^2: 1 / (fs * sum(w^2)).
  double densityScale() const { return densityScale_; }

  // scipy.signal.windows.tukey(length, alpha, sym=False).
  static std::vector<double> periodicTukey(int length, double alpha);

 private:
  PreprocessingContract contract_;
  std::vector<double> window_;
  double densityScale_ = 0.0;  // 1 / (fs * sum(w^2))
  Fft fft_;
};

}  // namespace heardmap
