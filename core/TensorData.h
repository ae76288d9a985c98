// A torch-free tensor: dtype, shape and raw little-endian bytes. The exchange type between the
// checkpoint readers/writers and the torch code, so that Qt code can inspect weights without torch.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace heardmap {

enum class DType { Invalid = 0, F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

// Bytes per element of dtype (0 for Invalid).
size_t dtypeSize(DType dtype);
// safetensors spelling ("F32", "F16", ...); Invalid for unknown names.
DType dtypeFromName(const std::string& name);
std::string dtypeName(DType dtype);
// Whether dtype holds floating-point values (F32, F16, BF16, F64).
bool isFloatingDType(DType dtype);

struct TensorData {
  DType dtype = DType::Invalid;
  std::vector<int64_t> shape;
  std::string bytes;

  int64_t elementCount() const;
  // Converts any floating or integer dtype to float32 values.
  std::vector<float> toFloat() const;
  static TensorData fromFloat(const std::vector<int64_t>& shape, const float* values,
                              DType storeAs = DType::F32);
  std::string shapeString() const;
};

// Named tensors in insertion-independent (sorted) order.
using StateDict = std::map<std::string, TensorData>;

// IEEE half <-> float conversions (round to nearest even).
float halfToFloat(uint16_t half);
uint16_t floatToHalf(float value);

}  // namespace heardmap
