#include "Safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "AtomicFile.h"
#include "Json.h"

namespace heardmap {
namespace {

// Headers larger than this are rejected (the reference implementation uses the same bound).
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct Span {
  std::string name;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// The header's JSON object, after the 8-byte length that announces it.
Json readHeader(const std::string& bytes, uint64_t* headerSize) {
  if (bytes.size() < 8) {
    throw SafetensorsError("safetensors: file is shorter than its 8-byte header length");
  }
  uint64_t size = 0;
  for (int i = 7; i >= 0; --i) {
    size = (size << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
  }
  if (size > kMaxHeaderBytes) {
    throw SafetensorsError("safetensors: header length " + std::to_string(size) +
                           " is implausibly large");
  }
  if (size > bytes.size() - 8) {
    throw SafetensorsError("safetensors: truncated header (" + std::to_string(size) +
                           " bytes announced, " + std::to_string(bytes.size() - 8) + " present)");
  }
  Json header;
  try {
    header = Json::parse(bytes.substr(8, static_cast<size_t>(size)));
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
TensorData readTensor(const std::string& bytes, const Json& entry, size_t dataStart,
                      uint64_t dataSize, Span* span) {
  if (!entry.isObject()) {
    throw SafetensorsError("entry is not an object");
  }
  TensorData tensor;
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
    throw SafetensorsError("holds " + std::to_string(end - begin) + " bytes but shape " +
                           tensor.shapeString() + " of " + dtypeName(tensor.dtype) + " needs " +
                           std::to_string(expected));
  }
  tensor.bytes =
      bytes.substr(dataStart + static_cast<size_t>(begin), static_cast<size_t>(end - begin));
  span->begin = static_cast<uint64_t>(begin);
  span->end = static_cast<uint64_t>(end);
  return tensor;
}

}  // namespace

SafetensorsFile parseSafetensors(const std::string& bytes) {
  uint64_t headerSize = 0;
  const Json header = readHeader(bytes, &headerSize);
  const uint64_t dataSize = bytes.size() - 8 - headerSize;
  const size_t dataStart = static_cast<size_t>(8 + headerSize);

  SafetensorsFile file;
  std::vector<Span> spans;
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
      Span span{name, 0, 0};
      file.tensors.emplace(name, readTensor(bytes, entry, dataStart, dataSize, &span));
      spans.push_back(span);
    } catch (const SafetensorsError& e) {
      throw SafetensorsError("safetensors: tensor '" + name + "': " + e.what());
    } catch (const JsonError& e) {
      throw SafetensorsError("safetensors: tensor '" + name + "': " + e.what());
    }
  }
  // Tensors must not overlap (the format requires a dense, non-overlapping layout).
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].begin < spans[i - 1].end) {
      throw SafetensorsError("safetensors: tensors '" + spans[i - 1].name + "' and '" +
                             spans[i].name + "' overlap");
    }
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
