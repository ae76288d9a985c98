#include "Localization.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace heardmap {
namespace {

// The papers' 21 thresholds are written 0.05 * i in Python; the same doubles are used here.
constexpr int kCurvePoints = 21;
constexpr double kCurveStep = 0.05;

SuccessCurve curveFromFlags(const std::vector<double>& values) {
  SuccessCurve curve;
  const double n = static_cast<double>(std::max<size_t>(values.size(), 1));
  for (int i = 0; i < kCurvePoints; ++i) {
    const double t = kCurveStep * i;
    const double hits = static_cast<double>(
        std::count_if(values.begin(), values.end(), [t](double v) { return v >= t; }));
    curve.thresholds.push_back(t);
    curve.rates.push_back(hits / n);
  }
  double area = 0.0;
  for (int i = 1; i < kCurvePoints; ++i) {
    area +=
        (curve.thresholds[static_cast<size_t>(i)] - curve.thresholds[static_cast<size_t>(i - 1)]) *
        (curve.rates[static_cast<size_t>(i)] + curve.rates[static_cast<size_t>(i - 1)]) / 2.0;
  }
  curve.auc = 100.0 * area;
  curve.successAt50 = 100.0 *
                      static_cast<double>(std::count_if(values.begin(), values.end(),
                                                        [](double v) { return v >= 0.5; })) /
                      n;
  curve.meanIoU = values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / n;
  return curve;
}

}  // namespace

std::vector<float> upsampleAlignCorners(const std::vector<float>& map, int width, int height,
                                        int outWidth, int outHeight) {
  std::vector<float> out(static_cast<size_t>(outWidth * outHeight));
  const double sx = outWidth > 1 ? static_cast<double>(width - 1) / (outWidth - 1) : 0.0;
  const double sy = outHeight > 1 ? static_cast<double>(height - 1) / (outHeight - 1) : 0.0;
  for (int y = 0; y < outHeight; ++y) {
    const double fy = y * sy;
    const int y0 = std::min(static_cast<int>(fy), height - 1);
    const int y1 = std::min(y0 + 1, height - 1);
    const double ty = fy - y0;
    for (int x = 0; x < outWidth; ++x) {
      const double fx = x * sx;
      const int x0 = std::min(static_cast<int>(fx), width - 1);
      const int x1 = std::min(x0 + 1, width - 1);
      const double tx = fx - x0;
      const auto at = [&](int xi, int yi) {
        return static_cast<double>(map[static_cast<size_t>(yi * width + xi)]);
      };
      const double top = at(x0, y0) * (1 - tx) + at(x1, y0) * tx;
      const double bottom = at(x0, y1) * (1 - tx) + at(x1, y1) * tx;
      out[static_cast<size_t>(y * outWidth + x)] = static_cast<float>(top * (1 - ty) + bottom * ty);
    }
  }
  return out;
}

void minMaxNormalize(std::vector<float>& map) {
  if (map.empty()) {
    return;
  }
  const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
  const float low = *lo;
  const float span = *hi - *lo;
  for (float& v : map) {
    v = span > 0.0f ? (v - low) / span : 0.0f;
  }
}

std::vector<uint8_t> binarize(const std::vector<float>& map, PredictionRule rule,
                              const std::vector<float>& groundTruth) {
  std::vector<uint8_t> out(map.size(), 0);
  if (map.empty()) {
    return out;
  }
  float threshold = 0.5f;
  if (rule == PredictionRule::RelativeMedian) {
    std::vector<float> sorted = map;
    std::sort(sorted.begin(), sorted.end());
    threshold = sorted[sorted.size() / 2];
  } else if (rule == PredictionRule::AdaptiveTopK) {
    const size_t k = static_cast<size_t>(
        std::count_if(groundTruth.begin(), groundTruth.end(), [](float g) { return g > 0.0f; }));
    if (k == 0) {
      return out;
    }
    std::vector<float> sorted = map;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k - 1),
                     sorted.end(), std::greater<float>());
    threshold = sorted[k - 1];
  }
  for (size_t i = 0; i < map.size(); ++i) {
    out[i] = map[i] >= threshold ? 1 : 0;
  }
  return out;
}

double consensusIoU(const std::vector<uint8_t>& prediction, const std::vector<float>& groundTruth) {
  double intersection = 0.0;
  double gtArea = 0.0;
  double outside = 0.0;
  for (size_t i = 0; i < prediction.size(); ++i) {
    intersection += prediction[i] * groundTruth[i];
    gtArea += groundTruth[i];
    outside += (prediction[i] != 0 && groundTruth[i] == 0.0f) ? 1.0 : 0.0;
  }
  const double denominator = gtArea + outside;
  return denominator > 0.0 ? intersection / denominator : 0.0;
}

SuccessCurve successCurve(const std::vector<double>& perSampleIoU) {
  return curveFromFlags(perSampleIoU);
}

SuccessCurve instanceSuccessCurve(const std::vector<std::vector<double>>& perImage) {
  // An image succeeds at t when its worst instance does.
  std::vector<double> worst;
  for (const auto& instances : perImage) {
    worst.push_back(instances.empty() ? 0.0
                                      : *std::min_element(instances.begin(), instances.end()));
  }
  return curveFromFlags(worst);
}

}  // namespace heardmap
