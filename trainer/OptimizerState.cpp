#include "OptimizerState.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "core/AtomicFile.h"
#include "core/Fnv1a.h"

namespace heardmap {
namespace {

namespace fs = std::filesystem;

fs::path folderOf(const std::string& checkpointPath) {
  const fs::path p(checkpointPath);
  return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

}  // namespace

std::string momentsPathFor(const std::string& checkpointPath, int64_t step) {
  char suffix[40];
  std::snprintf(suffix, sizeof(suffix), ".optimizer-%09lld.pt", static_cast<long long>(step));
  return checkpointPath + suffix;
}

std::string legacyMomentsPath(const std::string& checkpointPath) {
  return checkpointPath + ".optimizer.pt";
}

std::string momentsChecksum(const std::string& bytes) {
  const uint64_t hash = fnv1a(bytes.data(), bytes.size());
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

void writeMomentsFor(const std::string& checkpointPath, int64_t step, const std::string& moments,
                     Json& training) {
  const std::string path = momentsPathFor(checkpointPath, step);
  writeFileAtomically(path, moments);
  training["optimizer_state"] = Json(fs::path(path).filename().string());
  training["optimizer_state_checksum"] = Json(momentsChecksum(moments));
}

int removeOtherMoments(const std::string& checkpointPath, const Json& training) {
  const std::string kept = training.stringOr("optimizer_state", "");
  const std::string prefix = fs::path(checkpointPath).filename().string() + ".optimizer";
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folderOf(checkpointPath), error)) {
    const std::string name = entry.path().filename().string();
    const bool isMoments = name.compare(0, prefix.size(), prefix) == 0 && name.size() > 3 &&
                           name.compare(name.size() - 3, 3, ".pt") == 0;
    if (isMoments && name != kept && fs::remove(entry.path(), error)) {
      ++removed;
    }
  }
  return removed;
}

std::string recordedMomentsPath(const std::string& checkpointPath, const Json& training) {
  const std::string recorded = training.stringOr("optimizer_state_checksum", "").empty()
                                   ? std::string()
                                   : training.stringOr("optimizer_state", "");
  return recorded.empty() ? legacyMomentsPath(checkpointPath)
                          : (folderOf(checkpointPath) / fs::path(recorded).filename()).string();
}

std::optional<std::string> readMomentsFor(const std::string& checkpointPath, const Json& training,
                                          const std::function<void(const std::string&)>& note) {
  const std::string checksum = training.stringOr("optimizer_state_checksum", "");
  if (checksum.empty()) {
    // A checkpoint from before the moments were checksummed: the legacy file, as it is.
    const std::string legacy = legacyMomentsPath(checkpointPath);
    if (fs::exists(legacy)) {
      return readFile(legacy);
    }
    note("note: no optimizer state beside " + checkpointPath + "; the Adam moments restart");
    return std::nullopt;
  }
  const std::string path = recordedMomentsPath(checkpointPath, training);
  if (!fs::exists(path)) {
    note("note: the Adam moments " + path + " that " + checkpointPath +
         " records are gone; the moments restart");
    return std::nullopt;
  }
  std::string bytes = readFile(path);
  if (momentsChecksum(bytes) != checksum) {
    throw std::runtime_error("cannot read the Adam moments in " + path + " (its checksum " +
                             momentsChecksum(bytes) + " is not the " + checksum + " that " +
                             checkpointPath +
                             " recorded: the file was changed or damaged); nothing was written: "
                             "move that file away to resume with fresh moments, or train to a "
                             "new --out");
  }
  return bytes;
}

}  // namespace heardmap
