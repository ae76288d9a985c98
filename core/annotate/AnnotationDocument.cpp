#include "AnnotationDocument.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/AtomicFile.h"
#include "core/CsvField.h"

namespace heardmap {
namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4f", v);
  return buffer;
}

// COCO's categories: one per failure tag, ids from 1 in the tags' order.
Json::Array cocoCategories(const std::vector<FailureTag>& tags) {
  Json::Array categories;
  for (size_t i = 0; i < tags.size(); ++i) {
    Json category;
    category["id"] = static_cast<int>(i) + 1;
    category["name"] = failureTagName(tags[i]);
    category["supercategory"] = "failure";
    categories.push_back(category);
  }
  return categories;
}

// One image per frame that holds a keyframe of any object: (time, image id from 1), in time
// order, keyframes closer than kKeyframeMergeSeconds sharing a frame.
std::vector<std::pair<double, int>> keyframeImages(const std::vector<FailureAnnotation>& items) {
  std::vector<std::pair<double, int>> frames;
  for (const FailureAnnotation& a : items) {
    for (double t : a.keyframeTimes()) {
      frames.emplace_back(t, 0);
    }
  }
  std::sort(frames.begin(), frames.end());
  frames.erase(std::unique(frames.begin(), frames.end(),
                           [](const auto& p, const auto& q) {
                             return q.first - p.first < kKeyframeMergeSeconds;
                           }),
               frames.end());
  for (size_t i = 0; i < frames.size(); ++i) {
    frames[i].second = static_cast<int>(i) + 1;
  }
  return frames;
}

// The image of a keyframe's frame, 0 for none (frames are sorted: a search, not a scan per
// keyframe; an imported video's labels run to thousands of frames).
int imageAt(const std::vector<std::pair<double, int>>& frames, double t) {
  auto it = std::lower_bound(frames.begin(), frames.end(), t - kKeyframeMergeSeconds,
                             [](const auto& frame, double time) { return frame.first <= time; });
  for (; it != frames.end() && it->first < t + kKeyframeMergeSeconds; ++it) {
    if (std::abs(it->first - t) < kKeyframeMergeSeconds) {
      return it->second;
    }
  }
  return 0;
}

// What a COCO annotation carries of its failure record and object beyond the box.
Json trackAttributes(const FailureAnnotation& a, const ObjectTrack& o) {
  Json attributes;
  attributes["note"] = a.note;
  attributes["custom_tag"] = a.customTag;
  attributes["method"] = a.method;
  attributes["checkpoint"] = a.checkpoint;
  attributes["audio_condition"] = audioConditionName(a.condition);
  attributes["start_s"] = a.startSeconds;
  attributes["end_s"] = a.endSeconds;
  attributes["failure_id"] = a.id;
  attributes["object_id"] = o.id;
  attributes["label"] = o.label;
  return attributes;
}

}  // namespace

int AnnotationDocument::add(FailureAnnotation annotation) {
  annotation.id = nextId_++;
  items_.push_back(std::move(annotation));
  return items_.back().id;
}

FailureAnnotation* AnnotationDocument::find(int id) {
  for (FailureAnnotation& a : items_) {
    if (a.id == id) {
      return &a;
    }
  }
  return nullptr;
}

const FailureAnnotation* AnnotationDocument::find(int id) const {
  return const_cast<AnnotationDocument*>(this)->find(id);
}

bool AnnotationDocument::remove(int id) {
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->id == id) {
      items_.erase(it);
      return true;
    }
  }
  return false;
}

std::vector<const FailureAnnotation*> AnnotationDocument::at(double timeSeconds) const {
  std::vector<const FailureAnnotation*> out;
  for (const FailureAnnotation& a : items_) {
    if (a.covers(timeSeconds)) {
      out.push_back(&a);
    }
  }
  return out;
}

Json AnnotationDocument::toJson() const {
  Json json;
  json["format"] = "heardmap-annotations";
  json["version"] = kFormatVersion;
  json["clip"] = clipPath;
  json["clip_duration_s"] = clipDurationSeconds;
  json["frame_width"] = frameWidth;
  json["frame_height"] = frameHeight;
  json["next_id"] = nextId_;
  Json::Array list;
  for (const FailureAnnotation& a : items_) {
    list.push_back(a.toJson());
  }
  json["annotations"] = list;
  return json;
}

AnnotationDocument AnnotationDocument::fromJson(const Json& json) {
  if (json.stringOr("format", "") != "heardmap-annotations") {
    throw JsonError("not a Heardmap annotation file (format field missing)");
  }
  if (json.at("version").asInt() > kFormatVersion) {
    throw JsonError("annotation file version " + std::to_string(json.at("version").asInt()) +
                    " is newer than this Heardmap (" + std::to_string(kFormatVersion) + ")");
  }
  AnnotationDocument doc;
  doc.clipPath = json.stringOr("clip", "");
  doc.clipDurationSeconds = json.finiteOr("clip_duration_s", 0.0);
  doc.frameWidth = static_cast<int>(json.intOr("frame_width", 0, 0, kMaxFrameSidePx));
  doc.frameHeight = static_cast<int>(json.intOr("frame_height", 0, 0, kMaxFrameSidePx));
  int maxId = 0;
  for (const Json& item : json.at("annotations").asArray()) {
    doc.items_.push_back(FailureAnnotation::fromJson(item));
    maxId = std::max(maxId, doc.items_.back().id);
  }
  doc.nextId_ =
      std::max(maxId + 1, static_cast<int>(json.intOr("next_id", 1, 1, kMaxAnnotationId)));
  return doc;
}

bool AnnotationDocument::operator==(const AnnotationDocument& o) const {
  return clipPath == o.clipPath && clipDurationSeconds == o.clipDurationSeconds &&
         frameWidth == o.frameWidth && frameHeight == o.frameHeight && items_ == o.items_;
}

std::string AnnotationDocument::sidecarPath(const std::string& clipPath) {
  return clipPath + ".heardmap.json";
}

void AnnotationDocument::save(const std::string& path) const {
  const std::string text = toJson().dump(2) + "\n";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    const std::string previous = readFile(path);
    if (previous == text) {
      return;  // nothing changed: keep the backup one version behind
    }
    writeFileAtomically(backupPath(path), previous);
  }
  writeFileAtomically(path, text);
}

AnnotationDocument AnnotationDocument::load(const std::string& path, std::string* recoveredFrom) {
  if (recoveredFrom != nullptr) {
    recoveredFrom->clear();
  }
  try {
    return fromJson(Json::parse(readFile(path)));
  } catch (const std::exception& primary) {
    const std::string backup = backupPath(path);
    std::error_code ec;
    if (!std::filesystem::exists(backup, ec)) {
      throw;
    }
    try {
      AnnotationDocument doc = fromJson(Json::parse(readFile(backup)));
      if (recoveredFrom != nullptr) {
        *recoveredFrom = backup + " (" + path + ": " + primary.what() + ")";
      }
      return doc;
    } catch (const std::exception&) {
      throw JsonError(path + ": " + primary.what() + "; the backup " + backup +
                      " does not load either");
    }
  }
}

std::string AnnotationDocument::toCocoJson(
    const std::function<std::string(double)>& frameFile) const {
  const std::string clipName = std::filesystem::path(clipPath).filename().string();
  Json coco;
  Json info;
  info["description"] = "Heardmap failure annotations of " + clipName;
  info["version"] = kFormatVersion;
  coco["info"] = info;
  const std::vector<FailureTag> tags = allFailureTags();
  coco["categories"] = cocoCategories(tags);
  Json::Array images;
  Json::Array annotations;
  Json::Array segments;
  const std::vector<std::pair<double, int>> frames = keyframeImages(items_);
  for (size_t i = 0; i < frames.size(); ++i) {
    Json image;
    image["id"] = frames[i].second;
    image["file_name"] =
        frameFile ? frameFile(frames[i].first) : clipName + "@" + number(frames[i].first) + "s";
    image["width"] = frameWidth;
    image["height"] = frameHeight;
    image["time_s"] = frames[i].first;
    images.push_back(image);
  }
  int annotationId = 0;
  int trackId = 0;
  for (const FailureAnnotation& a : items_) {
    int categoryId = 0;
    for (size_t i = 0; i < tags.size(); ++i) {
      if (tags[i] == a.tag) {
        categoryId = static_cast<int>(i) + 1;
      }
    }
    for (const ObjectTrack& o : a.objects) {
      const Json attributes = trackAttributes(a, o);
      ++trackId;
      for (const BoxKeyframe& k : o.keyframes) {
        const double x = k.box.x0 * frameWidth;
        const double y = k.box.y0 * frameHeight;
        const double w = (k.box.x1 - k.box.x0) * frameWidth;
        const double h = (k.box.y1 - k.box.y0) * frameHeight;
        Json annotation;
        annotation["id"] = ++annotationId;
        annotation["image_id"] = imageAt(frames, k.timeSeconds);
        annotation["category_id"] = categoryId;
        annotation["bbox"] = Json::Array{x, y, w, h};
        annotation["area"] = w * h;
        annotation["iscrowd"] = 0;
        if (o.shape == ObjectShape::Point) {  // COCO keypoints: x, y, visibility 2 (visible)
          annotation["keypoints"] = Json::Array{x, y, 2};
          annotation["num_keypoints"] = 1;
        }
        annotation["track_id"] = trackId;
        annotation["attributes"] = attributes;
        annotations.push_back(annotation);
      }
    }
    Json segment = a.toJson();
    segment["category_id"] = categoryId;
    segments.push_back(segment);
  }
  coco["images"] = images;
  coco["annotations"] = annotations;
  coco["segments"] = segments;
  coco["clip"] = clipPath;
  return coco.dump(2) + "\n";
}

std::string AnnotationDocument::toCsv() const {
  std::ostringstream out;
  out << "id,clip,start_s,end_s,tag,note,method,checkpoint,audio_condition,keyframes,object,"
         "object_label,shape\n";
  for (const FailureAnnotation& a : items_) {
    // One row per object (one row with no keyframes when the record has none).
    std::vector<const ObjectTrack*> rows;
    for (const ObjectTrack& o : a.objects) {
      rows.push_back(&o);
    }
    if (rows.empty()) {
      rows.push_back(nullptr);
    }
    for (const ObjectTrack* o : rows) {
      std::string boxes;
      for (const BoxKeyframe& k : o != nullptr ? o->keyframes : std::vector<BoxKeyframe>{}) {
        if (!boxes.empty()) {
          boxes += "|";
        }
        boxes += number(k.timeSeconds) + ":" + number(k.box.x0) + " " + number(k.box.y0) + " " +
                 number(k.box.x1) + " " + number(k.box.y1);
      }
      out << a.id << ',' << csvField(clipPath) << ',' << number(a.startSeconds) << ','
          << number(a.endSeconds)
          << ','
          // The tag as the JSON and COCO files spell it ("false-positive"); a custom one as typed.
          << csvField(a.tag == FailureTag::Custom && !a.customTag.empty() ? a.customTag
                                                                          : failureTagName(a.tag))
          << ',' << csvField(a.note) << ',' << csvField(a.method) << ',' << csvField(a.checkpoint)
          << ',' << audioConditionName(a.condition) << ',' << csvField(boxes) << ','
          << (o != nullptr ? std::to_string(o->id) : std::string()) << ','
          << csvField(o != nullptr ? o->label : std::string()) << ','
          << (o != nullptr ? objectShapeName(o->shape) : std::string()) << '\n';
    }
  }
  return out.str();
}

}  // namespace heardmap
