// Helpers shared by the safetensors-backed data packs (AssetPack, ClipPack): images as U8 tensors
// and named lookups with errors that name the pack.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Safetensors.h"

namespace heardmap {

inline TensorData bytesTensor(const std::vector<uint8_t>& pixels, int height, int width,
                              int channels) {
  TensorData t;
  t.dtype = DType::U8;
  t.shape = {height, width, channels};
  t.bytes.assign(reinterpret_cast<const char*>(pixels.data()), pixels.size());
  return t;
}

inline const TensorData& tensorAt(const SafetensorsFile& file, const std::string& what,
                                  const std::string& name) {
  const auto it = file.tensors.find(name);
  if (it == file.tensors.end()) {
    throw JsonError(what + " lacks tensor '" + name + "'");
  }
  return it->second;
}

template <typename Image>
Image imageFrom(const std::string& what, const TensorData& t, int channels) {
  if (t.dtype != DType::U8 || t.shape.size() != 3 || t.shape[2] != channels) {
    throw JsonError(what + " image has shape " + t.shapeString());
  }
  Image image;
  image.height = static_cast<int>(t.shape[0]);
  image.width = static_cast<int>(t.shape[1]);
  image.pixels.assign(t.bytes.begin(), t.bytes.end());
  return image;
}

}  // namespace heardmap
