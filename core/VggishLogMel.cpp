#include "VggishLogMel.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>

namespace heardmap {
namespace {

constexpr double kFrameSeconds = 0.025;    // STFT window length
constexpr double kHopSeconds = 0.010;      // STFT hop
constexpr double kLowestBandHz = 125.0;    // lower edge of the first mel band
constexpr double kHighestBandHz = 7500.0;  // upper edge of the last mel band
constexpr double kLogOffset = 0.01;        // log(mel + offset)
constexpr double kScalingEpsilon = 1e-3;   // SSPL's normalize_audio EPS

// The HTK mel scale.
double melOf(double hz) {
  return 1127.0 * std::log(1.0 + hz / 700.0);
}

int smallestPowerOfTwoAtLeast(int n) {
  int p = 1;
  while (p < n) {
    p <<= 1;
  }
  return p;
}

}  // namespace

VggishLogMel::VggishLogMel(const PreprocessingContract& contract)
    : scaleWaveform_(contract.waveformScaling == "min-max"),
      windowSamples_(static_cast<int>(std::lround(contract.sampleRateHz * kFrameSeconds))),
      hopSamples_(static_cast<int>(std::lround(contract.sampleRateHz * kHopSeconds))),
      fft_(smallestPowerOfTwoAtLeast(windowSamples_)) {
  if (windowSamples_ < 2 || hopSamples_ < 1 || contract.sampleRateHz / 2.0 <= kHighestBandHz) {
    throw std::invalid_argument("VGGish front-end: sample rate " +
                                std::to_string(contract.sampleRateHz) +
                                " Hz is below the 15 kHz its mel bands need");
  }
  window_.resize(static_cast<size_t>(windowSamples_));
  for (int n = 0; n < windowSamples_; ++n) {
    window_[static_cast<size_t>(n)] = 0.5 - 0.5 * std::cos(2.0 * M_PI / windowSamples_ * n);
  }
  const int bins = fft_.size() / 2 + 1;
  const double nyquist = contract.sampleRateHz / 2.0;
  std::vector<double> edges(kBands + 2);
  for (int i = 0; i < kBands + 2; ++i) {
    edges[static_cast<size_t>(i)] =
        melOf(kLowestBandHz) + (melOf(kHighestBandHz) - melOf(kLowestBandHz)) * i / (kBands + 1);
  }
  melWeights_.assign(static_cast<size_t>(bins) * kBands, 0.0);
  for (int k = 1; k < bins; ++k) {  // the DC bin keeps weight 0
    const double mel = melOf(nyquist * k / (bins - 1));
    for (int b = 0; b < kBands; ++b) {
      const double lower = edges[static_cast<size_t>(b)];
      const double centre = edges[static_cast<size_t>(b) + 1];
      const double upper = edges[static_cast<size_t>(b) + 2];
      const double rising = (mel - lower) / (centre - lower);
      const double falling = (upper - mel) / (upper - centre);
      melWeights_[static_cast<size_t>(k) * kBands + static_cast<size_t>(b)] =
          std::max(0.0, std::min(rising, falling));
    }
  }
}

std::vector<float> VggishLogMel::minMaxScaled(const std::vector<float>& samples) {
  std::vector<float> x = samples;
  if (x.empty()) {
    return x;
  }
  const float low = *std::min_element(x.begin(), x.end());
  for (float& v : x) {
    v -= low;
  }
  // numpy adds the epsilon to the float32 maximum in double, then divides the float32 array.
  const float high = *std::max_element(x.begin(), x.end());
  const auto divisor = static_cast<float>(static_cast<double>(high) + kScalingEpsilon);
  for (float& v : x) {
    v = (v / divisor - 0.5f) * 2.0f;
  }
  return x;
}

int VggishLogMel::framesFor(size_t sampleCount) const {
  const auto window = static_cast<size_t>(windowSamples_);
  return sampleCount < window
             ? 0
             : 1 + static_cast<int>((sampleCount - window) / static_cast<size_t>(hopSamples_));
}

int VggishLogMel::examplesFor(size_t sampleCount) const {
  const int frames = framesFor(sampleCount);
  return frames < kExampleFrames ? 0 : 1 + (frames - kExampleFrames) / kExampleFrames;
}

std::vector<double> VggishLogMel::logMel(const std::vector<float>& samples) const {
  const std::vector<float> x = scaleWaveform_ ? minMaxScaled(samples) : samples;
  const int frames = framesFor(x.size());
  const int bins = fft_.size() / 2 + 1;
  std::vector<double> out(static_cast<size_t>(frames) * kBands, 0.0);
  std::vector<std::complex<double>> buffer(static_cast<size_t>(fft_.size()));
  std::vector<double> magnitude(static_cast<size_t>(bins));
  for (int f = 0; f < frames; ++f) {
    const float* frame = x.data() + static_cast<size_t>(f) * static_cast<size_t>(hopSamples_);
    for (size_t i = 0; i < buffer.size(); ++i) {
      buffer[i] = i < window_.size() ? static_cast<double>(frame[i]) * window_[i] : 0.0;
    }
    fft_.transform(buffer);
    for (int k = 0; k < bins; ++k) {
      magnitude[static_cast<size_t>(k)] = std::abs(buffer[static_cast<size_t>(k)]);
    }
    double* row = out.data() + static_cast<size_t>(f) * kBands;
    for (int k = 0; k < bins; ++k) {
      const double m = magnitude[static_cast<size_t>(k)];
      const double* weights = melWeights_.data() + static_cast<size_t>(k) * kBands;
      for (int b = 0; b < kBands; ++b) {
        row[b] += m * weights[b];
      }
    }
    for (int b = 0; b < kBands; ++b) {
      row[b] = std::log(row[b] + kLogOffset);
    }
  }
  return out;
}

std::vector<float> VggishLogMel::examples(const std::vector<float>& samples,
                                          int* exampleCount) const {
  const std::vector<double> frames = logMel(samples);
  const int count = examplesFor(samples.size());
  *exampleCount = count;
  const size_t values = static_cast<size_t>(count) * kExampleFrames * kBands;
  std::vector<float> out(values);
  for (size_t i = 0; i < values; ++i) {
    out[i] = static_cast<float>(frames[i]);  // examples are consecutive runs of 96 frames
  }
  return out;
}

}  // namespace heardmap
