// Readers for the standard VSSL evaluation layouts a researcher already has on disk. Each turns a
// directory into evaluation samples (which frame, which audio, which ground truth); missing media
// are counted and skipped, never fatal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/eval/BenchmarkAccumulator.h"

namespace heardmap {

enum class DatasetFormat {
  Invalid = 0,
  Flickr,    // Annotations/<id>.xml (boxes in 256 px, several annotators), frames/<id>.jpg,
             // audio/<id>.wav
  VggSs,     // vggss.json [{"file", "bbox": [[x0,y0,x1,y1] in 0..1]}], frames/<file>.jpg,
             // audio/<file>.wav
  AvsBench,  // s4_box.json / ms3_box.json [{"image", "audio", "gt_box" (224 px)}]
  Is3,       // synthetic3240_bbox.json, same entries, two instances per image (IIoU)
  Folder,    // *.mp4|mkv|webm|avi|mpg|mov [+ boxes.json {"clip": [{"time", "boxes": [[0..1]]}]}]
};

std::string datasetFormatName(DatasetFormat format);
DatasetFormat datasetFormatFromName(const std::string& name);

struct EvalSample {
  std::string id;
  std::string imagePath;  // a still frame, or empty when the frame comes from videoPath
  std::string videoPath;
  double frameSeconds = 0.0;         // frame time in videoPath
  std::string audioPath;             // wav, or the video itself
  double audioCentreSeconds = -1.0;  // centre of the audio window; < 0 = the middle of the file
  // With frameSeconds and audioCentreSeconds < 0: the frame and the audio centre at this fraction
  // of the video's length instead of its middle (`data shards --frames-per-clip`).
  double clipFraction = -1.0;
  EvalTarget target;
};

struct DatasetScan {
  std::vector<EvalSample> samples;
  int missing = 0;                           // entries skipped because a file is absent
  std::vector<std::string> missingExamples;  // the first few absent files
  int rejected = 0;  // entries skipped because a box, time or field is malformed or out of range
  std::vector<std::string> rejectedExamples;  // the first few reasons, each naming file and entry
};

// Throws std::runtime_error when the layout's index (annotation folder or json) is absent or
// malformed.
DatasetScan readDataset(const std::string& root, DatasetFormat format);
// Picks the format from the files present (Annotations/ -> Flickr, vggss.json -> VGG-SS, ...).
DatasetFormat detectDatasetFormat(const std::string& root);
// True for the video extensions the folder readers take (.mp4, .mkv, .webm, .avi, ...).
bool isVideoFile(const std::filesystem::path& path);

}  // namespace heardmap
