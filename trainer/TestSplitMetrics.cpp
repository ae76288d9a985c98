#include "TestSplitMetrics.h"

#include <memory>
#include <stdexcept>

#include "core/ml/InferenceWorker.h"

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
  // The visual and the audio pass of each scene on parallel lanes of one torch thread each (as
  // the app's views run): the same maps as one pass after the other on one thread.
  InferenceWorker worker;
  worker.setModels({std::shared_ptr<LocalizationModel>(&model, [](LocalizationModel*) {})});
  for (SceneCondition condition : allConditions()) {
    for (int i = 0; i < perCondition; ++i) {
      const Scene scene = test.make(SceneSynthesizer::testSeed(condition, i), condition);
      const InferenceResult result = worker.infer({scene.image, {scene.audio}, 0});
      if (!result.errors.front().empty()) {
        throw std::runtime_error("test split: " + result.errors.front());
      }
      accumulator.add(evalTargetOf(scene), result.heatmaps.front());
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
