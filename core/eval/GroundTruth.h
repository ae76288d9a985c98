// Ground-truth maps of the standard VSSL benchmarks, on a size x size grid (224 in the papers).
#pragma once

#include <vector>

namespace heardmap {

// A box in pixels of the evaluation grid: columns [x0, x1), rows [y0, y1) (numpy slice semantics).
struct PixelBox {
  int x0 = 0;
  int y0 = 0;
  int x1 = 0;
  int y1 = 0;
};

// Flickr-SoundNet consensus map: every box of every annotator adds 1, then min(G / 2, 1): pixels
// marked twice or more weigh 1, pixels marked once 0.5.
std::vector<float> consensusGroundTruth(const std::vector<std::vector<PixelBox>>& boxesPerAnnotator,
                                        int size);
// VGG-SS / AVSBench / IS3 map: binary union of the boxes.
std::vector<float> unionGroundTruth(const std::vector<PixelBox>& boxes, int size);
// A box given in [0, 1] normalized xyxy (clipped), scaled as the papers do: int(v * size).
PixelBox boxFromNormalized(double x0, double y0, double x1, double y1, int size);

}  // namespace heardmap
