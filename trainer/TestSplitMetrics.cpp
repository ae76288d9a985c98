#include "TestSplitMetrics.h"

namespace heardmap {

SceneSynthesizer testSplitScenes(const AssetPack& pack, const PreprocessingContract& contract) {
  SynthesisOptions options;
  options.imageSize = kEvalGridSize;
  options.sampleRateHz = contract.sampleRateHz;
  options.windowSeconds = contract.windowSeconds;
  options.split = Split::Test;
  return SceneSynthesizer(pack, options);
}

BenchmarkResult evaluateTestSplit(LocalizationModel& model, const SceneSynthesizer& test,
                                  int perCondition) {
  BenchmarkAccumulator accumulator(model.info().displayName(), 0.5);
  for (SceneCondition condition : allConditions()) {
    for (int i = 0; i < perCondition; ++i) {
      const Scene scene = test.make(SceneSynthesizer::testSeed(condition, i), condition);
      accumulator.add(scene, model.localize(scene.image, scene.audio));
    }
  }
  return accumulator.finish();
}

Json compactMetrics(const BenchmarkResult& result) {
  Json j(Json::Object{});
  for (const ConditionResult& c : result.conditions) {
    Json row(Json::Object{});
    if (hasVisibleSource(c.condition)) {
      row["ciou50_relative"] = Json(c.relative.successAt50);
      row["auc_relative"] = Json(c.relative.auc);
      row["ciou50_adaptive"] = Json(c.adaptive.successAt50);
    }
    row["mean_max_unit"] = Json(c.meanMaxScore);
    row["mean_pia"] = Json(c.meanAreaAbove);
    j[conditionName(c.condition)] = row;
  }
  j["slavc_ap"] = Json(result.detection.averagePrecision);
  j["slavc_max_f1"] = Json(result.detection.maxF1);
  j["samples_per_condition"] =
      Json(result.conditions.empty() ? 0 : result.conditions.front().samples);
  j["split"] = Json("synthetic test split (fixed seeds)");
  return j;
}

}  // namespace heardmap
