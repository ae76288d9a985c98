// Training shards: a dataset decoded once into fixed-size safetensors files that the trainer
// reads without FFmpeg. Each shard holds up to samplesPerShard samples: "frames" (uint8,
// [N, size, size, 3], RGB, the frame resized and centre-cropped to the training size), "audio"
// (int16, [N, audioSamples], mono at rateHz, the contract's window plus room for jitter, centred
// on the sample's time) and the sample ids in its metadata. index.json in the same folder lists
// the finished shards, the samples that could not be read and where the scan stopped, so that a
// killed run continues where it stopped and leaves finished shards untouched.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Safetensors.h"

namespace heardmap {

class Json;

struct ShardLayout {
  int sizePx = 224;            // frame side
  int rateHz = 16000;          // audio rate
  int audioSamples = 64000;    // per sample (4 s at 16 kHz: a 3 s window and 1 s of jitter)
  int samplesPerShard = 1024;  // samples in a full shard (the last may hold fewer)
  bool operator==(const ShardLayout& other) const;
};

// One shard's samples.
struct ShardData {
  std::vector<std::string> ids;
  std::vector<uint8_t> frames;  // ids.size() x sizePx x sizePx x 3
  std::vector<int16_t> audio;   // ids.size() x audioSamples
  size_t count() const { return ids.size(); }
};

struct ShardEntry {
  std::string file;  // name inside the folder
  int samples = 0;
};

struct ShardIndex {
  ShardLayout layout;
  std::string source;   // the dataset folder and its format, for the record
  int64_t scanned = 0;  // dataset entries handled so far (written or failed), in scan order
  int64_t planned = 0;  // dataset entries in all
  bool complete = false;
  std::vector<ShardEntry> shards;
  std::vector<std::string> failed;  // "id: reason", one per sample that could not be read

  int64_t sampleCount() const;
  Json toJson() const;
  // Throws std::runtime_error naming the file and the field.
  static ShardIndex fromJson(const Json& json, const std::string& where);
  // folder/index.json; load() throws when it is absent or malformed.
  static ShardIndex load(const std::string& folder);
  void save(const std::string& folder) const;  // atomic
};

// The name of shard n ("shard-00000.safetensors").
std::string shardFileName(int n);
// Writes a shard atomically. Throws std::invalid_argument when data does not match layout.
void writeShard(const std::string& path, const ShardLayout& layout, const ShardData& data);
// Where a shard's frames and audio lie in its file, checked against layout for `samples`
// samples (the dtype and shape of each; the spans themselves against the file's size by
// parseSafetensorsHeader). Throws std::runtime_error naming path. readShard and ShardReader
// (memory-mapped) both read shards through it.
struct ShardSpans {
  TensorSpan frames;
  TensorSpan audio;
};
ShardSpans shardSpans(const SafetensorsHeader& header, const ShardLayout& layout, int64_t samples,
                      const std::string& path);
// Reads a shard and checks it against layout; a truncated or mismatched file is an error that
// names it.
ShardData readShard(const std::string& path, const ShardLayout& layout);

}  // namespace heardmap
