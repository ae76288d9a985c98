// Helpers shared by the libFuzzer targets: the input as a file in a private folder, for readers
// that take paths.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace heardmap::fuzz {

// A folder of this process's own, made once (libFuzzer runs inputs one after another).
inline const std::filesystem::path& scratchFolder() {
  static const std::filesystem::path folder = [] {
    std::filesystem::path p =
        std::filesystem::temp_directory_path() / ("heardmap-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return folder;
}

// Writes the input to scratchFolder()/relative (parents created) and returns the path.
inline std::string writeInput(const std::string& relative, const uint8_t* data, size_t size) {
  const std::filesystem::path path = scratchFolder() / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path.string();
}

}  // namespace heardmap::fuzz
