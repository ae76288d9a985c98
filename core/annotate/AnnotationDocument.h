// The failure annotations of one clip, saved as native JSON next to the clip
// ("<clip>.heardmap.json", the previous version kept as "<clip>.heardmap.json.bak"), and exported
// as COCO-style JSON or CSV.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "FailureAnnotation.h"

namespace heardmap {

class AnnotationDocument {
 public:
  // Format version written to the native file.
  static constexpr int kFormatVersion = 2;  // 2: objects per record

  std::string clipPath;
  double clipDurationSeconds = 0.0;
  int frameWidth = 0;  // pixels, for COCO boxes
  int frameHeight = 0;

  const std::vector<FailureAnnotation>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  // Adds a copy with a fresh id (returned).
  int add(FailureAnnotation annotation);
  // nullptr if there is no such id.
  FailureAnnotation* find(int id);
  const FailureAnnotation* find(int id) const;
  bool remove(int id);
  // Annotations whose range contains timeSeconds.
  std::vector<const FailureAnnotation*> at(double timeSeconds) const;

  Json toJson() const;
  static AnnotationDocument fromJson(const Json& json);  // throws JsonError
  bool operator==(const AnnotationDocument& o) const;

  // "<clip>.heardmap.json"
  static std::string sidecarPath(const std::string& clipPath);
  static std::string backupPath(const std::string& path) { return path + ".bak"; }
  // Writes atomically; the file it replaces becomes the backup first. Throws FileError.
  void save(const std::string& path) const;
  // Reads path; if it is unreadable or corrupt and a backup exists, reads the backup and says so
  // in *recoveredFrom (else leaves it empty). Throws FileError / JsonError when neither loads.
  static AnnotationDocument load(const std::string& path, std::string* recoveredFrom = nullptr);

  // COCO-style: one image per frame with a keyframe (file_name "<clip>@<t>s", time_s), one
  // annotation per object keyframe (bbox [x, y, w, h] in pixels, a point also as keypoints
  // [x, y, 2]; category = tag; track_id one per object; attributes = note, time range, method,
  // checkpoint, audio condition, failure_id, object_id, label), and "segments" with every record.
  // frameFile(t), when given, names the image file of the frame at time t (written beside the
  // JSON by the caller) in place of "<clip>@<t>s".
  std::string toCocoJson(const std::function<std::string(double)>& frameFile = {}) const;
  // One row per object of each annotation (RFC 4180 quoting); boxes as "t:x0 y0 x1 y1|..." in
  // [0, 1], then the object id, label and shape.
  std::string toCsv() const;

 private:
  std::vector<FailureAnnotation> items_;
  int nextId_ = 1;
};

}  // namespace heardmap
