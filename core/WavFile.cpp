#include "WavFile.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "AtomicFile.h"

namespace heardmap {
namespace {

void put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
}

void put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

}  // namespace

void writeWavMono16(const std::string& path, const std::vector<float>& samples, int sampleRateHz) {
  const uint32_t dataBytes = static_cast<uint32_t>(samples.size() * 2);
  std::string out;
  out.reserve(44 + dataBytes);
  out += "RIFF";
  put32(out, 36 + dataBytes);
  out += "WAVEfmt ";
  put32(out, 16);
  put16(out, 1);  // PCM
  put16(out, 1);  // mono
  put32(out, static_cast<uint32_t>(sampleRateHz));
  put32(out, static_cast<uint32_t>(sampleRateHz) * 2);
  put16(out, 2);
  put16(out, 16);
  out += "data";
  put32(out, dataBytes);
  for (float v : samples) {
    const auto s = static_cast<int16_t>(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f));
    put16(out, static_cast<uint16_t>(s));
  }
  writeFileAtomically(path, out);
}

}  // namespace heardmap
