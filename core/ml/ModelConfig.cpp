#include "ModelConfig.h"

#include <stdexcept>

namespace heardmap {

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
  j["base_width"] = Json(baseWidth);
  j["embed_dim"] = Json(embedDim);
  j["temperature"] = Json(temperature);
  j["variant"] = Json(variantName());
  j["layer4_stride"] = Json(layer4Stride);
  j["image_padding"] = Json(imagePadding);
  return j;
}

ModelConfig ModelConfig::fromJson(const Json& j) {
  ModelConfig c;
  c.method = j.stringOr("method", c.method);
  c.baseWidth = static_cast<int>(j.at("base_width").asInt());
  c.embedDim = static_cast<int>(j.at("embed_dim").asInt());
  c.temperature = j.numberOr("temperature", c.temperature);
  c.layer4Stride = static_cast<int>(j.numberOr("layer4_stride", 2.0));
  c.imagePadding = j.stringOr("image_padding", c.imagePadding);
  if (!isImagePadding(c.imagePadding)) {
    throw JsonError("model config: image_padding must be zeros or circular, not '" +
                    c.imagePadding + "'");
  }
  if (c.baseWidth < 4 || c.baseWidth > 256 || c.embedDim < 1 || c.embedDim > 4096 ||
      c.temperature <= 0 || (c.layer4Stride != 1 && c.layer4Stride != 2)) {
    throw JsonError("model config out of range: " + j.dump());
  }
  return c;
}

}  // namespace heardmap
