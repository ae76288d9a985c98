#include "ZipArchive.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace heardmap {
namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;    // "PK\3\4"
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;  // "PK\1\2"
constexpr uint32_t kEndSignature = 0x06054b50;            // "PK\5\6"
constexpr uint32_t kZip64EndSignature = 0x06064b50;       // "PK\6\6"
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;   // "PK\6\7"
constexpr size_t kEndRecordBytes = 22;                    // end of central directory, no comment
constexpr size_t kZip64LocatorBytes = 20;                 // ZIP64 end-of-directory locator
constexpr size_t kZip64EndBytes = 56;                     // ZIP64 end record, fixed part
constexpr size_t kCentralHeaderBytes = 46;                // central directory entry, fixed part
constexpr size_t kLocalHeaderBytes = 30;                  // local file header, fixed part
constexpr size_t kMaxCommentBytes = 0xFFFF;               // longest archive comment
constexpr uint16_t kZip64ExtraId = 0x0001;                // extra field with 64-bit sizes
constexpr uint32_t kSize32Overflow = 0xFFFFFFFF;          // "see the ZIP64 extra field"
constexpr uint64_t kMaxEntries = 1'000'000;               // more is not a checkpoint

// Little-endian reads with the bounds checked by the caller's cursor.
class Cursor {
 public:
  Cursor(std::string_view bytes, uint64_t offset, const char* what)
      : bytes_(bytes), offset_(offset), what_(what) {}

  void need(uint64_t count) const {
    if (offset_ > bytes_.size() || count > bytes_.size() - offset_) {
      throw ZipError(std::string("truncated zip archive: ") + what_ + " runs past the end");
    }
  }
  uint64_t readLe(int byteCount) {
    need(static_cast<uint64_t>(byteCount));
    uint64_t value = 0;
    for (int i = 0; i < byteCount; ++i) {
      value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[offset_ + i])) << (8 * i);
    }
    offset_ += static_cast<uint64_t>(byteCount);
    return value;
  }
  uint16_t u16() { return static_cast<uint16_t>(readLe(2)); }
  uint32_t u32() { return static_cast<uint32_t>(readLe(4)); }
  uint64_t u64() { return readLe(8); }
  std::string_view take(uint64_t count) {
    need(count);
    const std::string_view out = bytes_.substr(offset_, count);
    offset_ += count;
    return out;
  }
  uint64_t offset() const { return offset_; }

 private:
  std::string_view bytes_;
  uint64_t offset_;
  const char* what_;
};

// Position of the end-of-central-directory record, searched backwards over a possible comment.
uint64_t findEndRecord(std::string_view bytes) {
  if (bytes.size() < kEndRecordBytes) {
    throw ZipError("not a zip archive: shorter than an end-of-directory record");
  }
  const uint64_t last = bytes.size() - kEndRecordBytes;
  const uint64_t first = last > kMaxCommentBytes ? last - kMaxCommentBytes : 0;
  for (uint64_t at = last + 1; at-- > first;) {
    Cursor c(bytes, at, "end record");
    if (c.u32() == kEndSignature) {
      return at;
    }
  }
  throw ZipError("truncated zip archive: no end-of-directory record (the file was cut short)");
}

// Applies the ZIP64 extra field of a central entry to the fields that overflowed 32 bits.
void applyZip64Extra(std::string_view extra, ZipArchive::Entry& entry, bool sizeOverflow,
                     bool compressedOverflow, bool offsetOverflow) {
  Cursor c(extra, 0, "ZIP64 extra field");
  while (c.offset() + 4 <= extra.size()) {
    const uint16_t id = c.u16();
    const uint16_t length = c.u16();
    std::string_view body = c.take(length);
    if (id != kZip64ExtraId) {
      continue;
    }
    Cursor f(body, 0, "ZIP64 extra field");
    if (sizeOverflow)
      entry.size = f.u64();
    if (compressedOverflow)
      entry.compressedSize = f.u64();
    if (offsetOverflow)
      entry.localHeaderOffset = f.u64();
    return;
  }
  if (sizeOverflow || compressedOverflow || offsetOverflow) {
    throw ZipError("zip entry '" + entry.name + "': 32-bit size overflow without a ZIP64 field");
  }
}

}  // namespace

bool ZipArchive::looksLikeZip(std::string_view bytes) {
  if (bytes.size() < 4) {
    return false;
  }
  Cursor c(bytes, 0, "signature");
  return c.u32() == kLocalHeaderSignature;
}

ZipArchive::ZipArchive(std::string_view bytes) : bytes_(bytes) {
  const uint64_t endAt = findEndRecord(bytes);
  Cursor end(bytes, endAt + 4, "end record");
  end.u16();  // this disk
  end.u16();  // directory disk
  end.u16();  // entries on this disk
  uint64_t entryCount = end.u16();
  uint64_t directoryBytes = end.u32();
  uint64_t directoryOffset = end.u32();
  if (endAt >= kZip64LocatorBytes) {
    Cursor locator(bytes, endAt - kZip64LocatorBytes, "ZIP64 locator");
    if (locator.u32() == kZip64LocatorSignature) {
      locator.u32();  // disk
      const uint64_t zip64At = locator.u64();
      Cursor z(bytes, zip64At, "ZIP64 end record");
      z.need(kZip64EndBytes);
      if (z.u32() != kZip64EndSignature) {
        throw ZipError("damaged zip archive: the ZIP64 locator points at no ZIP64 end record");
      }
      z.u64();  // record size
      z.u16();  // version made by
      z.u16();  // version needed
      z.u32();  // this disk
      z.u32();  // directory disk
      z.u64();  // entries on this disk
      entryCount = z.u64();
      directoryBytes = z.u64();
      directoryOffset = z.u64();
    }
  }
  if (entryCount > kMaxEntries) {
    throw ZipError("damaged zip archive: " + std::to_string(entryCount) + " entries");
  }
  Cursor dir(bytes, directoryOffset, "central directory");
  dir.need(directoryBytes);
  entries_.reserve(static_cast<size_t>(entryCount));
  for (uint64_t i = 0; i < entryCount; ++i) {
    dir.need(kCentralHeaderBytes);
    if (dir.u32() != kCentralHeaderSignature) {
      throw ZipError("damaged zip archive: central directory entry " + std::to_string(i) +
                     " has no signature");
    }
    Entry entry;
    dir.u16();  // version made by
    dir.u16();  // version needed
    dir.u16();  // flags
    entry.method = dir.u16();
    dir.u16();  // time
    dir.u16();  // date
    entry.crc32 = dir.u32();
    entry.compressedSize = dir.u32();
    entry.size = dir.u32();
    const uint16_t nameBytes = dir.u16();
    const uint16_t extraBytes = dir.u16();
    const uint16_t commentBytes = dir.u16();
    dir.u16();  // disk start
    dir.u16();  // internal attributes
    dir.u32();  // external attributes
    entry.localHeaderOffset = dir.u32();
    entry.name = std::string(dir.take(nameBytes));
    const std::string_view extra = dir.take(extraBytes);
    dir.take(commentBytes);
    applyZip64Extra(extra, entry, entry.size == kSize32Overflow,
                    entry.compressedSize == kSize32Overflow,
                    entry.localHeaderOffset == kSize32Overflow);
    entries_.push_back(std::move(entry));
  }
}

const ZipArchive::Entry* ZipArchive::find(std::string_view name) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.name == name; });
  return it == entries_.end() ? nullptr : &*it;
}

std::string_view ZipArchive::read(const Entry& entry) const {
  if (entry.method != 0) {
    throw ZipError("zip entry '" + entry.name + "' is compressed (method " +
                   std::to_string(entry.method) +
                   "); torch.save stores entries uncompressed, so the file was repacked: "
                   "re-save it with torch.save");
  }
  if (entry.compressedSize != entry.size) {
    throw ZipError("zip entry '" + entry.name + "': stored size " +
                   std::to_string(entry.compressedSize) + " differs from its size " +
                   std::to_string(entry.size));
  }
  Cursor local(bytes_, entry.localHeaderOffset, "local file header");
  local.need(kLocalHeaderBytes);
  if (local.u32() != kLocalHeaderSignature) {
    throw ZipError("damaged zip archive: entry '" + entry.name + "' has no local header");
  }
  local.take(22);  // version, flags, method, time, date, crc, sizes (the directory's are used)
  const uint16_t nameBytes = local.u16();
  const uint16_t extraBytes = local.u16();
  local.take(static_cast<uint64_t>(nameBytes) + extraBytes);
  Cursor data(bytes_, local.offset(), "entry data");
  if (data.offset() > bytes_.size() || entry.size > bytes_.size() - data.offset()) {
    throw ZipError("truncated zip archive: entry '" + entry.name + "' needs " +
                   std::to_string(entry.size) + " bytes at offset " +
                   std::to_string(data.offset()) + ", the file has " +
                   std::to_string(bytes_.size()));
  }
  const std::string_view body = data.take(entry.size);
  uLong crc = crc32(0L, Z_NULL, 0);
  for (size_t done = 0; done < body.size();) {
    const size_t chunk = std::min<size_t>(body.size() - done, std::numeric_limits<uInt>::max());
    crc = crc32(crc, reinterpret_cast<const Bytef*>(body.data() + done), static_cast<uInt>(chunk));
    done += chunk;
  }
  if (static_cast<uint32_t>(crc) != entry.crc32) {
    throw ZipError("damaged zip archive: entry '" + entry.name +
                   "' fails its CRC-32 check (the bytes changed after saving)");
  }
  return body;
}

}  // namespace heardmap
