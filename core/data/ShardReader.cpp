#include "ShardReader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "core/Safetensors.h"

namespace heardmap {
namespace {

// Maps a whole file read-only; throws naming it.
void* mapFile(const std::string& path, size_t* bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error("shard " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size <= 0) {
    ::close(fd);
    throw std::runtime_error("shard " + path + ": empty or unreadable file");
  }
  *bytes = static_cast<size_t>(info.st_size);
  void* base = ::mmap(nullptr, *bytes, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (base == MAP_FAILED) {
    throw std::runtime_error("shard " + path + ": cannot map it (" + std::strerror(errno) + ")");
  }
  // Batches visit samples in a shuffled order: no read-ahead past what a sample needs.
  ::madvise(base, *bytes, MADV_RANDOM);
  return base;
}

}  // namespace

ShardReader::ShardReader(const std::string& folder) : folder_(folder) {
  index_ = ShardIndex::load(folder);
  if (index_.shards.empty()) {
    throw std::runtime_error(folder + "/index.json lists no finished shard");
  }
  const ShardLayout& layout = index_.layout;
  try {
    for (const ShardEntry& entry : index_.shards) {
      const std::string path = (std::filesystem::path(folder) / entry.file).string();
      MappedShard shard;
      shard.base = mapFile(path, &shard.bytes);
      shards_.push_back(shard);  // unmapped by the destructor from here on
      const std::string_view bytes(static_cast<const char*>(shard.base), shard.bytes);
      SafetensorsHeader header;
      try {
        header = parseSafetensorsHeader(bytes, shard.bytes);
      } catch (const std::exception& e) {
        throw std::runtime_error("shard " + path + ": " + e.what());
      }
      const ShardSpans spans = shardSpans(header, layout, entry.samples, path);
      MappedShard& mapped = shards_.back();
      mapped.frames = static_cast<const uint8_t*>(shard.base) + spans.frames.offset;
      mapped.audio = static_cast<const uint8_t*>(shard.base) + spans.audio.offset;
      mapped.first = sampleCount_;
      mapped.count = entry.samples;
      sampleCount_ += entry.samples;
    }
  } catch (...) {
    for (const MappedShard& s : shards_) {
      ::munmap(s.base, s.bytes);
    }
    throw;
  }
}

ShardReader::~ShardReader() {
  for (const MappedShard& s : shards_) {
    ::munmap(s.base, s.bytes);
  }
}

int64_t ShardReader::frameBytes() const {
  return static_cast<int64_t>(layout().sizePx) * layout().sizePx * 3;
}

int64_t ShardReader::audioBytes() const {
  return static_cast<int64_t>(layout().audioSamples) * 2;
}

const ShardReader::MappedShard& ShardReader::shardOf(int64_t sample) const {
  if (sample < 0 || sample >= sampleCount_) {
    throw std::out_of_range("sample " + std::to_string(sample) + " of " +
                            std::to_string(sampleCount_) + " in " + folder_);
  }
  const auto after =
      std::upper_bound(shards_.begin(), shards_.end(), sample,
                       [](int64_t s, const MappedShard& shard) { return s < shard.first; });
  return *(after - 1);
}

const uint8_t* ShardReader::frame(int64_t sample) const {
  const MappedShard& shard = shardOf(sample);
  return shard.frames + (sample - shard.first) * frameBytes();
}

const uint8_t* ShardReader::audio(int64_t sample) const {
  const MappedShard& shard = shardOf(sample);
  return shard.audio + (sample - shard.first) * audioBytes();
}

}  // namespace heardmap
