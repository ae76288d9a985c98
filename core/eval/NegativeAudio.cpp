#include "NegativeAudio.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace heardmap {
namespace {

// Confidence thresholds used for max-F1: the deciles of the observed confidences.
constexpr int kF1Quantiles = 10;

struct Counts {
  double tp = 0.0;
  double fp = 0.0;
  double fn = 0.0;
};

Counts countAt(const std::vector<DetectionSample>& samples, double threshold) {
  Counts c;
  for (const DetectionSample& s : samples) {
    const bool detected = s.confidence >= threshold;
    if (s.positive) {
      if (!detected) {
        c.fn += 1;
      } else if (s.iou >= 0.5) {
        c.tp += 1;
      } else {
        c.fp += 1;
      }
    } else if (detected) {
      c.fp += 1;
    }
  }
  return c;
}

}  // namespace

void toUnitScore(std::vector<float>& map) {
  for (float& v : map) {
    v = (v + 1.0f) / 2.0f;
  }
}

double topQuarterConfidence(const std::vector<float>& unitMap) {
  if (unitMap.empty()) {
    return 0.0;
  }
  std::vector<float> sorted = unitMap;
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  const size_t count = std::max<size_t>(1, sorted.size() / 4);
  return std::accumulate(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(count), 0.0) /
         static_cast<double>(count);
}

DetectionScores detectionScores(const std::vector<DetectionSample>& samples) {
  DetectionScores scores;
  const double positives = static_cast<double>(std::count_if(
      samples.begin(), samples.end(), [](const DetectionSample& s) { return s.positive; }));
  if (samples.empty() || positives == 0.0) {
    return scores;
  }
  double positiveHits = 0.0;
  for (const DetectionSample& s : samples) {
    positiveHits += (s.positive && s.iou >= 0.5) ? 1.0 : 0.0;
  }
  scores.precisionAt50 = 100.0 * positiveHits / positives;

  // PR curve over every distinct confidence, from high to low.
  std::vector<double> thresholds;
  for (const DetectionSample& s : samples) {
    thresholds.push_back(s.confidence);
  }
  std::sort(thresholds.begin(), thresholds.end(), std::greater<double>());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  std::vector<double> recall;
  std::vector<double> precision;
  for (const double t : thresholds) {
    const Counts c = countAt(samples, t);
    recall.push_back(c.tp / positives);
    precision.push_back(c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 1.0);
  }
  // Max-precision envelope (precision at recall r = best precision at recall >= r), then the
  // area as a sum over recall steps (VOC all-point interpolation).
  for (size_t i = precision.size(); i-- > 1;) {
    precision[i - 1] = std::max(precision[i - 1], precision[i]);
  }
  double ap = 0.0;
  double previousRecall = 0.0;
  for (size_t i = 0; i < recall.size(); ++i) {
    ap += (recall[i] - previousRecall) * precision[i];
    previousRecall = recall[i];
  }
  scores.averagePrecision = 100.0 * ap;

  std::vector<double> sorted = thresholds;
  std::sort(sorted.begin(), sorted.end());
  double bestF1 = 0.0;
  for (int q = 0; q < kF1Quantiles; ++q) {
    const double t = sorted[static_cast<size_t>(q * (sorted.size() - 1) / (kF1Quantiles - 1))];
    const Counts c = countAt(samples, t);
    const double p = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0.0;
    const double r = c.tp / positives;
    if (p + r > 0) {
      bestF1 = std::max(bestF1, 2 * p * r / (p + r));
    }
  }
  scores.maxF1 = 100.0 * bestF1;
  return scores;
}

double areaAboveThreshold(const std::vector<float>& unitMap, double threshold) {
  if (unitMap.empty()) {
    return 0.0;
  }
  return static_cast<double>(std::count_if(unitMap.begin(), unitMap.end(),
                                           [threshold](float v) { return v >= threshold; })) /
         static_cast<double>(unitMap.size());
}

double areaOverCurve(const std::vector<double>& perSampleArea) {
  if (perSampleArea.empty()) {
    return 0.0;
  }
  double area = 0.0;
  double previous = 0.0;
  for (int i = 0; i <= 20; ++i) {
    const double t = 0.05 * i;
    const double fraction =
        static_cast<double>(std::count_if(perSampleArea.begin(), perSampleArea.end(),
                                          [t](double a) { return a <= t; })) /
        static_cast<double>(perSampleArea.size());
    if (i > 0) {
      area += 0.05 * (fraction + previous) / 2.0;
    }
    previous = fraction;
  }
  return 100.0 * area;
}

}  // namespace heardmap
