// Atomic file writes: the bytes go to a temporary file beside the target, are fsync'ed, and the
// temporary is renamed over the target. A failure (disk full, permissions) leaves the old file
// intact.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace heardmap {

// Thrown when a file cannot be read or written; the message names the path and the OS error.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes data to path atomically. Throws FileError; the target is untouched on failure.
void writeFileAtomically(const std::string& path, const std::string& data);

// Creates directory (and its parents) if missing and checks that a file can be created in it (a
// probe file, removed at once), so that long work fails at its start rather than at its first
// save. An empty directory is the current one. Throws FileError.
void ensureWritableDirectory(const std::string& directory);

// Reads a whole file. Throws FileError.
std::string readFile(const std::string& path);

}  // namespace heardmap
