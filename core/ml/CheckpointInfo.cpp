#include "CheckpointInfo.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/Methods.h"

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
    const Json config = Json::parse(get("config"));
    info.config = ModelConfig::fromJson(config);
    info.config.method = get("method");
    if (!isMethodName(info.config.method)) {
      throw JsonError("'method' is not a known method: " + Json(info.config.method).dump());
    }
    if (!config.contains("architecture")) {  // files from before the field: the method's network
      info.config.architecture = ModelConfig::defaultArchitecture(info.config.method);
    } else if (!findMethod(info.config.method)->accepts(info.config.architecture)) {
      throw JsonError("'architecture' " + architectureName(info.config.architecture) +
                      " is not a network of the method " + info.config.method);
    }
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

std::string CheckpointInfo::provenance() const {
  if (!trained) {
    return "untrained";
  }
  std::string text = "trained";
  if (training.isObject() && training.contains("steps_done")) {
    text += " " + std::to_string(std::llround(training.numberOr("steps_done", 0))) + " steps";
    const std::string init = training.stringOr("init", "");
    if (!init.empty()) {  // fine-tuned: name the checkpoint it started from
      text += " from " + std::filesystem::path(init).filename().string();
    }
    const std::string device = training.stringOr("device", "");
    if (!device.empty()) {
      text += " on " + device.substr(0, device.find(','));  // "cpu (2 threads)", "cuda"
    }
    const double wallSeconds = training.numberOr("wall_seconds", 0.0);
    if (wallSeconds > 0.0) {
      text += " in " + std::to_string(std::max(1LL, std::llround(wallSeconds / 60.0))) + " min";
    }
    // Issue 20: a model of synthetic scenes says so; on real video it is below the centre prior.
    if (training.stringOr("data", "").rfind("synthetic scenes", 0) == 0) {
      text += " on synthetic scenes (not real video: docs/models.md)";
    }
  }
  if (metrics.isObject() && metrics.contains("positive") && metrics.at("positive").isObject()) {
    const Json& positive = metrics.at("positive");
    char scores[160];
    std::snprintf(
        scores, sizeof scores, "; test split (%lld scenes per condition): cIoU@0.5 %.1f, AUC %.1f",
        std::llround(metrics.numberOr("samples_per_condition", 0)),
        positive.numberOr("ciou50_relative", NAN), positive.numberOr("auc_relative", NAN));
    text += scores;
  }
  return text;
}

}  // namespace heardmap
