#include "DatasetReader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/eval/GroundTruth.h"

namespace heardmap {
namespace {

namespace fs = std::filesystem;

// Flickr-SoundNet boxes are given on 256 x 256 frames.
constexpr int kFlickrAnnotationSize = 256;
// Examples of missing files kept for the report.
constexpr size_t kMissingExamples = 5;

void noteMissing(DatasetScan& scan, const std::string& path) {
  ++scan.missing;
  if (scan.missingExamples.size() < kMissingExamples) {
    scan.missingExamples.push_back(path);
  }
}

bool present(DatasetScan& scan, const std::string& path) {
  if (fs::exists(path)) {
    return true;
  }
  noteMissing(scan, path);
  return false;
}

// Entries written on the authors' machines carry their absolute paths: find the file under root
// by trying ever shorter tails of the path.
std::string rebase(const std::string& root, const std::string& recorded) {
  if (fs::exists(recorded)) {
    return recorded;
  }
  std::vector<std::string> parts;
  for (const auto& part : fs::path(recorded)) {
    parts.push_back(part.string());
  }
  for (size_t start = 0; start < parts.size(); ++start) {
    fs::path candidate = root;
    for (size_t i = start; i < parts.size(); ++i) {
      if (parts[i] != "/") {
        candidate /= parts[i];
      }
    }
    if (fs::exists(candidate)) {
      return candidate.string();
    }
  }
  return (fs::path(root) / fs::path(recorded).filename()).string();
}

std::string findIndex(const std::string& root, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const fs::path p = fs::path(root) / name;
    if (fs::exists(p)) {
      return p.string();
    }
  }
  throw std::runtime_error("no " + names.front() + " in " + root);
}

// The integer text of <tag>...</tag> inside block, or -1.
int xmlInt(const std::string& block, const std::string& tag) {
  const std::regex pattern("<" + tag + ">\\s*(-?[0-9]+)(\\.[0-9]*)?\\s*</" + tag + ">");
  std::smatch m;
  return std::regex_search(block, m, pattern) ? std::stoi(m[1].str()) : -1;
}

std::vector<PixelBox> flickrBoxes(const std::string& xml) {
  // Every <bbox> element is one annotator's box: xmin, ymin, xmax, ymax in 256 px.
  std::vector<PixelBox> boxes;
  const std::regex bbox("<bbox>([\\s\\S]*?)</bbox>");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), bbox); it != std::sregex_iterator();
       ++it) {
    const std::string block = (*it)[1].str();
    const int coords[4] = {xmlInt(block, "xmin"), xmlInt(block, "ymin"), xmlInt(block, "xmax"),
                           xmlInt(block, "ymax")};
    if (std::any_of(std::begin(coords), std::end(coords), [](int v) { return v < 0; })) {
      continue;
    }
    const auto scale = [](int v) {
      return static_cast<int>(static_cast<double>(kEvalGridSize) * v / kFlickrAnnotationSize);
    };
    boxes.push_back({scale(coords[0]), scale(coords[1]), scale(coords[2]), scale(coords[3])});
  }
  return boxes;
}

PixelBox pixelBox(const Json& box) {
  const Json::Array& v = box.asArray();
  if (v.size() != 4) {
    throw JsonError("a box needs 4 numbers");
  }
  return {static_cast<int>(v[0].asNumber()), static_cast<int>(v[1].asNumber()),
          static_cast<int>(v[2].asNumber()), static_cast<int>(v[3].asNumber())};
}

EvalTarget positiveTarget(std::vector<float> groundTruth) {
  EvalTarget target;
  target.condition = SceneCondition::Positive;
  target.groundTruth = std::move(groundTruth);
  return target;
}

DatasetScan readFlickr(const std::string& root) {
  const fs::path annotations = fs::path(root) / "Annotations";
  if (!fs::is_directory(annotations)) {
    throw std::runtime_error("no Annotations/ folder in " + root);
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(annotations)) {
    if (e.path().extension() == ".xml") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  DatasetScan scan;
  for (const fs::path& xml : files) {
    const std::string id = xml.stem().string();
    EvalSample s;
    s.id = id;
    s.imagePath = (fs::path(root) / "frames" / (id + ".jpg")).string();
    s.audioPath = (fs::path(root) / "audio" / (id + ".wav")).string();
    if (!present(scan, s.imagePath) || !present(scan, s.audioPath)) {
      continue;
    }
    const std::vector<PixelBox> boxes = flickrBoxes(readFile(xml.string()));
    std::vector<std::vector<PixelBox>> perBox;
    for (const PixelBox& b : boxes) {
      perBox.push_back({b});
    }
    s.target = positiveTarget(consensusGroundTruth(perBox, kEvalGridSize));
    scan.samples.push_back(std::move(s));
  }
  return scan;
}

DatasetScan readVggSs(const std::string& root) {
  const Json index = Json::parse(readFile(findIndex(root, {"vggss.json", "metadata/vggss.json"})));
  DatasetScan scan;
  for (const Json& entry : index.asArray()) {
    EvalSample s;
    s.id = entry.at("file").asString();
    s.imagePath = (fs::path(root) / "frames" / (s.id + ".jpg")).string();
    if (!fs::exists(s.imagePath)) {
      s.imagePath = (fs::path(root) / "frames" / (s.id + ".png")).string();
    }
    s.audioPath = (fs::path(root) / "audio" / (s.id + ".wav")).string();
    if (!present(scan, s.imagePath) || !present(scan, s.audioPath)) {
      continue;
    }
    std::vector<PixelBox> boxes;
    for (const Json& b : entry.at("bbox").asArray()) {
      const Json::Array& v = b.asArray();
      boxes.push_back(boxFromNormalized(v.at(0).asNumber(), v.at(1).asNumber(), v.at(2).asNumber(),
                                        v.at(3).asNumber(), kEvalGridSize));
    }
    s.target = positiveTarget(unionGroundTruth(boxes, kEvalGridSize));
    scan.samples.push_back(std::move(s));
  }
  return scan;
}

// AVSBench / IS3 entries: {"image", "audio", "gt_box"} with boxes on the 224 grid.
DatasetScan readBoxList(const std::string& root, bool instances) {
  const std::string indexPath =
      instances ? findIndex(root, {"synthetic3240_bbox.json", "metadata/synthetic3240_bbox.json"})
                : findIndex(root, {"s4_box.json", "ms3_box.json", "metadata/s4_box.json",
                                   "metadata/ms3_box.json"});
  const Json index = Json::parse(readFile(indexPath));
  DatasetScan scan;
  const std::regex frameNumber(".*_([0-9]+)$");
  for (const Json& entry : index.asArray()) {
    EvalSample s;
    s.imagePath = rebase(root, entry.at("image").asString());
    s.audioPath = rebase(root, entry.at("audio").asString());
    s.id = fs::path(s.imagePath).stem().string();
    if (!present(scan, s.imagePath) || !present(scan, s.audioPath)) {
      continue;
    }
    const std::vector<float> gt = unionGroundTruth({pixelBox(entry.at("gt_box"))}, kEvalGridSize);
    s.target = positiveTarget(gt);
    std::smatch m;
    if (instances) {
      // "<a>_<b>_<n>_<instance>.jpg": both instances of an image share "<a>_<b>_<n>".
      s.target.instanceGroundTruths = {gt};
      s.target.group = s.id.substr(0, s.id.find_last_of('_'));
    } else if (std::regex_match(s.id, m, frameNumber)) {
      // AVSBench: frame k (1-based) of a 5 s clip shows second k - 1 .. k.
      s.audioCentreSeconds = std::stoi(m[1].str()) - 0.5;
    }
    scan.samples.push_back(std::move(s));
  }
  return scan;
}

DatasetScan readFolder(const std::string& root) {
  std::vector<fs::path> videos;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_regular_file() && isVideoFile(e.path())) {
      videos.push_back(e.path());
    }
  }
  std::sort(videos.begin(), videos.end());
  if (videos.empty()) {
    throw std::runtime_error("no videos in " + root);
  }
  Json boxes;
  const fs::path boxesPath = fs::path(root) / "boxes.json";
  if (fs::exists(boxesPath)) {
    boxes = Json::parse(readFile(boxesPath.string()));
  }
  DatasetScan scan;
  for (const fs::path& video : videos) {
    const std::string name = video.filename().string();
    if (boxes.contains(name)) {
      for (const Json& annotation : boxes.at(name).asArray()) {
        EvalSample s;
        s.videoPath = s.audioPath = video.string();
        s.frameSeconds = s.audioCentreSeconds = annotation.at("time").asNumber();
        s.id = name + "@" + std::to_string(s.frameSeconds);
        std::vector<PixelBox> pixelBoxes;
        for (const Json& b : annotation.at("boxes").asArray()) {
          const Json::Array& v = b.asArray();
          pixelBoxes.push_back(boxFromNormalized(v.at(0).asNumber(), v.at(1).asNumber(),
                                                 v.at(2).asNumber(), v.at(3).asNumber(),
                                                 kEvalGridSize));
        }
        s.target = positiveTarget(unionGroundTruth(pixelBoxes, kEvalGridSize));
        scan.samples.push_back(std::move(s));
      }
    } else {
      // No boxes: the middle frame, scored for its statistics only.
      EvalSample s;
      s.id = name;
      s.videoPath = s.audioPath = video.string();
      s.frameSeconds = -1.0;  // the middle, resolved when the video is opened
      s.target.condition = SceneCondition::Positive;
      scan.samples.push_back(std::move(s));
    }
  }
  return scan;
}

}  // namespace

std::string datasetFormatName(DatasetFormat format) {
  switch (format) {
    case DatasetFormat::Flickr:
      return "flickr";
    case DatasetFormat::VggSs:
      return "vggss";
    case DatasetFormat::AvsBench:
      return "avsbench";
    case DatasetFormat::Is3:
      return "is3";
    case DatasetFormat::Folder:
      return "folder";
    case DatasetFormat::Invalid:
      break;
  }
  return "invalid";
}

DatasetFormat datasetFormatFromName(const std::string& name) {
  for (DatasetFormat f : {DatasetFormat::Flickr, DatasetFormat::VggSs, DatasetFormat::AvsBench,
                          DatasetFormat::Is3, DatasetFormat::Folder}) {
    if (datasetFormatName(f) == name) {
      return f;
    }
  }
  return DatasetFormat::Invalid;
}

DatasetFormat detectDatasetFormat(const std::string& root) {
  const auto has = [&](const std::string& name) { return fs::exists(fs::path(root) / name); };
  if (has("Annotations")) {
    return DatasetFormat::Flickr;
  }
  if (has("vggss.json") || has("metadata/vggss.json")) {
    return DatasetFormat::VggSs;
  }
  if (has("synthetic3240_bbox.json") || has("metadata/synthetic3240_bbox.json")) {
    return DatasetFormat::Is3;
  }
  if (has("s4_box.json") || has("ms3_box.json") || has("metadata/s4_box.json") ||
      has("metadata/ms3_box.json")) {
    return DatasetFormat::AvsBench;
  }
  return DatasetFormat::Folder;
}

DatasetScan readDataset(const std::string& root, DatasetFormat format) {
  if (!fs::is_directory(root)) {
    throw std::runtime_error("'" + root + "' is not a directory");
  }
  try {
    switch (format) {
      case DatasetFormat::Flickr:
        return readFlickr(root);
      case DatasetFormat::VggSs:
        return readVggSs(root);
      case DatasetFormat::AvsBench:
        return readBoxList(root, false);
      case DatasetFormat::Is3:
        return readBoxList(root, true);
      case DatasetFormat::Folder:
        return readFolder(root);
      case DatasetFormat::Invalid:
        break;
    }
  } catch (const JsonError& e) {
    throw std::runtime_error(datasetFormatName(format) + " index in " + root + ": " + e.what());
  }
  throw std::runtime_error("unknown dataset format");
}

bool isVideoFile(const std::filesystem::path& p) {
  static const std::vector<std::string> kExtensions = {".mp4", ".mkv",  ".webm", ".avi",
                                                       ".mpg", ".mpeg", ".mov",  ".m4v"};
  return std::find(kExtensions.begin(), kExtensions.end(), p.extension().string()) !=
         kExtensions.end();
}

}  // namespace heardmap
