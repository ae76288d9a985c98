#include "ClipPack.h"

#include <set>

#include "PackTensors.h"
#include "core/Safetensors.h"

namespace heardmap {
namespace {

// Version tag of the clip pack layout.
constexpr const char* kClipPackFormat = "heardmap-clip-pack-1";

}  // namespace

void ClipPack::save(const std::string& path) const {
  SafetensorsFile file;
  Json::Array list;
  for (size_t i = 0; i < samples.size(); ++i) {
    const ClipSample& s = samples[i];
    Json entry(Json::Object{});
    entry["source"] = Json(s.source);
    entry["time_s"] = Json(s.frame.timeSeconds);
    list.push_back(entry);
    file.tensors["frame." + std::to_string(i)] =
        bytesTensor(s.frame.pixels, s.frame.height, s.frame.width, 3);
    file.tensors["audio." + std::to_string(i)] =
        TensorData::fromFloat({static_cast<int64_t>(s.audio.size())}, s.audio.data(), DType::F16);
  }
  Json clips(Json::Object{});
  clips["sample_rate_hz"] = Json(sampleRateHz);
  clips["window_s"] = Json(windowSeconds);
  clips["samples"] = Json(list);
  file.metadata["format"] = kClipPackFormat;
  file.metadata["clips"] = clips.dump();
  saveSafetensors(path, file);
}

ClipPack ClipPack::load(const std::string& path) {
  const SafetensorsFile file = loadSafetensors(path);
  const auto format = file.metadata.find("format");
  if (format == file.metadata.end() || format->second != kClipPackFormat ||
      file.metadata.count("clips") == 0) {
    throw JsonError(path + ": not a Heardmap clip pack (make one with `heardmap data clips`)");
  }
  const Json clips = Json::parse(file.metadata.at("clips"));
  ClipPack out;
  out.sampleRateHz = static_cast<int>(clips.intAt("sample_rate_hz", 1000, 384000));
  out.windowSeconds = clips.at("window_s").asNumber();
  const Json::Array& list = clips.at("samples").asArray();
  const size_t window = static_cast<size_t>(out.windowSeconds * out.sampleRateHz + 0.5);
  for (size_t i = 0; i < list.size(); ++i) {
    ClipSample s;
    s.source = list[i].stringOr("source", "");
    s.frame = imageFrom<RgbImage>("clip pack",
                                  tensorAt(file, "clip pack", "frame." + std::to_string(i)), 3);
    s.frame.timeSeconds = list[i].numberOr("time_s", 0.0);
    s.audio = tensorAt(file, "clip pack", "audio." + std::to_string(i)).toFloat();
    if (s.audio.size() != window) {
      throw JsonError(path + ": sample " + std::to_string(i) + " has " +
                      std::to_string(s.audio.size()) + " audio samples, the window needs " +
                      std::to_string(window));
    }
    out.samples.push_back(std::move(s));
  }
  return out;
}

int ClipPack::sourceCount() const {
  std::set<std::string> sources;
  for (const ClipSample& s : samples) {
    sources.insert(s.source);
  }
  return static_cast<int>(sources.size());
}

}  // namespace heardmap
