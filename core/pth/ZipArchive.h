// Read-only view of a zip archive held in memory, as far as torch.save writes them: stored
// (uncompressed) entries, ZIP64 sizes and offsets. Every length and offset is checked against the
// buffer and each entry's CRC-32 is verified when it is read, so a truncated or damaged archive is
// an error that names the entry, never a read past the end.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace heardmap {

// Thrown for malformed archives; the message names the entry or the structure that is wrong.
class ZipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ZipArchive {
 public:
  struct Entry {
    std::string name;
    uint16_t method = 0;  // 0 stored, 8 deflate
    uint32_t crc32 = 0;
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint64_t localHeaderOffset = 0;
  };

  // Parses the central directory of bytes (which must outlive the archive). Throws ZipError.
  explicit ZipArchive(std::string_view bytes);

  const std::vector<Entry>& entries() const { return entries_; }
  // The entry called name, or nullptr.
  const Entry* find(std::string_view name) const;
  // The bytes of a stored entry after checking its local header and CRC-32. Throws ZipError for a
  // compressed entry, a bad offset or a checksum mismatch.
  std::string_view read(const Entry& entry) const;

  // Whether bytes start like a zip archive (a local file header).
  static bool looksLikeZip(std::string_view bytes);

 private:
  std::string_view bytes_;
  std::vector<Entry> entries_;
};

}  // namespace heardmap
