// Reads boxes and points that another tool labelled (CVAT, VIA, Label Studio, or Heardmap's own
// COCO export) into one annotation, so that views can be scored on someone else's labels. Each
// image is a frame of the clip: its "time_s" when it has one, else the frame number at the end of
// its file name (CVAT's "frame_000123.png") over the clip's frame rate. Each track ("track_id",
// at the top or in "attributes") is one object; without track ids, the n-th box of a category in
// a frame is that category's n-th object. Labels exist at their frames only (keyframesOnly).
#pragma once

#include <string>

#include "FailureAnnotation.h"
#include "core/Json.h"

namespace heardmap {

struct CocoImportOptions {
  double framesPerSecond = 0.0;  // of the clip, for frame numbers in file names
  int frameWidth = 0;            // pixels, used when an image gives no size
  int frameHeight = 0;
  std::string sourceName;  // the file, for messages and the record
};

// Throws JsonError that names the file and the field (images[3].file_name, annotations[7].bbox).
FailureAnnotation annotationFromCoco(const Json& coco, const CocoImportOptions& options);

}  // namespace heardmap
