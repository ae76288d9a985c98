#include "Localization.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/BilinearResampler.h"

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
  return BilinearResampler(width, height, outWidth, outHeight, SampleGrid::AlignCorners)
      .resample(map);
}

void minMaxNormalize(std::vector<float>& map) {
  if (map.empty()) {
    return;
  }
  Eigen::Map<Eigen::ArrayXf> values(map.data(), static_cast<Eigen::Index>(map.size()));
  const float low = values.minCoeff();
  const float span = values.maxCoeff() - low;
  if (span > 0.0f) {
    values = (values - low) / span;
  } else {
    values.setZero();
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
  const Eigen::Index n = static_cast<Eigen::Index>(prediction.size());
  const Eigen::ArrayXd predicted =
      Eigen::Map<const Eigen::Array<uint8_t, Eigen::Dynamic, 1>>(prediction.data(), n)
          .cast<double>();
  const Eigen::ArrayXd truth =
      Eigen::Map<const Eigen::ArrayXf>(groundTruth.data(), n).cast<double>();
  const double intersection = (predicted * truth).sum();
  // Predicted pixels outside every box count against the prediction (the official cIoU).
  const double outside = (predicted > 0.0 && truth == 0.0).cast<double>().sum();
  const double denominator = truth.sum() + outside;
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
