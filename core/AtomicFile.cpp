#include "AtomicFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

std::string readFile(const std::string& path) {
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

}  // namespace heardmap
