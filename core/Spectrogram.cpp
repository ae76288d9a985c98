#include "Spectrogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace heardmap {
namespace {

int validFftSize(const PreprocessingContract& contract) {
  const int n = contract.fftSize;
  if (n <= 0 || (n & (n - 1)) != 0 || contract.segmentSamples > n) {
    throw std::invalid_argument("Spectrogram: fft size must be a power of two >= segment length");
  }
  return n;
}

}  // namespace

std::vector<double> Spectrogram::periodicTukey(int length, double alpha) {
  // The periodic window is the symmetric window of length + 1 without its last sample.
  if (length < 1 || !std::isfinite(alpha)) {
    throw std::invalid_argument("Tukey window: length must be >= 1 and alpha finite");
  }
  alpha = std::min(alpha, 1.0);  // scipy: alpha >= 1 is the Hann window
  const int m = length + 1;
  std::vector<double> w(static_cast<size_t>(m), 1.0);
  if (alpha <= 0.0) {
    w.resize(static_cast<size_t>(length));
    return w;
  }
  const int width = static_cast<int>(std::floor(alpha * (m - 1) / 2.0));
  for (int n = 0; n <= width; ++n) {
    w[static_cast<size_t>(n)] = 0.5 * (1.0 + std::cos(M_PI * (-1.0 + 2.0 * n / alpha / (m - 1))));
  }
  for (int n = m - width - 1; n < m; ++n) {
    w[static_cast<size_t>(n)] =
        0.5 * (1.0 + std::cos(M_PI * (-2.0 / alpha + 1.0 + 2.0 * n / alpha / (m - 1))));
  }
  w.resize(static_cast<size_t>(length));
  return w;
}

Spectrogram::Spectrogram(const PreprocessingContract& contract)
    : contract_(contract), fft_(validFftSize(contract)) {
  window_ = periodicTukey(contract_.segmentSamples, contract_.tukeyAlpha);
  double sumSquares = 0.0;
  for (const double w : window_) {
    sumSquares += w * w;
  }
  densityScale_ = 1.0 / (contract_.sampleRateHz * sumSquares);
}

int Spectrogram::framesFor(size_t sampleCount) const {
  const auto segment = static_cast<size_t>(contract_.segmentSamples);
  if (sampleCount < segment) {
    return 0;
  }
  return 1 +
         static_cast<int>((sampleCount - segment) / static_cast<size_t>(contract_.hopSamples()));
}

std::vector<double> Spectrogram::powerDensity(const std::vector<float>& samples) const {
  const int frames = framesFor(samples.size());
  const int bins = frequencyBins();
  const int segment = contract_.segmentSamples;
  const int hop = contract_.hopSamples();
  const int n = contract_.fftSize;
  std::vector<double> out(static_cast<size_t>(bins) * static_cast<size_t>(frames));
  std::vector<std::complex<double>> buffer(static_cast<size_t>(n));
  for (int f = 0; f < frames; ++f) {
    const float* x = samples.data() + static_cast<size_t>(f) * static_cast<size_t>(hop);
    double mean = 0.0;
    for (int i = 0; i < segment; ++i) {
      mean += x[i];
    }
    mean /= segment;
    for (int i = 0; i < n; ++i) {
      buffer[static_cast<size_t>(i)] =
          i < segment ? (x[i] - mean) * window_[static_cast<size_t>(i)] : 0.0;
    }
    fft_.transform(buffer);
    for (int k = 0; k < bins; ++k) {
      double p = std::norm(buffer[static_cast<size_t>(k)]) * densityScale_;
      if (k != 0 && !(n % 2 == 0 && k == n / 2)) {
        p *= 2.0;  // one-sided: fold the negative frequencies, except DC and Nyquist
      }
      out[static_cast<size_t>(k) * static_cast<size_t>(frames) + static_cast<size_t>(f)] = p;
    }
  }
  return out;
}

std::vector<float> Spectrogram::compute(const std::vector<float>& samples) const {
  const std::vector<double> power = powerDensity(samples);
  std::vector<float> out(power.size());
  for (size_t i = 0; i < power.size(); ++i) {
    out[i] =
        static_cast<float>(std::log(power[i] + contract_.logOffset) / contract_.spectrogramStd);
  }
  return out;
}

}  // namespace heardmap
