#include "BenchmarkAccumulator.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "GroundTruth.h"
#include "core/CsvField.h"

namespace heardmap {
namespace {

double mean(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double median(std::vector<double> v) {
  if (v.empty()) {
    return 0.0;
  }
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Json curveJson(const SuccessCurve& c) {
  Json j(Json::Object{});
  j["success_at_0.5"] = Json(c.successAt50);
  j["auc"] = Json(c.auc);
  j["mean_iou"] = Json(c.meanIoU);
  Json::Array rates;
  for (double r : c.rates) {
    rates.emplace_back(r);
  }
  j["success_rates_0_to_1_step_0.05"] = Json(rates);
  return j;
}

}  // namespace

BenchmarkAccumulator::BenchmarkAccumulator(std::string method, double scoreThreshold,
                                           OfficialRule rule, double temperature)
    : method_(std::move(method)),
      scoreThreshold_(scoreThreshold),
      rule_(rule),
      temperature_(temperature) {}

SampleScores BenchmarkAccumulator::add(const EvalTarget& target, const Heatmap& heatmap) {
  SampleScores scores;
  Samples& s = samples_[target.condition];
  const std::vector<float> upsampled = upsampleAlignCorners(
      heatmap.scores, heatmap.width, heatmap.height, kEvalGridSize, kEvalGridSize);
  std::vector<float> unit = upsampled;
  toUnitScore(unit);
  scores.maxScore = *std::max_element(unit.begin(), unit.end());
  scores.areaAbove = areaAboveThreshold(unit, scoreThreshold_);
  s.maxScores.push_back(scores.maxScore);
  s.areaAbove.push_back(scores.areaAbove);
  const double confidence = topQuarterConfidence(unit);

  if (target.groundTruth.empty()) {
    if (!hasVisibleSource(target.condition)) {
      detection_.push_back({false, confidence, 0.0});
    }
    return scores;  // negatives, or unlabelled clips (score statistics only)
  }
  std::vector<float> normalized = upsampled;
  minMaxNormalize(normalized);
  const std::vector<float>& gt = target.groundTruth;
  const double relative =
      consensusIoU(binarize(normalized, PredictionRule::RelativeMedian, gt), gt);
  scores.relative = relative;
  scores.absolute = consensusIoU(binarize(normalized, PredictionRule::AbsoluteHalf, gt), gt);
  scores.adaptive = consensusIoU(binarize(normalized, PredictionRule::AdaptiveTopK, gt), gt);
  s.relative.push_back(scores.relative);
  s.absolute.push_back(scores.absolute);
  s.adaptive.push_back(scores.adaptive);
  // EZ-VSL's own rule is the relative one just computed; only other rules need their own pass.
  scores.official =
      rule_ == OfficialRule::Ezvsl
          ? relative
          : consensusIoU(officialPrediction(heatmap.scores, heatmap.width, heatmap.height, rule_,
                                            temperature_, kEvalGridSize),
                         gt);
  s.official.push_back(scores.official);
  // IS3 evaluates each instance against its own box with the adaptive (top-K) prediction.
  for (const std::vector<float>& instanceGt : target.instanceGroundTruths) {
    s.instances[target.group].push_back(
        consensusIoU(binarize(normalized, PredictionRule::AdaptiveTopK, instanceGt), instanceGt));
  }
  if (target.condition == SceneCondition::Positive) {
    detection_.push_back({true, confidence, relative});
  }
  return scores;
}

BenchmarkResult BenchmarkAccumulator::finish() const {
  BenchmarkResult result;
  result.method = method_;
  result.officialRule = rule_;
  result.scoreThreshold = scoreThreshold_;
  for (SceneCondition condition : allConditions()) {
    const auto it = samples_.find(condition);
    if (it == samples_.end()) {
      continue;
    }
    const Samples& s = it->second;
    ConditionResult r;
    r.condition = condition;
    r.samples = static_cast<int>(s.maxScores.size());
    if (hasVisibleSource(condition) && !s.relative.empty()) {
      r.relative = successCurve(s.relative);
      r.absolute = successCurve(s.absolute);
      r.adaptive = successCurve(s.adaptive);
      r.official = successCurve(s.official);
      if (!s.instances.empty()) {
        std::vector<std::vector<double>> groups;
        for (const auto& [group, ious] : s.instances) {
          groups.push_back(ious);
        }
        r.instance = instanceSuccessCurve(groups);
      }
    } else {
      r.areaOverCurve = areaOverCurve(s.areaAbove);
    }
    r.meanMaxScore = mean(s.maxScores);
    r.medianMaxScore = median(s.maxScores);
    r.meanAreaAbove = mean(s.areaAbove);
    r.maxScores = s.maxScores;
    result.conditions.push_back(r);
  }
  result.detection = detectionScores(detection_);
  return result;
}

Json BenchmarkResult::toJson() const {
  Json j(Json::Object{});
  j["method"] = Json(method);
  j["official_rule"] = Json(officialRuleName(officialRule));
  j["score_threshold_unit"] = Json(scoreThreshold);
  j["conventions"] = Json(
      "cIoU@0.5 and AUC are x100 over cIoU thresholds 0:0.05:1 (trapezoid); 'relative' = top 50% "
      "of "
      "the min-max map (EZ-VSL), 'absolute' = min-max map >= 0.5 (SSPL), 'adaptive' = top-K with K "
      "= "
      "GT area; max score and pIA use (cos+1)/2 without min-max; SLAVC AP/max-F1 use the mean of "
      "the "
      "top 25% of (cos+1)/2 as confidence, positives = positive scenes, negatives = silence, "
      "noise, "
      "offscreen; 'official' = the model's own test.py rule ('official_rule': ezvsl = relative "
      "with bilinear align_corners upsampling, slavc = bicubic align_corners upsampling of S_AVL "
      "scaled by [-1/tau, 1/tau], >= 0.5)");
  Json conditionsJson(Json::Object{});
  for (const ConditionResult& r : conditions) {
    Json c(Json::Object{});
    c["samples"] = Json(r.samples);
    if (hasVisibleSource(r.condition)) {
      c["relative"] = curveJson(r.relative);
      c["absolute"] = curveJson(r.absolute);
      c["adaptive"] = curveJson(r.adaptive);
      c["official"] = curveJson(r.official);
      if (!r.instance.rates.empty()) {
        c["iiou_adaptive"] = curveJson(r.instance);
      }
    } else {
      c["pia_aoc"] = Json(r.areaOverCurve);
    }
    c["mean_max_score_unit"] = Json(r.meanMaxScore);
    c["median_max_score_unit"] = Json(r.medianMaxScore);
    c["mean_pia"] = Json(r.meanAreaAbove);
    conditionsJson[conditionName(r.condition)] = c;
  }
  j["conditions"] = conditionsJson;
  Json detectionJson(Json::Object{});
  detectionJson["ap"] = Json(detection.averagePrecision);
  detectionJson["max_f1"] = Json(detection.maxF1);
  detectionJson["precision_ciou_0.5"] = Json(detection.precisionAt50);
  j["slavc_detection"] = detectionJson;
  return j;
}

std::string benchmarkMarkdown(const std::vector<BenchmarkResult>& results) {
  std::string out;
  char line[512];
  out +=
      "| method | condition | n | cIoU@0.5 rel | AUC rel | cIoU@0.5 abs | cIoU@0.5 adap | IIoU@0.5 "
      "adap | "
      "max (cos+1)/2 mean | pIA mean | pIA AOC |\n";
  out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const BenchmarkResult& r : results) {
    for (const ConditionResult& c : r.conditions) {
      const bool positive = hasVisibleSource(c.condition);
      const auto num = [&](bool show, double v) {
        char b[32];
        std::snprintf(b, sizeof(b), "%.1f", v);
        return show ? std::string(b) : std::string("-");
      };
      std::snprintf(
          line, sizeof(line), "| %s | %s | %d | %s | %s | %s | %s | %s | %.3f | %.3f | %s |\n",
          r.method.c_str(), conditionName(c.condition).c_str(), c.samples,
          num(positive, c.relative.successAt50).c_str(), num(positive, c.relative.auc).c_str(),
          num(positive, c.absolute.successAt50).c_str(),
          num(positive, c.adaptive.successAt50).c_str(),
          num(!c.instance.rates.empty(), c.instance.successAt50).c_str(), c.meanMaxScore,
          c.meanAreaAbove, num(!positive, c.areaOverCurve).c_str());
      out += line;
    }
  }
  out +=
      "\n| method | SLAVC AP | SLAVC max-F1 | precision (cIoU@0.5 rel, positives) "
      "|\n|---|---:|---:|---:|\n";
  for (const BenchmarkResult& r : results) {
    std::snprintf(line, sizeof(line), "| %s | %.1f | %.1f | %.1f |\n", r.method.c_str(),
                  r.detection.averagePrecision, r.detection.maxF1, r.detection.precisionAt50);
    out += line;
  }
  out += "\n| method | own rule | condition | cIoU@0.5 | AUC |\n|---|---|---|---:|---:|\n";
  for (const BenchmarkResult& r : results) {
    for (const ConditionResult& c : r.conditions) {
      if (hasVisibleSource(c.condition)) {
        std::snprintf(line, sizeof(line), "| %s | %s | %s | %.1f | %.1f |\n", r.method.c_str(),
                      officialRuleName(r.officialRule).c_str(), conditionName(c.condition).c_str(),
                      c.official.successAt50, c.official.auc);
        out += line;
      }
    }
  }
  if (!results.empty()) {
    std::snprintf(line, sizeof(line),
                  "\npIA = fraction of the image with (cos+1)/2 >= %.2f; all scores x100 except "
                  "max and pIA.\n",
                  results.front().scoreThreshold);
    out += line;
  }
  return out;
}

std::string benchmarkCsv(const std::vector<BenchmarkResult>& results) {
  std::string out =
      "method,condition,samples,ciou50_relative,auc_relative,ciou50_absolute,auc_absolute,ciou50_"
      "adaptive,"
      "auc_adaptive,iiou50_adaptive,mean_max_unit,median_max_unit,mean_pia,pia_aoc,slavc_ap,slavc_"
      "max_f1,official_rule,ciou50_official,auc_official\n";
  char line[512];
  for (const BenchmarkResult& r : results) {
    for (const ConditionResult& c : r.conditions) {
      std::snprintf(
          line, sizeof(line),
          ",%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.5f,%.5f,%.5f,%.4f,%.4f,%.4f,%s,%.4f,"
          "%.4f\n",
          conditionName(c.condition).c_str(), c.samples, c.relative.successAt50, c.relative.auc,
          c.absolute.successAt50, c.absolute.auc, c.adaptive.successAt50, c.adaptive.auc,
          c.instance.successAt50, c.meanMaxScore, c.medianMaxScore, c.meanAreaAbove,
          c.areaOverCurve, r.detection.averagePrecision, r.detection.maxF1,
          officialRuleName(r.officialRule).c_str(), c.official.successAt50, c.official.auc);
      out += csvField(r.method) + line;  // a model name holds its file name: quoted if need be
    }
  }
  return out;
}

}  // namespace heardmap
