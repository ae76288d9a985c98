// Atomic file writes: the bytes go to a temporary file beside the target, are fsync'ed, and the
// temporary is renamed over the target. A failure (disk full, permissions) leaves the old file
// intact.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace heardmap {

// Default cap of readFile (4 GiB: above any checkpoint or index this program reads).
constexpr size_t kMaxReadBytes = size_t{4} << 30;

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

// Reads a whole regular file of at most maxBytes. Throws FileError (also for devices, pipes and
// folders, which could block or never end, and for files over the limit).
std::string readFile(const std::string& path, size_t maxBytes = kMaxReadBytes);

// Checks, before long work starts, that path can be an output: not empty, not a folder, not an
// existing device or other non-regular file (an atomic rename would replace it), not one of
// inputs (the same file under another name included), and in a writable folder (created if
// missing). Removes stale temporaries of path left by killed processes. Throws FileError naming
// the path and the reason.
void checkOutputFile(const std::string& path, const std::vector<std::string>& inputs = {});

// Removes "<path>*.tmp-PID*" and "<path>*.partial-PID*" files beside path (its own temporaries and
// those of files named after it) whose process is gone, left by kill -9 or a crash during a
// save. Returns how many were removed.
int removeStaleTemporaries(const std::string& path);

}  // namespace heardmap
