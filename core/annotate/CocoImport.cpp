#include "CocoImport.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>

namespace heardmap {
namespace {

// A frame number at the end of a file name's stem ("frame_000123.png" -> 123); -1 if none.
int64_t trailingFrameNumber(const std::string& fileName) {
  const std::string stem = std::filesystem::path(fileName).stem().string();
  size_t first = stem.size();
  while (first > 0 && std::isdigit(static_cast<unsigned char>(stem[first - 1])) != 0) {
    --first;
  }
  const size_t digits = stem.size() - first;
  if (digits == 0 || digits > 9) {  // more than 9 digits is not a frame number of any clip
    return -1;
  }
  return std::stoll(stem.substr(first));
}

struct CocoImage {
  double timeSeconds = 0.0;
  int width = 0;
  int height = 0;
};

std::map<int64_t, CocoImage> readImages(const Json& coco, const CocoImportOptions& options,
                                        const std::string& file) {
  std::map<int64_t, CocoImage> images;
  const Json::Array& list = coco.at("images").asArray();
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = file + ": images[" + std::to_string(i) + "]";
    try {
      const Json& item = list[i];
      CocoImage image;
      image.width = static_cast<int>(item.intOr("width", options.frameWidth, 0, kMaxFrameSidePx));
      image.height =
          static_cast<int>(item.intOr("height", options.frameHeight, 0, kMaxFrameSidePx));
      if (item.contains("time_s")) {
        image.timeSeconds = item.finiteAt("time_s");
      } else {
        const std::string name = item.stringOr("file_name", "");
        const int64_t frame = trailingFrameNumber(name);
        if (frame < 0 || !(options.framesPerSecond > 0.0)) {
          throw JsonError("file_name '" + name + "': no time_s and no frame number" +
                          (options.framesPerSecond > 0.0 ? "" : " with a known frame rate"));
        }
        image.timeSeconds = static_cast<double>(frame) / options.framesPerSecond;
      }
      if (image.timeSeconds < 0.0) {
        throw JsonError("time_s: negative");
      }
      if (image.width <= 0 || image.height <= 0) {
        throw JsonError("width / height: missing, and the clip's size is unknown");
      }
      const int64_t id = item.intAt("id", INT64_MIN / 2, INT64_MAX / 2);
      if (!images.emplace(id, image).second) {
        throw JsonError("id " + std::to_string(id) + " is used twice");
      }
    } catch (const JsonError& e) {
      throw JsonError(where + ": " + e.what());
    }
  }
  return images;
}

std::map<int64_t, std::string> readCategories(const Json& coco) {
  std::map<int64_t, std::string> names;
  if (coco.contains("categories")) {
    for (const Json& c : coco.at("categories").asArray()) {
      names[c.intAt("id", INT64_MIN / 2, INT64_MAX / 2)] = c.stringOr("name", "");
    }
  }
  return names;
}

// The track id of an annotation, at the top or in "attributes" (CVAT); -1 if none.
int64_t trackIdOf(const Json& item) {
  if (item.contains("track_id")) {
    return item.intAt("track_id", 0, INT64_MAX / 2);
  }
  if (item.contains("attributes") && item.at("attributes").isObject() &&
      item.at("attributes").contains("track_id")) {
    return item.at("attributes").intAt("track_id", 0, INT64_MAX / 2);
  }
  return -1;
}

// An annotation's bbox [x, y, width, height]: four finite numbers, width and height >= 0.
std::array<double, 4> readBbox(const Json& item) {
  const Json::Array& bbox = item.at("bbox").asArray();
  if (bbox.size() != 4) {
    throw JsonError("bbox: needs 4 numbers [x, y, width, height]");
  }
  std::array<double, 4> v{};
  for (size_t k = 0; k < 4; ++k) {
    v[k] = bbox[k].asNumber();
    if (!std::isfinite(v[k])) {
      throw JsonError("bbox: a value is not finite");
    }
  }
  if (v[2] < 0.0 || v[3] < 0.0) {
    throw JsonError("bbox: negative width or height");
  }
  return v;
}

// The label an annotation's object gets: its category's name (or number), or the object label
// of Heardmap's own export (whose category is the failure tag).
std::string labelOf(const Json& item, int64_t category,
                    const std::map<int64_t, std::string>& categories) {
  const auto name = categories.find(category);
  std::string label = name != categories.end() ? name->second : std::to_string(category);
  if (item.contains("attributes") && item.at("attributes").isObject() &&
      item.at("attributes").contains("label")) {
    label = item.at("attributes").at("label").asString();
  }
  return label;
}

}  // namespace

FailureAnnotation annotationFromCoco(const Json& coco, const CocoImportOptions& options) {
  const std::string file = options.sourceName.empty() ? "COCO file" : options.sourceName;
  if (!coco.isObject() || !coco.contains("images") || !coco.contains("annotations")) {
    throw JsonError(file + ": not a COCO file (no images or annotations list)");
  }
  const std::map<int64_t, CocoImage> images = readImages(coco, options, file);
  const std::map<int64_t, std::string> categories = readCategories(coco);
  FailureAnnotation out;
  out.tag = FailureTag::Custom;
  out.customTag = "imported labels";
  out.keyframesOnly = true;
  out.importedFrom = options.sourceName;
  std::map<std::string, int> objectOfKey;   // track key -> object id
  std::map<std::string, int> boxesInFrame;  // "<image>/<category>" -> boxes so far
  const Json::Array& list = coco.at("annotations").asArray();
  double first = std::numeric_limits<double>::infinity();
  double last = 0.0;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = file + ": annotations[" + std::to_string(i) + "]";
    try {
      const Json& item = list[i];
      const int64_t imageId = item.intAt("image_id", INT64_MIN / 2, INT64_MAX / 2);
      const auto image = images.find(imageId);
      if (image == images.end()) {
        throw JsonError("image_id " + std::to_string(imageId) + " is not in images");
      }
      const int64_t category = item.intOr("category_id", 0, INT64_MIN / 2, INT64_MAX / 2);
      const std::string label = labelOf(item, category, categories);
      const std::array<double, 4> v = readBbox(item);
      const int64_t track = trackIdOf(item);
      std::string key;
      if (track >= 0) {
        key = "track " + std::to_string(track);
      } else {
        const int n = boxesInFrame[std::to_string(imageId) + "/" + std::to_string(category)]++;
        key = "category " + std::to_string(category) + " #" + std::to_string(n);
      }
      auto known = objectOfKey.find(key);
      if (known == objectOfKey.end()) {
        if (out.objects.size() >= static_cast<size_t>(kMaxObjectId)) {
          throw JsonError("more than " + std::to_string(kMaxObjectId) + " objects");
        }
        const bool point = v[2] == 0.0 && v[3] == 0.0 && item.contains("keypoints");
        const ObjectTrack& made =
            out.addObject(point ? ObjectShape::Point : ObjectShape::Box, label);
        known = objectOfKey.emplace(key, made.id).first;
      }
      const CocoImage& frame = image->second;
      const NormalizedBox box{v[0] / frame.width, v[1] / frame.height, (v[0] + v[2]) / frame.width,
                              (v[1] + v[3]) / frame.height};
      out.setKeyframe(frame.timeSeconds, box, known->second);
      first = std::min(first, frame.timeSeconds);
      last = std::max(last, frame.timeSeconds);
    } catch (const JsonError& e) {
      throw JsonError(where + ": " + e.what());
    }
  }
  if (out.objects.empty()) {
    throw JsonError(file + ": no boxes or points in annotations");
  }
  out.startSeconds = first;
  out.endSeconds = last;
  char summary[160];
  std::snprintf(summary, sizeof(summary), "%zu labels of %zu objects in %zu frames from ",
                list.size(), out.objects.size(), out.keyframeTimes().size());
  out.note = summary + std::filesystem::path(options.sourceName).filename().string();
  return out;
}

}  // namespace heardmap
