#include "AtomicFile.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace heardmap {
namespace {

std::string osError(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

std::string directoryOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void writeFileAtomically(const std::string& path, const std::string& data) {
  struct stat target {};
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    throw FileError("cannot write '" + path + "': it exists and is not a regular file");
  }
  const std::string tempPath = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tempPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw FileError(osError("cannot create", tempPath));
  }
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const std::string message = osError("cannot write", tempPath);
      ::close(fd);
      ::unlink(tempPath.c_str());
      throw FileError(message);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string message = osError("cannot sync", tempPath);
    ::close(fd);
    ::unlink(tempPath.c_str());
    throw FileError(message);
  }
  if (::close(fd) != 0) {
    const std::string message = osError("cannot close", tempPath);
    ::unlink(tempPath.c_str());
    throw FileError(message);
  }
  if (::rename(tempPath.c_str(), path.c_str()) != 0) {
    const std::string message = osError("cannot rename onto", path);
    ::unlink(tempPath.c_str());
    throw FileError(message);
  }
  const int dirFd = ::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
}

void ensureWritableDirectory(const std::string& directory) {
  const std::string folder = directory.empty() ? std::string(".") : directory;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    throw FileError("cannot create the folder '" + folder + "': " + error.message());
  }
  const std::string probe = folder + "/.heardmap-probe-" + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw FileError(osError("cannot write into", folder));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

std::string readFile(const std::string& path, size_t maxBytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw FileError(osError("cannot open", path));
  }
  if (!S_ISREG(info.st_mode)) {
    throw FileError("cannot read '" + path + "': not a regular file");
  }
  if (static_cast<uint64_t>(info.st_size) > maxBytes) {
    throw FileError("cannot read '" + path + "': " + std::to_string(info.st_size) +
                    " bytes is over the limit of " + std::to_string(maxBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw FileError(osError("cannot open", path));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw FileError(osError("cannot read", path));
  }
  return buffer.str();
}

void checkOutputFile(const std::string& path, const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  if (path.empty()) {
    throw FileError("the output path is empty");
  }
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (fs::is_directory(status)) {
    throw FileError("the output '" + path + "' is a folder; give a file name");
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw FileError("the output '" + path + "' exists and is not a regular file");
  }
  for (const std::string& input : inputs) {
    if (!input.empty() && fs::exists(path, error) && fs::equivalent(path, input, error)) {
      throw FileError("the output '" + path + "' is the input '" + input +
                      "'; writing it would destroy the input");
    }
  }
  ensureWritableDirectory(directoryOf(path));
  removeStaleTemporaries(path);
}

int removeStaleTemporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string name = target.filename().string();
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string candidate = entry.path().filename().string();
    if (candidate.compare(0, name.size(), name) != 0) {
      continue;
    }
    for (const std::string marker : {".tmp-", ".partial-"}) {
      const size_t at = candidate.rfind(marker);
      if (at == std::string::npos || at < name.size()) {
        continue;
      }
      const long pid = std::strtol(candidate.c_str() + at + marker.size(), nullptr, 10);
      const bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
      if (!alive && fs::remove(entry.path(), error)) {
        ++removed;
      }
      break;
    }
  }
  return removed;
}

}  // namespace heardmap
