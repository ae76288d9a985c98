// libFuzzer target: every dataset index reader (Flickr XML, VGG-SS, AVSBench, IS3 and the folder
// layout's boxes.json). The first byte picks the layout, the rest is the index file; the frame
// and audio files the Flickr reader looks for exist (empty), so its boxes are parsed.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>

#include "FuzzInput.h"
#include "app/cli/DatasetReader.h"

using namespace heardmap;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  const int layout = data[0] % 5;
  const std::filesystem::path root = fuzz::scratchFolder() / ("layout" + std::to_string(layout));
  static const char* kIndex[5] = {"Annotations/a.xml", "vggss.json", "s4_box.json",
                                  "synthetic3240_bbox.json", "boxes.json"};
  static const DatasetFormat kFormat[5] = {DatasetFormat::Flickr, DatasetFormat::VggSs,
                                           DatasetFormat::AvsBench, DatasetFormat::Is3,
                                           DatasetFormat::Folder};
  fuzz::writeInput("layout" + std::to_string(layout) + "/" + kIndex[layout], data + 1, size - 1);
  if (layout == 0) {
    fuzz::writeInput("layout0/frames/a.jpg", nullptr, 0);
    fuzz::writeInput("layout0/audio/a.wav", nullptr, 0);
  }
  if (layout == 4) {
    fuzz::writeInput("layout4/a.mp4", nullptr, 0);
  }
  try {
    const DatasetScan scan = readDataset(root.string(), kFormat[layout]);
    for (const EvalSample& s : scan.samples) {
      (void)s.target.groundTruth.size();
    }
  } catch (const std::exception&) {
  }
  return 0;
}
