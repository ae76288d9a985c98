#include "NpyFile.h"

#include <cstring>
#include <stdexcept>

#include "AtomicFile.h"

namespace heardmap {
namespace {

constexpr char kMagic[] = "\x93NUMPY";   // the format's six magic bytes
constexpr size_t kHeaderAlignment = 64;  // numpy pads the header so the data is 64-byte aligned

}  // namespace

std::string npyFloat32(const std::vector<int64_t>& shape, const std::vector<float>& values) {
  int64_t count = 1;
  std::string dims;
  for (const int64_t d : shape) {
    if (d < 0) {
      throw std::invalid_argument("npy: negative dimension");
    }
    count *= d;
    dims += std::to_string(d) + ", ";
  }
  if (shape.size() > 1) {
    dims.erase(dims.size() - 2);  // "(3, 4)"; a 1-d shape keeps its comma: "(3,)"
  } else if (!dims.empty()) {
    dims.erase(dims.size() - 1);
  }
  if (count != static_cast<int64_t>(values.size())) {
    throw std::invalid_argument("npy: shape holds " + std::to_string(count) + " values, not " +
                                std::to_string(values.size()));
  }
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t prefix = 6 + 2 + 2;  // magic, version, header length
  header.append(kHeaderAlignment - (prefix + header.size() + 1) % kHeaderAlignment, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>((header.size() >> 8) & 0xFF);
  out += header;
  const size_t at = out.size();
  out.resize(at + values.size() * sizeof(float));
  if (!values.empty()) {
    std::memcpy(&out[at], values.data(), values.size() * sizeof(float));  // x86/ARM: little-endian
  }
  return out;
}

void saveNpy(const std::string& path, const std::vector<int64_t>& shape,
             const std::vector<float>& values) {
  writeFileAtomically(path, npyFloat32(shape, values));
}

}  // namespace heardmap
