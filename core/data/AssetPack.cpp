#include "AssetPack.h"

#include <cstring>
#include <stdexcept>

#include "PackTensors.h"
#include "core/Safetensors.h"

namespace heardmap {
namespace {

// Version tag of the pack layout.
constexpr const char* kPackFormat = "heardmap-asset-pack-1";

}  // namespace

std::string splitName(Split split) {
  switch (split) {
    case Split::Train:
      return "train";
    case Split::Test:
      return "test";
    case Split::Invalid:
      break;
  }
  return "invalid";
}

Split splitFromName(const std::string& name) {
  if (name == "train") {
    return Split::Train;
  }
  if (name == "test") {
    return Split::Test;
  }
  return Split::Invalid;
}

void AssetPack::save(const std::string& path) const {
  SafetensorsFile file;
  Json::Array objectList;
  for (size_t i = 0; i < objects.size(); ++i) {
    const PackObject& o = objects[i];
    Json entry(Json::Object{});
    entry["name"] = Json(o.name);
    entry["category"] = Json(o.category);
    entry["description"] = Json(o.description);
    entry["image_source"] = Json(o.imageSource);
    entry["sound_source"] = Json(o.soundSource);
    entry["split"] = Json(splitName(o.split));
    objectList.push_back(entry);
    file.tensors["object." + std::to_string(i) + ".rgba"] =
        bytesTensor(o.image.pixels, o.image.height, o.image.width, 4);
    if (o.sounding()) {
      file.tensors["object." + std::to_string(i) + ".sound"] =
          TensorData::fromFloat({static_cast<int64_t>(o.sound.size())}, o.sound.data(), DType::F16);
    }
  }
  Json::Array backgroundList;
  for (size_t i = 0; i < backgrounds.size(); ++i) {
    const PackBackground& b = backgrounds[i];
    Json entry(Json::Object{});
    entry["source"] = Json(b.source);
    entry["split"] = Json(splitName(b.split));
    backgroundList.push_back(entry);
    file.tensors["background." + std::to_string(i) + ".rgb"] =
        bytesTensor(b.image.pixels, b.image.height, b.image.width, 3);
  }
  Json pack(Json::Object{});
  pack["sound_rate_hz"] = Json(soundRateHz);
  pack["licence"] = Json(licence);
  pack["objects"] = Json(objectList);
  pack["backgrounds"] = Json(backgroundList);
  file.metadata["format"] = kPackFormat;
  file.metadata["pack"] = pack.dump();
  saveSafetensors(path, file);
}

AssetPack AssetPack::load(const std::string& path) {
  const SafetensorsFile file = loadSafetensors(path);
  const auto format = file.metadata.find("format");
  if (format == file.metadata.end() || format->second != kPackFormat ||
      file.metadata.count("pack") == 0) {
    throw JsonError(path + ": not a Heardmap asset pack (make one with `heardmap data pack`)");
  }
  const Json pack = Json::parse(file.metadata.at("pack"));
  AssetPack out;
  out.soundRateHz = static_cast<int>(pack.intAt("sound_rate_hz", 1000, 384000));
  out.licence = pack.stringOr("licence", "");
  const Json::Array& objectList = pack.at("objects").asArray();
  for (size_t i = 0; i < objectList.size(); ++i) {
    const Json& entry = objectList[i];
    PackObject o;
    o.name = entry.at("name").asString();
    o.category = entry.stringOr("category", "");
    o.description = entry.stringOr("description", "");
    o.imageSource = entry.stringOr("image_source", "");
    o.soundSource = entry.stringOr("sound_source", "");
    o.split = splitFromName(entry.at("split").asString());
    o.image = imageFrom<RgbaImage>(
        "asset pack", tensorAt(file, "asset pack", "object." + std::to_string(i) + ".rgba"), 4);
    if (!o.soundSource.empty()) {
      o.sound = tensorAt(file, "asset pack", "object." + std::to_string(i) + ".sound").toFloat();
    }
    out.objects.push_back(std::move(o));
  }
  const Json::Array& backgroundList = pack.at("backgrounds").asArray();
  for (size_t i = 0; i < backgroundList.size(); ++i) {
    PackBackground b;
    b.source = backgroundList[i].stringOr("source", "");
    b.split = splitFromName(backgroundList[i].at("split").asString());
    b.image = imageFrom<RgbImage>(
        "asset pack", tensorAt(file, "asset pack", "background." + std::to_string(i) + ".rgb"), 3);
    out.backgrounds.push_back(std::move(b));
  }
  return out;
}

std::vector<int> AssetPack::objectsIn(Split split, bool sounding) const {
  std::vector<int> out;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (objects[i].split == split && objects[i].sounding() == sounding) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

std::vector<int> AssetPack::backgroundsIn(Split split) const {
  std::vector<int> out;
  for (size_t i = 0; i < backgrounds.size(); ++i) {
    if (backgrounds[i].split == split) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

}  // namespace heardmap
