#include "Safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#include "AtomicFile.h"
#include "Json.h"

namespace heardmap {
namespace {

// Headers larger than this are rejected (the reference implementation uses the same bound).
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

// The header's JSON object, after the 8-byte length that announces it; head holds at least the
// length and the header, fileSize is the whole file's.
Json readHeader(std::string_view head, uint64_t fileSize, uint64_t* headerSize) {
  if (head.size() < 8 || fileSize < 8) {
    throw SafetensorsError("safetensors: file is shorter than its 8-byte header length");
  }
  uint64_t size = 0;
  for (int i = 7; i >= 0; --i) {
    size = (size << 8) | static_cast<unsigned char>(head[static_cast<size_t>(i)]);
  }
  if (size > kMaxHeaderBytes) {
    throw SafetensorsError("safetensors: header length " + std::to_string(size) +
                           " is implausibly large");
  }
  if (size > fileSize - 8 || size > head.size() - 8) {
    throw SafetensorsError("safetensors: truncated header (" + std::to_string(size) +
                           " bytes announced, " + std::to_string(fileSize - 8) + " present)");
  }
  Json header;
  try {
    header = Json::parse(std::string(head.substr(8, static_cast<size_t>(size))));
  } catch (const JsonError& e) {
    throw SafetensorsError(std::string("safetensors: bad header: ") + e.what());
  }
  if (!header.isObject()) {
    throw SafetensorsError("safetensors: header is not a JSON object");
  }
  *headerSize = size;
  return header;
}

// One tensor's header entry, checked against the data section (dataSize bytes at dataStart).
TensorSpan readSpan(const Json& entry, uint64_t dataStart, uint64_t dataSize) {
  if (!entry.isObject()) {
    throw SafetensorsError("entry is not an object");
  }
  TensorSpan tensor;
  tensor.dtype = dtypeFromName(entry.at("dtype").asString());
  if (tensor.dtype == DType::Invalid) {
    throw SafetensorsError("unknown dtype '" + entry.at("dtype").asString() + "'");
  }
  uint64_t count = 1;
  for (const Json& dim : entry.at("shape").asArray()) {
    const int64_t d = dim.asInt();
    if (d < 0 ||
        (d > 0 && count > std::numeric_limits<uint64_t>::max() / 16 / static_cast<uint64_t>(d))) {
      throw SafetensorsError("bad dimension " + std::to_string(d));
    }
    count *= static_cast<uint64_t>(d);
    tensor.shape.push_back(d);
  }
  const Json::Array& offsets = entry.at("data_offsets").asArray();
  if (offsets.size() != 2) {
    throw SafetensorsError("data_offsets must have two entries");
  }
  const int64_t begin = offsets[0].asInt();
  const int64_t end = offsets[1].asInt();
  if (begin < 0 || end < begin || static_cast<uint64_t>(end) > dataSize) {
    throw SafetensorsError("data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                           "] outside the " + std::to_string(dataSize) +
                           "-byte data section (file truncated?)");
  }
  const uint64_t expected = count * dtypeSize(tensor.dtype);
  if (static_cast<uint64_t>(end - begin) != expected) {
    TensorData shape;
    shape.dtype = tensor.dtype;
    shape.shape = tensor.shape;
    throw SafetensorsError("holds " + std::to_string(end - begin) + " bytes but shape " +
                           shape.shapeString() + " of " + dtypeName(tensor.dtype) + " needs " +
                           std::to_string(expected));
  }
  tensor.offset = dataStart + static_cast<uint64_t>(begin);
  tensor.bytes = expected;
  return tensor;
}

}  // namespace

SafetensorsHeader parseSafetensorsHeader(std::string_view head, uint64_t fileSize) {
  uint64_t headerSize = 0;
  const Json header = readHeader(head, fileSize, &headerSize);
  const uint64_t dataStart = 8 + headerSize;
  const uint64_t dataSize = fileSize - dataStart;
  SafetensorsHeader file;
  for (const auto& [name, entry] : header.asObject()) {
    if (name == "__metadata__") {
      if (!entry.isObject()) {
        throw SafetensorsError("safetensors: __metadata__ is not an object");
      }
      for (const auto& [key, value] : entry.asObject()) {
        if (!value.isString()) {
          throw SafetensorsError("safetensors: metadata value '" + key + "' is not a string");
        }
        file.metadata[key] = value.asString();
      }
      continue;
    }
    try {
      file.tensors.emplace(name, readSpan(entry, dataStart, dataSize));
    } catch (const SafetensorsError& e) {
      throw SafetensorsError("safetensors: tensor '" + name + "': " + e.what());
    } catch (const JsonError& e) {
      throw SafetensorsError("safetensors: tensor '" + name + "': " + e.what());
    }
  }
  // Tensors must not overlap (the format requires a dense, non-overlapping layout).
  std::vector<std::pair<uint64_t, std::string>> spans;
  for (const auto& [name, span] : file.tensors) {
    spans.emplace_back(span.offset, name);
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    const TensorSpan& previous = file.tensors.at(spans[i - 1].second);
    if (spans[i].first < previous.offset + previous.bytes) {
      throw SafetensorsError("safetensors: tensors '" + spans[i - 1].second + "' and '" +
                             spans[i].second + "' overlap");
    }
  }
  return file;
}

SafetensorsFile parseSafetensors(const std::string& bytes) {
  SafetensorsHeader header = parseSafetensorsHeader(bytes, bytes.size());
  SafetensorsFile file;
  file.metadata = std::move(header.metadata);
  for (const auto& [name, span] : header.tensors) {
    TensorData tensor;
    tensor.dtype = span.dtype;
    tensor.shape = span.shape;
    tensor.bytes = bytes.substr(static_cast<size_t>(span.offset), static_cast<size_t>(span.bytes));
    file.tensors.emplace(name, std::move(tensor));
  }
  return file;
}

std::string serializeSafetensors(const SafetensorsFile& file) {
  Json header(Json::Object{});
  if (!file.metadata.empty()) {
    Json metadata(Json::Object{});
    for (const auto& [key, value] : file.metadata) {
      metadata[key] = Json(value);
    }
    header["__metadata__"] = metadata;
  }
  uint64_t offset = 0;
  for (const auto& [name, tensor] : file.tensors) {
    const uint64_t size = tensor.bytes.size();
    if (size != static_cast<uint64_t>(tensor.elementCount()) * dtypeSize(tensor.dtype)) {
      throw SafetensorsError("safetensors: tensor '" + name + "' byte size does not match shape " +
                             tensor.shapeString());
    }
    Json::Array shape;
    for (const int64_t d : tensor.shape) {
      shape.emplace_back(d);
    }
    Json entry(Json::Object{});
    entry["dtype"] = Json(dtypeName(tensor.dtype));
    entry["shape"] = Json(shape);
    entry["data_offsets"] = Json(Json::Array{Json(offset), Json(offset + size)});
    header[name] = entry;
    offset += size;
  }
  std::string headerText = header.dump();
  while ((headerText.size() + 8) % 8 != 0) {
    headerText += ' ';
  }
  std::string out;
  out.reserve(8 + headerText.size() + offset);
  uint64_t n = headerText.size();
  for (int i = 0; i < 8; ++i) {
    out += static_cast<char>(n & 0xFF);
    n >>= 8;
  }
  out += headerText;
  for (const auto& [name, tensor] : file.tensors) {
    out += tensor.bytes;
  }
  return out;
}

SafetensorsFile loadSafetensors(const std::string& path) {
  try {
    return parseSafetensors(readFile(path));
  } catch (const SafetensorsError& e) {
    throw SafetensorsError(path + ": " + e.what());
  }
}

void saveSafetensors(const std::string& path, const SafetensorsFile& file) {
  writeFileAtomically(path, serializeSafetensors(file));
}

}  // namespace heardmap
