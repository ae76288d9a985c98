#include "ShippedModels.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "Methods.h"

namespace heardmap {
namespace {

namespace fs = std::filesystem;

// Position of the file's method in methods() (the order the views get them).
size_t rank(const std::string& fileName) {
  const std::vector<MethodInfo>& rows = methods();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (fileName.rfind(rows[i].name + "-", 0) == 0) {
      return i;
    }
  }
  return rows.size();
}

}  // namespace

std::string shippedModelsFolder(const std::string& executableDir) {
  if (const char* folder = std::getenv("HEARDMAP_MODELS")) {
    return folder;
  }
  std::error_code error;
  const fs::path installed = fs::path(executableDir) / ".." / "share" / "heardmap" / "models";
  if (!executableDir.empty() && fs::is_directory(installed, error)) {
    return installed.lexically_normal().string();
  }
  return HEARDMAP_SOURCE_MODELS_DIR;
}

std::vector<std::string> shippedModels(const std::string& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  if (folder.empty() || !fs::is_directory(folder, error)) {
    return {};
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file(error) && entry.path().extension() == ".safetensors") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    const std::string x = a.filename().string();
    const std::string y = b.filename().string();
    return rank(x) != rank(y) ? rank(x) < rank(y) : x < y;
  });
  std::vector<std::string> paths;
  for (const fs::path& f : files) {
    paths.push_back(f.string());
  }
  return paths;
}

}  // namespace heardmap
