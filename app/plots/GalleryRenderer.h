// Renders a gallery to PNG: one row of pictures per model (test scenes with its heatmap and the
// ground-truth boxes drawn), a caption under each picture, the model's name on the left and the
// scene titles on top. Qt-free interface; hold a PlotSession (ChartRenderer.h) while writing.
#pragma once

#include <string>
#include <vector>

#include "core/RgbImage.h"

namespace heardmap {

struct GalleryRow {
  std::string label;                  // the model
  std::vector<RgbImage> tiles;        // one per column, all the same size
  std::vector<std::string> captions;  // one per tile (e.g. its score)
};

class GalleryRenderer {
 public:
  // Writes the gallery; returns false when there is nothing to draw or the PNG cannot be written.
  static bool write(const std::string& path, const std::vector<std::string>& columnTitles,
                    const std::vector<GalleryRow>& rows);
};

}  // namespace heardmap
