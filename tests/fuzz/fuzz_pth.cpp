// libFuzzer target: the .pth reader (zip and legacy formats, the pickle interpreter, views).
// The first byte picks how the rest is read: even, as it is; odd, with every zip record's CRC-32
// recomputed first, so that mutations of the pickle and the records get past the checksum and
// reach the interpreter and the view checks (seeds: the torch.save fixtures, scripts/sanitize.sh).
#include <zlib.h>

#include <cstdint>
#include <exception>
#include <string>

#include "core/pth/PthReader.h"

namespace {

uint32_t le32(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

// Rewrites the CRC field of each central directory entry to match the bytes it points at.
void fixChecksums(std::string& b) {
  for (size_t at = b.find("PK\1\2"); at != std::string::npos && at + 46 <= b.size();
       at = b.find("PK\1\2", at + 4)) {
    const uint32_t size = le32(b, at + 24);
    const uint32_t local = le32(b, at + 42);
    if (local > b.size() || b.size() - local < 30)
      continue;
    const size_t nameBytes = static_cast<unsigned char>(b[local + 26]) |
                             static_cast<size_t>(static_cast<unsigned char>(b[local + 27])) << 8;
    const size_t extraBytes = static_cast<unsigned char>(b[local + 28]) |
                              static_cast<size_t>(static_cast<unsigned char>(b[local + 29])) << 8;
    const size_t data = local + 30 + nameBytes + extraBytes;
    if (data > b.size() || b.size() - data < size)
      continue;
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(b.data() + data), static_cast<uInt>(size)));
    for (size_t i = 0; i < 4; ++i)
      b[at + 16 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1)
    fixChecksums(bytes);
  try {
    const heardmap::PthContents contents = heardmap::parsePth(bytes);
    for (const auto& [name, tensor] : contents.tensors) {
      (void)tensor.toFloat();
    }
    (void)contents.summary();
  } catch (const std::exception&) {
    // A clear error is the right answer to a bad file.
  }
  return 0;
}
