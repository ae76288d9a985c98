// libFuzzer target: the memory-mapped shard reader (core/data/ShardReader) on a shard file of
// any bytes, as the trainer opens a dataset's shards; the first input byte says how many samples
// the index claims (1-4). Every sample the reader accepts is read to its last byte, so an offset
// that points past the mapping shows up under ASan.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>

#include "core/data/ShardReader.h"
#include "core/data/Shards.h"
#include "tests/fuzz/FuzzInput.h"

namespace {

// The fuzzed layout: tiny frames and audio (heardmap-fuzz-seeds writes a valid shard of it).
constexpr heardmap::ShardLayout kLayout{8, 16000, 8, 4};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  // One folder per claimed count, its index written once (an atomic save per input is slow).
  static const bool indexed = [] {
    for (int claimed = 1; claimed <= 4; ++claimed) {
      heardmap::ShardIndex index;
      index.layout = kLayout;
      index.shards.push_back({"shard-00000.safetensors", claimed});
      index.scanned = index.planned = claimed;
      index.complete = true;
      std::filesystem::create_directories(heardmap::fuzz::scratchFolder() /
                                          ("shards" + std::to_string(claimed)));
      index.save((heardmap::fuzz::scratchFolder() / ("shards" + std::to_string(claimed))).string());
    }
    return true;
  }();
  (void)indexed;
  const std::string name = "shards" + std::to_string(1 + data[0] % 4);
  const std::string folder = (heardmap::fuzz::scratchFolder() / name).string();
  heardmap::fuzz::writeInput(name + "/shard-00000.safetensors", data + 1, size - 1);
  try {
    const heardmap::ShardReader reader(folder);
    unsigned sum = 0;
    for (int64_t s = 0; s < reader.sampleCount(); ++s) {
      for (int64_t b = 0; b < reader.frameBytes(); ++b) {
        sum += reader.frame(s)[b];
      }
      for (int64_t b = 0; b < reader.audioBytes(); ++b) {
        sum += reader.audio(s)[b];
      }
    }
    (void)sum;
  } catch (const std::exception&) {
    // A clear error is the right answer to a bad shard.
  }
  return 0;
}
