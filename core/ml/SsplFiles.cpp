#include "SsplFiles.h"

#include <filesystem>
#include <iterator>

#include "CheckpointInfo.h"
#include "core/pth/PthReader.h"

namespace heardmap {
namespace {

namespace fs = std::filesystem;

// The parts of a release, by file-name prefix; the SimSiam head is read to check it and set aside.
constexpr const char* kParts[] = {"frame", "sound", "pcm", "ssl_head"};
// A tensor each part's file must hold (the first layer of its network).
constexpr const char* kFirstTensors[] = {"feat_extractor.0.weight", "features.0.weight",
                                         "PredProcess.0.weight", nullptr};

struct FileSet {
  fs::path folder;
  std::string suffix;  // "best.pth" in frame_best.pth
};

bool isFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool completeAt(const fs::path& folder, const std::string& suffix) {
  return isFile(folder / ("frame_" + suffix)) && isFile(folder / ("sound_" + suffix));
}

// The set path names, or an empty folder when it names none.
FileSet fileSetOf(const std::string& path) {
  std::error_code error;
  const fs::path p(path);
  if (fs::is_directory(p, error)) {
    if (completeAt(p, "best.pth")) {
      return {p, "best.pth"};
    }
    for (const auto& entry : fs::directory_iterator(p, error)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("frame_", 0) == 0 && completeAt(p, name.substr(6))) {
        return {p, name.substr(6)};
      }
    }
    return {};
  }
  const std::string name = p.filename().string();
  for (const char* part : kParts) {
    const std::string prefix = std::string(part) + "_";
    if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() + 4 &&
        name.compare(name.size() - 4, 4, ".pth") == 0) {
      const std::string suffix = name.substr(prefix.size());
      const fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
      if (completeAt(folder, suffix)) {
        return {folder, suffix};
      }
    }
  }
  return {};
}

}  // namespace

bool isSsplFileSet(const std::string& path) {
  return !fileSetOf(path).folder.empty();
}

StateDict readSsplFileSet(const std::string& path, std::string* held) {
  const FileSet set = fileSetOf(path);
  if (set.folder.empty()) {
    throw CheckpointError(path +
                          ": not an SSPL release (frame_*.pth and sound_*.pth side by side)");
  }
  StateDict weights;
  std::string read;
  for (size_t p = 0; p < std::size(kParts); ++p) {
    const char* part = kParts[p];
    const fs::path file = set.folder / (std::string(part) + "_" + set.suffix);
    if (!isFile(file)) {
      continue;  // pcm_*.pth: SSPL without PCM; ssl_head_*.pth: not needed to localise
    }
    PthContents contents;
    try {
      contents = readPth(file.string());
    } catch (const PthError& e) {
      throw CheckpointError(e.what());
    }
    read += (read.empty() ? "" : ", ") + file.filename().string() + " (" +
            std::to_string(contents.tensors.size()) + " tensors" +
            (contents.strippedPrefix.empty() ? "" : ", '" + contents.strippedPrefix + "' removed") +
            ")";
    if (kFirstTensors[p] != nullptr && contents.tensors.count(kFirstTensors[p]) == 0) {
      throw CheckpointError(file.string() + ": not SSPL's " + part + " network (no tensor '" +
                            kFirstTensors[p] + "'; it holds " + contents.summary() + ")");
    }
    if (std::string(part) == "ssl_head") {
      continue;  // the SimSiam projector and predictor: only the training loss reads them
    }
    for (auto& [name, tensor] : contents.tensors) {
      weights[std::string(part) + "." + name] = std::move(tensor);
    }
  }
  const bool withPcm = isFile(set.folder / ("pcm_" + set.suffix));
  *held = "SSPL release " + (set.folder / ("*_" + set.suffix)).string() + ": " + read +
          (withPcm ? "" : "; no pcm file: SSPL without PCM") + "; the SimSiam head set aside";
  return weights;
}

}  // namespace heardmap
