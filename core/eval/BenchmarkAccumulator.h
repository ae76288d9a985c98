// Collects one model's heatmaps over the synthetic benchmark's scenes and computes the table:
// per condition cIoU / AUC (relative, absolute and adaptive conventions), IIoU for multi-source
// scenes, fixed-scale score statistics (max of (cos+1)/2, pIA), and SLAVC AP / max-F1 over
// positives + negatives. Every number carries its convention in its name.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "Localization.h"
#include "NegativeAudio.h"
#include "OfficialRule.h"
#include "SampleCondition.h"
#include "core/Heatmap.h"
#include "core/Json.h"

namespace heardmap {

// Evaluation grid side (the papers' 224).
constexpr int kEvalGridSize = 224;

struct ConditionResult {
  SceneCondition condition = SceneCondition::Invalid;
  int samples = 0;
  SuccessCurve relative;      // top-50 % prediction (EZ-VSL / FNAC / SLAVC)
  SuccessCurve absolute;      // min-max map >= 0.5 (SSPL, original cIoU)
  SuccessCurve adaptive;      // top-K, K = ground-truth area
  SuccessCurve instance;      // IIoU (multi-source only), relative prediction per instance
  SuccessCurve official;      // the model's own rule (BenchmarkResult::officialRule)
  double meanMaxScore = 0.0;  // mean over samples of max (cos+1)/2
  double medianMaxScore = 0.0;
  double meanAreaAbove = 0.0;     // pIA: mean fraction of the image with (cos+1)/2 >= threshold
  double areaOverCurve = 0.0;     // AOC of pIA (negatives), x100
  std::vector<double> maxScores;  // per sample, for histograms
};

// One sample's numbers. The IoUs are NaN where the sample has no ground truth (negatives).
struct SampleScores {
  double maxScore = 0.0;   // max of (cos+1)/2 over the upsampled map
  double areaAbove = 0.0;  // fraction of the map with (cos+1)/2 >= the score threshold
  double relative = std::numeric_limits<double>::quiet_NaN();  // cIoU, top-50 % prediction
  double absolute = std::numeric_limits<double>::quiet_NaN();  // cIoU, min-max map >= 0.5
  double adaptive = std::numeric_limits<double>::quiet_NaN();  // cIoU, top-K (K = box area)
  double official = std::numeric_limits<double>::quiet_NaN();  // cIoU by the model's own rule
};

struct BenchmarkResult {
  std::string method;
  OfficialRule officialRule = OfficialRule::Ezvsl;  // what ConditionResult::official applies
  double scoreThreshold = 0.5;                      // for pIA, in (cos+1)/2 units
  std::vector<ConditionResult> conditions;
  DetectionScores detection;  // SLAVC: positive scenes vs silence + noise + offscreen

  Json toJson() const;
};

// What one evaluated sample should show, on the kEvalGridSize grid.
struct EvalTarget {
  SceneCondition condition = SceneCondition::Invalid;
  std::vector<float> groundTruth;  // kEvalGridSize^2; empty when nothing should be localised
  // Instance-level evaluation (IIoU): each instance's own map, grouped per image by `group`.
  std::vector<std::vector<float>> instanceGroundTruths;
  std::string group;
};

class BenchmarkAccumulator {
 public:
  // rule: the model's own (OfficialRule) for the `official` numbers; temperature: its tau.
  BenchmarkAccumulator(std::string method, double scoreThreshold,
                       OfficialRule rule = OfficialRule::Ezvsl, double temperature = 0.03);
  // heatmap: the model's raw cosine map for the sample.
  // Scores one sample and returns its own numbers (the per-sample rows of heardmap eval).
  SampleScores add(const EvalTarget& target, const Heatmap& heatmap);
  BenchmarkResult finish() const;

 private:
  struct Samples {
    std::vector<double> relative, absolute, adaptive, official, maxScores, areaAbove;
    std::map<std::string, std::vector<double>> instances;  // group -> instance IoUs
  };
  std::string method_;
  double scoreThreshold_;
  OfficialRule rule_;
  double temperature_;
  std::map<SceneCondition, Samples> samples_;
  std::vector<DetectionSample> detection_;
};

// Markdown table of several models' results (one row per method x condition).
std::string benchmarkMarkdown(const std::vector<BenchmarkResult>& results);
// The same as CSV with a header row.
std::string benchmarkCsv(const std::vector<BenchmarkResult>& results);

}  // namespace heardmap
