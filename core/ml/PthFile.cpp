// Torch translation unit: only the unpickler and ATen, no torch::nn.
#include "PthFile.h"

#include <ATen/ATen.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <cstring>

#include "../AtomicFile.h"
#include "CheckpointInfo.h"

namespace heardmap {
namespace {

// Prefix added by DataParallel / DistributedDataParallel wrappers.
constexpr const char* kModulePrefix = "module.";

DType dtypeOf(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat:
      return DType::F32;
    case at::kHalf:
      return DType::F16;
    case at::kBFloat16:
      return DType::BF16;
    case at::kDouble:
      return DType::F64;
    case at::kLong:
      return DType::I64;
    case at::kInt:
      return DType::I32;
    case at::kChar:
      return DType::I8;
    case at::kByte:
      return DType::U8;
    case at::kBool:
      return DType::Bool;
    default:
      return DType::Invalid;
  }
}

at::ScalarType scalarTypeOf(DType dtype) {
  switch (dtype) {
    case DType::F32:
      return at::kFloat;
    case DType::F16:
      return at::kHalf;
    case DType::BF16:
      return at::kBFloat16;
    case DType::F64:
      return at::kDouble;
    case DType::I64:
      return at::kLong;
    case DType::I32:
      return at::kInt;
    case DType::I8:
      return at::kChar;
    case DType::U8:
      return at::kByte;
    case DType::Bool:
      return at::kBool;
    case DType::Invalid:
      break;
  }
  throw CheckpointError("cannot store a tensor without dtype");
}

void collectTensors(const c10::IValue& value, const std::string& prefix, StateDict& out) {
  if (value.isTensor()) {
    const at::Tensor t = value.toTensor().contiguous().cpu();
    TensorData data;
    data.dtype = dtypeOf(t);
    if (data.dtype == DType::Invalid) {
      return;  // e.g. complex buffers: not part of any model we load
    }
    data.shape.assign(t.sizes().begin(), t.sizes().end());
    data.bytes.assign(static_cast<const char*>(t.data_ptr()), t.numel() * t.element_size());
    out[prefix] = std::move(data);
    return;
  }
  if (value.isGenericDict()) {
    for (const auto& entry : value.toGenericDict()) {
      if (!entry.key().isString()) {
        continue;
      }
      const std::string key = entry.key().toStringRef();
      collectTensors(entry.value(), prefix.empty() ? key : prefix + "." + key, out);
    }
  }
}

}  // namespace

StateDict readPthStateDict(const std::string& path) {
  const std::string bytes = readFile(path);
  if (bytes.size() < 4 || bytes.compare(0, 2, "PK") != 0) {
    throw CheckpointError(path +
                          ": not a zip-format PyTorch file (saved by torch < 1.6 or not a .pth at "
                          "all); re-save it with torch.save(obj, path) from a current PyTorch");
  }
  c10::IValue root;
  try {
    root = torch::jit::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw CheckpointError(path + ": cannot unpickle (truncated or unsupported content): " + what);
  }
  // Training checkpoints keep the weights under "model" (EZ-VSL, FNAC, SLAVC) or "state_dict".
  if (root.isGenericDict()) {
    for (const char* key : {"model", "state_dict", "model_state_dict"}) {
      const auto dict = root.toGenericDict();
      const auto it = dict.find(c10::IValue(std::string(key)));
      if (it != dict.end() && it->value().isGenericDict()) {
        root = it->value();
        break;
      }
    }
  }
  StateDict raw;
  collectTensors(root, "", raw);
  if (raw.empty()) {
    throw CheckpointError(path + ": holds no tensors");
  }
  StateDict out;
  const std::string prefix = kModulePrefix;
  for (auto& [name, tensor] : raw) {
    const bool wrapped = name.compare(0, prefix.size(), prefix) == 0;
    out[wrapped ? name.substr(prefix.size()) : name] = std::move(tensor);
  }
  return out;
}

void writePthStateDict(const std::string& path, const StateDict& tensors) {
  c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
  for (const auto& [name, data] : tensors) {
    std::vector<int64_t> shape = data.shape;
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(scalarTypeOf(data.dtype)));
    if (static_cast<size_t>(t.numel() * t.element_size()) != data.bytes.size()) {
      throw CheckpointError("tensor '" + name + "' byte size does not match shape " +
                            data.shapeString());
    }
    std::memcpy(t.data_ptr(), data.bytes.data(), data.bytes.size());
    dict.insert(name, t);
  }
  const std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(dict));
  writeFileAtomically(path, std::string(bytes.begin(), bytes.end()));
}

}  // namespace heardmap
