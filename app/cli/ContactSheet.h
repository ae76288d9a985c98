// Tiles scenes into one picture with their source boxes drawn, for looking at a split.
#pragma once

#include <vector>

#include "core/RgbImage.h"
#include "core/data/Scene.h"

namespace heardmap {

// Draws a rectangle outline (thickness px) in colour rgb.
void drawBox(RgbImage& image, const PixelBox& box, const uint8_t rgb[3], int thickness);
// Grid of scenes (columns wide), sounding boxes in green, other objects in thin grey, and a
// condition colour bar on top of each tile.
RgbImage contactSheet(const std::vector<Scene>& scenes, int columns);

}  // namespace heardmap
