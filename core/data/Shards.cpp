#include "Shards.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/Safetensors.h"

namespace heardmap {
namespace {

// The index's format version.
constexpr int kIndexVersion = 1;
// Largest frame side and audio length accepted from an index (a typo, not a dataset).
constexpr int64_t kMaxSizePx = 4096;
constexpr int64_t kMaxAudioSamples = 48000 * 60;
constexpr int64_t kMaxSamplesPerShard = 1 << 20;

}  // namespace

bool ShardLayout::operator==(const ShardLayout& other) const {
  return sizePx == other.sizePx && rateHz == other.rateHz && audioSamples == other.audioSamples &&
         samplesPerShard == other.samplesPerShard;
}

int64_t ShardIndex::sampleCount() const {
  int64_t n = 0;
  for (const ShardEntry& e : shards) {
    n += e.samples;
  }
  return n;
}

Json ShardIndex::toJson() const {
  Json j(Json::Object{});
  j["version"] = kIndexVersion;
  j["size_px"] = layout.sizePx;
  j["rate_hz"] = layout.rateHz;
  j["audio_samples"] = layout.audioSamples;
  j["samples_per_shard"] = layout.samplesPerShard;
  j["source"] = source;
  j["scanned"] = static_cast<double>(scanned);
  j["planned"] = static_cast<double>(planned);
  j["complete"] = complete;
  Json::Array list;
  for (const ShardEntry& e : shards) {
    Json entry(Json::Object{});
    entry["file"] = e.file;
    entry["samples"] = e.samples;
    list.push_back(entry);
  }
  j["shards"] = Json(list);
  Json::Array bad;
  for (const std::string& f : failed) {
    bad.push_back(Json(f));
  }
  j["failed"] = Json(bad);
  return j;
}

ShardIndex ShardIndex::fromJson(const Json& j, const std::string& where) {
  try {
    ShardIndex index;
    if (j.intAt("version", 1, kIndexVersion) != kIndexVersion) {
      throw JsonError("'version' is not " + std::to_string(kIndexVersion));
    }
    index.layout.sizePx = static_cast<int>(j.intAt("size_px", 8, kMaxSizePx));
    index.layout.rateHz = static_cast<int>(j.intAt("rate_hz", 1000, 384000));
    index.layout.audioSamples = static_cast<int>(j.intAt("audio_samples", 1, kMaxAudioSamples));
    index.layout.samplesPerShard =
        static_cast<int>(j.intAt("samples_per_shard", 1, kMaxSamplesPerShard));
    index.source = j.stringOr("source", "");
    index.scanned = j.intAt("scanned", 0, INT64_MAX / 2);
    index.planned = j.intAt("planned", 0, INT64_MAX / 2);
    index.complete = j.boolOr("complete", false);
    for (const Json& e : j.at("shards").asArray()) {
      ShardEntry entry;
      entry.file = e.at("file").asString();
      if (entry.file.empty() || entry.file.find('/') != std::string::npos) {
        throw JsonError("a shard 'file' must be a plain file name, not '" + entry.file + "'");
      }
      entry.samples = static_cast<int>(e.intAt("samples", 1, index.layout.samplesPerShard));
      index.shards.push_back(entry);
    }
    for (const Json& f : j.at("failed").asArray()) {
      index.failed.push_back(f.asString());
    }
    return index;
  } catch (const JsonError& e) {
    throw std::runtime_error(where + ": " + e.what());
  }
}

ShardIndex ShardIndex::load(const std::string& folder) {
  const std::string path = (std::filesystem::path(folder) / "index.json").string();
  try {
    return fromJson(Json::parse(readFile(path)), path);
  } catch (const JsonError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

void ShardIndex::save(const std::string& folder) const {
  writeFileAtomically((std::filesystem::path(folder) / "index.json").string(),
                      toJson().dump(2) + "\n");
}

std::string shardFileName(int n) {
  char name[48];
  std::snprintf(name, sizeof(name), "shard-%05d.safetensors", n);
  return name;
}

void writeShard(const std::string& path, const ShardLayout& layout, const ShardData& data) {
  const size_t n = data.count();
  const size_t frameBytes = static_cast<size_t>(layout.sizePx) * layout.sizePx * 3;
  if (n == 0 || data.frames.size() != n * frameBytes ||
      data.audio.size() != n * static_cast<size_t>(layout.audioSamples)) {
    throw std::invalid_argument("shard " + path + ": the samples do not match the layout");
  }
  SafetensorsFile file;
  TensorData frames;
  frames.dtype = DType::U8;
  frames.shape = {static_cast<int64_t>(n), layout.sizePx, layout.sizePx, 3};
  frames.bytes.assign(reinterpret_cast<const char*>(data.frames.data()), data.frames.size());
  TensorData audio;
  audio.dtype = DType::I16;
  audio.shape = {static_cast<int64_t>(n), layout.audioSamples};
  audio.bytes.assign(reinterpret_cast<const char*>(data.audio.data()), data.audio.size() * 2);
  file.tensors.emplace("frames", std::move(frames));
  file.tensors.emplace("audio", std::move(audio));
  Json::Array ids;
  for (const std::string& id : data.ids) {
    ids.push_back(Json(id));
  }
  file.metadata["ids"] = Json(ids).dump();
  file.metadata["rate_hz"] = std::to_string(layout.rateHz);
  saveSafetensors(path, file);
}

namespace {

// The span of tensor `name`, checked to be dtype with shape.
const TensorSpan& checkedSpan(const SafetensorsHeader& header, const std::string& name, DType dtype,
                              const std::vector<int64_t>& shape, const std::string& path) {
  const auto it = header.tensors.find(name);
  if (it == header.tensors.end()) {
    throw std::runtime_error("shard " + path + ": no '" + name + "' tensor");
  }
  if (it->second.dtype != dtype || it->second.shape != shape) {
    TensorData found;
    found.dtype = it->second.dtype;
    found.shape = it->second.shape;
    TensorData wanted;
    wanted.dtype = dtype;
    wanted.shape = shape;
    throw std::runtime_error("shard " + path + ": '" + name + "' is " + dtypeName(found.dtype) +
                             " " + found.shapeString() + ", the index says " + dtypeName(dtype) +
                             " " + wanted.shapeString());
  }
  return it->second;
}

}  // namespace

ShardSpans shardSpans(const SafetensorsHeader& header, const ShardLayout& layout, int64_t samples,
                      const std::string& path) {
  return {
      checkedSpan(header, "frames", DType::U8, {samples, layout.sizePx, layout.sizePx, 3}, path),
      checkedSpan(header, "audio", DType::I16, {samples, layout.audioSamples}, path)};
}

ShardData readShard(const std::string& path, const ShardLayout& layout) {
  std::string bytes;
  SafetensorsHeader header;
  try {
    bytes = readFile(path);
    header = parseSafetensorsHeader(bytes, bytes.size());
  } catch (const std::exception& e) {
    throw std::runtime_error("shard " + path + ": " + e.what());
  }
  ShardData data;
  try {
    const Json ids = Json::parse(header.metadata.at("ids"));  // kept: the loop reads into it
    for (const Json& id : ids.asArray()) {
      data.ids.push_back(id.asString());
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("shard " + path + ": its 'ids' metadata: " + e.what());
  }
  const ShardSpans spans = shardSpans(header, layout, static_cast<int64_t>(data.ids.size()), path);
  const auto* frames = reinterpret_cast<const uint8_t*>(bytes.data() + spans.frames.offset);
  data.frames.assign(frames, frames + spans.frames.bytes);
  data.audio.resize(spans.audio.bytes / 2);
  std::copy_n(bytes.data() + spans.audio.offset, spans.audio.bytes,
              reinterpret_cast<char*>(data.audio.data()));
  return data;
}

}  // namespace heardmap
