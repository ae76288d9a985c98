#include "ModelConfig.h"

#include <cmath>
#include <stdexcept>

#include "core/Methods.h"

namespace heardmap {

Architecture ModelConfig::defaultArchitecture(const std::string& method) {
  const MethodInfo* row = findMethod(method);
  return row != nullptr ? row->architectures.front() : Architecture::EzvslFamily;
}

Architecture ModelConfig::network() const {
  const MethodInfo* row = findMethod(method);
  return row != nullptr && row->accepts(architecture) ? architecture : defaultArchitecture(method);
}

ModelConfig ModelConfig::full() {
  return ModelConfig{};
}

ModelConfig ModelConfig::compact() {
  ModelConfig c;
  c.baseWidth = 32;
  c.embedDim = 128;
  return c;
}

ModelConfig ModelConfig::small() {
  ModelConfig c;
  c.baseWidth = 24;
  c.embedDim = 128;
  return c;
}

ModelConfig ModelConfig::named(const std::string& variant) {
  if (variant == "full") {
    return full();
  }
  if (variant == "compact") {
    return compact();
  }
  if (variant == "small") {
    return small();
  }
  throw std::invalid_argument("unknown model variant '" + variant + "' (full, compact or small)");
}

std::string ModelConfig::variantName() const {
  if (baseWidth == 64 && embedDim == 512) {
    return "full";
  }
  if (baseWidth == 32 && embedDim == 128) {
    return "compact";
  }
  if (baseWidth == 24 && embedDim == 128) {
    return "small";
  }
  return "custom";
}

Json ModelConfig::toJson() const {
  Json j(Json::Object{});
  j["method"] = Json(method);
  j["architecture"] = Json(architectureName(network()));
  j["base_width"] = Json(baseWidth);
  j["embed_dim"] = Json(embedDim);
  j["temperature"] = Json(temperature);
  j["variant"] = Json(variantName());
  j["layer4_stride"] = Json(layer4Stride);
  j["image_padding"] = Json(imagePadding);
  if (network() == Architecture::SsplVgg) {
    j["sound_width"] = Json(soundWidth);
    j["embedding_hidden"] = Json(embeddingHidden);
    j["sound_fc_hidden"] = Json(soundFcHidden);
    j["audio_out_dim"] = Json(audioOutDim);
    j["pcm_cycles"] = Json(pcmCycles);
  }
  return j;
}

namespace {

// Largest softmax temperature accepted from a file (the papers use 0.03 to 0.07).
constexpr double kMaxTemperature = 10.0;

[[noreturn]] void badConfig(const std::string& field, const std::string& why) {
  throw JsonError("'" + field + "' " + why);
}

// An integer field in [low, high]; required when fallback is below low.
int configInt(const Json& j, const std::string& field, int fallback, int low, int high) {
  return static_cast<int>(fallback >= low ? j.intOr(field, fallback, low, high)
                                          : j.intAt(field, low, high));
}

ModelConfig parseConfig(const Json& j) {
  ModelConfig c;
  c.method = j.stringOr("method", c.method);
  if (!isMethodName(c.method)) {
    badConfig("method", "is not a known method: " + Json(c.method).dump());
  }
  c.architecture = ModelConfig::defaultArchitecture(c.method);
  if (j.contains("architecture") &&
      (!j.at("architecture").isString() ||
       !architectureFromName(j.at("architecture").asString(), &c.architecture) ||
       !findMethod(c.method)->accepts(c.architecture))) {
    badConfig("architecture", "must be a network the method " + c.method + " has, not " +
                                  j.at("architecture").dump());
  }
  c.baseWidth = configInt(j, "base_width", -1, 4, 256);
  c.embedDim = configInt(j, "embed_dim", -1, 1, 4096);
  c.temperature = j.numberOr("temperature", c.temperature);
  if (!std::isfinite(c.temperature) || c.temperature <= 0 || c.temperature > kMaxTemperature) {
    badConfig("temperature", "must be in (0, 10], not " + j.at("temperature").dump());
  }
  c.layer4Stride = configInt(j, "layer4_stride", 2, 1, 2);
  c.imagePadding = j.stringOr("image_padding", c.imagePadding);
  if (!ModelConfig::isImagePadding(c.imagePadding)) {
    badConfig("image_padding", "must be zeros or circular, not " + Json(c.imagePadding).dump());
  }
  if (c.architecture == Architecture::SsplVgg) {
    c.soundWidth = configInt(j, "sound_width", c.soundWidth, 1, 256);
    c.embeddingHidden = configInt(j, "embedding_hidden", c.embeddingHidden, 1, 16384);
    c.soundFcHidden = configInt(j, "sound_fc_hidden", c.soundFcHidden, 1, 16384);
    c.audioOutDim = configInt(j, "audio_out_dim", c.audioOutDim, 1, 16384);
    c.pcmCycles = configInt(j, "pcm_cycles", c.pcmCycles, 0, 64);
  }
  const std::string variant = j.stringOr("variant", "custom");
  if (variant != "full" && variant != "compact" && variant != "small" && variant != "custom") {
    badConfig("variant", "must be full, compact, small or custom, not " + Json(variant).dump());
  }
  return c;
}

}  // namespace

ModelConfig ModelConfig::fromJson(const Json& json) {
  // Every message names its block: the field helpers name only the field.
  try {
    return parseConfig(json);
  } catch (const JsonError& e) {
    throw JsonError(std::string("model config: ") + e.what());
  }
}

}  // namespace heardmap
