// Colour lookup tables. The same 256-entry table is uploaded as a texture for the GL shader and
// used by the CPU renderer, so both draw identical colours.
#pragma once

#include <array>
#include <vector>

#include "OverlaySettings.h"

namespace heardmap {

// Entries per lookup table.
constexpr int kColormapSize = 256;

// 256 RGB triples in [0, 1] (768 floats).
std::vector<float> colormapTable(ColormapId id);
// Linear interpolation in the table at position value in [0, 1] (clamped), as GL_LINEAR samples it.
std::array<float, 3> sampleColormap(const std::vector<float>& table, float value);

}  // namespace heardmap
