// Reads a shards folder (core/data/Shards.h) for training: every finished shard memory-mapped
// and checked against the index once, at open (a truncated or mismatched file is refused with its
// name), its samples then addressed by one global index (shards in the index's order, then the
// position inside the shard). Nothing is decoded or copied until a batch asks for a sample; the
// page cache, not the process, holds what was read. Safe to read from several threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/Shards.h"

namespace heardmap {

class ShardReader {
 public:
  // Throws std::runtime_error naming the folder or the shard file.
  explicit ShardReader(const std::string& folder);
  ~ShardReader();
  ShardReader(const ShardReader&) = delete;
  ShardReader& operator=(const ShardReader&) = delete;

  const std::string& folder() const { return folder_; }
  const ShardIndex& index() const { return index_; }
  const ShardLayout& layout() const { return index_.layout; }
  int64_t sampleCount() const { return sampleCount_; }
  int64_t frameBytes() const;  // sizePx x sizePx x 3
  int64_t audioBytes() const;  // audioSamples x 2 (int16, little-endian)
  // The raw bytes of a sample (0 <= sample < sampleCount()): RGB frame, int16 audio.
  const uint8_t* frame(int64_t sample) const;
  const uint8_t* audio(int64_t sample) const;

 private:
  struct MappedShard {
    void* base = nullptr;
    size_t bytes = 0;
    const uint8_t* frames = nullptr;
    const uint8_t* audio = nullptr;
    int64_t first = 0;  // global index of its first sample
    int64_t count = 0;
  };
  const MappedShard& shardOf(int64_t sample) const;

  std::string folder_;
  ShardIndex index_;
  std::vector<MappedShard> shards_;
  int64_t sampleCount_ = 0;
};

}  // namespace heardmap
