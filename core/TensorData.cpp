#include "TensorData.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace heardmap {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
    case DType::F64:
    case DType::I64:
      return 8;
    case DType::F32:
    case DType::I32:
      return 4;
    case DType::F16:
    case DType::BF16:
    case DType::I16:
      return 2;
    case DType::I8:
    case DType::U8:
    case DType::Bool:
      return 1;
    case DType::Invalid:
      return 0;
  }
  return 0;
}

DType dtypeFromName(const std::string& name) {
  static const std::map<std::string, DType> kNames = {
      {"F32", DType::F32}, {"F16", DType::F16},  {"BF16", DType::BF16}, {"F64", DType::F64},
      {"I64", DType::I64}, {"I32", DType::I32},  {"I16", DType::I16},   {"I8", DType::I8},
      {"U8", DType::U8},   {"BOOL", DType::Bool}};
  const auto it = kNames.find(name);
  return it == kNames.end() ? DType::Invalid : it->second;
}

bool isFloatingDType(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F64;
}

std::string dtypeName(DType dtype) {
  switch (dtype) {
    case DType::F32:
      return "F32";
    case DType::F16:
      return "F16";
    case DType::BF16:
      return "BF16";
    case DType::F64:
      return "F64";
    case DType::I64:
      return "I64";
    case DType::I32:
      return "I32";
    case DType::I16:
      return "I16";
    case DType::I8:
      return "I8";
    case DType::U8:
      return "U8";
    case DType::Bool:
      return "BOOL";
    case DType::Invalid:
      return "INVALID";
  }
  return "INVALID";
}

int64_t TensorData::elementCount() const {
  int64_t count = 1;
  for (const int64_t d : shape) {
    count *= d;
  }
  return count;
}

float halfToFloat(uint16_t half) {
  const uint32_t sign = (half >> 15) & 1u;
  const uint32_t exponent = (half >> 10) & 0x1Fu;
  const uint32_t mantissa = half & 0x3FFu;
  float value = 0.0f;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
  }
  return sign ? -value : value;
}

uint16_t floatToHalf(float value) {
  uint32_t bits = 0;
  std::memcpy(&bits, &value, 4);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const int32_t exponent = static_cast<int32_t>((bits >> 23) & 0xFF) - 127 + 15;
  uint32_t mantissa = bits & 0x7FFFFFu;
  if (((bits >> 23) & 0xFF) == 0xFF) {
    return static_cast<uint16_t>(sign | 0x7C00u | (mantissa ? 0x200u : 0u));
  }
  if (exponent >= 31) {
    return static_cast<uint16_t>(sign | 0x7C00u);
  }
  if (exponent <= 0) {
    if (exponent < -10) {
      return static_cast<uint16_t>(sign);
    }
    mantissa |= 0x800000u;
    const int shift = 14 - exponent;
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u))) {
      ++half;
    }
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half = (static_cast<uint32_t>(exponent) << 10) | (mantissa >> 13);
  const uint32_t rest = mantissa & 0x1FFFu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) {
    ++half;  // may carry into the exponent, which is the correct rounding
  }
  return static_cast<uint16_t>(sign | half);
}

std::vector<float> TensorData::toFloat() const {
  const int64_t count = elementCount();
  if (static_cast<int64_t>(bytes.size()) != count * static_cast<int64_t>(dtypeSize(dtype))) {
    throw std::runtime_error("tensor byte size does not match its shape " + shapeString());
  }
  std::vector<float> out(static_cast<size_t>(count));
  const char* p = bytes.data();
  for (int64_t i = 0; i < count; ++i) {
    float v = 0.0f;
    switch (dtype) {
      case DType::F32:
        std::memcpy(&v, p + 4 * i, 4);
        break;
      case DType::F64: {
        double d;
        std::memcpy(&d, p + 8 * i, 8);
        v = static_cast<float>(d);
        break;
      }
      case DType::F16: {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        v = halfToFloat(h);
        break;
      }
      case DType::BF16: {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        const uint32_t bits = static_cast<uint32_t>(h) << 16;
        std::memcpy(&v, &bits, 4);
        break;
      }
      case DType::I64: {
        int64_t x;
        std::memcpy(&x, p + 8 * i, 8);
        v = static_cast<float>(x);
        break;
      }
      case DType::I32: {
        int32_t x;
        std::memcpy(&x, p + 4 * i, 4);
        v = static_cast<float>(x);
        break;
      }
      case DType::I16: {
        int16_t x;
        std::memcpy(&x, p + 2 * i, 2);
        v = static_cast<float>(x);
        break;
      }
      case DType::I8:
        v = static_cast<float>(static_cast<int8_t>(p[i]));
        break;
      case DType::U8:
      case DType::Bool:
        v = static_cast<float>(static_cast<uint8_t>(p[i]));
        break;
      case DType::Invalid:
        throw std::runtime_error("tensor has no dtype");
    }
    out[static_cast<size_t>(i)] = v;
  }
  return out;
}

TensorData TensorData::fromFloat(const std::vector<int64_t>& shape, const float* values,
                                 DType storeAs) {
  TensorData t;
  t.dtype = storeAs;
  t.shape = shape;
  const int64_t count = t.elementCount();
  if (storeAs == DType::F32) {
    t.bytes.assign(reinterpret_cast<const char*>(values), static_cast<size_t>(count) * 4);
  } else if (storeAs == DType::F16) {
    t.bytes.resize(static_cast<size_t>(count) * 2);
    for (int64_t i = 0; i < count; ++i) {
      const uint16_t h = floatToHalf(values[i]);
      std::memcpy(&t.bytes[static_cast<size_t>(2 * i)], &h, 2);
    }
  } else {
    throw std::runtime_error("fromFloat supports F32 and F16 only");
  }
  return t;
}

std::string TensorData::shapeString() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace heardmap
