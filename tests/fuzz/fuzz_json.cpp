// libFuzzer target: the JSON reader, and writing back what it read (which must parse again);
// the shards' index reader on the same value (an error, never a crash).
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/Json.h"
#include "core/data/Shards.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  heardmap::Json value;
  try {
    value = heardmap::Json::parse(text);
  } catch (const heardmap::JsonError&) {
    return 0;
  }
  try {
    // What the writer writes parses, and from then on a round trip is stable (the first may
    // replace bytes that are not UTF-8).
    const std::string once = heardmap::Json::parse(value.dump(2)).dump();
    if (heardmap::Json::parse(once).dump() != once) {
      std::abort();
    }
  } catch (const heardmap::JsonError&) {
    std::abort();  // the writer wrote something the reader refuses
  }
  try {
    heardmap::ShardIndex::fromJson(value, "index.json");
  } catch (const std::runtime_error&) {
  }
  return 0;
}
