#include "ContactSheet.h"

#include <algorithm>

namespace heardmap {
namespace {

// Gap between tiles, px.
constexpr int kGapPx = 4;
// Height of the condition colour bar, px.
constexpr int kBarPx = 6;

void conditionColour(SceneCondition c, uint8_t rgb[3]) {
  switch (c) {
    case SceneCondition::Positive:
      rgb[0] = 46;
      rgb[1] = 160;
      rgb[2] = 67;
      break;
    case SceneCondition::MultiSource:
      rgb[0] = 25;
      rgb[1] = 118;
      rgb[2] = 210;
      break;
    case SceneCondition::Silence:
      rgb[0] = 120;
      rgb[1] = 120;
      rgb[2] = 120;
      break;
    case SceneCondition::Noise:
      rgb[0] = 230;
      rgb[1] = 160;
      rgb[2] = 20;
      break;
    default:
      rgb[0] = 200;
      rgb[1] = 40;
      rgb[2] = 40;
      break;
  }
}

}  // namespace

void drawBox(RgbImage& image, const PixelBox& box, const uint8_t rgb[3], int thickness) {
  for (int y = std::max(0, box.y0); y < std::min(image.height, box.y1); ++y) {
    for (int x = std::max(0, box.x0); x < std::min(image.width, box.x1); ++x) {
      const bool edge = x - box.x0 < thickness || box.x1 - 1 - x < thickness ||
                        y - box.y0 < thickness || box.y1 - 1 - y < thickness;
      if (edge) {
        std::copy(rgb, rgb + 3,
                  image.pixels.begin() + static_cast<std::ptrdiff_t>((y * image.width + x) * 3));
      }
    }
  }
}

RgbImage contactSheet(const std::vector<Scene>& scenes, int columns) {
  RgbImage sheet;
  if (scenes.empty()) {
    return sheet;
  }
  const int tile = scenes.front().image.width;
  const int rows = (static_cast<int>(scenes.size()) + columns - 1) / columns;
  sheet.width = columns * (tile + kGapPx) + kGapPx;
  sheet.height = rows * (tile + kBarPx + kGapPx) + kGapPx;
  sheet.pixels.assign(static_cast<size_t>(sheet.width * sheet.height * 3), 30);
  const uint8_t green[3] = {60, 255, 60};
  const uint8_t grey[3] = {200, 200, 200};
  for (size_t i = 0; i < scenes.size(); ++i) {
    RgbImage image = scenes[i].image;
    for (const PlacedObject& o : scenes[i].objects) {
      drawBox(image, o.box, o.sounding ? green : grey, o.sounding ? 2 : 1);
    }
    const int left = kGapPx + static_cast<int>(i % static_cast<size_t>(columns)) * (tile + kGapPx);
    const int top =
        kGapPx + static_cast<int>(i / static_cast<size_t>(columns)) * (tile + kBarPx + kGapPx);
    uint8_t bar[3];
    conditionColour(scenes[i].condition, bar);
    for (int y = 0; y < kBarPx; ++y) {
      for (int x = 0; x < tile; ++x) {
        std::copy(bar, bar + 3,
                  sheet.pixels.begin() +
                      static_cast<std::ptrdiff_t>(((top + y) * sheet.width + left + x) * 3));
      }
    }
    for (int y = 0; y < tile; ++y) {
      std::copy(image.pixels.begin() + static_cast<std::ptrdiff_t>(y * tile * 3),
                image.pixels.begin() + static_cast<std::ptrdiff_t>((y + 1) * tile * 3),
                sheet.pixels.begin() +
                    static_cast<std::ptrdiff_t>(((top + kBarPx + y) * sheet.width + left) * 3));
    }
  }
  return sheet;
}

}  // namespace heardmap
