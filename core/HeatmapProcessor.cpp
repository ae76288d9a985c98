#include "HeatmapProcessor.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace heardmap {
namespace {

// A gap larger than this between heatmaps (or a step back) is a seek: smoothing restarts.
constexpr double kResetGapSeconds = 1.0;
// Time constant with which the running range shrinks back toward the current frame's range.
constexpr double kRunningRangeDecaySeconds = 5.0;

}  // namespace

void HeatmapProcessor::setSettings(const OverlaySettings& settings) {
  if (settings.persistenceMs != settings_.persistenceMs) {
    hasState_ = hasState_ && settings.persistenceMs > 0.0;
  }
  settings_ = settings;
}

void HeatmapProcessor::reset() {
  hasState_ = false;
}

DisplayHeatmap HeatmapProcessor::process(const Heatmap& heatmap) {
  const bool sameShape =
      hasState_ && smoothed_.width == heatmap.width && smoothed_.height == heatmap.height;
  const double dt = heatmap.timeSeconds - smoothed_.timeSeconds;
  const bool continuous = sameShape && dt >= 0.0 && dt <= kResetGapSeconds;
  if (!continuous) {
    smoothed_ = heatmap;
    runningLow_ = heatmap.rawMin;
    runningHigh_ = heatmap.rawMax;
    hasState_ = true;
    return makeDisplay();
  }
  const double tauSeconds = settings_.persistenceMs / 1000.0;
  const float alpha =
      tauSeconds > 0.0 ? static_cast<float>(1.0 - std::exp(-dt / tauSeconds)) : 1.0f;
  const Eigen::Index n = static_cast<Eigen::Index>(heatmap.scores.size());
  Eigen::Map<Eigen::ArrayXf> smoothed(smoothed_.scores.data(), n);
  smoothed += alpha * (Eigen::Map<const Eigen::ArrayXf>(heatmap.scores.data(), n) - smoothed);
  smoothed_.timeSeconds = heatmap.timeSeconds;
  smoothed_.rawMin = heatmap.rawMin;
  smoothed_.rawMax = heatmap.rawMax;
  smoothed_.inferenceMs = heatmap.inferenceMs;

  const float lo = smoothed.minCoeff();
  const float hi = smoothed.maxCoeff();
  const float decay = static_cast<float>(1.0 - std::exp(-dt / kRunningRangeDecaySeconds));
  runningLow_ = std::min(lo, runningLow_ + decay * (lo - runningLow_));
  runningHigh_ = std::max(hi, runningHigh_ + decay * (hi - runningHigh_));
  return makeDisplay();
}

DisplayHeatmap HeatmapProcessor::current() const {
  return hasState_ ? makeDisplay() : DisplayHeatmap{};
}

DisplayHeatmap HeatmapProcessor::makeDisplay() const {
  DisplayHeatmap out;
  out.width = smoothed_.width;
  out.height = smoothed_.height;
  out.scores = smoothed_.scores;
  out.rawMin = smoothed_.rawMin;
  out.rawMax = smoothed_.rawMax;
  if (out.scores.empty()) {
    return out;
  }
  const Eigen::Map<const Eigen::ArrayXf> scores(out.scores.data(),
                                                static_cast<Eigen::Index>(out.scores.size()));
  const float lo = scores.minCoeff();
  const float hi = scores.maxCoeff();
  switch (settings_.normalization) {
    case NormalizationMode::AbsoluteThreshold:
      // threshold is in (cos + 1) / 2 units; the colour range runs from it to a perfect match.
      out.low = 2.0f * settings_.threshold - 1.0f;
      out.high = 1.0f;
      out.hideBelowLow = true;
      out.anythingAboveLow = hi >= out.low;
      break;
    case NormalizationMode::RunningRange:
      out.low = runningLow_;
      out.high = runningHigh_;
      break;
    case NormalizationMode::PerFrameMinMax:
    case NormalizationMode::Invalid:
      out.low = lo;
      out.high = hi;
      break;
  }
  return out;
}

}  // namespace heardmap
