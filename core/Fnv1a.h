// FNV-1a, 64 bit: a fast non-cryptographic hash of bytes, chained by passing the last hash back in
// (checksums of optimizer moments, the visual fingerprint of a model, per-sample seeds).
#pragma once

#include <cstddef>
#include <cstdint>

namespace heardmap {

// FNV-1a's 64-bit offset basis: the hash of no bytes.
constexpr uint64_t kFnv1aOffsetBasis = 14695981039346656037ULL;
// FNV-1a's 64-bit prime.
constexpr uint64_t kFnv1aPrime = 1099511628211ULL;

inline uint64_t fnv1a(const void* data, size_t size, uint64_t hash = kFnv1aOffsetBasis) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) {
    hash = (hash ^ bytes[i]) * kFnv1aPrime;
  }
  return hash;
}

}  // namespace heardmap
