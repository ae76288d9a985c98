#include "PthReader.h"

#include <cstring>
#include <map>

#include "PickleGlobals.h"
#include "Unpickler.h"
#include "ZipArchive.h"
#include "core/AtomicFile.h"

namespace heardmap {
namespace {

using Kind = PickleValue::Kind;

// Keys under which training scripts keep the weights, tried in this order.
const char* const kWeightKeys[] = {"model", "state_dict", "model_state_dict", "model_state",
                                   "net",   "network",    "module",           "weights"};
// Prefixes that wrappers add to every key: DataParallel/DDP and torch.compile.
const char* const kWrapperPrefixes[] = {"module.", "_orig_mod."};
// The legacy format's first pickle: torch.serialization's MAGIC_NUMBER, little-endian.
constexpr unsigned char kLegacyMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                          0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr int64_t kLegacyProtocol = 1001;      // torch.serialization's PROTOCOL_VERSION
constexpr int kMaxNesting = 16;                // dict depth searched for tensors
constexpr int kMaxDimensions = 16;             // tensor rank accepted
constexpr uint64_t kSlackBytes = 64ull << 20;  // tensors may expand views beyond the file by this

// Storage bytes by record key, filled by the format readers.
struct Storages {
  std::map<std::string, std::string_view> records;
};

PickleId storageFromPid(Unpickler& u, PickleId pid) {
  const PickleValue& t = u.at(pid);
  if (t.kind != Kind::Tuple || t.items.empty() || u.at(t.items[0]).kind != Kind::String) {
    throw PickleError("persistent id is " + u.describe(pid) + ", not a ('storage', ...) tuple");
  }
  const std::string tag = u.at(t.items[0]).text;
  if (tag == "module") {
    throw PickleError(
        "the file pickles a whole nn.Module (torch.save(model)); save "
        "model.state_dict() instead");
  }
  if (tag != "storage" || t.items.size() < 5) {
    throw PickleError("persistent id '" + tag + "' with " + std::to_string(t.items.size()) +
                      " fields is not a storage reference");
  }
  const PickleValue& type = u.at(t.items[1]);
  const PickleValue& key = u.at(t.items[2]);
  const PickleValue& numel = u.at(t.items[4]);
  if (type.kind != Kind::Global || storageTypeOf(type.text).elementBytes == 0) {
    throw PickleError("storage type is " + u.describe(t.items[1]));
  }
  if (key.kind != Kind::String || numel.kind != Kind::Int || numel.bigInt || numel.integer < 0) {
    throw PickleError("storage reference has key " + u.describe(t.items[2]) + " and size " +
                      u.describe(t.items[4]));
  }
  PickleValue storage;
  storage.kind = Kind::Storage;
  storage.text = type.text;
  storage.key = key.text;
  storage.integer = numel.integer;
  // Legacy view of a shared storage: (view_key, offset, size).
  if (t.items.size() >= 6 && u.at(t.items[5]).kind == Kind::Tuple) {
    const PickleValue& view = u.at(t.items[5]);
    if (view.items.size() != 3 || u.at(view.items[1]).kind != Kind::Int ||
        u.at(view.items[2]).kind != Kind::Int) {
      throw PickleError("storage view is " + u.describe(t.items[5]));
    }
    storage.offset = u.at(view.items[1]).integer;
    storage.integer = u.at(view.items[2]).integer;
    storage.sizes = {numel.integer};  // the root storage's size
  }
  return u.add(std::move(storage));
}

std::string shapeText(const std::vector<int64_t>& sizes) {
  std::string out = "[";
  for (size_t i = 0; i < sizes.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(sizes[i]);
  }
  return out + "]";
}

// The bytes of the storage view a tensor reads (after checking the record holds them), and its
// element size and element count.
std::string_view storageView(const Unpickler& u, const PickleValue& tensor,
                             const Storages& storages, const std::string& name,
                             StorageType* typeOut, uint64_t* available) {
  const PickleValue& storage = u.at(tensor.items.at(0));
  const StorageType type = storageTypeOf(storage.text);
  const auto record = storages.records.find(storage.key);
  if (record == storages.records.end()) {
    throw PthError("tensor '" + name + "': storage record '" + storage.key + "' is missing");
  }
  const uint64_t elementBytes = static_cast<uint64_t>(type.elementBytes);
  const uint64_t rootElements = storage.sizes.empty() ? static_cast<uint64_t>(storage.integer)
                                                      : static_cast<uint64_t>(storage.sizes[0]);
  if (record->second.size() / elementBytes < rootElements) {
    throw PthError("tensor '" + name + "': storage record '" + storage.key + "' holds " +
                   std::to_string(record->second.size()) + " bytes, its " +
                   std::to_string(rootElements) + " elements need " +
                   std::to_string(rootElements * elementBytes) + " (truncated record)");
  }
  if (storage.offset < 0 || static_cast<uint64_t>(storage.offset) > rootElements ||
      static_cast<uint64_t>(storage.integer) >
          rootElements - static_cast<uint64_t>(storage.offset)) {
    throw PthError("tensor '" + name + "': storage view lies outside its storage");
  }
  *typeOut = type;
  *available = static_cast<uint64_t>(storage.integer);
  return record->second.substr(static_cast<size_t>(storage.offset) * elementBytes,
                               static_cast<size_t>(storage.integer) * elementBytes);
}

// The tensor's element count, after checking that its sizes and strides stay inside the
// available elements of its storage view.
uint64_t checkedElementCount(const PickleValue& tensor, const std::string& name,
                             uint64_t available) {
  if (tensor.sizes.size() > kMaxDimensions) {
    throw PthError("tensor '" + name + "' has " + std::to_string(tensor.sizes.size()) +
                   " dimensions");
  }
  uint64_t count = 1;
  uint64_t lastIndex = static_cast<uint64_t>(tensor.offset);
  if (tensor.offset < 0) {
    throw PthError("tensor '" + name + "': negative storage offset");
  }
  for (size_t d = 0; d < tensor.sizes.size(); ++d) {
    const int64_t size = tensor.sizes[d];
    const int64_t stride = tensor.strides[d];
    if (size < 0 || stride < 0 || size > (int64_t{1} << 40) || stride > (int64_t{1} << 40)) {
      throw PthError("tensor '" + name + "': size " + shapeText(tensor.sizes) + " / stride " +
                     shapeText(tensor.strides) + " out of range");
    }
    count *= static_cast<uint64_t>(size);
    if (count > (uint64_t{1} << 40)) {
      throw PthError("tensor '" + name + "' has more than 2^40 elements");
    }
    if (size > 0) {
      lastIndex += static_cast<uint64_t>(size - 1) * static_cast<uint64_t>(stride);
    }
  }
  if (count > 0 && lastIndex >= available) {
    throw PthError("tensor '" + name + "' of shape " + shapeText(tensor.sizes) + " at offset " +
                   std::to_string(tensor.offset) + " reads element " + std::to_string(lastIndex) +
                   " of a storage of " + std::to_string(available) + " (truncated record)");
  }
  return count;
}

// Copies a strided view of a storage into a contiguous tensor after checking every bound.
TensorData materialize(const Unpickler& u, const PickleValue& tensor, const Storages& storages,
                       const std::string& name, uint64_t& budgetBytes) {
  StorageType type;
  uint64_t available = 0;
  const std::string_view base = storageView(u, tensor, storages, name, &type, &available);
  const uint64_t elementBytes = static_cast<uint64_t>(type.elementBytes);
  const uint64_t count = checkedElementCount(tensor, name, available);
  if (count * elementBytes > budgetBytes) {
    throw PthError("tensor '" + name + "' expands to " + std::to_string(count * elementBytes) +
                   " bytes, more than the file could hold");
  }
  budgetBytes -= count * elementBytes;
  TensorData out;
  out.dtype = dtypeFromName(type.dtypeName);
  out.shape = tensor.sizes;
  out.bytes.resize(static_cast<size_t>(count * elementBytes));
  if (count == 0) {
    return out;
  }
  // Row-major walk over the view; contiguous runs of the last dimension are copied at once.
  const size_t rank = tensor.sizes.size();
  bool contiguous = true;
  for (size_t d = 0, expected = 1; d < rank; ++d) {
    const size_t i = rank - 1 - d;
    if (tensor.sizes[i] != 1 && static_cast<size_t>(tensor.strides[i]) != expected) {
      contiguous = false;
    }
    expected *= static_cast<size_t>(tensor.sizes[i]);
  }
  if (contiguous) {
    std::memcpy(out.bytes.data(), base.data() + tensor.offset * elementBytes, out.bytes.size());
    return out;
  }
  std::vector<int64_t> index(rank, 0);
  for (uint64_t n = 0; n < count; ++n) {
    uint64_t at = static_cast<uint64_t>(tensor.offset);
    for (size_t d = 0; d < rank; ++d) {
      at += static_cast<uint64_t>(index[d]) * static_cast<uint64_t>(tensor.strides[d]);
    }
    std::memcpy(out.bytes.data() + n * elementBytes, base.data() + at * elementBytes, elementBytes);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < tensor.sizes[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

bool holdsTensors(const Unpickler& u, PickleId dict, int depth) {
  const PickleValue& d = u.at(dict);
  if (d.kind != Kind::Dict || depth > kMaxNesting) {
    return false;
  }
  for (size_t i = 1; i < d.items.size(); i += 2) {
    const PickleValue& v = u.at(d.items[i]);
    if (v.kind == Kind::Tensor ||
        (v.kind == Kind::Dict && holdsTensors(u, d.items[i], depth + 1))) {
      return true;
    }
  }
  return false;
}

void collect(const Unpickler& u, PickleId dict, const std::string& prefix, int depth,
             const Storages& storages, uint64_t& budget, PthContents& out) {
  const PickleValue& d = u.at(dict);
  if (depth > kMaxNesting) {
    return;
  }
  for (size_t i = 0; i + 1 < d.items.size(); i += 2) {
    const PickleValue& key = u.at(d.items[i]);
    const PickleValue& value = u.at(d.items[i + 1]);
    if (key.kind != Kind::String) {
      continue;
    }
    const std::string name = prefix.empty() ? key.text : prefix + "." + key.text;
    if (value.kind == Kind::Dict) {
      collect(u, d.items[i + 1], name, depth + 1, storages, budget, out);
    } else if (value.kind == Kind::Tensor) {
      const StorageType type = storageTypeOf(u.at(value.items.at(0)).text);
      if (type.dtypeName.empty()) {
        out.skipped.push_back(name + " (" + u.at(value.items.at(0)).text + " has no counterpart)");
        continue;
      }
      out.tensors[name] = materialize(u, value, storages, name, budget);
      out.parameterCount += value.parameter ? 1 : 0;
    }
  }
}

void stripWrapperPrefixes(PthContents& out) {
  for (bool again = true; again && !out.tensors.empty();) {
    again = false;
    for (const char* prefix : kWrapperPrefixes) {
      const std::string p = prefix;
      bool all = true;
      for (const auto& [name, tensor] : out.tensors) {
        all = all && name.compare(0, p.size(), p) == 0 && name.size() > p.size();
      }
      if (!all) {
        continue;
      }
      StateDict stripped;
      for (auto& [name, tensor] : out.tensors) {
        stripped[name.substr(p.size())] = std::move(tensor);
      }
      out.tensors = std::move(stripped);
      out.strippedPrefix += p;
      again = true;
    }
  }
}

PthContents contentsOf(const Unpickler& u, PickleId root, const Storages& storages, uint64_t budget,
                       const std::string& format) {
  PthContents out;
  out.format = format;
  const PickleValue& top = u.at(root);
  if (top.kind != Kind::Dict) {
    throw PthError("the file holds " + u.describe(root) + ", not a dict of tensors");
  }
  for (size_t i = 0; i + 1 < top.items.size(); i += 2) {
    if (u.at(top.items[i]).kind == Kind::String) {
      out.topLevelKeys.push_back(u.at(top.items[i]).text);
    }
  }
  PickleId weights = 0;
  for (const char* key : kWeightKeys) {
    const PickleId candidate = u.lookup(root, key);
    if (candidate != 0 && holdsTensors(u, candidate, 0)) {
      weights = candidate;
      out.weightsKey = key;
      break;
    }
  }
  if (weights == 0) {
    weights = root;
  }
  collect(u, weights, "", 0, storages, budget, out);
  if (out.tensors.empty()) {
    std::string keys;
    for (size_t i = 0; i < out.topLevelKeys.size() && i < 12; ++i) {
      keys += (i ? ", " : "") + out.topLevelKeys[i];
    }
    throw PthError("holds no tensors to load (top-level keys: " + (keys.empty() ? "none" : keys) +
                   "); the weights are looked for under 'model', 'state_dict', "
                   "'model_state_dict' or at the top");
  }
  stripWrapperPrefixes(out);
  return out;
}

PthContents parseZip(std::string_view bytes) {
  const ZipArchive zip(bytes);
  const ZipArchive::Entry* data = nullptr;
  for (const auto& entry : zip.entries()) {
    const std::string suffix = "data.pkl";
    if (entry.name.size() >= suffix.size() &&
        entry.name.compare(entry.name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        entry.name.find('/') == entry.name.size() - suffix.size() - 1) {
      data = &entry;
      break;
    }
  }
  if (data == nullptr) {
    throw PthError("a zip archive without the data.pkl record of torch.save");
  }
  const std::string prefix = data->name.substr(0, data->name.size() - 8);
  if (zip.find(prefix + "constants.pkl") != nullptr) {
    throw PthError(
        "a TorchScript archive (torch.jit.save), not a torch.save file; save "
        "model.state_dict() with torch.save");
  }
  if (const ZipArchive::Entry* order = zip.find(prefix + "byteorder")) {
    if (zip.read(*order) != "little") {
      throw PthError("saved on a big-endian machine; byte order '" + std::string(zip.read(*order)) +
                     "' is not supported");
    }
  }
  Storages storages;
  Unpickler u(zip.read(*data), [&](Unpickler& self, PickleId pid) {
    const PickleId storage = storageFromPid(self, pid);
    const std::string key = self.at(storage).key;
    if (storages.records.count(key) == 0) {
      const ZipArchive::Entry* record = zip.find(prefix + "data/" + key);
      if (record == nullptr) {
        throw PthError("storage record 'data/" + key + "' is missing from the archive");
      }
      storages.records[key] = zip.read(*record);
    }
    return storage;
  });
  const PickleId root = u.run();
  return contentsOf(u, root, storages, 2 * bytes.size() + kSlackBytes, "zip");
}

PthContents parseLegacy(std::string_view bytes) {
  std::map<std::string, std::string> typeOfKey;  // storage key -> storage type
  Unpickler u(bytes, [&](Unpickler& self, PickleId pid) {
    const PickleId storage = storageFromPid(self, pid);
    typeOfKey[self.at(storage).key] = self.at(storage).text;
    return storage;
  });
  const PickleValue& magic = u.at(u.run());
  if (magic.kind != Kind::Int || !magic.bigInt ||
      magic.text != std::string(reinterpret_cast<const char*>(kLegacyMagic), sizeof kLegacyMagic)) {
    throw PthError("not a PyTorch file: a pickle without torch.save's magic number");
  }
  const PickleValue& protocol = u.at(u.run());
  if (protocol.kind != Kind::Int || protocol.integer != kLegacyProtocol) {
    throw PthError("legacy torch.save protocol " + std::to_string(protocol.integer) +
                   " is not 1001");
  }
  const PickleId sysInfo = u.run();
  const PickleId littleEndian = u.lookup(sysInfo, "little_endian");
  if (littleEndian != 0 && u.at(littleEndian).integer == 0) {
    throw PthError("saved on a big-endian machine, which is not supported");
  }
  const PickleId root = u.run();
  const PickleValue& keys = u.at(u.run());
  if (keys.kind != Kind::List) {
    throw PthError("legacy file: the storage key list is missing");
  }
  Storages storages;
  size_t at = u.position();
  for (PickleId keyId : keys.items) {
    const PickleValue& key = u.at(keyId);
    const auto type = typeOfKey.find(key.text);
    if (key.kind != Kind::String || type == typeOfKey.end()) {
      throw PthError("legacy file: storage key list names " + u.describe(keyId) +
                     ", which no tensor uses");
    }
    if (bytes.size() - at < 8) {
      throw PthError("truncated: storage '" + key.text + "' has no size field at byte " +
                     std::to_string(at));
    }
    uint64_t numel = 0;
    for (int i = 0; i < 8; ++i) {
      numel |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + static_cast<size_t>(i)]))
               << (8 * i);
    }
    at += 8;
    const uint64_t elementBytes = static_cast<uint64_t>(storageTypeOf(type->second).elementBytes);
    if (numel > (bytes.size() - at) / elementBytes) {
      throw PthError("truncated: storage '" + key.text + "' needs " +
                     std::to_string(numel * elementBytes) + " bytes at byte " + std::to_string(at) +
                     ", the file has " + std::to_string(bytes.size() - at) + " left");
    }
    storages.records[key.text] = bytes.substr(at, static_cast<size_t>(numel * elementBytes));
    at += static_cast<size_t>(numel * elementBytes);
  }
  return contentsOf(u, root, storages, 2 * bytes.size() + kSlackBytes, "legacy");
}

}  // namespace

std::string PthContents::summary() const {
  std::string out = format + " .pth, ";
  if (weightsKey.empty()) {
    out += "a bare state dict";
  } else {
    out += "weights under '" + weightsKey + "' (of";
    for (size_t i = 0; i < topLevelKeys.size() && i < 8; ++i) {
      out += (i ? ", " : " ") + topLevelKeys[i];
    }
    out += topLevelKeys.size() > 8 ? ", ...)" : ")";
  }
  if (!strippedPrefix.empty()) {
    out += ", '" + strippedPrefix + "' removed";
  }
  out += ", " + std::to_string(tensors.size()) + " tensors";
  if (!skipped.empty()) {
    out += ", " + std::to_string(skipped.size()) + " skipped";
  }
  return out;
}

PthContents parsePth(std::string_view bytes) {
  try {
    if (ZipArchive::looksLikeZip(bytes)) {
      return parseZip(bytes);
    }
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x80) {
      return parseLegacy(bytes);
    }
  } catch (const PickleError& e) {
    throw PthError(e.what());
  } catch (const ZipError& e) {
    throw PthError(e.what());
  }
  if (bytes.size() >= 262 && bytes.compare(257, 5, "ustar") == 0) {
    throw PthError(
        "a tar-format file from torch < 0.4, which is not supported; load it in "
        "an old PyTorch and torch.save(state_dict) again");
  }
  throw PthError(
      "not a PyTorch file (neither the zip format of torch >= 1.6 nor the legacy "
      "pickle format)");
}

PthContents readPth(const std::string& path) {
  const std::string bytes = readFile(path);
  try {
    return parsePth(bytes);
  } catch (const PthError& e) {
    throw PthError(path + ": " + e.what());
  }
}

}  // namespace heardmap
