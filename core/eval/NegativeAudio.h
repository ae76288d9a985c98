// Metrics for audio that should localise nothing (silence, noise, off-screen sound):
// SLAVC's detection AP / max-F1 over positive + negative pairs, and the ICASSP'25 / SSL-SaN line's
// fixed-scale statistics (per-sample max, pIA, AOC). Maps here are (cos + 1) / 2, never min-maxed.
#pragma once

#include <vector>

namespace heardmap {

// Maps raw cosine scores to (cos + 1) / 2 in place.
void toUnitScore(std::vector<float>& map);
// SLAVC confidence: mean of the top 25 % of the fixed-normalised map's pixels.
double topQuarterConfidence(const std::vector<float>& unitMap);

struct DetectionSample {
  bool positive = true;  // the audio belongs to a visible source (has ground truth)
  double confidence = 0.0;
  double iou = 0.0;  // cIoU with the ground truth (positives only)
};

struct DetectionScores {
  double averagePrecision = 0.0;  // x100, area under the max-precision envelope of the PR curve
  double maxF1 = 0.0;             // x100, best F1 over the confidence deciles
  double precisionAt50 = 0.0;     // x100, cIoU@0.5 on positives ("Precision" in the SLAVC table)
};

// SLAVC rule at confidence c: positive & conf >= c & IoU >= 0.5 -> TP; positive & conf >= c &
// IoU < 0.5 -> FP; positive & conf < c -> FN; negative & conf >= c -> FP.
DetectionScores detectionScores(const std::vector<DetectionSample>& samples);

// Fraction of the image whose unit score is at least threshold (pIA, as a fraction).
double areaAboveThreshold(const std::vector<float>& unitMap, double threshold);
// Area under "fraction of samples with pIA <= t" for t = 0, 0.05, ..., 1 (x100; higher = quieter).
double areaOverCurve(const std::vector<double>& perSampleArea);

}  // namespace heardmap
