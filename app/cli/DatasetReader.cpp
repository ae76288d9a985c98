#include "DatasetReader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
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

void noteRejected(DatasetScan& scan, const std::string& reason) {
  ++scan.rejected;
  if (scan.rejectedExamples.size() < kMissingExamples) {
    scan.rejectedExamples.push_back(reason);
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

// A box that cannot be scored: the message says which field and why.
class BadBox : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The text between <tag> and </tag> in block, or nullopt. Plain searches, no regex: std::regex
// recurses per character and overflows the stack on large elements.
std::optional<std::string> xmlText(const std::string& block, const std::string& tag, size_t& from) {
  const std::string open = "<" + tag + ">";
  const std::string close = "</" + tag + ">";
  const size_t start = block.find(open, from);
  if (start == std::string::npos) {
    return std::nullopt;
  }
  const size_t end = block.find(close, start + open.size());
  if (end == std::string::npos) {
    throw BadBox("<" + tag + "> is not closed");
  }
  from = end + close.size();
  return block.substr(start + open.size(), end - start - open.size());
}

// A finite number that fills the whole of text (spaces around it allowed).
double parseCoordinate(const std::string& text, const std::string& field) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  while (end != nullptr && *end != '\0' && std::isspace(static_cast<unsigned char>(*end))) {
    ++end;
  }
  if (end == begin || end == nullptr || *end != '\0' || !std::isfinite(v)) {
    throw BadBox(field + " is not a number: '" + text.substr(0, 40) + "'");
  }
  return v;
}

// Checks xyxy coordinates on a [0, limit] canvas and clips them to it, as the official evaluation
// code does. Rejected: values that are not finite, values beyond half a canvas outside it (other
// units than the layout's, e.g. pixels in a normalized field), and boxes that are empty or
// inverted after clipping (they would score as empty ground truth).
std::array<double, 4> checkedBox(const std::array<double, 4>& v, double limit) {
  static const char* kNames[4] = {"xmin", "ymin", "xmax", "ymax"};
  std::array<double, 4> out{};
  for (size_t i = 0; i < 4; ++i) {
    if (!std::isfinite(v[i]) || v[i] < -0.5 * limit || v[i] > 1.5 * limit) {
      char buffer[160];
      std::snprintf(buffer, sizeof(buffer), "box %s %g is far outside [0, %g]", kNames[i], v[i],
                    limit);
      throw BadBox(buffer);
    }
    out[i] = std::clamp(v[i], 0.0, limit);
  }
  if (out[2] <= out[0] || out[3] <= out[1]) {
    char buffer[160];
    std::snprintf(buffer, sizeof(buffer),
                  "box [%g, %g, %g, %g] is empty or inverted on the [0, %g] canvas", v[0], v[1],
                  v[2], v[3], limit);
    throw BadBox(buffer);
  }
  return out;
}

std::vector<PixelBox> flickrBoxes(const std::string& xml) {
  // Every <bbox> element is one annotator's box: xmin, ymin, xmax, ymax in 256 px.
  std::vector<PixelBox> boxes;
  size_t from = 0;
  while (const std::optional<std::string> block = xmlText(xml, "bbox", from)) {
    std::array<double, 4> v{};
    static const char* kTags[4] = {"xmin", "ymin", "xmax", "ymax"};
    for (size_t i = 0; i < 4; ++i) {
      size_t at = 0;
      const std::optional<std::string> text = xmlText(*block, kTags[i], at);
      if (!text) {
        throw BadBox("box " + std::to_string(boxes.size() + 1) + " has no <" + kTags[i] + ">");
      }
      v[i] = parseCoordinate(*text, kTags[i]);
    }
    const std::array<double, 4> c = checkedBox(v, kFlickrAnnotationSize);
    const auto scale = [](double x) {
      return static_cast<int>(static_cast<double>(kEvalGridSize) * static_cast<int>(x) /
                              kFlickrAnnotationSize);
    };
    boxes.push_back({scale(c[0]), scale(c[1]), scale(c[2]), scale(c[3])});
  }
  if (boxes.empty()) {
    throw BadBox("no <bbox> element");
  }
  return boxes;
}

// Four numbers of a json box on a [0, limit] canvas, checked.
std::array<double, 4> jsonBox(const Json& box, double limit) {
  const Json::Array& v = box.asArray();
  if (v.size() != 4) {
    throw BadBox("a box needs 4 numbers, not " + std::to_string(v.size()));
  }
  return checkedBox({v[0].asNumber(), v[1].asNumber(), v[2].asNumber(), v[3].asNumber()}, limit);
}

PixelBox normalizedBox(const Json& box) {
  const std::array<double, 4> c = jsonBox(box, 1.0);
  return boxFromNormalized(c[0], c[1], c[2], c[3], kEvalGridSize);
}

PixelBox pixelBox(const Json& box) {
  const std::array<double, 4> c = jsonBox(box, kEvalGridSize);
  return {static_cast<int>(c[0]), static_cast<int>(c[1]), static_cast<int>(c[2]),
          static_cast<int>(c[3])};
}

// Runs read(), which fills one sample's target; a bad box or entry rejects that sample, with a
// reason that names where it is.
template <typename Read>
bool readEntry(DatasetScan& scan, const std::string& where, Read read) {
  try {
    read();
    return true;
  } catch (const BadBox& e) {
    noteRejected(scan, where + ": " + e.what());
  } catch (const JsonError& e) {
    noteRejected(scan, where + ": " + e.what());
  }
  return false;
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
    const bool ok = readEntry(scan, xml.string(), [&] {
      std::vector<std::vector<PixelBox>> perBox;
      for (const PixelBox& b : flickrBoxes(readFile(xml.string()))) {
        perBox.push_back({b});
      }
      s.target = positiveTarget(consensusGroundTruth(perBox, kEvalGridSize));
    });
    if (ok) {
      scan.samples.push_back(std::move(s));
    }
  }
  return scan;
}

DatasetScan readVggSs(const std::string& root) {
  const std::string indexPath = findIndex(root, {"vggss.json", "metadata/vggss.json"});
  const Json index = Json::parse(readFile(indexPath));
  DatasetScan scan;
  size_t number = 0;
  for (const Json& entry : index.asArray()) {
    EvalSample s;
    const std::string where = indexPath + " entry " + std::to_string(++number);
    if (!readEntry(scan, where, [&] { s.id = entry.at("file").asString(); })) {
      continue;
    }
    s.imagePath = (fs::path(root) / "frames" / (s.id + ".jpg")).string();
    if (!fs::exists(s.imagePath)) {
      s.imagePath = (fs::path(root) / "frames" / (s.id + ".png")).string();
    }
    s.audioPath = (fs::path(root) / "audio" / (s.id + ".wav")).string();
    if (!present(scan, s.imagePath) || !present(scan, s.audioPath)) {
      continue;
    }
    const bool ok = readEntry(scan, where + " (" + s.id + ")", [&] {
      std::vector<PixelBox> boxes;
      for (const Json& b : entry.at("bbox").asArray()) {
        boxes.push_back(normalizedBox(b));
      }
      if (boxes.empty()) {
        throw BadBox("'bbox' is empty");
      }
      s.target = positiveTarget(unionGroundTruth(boxes, kEvalGridSize));
    });
    if (ok) {
      scan.samples.push_back(std::move(s));
    }
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
  // A frame number of at most 6 digits (AVSBench's are 1-5): longer runs of digits are part of
  // another name, not a frame, and would overflow.
  const std::regex frameNumber(".*_([0-9]{1,6})$");
  size_t number = 0;
  for (const Json& entry : index.asArray()) {
    EvalSample s;
    const std::string where = indexPath + " entry " + std::to_string(++number);
    if (!readEntry(scan, where, [&] {
          s.imagePath = rebase(root, entry.at("image").asString());
          s.audioPath = rebase(root, entry.at("audio").asString());
        })) {
      continue;
    }
    s.id = fs::path(s.imagePath).stem().string();
    if (!present(scan, s.imagePath) || !present(scan, s.audioPath)) {
      continue;
    }
    std::vector<float> gt;
    if (!readEntry(scan, where + " (" + s.id + ")",
                   [&] { gt = unionGroundTruth({pixelBox(entry.at("gt_box"))}, kEvalGridSize); })) {
      continue;
    }
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
      size_t number = 0;
      for (const Json& annotation : boxes.at(name).asArray()) {
        EvalSample s;
        s.videoPath = s.audioPath = video.string();
        const std::string where =
            boxesPath.string() + " \"" + name + "\" entry " + std::to_string(++number);
        const bool ok = readEntry(scan, where, [&] {
          const double time = annotation.at("time").asNumber();
          if (!std::isfinite(time) || time < 0) {
            throw BadBox("'time' must be a finite number of seconds >= 0, not " +
                         annotation.at("time").dump());
          }
          s.frameSeconds = s.audioCentreSeconds = time;
          s.id = name + "@" + std::to_string(s.frameSeconds);
          std::vector<PixelBox> pixelBoxes;
          for (const Json& b : annotation.at("boxes").asArray()) {
            pixelBoxes.push_back(normalizedBox(b));
          }
          if (pixelBoxes.empty()) {
            throw BadBox("'boxes' is empty");
          }
          s.target = positiveTarget(unionGroundTruth(pixelBoxes, kEvalGridSize));
        });
        if (ok) {
          scan.samples.push_back(std::move(s));
        }
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
  static const std::vector<std::string> kExtensions = {
      ".mp4", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".mov", ".m4v", ".ts", ".m2ts", ".mts"};
  return std::find(kExtensions.begin(), kExtensions.end(), p.extension().string()) !=
         kExtensions.end();
}

}  // namespace heardmap
