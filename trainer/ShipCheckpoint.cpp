#include "ShipCheckpoint.h"

#include <filesystem>

#include "core/ml/LocalizationModel.h"

namespace heardmap {

uintmax_t shipCheckpoint(const std::string& inputPath, const std::string& outputPath) {
  const std::unique_ptr<LocalizationModel> model = LocalizationModel::load(inputPath);
  CheckpointInfo& info = model->info();
  if (!info.training.isObject()) {
    info.training = Json(Json::Object{});
  }
  info.training["stored_as"] = Json("fp16, without training-only heads");
  info.training["shipped_from"] = Json(std::filesystem::path(inputPath).filename().string());
  model->save(outputPath, DType::F16, /*inferenceOnly=*/true);
  return std::filesystem::file_size(outputPath);
}

}  // namespace heardmap
