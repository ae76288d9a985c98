#include "ShipCheckpoint.h"

#include <filesystem>
#include <stdexcept>

#include "TestSplitMetrics.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {

uintmax_t shipCheckpoint(const std::string& inputPath, const std::string& outputPath,
                         const ShipOptions& options) {
  if (options.evalPerCondition > 0 && options.packPath.empty()) {
    throw std::invalid_argument("re-evaluating a shipped checkpoint needs the asset pack (--pack)");
  }
  const std::unique_ptr<LocalizationModel> model = LocalizationModel::load(inputPath);
  CheckpointInfo& info = model->info();
  if (!info.training.isObject()) {
    info.training = Json(Json::Object{});
  }
  info.training["stored_as"] = Json("fp16, without training-only heads");
  info.training["shipped_from"] = Json(std::filesystem::path(inputPath).filename().string());
  if (options.evalPerCondition > 0) {
    // The table of the weights as shipped: rounded to fp16 before the evaluation.
    const AssetPack pack = AssetPack::load(options.packPath);
    model->loadWeights(model->stateDict(DType::F16, /*inferenceOnly=*/true), /*allowMissing=*/true);
    const SceneSynthesizer test = testSplitScenes(pack, model->contract());
    info.metrics = compactMetrics(evaluateTestSplit(*model, test, options.evalPerCondition));
  }
  model->save(outputPath, DType::F16, /*inferenceOnly=*/true);
  return std::filesystem::file_size(outputPath);
}

}  // namespace heardmap
