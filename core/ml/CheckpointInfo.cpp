#include "CheckpointInfo.h"

namespace heardmap {

// Value of the "format" metadata key in checkpoints this program writes.
constexpr const char* kFormatTag = "heardmap-checkpoint-1";

std::map<std::string, std::string> CheckpointInfo::toMetadata() const {
  std::map<std::string, std::string> m;
  m["format"] = kFormatTag;
  m["method"] = config.method;
  m["config"] = config.toJson().dump();
  m["contract"] = contract.toJson().dump();
  m["trained"] = trained ? "true" : "false";
  m["training"] = training.isNull() ? "{}" : training.dump();
  m["metrics"] = metrics.isNull() ? "{}" : metrics.dump();
  return m;
}

CheckpointInfo CheckpointInfo::fromMetadata(const std::map<std::string, std::string>& metadata) {
  const auto get = [&](const std::string& key) -> const std::string& {
    const auto it = metadata.find(key);
    if (it == metadata.end()) {
      throw CheckpointError("checkpoint metadata lacks '" + key + "'");
    }
    return it->second;
  };
  CheckpointInfo info;
  try {
    info.config = ModelConfig::fromJson(Json::parse(get("config")));
    info.config.method = get("method");
    info.contract = PreprocessingContract::fromJson(Json::parse(get("contract")));
    info.trained = get("trained") == "true";
    info.training = metadata.count("training") ? Json::parse(metadata.at("training")) : Json();
    info.metrics = metadata.count("metrics") ? Json::parse(metadata.at("metrics")) : Json();
  } catch (const JsonError& e) {
    throw CheckpointError(std::string("checkpoint metadata: ") + e.what());
  }
  return info;
}

std::string CheckpointInfo::displayName() const {
  return config.method + " " + config.variantName() + (trained ? "" : " (untrained)");
}

}  // namespace heardmap
