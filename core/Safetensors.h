// safetensors reader and writer (own parser). The reader checks every length, offset, dtype and
// shape before touching data, so malformed or truncated files fail with a message, never a crash.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "TensorData.h"

namespace heardmap {

// Thrown for any malformed safetensors file; the message names the tensor or field.
class SafetensorsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SafetensorsFile {
  StateDict tensors;
  // The "__metadata__" block: string keys to string values, as the format requires.
  std::map<std::string, std::string> metadata;
};

// Where one tensor lies in a safetensors file (offset from the file's first byte).
struct TensorSpan {
  DType dtype = DType::Invalid;
  std::vector<int64_t> shape;
  uint64_t offset = 0;
  uint64_t bytes = 0;
};

// A file's header alone: what a memory-mapped reader needs (core/data/ShardReader).
struct SafetensorsHeader {
  std::map<std::string, TensorSpan> tensors;
  std::map<std::string, std::string> metadata;
};

// Parses the header of a safetensors file of fileSize bytes from its first bytes (head: at least
// the 8-byte length and the header), checking every span against fileSize. Throws
// SafetensorsError.
SafetensorsHeader parseSafetensorsHeader(std::string_view head, uint64_t fileSize);
// Parses an in-memory safetensors file. Throws SafetensorsError.
SafetensorsFile parseSafetensors(const std::string& bytes);
// Serializes tensors and metadata (tensors laid out in name order, 8-byte aligned header).
std::string serializeSafetensors(const SafetensorsFile& file);

// File wrappers; saving is atomic (temp file, fsync, rename).
SafetensorsFile loadSafetensors(const std::string& path);
void saveSafetensors(const std::string& path, const SafetensorsFile& file);

}  // namespace heardmap
